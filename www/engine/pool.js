// ProcessPool: a pool of Web Workers that behave like processes. Each worker instantiates
// its own wasm memory from one module compiled once by the page; nothing is shared, and
// tasks and results cross by message (structured clone), as pickled arguments do in Python.
//
// The class owns the workers' whole life: it starts them lazily, hands out tasks
// dynamically (an idle worker takes the next chunk), replaces a worker whose instance died,
// terminates everything on cancel() (pending work rejects with AbortError), and shuts down.
import { ALIVE_MS, Kind, abortError, errorFromWire, errorToWire } from "./protocol.js";
import { now } from "./measure.js";

const WORKER_URL = new URL("../workers/process.js", import.meta.url);

/**
 * How long a starting worker, once heard, may go without saying it is alive (it says so every
 * ALIVE_MS) before its start counts as stuck. Firefox ESR sometimes freezes a worker for good
 * inside `new Worker()` when that worker spawns workers of its own (the thread pool's host,
 * about 1 start in 20 here); a start that takes 1 s at most is then known lost in 4 s, not 15.
 */
const START_SILENCE_MS = 4000;

/**
 * Whether a service worker serves this page. WebKit then loses every worker script but the
 * first few requested at once: the rest never reach the service worker and fail to load. So
 * there the pool starts its workers one after another (slower to start, never broken).
 */
function underServiceWorker() {
  try {
    return Boolean(globalThis.navigator?.serviceWorker?.controller);
  } catch {
    return false; // a frame denied storage may not even ask
  }
}

export class ProcessPool {
  #module;
  #size;
  #url;
  #init;
  #slots = [];
  // Jobs waiting for a worker, oldest first, read from #head: Array.shift() moves every
  // element, and with 100,000 queued tasks that made dispatching quadratic.
  #queue = [];
  #head = 0;
  #replies = new Map();
  #nextId = 1;
  #starting = null;
  #closed = false;
  #restarts = [];

  /**
   * `module`: a compiled WebAssembly.Module of the core; `size`: how many workers; `url`: the
   * worker script (the process worker by default); `init`: more for each worker's init request.
   */
  constructor({ module, size, url = WORKER_URL, init = {} }) {
    if (!(size >= 1)) throw new RangeError(`a pool needs at least one worker (got ${size})`);
    this.#module = module;
    this.#size = size;
    this.#url = url;
    this.#init = init;
  }

  /** How many workers were replaced after their instance died, since the pool was created. */
  get respawns() {
    return this.#restarts.length;
  }

  get size() {
    return this.#size;
  }

  /** Whether start() has been called since the pool was created or last cancelled. */
  get started() {
    return this.#starting !== null;
  }

