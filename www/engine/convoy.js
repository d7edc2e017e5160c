// The GIL's convoy: a CPU-bound thread beside a task that wakes every few ms for a moment of
// Python-like work (an I/O handler, say). Under the model GIL each wake waits until the CPU
// thread is asked to let go, a switch interval later (convoy::run in the core); without the
// GIL, or with the CPU-bound work in another process (its own interpreter, its own GIL), it
// runs as soon as it wakes. No DOM here: the page hears each step.
import { now } from "./measure.js";

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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * A run's figures in ms: the I/O task's latency from when it was due to when it ran (median
 * and slowest), the part of it spent waiting for the GIL after waking (median), and the
 * timer's own lateness (median).
 */
export function convoyStats({ wakes }) {
  const latency = wakes.map((w) => w.ran - w.due);
  return {
    latency: median(latency),
    slowest: Math.max(...latency),
    gilWait: median(wakes.map((w) => w.ran - w.woke)),
    timerLate: median(wakes.map((w) => w.woke - w.due)),
  };
}
