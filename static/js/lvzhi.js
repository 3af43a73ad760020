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
  // Confirm buttons that carry data-confirm.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
});
