// The site's one service worker, with two jobs.
//
// Isolation on hosts that cannot send headers (GitHub Pages, say): it re-serves the site's
// own responses with COOP/COEP (and Document-Isolation-Policy), so after one reload the page
// is cross-origin isolated and can use SharedArrayBuffer and wasm threads. Same idea as
// github.com/gzuidhof/coi-serviceworker.
//
// Offline after the first visit: it keeps a copy of every file of this build (SHELL), under
// a cache named for the build (VERSION); a new build is a new sw.js, whose copy replaces the
// old one. The network always comes first, so an online visit sees the newest files. The
// Python runtime (pyodide/, 13 MB) is not in SHELL: the Python panel loads it when opened,
// and a copy of each of its files is kept then, in a cache that outlives builds (RUNTIME).
//
// The page registers it wherever it may (www/platform/isolation.js).

// build.sh writes these two lines for each build.
const VERSION = "dev";
const SHELL = [];
const CACHE = `pp-${VERSION}`;
const RUNTIME = "pp-python-runtime";
const RUNTIME_PATH = new URL("pyodide/", self.location.href).pathname;

self.addEventListener("install", (event) => {
  // File by file: one that fails to copy costs the offline copy that file, never isolation.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.allSettled(SHELL.map((path) => cache.add(path))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((n) => n.startsWith("pp-") && n !== CACHE && n !== RUNTIME)
            .map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  // Chromium throws on these when a service worker touches them (crbug.com/823392).
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request, event));
});

async function respond(request, event) {
  const runtime = new URL(request.url).pathname.startsWith(RUNTIME_PATH);
  let response;
  let fromCache = false;
  try {
    response = await fetch(request);
    // WebKit hands a worker's script request to the service worker with its own cache's
    // validators on it (If-Modified-Since), so the server answers 304 Not Modified: no body
    // to serve, and every other worker failed to start. Ask once more without them.
    if (response.status === 304) {
      response = await fetch(request.url, { cache: "no-store", credentials: request.credentials });
    }
  } catch (offline) {
    // The page's own address carries its settings (?workload=…): any query is the same page.
    const cached = await caches.match(request, {
      cacheName: runtime ? RUNTIME : CACHE,
      ignoreSearch: request.mode === "navigate",
    });
    if (!cached) throw offline;
    response = cached;
    fromCache = true;
  }
  if (runtime && response.ok && !fromCache) {
    const copy = response.clone();
    event.waitUntil(caches.open(RUNTIME).then((cache) => cache.put(request, copy)));
  }
  if (response.status === 0) return response; // opaque: nothing to add to
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  headers.set("Document-Isolation-Policy", "isolate-and-credentialless");
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
