/* Dashboard: an offline Leaflet map (outlines from /api/map/outlines, no tile layer) and an ECharts bar chart. */
(function () {
  "use strict";
  var lang = window.zhifa.lang;
  var mapEl = document.getElementById("map");
  var TINTS = ["#eef3fa", "#f4f1e8", "#eaf4ef", "#f5ecef", "#eef0f7", "#f2f5e9"];

  function drawMap() {
    if (!mapEl || !window.L) { return; }
    var map = L.map(mapEl, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false, minZoom: 5, maxZoom: 13 });
    map.setView([33.9, 113.6], 6.5);
    var focus = mapEl.getAttribute("data-focus-unit");
    var outlineLayer = null;
    var markers = L.featureGroup().addTo(map);
    mapEl.setAttribute("data-state", "loading");

    var outlines = window.zhifa.fetchJSON("/api/map/outlines").then(function (gj) {
      outlineLayer = L.geoJSON(gj, {
        style: function (f) {
          var p = f.properties || {};
          if (p.level === "province") {
            return { color: "#14386b", weight: 2.5, fill: true, fillColor: "#ffffff", fillOpacity: 0.9 };
          }
          var mine = focus && p.unit_code === focus;
          var tint = TINTS[parseInt(String(p.unit_code).slice(2, 4), 10) % TINTS.length];
          return { color: "#6f86a8", weight: mine ? 2 : 1, fill: true,
                   fillColor: mine ? "#c9dcf5" : tint, fillOpacity: focus && !mine ? 0.35 : 0.85 };
        },
        onEachFeature: function (f, layer) {
          var p = f.properties || {};
          if (p.level === "city") {
            layer.bindTooltip(p.name, { permanent: true, direction: "center", className: "map-label" });
          }
        }
      }).addTo(map);
      outlineLayer.bringToBack();
      mapEl.setAttribute("data-outlines", String(gj.features.length));
      return gj;
    });

    var sites = window.zhifa.fetchJSON("/api/sites").then(function (gj) {
      gj.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        L.circleMarker([c[1], c[0]], {
          radius: p.kind === "gantry" ? 3.5 : 5, color: "#1d2733", weight: 0.6,
          fillColor: p.color, fillOpacity: 0.9
        }).bindPopup("<b>" + escapeHtml(p.name) + "</b><br>" + escapeHtml(p.unit_name) +
                     (p.road ? " · " + escapeHtml(p.road) : "") + "<br><small>" + escapeHtml(p.site_id) + "</small>")
          .addTo(markers);
      });
      mapEl.setAttribute("data-sites", String(gj.features.length));
      return gj;
    });

    Promise.all([outlines, sites]).then(function () {
      var target = null;
      if (focus && outlineLayer) {
        outlineLayer.eachLayer(function (l) { if (l.feature.properties.unit_code === focus) { target = l.getBounds(); } });
      }
      if (!target && focus && markers.getLayers().length) { target = markers.getBounds(); }
      if (!target && outlineLayer) { target = outlineLayer.getBounds(); }
      if (target && target.isValid()) { map.fitBounds(target, { padding: [12, 12] }); }
      mapEl.setAttribute("data-state", "ready");
    }).catch(function (err) {
      mapEl.setAttribute("data-state", "error");
      if (window.console) { console.error(err); }
    });
  }

  function escapeHtml(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
    });
  }

  function drawChart() {
    var el = document.getElementById("city-chart");
    var dataEl = document.getElementById("dash-data");
    if (!el || !dataEl || !window.echarts) { return; }
    var d = JSON.parse(dataEl.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#1f4e8c", "#c8102e"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: d.cities, inverse: true, axisLabel: { fontSize: 11 } },
      series: [
        { name: el.getAttribute("data-label-sites"), type: "bar", data: d.sites, barMaxWidth: 12 },
        { name: el.getAttribute("data-label-leads"), type: "bar", data: d.leads, barMaxWidth: 12 }
      ]
    });
    el.setAttribute("data-state", "ready");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  drawMap();
  drawChart();
  void lang;
})();

