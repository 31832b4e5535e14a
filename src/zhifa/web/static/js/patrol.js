/* zhifa — the handheld patrol page. Works without network:
 *  - every action (start patrol, finding, end patrol) is first written to an IndexedDB queue, with a
 *    client-generated UUID that the server uses as idempotency key (a repeated upload is stored once);
 *  - the queue is sent in order when the browser is online (on load, on the `online` event, after each
 *    action, every 20 s); an item leaves the queue only after the server answered 200/201;
 *  - a service worker (/roads/patrol-sw.js) caches the page and its assets so it opens offline.
 */
(function () {
  "use strict";
  var app = document.getElementById("patrol-app");
  if (!app) { return; }
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var ROADS = JSON.parse(document.getElementById("roads-data").textContent || "[]");
  var ACTIVE_KEY = "zhifa.patrol.active." + (app.getAttribute("data-officer") || "");
  var LIST_KEY = "zhifa.patrol.findings." + (app.getAttribute("data-officer") || "");
  var DB_NAME = "zhifa-patrol";
  var STORE = "queue";
  var OFFICER = app.getAttribute("data-officer") || "";
  var $ = function (id) { return document.getElementById(id); };
  var ENGLISH = document.documentElement.getAttribute("lang") === "en";

  // Texts in the interface language: data-msg-* attributes of #patrol-app (patrol.html); the Chinese ones
  // here are only the fallback when an attribute is missing. {name} placeholders are filled from `values`.
  var FALLBACK = {
    "online": "在线", "offline-status": "离线", "photos": "（照片 {n}）", "synced": "已上传",
    "refused": "未通过：{error}", "pending": "待上传", "offline": "离线：记录已保存在本机，联网后自动上传",
    "expired": "登录已过期：请重新登录后同步（记录仍保存在本机）", "left": "尚有 {n} 条待上传",
    "all-sent": "全部已上传", "pos": "{how}：{lon}, {lat}", "map-pick": "地图选点", "located": "定位",
    "no-geo": "本机不支持定位，请在地图上选点", "locating": "定位中…", "locate-failed": "定位失败，请在地图上选点",
    "not-image": "不是图像", "photo-failed": "照片无法读取：{error}", "since": "开始于 {time}",
    "need-pos": "请先定位或在地图上选点", "saved": "已保存，正在上传", "saved-offline": "离线：已保存在本机，联网后自动上传",
    "no-cache": "离线且无缓存"
  };
  function msg(name, values) {
    var text = app.getAttribute("data-msg-" + name) || FALLBACK[name] || name;
    return text.replace(/\{(\w+)\}/g, function (m, k) {
      return values && Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function nowIso() {
    var d = new Date();
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    var pad = function (n) { return ("0" + Math.floor(Math.abs(n))).slice(-2); };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(off / 60) + ":" + pad(off % 60);
  }

  // ------------------------------------------------------------ IndexedDB queue
  var dbPromise = new Promise(function (resolve, reject) {
    var req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    };
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });

  function tx(mode, fn) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var out = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  // a shared handheld: each item belongs to the officer who recorded it and is sent only in their session
  function enqueue(item) {
    item.officer = OFFICER;
    return tx("readwrite", function (s) { return s.add(item); }).then(refreshCount);
  }
  function allItems() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.filter(function (i) { return i.officer === OFFICER; });
    });
  }
  function removeItem(seq) { return tx("readwrite", function (s) { return s.delete(seq); }); }
  function putItem(item) { return tx("readwrite", function (s) { return s.put(item); }); }

  function refreshCount() {
    return allItems().then(function (items) {
      var pending = items.filter(function (i) { return !i.failed; }).length;
      var el = $("queue-count");
      el.textContent = String(pending);
      el.setAttribute("data-count", String(pending));
      return pending;
    });
  }

  // ------------------------------------------------------------ local list of this patrol's findings
  function loadList() { try { return JSON.parse(localStorage.getItem(LIST_KEY) || "[]"); } catch (e) { return []; } }
  function saveList(l) { localStorage.setItem(LIST_KEY, JSON.stringify(l)); }
  function markSynced(id) {
    var l = loadList();
    l.forEach(function (f) { if (f.id === id) { f.synced = true; } });
    saveList(l);
    renderList();
  }
  function renderList() {
    var ul = $("finding-list");
    var l = loadList();
    ul.innerHTML = "";
    l.forEach(function (f) {
      var li = document.createElement("li");
      li.setAttribute("data-id", f.id);
      li.setAttribute("data-synced", f.synced ? "1" : "0");
      li.className = "finding-item";
      var a = document.createElement("span");
      a.textContent = f.time.slice(11, 16) + " " + f.label + (f.photos ? msg("photos", { n: f.photos }) : "");
      var b = document.createElement("span");
      b.className = "st";
      b.textContent = f.synced ? msg("synced") : (f.error ? msg("refused", { error: f.error }) : msg("pending"));
      li.appendChild(a); li.appendChild(b);
      ul.appendChild(li);
    });
    $("finding-count").textContent = String(l.length);
  }

  // ------------------------------------------------------------ sync
  var syncing = false;
  var sent = 0;  // items the server accepted since the page opened (for the status line and tests)
  function setMsg(text) { $("sync-msg").textContent = text; }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    if (!navigator.onLine) { setMsg(msg("offline")); return refreshCount(); }
    syncing = true;
    app.setAttribute("data-sync", "running");
    return allItems().then(function (items) {
      var chain = Promise.resolve(true);
      items.filter(function (i) { return !i.failed; }).forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          return fetch(item.url, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token },
            body: JSON.stringify(item.body)
          }).then(function (r) {
            if (r.ok) {
              sent += 1;
              app.setAttribute("data-sent", String(sent));
              if (item.kind === "finding") { markSynced(item.body.client_uuid); }
              return removeItem(item.seq).then(function () { return true; });
            }
            if (r.status === 401 || r.status === 403) { setMsg(msg("expired")); return false; }
            if (r.status >= 500 || r.status === 408 || r.status === 429) { return false; }
            // refused for good (bad input): keep it visible, do not block the rest of the queue
            return r.json().catch(function () { return {}; }).then(function (b) {
              item.failed = true; item.error = (b && ENGLISH && b.detail_en) ? String(b.detail_en) : (b && b.detail) ? String(b.detail) : String(r.status);
              if (item.kind === "finding") {
                var l = loadList();
                l.forEach(function (f) { if (f.id === item.body.client_uuid) { f.error = item.error; } });
                saveList(l); renderList();
              }
              return putItem(item).then(function () { return true; });
            });
          }, function () { return false; });  // network error: stop, retry later
        });
      });
      return chain;
    }).then(function () {
      return refreshCount();
    }).then(function (pending) {
      setMsg(pending ? msg("left", { n: pending }) : msg("all-sent"));
    }).finally(function () {
      syncing = false;
      app.setAttribute("data-sync", "idle");
    });
  }

  function setNet() {
    var on = navigator.onLine;
    var el = $("net-status");
    el.textContent = on ? msg("online") : msg("offline-status");
    el.setAttribute("data-online", on ? "1" : "0");
  }
  window.addEventListener("online", function () { setNet(); sync(); });
  window.addEventListener("offline", function () { setNet(); setMsg(msg("offline")); });
  $("sync-now").addEventListener("click", function () { sync(); });
  setInterval(function () { if (navigator.onLine) { sync(); } }, 20000);

  // ------------------------------------------------------------ map pick
  var map = null, marker = null;
  function roadById(id) { return ROADS.filter(function (r) { return r.road_id === id; })[0]; }
  function setPos(lat, lon, how) {
    $("lat").value = lat.toFixed(6); $("lon").value = lon.toFixed(6);
    $("pos-text").textContent = msg("pos", { how: how, lon: lon.toFixed(5), lat: lat.toFixed(5) });
    if (map) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.marker([lat, lon]).addTo(map); }
    }
  }
  function showMap(road) {
    var el = $("pick-map");
    if (typeof L === "undefined" || !road) { el.setAttribute("data-state", "nomap"); return; }
    if (map) { map.remove(); map = null; marker = null; }
    map = L.map(el, { attributionControl: false, zoomControl: true });
    var layers = [];
    if (road.zone) { layers.push(L.geoJSON(road.zone, { style: { color: "#f08c00", weight: 1, fillOpacity: 0.25 } })); }
    if (road.land) { layers.push(L.geoJSON(road.land, { style: { color: "#868e96", weight: 1, fillOpacity: 0.2 } })); }
    var line = L.geoJSON(road.line, { style: { color: "#1f4e8c", weight: 3 } });
    layers.push(line);
    layers.forEach(function (l) { l.addTo(map); });
    map.fitBounds(line.getBounds(), { padding: [10, 10] });
    map.on("click", function (e) { setPos(e.latlng.lat, e.latlng.lng, msg("map-pick")); });
    el.setAttribute("data-state", "ready");
  }
  $("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { setMsg(msg("no-geo")); return; }
    $("pos-text").textContent = msg("locating");
    navigator.geolocation.getCurrentPosition(function (p) {
      setPos(p.coords.latitude, p.coords.longitude, msg("located"));
      if (map) { map.setView([p.coords.latitude, p.coords.longitude], 17); }
    }, function () { $("pos-text").textContent = msg("locate-failed"); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  // ------------------------------------------------------------ photos (downscaled to ≤ 1280 px JPEG)
  var photos = [];
  function shrink(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var k = Math.min(1, 1280 / Math.max(img.width, img.height));
        var c = document.createElement("canvas");
        c.width = Math.round(img.width * k); c.height = Math.round(img.height * k);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        resolve(c.toDataURL("image/jpeg", 0.8));
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error(msg("not-image"))); };
      img.src = url;
    });
  }
  $("photos").addEventListener("change", function (e) {
    var files = Array.prototype.slice.call(e.target.files || [], 0, 6);
    Promise.all(files.map(shrink)).then(function (urls) {
      photos = urls;
      var box = $("photo-preview");
      box.innerHTML = "";
      urls.forEach(function (u) { var i = document.createElement("img"); i.src = u; i.alt = ""; box.appendChild(i); });
    }, function (err) { setMsg(msg("photo-failed", { error: err.message })); });
  });

  // ------------------------------------------------------------ patrol lifecycle
  function active() { try { return JSON.parse(localStorage.getItem(ACTIVE_KEY) || "null"); } catch (e) { return null; } }
  function show() {
    var a = active();
    $("start-panel").hidden = !!a;
    $("patrol-panel").hidden = !a;
    if (a) {
      var road = roadById(a.road_id);
      $("patrol-road").textContent = road ? road.label : a.road_id;
      $("patrol-since").textContent = msg("since", { time: a.started_at.slice(11, 16) });
      showMap(road);
    }
    renderList();
    app.setAttribute("data-state", a ? "patrolling" : "idle");
  }

  $("start-patrol").addEventListener("click", function () {
    var roadId = $("road").value;
    if (!roadId) { return; }
    var a = { uuid: uuid(), road_id: roadId, started_at: nowIso() };
    localStorage.setItem(ACTIVE_KEY, JSON.stringify(a));
    saveList([]);
    enqueue({ kind: "patrol", url: "/api/roads/patrols",
              body: { client_uuid: a.uuid, road_id: roadId, started_at: a.started_at } }).then(sync);
    show();
  });

  $("save-finding").addEventListener("click", function () {
    var a = active();
    if (!a) { return; }
    var lon = parseFloat($("lon").value), lat = parseFloat($("lat").value);
    if (isNaN(lon) || isNaN(lat)) { setMsg(msg("need-pos")); return; }
    var cat = $("category");
    var f = { client_uuid: uuid(), patrol_uuid: a.uuid, category: cat.value, lon: lon, lat: lat,
              note: $("note").value || "", recorded_at: nowIso(), photos: photos.slice() };
    var l = loadList();
    l.push({ id: f.client_uuid, label: cat.options[cat.selectedIndex].text, time: f.recorded_at,
             photos: f.photos.length, synced: false });
    saveList(l);
    renderList();
    enqueue({ kind: "finding", url: "/api/roads/findings", body: f }).then(function () {
      $("note").value = ""; $("photos").value = ""; $("photo-preview").innerHTML = ""; photos = [];
      setMsg(navigator.onLine ? msg("saved") : msg("saved-offline"));
      return sync();
    });
  });

  $("end-patrol").addEventListener("click", function () {
    var a = active();
    if (!a) { return; }
    enqueue({ kind: "end", url: "/api/roads/patrols/" + a.uuid + "/end", body: { ended_at: nowIso() } }).then(sync);
    localStorage.removeItem(ACTIVE_KEY);
    show();
  });

  // ------------------------------------------------------------ start
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/roads/patrol-sw.js", { scope: "/roads/" }).then(function () {
      app.setAttribute("data-sw", "registered");
    }, function () { app.setAttribute("data-sw", "failed"); });
    // the worker cannot read this page: hand it the text of its offline fallback page in the interface language
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) {
        reg.active.postMessage({ type: "patrol-texts", lang: ENGLISH ? "en" : "zh-CN", noCache: msg("no-cache") });
      }
    }).catch(function () { /* the worker keeps its bilingual fallback */ });
  }
  setNet();
  show();
  refreshCount().then(function () { return sync(); });
})();
