// ProcessPool: a pool of Web Workers that behave like processes. Each worker instantiates
// its own wasm memory from one module compiled once by the page; nothing is shared, and
// tasks and results cross by message (structured clone), as pickled arguments do in Python.
//
// The class owns the workers' whole life: it starts them lazily, hands out tasks
// dynamically (an idle worker takes the next chunk), replaces a worker whose instance died,
// terminates everything on cancel() (pending work rejects with AbortError), and shuts down.
import { Kind, batch, errorFromWire, errorToWire, unreply } from "./protocol.js";
import { RequestTable } from "./requests.js";
import { JobQueue } from "./job-queue.js";
import { abortError } from "./stop.js";
import { now } from "./measure.js";
import {
  FIRST_WORD_MS,
  START_SILENCE_MS,
  startWorker,
  startsWorkersOneByOne,
  watchStart,
} from "./start-worker.js";

const WORKER_URL = new URL("../workers/process.js", import.meta.url);

/**
 * Pipelining: how much work, in ms, a worker may have waiting for it beyond the message it
 * is running. With one message in flight, a worker idles for a whole round trip (the reply,
 * the page's turn, the next message: about 70 µs here) after every message, which is most of
 * the time of a task that computes for a few µs. So while a worker's last message computed in
 * under this, it gets more, up to MAX_IN_FLIGHT: a task that turns out long keeps at most
 * about this much work waiting behind it, and a task that sleeps hands its queue back
 * (serve.js). A slower task gets one message waiting behind it, as CPython's executor
 * queues calls ahead of its processes (its call queue holds one more than it has processes):
 * a worker then starts its next task without waiting on the page, whose answer to a finished
 * task took 0.2–0.5 ms here, more while the page draws (docs/benchmarks.md). Only while
 * more jobs wait than there are workers, though: a worker holding a task it has not started
 * while another has nothing left is the one way this can lengthen a run, so the last jobs go
 * one message at a time, to whichever worker is free first.
 * Tasks that may sleep go one message at a time throughout (map's `pipeline: false`): a
 * worker about to sleep hands its queue back, but by then the other workers may have started
 * tasks queued after it, and tasks that sleep are where start order shows (Python's executor
 * starts them in order from one shared queue).
 */
const PIPELINE_MS = 2;
/**
 * With tiny tasks every message is a wake-up of a worker and a turn of the page: 16 in flight
 * made 10,000 one-task messages cost 27 µs a task here, 200 about 15 (docs/benchmarks.md).
 * A worker's measured work is read as at least 0.01 ms, so 200 is also the most it can get.
 */
const MAX_IN_FLIGHT = 200;

export class ProcessPool {
  #module;
  #size;
  #newWorker;
  #init;
  #slots = [];
  #queue = new JobQueue();
  #requests = new RequestTable();
  #starting = null;
  #closed = false;
  #restarts = [];
  #messages = 0;
  #pumpQueued = false;
  #onBusy = null;
  #onNews;
  #startWatch;

