// Page ⇄ worker messages. Requests are {id, kind, ...}; a worker answers each with
// {id, result} or {id, error}, and may send {id, event} while it works (printed lines).
// The thread pool's rayon threads send their live news on a BroadcastChannel instead
// (listenToThreads). Errors cross as plain values {name, message, stack?, fatal?}, the shape
// the core's task errors already have, and become Errors again here.

export const Kind = Object.freeze({
  init: "init",
  run: "run",
  inspect: "inspect",
  race: "race",
});

export function errorToWire(error) {
  return {
    name: error?.name ?? "Error",
    message: error?.message ?? String(error),
    stack: error?.stack ?? "",
    fatal: Boolean(error?.fatal),
  };
}

export function errorFromWire(wire) {
  const error = new Error(wire.message);
  error.name = wire.name ?? "Error";
  error.stack = wire.stack ?? "";
  error.fatal = Boolean(wire.fatal);
  return error;
}

/** Numbers per finished task in a thread's "done" news (JsHost::finished in src/wasm.rs). */
const THREAD_RECORD = 6;

/**
 * Listens to the rayon threads of one thread-pool run. The host worker is blocked in par_iter
 * while they run, so they post on a BroadcastChannel named for the run:
 * `{type: "line", task, thread, text, at}` as a task prints, and, at most every 50 ms per
 * thread, `{type: "done", tasks}`: a Float64Array of [index, thread, requested, start,
 * computed, end] per finished task (times NaN for a failed one). `onLine(event, thread)`
 * gets the lines as the pool's own events look; `onOutcome(outcome, index)` each finished
 * task as the pool reports one, marked `live` (results come with the run's reply). Returns
 * close(): after it, nothing more is heard, even news already on its way.
 */
export function listenToThreads(name, { onLine, onOutcome }) {
  const channel = new BroadcastChannel(name);
  let open = true;
  channel.onmessage = ({ data }) => {
    if (!open) return;
    if (data.type === "line") onLine?.(data, data.thread);
    if (data.type !== "done") return;
    const t = data.tasks;
    for (let k = 0; k + THREAD_RECORD <= t.length; k += THREAD_RECORD) {
      const [index, thread, requested, start, computed, end] = t.subarray(k, k + THREAD_RECORD);
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

export function abortError(message = "The run was stopped") {
  return new DOMException(message, "AbortError");
}

/** What a run's `signal` aborts with when the run's timeout passes (Python: TimeoutError). */
export function timeoutError(seconds) {
  return new DOMException(`The run took longer than its timeout of ${seconds} s`, "TimeoutError");
}

/**
 * `promise`, or a TimeoutError saying `who` did not answer in `seconds`: for starts that may
 * never finish (a worker the host blocks, a thread that never reports).
 */
export function withDeadline(promise, seconds, who) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new DOMException(`${who} did not answer in ${seconds} s`, "TimeoutError")),
      seconds * 1000,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Whether `error` ended a run on purpose (Stop or a timeout) rather than by failing. */
export function isStop(error) {
  return error?.name === "AbortError" || error?.name === "TimeoutError";
}

/** The ArrayBuffers behind typed arrays in a reply, so they move instead of being copied. */
export function transferables(outcomes) {
  return outcomes.flatMap(({ value }) =>
    value && ArrayBuffer.isView(value.pixels) && value.pixels.byteLength > 0
      ? [value.pixels.buffer]
      : [],
  );
}

/**
 * How often a starting worker says it is still alive ({id, event: {type: "alive"}}). Its init
 * is all awaits, so silence means its thread is stuck, not busy (see ProcessPool#spawn).
 */
export const ALIVE_MS = 250;

/** The longest a worker holds a finished task's answer to send it with the next ones. */
const HOLD_MS = 1;

/**
 * Makes the calling worker answer requests with `handlers[kind](request, control)`: one
 * try/catch, errors sent back as values, typed-array results moved rather than copied.
 *
 * Run requests are carried out one at a time, in the order they came: the pool may send a
 * worker its next message before the last is done (see PIPELINE_MS in pool.js), and a worker
 * is a process, running one task at a time even while that task sleeps. A run that is about
 * to sleep, or that has broken its instance, calls `control.handBack()`: every run request
 * queued behind it (and any that arrives until it ends) goes back to the pool unstarted,
 * as `{id, handedBack: true}`, so no task waits behind a sleep that another worker could
 * have run. `handBack({forGood: true})` keeps handing everything back (a broken instance).
 */
export function serve(handlers) {
  const waiting = [];
  let busy = false;
  let handingBack = false;
  let broken = false;
  // Answers held while more runs wait here, sent as one {replies} message when the queue
  // runs dry, when the oldest has waited HOLD_MS, or before a sleep: with tiny tasks, one
  // message per answer cost the page more than the tasks did.
  let held = [];
  let heldTransfers = [];
  let heldSince = 0;
  const flush = () => {
    if (held.length === 1) postMessage(held[0], heldTransfers);
    else if (held.length > 1) postMessage({ replies: held }, heldTransfers);
    held = [];
    heldTransfers = [];
  };
  const giveBack = (data) => postMessage({ id: data.id, handedBack: true });
  const control = {
    handBack({ forGood = false } = {}) {
      flush();
      handingBack = true;
      broken ||= forGood;
      waiting.splice(0).forEach(giveBack);
    },
  };
  const answer = async (data, send = postMessage) => {
    const sayAlive = () => postMessage({ id: data.id, event: { type: "alive" } });
    const alive = data.kind === Kind.init ? (sayAlive(), setInterval(sayAlive, ALIVE_MS)) : null;
    try {
      const result = await handlers[data.kind](data, control);
      send({ id: data.id, result }, data.kind === Kind.run ? transferables(result) : []);
    } catch (error) {
      send({ id: data.id, error: errorToWire(error) }, []);
    } finally {
      clearInterval(alive);
    }
  };
  const hold = (reply, transfers) => {
    if (held.length === 0) heldSince = performance.now();
    held.push(reply);
    heldTransfers.push(...transfers);
  };
  const runNext = async () => {
    busy = true;
    while (waiting.length > 0) {
      await answer(waiting.shift(), hold);
      handingBack = broken;
      if (waiting.length === 0 || performance.now() - heldSince >= HOLD_MS) flush();
    }
    busy = false;
  };
  const take = (data) => {
    if (data.kind !== Kind.run) return void answer(data);
    if (handingBack) return giveBack(data);
    waiting.push(data);
    if (!busy) runNext();
  };
  // The pool sends the run messages it has for a worker at once as one {batch} (batchOf in
  // pool.js).
  self.onmessage = ({ data }) => {
    if (!data.batch) return take(data);
    const { ids, tasks, context, contexts } = data.batch;
    ids.forEach((id, k) =>
      take({ id, kind: Kind.run, tasks: tasks[k], context: context ?? contexts[k] }),
    );
  };
}
