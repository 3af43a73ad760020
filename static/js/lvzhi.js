// Small behaviours kept out of templates (CSP forbids inline script).
document.addEventListener("DOMContentLoaded", () => {
  // Assignment form: show lead/co fields or split field by the chosen mode.
  document.querySelectorAll("[data-assign-mode]").forEach((form) => {
    const sync = () => {
      const mode = form.querySelector("[name=mode]:checked, select[name=mode]")?.value || "lead";
      form.querySelectorAll("[data-mode]").forEach((el) => {
        el.hidden = el.dataset.mode !== mode;
      });
    };
    form.addEventListener("change", sync);
    sync();
  });
  // Draft form: 案由/案据/方案 only for a motion.
  document.querySelectorAll("[data-draft-form]").forEach((form) => {
    const kind = form.querySelector("[name=kind]");
    if (!kind) return;
    const sync = () => form.querySelectorAll("[data-motion-only]").forEach((el) => {
      el.hidden = kind.value !== "motion";
    });
    kind.addEventListener("change", sync);
    sync();
  });
  // A long multi-select (500 deputies) gets a filter box and a count of who is chosen.
  document.querySelectorAll("[data-filter-select]").forEach((input) => {
    const select = document.getElementById(input.dataset.filterSelect);
    const count = document.querySelector(`[data-selected-count="${input.dataset.filterSelect}"]`);
    if (!select) return;
    select.size = Math.min(10, select.options.length);
    const showCount = () => {
      const chosen = Array.from(select.selectedOptions).map((o) => o.text.replace(/（.*/, ""));
      if (count) count.textContent = chosen.length ? `已选 ${chosen.length} 人：${chosen.join("、")}` : "按住 Ctrl（手机上直接点选）可选多人";
    };
    input.addEventListener("input", () => {
      const q = input.value.trim();
      Array.from(select.options).forEach((o) => { o.hidden = q !== "" && !o.text.includes(q); });
    });
    select.addEventListener("change", showCount);
    showCount();
  });
  // Writing a suggestion can take long: keep what is typed in this browser until the server
  // confirms it was saved (the case page then carries data-clear-draft), so an expired
  // session or a lost connection never loses the text.
  const FIELDS = ["title", "body", "category", "cause", "basis", "plan"];
  document.querySelectorAll("[data-draft-form][data-draft-key]").forEach((form) => {
    const key = `lvzhi:${form.dataset.draftKey}`;
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    const field = (name) => form.querySelector(`[name=${name}]`);
    const hasErrors = form.querySelector(".is-invalid, .alert-danger");
    const same = saved && FIELDS.every((n) => !field(n) || (saved[n] || "") === field(n).value);
    if (saved && !hasErrors && !same) {
      FIELDS.forEach((n) => { if (field(n) && saved[n] !== undefined) field(n).value = saved[n]; });
      const note = form.querySelector("[data-draft-restored]");
      if (note) note.hidden = false;
    }
    form.addEventListener("input", () => {
      const data = {};
      FIELDS.forEach((n) => { if (field(n)) data[n] = field(n).value; });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
    });
  });
  document.querySelectorAll("[data-clear-draft]").forEach((el) => {
    try { localStorage.removeItem(`lvzhi:${el.dataset.clearDraft}`); } catch (e) { /* ignore */ }
  });
  // File inputs: a Chinese button and the chosen file's name instead of the browser's own
  // "Choose File / No file chosen", which follows the browser's language, not the page's. The
  // native input stays in the form, focusable and named by its label, only visually hidden; it
  // is enhanced here, once for every page, so without script it still works as it is.
  document.querySelectorAll('input[type="file"]').forEach((input, i) => {
    if (input.closest(".file-picker")) return;
    if (!input.id) input.id = `lvzhi-file-${i}`;
    const wrap = document.createElement("div");
    wrap.className = "file-picker";
    input.before(wrap);
    wrap.append(input);
    input.classList.add("file-picker-input");
    const button = document.createElement("label");
    button.className = "btn btn-outline-secondary btn-sm file-picker-button";
    button.htmlFor = input.id;
    const icon = document.createElement("i");
    icon.className = "bi bi-paperclip";
    icon.setAttribute("aria-hidden", "true");
    button.append(icon, input.multiple ? " 选择文件（可多选）" : " 选择文件");
    const chosen = document.createElement("span");
    chosen.className = "file-picker-name small";
    chosen.id = `${input.id}-chosen`;
    chosen.setAttribute("aria-live", "polite");
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? `${described} ${chosen.id}` : chosen.id);
    wrap.append(button, chosen);
    const show = () => {
      const names = Array.from(input.files || []).map((f) => f.name);
      chosen.textContent = names.length ? names.join("、") : "未选择文件";
      chosen.title = names.join("、");
      wrap.classList.toggle("has-file", names.length > 0);
    };
    input.addEventListener("change", show);
    input.form?.addEventListener("reset", () => setTimeout(show));
    show();
  });
  // Confirm buttons that carry data-confirm.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
});
