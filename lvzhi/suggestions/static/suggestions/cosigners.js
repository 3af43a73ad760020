// The co-signer picker: each click on a name adds or removes that deputy (no Ctrl key), a
// filter box narrows 500 names by name or delegation, the chosen ones show as removable chips,
// and a motion shows live how many signatures the rule (RuleSet.motion_min_cosigners) still needs.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-cosigner-picker]").forEach((picker) => {
    const form = picker.closest("form");
    const boxes = Array.from(picker.querySelectorAll("input[type=checkbox]"));
    const chips = picker.querySelector("[data-cosigner-chips]");
    const count = picker.querySelector("[data-cosigner-count]");
    const motion = picker.querySelector("[data-cosigner-motion]");
    const filter = picker.querySelector("[data-cosigner-filter]");
    const none = picker.querySelector("[data-cosigner-none]");
    const needed = parseInt(picker.dataset.minSigners || "10", 10);
    const kindOf = () => form?.querySelector("[name=kind]")?.value || form?.dataset.caseKind || "suggestion";

    const render = () => {
      const chosen = boxes.filter((b) => b.checked);
      chips.replaceChildren(...chosen.map((b) => {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "cosigner-chip";
        chip.dataset.cosignerChip = b.value;
        chip.setAttribute("aria-label", `取消邀请${b.dataset.name}`);
        chip.title = "点击取消邀请";
        const name = document.createElement("span");
        name.textContent = b.dataset.name;
        const x = document.createElement("i");
        x.className = "bi bi-x-lg";
        chip.append(name, x);
        return chip;
      }));
      count.textContent = chosen.length
        ? `已选 ${chosen.length} 名附议代表；点击上方姓名可取消。`
        : "尚未邀请附议代表：点击姓名即可选中，再次点击取消。";
      const signers = chosen.length + 1; // the lead deputy signs too
      if (kindOf() === "motion") {
        motion.hidden = false;
        const short = needed - signers;
        motion.classList.toggle("alert-warning", short > 0);
        motion.classList.toggle("alert-success", short <= 0);
        motion.textContent = short > 0
          ? `议案需${needed}名以上代表联名，当前已选${chosen.length}名附议代表（含您共${signers}名），还需再选${short}名。`
          : `议案需${needed}名以上代表联名，当前已选${chosen.length}名附议代表（含您共${signers}名），人数已满足。`;
      } else {
        motion.hidden = true;
      }
    };

    chips.addEventListener("click", (ev) => {
      const chip = ev.target.closest("[data-cosigner-chip]");
      if (!chip) return;
      const box = boxes.find((b) => b.value === chip.dataset.cosignerChip);
      if (box) box.checked = false;
      render();
    });
    picker.addEventListener("change", render);
    form?.querySelector("[name=kind]")?.addEventListener("change", render);
    filter?.addEventListener("input", () => {
      const q = filter.value.trim();
      let shown = 0;
      picker.querySelectorAll("[data-cosigner-group]").forEach((group) => {
        let inGroup = 0;
        group.querySelectorAll("[data-cosigner-option]").forEach((opt) => {
          const hit = q === "" || opt.dataset.search.includes(q);
          opt.hidden = !hit;
          inGroup += hit ? 1 : 0;
        });
        group.hidden = inGroup === 0;
        shown += inGroup;
      });
      if (none) none.hidden = shown > 0;
    });
    // Enter in the filter box must not submit the whole form.
    filter?.addEventListener("keydown", (ev) => { if (ev.key === "Enter") ev.preventDefault(); });
    render();
  });
});
