// What a run's timings say: each task's phases on its worker's lane, and where the workers'
// time went. Used by the timeline, the "explain this result" paragraph and the exports.

import { MAIN, lanesOf } from "./series.js";

/**
 * Phase kinds, in drawing order; each is a span of one lane's time. The page's one vocabulary
 * for timelines: the Python panel's draws in it too (import and await are Python's only).
 */
export const PHASES = {
  start: "starting the worker (instantiating wasm, or starting Python)",
  import: "importing the program (as spawn and forkserver do)",
  send: "message to the worker",
  wait: "waiting for the GIL",
  run: "computing",
  sleep: "sleeping",
  return: "result back to the page",
  await: "waiting for results",
  queue: "waiting on a multiprocessing queue",
  lock: "waiting for a multiprocessing lock",
};

const laneId = (worker) => (worker === MAIN ? MAIN : Number(worker));

// A finished run's chunks, once each: record -> Map(message -> {first, last}).
const chunks = new WeakMap();

/** Which message carried an outcome: the pool numbers them; older records only kept `sent`. */
const messageOf = (outcome) => outcome?.message ?? outcome?.sent;

/**
 * The tasks of task `i`'s message (the contiguous run of outcomes sent with it) that started
 * first and ended last, as {first, last} indices. Cached once the run is over.
 */
function chunkEnds(record, i) {
  const { outcomes } = record;
  const sent = messageOf(outcomes[i]);
  const cache = record.end != null ? (chunks.get(record) ?? new Map()) : null;
  if (cache?.has(sent)) return cache.get(sent);
  let lo = i;
  while (lo > 0 && messageOf(outcomes[lo - 1]) === sent) lo -= 1;
  const ends = { first: i, last: i };
  for (let k = lo; k < outcomes.length && messageOf(outcomes[k]) === sent; k++) {
    const v = outcomes[k].value;
    if (!v) continue;
    if (v.start < outcomes[ends.first].value.start) ends.first = k;
    if (v.end > outcomes[ends.last].value.end) ends.last = k;
  }
  if (cache) chunks.set(record, cache.set(sent, ends));
  return ends;
}

/**
 * Task `i`'s bar in `record`, or null while it has no timings: {task, lane, from, to, ms,
 * phases: [{kind, from, to}]}, in ms since the run's start.
 */
export function barOf(record, i) {
  const outcome = record.outcomes[i];
  const v = outcome?.value;
  if (!v || !Number.isFinite(v.start)) return null;
  const t0 = record.start;
  const phases = [];
  // `always`: kept even when shorter than the clock's tick, as a task's computing is: it
  // places the task on its lane (see clipMessages). A span that continues the last one of
  // its kind extends it.
  const add = (kind, from, to, always = false) => {
    if (!Number.isFinite(from) || !Number.isFinite(to)) return;
    if (!(to > from || (always && to === from))) return;
    const last = phases.at(-1);
    if (last?.kind === kind && last.to === from - t0) last.to = to - t0;
    else phases.push({ kind, from: from - t0, to: to - t0 });
  };

  // The message carried a chunk: only the chunk's first task to start waited for it, and only
  // its last to end waited for the reply. (Not the first and last by index: a thread pool's
  // one message holds every task, and rayon runs them in no fixed order.)
  const { first, last } = outcome.sent ? chunkEnds(record, i) : {};
  if (outcome.sent && first === i) add("send", outcome.sent, v.start);
  if (v.requested != null) add("wait", v.requested, v.start);
  // After computing, a task carries out its steps: for the article's calls that is mostly
  // sleeping; elsewhere it is printing a line, which counts as the task's work. Under the
  // model GIL a line first waits for the lock (a thread pool's task says when it asked), and
  // that wait is the GIL's, not the task's work: counted as computing, two lanes would seem
  // to compute at once, which the GIL forbids.
  const after = record.sleeps ? "sleep" : "run";
  let from = v.computed ?? v.end;
  add("run", v.start, from, true);
  for (const line of v.lines ?? []) {
    if (!(line.asked < line.at)) continue;
    add(after, from, line.asked);
    add("wait", line.asked, line.at);
    from = line.at;
  }
  add(after, from, v.end);
  if (outcome.received && last === i) add("return", v.end, outcome.received);
  if (phases.length === 0) phases.push({ kind: "run", from: v.start - t0, to: v.start - t0 });
  return {
    task: i,
    lane: laneId(outcome.worker),
    from: phases[0].from,
    to: phases.at(-1).to,
    ms: v.end - v.start,
    phases,
  };
}

