// Starting workers: how (a module worker wherever this page runs), in what order, and how
// long a start may go unheard before it counts as lost.
import { ALIVE_MS } from "./protocol.js";
import { now } from "./measure.js";

// A module worker wherever this page runs. A frame sandboxed without allow-same-origin
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

/**
 * How long a starting worker, once heard, may go without saying it is alive (it says so every
 * ALIVE_MS) before its start counts as stuck. Firefox ESR sometimes freezes a worker for good
 * inside `new Worker()` when that worker spawns workers of its own (the thread pool's host,
 * about 1 start in 20 here); a start that takes 1 s at most is then known lost in 4 s, not 15.
 */
export const START_SILENCE_MS = 4000;

/**
 * How long a new worker may take to say its first word: its script and the modules it imports
 * loading, before any of its code runs. A second or two on a slow connection; a worker still
 * silent after this will not answer (a host that blocks its script, a browser that froze it
 * in `new Worker()`), and the start fails with why rather than wait for ever.
 */
export const FIRST_WORD_MS = 30_000;

/**
 * Whether this page must start its workers one after another. WebKit (WebKitGTK 2.50 here),
 * when a service worker serves the page, loses every worker script but the first few requested
 * at once: the rest never reach the service worker and fail to load. There the pool starts
 * its workers in turn (slower to start, never broken); elsewhere all at once, so a pool of N
 * starts in about the time of one. The loss cannot be probed without losing a worker, so the
 * engine is told by its user agent: WebKit, but not Chromium (whose string also says
 * AppleWebKit).
 */
export function startsWorkersOneByOne() {
  try {
    const ua = globalThis.navigator?.userAgent ?? "";
    const webkit = /AppleWebKit/.test(ua) && !/Chrome\/|Chromium\//.test(ua);
    return webkit && Boolean(globalThis.navigator?.serviceWorker?.controller);
  } catch {
    return false; // a frame denied storage may not even ask
  }
}

/**
 * Watches one worker's start. Before its script has loaded, a worker cannot say anything: its
 * first word may take up to `firstWordMs`; after it, silences longer than `startSilenceMs`
 * mean it is stuck (serve.js has it say it is alive every ALIVE_MS). Returns {heard(): call on
 * each word, silent: rejects with a TimeoutError naming `who` when the start is lost,
 * stop(): ends the watch}.
 */
export function watchStart(who, { startSilenceMs, firstWordMs }) {
  let heard = false;
  let since = now();
  let tick = now();
  let watch;
  const silent = new Promise((_, reject) => {
    watch = setInterval(() => {
      // A late tick means the page itself was busy, and the worker's news waited with it.
      if (now() - tick > 2 * ALIVE_MS) since = now();
      tick = now();
      if (now() - since < (heard ? startSilenceMs : firstWordMs)) return;
      const seconds = Math.round((now() - since) / 1000);
      const what = heard
        ? `stopped answering as it started (silent ${seconds} s)`
        : `never answered as it started: its script did not run in ${seconds} s`;
      reject(new DOMException(`${who} ${what}`, "TimeoutError"));
    }, ALIVE_MS);
  });
  return {
    heard: () => {
      heard = true;
      since = now();
    },
    silent,
    stop: () => clearInterval(watch),
  };
}
