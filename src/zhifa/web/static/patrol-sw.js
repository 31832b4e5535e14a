/* zhifa — service worker of the handheld patrol page (served at /roads/patrol-sw.js, scope /roads/).
 * The page is fetched network-first (fresh CSRF token and road list when online) and falls back to the
 * cached copy offline; its static assets are served cache-first. API calls are never intercepted: the
 * page's own IndexedDB queue sends them when the network is back.
 * The worker cannot read the page: patrol.js posts it the text of the offline fallback page in the interface
 * language, kept in the cache under TEXTS (a cache key only, never requested); until then the fallback is
 * bilingual. */
"use strict";
var CACHE = "zhifa-patrol-v2";  // a new name whenever a cached asset changes: the assets are served cache-first
var PAGE = "/roads/patrol";
var TEXTS = "/roads/patrol-sw/texts.json";
var NO_CACHE = { lang: "zh-CN", noCache: "离线且无缓存 / Offline and not cached" };
var ASSETS = [
  PAGE,
  "/roads/patrol.css",
  "/static/css/app.css",
  "/static/js/app.js",
  "/static/js/patrol.js",
  "/static/vendor/htmx/htmx.min.js",
  "/static/vendor/leaflet/leaflet.js",
  "/static/vendor/leaflet/leaflet.css",
  "/static/vendor/leaflet/images/marker-icon.png",
  "/static/vendor/leaflet/images/marker-icon-2x.png",
  "/static/vendor/leaflet/images/marker-shadow.png",
  "/static/img/emblem.svg",
  "/static/img/favicon.svg"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(ASSETS.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) { return cache.put(url, r); }
          return null;
        }).catch(function () { return null; });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("zhifa-patrol-") === 0 && k !== CACHE; })
        .map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, function (ch) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
  });
}

self.addEventListener("message", function (event) {
  var d = event.data || {};
  if (d.type !== "patrol-texts" || typeof d.noCache !== "string" || !d.noCache) { return; }
  var texts = { lang: d.lang === "en" ? "en" : "zh-CN", noCache: d.noCache.slice(0, 200) };
  event.waitUntil(caches.open(CACHE).then(function (c) {
    return c.put(TEXTS, new Response(JSON.stringify(texts), { headers: { "Content-Type": "application/json" } }));
  }));
});

function offlinePage() {
  return caches.match(TEXTS).then(function (hit) {
    return hit ? hit.json() : NO_CACHE;
  }).catch(function () { return NO_CACHE; }).then(function (t) {
    var body = '<!doctype html><html lang="' + escapeHtml(t.lang || "zh-CN") + '"><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1"><h1>' + escapeHtml(t.noCache || NO_CACHE.noCache) + "</h1>";
    return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (url.pathname === PAGE) {
    event.respondWith(
      fetch(req).then(function (r) {
        if (r.ok && !r.redirected) {
          var copy = r.clone();
          caches.open(CACHE).then(function (c) { c.put(PAGE, copy); });
        }
        return r;
      }).catch(function () {
        return caches.match(PAGE).then(function (hit) {
          return hit || offlinePage();
        });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/roads/patrol.css") {
    event.respondWith(
      caches.match(req, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(req).then(function (r) {
          if (r.ok) { var copy = r.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
          return r;
        });
      })
    );
  }
});
