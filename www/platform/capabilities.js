// What this browser, on this host, can do: measured once at start-up, shown in the
// capability panel, and used to enable each mode or say why it cannot run.
import { isOpaque } from "./isolation.js";

// The smallest modules that use a feature: WebAssembly.validate says whether it is supported.
// Shared memory plus one atomic load (as in wasm-feature-detect):
const THREADS = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65,
  0, 254, 16, 2, 0, 26, 11,
]);
// One empty try_table block: exception handling as the threads flavour's panics need it.
const EXCEPTIONS = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 31, 64, 0, 11, 11,
]);

function wasmThreads() {
  if (!WebAssembly.validate(THREADS)) return false;
  try {
    // Shared memories need SharedArrayBuffer, which needs cross-origin isolation.
    return (
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof
      SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

function moduleWorkers() {
  // A browser that supports module workers reads the `type` option; one that does not, doesn't.
  let read = false;
  const url = URL.createObjectURL(new Blob([""], { type: "text/javascript" }));
  try {
    new Worker(url, {
      get type() {
        read = true;
        return "module";
      },
    }).terminate();
  } catch {
    // Not supported at all.
  } finally {
    URL.revokeObjectURL(url);
  }
  return read;
}

/** The smallest step performance.now() takes here, in ms (coarsened without isolation). */
function timerResolution() {
  let smallest = Infinity;
  let last = performance.now();
  let steps = 0;
  const deadline = last + 50;
  while (steps < 50) {
    const t = performance.now();
    if (t > deadline) break;
    if (t !== last) {
      smallest = Math.min(smallest, t - last);
      last = t;
      steps += 1;
    }
  }
  return smallest;
}

/** Runs a probe; a probe that throws (a denied feature, say) counts as `fallback`. */
function probe(check, fallback = false) {
  try {
    return check();
  } catch {
    return fallback;
  }
}

export function detect(isolation) {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    isolatedBy: isolation.isolated ? isolation.how : null,
    isolationReason: isolation.reason ?? null,
    isolationDeclined: Boolean(isolation.declined),
    framed: Boolean(isolation.framed),
    // A frame sandboxed without allow-same-origin (WordPress's oEmbed frame).
    opaqueOrigin: isOpaque(),
    storage: Boolean(isolation.storage),
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    wasmThreads: probe(wasmThreads),
    wasmExceptions: probe(() => WebAssembly.validate(EXCEPTIONS)),
    moduleWorkers: probe(moduleWorkers),
    // Decided once, by isolation.js, which also knows a frame may be denied them.
    serviceWorker: isolation.serviceWorker,
    serviceWorkerWhy: isolation.serviceWorkerWhy ?? null,
    timerResolutionMs: probe(timerResolution, Infinity),
    hardwareConcurrency: probe(() => navigator.hardwareConcurrency ?? null, null),
  };
}

/** Whether each mode can run here: true, or the one-line reason it cannot. */
export function modeSupport(caps) {
  let threads = true;
  if (!caps.moduleWorkers) threads = "threads need module workers, which this browser lacks";
  else if (!caps.crossOriginIsolated) {
    threads = `threads need cross-origin isolation: ${caps.isolationReason ?? "this page is not isolated"}`;
  } else if (!caps.sharedArrayBuffer) {
    // Isolated, and still no SharedArrayBuffer: the browser itself withholds it (WebKitGTK
    // does unless started with JSC_useSharedArrayBuffer=1).
    threads =
      "this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, which threads share memory through";
  } else if (!caps.wasmThreads) threads = "this browser cannot run WebAssembly threads";
  else if (caps.opaqueOrigin) {
    // Measured in Chromium 156: a module worker from a blob: URL never loads in an opaque
    // origin, and that is how wasm-bindgen-rayon's helper starts each thread.
    threads =
      "this frame is sandboxed without allow-same-origin (as WordPress's embeds are), and there the browser starts no module worker from a blob: URL, which is how the thread pool starts each thread";
  } else if (!caps.wasmExceptions) {
    threads =
      "this browser lacks WebAssembly exception handling, which the thread build uses to catch panics";
  }
  // Pyodide loads as an ES module, so only in a module worker; a program blocks on shared
  // memory while it waits for its processes (engine/mailbox.js).
  const python = caps.moduleWorkers
    ? true
    : "Python needs module workers, which this browser lacks";
  let pythonProcesses = python;
  if (python === true && !caps.crossOriginIsolated) {
    pythonProcesses = `the program waits for its processes on shared memory, which needs this page cross-origin isolated: ${caps.isolationReason ?? "it is not"}`;
  } else if (python === true && !caps.sharedArrayBuffer) {
    pythonProcesses =
      "this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, on which the program waits for its processes";
  }
  return {
    main: true,
    process: caps.moduleWorkers
      ? true
      : "the process pool needs module workers, which this browser lacks",
    threads,
    python,
    pythonProcesses,
  };
}