  /**
   * `module`: a compiled WebAssembly.Module of the core; `size`: how many workers; `url`: the
   * worker script (the process worker by default), or `worker(index)`, the Worker for a slot
   * (one that may have started already: a Python session's ready process); `init`: more for
   * each worker's init request, or a function of the worker's index that returns it.
   * `onNews(news, index)` hears what a worker says outside any request ({news}: a Python
   * process's printed lines and timeline);
   * `startSilenceMs`: how long a starting worker may go unheard (see START_SILENCE_MS);
   * `firstWordMs`: how long a new worker may take to be heard at all (see FIRST_WORD_MS).
   */
  constructor({
    module,
    size,
    url = WORKER_URL,
    worker = (index) => startWorker(url, { name: `process ${index}` }),
    init = {},
    onNews = null,
    startSilenceMs = START_SILENCE_MS,
    firstWordMs = FIRST_WORD_MS,
  }) {
    if (!(size >= 1)) throw new RangeError(`a pool needs at least one worker (got ${size})`);
    this.#module = module;
    this.#size = size;
    this.#newWorker = worker;
    this.#init = init;
    this.#onNews = onNews;
    this.#startWatch = { startSilenceMs, firstWordMs };
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
   * `signal` (Stop) cancels the start: the workers are terminated and it rejects with why.
   */
  start({ signal } = {}) {
    if (this.#closed) return Promise.reject(new Error("this pool was shut down"));
    if (signal) return this.#abortable(signal, () => this.start());
    if (this.#starting) return this.#starting;
    const starting = (async () => {
      const t0 = now();
      this.#slots = [];
      const oneByOne = startsWorkersOneByOne();
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
   * and when its answer came back, and `message`, which message carried it. onBusy(from, to)
   * hears each stretch of the page's thread spent in the pool's own work (sending, taking
   * answers, the callbacks above). `pipeline: false` sends each worker one message at a time
   * whatever the tasks' length (see PIPELINE_MS). Rejects with AbortError if cancel() is
   * called, or with `signal`'s reason when it aborts (which cancels the pool).
   */
  async map(tasks, options = {}) {
    this.#onBusy = options.onBusy ?? null;
    try {
      return await this.#abortable(options.signal, () => this.#mapNow(tasks, options));
    } finally {
      this.#onBusy = null;
    }
  }

  async #mapNow(tasks, { chunksize = 1, context = {}, pipeline = true, signal, ...hear }) {
    const { onEvent, onDispatch, onResult } = hear;
    await this.start();
    // Stopped as the start ended: the pool is cancelled, and nothing may wait for it.
    signal?.throwIfAborted();
    const outcomes = new Array(tasks.length);
    if (tasks.length === 0) return outcomes;
    // One promise for the whole map, not one per chunk: with chunksize 1 and 10,000 tasks,
    // a promise, its closures and its settling per message were much of the page's cost.
    await new Promise((resolve, reject) => {
      // `left`: how many of its chunks are not yet done.
      const map = {
        context,
        pipeline,
        outcomes,
        onEvent,
        onDispatch,
        onResult,
        left: 0,
        resolve,
        reject,
      };
      for (let first = 0; first < tasks.length; first += chunksize) {
        map.left += 1;
        this.#queue.push({ map, first, tasks: tasks.slice(first, first + chunksize) });
      }
      this.#pump();
    });
    return outcomes;
  }

  /**
   * Sends `message` ({kind, ...}, or a function of the worker's index that makes one) to every
   * worker and resolves with their answers, in worker order: what each process's own memory
   * holds, say. Waits for the pool to start. `signal` as map's.
   */
  broadcast(message, { signal } = {}) {
    const made = typeof message === "function" ? message : () => message;
    return this.#abortable(signal, async () => {
      await this.start();
      signal?.throwIfAborted();
      return Promise.all(this.#slots.map((slot) => this.#request(slot, made(slot.index))));
    });
  }

  /**
   * Posts `message` to worker `index`, no answer awaited: a Python process's run takes its
   * calls from a shared queue, and gets by message only those too big for it.
   */
  post(index, message) {
    this.#slots[index]?.worker.postMessage(message);
  }

  /**
   * `work()`, ended by `signal` (Stop, or a run's timeout): every worker is terminated, and
   * what is pending rejects with the signal's reason.
   */
  async #abortable(signal, work) {
    if (!signal) return work();
    signal.throwIfAborted();
    const abort = () => this.cancel(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    try {
      return await work();
    } finally {
      signal.removeEventListener("abort", abort);
    }
  }

  /**
   * Stops everything now: terminates every worker (a running task cannot be interrupted any
   * other way) and rejects queued and running work with AbortError. The next map()
   * starts a fresh pool.
   */
  cancel(reason = abortError()) {
    for (const slot of this.#slots) {
      slot.worker.terminate();
      for (const { job } of slot.inFlight.values()) job.map.reject(reason);
      slot.inFlight.clear();
    }
    this.#requests.rejectAll(reason);
    for (const job of this.#queue.drain()) job.map.reject(reason);
    this.#slots = [];
    this.#starting = null;
  }

  /** Terminates the workers for good. */
  shutdown() {
    this.cancel(abortError("The pool was shut down"));
    this.#closed = true;
  }

  #spawn(index) {
    const spawnAt = now();
    const worker = this.#newWorker(index);
    // inFlight: its run messages not yet answered, id → {job, message, sentAt}, oldest first;
    // workMs: how long its last answered message computed (null until one is), which sets how
    // many more it may be sent. (Other requests wait in the RequestTable.)
    const slot = { index, worker, inFlight: new Map(), outbox: [], workMs: null, spawnAt };
    Object.assign(slot, { ready: null, isReady: false, readyAt: null });
    worker.onmessage = ({ data }) => {
      const t0 = now();
      if (data.news) return this.#onNews?.(data.news, index);
      for (const answer of unreply(data)) {
        const run = slot.inFlight.get(answer.id);
        if (run) this.#answered(slot, run, answer);
        else this.#requests.settle(answer);
      }
      this.#onBusy?.(t0, now());
    };
    worker.onerror = (event) => this.#onCrash(slot, event);
    const extra = typeof this.#init === "function" ? this.#init(index) : this.#init;
    const init = { ...extra, kind: Kind.init, module: this.#module };
    const watch = watchStart(this.#name(index), this.#startWatch);
    const answered = this.#request(slot, init, watch.heard);
    slot.ready = Promise.race([answered, watch.silent])
      .finally(watch.stop)
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

  /** Sends `message` now and resolves with its answer (runs go by #dispatch instead). */
  #request(slot, message, onEvent) {
    const post = (m) => slot.worker.postMessage(m);
    const hear = onEvent && ((event) => onEvent(event, slot.index));
    return this.#requests.ask(message, post, { slot, onEvent: hear });
  }

  // A worker died outside a task's try/catch (failed to load, ran out of memory): fail what
  // it was doing and replace it, unless it never started, which would only loop. Of its run
  // messages only the oldest was running: that one failed; the rest never started, and go
  // back to the queue (#respawn).
  #onCrash(slot, event) {
    event.preventDefault();
    const error = new Error(`worker ${slot.index} crashed: ${event.message || "unknown error"}`);
    error.fatal = true;
    for (const [id, open] of this.#requests.entries()) {
      if (open.slot !== slot) continue;
      this.#requests.forget(id);
      open.reject(error);
    }
    const [oldest] = slot.inFlight;
    if (!oldest) return;
    const [id, run] = oldest;
    slot.inFlight.delete(id);
    this.#finish(slot, run, [{ error: errorToWire(error) }]);
  }

  /** How many messages `slot` may have unanswered now, to take `job` (see PIPELINE_MS). */
  #depth(slot, job) {
    if (!job.map.pipeline || slot.workMs === null) return 1;
    if (slot.workMs >= PIPELINE_MS) return this.#queue.length > this.#size ? 2 : 1;
    return Math.min(MAX_IN_FLIGHT, Math.floor(PIPELINE_MS / Math.max(slot.workMs, 0.01)));
  }

  // Once per turn, after every reply that came in one message has been handled, so that
  // what each worker gets goes out in one postMessage.
  #pump() {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pumpNow();
    });
  }

  // Round robin, one message per worker per round, so the queue is shared out evenly.
  #pumpNow() {
    const t0 = now();
    this.#fill();
    for (const slot of this.#slots) {
      if (slot.outbox.length === 1) slot.worker.postMessage(slot.outbox[0]);
      else if (slot.outbox.length > 1) slot.worker.postMessage(batch(slot.outbox));
      slot.outbox = [];
    }
    this.#onBusy?.(t0, now());
  }

