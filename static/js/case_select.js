// A form marked data-select-form="NAME" (the case list, batch assignment, the deadline monitor):
// its "全选" boxes tick every row named NAME (or NAME_…), the count says how many (CSP: no inline script).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-form]").forEach((form) => {
    const name = form.dataset.selectForm;
    const boxes = () => [...form.querySelectorAll(`input[type=checkbox][name="${name}"], input[type=checkbox][name^="${name}_"]`)];
    const alls = [...form.querySelectorAll("[data-select-all]")];
    const count = form.querySelector("[data-selected-count]");
    const sync = () => {
      const all = boxes();
      const ticked = all.filter((b) => b.checked).length;
      alls.forEach((a) => {
        a.checked = all.length > 0 && ticked === all.length;
        a.indeterminate = ticked > 0 && ticked < all.length;
      });
      if (count) count.textContent = ticked ? `已选${ticked}件` : "未选择";
    };
    alls.forEach((a) => a.addEventListener("change", () => {
      boxes().forEach((b) => { b.checked = a.checked; });
      sync();
    }));
    form.addEventListener("change", (e) => { if (!e.target.matches("[data-select-all]")) sync(); });
    sync();
  });
});
