// How the page speaks of each mode, in one place: its name, what its lanes and units are
// called, what its pool looks like, and what a Stop did to it.
import { mib, plural } from "./format.js";
import { MAIN } from "../engine/series.js";

/**
 * Per mode: label, unit ("worker"), lane tag ("w"), the status line while a run goes
 * (`running({tasks, workers, gil, sleeps, which})`, `which` naming the run when there are
 * several), pool status, what a failed task left behind, and what Stop did.
 */
export const MODES = {
  main: {
    label: "main thread",
    unit: "thread",
    lane: () => "main",
    running: ({ sleeps, which }) =>
      sleeps
        ? `Running on the page's thread${which}. Sleeps are timers, so the page stays alive while a call sleeps.`
        : `Running on the page's thread${which}: while a task computes the page is frozen, and it only looks up between tasks (to paint, or hear Stop). That is the lesson.`,
    pool: () => "",
    failed: "; the page's wasm instance was replaced",
    stoppedRun: "",
    stoppedPool: "",
  },
  process: {
    label: "process pool",
    unit: "worker",
    lane: (worker) => `w${worker}`,
    running: ({ tasks, workers, which }) =>
      `Running ${tasks} tasks on ${plural(workers, "worker")}${which}…`,
    pool: ({ workers, started, memoryBytes }) =>
      `Process pool: ${plural(workers, "worker")}${started}; each has its own wasm memory (${memoryBytes.map(mib).join(", ")}).`,
    failed: "; the worker whose instance died was replaced",
    stoppedRun: " The workers were terminated; the next run starts a fresh pool.",
    stoppedPool:
      "Process pool stopped: its workers were terminated. The next run starts a fresh pool.",
  },
  threads: {
    label: "thread pool",
    unit: "thread",
    lane: (worker) => `t${worker}`,
    running: ({ tasks, workers, gil, which }) =>
      `Running ${tasks} tasks on ${plural(workers, "thread")}${gil ? ", under the model GIL" : ""}${which}…`,
    pool: ({ workers, started, memoryBytes }) =>
      `Thread pool: ${plural(workers, "thread")}${started}; all share one wasm memory (${mib(memoryBytes[0])}).`,
    failed: "; the panic unwound on its own thread, so the other threads carried on",
    stoppedRun:
      " Their results died with the thread pool's memory; the next run starts a fresh pool.",
    stoppedPool:
      "Thread pool stopped: its host worker and every thread in it were terminated. The next run starts afresh.",
  },
};

/** How a worker or thread is named in the log and tables: w0, t1, main. */
export function who(worker, mode) {
  return worker === MAIN ? MAIN : MODES[mode].lane(worker);
}

/** A series' mode as people read it: "thread pool + GIL". */
export function modeLabel(series) {
  return MODES[series.mode].label + (series.settings.gil ? " + GIL" : "");
}

/** A started pool, in words, from what its mode's prepare() reported. */
export function poolStatus(mode, prep) {
  // A host that froze as it spawned its threads (a browser fault, seen in Firefox ESR 153
  // about 1 start in 20: see START_SILENCE_MS in engine/start-worker.js) was replaced: say
  // so, since the start took longer for it.
  const again = prep.freshStarts === 1 ? "once" : `${prep.freshStarts} times`;
  const froze = prep.freshStarts
    ? ` (its host froze spawning threads, started afresh ${again})`
    : "";
  const started = prep.coldStartMs ? `, started in ${prep.coldStartMs.toFixed(0)} ms${froze}` : "";
  return MODES[mode].pool({ ...prep, started });
}
