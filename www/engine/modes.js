// The modes: who runs a job's task list. Every mode gets the same specs and returns one
// outcome per task, in task order: {value, worker} or {error, worker}.
import { ProcessPool } from "./pool.js";
import { instantiate } from "./core.js";
import { runTask } from "./runner.js";
import { now } from "./measure.js";
import { Kind, ThreadNews } from "./protocol.js";
import { MAIN } from "./series.js";
import { isStop, withDeadline } from "./stop.js";

const THREADS_WORKER = new URL("../workers/threads.js", import.meta.url);
/** How long the thread pool's host may take to start its threads before it is started afresh. */
const THREAD_START_S = 15;
/**
 * How many hosts a thread-pool start may try. Firefox ESR now and then freezes the host as
 * it spawns its threads (see START_SILENCE_MS in pool.js), each time by chance: about 1 start
 * in 20 here, so four tries all failing is about 1 in 160,000.
 */
const THREAD_START_TRIES = 4;

/**
 * How long the main-thread loop may keep the page's thread before it yields to the event loop,
 * in ms. `await` on a settled promise never lets a click in, so without these yields Stop was
 * handled only after the whole series. Long enough that each stretch is still a "long task"
 * (over 50 ms) the meter counts; short enough that Stop answers within it plus one task.
 */
const MAIN_SLICE_MS = 60;

/**
 * Lets the event loop run once (input, painting) and resumes: a message to ourselves, which,
 * unlike a chain of setTimeout(0), is never clamped to 4 ms.
 */
function yieldToPage() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * The serial baseline: every task in turn on the page's own thread. While a CPU-bound task
 * runs, the page cannot paint or react (that is the lesson); between tasks it yields every
 * MAIN_SLICE_MS so that Stop is heard; sleeps are timers, so the page breathes during them,
 * as a sleeping Python process leaves the CPU to others.
 */
export class MainThreadMode {
  name = MAIN;
  #module;
  #core;

  /** `core`: the page's own instance of the core, instantiated from `module`. */
  constructor(module, core) {
    this.#module = module;
    this.#core = core;
  }

  /**
   * The page's own instance of the core (which also reads settings and plans): a fresh one
   * after a task panicked in it, since its memory may be half-updated.
   */
  get core() {
    return this.#core;
  }

  async prepare() {
    return { coldStartMs: 0, workers: 1, lanes: [] };
  }

  /** The page's thread is never replaced mid-run (its wasm instance may be). */
  get restarts() {
    return [];
  }

  /**
   * Runs every task in order; `signal` ends the run between tasks or during a sleep (a
   * computing task cannot be interrupted) by rejecting with its reason.
   */
  async run(specs, { context, onEvent, onResult, signal }) {
    const outcomes = [];
    const emit = (event) => onEvent?.(event, MAIN);
    let sliceStart = performance.now();
    for (const spec of specs) {
      if (performance.now() - sliceStart >= MAIN_SLICE_MS) {
        await yieldToPage();
        sliceStart = performance.now();
      }
      signal?.throwIfAborted();
      let outcome;
      try {
        const value = await runTask(this.#core, spec, { ...context, signal }, emit);
        outcome = { value, worker: MAIN };
      } catch (error) {
        if (isStop(error)) throw error;
        outcome = { error, worker: MAIN };
        if (error.fatal) this.#core = await instantiate(this.#module);
      }
      outcomes.push(outcome);
      onResult?.(outcome, outcomes.length - 1);
    }
    return outcomes;
  }
}

/** Web Workers as processes: see pool.js. */
export class ProcessMode {
  name = "process";
  #module;
  #pool = null;

  constructor(module) {
    this.#module = module;
  }

  get pool() {
    return this.#pool;
  }

  /**
   * Makes sure a started pool of `workers` exists. A pool cannot change size, so a new size
   * means a new pool. Returns the cold-start time when this call started one (else 0), and
   * then each worker's {spawnAt, readyAt} as `lanes`. `signal` (Stop) ends a start under way.
   */
  async prepare({ workers }, { signal } = {}) {
    if (this.#pool?.size !== workers) {
      this.#pool?.shutdown();
      this.#pool = new ProcessPool({ module: this.#module, size: workers });
    }
    const fresh = !this.#pool.started;
    const started = await this.#pool.start({ signal });
    return {
      coldStartMs: fresh ? started.ms : 0,
      memoryBytes: started.memoryBytes,
      workers,
      lanes: fresh ? started.lanes : [],
    };
  }

  /** Workers replaced during runs so far: [{worker, spawnAt, readyAt}]. */
  get restarts() {
    return this.#pool?.restarts ?? [];
  }

  /** `signal` terminates the workers mid-task (the next run starts a fresh pool). */
  run(specs, { chunksize, pipeline, context, onEvent, onDispatch, onResult, onBusy, signal }) {
    const options = { chunksize, pipeline, context, onEvent, onDispatch, onResult, onBusy, signal };
    return this.#pool.map(specs, options);
  }

  /** Each worker's memory size and its own shared-counter value (reset if asked). */
  inspect({ reset = false, signal } = {}) {
    return this.#pool.broadcast({ kind: Kind.inspect, reset }, { signal });
  }

