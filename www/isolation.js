// Cross-origin isolation on any static host. Hosts that send COOP/COEP (./build.sh serve,
// Netlify and Cloudflare via _headers) are isolated from the start. Elsewhere (GitHub Pages)
// the page registers sw.js, which adds the headers to this site's own responses, and reloads
// once. If that cannot work (no service workers here, or isolation still missing after the
// reload) it says why instead of reloading again.

const SW_URL = new URL("../sw.js", import.meta.url);
const RELOADED = "pp-isolation-reload";
/** How long a service worker may take to start before the page gives up on it. */
const SW_TIMEOUT_MS = 4000;

/**
 * Resolves with {isolated, how, reason}: `how` is "headers" or "service worker" when isolated;
 * otherwise `reason` says why not. Resolves with {reloading: true} while the page reloads.
 * `?isolate=0` in the URL opts out of the service worker.
 */
export async function ensureIsolation() {
  if (globalThis.crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED);
    const how = navigator.serviceWorker?.controller ? "service worker" : "headers";
    return { isolated: true, how };
  }
  if (new URLSearchParams(location.search).get("isolate") === "0") {
    return {
      isolated: false,
      declined: true,
      reason: "isolation was switched off with ?isolate=0",
    };
  }
  if (!("serviceWorker" in navigator) || !isSecureContext) {
    return {
      isolated: false,
      reason:
        "this host does not send COOP/COEP, and service workers (the fallback) are unavailable here",
    };
  }
  if (sessionStorage.getItem(RELOADED)) {
    sessionStorage.removeItem(RELOADED);
    return {
      isolated: false,
      reason: "this host does not send COOP/COEP, and the service worker fallback did not take",
    };
  }
  try {
    await navigator.serviceWorker.register(SW_URL, { scope: new URL("..", SW_URL).pathname });
    // A blocked or broken worker may never become ready; the page must not wait forever.
    await Promise.race([
      navigator.serviceWorker.ready,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("it did not start")), SW_TIMEOUT_MS),
      ),
    ]);
  } catch (error) {
    return {
      isolated: false,
      reason: `this host does not send COOP/COEP, and the service worker fallback failed: ${error.message}`,
    };
  }
  sessionStorage.setItem(RELOADED, "1");
  location.reload();
  return { reloading: true };
}

/** A link to this page with the service worker allowed, for the "open an isolated copy" offer. */
export function isolatedCopyUrl() {
  const url = new URL(location.href);
  url.searchParams.delete("isolate");
  return url.href;
}
