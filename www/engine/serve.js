// The worker side of channel 1 (protocol.js): how a pool worker takes its requests. Worker
// scripts stay a dispatch table: serve(handlers) does the rest.
import {
  ALIVE_MS,
  Kind,
  OUTCOME_NUMBERS,
  alive,
  failure,
  handedBack,
  reply,
  transferables,
  unbatch,
} from "./protocol.js";

/** The longest a worker holds a finished task's answer to send it with the next ones. */
const HOLD_MS = 1;

/**
 * Answers a worker held, as one message. A run's ordinary outcomes (runner.js's {value}:
 * index, partial, start, computed, end) travel as columns of numbers, one typed array each:
 * cloning a few small objects per tiny task was most of what the page spent taking their
 * answers (docs/benchmarks.md). Anything else (a failure, a task's error, pixels) travels
 * as it is, in `odd`, by its position among the answers or among the outcomes. The page
 * unpacks them with protocol.js's unreply; this end lives here, where the page's first load
 * does not carry it.
 */
export function replies(held) {
  if (held.length === 1) return held[0];
  const outcomes = held.reduce((n, a) => n + (Array.isArray(a.result) ? a.result.length : 0), 0);
  const ids = new Float64Array(held.length);
  const counts = new Uint32Array(held.length);
  const numbers = new Float64Array(outcomes * OUTCOME_NUMBERS);
  const sums = new BigUint64Array(outcomes);
  const odd = { answers: {}, outcomes: {} };
  let k = 0;
  held.forEach((answer, i) => {
    if (!Array.isArray(answer.result)) return void (odd.answers[i] = answer);
    ids[i] = answer.id;
    counts[i] = answer.result.length;
    for (const outcome of answer.result) {
      const v = outcome.value;
      if (outcome.error || !v || typeof v.partial?.sum !== "bigint" || !isOrdinary(v)) {
        odd.outcomes[k] = outcome;
      } else {
        const at = k * OUTCOME_NUMBERS;
        numbers[at] = v.index;
        numbers[at + 1] = v.partial.count;
        numbers[at + 2] = v.start;
        numbers[at + 3] = v.computed;
        numbers[at + 4] = v.end;
        sums[k] = v.partial.sum;
      }
      k += 1;
    }
  });
  return { replies: { ids, counts, numbers, sums, odd } };
}

const ORDINARY = ["index", "partial", "start", "computed", "end"];
/** Whether `value` has runner.js's fields and no others (it makes them in this order). */
const isOrdinary = (value) => {
  const keys = Object.keys(value);
  return keys.length === ORDINARY.length && keys.every((key, n) => key === ORDINARY[n]);
};

/**
 * Answers `data` ({id, kind}) with `handlers[kind](data, control)`: one try/catch, errors
 * sent back as values, typed arrays in a run's outcomes moved rather than copied. A worker
 * with no run queue (the Python driver) uses this alone.
 */
export async function respond(handlers, data, { send = postMessage, control } = {}) {
  const sayAlive = () => postMessage(alive(data.id));
  const ticking = data.kind === Kind.init ? (sayAlive(), setInterval(sayAlive, ALIVE_MS)) : null;
  try {
    const result = await handlers[data.kind](data, control);
    send(reply(data.id, result), Array.isArray(result) ? transferables(result) : []);
  } catch (error) {
    send(failure(data.id, error), []);
  } finally {
    // Only an init ticks: clearInterval(null) for every run cost a worker more than the
    // task's own call into the core did (a third of its busy time at 10,000 tiny tasks).
    if (ticking !== null) clearInterval(ticking);
  }
}

/**
 * Makes the calling worker answer requests with `handlers[kind](request, control)`.
 *
 * Run requests are carried out one at a time, in the order they came: the pool may send a
 * worker its next message before the last is done (see PIPELINE_MS in pool.js), and a worker
 * is a process, running one task at a time even while that task sleeps. A run that is about
 * to sleep, or that has broken its instance, calls `control.handBack()`: every run request
 * queued behind it (and any that arrives until it ends) goes back to the pool unstarted,
 * so no task waits behind a sleep that another worker could have run.
 * `handBack({forGood: true})` keeps handing everything back (a broken instance).
 */
export function serve(handlers) {
  const waiting = [];
  let busy = false;
  let handingBack = false;
  let broken = false;
  // Answers held while more runs wait here, sent as one message when the queue runs dry,
  // when the oldest has waited HOLD_MS, or before a sleep: with tiny tasks, one message per
  // answer cost the page more than the tasks did.
  let held = [];
  let heldTransfers = [];
  let heldSince = 0;
  const flush = () => {
    if (held.length > 0) postMessage(replies(held), heldTransfers);
    held = [];
    heldTransfers = [];
  };
  const giveBack = (data) => postMessage(handedBack(data.id));
  const control = {
    handBack({ forGood = false } = {}) {
      flush();
      handingBack = true;
      broken ||= forGood;
      waiting.splice(0).forEach(giveBack);
    },
  };
  const hold = (answer, transfers) => {
    if (held.length === 0) heldSince = performance.now();
    held.push(answer);
    heldTransfers.push(...transfers);
  };
  const runNext = async () => {
    busy = true;
    while (waiting.length > 0) {
      await respond(handlers, waiting.shift(), { send: hold, control });
      handingBack = broken;
      if (waiting.length === 0 || performance.now() - heldSince >= HOLD_MS) flush();
    }
    busy = false;
  };
  const take = (data) => {
    if (data.kind !== Kind.run) return void respond(handlers, data, { control });
    if (handingBack) return giveBack(data);
    waiting.push(data);
    if (!busy) runNext();
  };
  self.onmessage = ({ data }) => unbatch(data).forEach(take);
}