/**
 * The timeline of a finished or live run: {t0, t1, lanes, bars, starts, queue}.

 * `record` has start, end (or null while live), mode, workers, outcomes (some may be live
 * or missing) and `lanes`/`restarts` from the pool ({spawnAt, readyAt} per worker).
 * Bars: {task, lane, from, to, ms, phases: [{kind, from, to}]}; times are ms since t0.
 */
export function timelineOf(record, now = record.end) {
  const t0 = record.start;
  const t1 = (record.end ?? now) - t0;
  const lanes = lanesOf(record);
  const bars = clipMessages(record.outcomes.map((_, i) => barOf(record, i)).filter(Boolean));
  // Tasks sent but not back yet (live runs): the oldest on each lane drawn as running until
  // now (the others wait behind it, in the worker's queue).
  const drawn = new Set();
  for (const d of inFlightOf(record)) {
    if (record.outcomes[d.task] || drawn.has(d.worker)) continue;
    drawn.add(d.worker);
    const from = d.sentAt - t0;
    bars.push({
      task: d.task,
      lane: d.worker,
      from,
      to: t1,
      ms: t1 - from,
      live: true,
      phases: [{ kind: "run", from, to: t1 }],
    });
  }
  const starts = [
    ...(record.lanes ?? []).map((l, lane) => ({ lane, ...l })),
    ...(record.restarts ?? []),
  ]
    .filter((s) => s.spawnAt != null)
    .map((s) => ({
      lane: s.worker ?? s.lane,
      from: s.spawnAt - t0,
      to: (s.readyAt ?? now) - t0,
    }));
  // Waiting in the queue: how many tasks had not started yet, over time.
  const begun = bars.map((b) => b.from).sort((a, b) => a - b);
  const queue = [[0, record.tasks]];
  begun.forEach((t, k) => queue.push([Math.max(0, t), record.tasks - k - 1]));
  // The page's own thread, where it worked for the run (pool modes): [{from, to}].
  const page = (record.page ?? [])
    .map(([from, to]) => ({ from: Math.max(from - t0, 0), to: Math.min(to - t0, t1) }))
    .filter((s) => s.to > s.from);
  return { t0, t1, lanes, bars, starts, queue, page };
}

/** How long the page's own thread worked for a run, in ms (timelineOf's `page` spans). */
export function pageMs(timeline) {
  return (timeline.page ?? []).reduce((sum, s) => sum + s.to - s.from, 0);
}

/** A live run's tasks in flight, oldest first: [{task, worker, sentAt}]. */
export function inFlightOf(record) {
  return [...(record.inFlight?.values() ?? [])].sort((a, b) => a.sentAt - b.sentAt);
}

/**
 * A lane's time is spent once. When the pool pipelines (several messages in flight to one
 * worker), a message travels while the worker computes the one before it, and a reply while
 * it computes the next: only the part of a send or return span when its lane did nothing
 * else is the messages' cost. So on each lane these spans are clipped to the time between
 * their neighbours' work. Bars are {lane, from, to, phases}; returns them, clipped.
 */
function clipMessages(bars) {
  const byLane = new Map();
  for (const bar of bars) {
    if (!byLane.has(bar.lane)) byLane.set(bar.lane, []);
    byLane.get(bar.lane).push(bar);
  }
  const work = (bar) => bar.phases.filter((p) => p.kind !== "send" && p.kind !== "return");
  for (const lane of byLane.values()) {
    const spans = lane.map((bar) => ({ bar, work: work(bar) })).filter((x) => x.work.length > 0);
    spans.sort((a, b) => a.work[0].from - b.work[0].from);
    // In one gap between two tasks' work, the first's reply goes before the next's message.
    let before = -Infinity;
    spans.forEach(({ bar, work: w }, k) => {
      const after = k + 1 < spans.length ? spans[k + 1].work[0].from : Infinity;
      if (before !== -Infinity || after !== Infinity) {
        bar.phases = bar.phases
          .map((p) =>
            p.kind === "send"
              ? { ...p, from: Math.max(p.from, before) }
              : p.kind === "return"
                ? { ...p, to: Math.min(p.to, after) }
                : p,
          )
          .filter((p) => (p.kind !== "send" && p.kind !== "return") || p.to > p.from);
        bar.from = bar.phases[0]?.from ?? w[0].from;
        bar.to = bar.phases.at(-1)?.to ?? w.at(-1).to;
      }
      before = Math.max(bar.to, w.at(-1).to);
    });
  }
  return bars;
}

