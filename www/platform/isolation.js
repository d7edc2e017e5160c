// Cross-origin isolation on any static host. Hosts that send COOP/COEP (./build.sh serve,
// Netlify and Cloudflare via _headers) are isolated from the start. Elsewhere (GitHub Pages)
// the page registers sw.js, which adds the headers to this site's own responses, and reloads
// once. If that cannot work it says why, naming the real missing piece (found by probing, not
// assumed), instead of reloading again. Every probe is guarded: a frame that is denied
// storage or service workers throws on mere access, and the page must start anyway.

const SW_URL = new URL("../../sw.js", import.meta.url);
/** The service worker's scope: the folder it sits in, which is the site's root. */
const SCOPE = new URL("./", SW_URL).pathname;
const RELOADED = "pp-isolation-reload";
/** How long a service worker may take to start before the page gives up on it. */
const SW_TIMEOUT_MS = 4000;

/** sessionStorage, or null where this document may not use it (a third-party frame, say). */
function sessionStore() {
  try {
    const store = globalThis.sessionStorage;
    store?.getItem(RELOADED); // some browsers throw only on use
    return store ?? null;
  } catch {
    return null;
  }
}

/** The service worker container, or null with the reason it cannot be used here. */
function serviceWorkers() {
  try {
    if (!isSecureContext) return { container: null, why: "the page is not on HTTPS" };
    if (isOpaque()) {
      return {
        container: null,
        why: "this frame is sandboxed without allow-same-origin, and such a frame has none",
      };
    }
    if (!("serviceWorker" in navigator)) {
      // Firefox's private windows hide them; so do browsers set not to keep site data.
      return {
        container: null,
        why: "this browser offers none here (a private window, or site data turned off)",
      };
    }
    return { container: navigator.serviceWorker, why: null };
  } catch (error) {
    // Sandboxed or storage-less frames throw a SecurityError on mere access.
    return { container: null, why: `this frame may not use them (${error.name})` };
  }
}

/**
 * Whether this document has an opaque origin: a frame sandboxed without allow-same-origin
 * (WordPress's oEmbed frame). It has no storage and no service workers, and may start
 * workers only from blob: URLs (www/platform/worker.js).
 */
export function isOpaque() {
  return globalThis.origin === "null";
}

/** Whether the page is inside a frame (a blog's iframe, say). */
export function isFramed() {
  try {
    return window.top !== window.self;
  } catch {
    return true; // a cross-origin parent may not even be compared
  }
}

/** Whether this host sends COOP and COEP with the page itself (HEAD of the page's own URL). */
async function hostSendsHeaders() {
  try {
    const response = await fetch(location.href, { method: "HEAD", cache: "no-store" });
    return Boolean(
      response.headers.get("cross-origin-opener-policy") &&
      response.headers.get("cross-origin-embedder-policy"),
    );
  } catch {
    return null; // unknown
  }
}

/**
 * Resolves with {isolated, how, reason, framed, serviceWorker, serviceWorkerWhy, storage}:
 * `how` is "headers", "service worker" or, in a frame, "its own Document-Isolation-Policy"
 * when isolated; otherwise `reason` names what is missing; `serviceWorker` is whether this
 * document may use service workers at all (if not, `serviceWorkerWhy` says why); `storage`
 * whether it may use sessionStorage. Resolves with {reloading: true} while the page reloads.
 * `?isolate=0` in the URL opts out of the service worker, and removes one already there.
 */
export async function ensureIsolation() {
  const store = sessionStore();
  const framed = isFramed();
  const workers = serviceWorkers();
  const serviceWorker = Boolean(workers.container);
  const serviceWorkerWhy = workers.why;
  const storage = Boolean(store);
  if (declined() && workers.container && (await unregister(workers.container))) {
    // Still controlled by the worker just removed: one reload leaves it (no loop: the next
    // load finds nothing to remove).
    location.reload();
    return { reloading: true };
  }
  if (globalThis.crossOriginIsolated) {
    store?.removeItem(RELOADED);
    keepOfflineCopy(workers.container, framed);
    // A frame of an ordinary page is isolated only by its own Document-Isolation-Policy.
    const how = workers.container?.controller
      ? "service worker"
      : framed
        ? "its own Document-Isolation-Policy"
        : "headers";
    return { isolated: true, how, framed, serviceWorker, serviceWorkerWhy, storage };
  }
  const not = (reason, more = {}) => ({
    isolated: false,
    reason,
    framed,
    serviceWorker,
    serviceWorkerWhy,
    storage,
    ...more,
  });
  if (!isSecureContext) {
    return not("browsers isolate only secure pages, and this one is not served over HTTPS");
  }
  const why = await whyNotIsolated({ framed, workers, store });
  if (why) return not(why, why === DECLINED ? { declined: true } : {});
  store.setItem(RELOADED, "1");
  location.reload();
  return { reloading: true };
}

