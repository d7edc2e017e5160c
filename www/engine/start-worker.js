// Starts a module worker wherever this page runs. A frame sandboxed without allow-same-origin
// (WordPress's oEmbed frame) has an opaque origin, and there browsers refuse `new Worker(url)`
// for any http(s) URL ("cannot be accessed from origin 'null'"). Measured in such a frame
// (Chromium 156, Firefox ESR 153, WebKitGTK 2.50): a module worker from a blob: URL fails in
// Chromium and WebKit, even a classic one from a blob: URL fails in WebKit, and a classic
// worker from a data: URL starts in all three. Its dynamic import() loads the real module by
// its absolute URL as a CORS request (the site sends Access-Control-Allow-Origin: *), so that
// module's import.meta.url, and every path it derives, stay the real ones, and a compiled
// WebAssembly.Module still crosses to it. Messages that arrive while the import is under way
// are held and handed over once it is done: the import settles in the same task as the module's
// evaluation, which installs its own listener (no worker module awaits at its top level), so
// no message reaches both. (The policy's worker-src allows data: for this.)

/** The worker's body for `href`: import it, holding early messages until its listener exists. */
const wrapper = (href) => `"use strict";
const early = [];
const hold = (event) => early.push(event);
self.addEventListener("message", hold);
import(${JSON.stringify(href)}).then(
  () => {
    self.removeEventListener("message", hold);
    for (const { data, ports } of early) {
      self.dispatchEvent(new MessageEvent("message", { data, ports: [...ports] }));
    }
  },
  (error) => setTimeout(() => { throw error; }),
);
`;

/** `new Worker(url, {type: "module", ...options})`, or its stand-in in an opaque origin. */
export function startWorker(url, options = {}) {
  // An opaque origin (engine/ does not reach up to platform/isolation.js's isOpaque).
  if (globalThis.origin !== "null") return new Worker(url, { ...options, type: "module" });
  const source = `data:text/javascript,${encodeURIComponent(wrapper(String(url)))}`;
  return new Worker(source, { ...options, type: "classic" });
}
