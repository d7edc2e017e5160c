// Every message the page exchanges, declared once, and the error codec. Five channels:
//
// 1. Page ⇄ pool worker (workers/process.js, threads.js, python.js; ProcessPool, serve.js).
//    Requests {id, kind, ...} (Kind); the worker answers each with reply / failure, and may
//    send event (a printed line) while it works, or handedBack (a run it gives back unstarted).
//    Run requests for one worker travel as one batch; answers held together come as replies.
//    A Python process also sends news outside any request (its lines and timeline spans).
// 2. Page ⇄ Python driver (workers/python-main.js; PythonSession): requests as in 1, and the
//    driver's own messages, made by Driver and read by driverMessage.
// 3. Page → Python driver's mailbox (mailbox.js), which the blocked program reads: MailKind.
// 4. Rayon threads → page, on a BroadcastChannel per run (JsHost in src/wasm.rs): ThreadNews.
// 5. Frame → parent page: Frame (our height; WordPress's height and link messages).

/** What a request asks a worker to do. */
export const Kind = Object.freeze({
  /** Instantiate (a pool worker) and say when ready: {memoryBytes}. */
  init: "init",
  /** Run a list of tasks: [{value} | {error}], one per task. */
  run: "run",
  /** What a process's own memory holds (the counter experiment). */
  inspect: "inspect",
  /** The thread host's counter race. */
  race: "race",
  /** Start the Python driver's interpreter. */
  start: "start",
});

export const reply = (id, result) => ({ id, result });
export const failure = (id, error) => ({ id, error: errorToWire(error) });
export const event = (id, news) => ({ id, event: news });
export const handedBack = (id) => ({ id, handedBack: true });
/** A starting worker's sign of life (serve.js sends it every ALIVE_MS). */
export const alive = (id) => event(id, { type: "alive" });
/** What a Python process says outside any request: {type: "lines" | "span", ...}. */
export const news = (item) => ({ news: item });

/**
 * How often a starting worker says it is still alive. Its init is all awaits, so silence
 * means its thread is stuck, not busy (see ProcessPool#spawn).
 */
export const ALIVE_MS = 250;

/**
 * Run requests for one worker as one {batch}: their ids and task lists side by side, and
 * their context once when they share it (they do within one map). Fewer objects to clone:
 * with tiny tasks, cloning was the page's largest cost.
 */
export function batch(requests) {
  const [{ context }] = requests;
  const shared = requests.every((m) => m.context === context);
  return {
    batch: {
      ids: requests.map((m) => m.id),
      tasks: requests.map((m) => m.tasks),
      ...(shared ? { context } : { contexts: requests.map((m) => m.context) }),
    },
  };
}

/** The requests a message carries: a batch's run requests, or the message itself. */
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

/** Answers held by a worker, sent as one message. */
export const replies = (held) => (held.length === 1 ? held[0] : { replies: held });

/** The answers a message carries. */
export const unreply = (data) => data.replies ?? [data];

/** The ArrayBuffers behind typed arrays in a run's outcomes, so they move instead of being copied. */
export function transferables(outcomes) {
  return outcomes.flatMap(({ value }) =>
    value && ArrayBuffer.isView(value.pixels) && value.pixels.byteLength > 0
      ? [value.pixels.buffer]
      : [],
  );
}

/** The Python driver's own messages to the page (python-main.js sends, python.js reads). */
export const Driver = Object.freeze({
  /** The program read its mailbox: the page may write the next answer. */
  took: () => ({ took: true }),
  lines: (lines) => ({ lines }),
  span: (kind, from, to) => ({ span: { kind, from, to } }),
  /** An executor's first submit: start `names.length` processes, each running `init`. */
  spawn: (pool, names, init) => ({ spawn: { pool, names: [...names], init } }),
  submit: (pool, id, payload, label) => ({ submit: { pool, id, payload, label } }),
  /** `now`: terminate at once; otherwise let queued work finish (shutdown(wait=False)). */
  shutdown: (pool, now) => ({ shutdown: { pool, now } }),
});

/** Which Driver message `data` is, and its body: [name, body], or null for a reply. */
export function driverMessage(data) {
  for (const name of Object.keys(Driver)) if (name in data) return [name, data[name]];
  return null;
}

/** What the page writes into the Python driver's mailbox (read by playground.py's receive). */
export const MailKind = Object.freeze({
  /** {id, ok} and the pickled payload: a task's answer. */
  result: "result",
  /** {id, message}: the task could not run (its process died, the pool was shut down). */
  failed: "failed",
  /** {pool, message}: a process could not start, so its whole pool is unusable. */
  broken: "broken",
});

/**
 * Rayon threads' news (channel 4): `{type: "line", task, thread, text, at}` as a task prints,
 * and, at most every 50 ms per thread, `{type: "done", tasks}`: a Float64Array of RECORD
 * numbers per finished task, [index, thread, requested, start, computed, end] (times NaN for
 * a failed one), written by JsHost::finished in src/wasm.rs.
 */
export const ThreadNews = Object.freeze({
  line: "line",
  done: "done",
  RECORD: 6,
  /** The finished tasks in a "done" message: [{index, thread, requested, start, computed, end}]. */
  finished(tasks) {
    const out = [];
    for (let k = 0; k + ThreadNews.RECORD <= tasks.length; k += ThreadNews.RECORD) {
      const [index, thread, requested, start, computed, end] = tasks.subarray(
        k,
        k + ThreadNews.RECORD,
      );
      out.push({ index, thread, requested, start, computed, end });
    }
    return out;
  },
});

/**
 * Frame → parent (channel 5). Only numbers and our own links cross, so any parent may hear.
 * www/embed.js keeps its own copy of HEIGHT (other sites load that file; an import would make
 * them fetch a second one); tests/unit/protocol.test.mjs checks the two agree.
 */
export const Frame = Object.freeze({
  HEIGHT: "parallel-playground:height",
  height: (height) => ({ type: Frame.HEIGHT, height }),
  /** WordPress's oEmbed frame: it clamps the height to 200–1000 px. */
  wordpressHeight: (value, secret) => ({ message: "height", value, secret }),
  /** WordPress's oEmbed frame may not open windows: the post goes to `href` for it. */
  wordpressLink: (value, secret) => ({ message: "link", value, secret }),
});

/** An error as it crosses: a plain value {name, message, stack, fatal}. */
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
