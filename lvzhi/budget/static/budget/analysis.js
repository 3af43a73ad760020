// The budget analysis charts, built from the JSON blocks each page carries (no inline script: CSP).
// Every chart has its table right below it; the chart is a picture of that table.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const palette = ["#1f6feb", "#b3261e", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f"];
  const NARROW = 480; // px: a phone, where category labels go on the vertical axis
  const ROW = 28; // px per bar on the horizontal charts

  // On a phone a classification's name without its code ("205 教育支出" → "教育支出"): the table has both.
  const cut = (name, n) => {
    const short = n < 10 ? String(name).replace(/^\d+\s/, "") : String(name);
    return [...short].length > n ? `${[...short].slice(0, n).join("")}…` : short;
  };

  // Progress % per item as horizontal bars, the time progress as a dashed line.
  const progress = (d, narrow) => ({
    color: palette, animation: false, tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${v}%`) },
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    yAxis: { type: "category", inverse: true, data: d.names,
      axisLabel: { formatter: (n) => cut(n, narrow ? 8 : 16) } },
    xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", name: "支出进度", data: d.values,
      itemStyle: { color: (p) => (p.value != null && p.value < d.time ? "#b3261e" : "#1f6feb") },
      markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#555" },
        label: { formatter: `序时进度 ${d.time}%`, position: "end" }, data: [{ xAxis: d.time }] } }],
  });

  // Several series side by side: vertical bars on a wide screen, horizontal on a phone.
  const bars = (d, narrow, stack) => {
    const series = d.series.map((s) => ({ type: "bar", name: s.name, data: s.values, stack: stack ? "all" : undefined }));
    const cat = { type: "category", data: d.names, axisLabel: { formatter: (n) => cut(n, narrow ? 8 : 10) } };
    // Amounts are 万元: 10000 of them read as 1亿; a phone gets fewer ticks so they do not overlap.
    const money = (v) => (Math.abs(v) >= 10000 ? `${+(v / 10000).toFixed(1)}亿` : `${v}`);
    const val = { type: "value", splitNumber: narrow ? 3 : 5, axisLabel: { formatter: money, hideOverlap: true } };
    const common = { color: palette, animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true }, series };
    if (narrow || stack) return { ...common, yAxis: { ...cat, inverse: true }, xAxis: val };
    return { ...common, xAxis: { ...cat, axisLabel: { ...cat.axisLabel, rotate: d.names.length > 6 ? 30 : 0, interval: 0 } },
      yAxis: val };
  };

  const line = (d) => ({
    color: palette, animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.names }, yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: d.series.map((s) => ({ type: "line", name: s.name, data: s.values })),
  });

  const build = (d, narrow) => {
    if (d.type === "progress") return progress(d, narrow);
    if (d.type === "line") return line(d);
    return bars(d, narrow, d.type === "stack");
  };

  document.querySelectorAll("[data-budget-chart]").forEach((el) => {
    const d = JSON.parse(document.getElementById(el.dataset.budgetChart).textContent);
    if (!d.names || !d.names.length) { el.hidden = true; return; }
    let narrow = null;
    let chart = null;
    const horizontal = () => d.type === "progress" || d.type === "stack" || narrow;
    const size = () => {
      // One readable row per item on horizontal bars (150 departments need the height).
      if (horizontal() && d.type !== "line") {
        const per = d.type === "progress" || d.type === "stack" ? 1 : d.series.length;
        el.style.height = `${Math.max(200, 60 + ROW * per * d.names.length)}px`;
      } else {
        el.style.height = "";
      }
    };
    const draw = () => {
      const now = el.clientWidth < NARROW;
      if (now === narrow && chart) { chart.resize(); return; }
      narrow = now;
      size();
      if (chart) chart.dispose();
      chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(d, narrow));
    };
    draw();
    window.addEventListener("resize", draw);
  });
});