  /**
   * Spawns every worker and waits until each has instantiated its own memory. Resolves with
   * {ms, memoryBytes[], lanes[]} (lanes: each worker's {spawnAt, readyAt}); calling
   * it again returns the same promise until cancel(). Rejects if a worker crashes or goes
   * silent while it starts (START_SILENCE_MS), and then the pool is as if never started.
   */
  start() {
    if (this.#closed) return Promise.reject(new Error("this pool was shut down"));
    if (this.#starting) return this.#starting;
    const starting = (async () => {
      const t0 = now();
      this.#slots = [];
      const oneByOne = underServiceWorker();
      for (let i = 0; i < this.#size; i++) {
        this.#slots.push(this.#spawn(i));
        if (oneByOne) await this.#slots[i].ready;
      }
      const infos = await Promise.all(this.#slots.map((slot) => slot.ready));
      return {
        ms: now() - t0,
        memoryBytes: infos.map((info) => info.memoryBytes),
        lanes: this.#slots.map(({ spawnAt, readyAt }) => ({ spawnAt, readyAt })),
      };
    })();
    // A start that failed leaves nothing behind: the next call starts every worker afresh.
    starting.catch(() => this.#starting === starting && this.cancel());
    this.#starting = starting;
    return starting;
  }

  /** Workers started again after their instance died: [{worker, spawnAt, readyAt}]. */
  get restarts() {
    return this.#restarts;
  }

  /**
   * Like Python's executor.map: runs every task, results in input order. Unlike it, a failed
   * task does not hide the others: each entry is {value, worker} or {error, worker}.
   * `chunksize` tasks travel per message; `context` goes with every message (e.g. the time
   * scale); onEvent(event, worker) sees lines as they are printed; onDispatch(positions,
   * worker, sentAt) sees each message leave; onResult(outcome, i) sees each outcome as it
   * arrives. Each outcome also carries `sent` and `received`: when its message left the page
   * and when its answer came back. Rejects with AbortError if cancel() is called, or with
   * `signal`'s reason when it aborts (which cancels the pool).
   */
  async map(tasks, { chunksize = 1, context = {}, onEvent, onDispatch, onResult, signal } = {}) {
    signal?.throwIfAborted();
    // Stop, or a timeout: terminate the workers, and every pending task rejects with why.
    const abort = () => this.cancel(signal.reason);
    signal?.addEventListener("abort", abort, { once: true });
    try {
      await this.start();
      signal?.throwIfAborted();
      const outcomes = new Array(tasks.length);
      const chunks = [];
      for (let i = 0; i < tasks.length; i += chunksize) chunks.push(i);
      await Promise.all(
        chunks.map((offset) =>
          this.#enqueue(tasks.slice(offset, offset + chunksize), context, onEvent, {
            onOutcome: (outcome, k) => {
              outcomes[offset + k] = outcome;
              onResult?.(outcome, offset + k);
            },
            onSend: (done, count, worker, sentAt) => {
              const positions = Array.from({ length: count }, (_, k) => offset + done + k);
              onDispatch?.(positions, worker, sentAt);
            },
          }),
        ),
      );
      return outcomes;
    } finally {
      signal?.removeEventListener("abort", abort);
    }
  }

  /**
   * Sends `message` ({kind, ...}) to every worker and resolves with their answers, in worker
   * order: what each process's own memory holds, say. Waits for the pool to start.
   */
  async broadcast(message) {
    await this.start();
    return Promise.all(this.#slots.map((slot) => this.#request(slot, message)));
  }

  /** Runs one task; resolves with its value or rejects with its error. */
  async submit(task, { context = {}, onEvent } = {}) {
    await this.start();
    const [outcome] = (await this.#enqueue([task], context, onEvent)).outcomes;
    if (outcome.error) throw outcome.error;
    return outcome.value;
  }

  /**
   * Stops everything now: terminates every worker (a running task cannot be interrupted any
   * other way) and rejects queued and running work with AbortError. The next map() or
   * submit() starts a fresh pool.
   */
  cancel(reason = abortError()) {
    for (const slot of this.#slots) slot.worker.terminate();
    for (const { reject } of this.#replies.values()) reject(reason);
    for (const job of this.#queue.slice(this.#head)) job.reject(reason);
    this.#slots = [];
    this.#queue = [];
    this.#head = 0;
    this.#replies.clear();
    this.#starting = null;
  }

  /** Terminates the workers for good. */
  shutdown() {
    this.cancel(abortError("The pool was shut down"));
    this.#closed = true;
  }

  #spawn(index) {
    const spawnAt = now();
    const worker = new Worker(this.#url, { type: "module", name: `process ${index}` });
    const slot = { index, worker, job: null, ready: null, isReady: false, spawnAt, readyAt: null };
    worker.onmessage = ({ data }) => this.#onMessage(data);
    worker.onerror = (event) => this.#onCrash(slot, event);
    const init = { ...this.#init, kind: Kind.init, module: this.#module };
    let heardAt = null; // before its script loads, a worker cannot say anything
    const answered = this.#request(slot, init, () => (heardAt = now()));
    let watch;
    let tick = now();
    const silent = new Promise((_, reject) => {
      watch = setInterval(() => {
        // A late tick means the page itself was busy, and the worker's news waited with it.
        if (now() - tick > 2 * ALIVE_MS) heardAt &&= now();
        tick = now();
        if (heardAt === null || now() - heardAt < START_SILENCE_MS) return;
        const seconds = Math.round((now() - heardAt) / 1000);
        reject(
          new DOMException(
            `${this.#name(index)} stopped answering as it started (silent ${seconds} s)`,
            "TimeoutError",
          ),
        );
      }, ALIVE_MS);
    });
    slot.ready = Promise.race([answered, silent])
      .finally(() => clearInterval(watch))
      .then((info) => {
        slot.isReady = true;
        slot.readyAt = now();
        this.#pump();
        return info;
      });
    return slot;
  }

  #name(index) {
    return this.#size === 1 ? "the worker" : `worker ${index}`;
  }

  #request(slot, message, onEvent) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#replies.set(id, { slot, resolve, reject, onEvent });
      slot.worker.postMessage({ id, ...message });
    });
  }

  #onMessage({ id, result, error, event }) {
    const reply = this.#replies.get(id);
    if (!reply) return; // a reply for work that was cancelled
    if (event) return reply.onEvent?.(event, reply.slot.index);
    this.#replies.delete(id);
    if (error) reply.reject(errorFromWire(error));
    else reply.resolve(result);
  }

  // A worker died outside a task's try/catch (failed to load, ran out of memory): fail what
  // it was doing and replace it, unless it never started, which would only loop.
  #onCrash(slot, event) {
    event.preventDefault();
    const error = new Error(`worker ${slot.index} crashed: ${event.message || "unknown error"}`);
    error.fatal = true;
    for (const [id, reply] of this.#replies) {
      if (reply.slot === slot) {
        this.#replies.delete(id);
        reply.reject(error);
      }
    }
  }

  #enqueue(tasks, context, onEvent, { onOutcome, onSend } = {}) {
    return new Promise((resolve, reject) => {
      this.#queue.push({
        tasks,
        context,
        onEvent,
        onOutcome,
        onSend,
        outcomes: [],
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  #pump() {
    for (const slot of this.#slots) {
      if (!slot.isReady || slot.job || this.#head === this.#queue.length) continue;
      const job = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      this.#dispatch(slot, job);
    }
  }

  async #dispatch(slot, job) {
    slot.job = job;
    const sent = job.tasks;
    const sentAt = now();
    job.onSend?.(job.outcomes.length, sent.length, slot.index, sentAt);
    let outcomes;
    try {
      outcomes = await this.#request(
        slot,
        { kind: Kind.run, tasks: sent, context: job.context },
        job.onEvent,
      );
    } catch (error) {
      if (!this.#slots.includes(slot)) return job.reject(error); // cancelled mid-task
      outcomes = [{ error: errorToWire(error) }]; // the worker crashed: blame its first task
    }
    slot.job = null;
    const received = now();
    for (const outcome of outcomes) {
      const k = job.outcomes.length;
      // A worker may name who ran a task (the thread host names its rayon thread).
      const worker = outcome.worker ?? slot.index;
      const settled = outcome.error
        ? { error: errorFromWire(outcome.error), worker, sent: sentAt, received }
        : { value: outcome.value, worker, sent: sentAt, received };
      job.outcomes.push(settled);
      job.onOutcome?.(settled, k);
    }
    const fatal = outcomes.at(-1)?.error?.fatal;
    job.tasks = sent.slice(outcomes.length);
    if (job.tasks.length > 0)
      this.#requeueFirst(job); // the rest of a chunk runs elsewhere
    else job.resolve(job);
    if (fatal) this.#respawn(slot);
    this.#pump();
  }

  /** Puts `job` at the front of the queue (rare: only a chunk cut short by a crash). */
  #requeueFirst(job) {
    if (this.#head > 0) this.#queue[--this.#head] = job;
    else this.#queue.unshift(job);
  }

  #respawn(slot) {
    slot.worker.terminate();
    const fresh = this.#spawn(slot.index);
    const restart = { worker: slot.index, spawnAt: fresh.spawnAt, readyAt: null };
    this.#restarts.push(restart);
    fresh.ready.then(() => (restart.readyAt = fresh.readyAt)).catch(() => {});

    this.#slots[this.#slots.indexOf(slot)] = fresh;
    // A worker that cannot even restart means something is wrong everywhere (out of
    // memory, say): fail the run loudly rather than wait forever on a missing worker.
    fresh.ready.catch((error) => this.cancel(error));
  }
}
