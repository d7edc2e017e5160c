// A Python session: a program run as __main__ in a driver interpreter (www/workers/python-main.js),
// and for each executor the program creates, a ProcessPool (pool.js) of Python processes, each
// its own interpreter (www/workers/python.js). The page is the switchboard: the driver's work
// goes to the pool it names (its calls, straight into the pool's call queue), and the
// processes' answers go straight to the driver too (result-queue.js), where the blocked
// program picks them up; the page hears which tasks ran, for the timeline, and puts its own
// word (a pool broken, an answer too big for the result queue) in the driver's mailbox
// (mailbox.js).
import { ProcessPool } from "./pool.js";
import { MailboxWriter, mailboxBuffer } from "./mailbox.js";
import { Kind, MailKind, driverMessage } from "./protocol.js";
import { RequestTable } from "./requests.js";
import { abortError } from "./stop.js";
import { now } from "./measure.js";
import { startWorker, startsWorkersOneByOne } from "./start-worker.js";
import { compileWasm } from "./core.js";
import { closeCallQueue } from "./call-queue.js";
import { forgetHolder, isPipeId } from "./shared-pipe.js";
import { SharedQueue } from "./shared-queue.js";

const DRIVER_URL = new URL("../workers/python-main.js", import.meta.url);
const PROCESS_URL = new URL("../workers/python.js", import.meta.url);
const RUNTIME_WASM = new URL("../../pyodide/pyodide.asm.wasm", import.meta.url);

/**
 * How long a starting Python process may go unheard. Most of its start is awaits (it says it
 * is alive meanwhile), but CPython's own start-up is one long synchronous stretch, and with
 * more interpreters starting than cores it can take many seconds.
 */
const START_SILENCE_MS = 60_000;

/**
 * How many process interpreters the session keeps started ahead of any executor, at most
 * (and never more than cpu_count(), the executors' default size): each holds its own memory
 * (about 30 MiB) while it waits.
 */
const READY_PROCESSES = 4;

/** CPython's words for a process that ended while its executor had work, and this one's why. */
function abruptly(why) {
  return `A process in the process pool was terminated abruptly while the future was running or pending. (${why})`;
}

/** The driver's lane on the timeline; processes are numbered from 1, as CPython names them. */
export const MAIN_LANE = 0;

export class PythonSession {
  #cpus;
  #processes;
  #hooks;
  #driver = null;
  #pools = new Map();
  #mailbox = null;
  /** The mailbox's buffer: the processes ring its bell when they answer. */
  #bell = null;
  #run = null;
  /** The first main interpreter's memory, just started: every later one starts from it. */
  #snapshot = null;
  /**
   * The runtime's wasm, compiled once for every interpreter of the page (see fromCompiled in
   * workers/python-runtime.js), or null where that failed: each then compiles its own.
   * A promise, settled before the driver starts (and so before any process).
   */
  #runtime = null;
  /** The same, once settled. */
  #compiled = null;
  /** Processes started ahead, waiting for an executor (see #keepProcessesReady). */
  #ready = [];

  /**
   * `cpus`: what the program's cpu_count() says. Hooks, all optional: onLane({id, name,
   * spawnAt, memoryBytes, startedAhead}) as a process is spawned (memoryBytes, its own wasm
   * memory, is filled in once it has started; startedAhead, once the pool has its worker:
   * whether its interpreter was started before the executor, see #keepProcessesReady);
   * onLine({lane, text, stream, at}) for each printed line (they come in batches: see
   * lineBatcher in workers/python-runtime.js); onSpan({lane, kind, from, to, label}) for each
   * stretch of the timeline (kind: one of analysis.js's PHASES: start, import, run, sleep,
   * await, queue, lock); onMark({lane, mark, at}) for each message an interpreter put or sent
   * ("sent") or took ("got") through a multiprocessing Queue or Pipe. `processes`: whether executors may start processes here (modeSupport's
   * pythonProcesses is true): the page then gives the driver a mailbox to block on, and every
   * interpreter may block.
   */
  constructor({ cpus, processes = false, onLane, onLine, onSpan, onMark } = {}) {
    this.#cpus = cpus;
    this.#processes = processes;
    this.#hooks = { onLane, onLine, onSpan, onMark };
  }

  /** Whether a program is running. */
  get running() {
    return this.#run !== null;
  }