  /**
   * The GIL's convoy in two processes (a pool of 2 prepared): the first computes, the second
   * wakes, both from `at` (ms since the epoch, a moment ahead so they start together); with
   * `cpu` false only the second. Resolves with {wakes, cpu, cpu_chunks} as convoy::run's.
   */
  async convoy({ plan, at, signal }) {
    const roles = [plan.cpu ? "cpu" : "idle", "io"];
    const message = (index) => ({ kind: Kind.convoy, plan, at, role: roles[index] });
    const [cpu, io] = await this.#pool.broadcast(message, { signal });
    return { wakes: io.wakes, cpu: cpu.cpu ?? [], cpu_chunks: cpu.cpu_chunks ?? 0 };
  }
}

/**
 * Listens to the rayon threads of one thread-pool run (protocol.js ThreadNews): the host
 * worker is blocked in par_iter while they run. `onLine(event, thread)` gets the lines as the
 * pool's own events look; `onOutcome(outcome, index)` each finished task as the pool reports
 * one, marked `live` (results come with the run's reply). Returns close(): after it, nothing
 * more is heard, even news already on its way.
 */
function listenToThreads(name, { onLine, onOutcome }) {
  const channel = new BroadcastChannel(name);
  let open = true;
  channel.onmessage = ({ data }) => {
    if (!open) return;
    if (data.type === ThreadNews.line) onLine?.(data, data.thread);
    if (data.type !== ThreadNews.done) return;
    for (const { index, thread, requested, start, computed, end } of ThreadNews.finished(
      data.tasks,
    )) {
      const outcome = Number.isNaN(start)
        ? { error: new Error(`task ${index} failed`), worker: thread, live: true }
        : { value: { index, requested, start, computed, end }, worker: thread, live: true };
      onOutcome?.(outcome, index);
    }
  };
  return () => {
    open = false;
    channel.close();
  };
}

/**
 * Rayon threads over one shared memory. A pool of one worker (the thread host) owns the
 * memory and the rayon pool inside it: each run sends the whole task list in one message and
 * rayon's par_iter hands tasks to idle threads. Lines printed on rayon's threads reach the
 * page live over a BroadcastChannel (listenToThreads), since the host is blocked until the
 * par_iter is done.
 */
export class ThreadMode {
  name = "threads";
  #compile;
  #module = null;
  #pool = null;
  #threads = 0;
  #runs = 0;

  /** `compile` resolves with the threads flavour's module, compiled when first needed. */
  constructor(compile) {
    this.#compile = compile;
  }

  /**
   * Makes sure a started host with `workers` threads exists: rayon's pool cannot be resized,
   * so a new count means a new host (and a new memory). Returns the cold-start time when this
   * call started one (spawning the host and its threads, instantiating wasm), else 0.
   * `signal` (Stop) ends a start under way.
   */
  async prepare({ workers }, { signal } = {}) {
    this.#module ??= await this.#compile();
    signal?.throwIfAborted();
    const t0 = now();
    for (let attempt = 1; ; attempt += 1) {
      if (this.#threads !== workers) {
        this.#pool?.shutdown();
        this.#pool = new ProcessPool({
          module: this.#module,
          size: 1,
          url: THREADS_WORKER,
          init: { threads: workers },
        });
        this.#threads = workers;
      }
      const fresh = !this.#pool.started;
      let started;
      try {
        const start = this.#pool.start({ signal });
        started = await withDeadline(start, THREAD_START_S, "the thread pool");
      } catch (error) {
        const frozen = error.name === "TimeoutError" && !signal?.aborted;
        if (!frozen || attempt === THREAD_START_TRIES) throw error;
        this.#pool.shutdown();
        this.#threads = 0;
        continue;
      }
      // The host starts every thread before it is ready, so they share its start-up span.
      // The wait people had counts the hosts that froze too.
      const [host] = started.lanes;
      return {
        coldStartMs: fresh ? now() - t0 : 0,
        freshStarts: attempt - 1,
        memoryBytes: started.memoryBytes,
        workers,
        lanes: fresh ? Array.from({ length: workers }, () => host) : [],
      };
    }
  }

  /** The thread pool restarts only as a whole (on Stop), never mid-run. */
  get restarts() {
    return [];
  }

  /** `signal` terminates the host and every thread with it; the next run starts afresh. */
  async run(specs, { context, onEvent, onResult, signal }) {
    const name = `pp-threads-${crypto.randomUUID()}-${++this.#runs}`;
    const heard = new Map(); // task index → lines heard live
    const close = listenToThreads(name, {
      onLine: (event, thread) => {
        heard.set(event.task, (heard.get(event.task) ?? 0) + 1);
        onEvent?.(event, thread);
      },
      onOutcome: onResult,
    });
    try {
      const outcomes = await this.#pool.map(specs, {
        chunksize: Math.max(specs.length, 1),
        context: { ...context, channel: name },
        signal,
      });
      close();
      // Lines still on their way when the reply came are in the reply too. A task's lines
      // come from one thread, in order, so those heard live are the first of them.
      for (const { value, worker } of outcomes) {
        for (const line of value?.lines.slice(heard.get(value.index) ?? 0) ?? []) {
          onEvent?.({ type: "line", task: value.index, ...line }, worker);
        }
      }
      return outcomes;
    } finally {
      close();
    }
  }

  /** The one memory's size and its shared-counter value (reset if asked). */
  async inspect({ reset = false, signal } = {}) {
    return this.#pool.broadcast({ kind: Kind.inspect, reset }, { signal });
  }

  /**
   * Every thread adds `perThread` to the shared counter at once (see counter::race in the
   * core): resolves with {threads, per_thread, expected, counted, rounds, racy}. `signal`
   * (Stop) terminates the host and its threads mid-race.
   */
  async race({ perThread, racy, signal }) {
    const message = { kind: Kind.race, perThread, racy };
    const [result] = await this.#pool.broadcast(message, { signal });
    return result;
  }

  /** The GIL's convoy on two of the threads (convoy::run in the core), as ProcessMode's. */
  async convoy({ plan, signal }) {
    const [result] = await this.#pool.broadcast({ kind: Kind.convoy, plan }, { signal });
    return result;
  }
}
