// Every message the page exchanges, declared once, and the error codec. Five channels (the
// map with senders and receivers: docs/architecture.md#messages):
// 1. Page ⇄ pool worker (ProcessPool; workers/ via serve.js): requests {id, kind, ...}; the
//    worker answers each with reply or failure, may send event (a printed line, or "alive"
//    while it starts) and handedBack (a run given back unstarted), and a Python process
//    sends news outside any request. Runs for one worker go as one batch, answers as replies.
// 2. Page ⇄ Python driver (PythonSession; workers/python-main.js): requests as in 1, and the
//    driver's own Driver messages.
// 3. Page → the Python driver's mailbox (mailbox.js), read by the blocked program: MailKind.
//    (Calls go from the driver to the Python processes in a shared queue, call-queue.js,
//    and most answers from the processes straight to the driver, result-queue.js.)
// 4. Rayon threads → page, on a BroadcastChannel per run (JsHost in src/wasm.rs): ThreadNews.
// 5. Frame → parent page: Frame.

/** What a request asks: init → {memoryBytes}; run → [{value} | {error}] per task (a Python
 * process: take calls from its executor's queue until it ends); inspect (a memory's counter);
 * race (the threads' counter race); convoy (a role in the GIL's convoy, convoy.js); start (the
 * Python driver); call (a Python process: the payload of a call too big for the call queue,
 * which it took). */
export const Kind = Object.freeze({
  init: "init",
  run: "run",
  inspect: "inspect",
  race: "race",
  convoy: "convoy",
  start: "start",
  call: "call",
});

export const reply = (id, result) => ({ id, result });
export const failure = (id, error) => ({ id, error: errorToWire(error) });
export const event = (id, news) => ({ id, event: news });
export const alive = (id) => event(id, { type: "alive" });
export const handedBack = (id) => ({ id, handedBack: true });
export const news = (item) => ({ news: item });

/** How often a starting worker says it is alive: its init is all awaits, so silence means
 * its thread is stuck, not busy (see watchStart in start-worker.js). */
export const ALIVE_MS = 250;

/** Run requests for one worker as one message, their context once when shared: with tiny
 * tasks, cloning many objects was the page's largest cost. (Their specs stay objects: packed
 * as columns of numbers, checking and packing them cost the page more than cloning them.) */
export function batch(requests) {
  const [{ context }] = requests;
  const shared = requests.every((m) => m.context === context);
  const ids = requests.map((m) => m.id);
  const tasks = requests.map((m) => m.tasks);
  const contexts = shared ? { context } : { contexts: requests.map((m) => m.context) };
  return { batch: { ids, tasks, ...contexts } };
}

/** The requests a message carries: a batch's runs, or the message itself. */
export function unbatch(data) {
  if (!data.batch) return [data];
  const { ids, tasks, context, contexts } = data.batch;
  return ids.map((id, k) => ({
    id,
    kind: Kind.run,
    tasks: tasks[k],
    context: context ?? contexts[k],
  }));
}

/** The answers a message carries, as the worker held them: one, or what serve.js's replies
 * packed, ordinary outcomes as columns of numbers. */
export function unreply(data) {
  if (!data.replies) return [data];
  const { ids, counts, numbers, sums, odd } = data.replies;
  const answers = [];
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    if (odd.answers[i]) {
      answers.push(odd.answers[i]);
      continue;
    }
    const result = new Array(counts[i]);
    for (let j = 0; j < counts[i]; j++, k++) {
      const at = k * OUTCOME_NUMBERS;
      result[j] = odd.outcomes[k] ?? {
        value: {
          index: numbers[at],
          partial: { count: numbers[at + 1], sum: sums[k] },
          start: numbers[at + 2],
          computed: numbers[at + 3],
          end: numbers[at + 4],
        },
      };
    }
    answers.push({ id: ids[i], result });
  }
  return answers;
}

