// The case list's and batch assignment's selection: "全选" ticks every row of its form, the
// count says how many are ticked (CSP forbids inline script, so it lives here).
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
