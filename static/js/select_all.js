// A header checkbox data-select-all="NAME" ticks or clears every checkbox name=NAME in its form
// (CSP forbids inline script). Kept apart from lvzhi.js so any table can load it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    const scope = all.closest("form") || document;
    const boxes = () => Array.from(scope.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`));
    const sync = () => {
      const b = boxes();
      const on = b.filter((x) => x.checked).length;
      all.checked = b.length > 0 && on === b.length;
      all.indeterminate = on > 0 && on < b.length;
    };
    all.addEventListener("change", () => { boxes().forEach((x) => { x.checked = all.checked; }); sync(); });
    scope.addEventListener("change", (ev) => { if (ev.target !== all) sync(); });
    sync();
  });
});
