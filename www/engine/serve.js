// The worker side of channel 1 (protocol.js): how a pool worker takes its requests. Worker
// scripts stay a dispatch table: serve(handlers) does the rest.
import {
  ALIVE_MS,
  Kind,
  alive,
  failure,
  handedBack,
  reply,
  replies,
  transferables,
  unbatch,
} from "./protocol.js";

/** The longest a worker holds a finished task's answer to send it with the next ones. */
const HOLD_MS = 1;

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