  /**
   * Starts the driver's interpreter if none is waiting, so that Run does not wait for it.
   * Resolves with its start-up {from, to} (ms, as now()).
   */
  warm() {
    this.#runtime ??= compileWasm(RUNTIME_WASM).then(
      (module) => (this.#compiled = module),
      (error) => {
        console.warn(`Python's runtime not compiled by the page (${error.message})`);
        return null;
      },
    );
    if (!this.#driver) this.#driver = this.#startDriver();
    return this.#driver.ready;
  }

  /**
   * Runs `source` as __main__, sleeps at `scale`. Resolves with {error, startedAt, endedAt,
   * driver}: error null, or {type, text, line} for what the program raised; driver, its
   * interpreter's start-up {from, to}. Rejects with AbortError if stop() is called.
   */
  async run(source, { scale = 1 } = {}) {
    if (this.#run) throw new Error("a program is already running");
    const run = { source, scale };
    this.#run = run;
    try {
      const driver = await this.warm();
      if (this.#run !== run) throw abortError();
      const buffer = this.#processes ? mailboxBuffer() : null;
      this.#mailbox = buffer ? new MailboxWriter(buffer) : null;
      this.#bell = buffer;
      const startedAt = now();
      const error = await this.#request({ kind: Kind.run, source, buffer, scale });
      const endedAt = now();
      await this.#heardAll();
      if (this.#run !== run) throw abortError();
      return { error, startedAt, endedAt, driver };
    } finally {
      if (this.#run === run) this.#end();
    }
  }

  /** Ends the run now: every interpreter is terminated (none can be interrupted otherwise). */
  stop() {
    const running = this.#run !== null;
    this.#driver?.fail(abortError());
    this.#end();
    return running;
  }

  /** A new driver is needed after every run: the program's imports and globals stay in it. */
  #end() {
    this.#driver?.worker.terminate();
    this.#driver = null;
    for (const entry of this.#pools.values()) {
      entry.pool.shutdown();
      entry.onClosed();
    }
    this.#pools.clear();
    this.#mailbox = null;
    this.#bell = null;
    this.#run = null;
  }

  #startDriver() {
    const worker = startWorker(DRIVER_URL, { name: "python main" });
    const requests = new RequestTable();
    const driver = { worker, requests, fail: (error) => requests.rejectAll(error) };
    worker.onmessage = ({ data }) => this.#fromDriver(driver, data);
    worker.onerror = (event) => {
      event.preventDefault();
      driver.fail(
        new Error(`Python's main interpreter crashed: ${event.message || "unknown error"}`),
      );
    };
    const started = this.#runtime.then((runtime) =>
      this.#request(
        {
          kind: Kind.start,
          cpus: this.#cpus,
          snapshot: this.#snapshot,
          runtime,
          canBlock: this.#processes,
        },
        driver,
      ),
    );
    driver.ready = started.then(({ from, to, snapshot }) => {
      this.#snapshot ??= snapshot;
      return { from, to };
    });
    driver.ready.then(
      () => this.#keepProcessesReady(), // once per driver, before any caller of warm() hears
      () => this.#driver === driver && (this.#driver = null),
    );
    return driver;
  }

  /**
   * Starts process interpreters before any executor asks for them, after the driver (which
   * takes the snapshot they start from), so that an executor's processes only import the
   * program: as CPython's forkserver keeps a ready image to start processes from. What they
   * cost is not hidden: each one's start-up is reported as done before its executor existed
   * (onLane's `startedAhead`, and the start span itself). A ready process that no executor
   * took stays ready for the next run: nothing of a program has been in it.
   */
  #keepProcessesReady() {
    if (!this.#processes) return;
    const want = Math.min(this.#cpus, READY_PROCESSES);
    // Where workers must start one after another (WebKit under a service worker, see
    // start-worker.js), the next starts when the last has.
    const oneByOne = startsWorkersOneByOne();
    while (this.#ready.length < want) {
      if (oneByOne && this.#ready.some((r) => !r.start && !r.crashed)) return;
      const worker = startWorker(PROCESS_URL, { name: "python process (ready)" });
      const ready = { worker, start: null, crashed: false };
      ready.booted = new Promise((resolve) => {
        const failed = () => {
          ready.crashed = true;
          resolve(null);
        };
        worker.onmessage = ({ data }) => {
          if (data.news?.kind === "start") resolve(data.news);
          else if (data.error) failed(); // its interpreter could not start
        };
        worker.onerror = (event) => {
          event.preventDefault();
          failed();
        };
      }).then((start) => {
        ready.start = start;
        if (oneByOne && this.#ready.includes(ready)) this.#keepProcessesReady();
        return start;
      });
      worker.postMessage({
        kind: Kind.start,
        snapshot: this.#snapshot,
        runtime: this.#compiled,
        canBlock: true,
      });
      this.#ready.push(ready);
    }
  }

  /**
   * Resolves, once the processes started ahead have started, with each one's start-up
   * {from, to} (ms, as now()); never, if an executor takes one first.
   */
  processesReady() {
    return Promise.all(this.#ready.map((ready) => ready.booted)).then((starts) =>
      starts.filter(Boolean).map(({ from, to }) => ({ from, to })),
    );
  }

  /**
   * The Worker for an executor's process `lane`: a ready one while any is left, else a new
   * one. The pool asks for a slot's worker before its init, which then leaves out what a
   * ready process has had already.
   */
  #processWorker(lane) {
    let ready;
    while ((ready = this.#ready.shift())?.crashed) ready.worker.terminate();
    lane.startedAhead = Boolean(ready);
    if (!ready) return startWorker(PROCESS_URL, { name: lane.name });
    if (ready.start) this.#hooks.onSpan?.({ lane: lane.id, ...ready.start });
    return ready.worker;
  }

  /** The Worker for a process `lane` started by spawn: a new one, none started ahead. */
  #freshWorker(lane) {
    lane.startedAhead = false;
    return startWorker(PROCESS_URL, { name: lane.name });
  }

  #request(message, driver = this.#driver) {
    return driver.requests.ask(message, (m) => driver.worker.postMessage(m));
  }

  /** What the driver says: a reply to a request, or one of protocol.js's Driver messages. */
  #fromDriver(driver, data) {
    if (driver !== this.#driver) return; // news from a driver already stopped
    const [name, body] = driverMessage(data) ?? [];
    if (!name) return void driver.requests.settle(data);
    if (name === "took") return this.#mailbox?.took();
    if (name === "lines") return this.#lines(MAIN_LANE, body);
    if (name === "span") return this.#hooks.onSpan?.({ lane: MAIN_LANE, ...body });
    if (name === "spawn") return this.#spawn(body);
    if (name === "big") return this.#big(body);
    if (name === "shutdown") return this.#shutdown(body);
  }

  /** An executor's first submit: its processes start, each importing the program. */
  #spawn({ pool: poolId, names, pids, init, calls, results, shared, method }) {
    const { source, scale } = this.#run;
    // A process's lane is its pid, which the program gives it (the program is 1, its
    // processes 2, 3, …): what the process's os.getpid() prints is what tags its lines.
    const lanes = names.map((name, i) => ({ id: pids[i], name, spawnAt: now() }));
    lanes.forEach((lane) => this.#hooks.onLane?.(lane));
    const pool = new ProcessPool({
      module: null,
      size: names.length,
      // forkserver: from a ready image (a process started ahead, or the snapshot); spawn: a
      // fresh interpreter, which starts Python and imports its modules itself, as CPython's
      // spawn starts a new python (the compiled runtime is shared, as a binary's pages are).
      worker: (i) =>
        method === "spawn" ? this.#freshWorker(lanes[i]) : this.#processWorker(lanes[i]),
      startSilenceMs: START_SILENCE_MS,
      init: (i) => ({
        source,
        init,
        cpus: this.#cpus,
        pid: pids[i],
        shared,
        name: names[i],
        scale,
        canBlock: this.#processes,
        ...(lanes[i].startedAhead
          ? {}
          : { snapshot: method === "spawn" ? null : this.#snapshot, runtime: this.#compiled }),
      }),
      onNews: (news, i) => this.#news(entry, i, news),
    });
    const entry = {
      id: poolId,
      pool,
      lanes,
      calls,
      shared,
      // Answers given, and (once the driver has shut the pool down) calls it put in the queue.
      answered: 0,
      submitted: null,
      // Calls too big for the queue: their payloads, from the driver, and the processes that
      // took them, from the processes; each goes once both are here (in either order).
      big: new Map(),
      claims: new Map(),
      // Resolved once the pool is closed, every news of its processes heard (#heardAll).
      closed: null,
      onClosed: null,
    };
    entry.closed = new Promise((resolve) => (entry.onClosed = resolve));
    this.#pools.set(poolId, entry);
    const broken = (message) => {
      if (this.#pools.get(poolId) !== entry) return;
      this.#mailbox.send({ kind: MailKind.broken, pool: poolId, message });
      this.#close(poolId, entry);
    };
    pool.start().then(
      ({ memoryBytes }) => memoryBytes.forEach((bytes, i) => (lanes[i].memoryBytes = bytes)),
      (error) => broken(error.message),
    );
    // Each process, once it has started, takes calls from the queue for as long as it lives:
    // one run each that never ends on its own. A process that dies breaks the pool, as in
    // CPython (BrokenProcessPool).
    pool
      .map(
        names.map(() => null),
        {
          pipeline: false,
          context: { calls, results, bell: this.#bell },
          onResult: (outcome) => outcome.error && broken(abruptly(outcome.error.message)),
        },
      )
      .catch(() => {}); // ended by shutdown or Stop
  }

  /** A call too big for the queue, from the driver (see #news for the other half). */
  #big({ pool: poolId, id, payload }) {
    const entry = this.#pools.get(poolId);
    if (!entry) return;
    if (entry.claims.has(id)) this.#handOver(entry, entry.claims.get(id), id, payload);
    else entry.big.set(id, payload);
  }

  #handOver(entry, i, id, payload) {
    entry.pool.post(i, { kind: Kind.call, id, payload });
    entry.big.delete(id);
    entry.claims.delete(id);
  }

  /**
   * Tasks process `i` ran, {start, end, label} each, answered in its result queue: their
   * spans to the timeline.
   */
  #ran(entry, i, tasks) {
    for (const { start, end, label } of tasks) this.#ranOne(entry, i, start, end, label);
  }

  /** A process's answer that did not go into its result queue: to the program's mailbox. */
  #answer(entry, i, { id, ok, payload, label, start, end }) {
    this.#mailbox.send({ kind: MailKind.result, id, ok }, payload);
    this.#ranOne(entry, i, start, end, label);
  }

  #ranOne(entry, i, from, to, label) {
    entry.answered += 1;
    this.#hooks.onSpan?.({ lane: entry.lanes[i].id, kind: "run", from, to, label });
    if (entry.answered === entry.submitted) this.#close(entry.id, entry);
  }

  /** shutdown(wait=False) lets queued work finish first; terminate (`now`) does not. */
  #shutdown({ pool: poolId, now: atOnce, submitted }) {
    const entry = this.#pools.get(poolId);
    if (!entry) return;
    entry.submitted = submitted;
    if (atOnce || entry.answered === submitted) this.#close(poolId, entry);
  }

  #close(poolId, entry) {
    closeCallQueue(entry.calls); // a driver waiting for room in it stops waiting
    entry.pool.shutdown();
    // Its processes' pipe ends close with them, however they ended (a crash, os._exit): a
    // program waiting in recv() on the other end gets its EOFError, as in CPython.
    const pipes = Object.entries(entry.shared ?? {}).filter(([id]) => isPipeId(id));
    const queueOf = (id) => entry.shared[id] && new SharedQueue(entry.shared[id]);
    for (const lane of entry.lanes) forgetHolder(lane.id, pipes, queueOf);
    if (this.#pools.get(poolId) === entry) this.#pools.delete(poolId);
    entry.onClosed();
  }

  /**
   * Resolves once the page has heard all there is of every executor the program shut down.
   * The processes' answers reach the program straight (result-queue.js), so a program can
   * end before the page has heard which of its tasks ran, and what they printed: each
   * process tells as soon as its queue is empty, and the page closes a pool once it has
   * heard of every call the program put in it (#ranOne). Not waiting would leave the
   * timeline and the output short of the last tasks whenever the program was the quicker.
   */
  #heardAll() {
    const shutDown = [...this.#pools.values()].filter((entry) => entry.submitted !== null);
    return Promise.all(shutDown.map((entry) => entry.closed));
  }

  /** What process `i` of pool `entry` says: lines, spans, tasks it ran, answers, calls it took. */
  #news(entry, i, news) {
    const lane = entry.lanes[i].id;
    const live = this.#pools.get(entry.id) === entry; // answers for a pool ended are dropped
    if (news.type === "lines") this.#lines(lane, news.lines);
    else if (news.type === "span") this.#hooks.onSpan?.({ lane, ...news });
    else if (live && news.type === "ran") this.#ran(entry, i, news.tasks);
    else if (live && news.type === "result") this.#answer(entry, i, news);
    else if (live && news.type === "claimed") {
      if (entry.big.has(news.id)) this.#handOver(entry, i, news.id, entry.big.get(news.id));
      else entry.claims.set(news.id, i);
    }
  }

  /** A batch of printed lines and message marks (lineBatcher), in the order they came. */
  #lines(lane, lines) {
    for (const line of lines) {
      if (line.mark) this.#hooks.onMark?.({ lane, ...line });
      else this.#hooks.onLine?.({ lane, ...line });
    }
  }
}
