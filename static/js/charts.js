// Draw the dashboard's ECharts from the JSON blocks the page carries (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const palette = ["#b3261e", "#1f6feb", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#5d4037", "#9e9e9e"];
  const NARROW = 480; // px of chart width: a phone, where outside labels have no room
  // Counts of cases: the value axis ticks whole numbers only (never 0.5 件).
  const countAxis = { type: "value", minInterval: 1 };

  const pie = (data, narrow) => {
    if (!narrow) {
      return { color: palette, tooltip: { trigger: "item" }, legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], data, label: { formatter: "{b}\n{c}" } }] };
    }
    // On a phone the names go to a wrapping legend with their counts; a slice carries its count
    // only where it is wide enough to hold it.
    const counts = Object.fromEntries(data.map((d) => [d.name, d.value]));
    return { color: palette, tooltip: { trigger: "item" },
      legend: { bottom: 0, left: "center", type: "plain", itemWidth: 12, itemHeight: 10, itemGap: 8,
        formatter: (name) => `${name} ${counts[name]}` },
      series: [{ type: "pie", radius: ["30%", "62%"], center: ["50%", 120], data,
        label: { position: "inside", color: "#fff", fontWeight: 600,
          formatter: (p) => (p.percent >= 6 ? String(p.value) : "") },
        labelLine: { show: false } }] };
  };

  const build = (kind, data, narrow) => {
    if (kind === "pie") return pie(data, narrow);
    if (kind === "bar") {
      return { color: palette, tooltip: {}, grid: { left: 10, right: 10, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: data.names, axisLabel: { rotate: 35, interval: 0 } },
        yAxis: countAxis, series: [{ type: "bar", data: data.values }] };
    }
    return { color: palette, tooltip: {}, grid: { left: 10, right: 20, containLabel: true },
      yAxis: { type: "category", data: data.names,
        axisLabel: { interval: 0, width: narrow ? 134 : 200, overflow: "break" } },
      xAxis: countAxis, series: [{ type: "bar", data: data.values }] };
  };

  document.querySelectorAll("[data-chart]").forEach((el) => {
    const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const kind = el.dataset.chart;
    let narrow = null;
    let chart = null;
    const draw = () => {
      const now = el.clientWidth < NARROW;
      if (now === narrow) { chart.resize(); return; }
      narrow = now;
      // A phone's pie sits above its legend: room for the rows the legend wraps into.
      if (kind === "pie") el.style.height = narrow ? `${250 + 22 * Math.ceil(data.length / 3)}px` : "";
      if (chart) chart.dispose();
      chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(kind, data, narrow));
    };
    draw();
    window.addEventListener("resize", draw);
  });
});
