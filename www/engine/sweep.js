// The sweep: how far a workload scales. A main-thread baseline, then each pool kind with 1, 2,
// … workers, every point a measured series (runs.js). Strong scaling runs the same task list
// at every point and fits Amdahl's law (the core's amdahlFit) to the speedups; weak scaling
// gives n workers n× the tasks (the list n times over) and fits Gustafson's law to the scaled
// speedups. No DOM here: the page hears each step.
import { runSeries } from "./runs.js";
import { MAIN, speedupOf } from "./series.js";

/**
 * Measures the sweep of `settings`: `kinds` (e.g. ["process", "threads"]) at each worker
 * count in `counts`. `variant(settings, changes)` makes a point's settings (the core re-reads
 * them); `modes` are the App's; `scaling` is "strong" (the same work at every point) or
 * "weak" (n× the tasks for n workers); `onStep({step, total, kind, workers, run})` hears each
 * run start (kind MAIN for the baseline). Rejects with the first point that did not finish, or
 * with Stop's reason. Resolves with {settings, scaling, baselineMs, digest, results, fits}: per
 * kind, [{workers, tasks, ms, min, max, speedup, digest}] (under weak scaling `speedup` is the
 * scaled speedup n × T₁ / Tₙ) and the fit of them: the core's amdahlFit, or gustafsonFit.
 */
export async function measureSweep({
  core,
  modes,
  settings,
  variant,
  kinds,
  counts,
  scaling = "strong",
  signal,
  onStep,
}) {
  const weak = scaling === "weak";
  const { specs, facts } = core.plan(settings);
  const total = 1 + counts.length * kinds.length;
  let step = 0;
  const measure = async (s, copies = 1) => {
    step += 1;
    const at = { step, total, kind: s.mode, workers: s.workers };
    const series = await runSeries({
      mode: modes[s.mode],
      specs: repeatTasks(specs, copies),
      facts,
      settings: s,
      hooks: { onRunStart: (run) => onStep?.({ ...at, run }) },
      signal,
      summarize: (partials) => summarizeCopies(partials, copies, (p) => core.summarize(s, p)),
    });
    if (series.status !== "done") throw new Error(series.error ?? series.status);
    return series;
  };
  const base = await measure(variant(settings, { mode: MAIN }));
  const results = {};
  const fits = {};
  for (const kind of kinds) {
    results[kind] = [];
    for (const workers of counts) {
      const copies = weak ? workers : 1;
      const point = variant(settings, { mode: kind, workers, gil: false });
      const series = await measure(point, copies);
      const { min, max } = series.stats;
      const speedup = copies * speedupOf(series, base);
      results[kind].push({
        workers,
        tasks: series.tasks,
        ms: series.ms,
        min,
        max,
        speedup,
        digest: series.summary?.digest,
      });
    }
    const points = results[kind].map(({ workers, speedup }) => ({ workers, speedup }));
    fits[kind] = weak ? gustafsonFit(points) : core.amdahlFit(points);
  }
  const digest = base.summary?.digest;
  return { settings, scaling, baselineMs: base.ms, digest, results, fits };
}

/**
 * The task list `copies` times over, each task numbered by its place in the longer list (the
 * modes give results back by that number): weak scaling's n× the work, every copy the same
 * tasks, so each costs what the baseline's list costs.
 */
export function repeatTasks(specs, copies) {
  if (copies === 1) return specs;
  const n = specs.length;
  return Array.from({ length: n * copies }, (_, i) => ({ ...specs[i % n], index: i }));
}

/**
 * The summary of a run of `copies` copies of one task list: each copy's partials summarized
 * alone (`summarize`), the first's summary if every copy gave the same digest, else the first's
 * with no digest (the copies disagreed: not the job's answer).
 */
export function summarizeCopies(partials, copies, summarize) {
  if (copies === 1) return summarize(partials);
  const n = partials.length / copies;
  const each = Array.from({ length: copies }, (_, k) =>
    summarize(partials.slice(k * n, (k + 1) * n)),
  );
  const agree = each.every((x) => x.digest === each[0].digest);
  return agree ? each[0] : { ...each[0], digest: null };
}

/**
 * Gustafson's law fitted to weak scaling's points [{workers, speedup}] (scaled speedups
 * n × T₁ / Tₙ, each point n× the work): with a serial fraction s of each run, n workers do
 * S(n) = n − s·(n − 1) times the work in the time one does it. As the core's Amdahl fit does,
 * it uses only the points up to where the scaled speedup levels off (the fewest workers within
 * 95% of the best: past the cores the extra work waits its turn) and takes the least-squares s,
 * in closed form since S is linear in s, clamped to [0, 1]. Null without points or with a
 * non-positive speedup. Returns {serial_fraction, measured_cores, fitted_points, curve}, the
 * curve S(n) for n = 1 … the largest worker count.
 */
export function gustafsonFit(points) {
  if (points.length === 0 || points.some((p) => !(p.speedup > 0))) return null;
  const best = Math.max(...points.map((p) => p.speedup));
  const cores = Math.min(...points.filter((p) => p.speedup >= 0.95 * best).map((p) => p.workers));
  const used = points.filter((p) => p.workers <= cores);
  let num = 0;
  let den = 0;
  for (const { workers: n, speedup } of used) {
    num += (n - 1) * (n - speedup);
    den += (n - 1) ** 2;
  }
  // Only one worker in range: it says nothing of a parallel part; as the Amdahl fit, all
  // serial.
  const s = den > 0 ? Math.min(1, Math.max(0, num / den)) : 1;
  const largest = Math.max(...points.map((p) => p.workers));
  const curve = Array.from({ length: largest }, (_, i) => i + 1 - s * i);
  return { serial_fraction: s, measured_cores: cores, fitted_points: used.length, curve };
}