/* Live part (R2): /api/dashboard/live every 30 s and on filter change; charts, WIM map, tables, export links. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.echarts) { return; }
  var unitSel = document.getElementById("live-unit"), periodSel = document.getElementById("live-period");
  var REFRESH_MS = 30000;
  var charts = {};
  var wimMap = null, wimLayer = null;

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
    });
  }
  function chart(id) {
    if (!charts[id]) {
      var el = document.getElementById(id);
      if (!el) { return null; }
      charts[id] = echarts.init(el, null, { renderer: "canvas" });
    }
    return charts[id];
  }
  // column and series names in the interface language: data-label-* of #live (dashboard.html); Chinese fallback
  var FALLBACK = { hits: "布控命中", leads: "线索", overload: "超限违法", cases: "案件", intercepted: "查获", overdue: "逾期",
                   status: "状态", count: "数量", site: "站点", unit: "单位", city: "地市", rule: "规则" };
  function label(k) { return root.getAttribute("data-label-" + k) || FALLBACK[k] || k; }
  var COLON = window.zhifa && window.zhifa.lang === "en" ? ": " : "：";
  function table(id, cols, rows) {
    var el = document.getElementById("tbl-" + id);
    if (!el) { return; }
    var h = "<thead><tr>" + cols.map(function (c) { return "<th>" + esc(c[1]) + "</th>"; }).join("") + "</tr></thead><tbody>";
    rows.forEach(function (r) { h += "<tr>" + cols.map(function (c) { return "<td>" + esc(r[c[0]]) + "</td>"; }).join("") + "</tr>"; });
    el.innerHTML = h + "</tbody>";
    el.setAttribute("data-rows", String(rows.length));
  }
  function query() {
    return "unit=" + encodeURIComponent(unitSel.value) + "&period=" + encodeURIComponent(periodSel.value);
  }

  function draw(d) {
    Object.keys(d.today).forEach(function (k) {
      var el = root.querySelector('[data-k="' + k + '"]');
      if (el) { el.textContent = d.today[k]; }
    });
    var days = d.trend.map(function (r) { return r.day.slice(5); });
    chart("trend-chart").setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      color: ["#c8102e", "#1f4e8c", "#f08c00", "#0ca678"],
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: days }, yAxis: { type: "value" },
      series: ["hits", "leads", "overload", "cases"].map(function (k) {
        return { name: label(k), type: "line", data: d.trend.map(function (r) { return r[k]; }) };
      })
    }, true);
    var top = d.top_cities;
    chart("top-chart").setOption({
      animation: false, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      color: ["#1f4e8c", "#c8102e", "#f08c00", "#0ca678"],
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: top.map(function (c) { return c.name; }) },
      series: ["leads", "intercepted", "overload", "cases"].map(function (k) {
        return { name: label(k), type: "bar", stack: "all", data: top.map(function (c) { return c[k]; }) };
      })
    }, true);
    chart("rule-chart").setOption({
      animation: false, tooltip: { trigger: "item" },
      color: ["#1f4e8c", "#c8102e", "#f08c00", "#0ca678", "#7048e8", "#795548"],
      series: [
        { type: "pie", radius: ["30%", "55%"], center: ["28%", "55%"], label: { fontSize: 10 },
          data: d.leads_by_rule.map(function (r) { return { name: r.label || r.rule, value: r.count }; }) },
        { type: "pie", radius: ["30%", "55%"], center: ["74%", "55%"], label: { fontSize: 10 },
          data: d.cases_by_state.map(function (r) { return { name: r.status, value: r.count }; }) }
      ]
    }, true);
    table("cases_by_state", [["status", label("status")], ["count", label("count")], ["overdue", label("overdue")]], d.cases_by_state);
    table("wim_sites", [["name", label("site")], ["unit_name", label("unit")], ["violations", label("overload")]], d.wim_sites.slice(0, 15));
    table("top_cities", [["name", label("city")], ["leads", label("leads")], ["intercepted", label("intercepted")],
                         ["overload", label("overload")], ["cases", label("cases")]], d.top_cities);
    table("leads_by_rule", [["label", label("rule")], ["count", label("count")]], d.leads_by_rule);
    drawWim(d.wim_sites);
    root.querySelectorAll(".export-link").forEach(function (a) {
      a.href = "/api/dashboard/export/" + a.getAttribute("data-table") + "." + a.getAttribute("data-fmt") + "?" + query();
    });
    document.getElementById("live-updated").textContent = d.generated_at.replace("T", " ");
    root.setAttribute("data-state", "ready");
    root.setAttribute("data-refreshes", String(parseInt(root.getAttribute("data-refreshes") || "0", 10) + 1));
  }

  function drawWim(sites) {
    var el = document.getElementById("wim-map");
    if (!el || !window.L) { return; }
    if (!wimMap) {
      wimMap = L.map(el, { preferCanvas: true, attributionControl: false, minZoom: 5, maxZoom: 13, zoomSnap: 0.25 })
        .setView([33.9, 113.6], 6.3);
      window.zhifa.addOutlines(wimMap);
      wimLayer = L.featureGroup().addTo(wimMap);
    }
    wimLayer.clearLayers();
    var max = 1;
    sites.forEach(function (s) { if (s.violations > max) { max = s.violations; } });
    sites.forEach(function (s) {
      if (s.lon == null || s.lat == null) { return; }
      L.circleMarker([s.lat, s.lon], { radius: 4 + 14 * Math.sqrt(s.violations / max), color: "#7a1020", weight: 0.8,
        fillColor: s.violations ? "#d6336c" : "#adb5bd", fillOpacity: 0.75 })
        .bindTooltip(esc(s.name) + COLON + s.violations).addTo(wimLayer);
    });
    el.setAttribute("data-sites", String(sites.length));
  }

  function refresh() {
    return window.zhifa.fetchJSON("/api/dashboard/live?" + query()).then(draw).catch(function (err) {
      root.setAttribute("data-state", "error");
      if (window.console) { console.error(err); }
    });
  }
  unitSel.addEventListener("change", refresh);
  periodSel.addEventListener("change", refresh);
  refresh();
  window.setInterval(refresh, REFRESH_MS);
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
})();
