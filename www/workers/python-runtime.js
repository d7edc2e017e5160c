// What both Python workers share: one Pyodide interpreter, started from the site's own copy of
// the runtime (build.sh copies npm's pyodide into dist/pyodide/; nothing comes from a CDN),
// with www/python/playground.py installed and a bridge (`_pp`) to this worker's JavaScript.
// Pyodide 314 is an ES module, so its workers are module workers.
import { loadPyodide } from "../../pyodide/pyodide.mjs";
import { now } from "../engine/measure.js";
import { synced } from "../engine/shared-memory.js";

const RUNTIME = new URL("../../pyodide/", import.meta.url).href;
const PLAYGROUND = new URL("../python/playground.py", import.meta.url);

/**
 * Printed lines, sent in batches: a program printing in a loop would otherwise post a message
 * per line, more than the page can take (its Stop button stopped answering). A line goes at
 * once when none went in the last BATCH_MS, else with the others when BATCH_MS have passed
 * or BATCH_LINES wait; flush() sends the rest, and the workers call it before the
 * interpreter blocks (a sleep, a wait for results) and when a run or a task ends. Messages
 * through a multiprocessing Queue or Pipe go with them, in order, as marks ({mark: "sent" or
 * "got", at}) for the timeline: a program passing thousands would post as many otherwise.
 */
const BATCH_MS = 20;
const BATCH_LINES = 500;
export function lineBatcher(send) {
  let lines = [];
  let sentAt = -Infinity;
  const flush = () => {
    if (lines.length === 0) return;
    send(lines);
    lines = [];
    sentAt = performance.now();
  };
  return {
    add(text, stream) {
      lines.push({ text, stream, at: now() });
      if (lines.length >= BATCH_LINES || performance.now() - sentAt >= BATCH_MS) flush();
    },
    mark(kind) {
      lines.push({ mark: kind, at: now() });
      if (lines.length >= BATCH_LINES) flush();
    },
    flush,
  };
}

/**
 * What every interpreter imports before it runs anything of the user's: in the snapshot, so
 * a process does not import them again (about 1 s of a process's start here, otherwise).
 * playground.py is among them: it imports its bridge to this worker (`_pp`, which a snapshot
 * cannot hold) only in install().
 */
const PRELOAD =
  "import concurrent.futures, functools, itertools, json, linecache, multiprocessing, pickle, threading, traceback, types, playground";

/** Puts playground.py where Python imports it from (and where tracebacks find its lines). */
function writePlayground(pyodide, source) {
  pyodide.FS.mkdirTree("/playground");
  pyodide.FS.writeFile("/playground/playground.py", source);
  pyodide.runPython(
    "import sys\nif '/playground' not in sys.path: sys.path.insert(0, '/playground')",
  );
}

/**
 * A fresh interpreter, from `snapshot` when there is one: the memory of an interpreter that
 * has just started (Pyodide's memory snapshots), restored in under a second where starting
 * afresh takes three or more. It is how CPython's forkserver starts a process from one that
 * is ready, and the process still has its own memory. With `makeSnapshot`, resolves with
 * {pyodide, snapshot} (the snapshot taken right after start-up, before anything of this
 * worker's own is in it: no bridge, no output hooks). `source`: playground.py's, a promise.
 */
async function interpreter({ snapshot, makeSnapshot, runtime, source }) {
  const createPyodideModule = runtime ? fromCompiled(runtime) : undefined;
  if (snapshot) {
    try {
      return {
        pyodide: await loadPyodide({
          indexURL: RUNTIME,
          _loadSnapshot: snapshot,
          createPyodideModule,
        }),
      };
    } catch (error) {
      // A private Pyodide option: if it ever fails, start the long way and say so.
      console.warn(`Python snapshot not restored (${error.message}); starting afresh`);
    }
  }
  const pyodide = await loadPyodide({
    indexURL: RUNTIME,
    _makeSnapshot: makeSnapshot,
    createPyodideModule,
  });
  writePlayground(pyodide, await source);
  pyodide.runPython(PRELOAD);
  return { pyodide, snapshot: makeSnapshot ? pyodide.makeMemorySnapshot() : null };
}