  #fill() {
    let sent = true;
    while (sent && !this.#queue.empty) {
      sent = false;
      for (const slot of this.#slots) {
        if (this.#queue.empty) break;
        const job = this.#queue.peek();
        if (!slot.isReady || slot.inFlight.size >= this.#depth(slot, job)) continue;
        this.#dispatch(slot, this.#queue.take());
        sent = true;
      }
    }
  }

  // Sends `job` with the slot's next batch (see #pump). Synchronous, no promise per message:
  // the answer comes back through the worker's onmessage to #answered.
  #dispatch(slot, job) {
    const id = this.#requests.nextId();
    const sentAt = now();
    slot.inFlight.set(id, { job, message: ++this.#messages, sentAt });
    const { map, first, tasks } = job;
    if (map.onDispatch) {
      const positions = Array.from({ length: tasks.length }, (_, k) => first + k);
      map.onDispatch(positions, slot.index, sentAt);
    }
    slot.outbox.push({ id, kind: Kind.run, tasks, context: map.context });
  }

  /** What a worker said of run message `run`: a line printed, its outcomes, or given back. */
  #answered(slot, run, { id, result, error, event, handedBack }) {
    if (event) return run.job.map.onEvent?.(event, slot.index);
    slot.inFlight.delete(id);
    if (handedBack) {
      // Never started: it goes back where it was in the queue, for any worker to take, and
      // this worker, whose task sleeps, gets nothing more until that task is done.
      slot.workMs = null;
      this.#queue.requeue(run.job);
      return this.#pump();
    }
    // A run answers for each task itself; a failure is the worker breaking outside any task:
    // its first task takes the blame.
    this.#finish(slot, run, error ? [{ error }] : result);
  }

  #finish(slot, { job, message, sentAt }, outcomes) {
    const received = now();
    const { map } = job;
    let firstStart = null;
    let lastEnd = null;
    for (let k = 0; k < outcomes.length; k++) {
      // A worker may name who ran a task (the thread host names its rayon thread).
      const { value, error, worker = slot.index } = outcomes[k];
      const settled = error
        ? { error: errorFromWire(error), worker, message, sent: sentAt, received }
        : { value, worker, message, sent: sentAt, received };
      if (value) {
        firstStart ??= value.start;
        lastEnd = value.end;
      }
      map.outcomes[job.first + k] = settled;
      map.onResult?.(settled, job.first + k);
    }
    slot.workMs = firstStart === null ? null : lastEnd - firstStart;
    const fatal = outcomes.at(-1)?.error?.fatal;
    // The rest of a chunk cut short runs elsewhere.
    job.tasks = job.tasks.slice(outcomes.length);
    job.first += outcomes.length;
    if (job.tasks.length > 0) this.#queue.requeue(job);
    else if (--map.left === 0) map.resolve();
    if (fatal) this.#respawn(slot);
    this.#pump();
  }

  #respawn(slot) {
    // Its other messages were handed back or will be: none may wait on the dead worker.
    for (const { job } of slot.inFlight.values()) this.#queue.requeue(job);
    slot.inFlight.clear();
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
