// The stall page's service worker, served from /stall/sw.js (pcn.redemptions.stall.service_worker), which
// puts `STALL` = {version, shell, manifest, static} above this text. It keeps the page, its script, style,
// icons and manifest, so that the page opens with no network. The API is never touched: the page keeps
// its own data in IndexedDB and decides what to do when a request fails.
"use strict";

var CACHE = "pcn-stall-" + STALL.version;
var SHELL_WAIT_MS = 4000; // a weak signal: after this, open the kept page rather than wait for the network
var KEPT = [STALL.shell, STALL.manifest].concat(STALL.static);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(KEPT);  // what the page just loaded comes from the HTTP cache, not a second download
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("pcn-stall-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === STALL.shell) {
    event.respondWith(networkFirst(request, STALL.shell));
  } else if (url.pathname === STALL.manifest || STALL.static.indexOf(url.pathname) !== -1) {
    event.respondWith(keptFirst(request, url.pathname));
  }
});

// The page itself: the network's copy when it answers in time (it may be in another language, or newer),
// else the kept one.
function networkFirst(request, key) {
  return caches.open(CACHE).then(function (cache) {
    return new Promise(function (resolve) {
      var settled = false;
      function answer(response) {
        if (!settled && response) {
          settled = true;
          resolve(response);
        }
      }
      function kept() { return cache.match(key, { ignoreSearch: true, ignoreVary: true }); }
      var timer = setTimeout(function () { kept().then(answer); }, SHELL_WAIT_MS);
      fetch(request).then(function (response) {
        clearTimeout(timer);
        if (response.ok && !response.redirected) cache.put(key, response.clone());
        answer(response);
      }, function () {
        clearTimeout(timer);
        kept().then(function (response) { answer(response || Response.error()); });
      });
    });
  });
}

// Script, style, icons, manifest: the kept copy at once, refreshed in the background for next time.
function keptFirst(request, key) {
  return caches.open(CACHE).then(function (cache) {
    var fresh = fetch(request).then(function (response) {
      if (response.ok) cache.put(key, response.clone());
      return response;
    });
    return cache.match(key, { ignoreSearch: true, ignoreVary: true }).then(function (response) {
      if (response) {
        fresh.catch(function () {});
        return response;
      }
      return fresh;
    });
  });
}
