// The site's one service worker, with two jobs.
//
// Isolation on hosts that cannot send headers (GitHub Pages, say): it re-serves the site's
// own responses with COOP/COEP (and Document-Isolation-Policy), so after one reload the page
// is cross-origin isolated and can use SharedArrayBuffer and wasm threads. Same idea as
// github.com/gzuidhof/coi-serviceworker.
//
// Offline after the first visit: it keeps a copy of every file of this build (FILES), under
// a cache named for the build (VERSION); a new build is a new sw.js, whose copy replaces the
// old one. The network always comes first, so an online visit sees the newest files. The
// Python runtime (pyodide/, 13 MB) is not in FILES: the Python panel loads it when opened,
// and a copy of each of its files is kept then, in a cache that outlives builds (RUNTIME).
//
// One build, never two: every request it makes skips the HTTP cache (GitHub Pages lets
// browsers keep a file for 10 minutes, so a new build's copy could otherwise hold the old
// build's files), and a file enters or leaves a cache only if its SHA-256 is the one this
// build lists for it. Pages can write to the Cache API too (Pyodide's `js` module reaches
// it), so a planted entry is refused, never served.
//
// It works from any folder: its scope is the folder it sits in (a GitHub Pages project site
// lives under /repo/). The page registers it wherever it may (www/platform/isolation.js).

// build.sh (tools/stamp.mjs) writes these three lines for each build: the build's hash, and
// each file's SHA-256 by its path from this folder ("./" is the page itself).
const VERSION = "dev";
const FILES = {};
const RUNTIME_FILES = {};
const CACHE = `pp-${VERSION}`;
const RUNTIME = "pp-python-runtime";
const SCOPE = new URL("./", self.location.href);
/**
 * The runtime's files this worker has kept since it started. Every interpreter loads the
 * runtime, and keeping a copy means hashing and storing up to 9.6 MB: once is enough. (A
 * page could still replace a kept copy; fromCache hashes whatever it would serve.)
 */
const keptRuntime = new Set();

self.addEventListener("install", (event) => {
  // File by file: one that fails to copy costs the offline copy that file, never isolation.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.allSettled(
          Object.entries(FILES).map(async ([path, hash]) => {
            const url = new URL(path, SCOPE);
            // "reload": from the server itself, past the HTTP cache and its old copies.
            const response = await fetch(url, { cache: "reload" });
            if (response.ok && (await digest(response.clone())) === hash) {
              await cache.put(url, response);
            }
          }),
        ),
      )
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
  if (!request.url.startsWith(SCOPE.href)) return;
  // Every request gets a response, a network error included: a service worker that throws
  // here makes Firefox report "intercepted the request and encountered an unexpected error"
  // (observed in Firefox ESR 153 by the offline suite, as a page that failed to load).
  event.respondWith(respond(request, event).catch(() => Response.error()));
});

/** This build's expected SHA-256 for `url` and the cache it belongs in, or null. */
function listed(url) {
  let path = decodeURIComponent(url.pathname.slice(SCOPE.pathname.length));
  if (path === "" || path === "index.html") path = "./";
  // The query is the page's settings (?workload=…): every query of a file is that file.
  const key = new URL(path, SCOPE);
  if (Object.hasOwn(FILES, path)) return { key, hash: FILES[path], cache: CACHE };
  if (Object.hasOwn(RUNTIME_FILES, path)) return { key, hash: RUNTIME_FILES[path], cache: RUNTIME };
  return null;
}

async function respond(request, event) {
  const navigate = request.mode === "navigate";
  const url = new URL(request.url);
  const file = request.method === "GET" ? listed(url) : null;
  let response;
  try {
    response = await fromNetwork(request, navigate);
  } catch (offline) {
    if (!file) throw offline;
    response = await fromCache(file);
    if (!response) throw offline;
    return withIsolation(response);
  }
  // The runtime is kept as it is loaded (it is not precached: 13 MB a first visit never needs).
  if (file?.cache === RUNTIME && response.ok && !keptRuntime.has(file.key.href)) {
    keptRuntime.add(file.key.href);
    const copy = response.clone();
    event.waitUntil(keep(file, copy).then((kept) => kept || keptRuntime.delete(file.key.href)));
  }
  return withIsolation(response);
}

/**
 * The network's answer, never the HTTP cache's unchecked copy ("no-cache" revalidates it). A
 * navigation's request cannot be given new options, so it is asked for again by URL (a
 * redirect is passed on as the browser would follow it), and without its query: the query is
 * the page's settings, which no static host reads, and hosts refuse a request line past a few
 * KB, so a long link would otherwise open an error page. (The page still reads its own
 * address: the response served here is a new one, so the document keeps the request's URL.)
 */
async function fromNetwork(request, navigate) {
  const page = new URL(request.url);
  page.search = "";
  const response = navigate
    ? await fetch(page, { cache: "no-cache", redirect: "manual" })
    : await fetch(request, { cache: "no-cache" });
  // WebKit hands a worker's script request to the service worker with its own cache's
  // validators on it (If-Modified-Since), so the server answers 304 Not Modified: no body
  // to serve, and every other worker failed to start (observed in WebKitGTK 2.50 by the
  // hosting suite, on a host without headers). Ask once more without them.
  if (response.status === 304) {
    return fetch(request.url, { cache: "no-store", credentials: request.credentials });
  }
  return response;
}

/** The kept copy of `file`, if it is this build's; a copy that is not is removed, not served. */
async function fromCache({ key, hash, cache: name }) {
  const cache = await caches.open(name);
  const kept = await cache.match(key);
  if (!kept) return null;
  if ((await digest(kept.clone())) === hash) return kept;
  await cache.delete(key);
  return null;
}

/** Keeps `response` as `file`'s copy if it is the file this build lists; says if it did. */
async function keep({ key, hash, cache: name }, response) {
  if ((await digest(response.clone())) !== hash) return false;
  await (await caches.open(name)).put(key, response);
  return true;
}

/** The SHA-256 of a response's body, as lowercase hex. */
async function digest(response) {
  const bytes = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `response` with the headers that isolate the page (and let any site embed the files). */
function withIsolation(response) {
  if (response.status === 0) return response; // opaque: nothing to add to
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  headers.set("Document-Isolation-Policy", "isolate-and-credentialless");
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
