/* The outreach page's service worker. It keeps the page, its script and styles, the icons and the saved
   answers (/offline.json), so that once visited the page opens and answers from what it saved with no network.
   Online, each of these is fetched fresh first and the saved copy replaced; questions always go to the network. */
"use strict";
var CACHE = "hrbot-offline-v1";
var SAVED = ["/", "/widget.js", "/static/page.css", "/offline.json", "/manifest.webmanifest",
  "/static/icon-192.png", "/static/icon-512.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SAVED);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || SAVED.indexOf(url.pathname) < 0) return;
  var key = url.pathname;
  event.respondWith(fetch(request, { cache: "no-cache" }).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (hit) { return hit || Response.error(); });
  }));
});
