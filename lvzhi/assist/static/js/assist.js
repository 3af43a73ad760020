// 智能辅助: click a suggested unit to pre-select it, pick a merge target, draw topic trends.
// Loaded from several includes on one page: the guard keeps one set of listeners.
(() => {
  if (window.lvzhiAssist) return;
  window.lvzhiAssist = true;

  const pick = (select, value) => {
    if (!select) return;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  };

  document.addEventListener("click", (ev) => {
    const lead = ev.target.closest("[data-assist-lead]");
    if (lead) {
      const form = lead.closest("form");
      const mode = form && form.querySelector("select[name=mode]");
      if (mode && mode.value !== "lead") pick(mode, "lead");
      pick(form && form.querySelector("select[name=lead]"), lead.dataset.assistLead);
      return;
    }
    const merge = ev.target.closest("[data-assist-merge]");
    if (merge) {
      const form = document.getElementById("act-merge");
      if (!form) return;
      if (!form.classList.contains("show") && window.bootstrap) new bootstrap.Collapse(form, { toggle: true });
      pick(form.querySelector("[name=target]"), merge.dataset.assistMergeNumber || merge.dataset.assistMerge);
    }
  });

  const drawTrends = () => {
    if (!window.echarts) return;
    document.querySelectorAll("[data-assist-trend]").forEach((el) => {
      const data = JSON.parse(document.getElementById(el.dataset.assistTrend).textContent);
      const chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false, color: ["#b3261e"], grid: { left: 24, right: 6, top: 6, bottom: 18 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.months, axisLabel: { fontSize: 9, interval: "auto" } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 9 } },
        series: [{ type: "line", data: data.values, symbolSize: 4, areaStyle: { opacity: 0.15 } }],
      });
      window.addEventListener("resize", () => chart.resize());
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawTrends);
  else drawTrends();
})();
