/* Public report form: pick the place on an offline map (outlines only), or use the phone's location. */
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  var lon = document.getElementById("lon"), lat = document.getElementById("lat");
  var marker = null, map = null;
  function set(ll) {
    lon.value = ll.lng.toFixed(6); lat.value = ll.lat.toFixed(6);
    if (!map) { return; }
    if (marker) { marker.setLatLng(ll); } else { marker = L.marker(ll).addTo(map); }
  }
  if (el && window.L) {
    map = L.map(el, { attributionControl: false, minZoom: 5, maxZoom: 16, zoomSnap: 0.5 }).setView([33.9, 113.6], 6);
    fetch("/api/public/outlines").then(function (r) { return r.json(); }).then(function (gj) {
      L.geoJSON(gj, { style: function (f) {
        var prov = f.properties && f.properties.level === "province";
        return { color: prov ? "#14386b" : "#8aa0bf", weight: prov ? 2 : 1, fillColor: "#f4f7fb", fillOpacity: prov ? 0.2 : 0.6 };
      }, onEachFeature: function (f, layer) {
        if (f.properties.level === "city") { layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "map-label" }); }
      } }).addTo(map);
      el.setAttribute("data-state", "ready");
    });
    map.on("click", function (e) { set(e.latlng); });
    if (lon.value && lat.value) { set(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
  }
  var sel = document.getElementById("barrier-select");
  if (sel) {
    sel.addEventListener("change", function () {
      var o = sel.options[sel.selectedIndex];
      if (o && o.dataset.lon) { set(L.latLng(parseFloat(o.dataset.lat), parseFloat(o.dataset.lon))); if (map) { map.setView([parseFloat(o.dataset.lat), parseFloat(o.dataset.lon)], 13); } }
    });
  }
  var btn = document.getElementById("locate-btn");
  if (btn && navigator.geolocation) {
    btn.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        var ll = L.latLng(p.coords.latitude, p.coords.longitude); set(ll); if (map) { map.setView(ll, 14); }
      });
    });
  }
  var rn = document.getElementById("real-name"), rf = document.getElementById("real-name-fields");
  function toggle() { if (rf) { rf.style.display = rn && rn.checked ? "" : "none"; } }
  if (rn) { rn.addEventListener("change", toggle); toggle(); }
}());
