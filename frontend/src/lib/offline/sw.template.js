// Brug's service worker: the app shell only. It keeps the built files of the
// staff app (listed at build time) so that a reload without network shows the
// app, not the browser's error page. It never stores an /api/ answer, a
// public page or anything personal: the CHW's offline data is in IndexedDB,
// wiped at logout (see README, "Offline use and the lost-phone threat model").
const VERSION = '__VERSION__';
const SHELL = __SHELL__;
const CACHE = 'brug-shell-' + VERSION;
// The page every staff route is: index.html as the server sends it for /login.
const START = '/login';
// Staff routes of the SPA (nav.ts): only these fall back to the shell.
const APP = /^\/(login|today|caseload|clients|appointments|tasks|group-sessions|providers|reports|team|intake|coaching|targets|dashboard|research|admin|account)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll([START, ...SHELL])).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('brug-shell-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (req.mode === 'navigate') {
    if (!APP.test(url.pathname)) return;
    // Online the server answers (fresh index.html); offline the kept shell.
    event.respondWith(fetch(req).catch(() => caches.open(CACHE).then((c) => c.match(START)).then((r) => r ?? Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // Hashed, immutable files: the kept copy first.
    event.respondWith(caches.open(CACHE).then((c) => c.match(url.pathname)).then((r) => r ?? fetch(req)));
  }
});
