// The sweep: how far a workload scales. A main-thread baseline, then each pool kind with 1, 2,
// … workers, every point a measured series (runs.js) of the same task list; then Amdahl's law
// fitted to each kind's speedups by the core. No DOM here: the page hears each step.
import { runSeries } from "./runs.js";
import { MAIN, speedupOf } from "./series.js";

/**
 * Measures the sweep of `settings`: `kinds` (e.g. ["process", "threads"]) at each worker
 * count in `counts`. `variant(settings, changes)` makes a point's settings (the core re-reads
 * them); `modes` are the App's; `onStep({step, total, kind, workers, run})` hears each run
 * start (kind MAIN for the baseline). Rejects with the first point that did not finish, or
 * with Stop's reason. Resolves with {settings, baselineMs, digest, results, fits}: per kind,
 * [{workers, ms, min, max, speedup, digest}] and the core's amdahlFit of them.
 */
export async function measureSweep({
  core,
  modes,
  settings,
  variant,
  kinds,
  counts,
  signal,
  onStep,
}) {
  const { specs, facts } = core.plan(settings);
  const total = 1 + counts.length * kinds.length;
  let step = 0;
  const measure = async (s) => {
    step += 1;
    const at = { step, total, kind: s.mode, workers: s.workers };
    const series = await runSeries({
      mode: modes[s.mode],
      specs,
      facts,
      settings: s,
      hooks: { onRunStart: (run) => onStep?.({ ...at, run }) },
      signal,
      summarize: (partials) => core.summarize(s, partials),
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
      const series = await measure(variant(settings, { mode: kind, workers, gil: false }));
      const { min, max } = series.stats;
      const speedup = speedupOf(series, base);
      results[kind].push({
        workers,
        ms: series.ms,
        min,
        max,
        speedup,
        digest: series.summary?.digest,
      });
    }
    fits[kind] = core.amdahlFit(
      results[kind].map(({ workers, speedup }) => ({ workers, speedup })),
    );
  }
  return { settings, baselineMs: base.ms, digest: base.summary?.digest, results, fits };
}
