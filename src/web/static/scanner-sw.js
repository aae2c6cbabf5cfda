// The door scanner's service worker (served at /{fr,en}/staff/scanner-sw.js, scope the scanner page).
// Keeps the scanner page and its assets so the door keeps working without a network: the network
// first, the copy kept here when the network is down. The day's list and the arrivals are kept by
// the page itself (IndexedDB), never here.
/* global self, caches */

const CACHE = 'guichet-scanner-v1';
const ASSETS = ['/static/guichet.css', '/static/guichet.js', '/static/passes.css', '/static/scanner.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .catch(() => {})
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('guichet-scanner-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** One kept copy per session's page: the result of a check (in the address) is not kept. */
function pageKey(url) {
  const key = new URL(url.pathname, url.origin);
  const session = url.searchParams.get('session');
  if (session) key.searchParams.set('session', session);
  return key.toString();
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const kept = (await cache.match(key)) ?? (await cache.match(key, { ignoreSearch: true }));
    if (kept) return kept;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope).pathname;
  if (request.mode === 'navigate' && url.pathname === scope) {
    event.respondWith(networkFirst(request, pageKey(url)));
  } else if (ASSETS.includes(url.pathname) || url.pathname.endsWith('/staff/scanner/jsqr.js')) {
    event.respondWith(networkFirst(request, url.toString()));
  }
});