const DECLINED = "isolation was switched off with ?isolate=0";

/**
 * Why this page, not isolated, cannot be made so here, or null once the service worker that
 * will isolate it is ready (the page then reloads once). `workers`: serviceWorkers()'s answer;
 * `store`: sessionStorage, or null.
 */
async function whyNotIsolated({ framed, workers, store }) {
  const headers = await hostSendsHeaders();
  if (framed) {
    // COOP/COEP isolate a frame only if its parent is isolated too. Document-Isolation-Policy
    // (sent with the headers) isolates a frame on its own, but only in Chromium 137+.
    return headers
      ? 'this page is inside a frame, and this browser isolates a frame only when the page around it is isolated and allows it (allow="cross-origin-isolated"), or by the frame\'s own Document-Isolation-Policy (Chromium 137 and later)'
      : "this page is inside a frame, and this host does not send the headers that isolate it";
  }
  if (headers) return "this host sends COOP/COEP, yet the browser did not isolate the page";
  if (declined()) return DECLINED;
  if (!workers.container) {
    return `this host does not send COOP/COEP, and service workers (the fallback) are unavailable: ${workers.why}`;
  }
  if (!store) {
    // The one reload is guarded by sessionStorage; without it the page could reload forever.
    return "this host does not send COOP/COEP, and this page may not use storage, which the service-worker fallback needs to reload safely";
  }
  if (store.getItem(RELOADED)) {
    store.removeItem(RELOADED);
    return "this host does not send COOP/COEP, and the service worker fallback did not take";
  }
  try {
    await register(workers.container);
    // A blocked or broken worker may never become ready; the page must not wait forever.
    await Promise.race([
      workers.container.ready,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("it did not start")), SW_TIMEOUT_MS),
      ),
    ]);
  } catch (error) {
    return `this host does not send COOP/COEP, and the service worker fallback failed: ${error.message}`;
  }
  return null;
}

/**
 * Registers sw.js on an already isolated page too, for its other job: the offline copy. Not
 * in a frame (a blog's page is no place to leave a worker) nor after ?isolate=0, and without
 * waiting: the page needs nothing from it now.
 */
function keepOfflineCopy(container, framed) {
  if (!container || framed || declined()) return;
  // Registering again changes nothing for a worker already there, and the browser's own check
  // for a new sw.js on navigation may wait: asking on every visit makes a deploy take over at
  // the next one.
  register(container)
    .then((registration) => registration.update())
    .catch(() => {
      // No offline copy (or no newer one this time), and nothing else lost.
    });
}

/**
 * Registers sw.js for the whole site: its own folder, the site's root, wherever that is (a
 * GitHub Pages project site lives under /repo/, and a worker may not claim a scope above its
 * own folder). updateViaCache "none": a new build's sw.js is seen at once, never a copy the
 * HTTP cache kept (GitHub Pages lets it keep one for 10 minutes).
 */
function register(container) {
  return container.register(SW_URL, { scope: SCOPE, updateViaCache: "none" });
}

/**
 * Removes this site's service worker (`?isolate=0` promises a page without it); resolves
 * with whether this page was controlled by it.
 */
async function unregister(container) {
  try {
    const registration = await container.getRegistration(SCOPE);
    if (!registration) return false;
    await registration.unregister();
    return Boolean(container.controller);
  } catch {
    return false; // nothing this page can remove
  }
}

/** Whether this link opts out of the service worker (`?isolate=0`). */
function declined() {
  return new URLSearchParams(location.search).get("isolate") === "0";
}

/** A link to this page with the service worker allowed, for the "open an isolated copy" offer. */
export function isolatedCopyUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("isolate");
  return url.href;
}
