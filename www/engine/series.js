// Series arithmetic: what measured runs say when set beside each other. A series (runs.js
// runSeries) is one task list in one mode, run a few times; the main-thread series of the
// same task list is the baseline every other mode is compared with. The widgets display
// these numbers and compute none of them.

/** The page's own thread, as a worker name and a timeline lane. */
export const MAIN = "main";

/** Whether `x` (settings, a series or a run) runs on the main thread: the baseline's mode. */
export const isBaseline = (x) => x.mode === MAIN;

/**
 * How many times faster `series` ran than `baseline` (its median over the baseline's), or
 * null: no baseline, a series that is the baseline, or one that did not finish.
 */
export function speedupOf(series, baseline) {
  if (!baseline || isBaseline(series) || series.status !== "done" || !(series.ms > 0)) return null;
  return baseline.ms / series.ms;
}

/** Parallel efficiency: the speedup each worker brought, 1 when n workers give n×. */
export const efficiencyOf = (speedup, workers) => speedup / workers;

/** The timeline's lanes for a run: the main thread's one, or each worker's. */
export const lanesOf = (run) =>
  isBaseline(run) ? [MAIN] : Array.from({ length: run.workers }, (_, i) => i);

/** What the `k`th run of a series is called (k from 0; the warm-up, if any, is first). */
export function runLabel(k, { repeats, warmup }) {
  if (warmup && k === 0) return "warm-up";
  return `run ${k + (warmup ? 0 : 1)} of ${repeats}`;
}

/** Whether a series' runs are told apart by name (there is a warm-up or more than one). */
export const namesRuns = ({ repeats, warmup }) => repeats > 1 || Boolean(warmup);

/** Whether `run` is the last of several measured runs (the result shown is their median). */
export const isLastOfSeveral = (run, { repeats }) =>
  repeats > 1 && run.label === runLabel(repeats - 1, { repeats, warmup: false });

/** The median of numbers sorted ascending (the mean of the middle two for an even count). */
export function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * A series' measured runs summed up: {stats: {median, min, max}, representative}, the
 * representative being the run closest to the median (the one the page shows).
 */
export function summarizeRuns(runs) {
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const stats = { median: median(times), min: times[0], max: times.at(-1) };
  const representative = runs.reduce((best, r) =>
    Math.abs(r.ms - stats.median) < Math.abs(best.ms - stats.median) ? r : best,
  );
  return { stats, representative };
}
