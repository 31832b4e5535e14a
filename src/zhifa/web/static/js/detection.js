// Vehicle trajectory page (/trajectory): map + table of passages from /api/trajectory.
(function () {
  const params = new URLSearchParams(location.search);
  const map = L.map('traj-map', {attributionControl: false}).setView([34.0, 113.7], 7);
  const kinds = {gantry: '门架', entry: '入口', exit: '出口'};
  const palette = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65'];
  fetch('/api/map/outlines', {credentials: 'same-origin'}).then(r => r.ok ? r.json() : null).then(gj => {
    if (!gj) return;
    L.geoJSON(gj, {interactive: false, style: f => {
      const prov = f.properties && f.properties.level === 'province';
      return {color: prov ? '#14386b' : '#8aa0bf', weight: prov ? 2 : 1, fillColor: '#f4f7fb', fillOpacity: 0.7};
    }}).addTo(map).bringToBack();
  }).catch(() => { /* the map still works without outlines */ });
  if (!params.get('plate') || !params.get('day')) return;
  const q = new URLSearchParams({plate: params.get('plate'), color: params.get('color') || 'blue', day: params.get('day')});
  fetch('/api/trajectory?' + q.toString(), {credentials: 'same-origin'})
    .then(r => r.json().then(j => ({ok: r.ok, j})))
    .then(({ok, j}) => {
      const summary = document.getElementById('traj-summary');
      if (!ok) { summary.textContent = j.detail || '查询失败'; return; }
      const pts = j.points || [];
      summary.textContent = pts.length ? `${j.plate} ${j.day} 共 ${pts.length} 条通行记录` : '当日无通行记录';
      const rows = document.getElementById('traj-rows');
      const byTrip = {};
      const bounds = [];
      pts.forEach(p => {
        const tr = document.createElement('tr');
        const note = (p.gap_before ? '长时间无记录后出现（轨迹中断）' : '') + (p.plate_read !== j.plate ? ` 误识别为 ${p.plate_read}` : '');
        [p.trip, p.time.slice(11, 19), p.site_name, kinds[p.kind] || p.kind, p.plate_read, note].forEach(v => {
          const td = document.createElement('td'); td.textContent = v; tr.appendChild(td);
        });
        rows.appendChild(tr);
        if (p.lat == null || p.lon == null) return;
        (byTrip[p.trip] = byTrip[p.trip] || []).push([p.lat, p.lon]);
        bounds.push([p.lat, p.lon]);
        L.circleMarker([p.lat, p.lon], {radius: 5, color: palette[(p.trip - 1) % palette.length]})
          .bindTooltip(`${p.time.slice(11, 16)} ${p.site_name}`).addTo(map);
      });
      Object.entries(byTrip).forEach(([trip, line]) => {
        L.polyline(line, {color: palette[(trip - 1) % palette.length], weight: 3}).addTo(map);
      });
      if (bounds.length) map.fitBounds(bounds, {padding: [20, 20]});
    });
})();