/** How many numbers an ordinary outcome is (serve.js's replies writes them). */
export const OUTCOME_NUMBERS = 5;

/** The ArrayBuffers behind a run's typed arrays, so they move instead of being copied. */
export function transferables(outcomes) {
  return outcomes.flatMap(({ value }) =>
    ArrayBuffer.isView(value?.pixels) && value.pixels.byteLength > 0 ? [value.pixels.buffer] : [],
  );
}

/** The Python driver's own messages to the page; `now` in shutdown: terminate at once. Its
 * calls go straight into each executor's call queue, not through the page. */
export const Driver = Object.freeze({
  took: () => ({ took: true }), // the program read its mailbox: the next answer may go in
  lines: (lines) => ({ lines }),
  span: (kind, from, to) => ({ span: { kind, from, to } }),
  // `calls`: the executor's call queue (call-queue.js), which the driver fills itself;
  // `results`: its result queue (result-queue.js), which its processes fill; `pids`: what
  // os.getpid() says in each (the program numbers its processes, as CPython does); `shared`:
  // the program's multiprocessing queues so far, id → buffer (shared-queue.js), which a new
  // process may have been given; `method`: the start method, "forkserver" (from a ready
  // image: the snapshot, or a process started ahead) or "spawn" (a fresh interpreter).
  spawn: (pool, names, pids, init, calls, results, shared = {}, method = "forkserver") => ({
    spawn: { pool, names: [...names], pids: [...pids], init, calls, results, shared, method },
  }),
  // A call too big for the queue: the process that takes it gets it from the page.
  big: (pool, id, payload) => ({ big: { pool, id, payload } }),
  // `submitted`: how many calls the driver put in the pool's queue, all told.
  shutdown: (pool, now, submitted) => ({ shutdown: { pool, now, submitted } }),
});

/** Which Driver message `data` is, as [name, body], or null for a reply. */
export function driverMessage(data) {
  for (const name of Object.keys(Driver)) if (name in data) return [name, data[name]];
  return null;
}

/** Mailbox heads: result {id, ok} with the pickled answer; broken {pool, message} (a process
 * could not start, or died: the pool is unusable). */
export const MailKind = Object.freeze({ result: "result", broken: "broken" });

/** Rayon threads' news: {type: "line", task, thread, text, at} as a task prints, and at most
 * every 50 ms per thread {type: "done", tasks}, RECORD numbers per finished task. */
export const ThreadNews = Object.freeze({
  line: "line",
  done: "done",
  RECORD: 6,
  /** [{index, thread, requested, start, computed, end}] (times NaN for a failed task). */
  finished(tasks) {
    const out = [];
    for (let k = 0; k + ThreadNews.RECORD <= tasks.length; k += ThreadNews.RECORD) {
      const [index, thread, requested, start, computed, end] = tasks.subarray(k, k + 6);
      out.push({ index, thread, requested, start, computed, end });
    }
    return out;
  },
});

/** Frame → parent: our height (www/embed.js keeps a copy of HEIGHT, checked by
 * tests/unit/protocol.test.mjs: other sites load that file alone), WordPress's messages. */
export const Frame = Object.freeze({
  HEIGHT: "parallel-playground:height",
  height: (height) => ({ type: Frame.HEIGHT, height }),
  wordpressHeight: (value, secret) => ({ message: "height", value, secret }),
  wordpressLink: (value, secret) => ({ message: "link", value, secret }),
});

/** An error as it crosses: a plain value. */
export function errorToWire(error) {
  return {
    name: error?.name ?? "Error",
    message: error?.message ?? String(error),
    stack: error?.stack ?? "",
    fatal: Boolean(error?.fatal),
  };
}

/** The Error again, on the other side. */
export function errorFromWire(wire) {
  const error = new Error(wire.message);
  error.name = wire.name ?? "Error";
  error.stack = wire.stack ?? "";
  error.fatal = Boolean(wire.fatal);
  return error;
}