/**
 * Pyodide's module factory (pyodide.asm.mjs), made to instantiate `runtime`, the runtime's
 * wasm as the page compiled it once for all its interpreters, where it would fetch and
 * compile its 9.6 MB again in each. Compiling is not the only saving: V8 optimises a module's
 * hot functions (the interpreter's loop) in the background as they run, once for every
 * instance of that Module, so a process starts with the code earlier interpreters made fast
 * instead of running slower, baseline code while its cores compile the same again.
 * Pyodide has no option for a compiled module: its instantiateWasm adds two imports of its
 * own and then calls WebAssembly.instantiateStreaming on its fetch of pyodide.asm.wasm;
 * that one call, made while the factory runs, is answered from `runtime` instead.
 */
function fromCompiled(runtime) {
  return async (settings) => {
    const { default: create } = await import(`${RUNTIME}pyodide.asm.mjs`);
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      WebAssembly.instantiateStreaming = streaming;
      // Its fetch is not needed, and not waited for: offline, or cut off mid-way, it fails,
      // and the interpreter still starts from `runtime`.
      Promise.resolve(source).then(
        (response) => response.body?.cancel(),
        () => {},
      );
      return { module: runtime, instance: await WebAssembly.instantiate(runtime, imports) };
    };
    try {
      return await create(settings);
    } finally {
      WebAssembly.instantiateStreaming = streaming;
    }
  };
}

/**
 * Starts the interpreter; the caller then installs playground.py's role in it
 * (`playground.install(role, cpus, pid, canBlock)`: a process learns its pid only when an
 * executor takes it, which may be long after it started). `bridge` adds to the `_pp` module
 * (the driver's submit, spawn, receive…); `scale()` is the time scale sleeps run at;
 * `onLine(text, stream)` hears every printed line, `onSleep(from, to)` every sleep and
 * `onBlock()` is called before each; `canBlock`: whether this worker may block on shared
 * memory (the page's modeSupport decides: Python's processes need it), which time.sleep then
 * does without burning a core (Pyodide's own time.sleep busy-waits), and which the program's
 * executors need;
 * `sync()`, if given, runs before and after every call into `_pp` (shared-memory.js: where an
 * interpreter's copies of shared memory blocks meet them);
 * `snapshot`, `makeSnapshot`, `runtime`: see interpreter() and fromCompiled(). Resolves with {pyodide, playground (the
 * module, as a PyProxy), snapshot (when made)}.
 */
export async function startPython({
  bridge = {},
  scale,
  onLine,
  onSleep,
  onBlock,
  canBlock,
  sync = null,
  snapshot = null,
  makeSnapshot = false,
  runtime = null,
}) {
  const source = fetch(PLAYGROUND).then((r) =>
    r.ok ? r.text() : Promise.reject(new Error(`playground.py: HTTP ${r.status}`)),
  );
  source.catch(() => {}); // awaited below; meanwhile a failure is not unhandled
  const { pyodide, snapshot: made } = await interpreter({
    snapshot,
    makeSnapshot,
    runtime,
    source,
  });
  pyodide.setStdout({ batched: (text) => onLine(text, "stdout") });
  pyodide.setStderr({ batched: (text) => onLine(text, "stderr") });
  const cell = canBlock ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const functions = {
    ...bridge,
    sleep(ms) {
      onBlock?.();
      const from = now();
      Atomics.wait(cell, 0, 0, ms * scale());
      onSleep(from, now());
    },
  };
  pyodide.registerJsModule("_pp", sync ? synced(functions, sync) : functions);
  writePlayground(pyodide, await source); // a restored memory has the module, not the file
  const playground = pyodide.pyimport("playground"); // from the snapshot, or imported now
  return { pyodide, playground, snapshot: made ?? null };
}

/** The bytes of this interpreter's wasm memory: a process's own, as the page shows it. */
export function memoryBytes(pyodide) {
  try {
    return pyodide._module.HEAPU8.byteLength;
  } catch {
    return null; // an internal of Pyodide's; if it moves, say nothing rather than guess
  }
}
