/* Report page: bar charts by unit and the monthly trend (ECharts), from <script type="application/json" id="report-data">. */
(function () {
  "use strict";
  var dataEl = document.getElementById("report-data");
  if (!dataEl || !window.echarts) { return; }
  var d = JSON.parse(dataEl.textContent);
  var charts = [];

  document.querySelectorAll(".report-chart").forEach(function (el) {
    var c = d.charts[parseInt(el.getAttribute("data-chart"), 10)];
    if (!c) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      color: ["#1f4e8c"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 30, top: 10, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: c.names, inverse: true, axisLabel: { fontSize: 11 } },
      series: [{ type: "bar", data: c.values, barMaxWidth: 16, label: { show: true, position: "right" } }]
    });
    el.setAttribute("data-state", "ready");
    charts.push(chart);
  });

  var trendEl = document.getElementById("trend-chart");
  if (trendEl && d.trend) {
    var chart = echarts.init(trendEl, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      color: ["#1f4e8c", "#c8102e", "#f08c00"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.trend.months },
      yAxis: { type: "value" },
      series: d.trend.series.map(function (s) { return { name: s.name, type: "line", data: s.values, connectNulls: false }; })
    });
    trendEl.setAttribute("data-state", "ready");
    charts.push(chart);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
