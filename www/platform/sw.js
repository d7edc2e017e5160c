// Cross-origin isolation for hosts that cannot send headers (GitHub Pages, say). This worker
// re-serves the site's own responses with COOP/COEP, so after one reload the page is
// cross-origin isolated and can use SharedArrayBuffer and wasm threads. The page registers
// it only when it is not isolated already (www/platform/isolation.js). Same idea as
// github.com/gzuidhof/coi-serviceworker.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const { request } = event;
  // Chromium throws on these when a service worker touches them (crbug.com/823392).
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then(async (response) => {
      if (response.status === 0) return response; // opaque: nothing to add to
      // WebKit hands a worker's script request to the service worker with its own cache's
      // validators on it (If-Modified-Since), so the server answers 304 Not Modified: no body
      // to serve, and every other worker failed to start. Ask once more without them.
      if (response.status === 304) {
        response = await fetch(request.url, {
          cache: "no-store",
          credentials: request.credentials,
        });
      }
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
    }),
  );
});
