// The modes: who runs a job's task list. Every mode gets the same specs and returns one
// outcome per task, in task order: {value, worker} or {error, worker}.
import { ProcessPool } from "./pool.js";
import { runTask } from "./runner.js";
import { abortError } from "./protocol.js";

/**
 * The serial baseline: every task in turn on the page's own thread. While a CPU-bound task
 * runs, the page cannot paint or react (that is the lesson); sleeps are timers, so the page
 * breathes during them, as a sleeping Python process leaves the CPU to others.
 */
export class MainThreadMode {
  name = "main";
  #engine;
  #abort = null;

  /** `engine` holds the page's core instance and can replace it after a panic. */
  constructor(engine) {
    this.#engine = engine;
  }

  async prepare() {
    return { coldStartMs: 0, workers: 1 };
  }

  async run(specs, { context, onEvent, onResult }) {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const outcomes = [];
    for (const spec of specs) {
      if (signal.aborted) throw abortError();
      let outcome;
      try {
        const emit = (event) => onEvent?.(event, "main");
        const value = await runTask(this.#engine.core, spec, { ...context, signal }, emit);
        outcome = { value, worker: "main" };
      } catch (error) {
        if (error.name === "AbortError") throw error;
        outcome = { error, worker: "main" };
        if (error.fatal) await this.#engine.replaceCore();
      }
      outcomes.push(outcome);
      onResult?.(outcome, outcomes.length - 1);
    }
    return outcomes;
  }

  /** Takes effect between tasks and during sleeps; a computing task cannot be interrupted. */
  stop() {
    this.#abort?.abort();
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
   * means a new pool. Returns the cold-start time when this call started one, else 0.
   */
  async prepare({ workers }) {
    if (this.#pool?.size !== workers) {
      this.#pool?.shutdown();
      this.#pool = new ProcessPool({ module: this.#module, size: workers });
    }
    const fresh = !this.#pool.started;
    const started = await this.#pool.start();
    return { coldStartMs: fresh ? started.ms : 0, memoryBytes: started.memoryBytes, workers };
  }

  run(specs, { chunksize, context, onEvent, onResult }) {
    return this.#pool.map(specs, { chunksize, context, onEvent, onResult });
  }

  /** Terminates the workers mid-task; the next run starts a fresh pool. */
  stop() {
    this.#pool?.cancel();
  }
}
