/* zhifa: small glue shared by every page (no inline scripts: the CSP allows only 'self'). */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  // htmx: send the CSRF token with every non-GET request.
  document.addEventListener("htmx:configRequest", function (evt) {
    var verb = (evt.detail.verb || "get").toUpperCase();
    if (verb !== "GET" && token) { evt.detail.headers["X-CSRF-Token"] = token; }
  });

  // fetch() helper for page scripts: same-origin, CSRF header, JSON.
  window.zhifa = window.zhifa || {};
  window.zhifa.csrfToken = token;
  window.zhifa.fetchJSON = function (url, opts) {
    opts = opts || {};
    opts.credentials = "same-origin";
    opts.headers = Object.assign({ "Accept": "application/json" }, opts.headers || {});
    var method = (opts.method || "GET").toUpperCase();
    if (method !== "GET" && token) { opts.headers["X-CSRF-Token"] = token; }
    if (opts.json !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(opts.json);
      delete opts.json;
    }
    return fetch(url, opts).then(function (r) {
      if (r.status === 401) { window.location.href = "/login?next=" + encodeURIComponent(location.pathname); }
      if (!r.ok) { return r.json().then(function (b) { throw new Error(b.detail || r.statusText); }); }
      return r.json();
    });
  };
  window.zhifa.lang = document.documentElement.getAttribute("lang") === "en" ? "en" : "zh";

  // Province and city outlines behind a Leaflet map's markers (the offline maps have no tile layer);
  // a map without them still works.
  window.zhifa.addOutlines = function (map) {
    return window.zhifa.fetchJSON("/api/map/outlines").then(function (gj) {
      L.geoJSON(gj, { interactive: false, style: function (f) {
        var prov = f.properties && f.properties.level === "province";
        return { color: prov ? "#14386b" : "#8aa0bf", weight: prov ? 2 : 1, fillColor: "#f4f7fb", fillOpacity: 0.7 };
      } }).addTo(map).bringToBack();
    }).catch(function () { /* the map still works without outlines */ });
  };

  // Mobile navigation toggle.
  var btn = document.querySelector("[data-nav-toggle]");
  if (btn) {
    btn.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("click", function (e) {
      if (!document.body.classList.contains("nav-open")) { return; }
      if (e.target.closest("#sidenav") || e.target.closest("[data-nav-toggle]")) { return; }
      document.body.classList.remove("nav-open");
      btn.setAttribute("aria-expanded", "false");
    });
  }
})();
