// The GIL's convoy: a CPU-bound thread beside a task that wakes every few ms for a moment of
// Python-like work (an I/O handler, say). Under the model GIL each wake waits until the CPU
// thread is asked to let go, a switch interval later (convoy::run in the core); without the
// GIL, or with the CPU-bound work in another process (its own interpreter, its own GIL), it
// runs as soon as it wakes. No DOM here: the page hears each step.
import { now } from "./measure.js";
import { median } from "./series.js";

/** Every condition the experiment measures, in order: the pool kind and the plan's changes. */
export const CONDITIONS = [
  { id: "alone", kind: "threads", cpu: false, gil: true },
  { id: "gil", kind: "threads", cpu: true, gil: true },
  { id: "nogil", kind: "threads", cpu: true, gil: false },
  { id: "processes", kind: "process", cpu: true, gil: false },
];

/** How far ahead of now both roles are told to start, in ms: their messages arrive first. */
const START_AHEAD_MS = 50;

/**
 * Runs every condition with `plan` ({wakes, period_ms, switch_ms, io_chunks}) on pools of 2.
 * `threads`: true, or why the thread pool cannot run here (then the I/O task alone runs in a
 * process, and the thread conditions say why not). `onStep(id)` hears each start. Resolves
 * with one entry per condition: {id, kind, plan, wakes, cpu, cpu_chunks, stats} or
 * {id, unavailable}.
 */
export async function runConvoy({ modes, plan, threads, signal, onStep }) {
  const results = [];
  for (const c of CONDITIONS) {
    const kind = c.id === "alone" && threads !== true ? "process" : c.kind;
    if (kind === "threads" && threads !== true) {
      results.push({ id: c.id, unavailable: threads });
      continue;
    }
    onStep?.(c.id);
    const mode = modes[kind];
    await mode.prepare({ workers: 2 }, { signal });
    const p = { ...plan, cpu: c.cpu, gil: c.gil && kind === "threads" };
    const at = now() + START_AHEAD_MS;
    const outcome = await mode.convoy({ plan: p, at, signal });
    const start = outcome.wakes[0].due - p.period_ms;
    results.push({ id: c.id, kind, plan: p, start, ...outcome, stats: convoyStats(outcome) });
  }
  return results;
}

/**
 * Plays one role of the convoy in a process (workers/process.js), from `at` (ms since the
 * epoch) on `plan`: "io" wakes every period and runs `plan.io_chunks` of `chunk(x)`; "cpu"
 * runs `chunk` until the last wake is past; "idle" does nothing. Each process has its own
 * interpreter, so its own GIL: nothing here waits for a lock. Resolves with {wakes} or
 * {cpu, cpu_chunks}, as convoy::run's parts.
 */
export async function playRole(chunk, { plan, role, at }) {
  const sleepUntil = (t) => new Promise((ok) => setTimeout(ok, Math.max(0, t - now())));
  await sleepUntil(at);
  if (role === "idle") return {};
  if (role === "cpu") {
    const end = at + (plan.wakes + 1) * plan.period_ms;
    const from = now();
    let x = 1;
    let chunks = 0;
    while (now() < end) {
      x = chunk(x);
      chunks += 1;
    }
    return { cpu: [[from, now()]], cpu_chunks: chunks };
  }
  // Due times on this worker's own clock, and no wake before its time: a timer may fire a
  // fraction of a millisecond early by performance.now(), and the rest is waited out here
  // (another timer would be clamped to 4 ms, as nested timers are).
  const base = now();
  const wakes = [];
  for (let i = 1; i <= plan.wakes; i++) {
    const due = base + i * plan.period_ms;
    await sleepUntil(due);
    while (now() < due);
    const woke = now();
    let x = i;
    for (let k = 0; k < plan.io_chunks; k++) x = chunk(x);
    wakes.push({ due, woke, ran: woke, held: false, done: now() });
  }
  return { wakes };
}

/** The median of unsorted numbers (series.js's median takes them sorted). */
const medianOf = (xs) => median([...xs].sort((a, b) => a - b));

/**
 * A run's figures in ms: the I/O task's latency from when it was due to when it ran (median
 * and slowest), the part of it spent waiting for the GIL after waking (median), and the
 * timer's own lateness (median).
 */
export function convoyStats({ wakes }) {
  const latency = wakes.map((w) => w.ran - w.due);
  return {
    latency: medianOf(latency),
    slowest: Math.max(...latency),
    gilWait: medianOf(wakes.map((w) => w.ran - w.woke)),
    timerLate: medianOf(wakes.map((w) => w.woke - w.due)),
  };
}
