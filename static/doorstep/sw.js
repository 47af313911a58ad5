// Service worker for the doorstep pages, served at /sw.js (root scope) by the app, which puts
// `VERSION` (a hash of the app shell) and `SHELL` (its URLs) above this file.
/* global VERSION, SHELL */

const SHELL_CACHE = `doorstep-shell-${VERSION}`;
// Pages and API answers the volunteer has opened: kept across versions, cleared at logout.
const DATA_CACHE = "doorstep-data-v1";
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("doorstep-shell-") && k !== SHELL_CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

function isData(url) {
  return (
    url.pathname.startsWith("/doorstep/") ||
    url.pathname === "/api/v1/parties/" ||
    url.pathname === "/api/v1/me/" ||
    // A list's changes since a token are asked for fresh each time, never kept (static/doorstep/walk.js).
    (url.pathname.startsWith("/api/v1/walk-lists/") && !url.pathname.endsWith("/changes/")) ||
    // Polling day: the teller's page and a knock-up round, kept like a walk list (static/polling/offline.js).
    url.pathname.startsWith("/polling/stations/") ||
    url.pathname.startsWith("/polling/rounds/") ||
    url.pathname.startsWith("/api/v1/polling/rounds/") ||
    url.pathname.startsWith("/static/polling/")
  );
}

function cacheable(response) {
  // Never keep a login redirect or an error in place of the page.
  return response && response.ok && !response.redirected && response.type === "basic";
}

// Network first, so the volunteer sees today's list when there is signal; the last good copy otherwise.
// A kept page or list is asked for with its validator: unchanged, the server answers 304 after a check
// (no rebuild, no body) and the kept copy is shown as it is.
async function fetchFresh(request, cache) {
  const kept = await cache.match(request, { ignoreVary: true });
  const etag = kept && kept.headers.get("ETag");
  if (!etag) return { response: await fetch(request), kept: false };
  const headers = new Headers(request.headers);
  headers.set("If-None-Match", etag);
  const response = await fetch(request.url, { headers, credentials: "same-origin", redirect: request.redirect });
  return response.status === 304 ? { response: kept, kept: true } : { response, kept: false };
}

async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  const network = fetchFresh(request, cache).then(async ({ response, kept }) => {
    if (!kept && cacheable(response)) await cache.put(request, response.clone());
    return response;
  });
  network.catch(() => null); // a late failure after the cached copy was served is not an error
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch (error) {
    // Offline: fall through to the cached copy.
  }
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  try {
    return await network;
  } catch (error) {
    if (request.mode === "navigate") {
      const shell = await caches.open(SHELL_CACHE);
      const offline = await shell.match("/doorstep/offline/");
      if (offline) return offline;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function forgetData() {
  await caches.delete(DATA_CACHE);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    // The next person to hold this phone must not find this volunteer's lists in the cache.
    event.waitUntil(forgetData());
    return;
  }
  if (request.method === "POST" && url.pathname === "/accounts/login/") {
    // Someone is signing in: whoever used this phone before must not leave their lists to them.
    event.waitUntil(forgetData());
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (isData(url)) {
    event.respondWith(networkFirst(request));
  }
});

// A page opened before this worker took control asks for itself (and its API data) to be kept.
self.addEventListener("message", (event) => {
  const { type, urls } = event.data || {};
  if (type !== "keep" || !Array.isArray(urls)) return;
  event.waitUntil(
    caches.open(DATA_CACHE).then((cache) =>
      Promise.all(
        urls
          .filter((u) => isData(new URL(u, self.location.origin)))
          .map((u) =>
            fetch(u, { credentials: "same-origin" })
              .then((response) => (cacheable(response) ? cache.put(u, response) : null))
              .catch(() => null),
          ),
      ).then(() => event.source && event.source.postMessage({ type: "kept", urls })),
    ),
  );
});
