// Vehicle trajectory page (/trajectory): map + table of passages from /api/trajectory.
(function () {
  const params = new URLSearchParams(location.search);
  const map = L.map('traj-map', {attributionControl: false}).setView([34.0, 113.7], 7);
  // Texts in the interface language come from the table's data-* attributes (trajectory.html);
  // the Chinese ones below are only the fallback when an attribute is missing.
  const table = document.querySelector('table[data-testid=trajectory-table]');
  const attr = (name, fallback) => (table && table.getAttribute(name)) || fallback;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  const msg = {
    failed: attr('data-msg-failed', '查询失败'),
    count: attr('data-msg-count', '{plate} {day} 共 {n} 条通行记录'),
    none: attr('data-msg-none', '当日无通行记录'),
    gap: attr('data-msg-gap', '长时间无记录后出现（轨迹中断）'),
    misread: attr('data-msg-misread', ' 误识别为 {plate}'),
  };
  const kinds = {
    gantry: attr('data-kind-gantry', '门架'),
    entry: attr('data-kind-entry', '入口'),
    exit: attr('data-kind-exit', '出口'),
  };
  const english = document.documentElement.getAttribute('lang') === 'en';
  const palette = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65'];
  window.zhifa.addOutlines(map);
  if (!params.get('plate') || !params.get('day')) return;
  const q = new URLSearchParams({plate: params.get('plate'), color: params.get('color') || 'blue', day: params.get('day')});
  fetch('/api/trajectory?' + q.toString(), {credentials: 'same-origin'})
    .then(r => r.json().then(j => ({ok: r.ok, j})))
    .then(({ok, j}) => {
      const summary = document.getElementById('traj-summary');
      if (!ok) {
        const detail = english && j.detail_en ? j.detail_en : j.detail;
        summary.textContent = typeof detail === 'string' && detail ? detail : msg.failed;
        return;
      }
      const pts = j.points || [];
      summary.textContent = pts.length ? fill(msg.count, {plate: j.plate, day: j.day, n: pts.length}) : msg.none;
      const rows = document.getElementById('traj-rows');
      const byTrip = {};
      const bounds = [];
      pts.forEach(p => {
        const tr = document.createElement('tr');
        const note = (p.gap_before ? msg.gap : '') + (p.plate_read !== j.plate ? fill(msg.misread, {plate: p.plate_read}) : '');
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
