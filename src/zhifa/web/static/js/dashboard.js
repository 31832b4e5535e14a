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
