// Draw the dashboard's ECharts from the JSON blocks the page carries (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const palette = ["#b3261e", "#1f6feb", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#5d4037", "#9e9e9e"];
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const chart = echarts.init(el, null, { renderer: "svg" });
    let option;
    if (el.dataset.chart === "pie") {
      option = { color: palette, tooltip: { trigger: "item" }, legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], data, label: { formatter: "{b}\n{c}" } }] };
    } else if (el.dataset.chart === "bar") {
      option = { color: palette, tooltip: {}, grid: { left: 40, right: 10, bottom: 60 },
        xAxis: { type: "category", data: data.names, axisLabel: { rotate: 35 } },
        yAxis: { type: "value" }, series: [{ type: "bar", data: data.values }] };
    } else {
      option = { color: palette, tooltip: {}, grid: { left: 150, right: 20 },
        yAxis: { type: "category", data: data.names, axisLabel: { interval: 0 } }, xAxis: { type: "value" },
        series: [{ type: "bar", data: data.values }] };
    }
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  });
});
