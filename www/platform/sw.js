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
    fetch(request).then((response) => {
      if (response.status === 0) return response; // opaque: nothing to add to
      const headers = new Headers(response.headers);
      headers.set("Cross-Origin-Opener-Policy", "same-origin");
      headers.set("Cross-Origin-Embedder-Policy", "require-corp");
      headers.set("Cross-Origin-Resource-Policy", "same-origin");
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    }),
  );
});
