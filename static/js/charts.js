// Draw the dashboard's ECharts from the JSON blocks the page carries (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const palette = ["#b3261e", "#1f6feb", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#5d4037", "#9e9e9e"];
  const NARROW = 480; // px of chart width: a phone, where outside labels have no room
  // Counts of cases: the value axis ticks whole numbers only (never 0.5 件).
  const countAxis = { type: "value", minInterval: 1 };

  // Legend items as ECharts lays them out (icon + gap + text at 12px), packed into rows of the
  // chart's width: how many rows a plain (wrapping) legend needs.
  const legendRows = (names, width, iconWidth, gap) => {
    let rows = 1;
    let x = 0;
    for (const name of names) {
      const w = iconWidth + 5 + 12 * [...name].length + gap;
      if (x > 0 && x + w > width - 10) { rows += 1; x = 0; }
      x += w;
    }
    return rows;
  };
  const legendText = (data) => {
    const counts = Object.fromEntries(data.map((d) => [d.name, d.value]));
    return (name) => `${name} ${counts[name]}`;
  };
  const LEGEND_ROW = 22;

  const pie = (data, narrow) => {
    // Every state in a wrapping legend with its count (never a paged "1/2" legend that hides
    // states); the pie sits above it at a fixed size.
    const legend = { bottom: 0, left: "center", type: "plain", itemWidth: 12, itemHeight: 10, itemGap: 8,
      formatter: legendText(data) };
    if (!narrow) {
      return { color: palette, tooltip: { trigger: "item" }, legend,
        series: [{ type: "pie", radius: [50, 100], center: ["50%", 145], data,
          label: { formatter: "{b}\n{c}" } }] };
    }
    // On a phone a slice carries its count only where it is wide enough to hold it.
    return { color: palette, tooltip: { trigger: "item" }, legend,
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
    return { color: palette, tooltip: {}, grid: { left: 10, right: 20, top: 10, bottom: 10, containLabel: true },
      yAxis: { type: "category", data: data.names,
        axisLabel: { interval: 0, width: narrow ? 134 : 200, overflow: "break" } },
      xAxis: countAxis, series: [{ type: "bar", data: data.values }] };
  };

  document.querySelectorAll("[data-chart]").forEach((el) => {
    const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const kind = el.dataset.chart;
    let narrow = null;
    let chart = null;
    const size = () => {
      // A pie sits above its legend: room for the rows the legend wraps into.
      if (kind === "pie") {
        const rows = legendRows(data.map((d) => `${d.name} ${d.value}`), el.clientWidth, 12, 8);
        el.style.height = `${(narrow ? 250 : 300) + LEGEND_ROW * rows}px`;
      }
      // One readable row per unit on the horizontal bars (15 units squeezed into 320px overlap).
      if (kind === "hbar") el.style.height = `${Math.max(200, 50 + 26 * data.names.length)}px`;
    };
    const draw = () => {
      const now = el.clientWidth < NARROW;
      if (now === narrow) { size(); chart.resize(); return; }
      narrow = now;
      size();
      if (chart) chart.dispose();
      chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(kind, data, narrow));
    };
    draw();
    window.addEventListener("resize", draw);
  });
});
