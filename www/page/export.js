// The History's files: every series (with each measured run's per-task timings) as JSON or
// CSV. Loaded when one is asked for (share.js): most readers never download one.
import { who } from "./wording.js";
import { speedupOf } from "../engine/series.js";

const round = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** Per-task timings of a run, in ms since the run's start; null where they were not kept. */
function tasksOf(run) {
  return run.outcomes?.map((o, task) => ({
    task,
    worker: o ? who(o.worker, run.mode) : null,
    start_ms: round(o?.value ? o.value.start - run.start : NaN),
    end_ms: round(o?.value ? o.value.end - run.start : NaN),
    compute_ms: round(o?.value ? (o.value.computed ?? o.value.end) - o.value.start : NaN),
    outcome: o?.error ? o.error.message : o?.value ? "ok" : "not run",
  }));
}

/** Everything the History holds, as one JSON-ready object. */
export function report(history, page) {
  return {
    page,
    series: history.series.map((s) => {
      const baseline = history.baselineOf(s);
      return {
        n: s.n,
        settings: s.settings,
        mode: s.mode,
        workers: s.workers,
        tasks: s.tasks,
        status: s.status,
        cold_start_ms: round(s.coldStartMs),
        median_ms: round(s.ms),
        min_ms: round(s.stats?.min),
        max_ms: round(s.stats?.max),
        speedup: round(speedupOf(s, baseline)),
        digest: s.summary?.digest ?? null,
        headline: s.summary?.headline ?? null,
        warmup_ms: round(s.warmup?.ms),
        runs: s.runs.map((r) => ({
          label: r.label,
          wall_ms: round(r.ms),
          status: r.status,
          long_tasks: r.responsiveness?.longTasks ?? null,
          longest_task_ms: round(r.responsiveness?.longestMs),
          fps: r.responsiveness?.fps ?? null,
          tasks: tasksOf(r),
        })),
      };
    }),
  };
}

const CSV_HEAD = [
  "series",
  "workload",
  "size",
  "tasks",
  "mode",
  "gil",
  "workers",
  "chunksize",
  "run",
  "run_wall_ms",
  "task",
  "worker",
  "start_ms",
  "end_ms",
  "compute_ms",
  "outcome",
];

function csvCell(value) {
  const text = value == null ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row per task of every measured run. */
export function csv(history) {
  const rows = [CSV_HEAD];
  for (const s of history.series) {
    s.runs.forEach((run, k) => {
      // A series old enough to keep its numbers only gets one row per run, tasks blank.
      for (const t of tasksOf(run) ?? [{}]) {
        rows.push([
          s.n,
          s.settings.workload,
          s.settings.size,
          s.tasks,
          s.mode,
          s.settings.gil,
          s.workers,
          s.settings.chunksize,
          k + 1,
          round(run.ms),
          t.task,
          t.worker,
          t.start_ms,
          t.end_ms,
          t.compute_ms,
          t.outcome,
        ]);
      }
    });
  }
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\n")}\n`;
}