/**
 * Where the lanes' time went between the run's start and end, in ms: computing, sleeping,
 * messages, waiting for the GIL, starting workers, and idle (the rest); and `page`, how long
 * the page's own thread worked for the run (its JavaScript: sending, taking answers, redraws). `tail` is how long
 * the first lane to run out of work sat idle before the run ended.
 */
export function breakdown(timeline) {
  const totals = { run: 0, sleep: 0, send: 0, return: 0, wait: 0, start: 0 };
  const lastEnd = new Map(timeline.lanes.map((lane) => [lane, 0]));
  for (const bar of timeline.bars) {
    for (const p of bar.phases) {
      totals[p.kind] += Math.max(0, Math.min(p.to, timeline.t1) - Math.max(p.from, 0));
    }
    lastEnd.set(bar.lane, Math.max(lastEnd.get(bar.lane) ?? 0, bar.to));
  }
  for (const s of timeline.starts) {
    totals.start += Math.max(0, Math.min(s.to, timeline.t1) - Math.max(s.from, 0));
  }
  const laneTime = timeline.t1 * timeline.lanes.length;
  const used = Object.values(totals).reduce((a, b) => a + b, 0);
  const ends = [...lastEnd.values()];
  const costs = timeline.bars
    .map((b) => b.phases.find((p) => p.kind === "run"))
    .filter(Boolean)
    .map((p) => p.to - p.from)
    .sort((a, b) => a - b);
  return {
    wall: timeline.t1,
    laneTime,
    ...totals,
    messages: totals.send + totals.return,
    idle: Math.max(0, laneTime - used),
    tail: ends.length > 1 ? timeline.t1 - Math.min(...ends) : 0,
    medianTask: costs.length ? costs[costs.length >> 1] : 0,
    slowestTask: costs.at(-1) ?? 0,
    // The page's thread is not a lane: its work takes the workers' cores, not their time.
    page: pageMs(timeline),
  };
}

/**
 * Total computing time of a run's tasks, in ms: from its per-task timings, or, for a run that
 * no longer keeps them (an older History series), the total kept when they were dropped.
 */
export function computeMsOf(record) {
  return record.outcomes ? breakdown(timelineOf(record)).run : record.computeMs;
}

/** Spans narrower than this many pixels are drawn merged with their narrow neighbours. */
const NARROW_PX = 2;

/**
 * The Python panel's spans ({lane, kind, from, to, label?}) as the bars to draw when a pixel
 * is `msPerPx` ms: a span at least NARROW_PX pixels wide is a bar of its own; narrower
 * spans of one lane and kind that follow each other within a pixel are one bar, which says
 * how many tasks it holds and their time. Thousands of tiny tasks are then a few hundred
 * bars, where a bar each made the live redraws the page's heaviest work (the page's thread
 * sends the tasks: the run slowed down as its timeline grew).
 * Returns [{lane, kind, from, to, count, ms, label}] (ms: the spans' own time; label: the
 * span's, for a bar of one), per lane and kind in time order.
 */
export function mergeSpans(spans, msPerPx) {
  const groups = new Map();
  for (const span of spans) {
    const key = `${span.lane} ${span.kind}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(span);
  }
  const narrow = (from, to) => to - from < NARROW_PX * msPerPx;
  const bars = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.from - b.from);
    let open = null; // the bar narrow spans are joining
    for (const { lane, kind, from, to, label } of group) {
      if (open && narrow(from, to) && from - open.to <= msPerPx) {
        open.to = Math.max(open.to, to);
        open.count += 1;
        open.ms += to - from;
        open.label = undefined;
        continue;
      }
      const bar = { lane, kind, from, to, count: 1, ms: to - from, label };
      bars.push(bar);
      open = narrow(from, to) ? bar : null;
    }
  }
  return bars;
}
