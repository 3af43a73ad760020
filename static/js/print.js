// The case page's 打印 button (CSP forbids an inline onclick); print.css lays the page out.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print-page]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
