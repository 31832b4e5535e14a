// Live view of listed vehicles: last seen positions on a Leaflet map, refreshed every 5 s.
(function () {
  const el = document.getElementById('live-map');
  if (!el || typeof L === 'undefined') return;
  el.style.height = '460px';
  const map = L.map(el, {attributionControl: false}).setView([34.0, 113.7], 7);
  window.zhifa.addOutlines(map);  // province and city outlines give the markers a context
  const layer = L.layerGroup().addTo(map);
  let fitted = false;
  // "；待处置任务 {n}" in the interface language: data-msg-open-tasks of #live-map (interception/live.html)
  const openTasks = el.dataset.msgOpenTasks || '；待处置任务 {n}';
  function esc(s) { return String(s ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c])); }
  async function refresh() {
    try {
      const r = await fetch(el.dataset.api, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'});
      if (!r.ok) return;
      const data = await r.json();
      layer.clearLayers();
      const pts = [];
      for (const v of data.vehicles) {
        if (v.lat == null || v.lon == null) continue;
        const color = v.open_tasks > 0 ? '#c0392b' : '#2c7be5';
        L.circleMarker([v.lat, v.lon], {radius: 7 + Math.min(v.open_tasks, 5), color, fillOpacity: 0.8})
          .bindTooltip(`${esc(v.plate)} ${esc(v.site_name)} ${esc(v.event_time.slice(11, 19))}<br>${esc(v.reason)}${esc(openTasks.replace('{n}', v.open_tasks))}`)
          .addTo(layer);
        pts.push([v.lat, v.lon]);
      }
      if (pts.length && !fitted) { map.fitBounds(pts, {padding: [30, 30], maxZoom: 10}); fitted = true; }
    } catch (e) { /* keep the last picture; try again on the next tick */ }
  }
  refresh();
  setInterval(refresh, 5000);
})();
