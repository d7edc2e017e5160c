// What both Python workers share: one Pyodide interpreter, started from the site's own copy of
// the runtime (build.sh copies npm's pyodide into dist/pyodide/; nothing comes from a CDN),
// with www/python/playground.py installed and a bridge (`_pp`) to this worker's JavaScript.
// Pyodide 314 is an ES module, so its workers are module workers.
import { loadPyodide } from "../../pyodide/pyodide.mjs";
import { now } from "../engine/measure.js";

const RUNTIME = new URL("../../pyodide/", import.meta.url).href;
const PLAYGROUND = new URL("../python/playground.py", import.meta.url);

/**
 * Whether time.sleep can block this worker without burning a core: Atomics.wait on shared
 * memory, which needs the page cross-origin isolated. (Pyodide's own time.sleep busy-waits.)
 */
export const canBlock = typeof SharedArrayBuffer === "function" && self.crossOriginIsolated;

/**
 * Starts the interpreter. `role` is "main" or "process"; `bridge` adds to the `_pp` module
 * (the driver's submit, spawn, receive…); `scale()` is the time scale sleeps run at;
 * `onLine(text, stream)` hears every printed line and `onSleep(from, to)` every sleep. Resolves
 * with {pyodide, playground} (the module, as a PyProxy).
 */
export async function startPython({ role, cpus, pid, bridge = {}, scale, onLine, onSleep }) {
  const [pyodide, source] = await Promise.all([
    loadPyodide({ indexURL: RUNTIME }),
    fetch(PLAYGROUND).then((r) =>
      r.ok ? r.text() : Promise.reject(new Error(`playground.py: HTTP ${r.status}`)),
    ),
  ]);
  pyodide.setStdout({ batched: (text) => onLine(text, "stdout") });
  pyodide.setStderr({ batched: (text) => onLine(text, "stderr") });
  const cell = canBlock ? new Int32Array(new SharedArrayBuffer(4)) : null;
  pyodide.registerJsModule("_pp", {
    ...bridge,
    sleep(ms) {
      const from = now();
      Atomics.wait(cell, 0, 0, ms * scale());
      onSleep(from, now());
    },
  });
  pyodide.FS.mkdirTree("/playground");
  pyodide.FS.writeFile("/playground/playground.py", source);
  pyodide.runPython("import sys; sys.path.insert(0, '/playground')");
  const playground = pyodide.pyimport("playground");
  playground.install(role, cpus, pid, canBlock);
  return { pyodide, playground };
}

/** The bytes of this interpreter's wasm memory: a process's own, as the page shows it. */
export function memoryBytes(pyodide) {
  try {
    return pyodide._module.HEAPU8.byteLength;
  } catch {
    return null; // an internal of Pyodide's; if it moves, say nothing rather than guess
  }
}
