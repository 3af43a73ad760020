// The 并案 box (forms.CaseNumberInput): as the clerk types a number or words of a title, ask
// data-suggest-url for up to 20 cases this one may be merged into and list them under the box;
// a click (or ↑/↓ and Enter) puts that case's number in the box. Without script the clerk
// types the number and the form checks it.
(() => {
  if (window.lvzhiCaseSuggest) return;
  window.lvzhiCaseSuggest = true;

  const setup = (box) => {
    const input = box.querySelector("input");
    const list = box.querySelector("[role=listbox]");
    const status = box.querySelector("[data-case-suggest-status]");
    const url = input.dataset.suggestUrl;
    if (!url) return;
    let timer = null;
    let asked = "";
    let active = -1;

    const items = () => Array.from(list.querySelectorAll("[role=option]"));
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    };
    const mark = (i) => {
      const all = items();
      active = Math.max(-1, Math.min(i, all.length - 1));
      all.forEach((el, j) => {
        el.classList.toggle("active", j === active);
        el.setAttribute("aria-selected", j === active ? "true" : "false");
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", all[active].id);
    };
    const choose = (el) => {
      input.value = el.dataset.number;
      status.textContent = `已选择：${el.dataset.number} ${el.dataset.title}`;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    const show = (results) => {
      list.replaceChildren(...results.map((r, i) => {
        const el = document.createElement("button");
        el.type = "button";
        el.id = `${input.id}-opt-${i}`;
        el.className = "list-group-item list-group-item-action py-1 small";
        el.setAttribute("role", "option");
        el.dataset.number = r.number;
        el.dataset.title = r.title;
        const num = document.createElement("span");
        num.className = "text-muted me-1 text-nowrap";
        num.textContent = r.number;
        const title = document.createElement("span");
        title.textContent = r.title;
        const state = document.createElement("span");
        state.className = "badge text-bg-light ms-1";
        state.textContent = r.state;
        el.append(num, title, state);
        return el;
      }));
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length ? `找到${results.length}件可并入的案件，请点击选择` : "没有符合的可并入案件";
      active = -1;
    };
    const ask = async () => {
      const q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { show([]); status.textContent = ""; return; }
      try {
        const r = await fetch(`${url}?q=${encodeURIComponent(q)}`, { headers: { Accept: "application/json" } });
        if (q !== asked) return; // a later keystroke asked again
        const data = await r.json();
        if (!r.ok) { status.textContent = data.error || "暂时无法查询，请直接输入案号"; close(); return; }
        show(data.results);
      } catch {
        status.textContent = "暂时无法查询，请直接输入案号";
      }
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { mark(active + 1); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { mark(active - 1); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { choose(items()[active]); ev.preventDefault(); }
      else if (ev.key === "Escape") close();
    });
    list.addEventListener("click", (ev) => {
      const el = ev.target.closest("[role=option]");
      if (el) choose(el);
    });
    document.addEventListener("click", (ev) => { if (!box.contains(ev.target)) close(); });
  };

  const init = () => document.querySelectorAll("[data-case-suggest]").forEach(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
