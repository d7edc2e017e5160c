// The History table: every series, so modes can be compared. A series' speedup is measured
// against the latest main-thread series of the same task list.
import { modeLabel } from "./wording.js";
import { computeMsOf } from "../engine/analysis.js";

import { efficiencyOf, isBaseline, speedupOf } from "../engine/series.js";
import { fmt, percent, plural, seconds as s2 } from "./format.js";

/**
 * Series with equal keys ran the same task list and must give the same digest; the time
 * scale counts only where the tasks sleep (`facts` from the core's plan).
 */
export function taskListKey(s, facts) {
  const scale = facts?.sleeps ? s.scale : 1;
  return [s.workload, s.size, s.tasks, scale, s.fail ?? ""].join("|");
}

/**
 * The History's columns, in order: each with its heading, whether it holds text (left-aligned;
 * numbers align right) and how a series fills it. Shared with the Markdown export.
 */
export const HISTORY_COLUMNS = [
  { key: "n", head: "#", text: true, cell: ({ series }) => String(series.n) },
  { key: "workload", head: "Workload", text: true, cell: ({ s }) => s.workload },
  { key: "size", head: "Size", cell: ({ s }) => fmt.format(s.size) },
  { key: "tasks", head: "Tasks", cell: ({ series }) => fmt.format(series.tasks) },
  { key: "mode", head: "Mode", text: true, cell: ({ series }) => modeLabel(series) },
  { key: "workers", head: "Workers", cell: ({ series }) => String(series.workers) },
  {
    key: "time",
    head: "Time (s)",
    cell: ({ series }) =>
      series.status !== "done"
        ? series.status
        : s2(series.ms) +
          (series.runs.length > 1 ? ` (${s2(series.stats.min)}–${s2(series.stats.max)})` : ""),
  },
  {
    key: "speedup",
    head: "Speedup",
    cell: ({ series, speedup }) =>
      isBaseline(series) ? "baseline" : speedup ? `${speedup.toFixed(2)}×` : "–",
  },
  {
    key: "efficiency",
    head: "Efficiency",
    cell: ({ series, speedup }) => (speedup ? percent(efficiencyOf(speedup, series.workers)) : "–"),
  },
  {
    key: "longTasks",
    head: "Long tasks",
    cell: ({ series }) => {
      const long = series.runs.map((r) => r.responsiveness?.longTasks ?? 0);
      return long.length ? String(Math.max(...long)) : "–";
    },
  },
  {
    key: "digest",
    head: "Digest",
    text: true,
    cell: ({ series }) => series.summary?.digest ?? "–",
  },
];

/** The table's cells for a series, in HISTORY_COLUMNS order. */
export function historyCells(series, baseline) {
  const row = { series, s: series.settings, speedup: speedupOf(series, baseline) };
  return HISTORY_COLUMNS.map((column) => column.cell(row));
}

// Bounds that keep hours of use from growing the page: the table shows the newest rows, the
// newest series keep every task's timings (for the timeline, the CSV and the JSON), and older
// series keep their numbers only. The downloads include every series kept.
/** Rows the table shows. */
export const HISTORY_ROWS = 10;
/** Newest series that keep per-task timings. */
export const HISTORY_DETAIL = 10;
/** Series kept at all (numbers only beyond HISTORY_DETAIL); older ones are dropped. */
export const HISTORY_KEEP = 50;

/**
 * A run without its per-task outcomes, but with their total compute time (a later series'
 * explanation may compare with it as its baseline): what an older series keeps.
 */
export function lightRun(run) {
  if (!run?.outcomes) return run;
  const { label, mode, workers, tasks, start, end, ms, status, error, responsiveness } = run;
  const computeMs = computeMsOf(run);
  return {
    label,
    mode,
    workers,
    tasks,
    start,
    end,
    ms,
    status,
    error,
    responsiveness,
    computeMs,
    outcomes: null,
  };
}

export class History {
  #body;
  #series = [];
  #baselines = new WeakMap();
  #added = 0;
  #dropped = 0;

  /** `table`: the History's table, whose header is written here from HISTORY_COLUMNS. */
  constructor(table) {
    this.#body = table.tBodies[0];
    const head = table.tHead.insertRow();
    for (const column of HISTORY_COLUMNS) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = column.head;
      head.append(th);
    }
  }

  get series() {
    return this.#series;
  }

  /** The baseline a series was compared with when it was added. */
  baselineOf(series) {
    return this.#baselines.get(series) ?? null;
  }

  /** The latest finished main-thread series of the same task list as `settings`. */
  baselineFor(settings, facts) {
    const key = taskListKey(settings, facts);
    return this.#series.findLast(
      (r) => isBaseline(r) && r.status === "done" && taskListKey(r.settings, r.facts) === key,
    );
  }

  add(series, baseline) {
    series.n = ++this.#added;
    this.#series.push(series);
    this.#baselines.set(series, baseline ?? null);
    const older = this.#series.at(-1 - HISTORY_DETAIL);
    if (older?.runs.some((r) => r.outcomes)) {
      older.runs = older.runs.map(lightRun);
      older.warmup = lightRun(older.warmup);
      older.representative = lightRun(older.representative);
    }
    if (this.#series.length > HISTORY_KEEP) {
      this.#series.shift();
      this.#dropped += 1;
    }
    const tr = this.#body.insertRow(0);
    if (this.#body.rows.length > HISTORY_ROWS) this.#body.rows[HISTORY_ROWS].remove();
    const hidden = this.#series.length - this.#body.rows.length;
    const note = document.getElementById("history-older");
    note.hidden = hidden === 0;
    note.textContent =
      `${plural(hidden, "older series", "older series")} not shown here ${hidden > 1 ? "are" : "is"} in the downloads ` +
      `(per-task timings for the newest ${HISTORY_DETAIL})` +
      (this.#dropped > 0
        ? `; the ${plural(this.#dropped, "oldest series", "oldest series")} ${this.#dropped > 1 ? "were" : "was"} let go, as the History keeps ${HISTORY_KEEP}.`
        : ".");
    for (const text of historyCells(series, baseline)) tr.insertCell().textContent = text;
    // Eight hex digits are plenty to compare by eye; the cell's title has all sixteen.
    const digest = tr.cells[HISTORY_COLUMNS.findIndex((c) => c.key === "digest")];

    digest.className = "digest";
    if (series.summary) {
      digest.title = series.summary.digest;
      digest.textContent = series.summary.digest.slice(0, 8);
    }
    if (baseline && series.summary && baseline.summary?.digest !== series.summary.digest) {
      digest.classList.add("mismatch");
      digest.title += ": differs from the main-thread run's digest";
    }
    const speedup = speedupOf(series, baseline);
    Object.assign(tr.dataset, {
      n: series.n,
      workload: series.settings.workload,
      mode: series.mode,
      gil: String(series.settings.gil),
      workers: series.workers,
      tasks: series.tasks,
      chunksize: series.facts?.chunksize ?? series.settings.chunksize,
      size: series.settings.size,
      status: series.status,
      wallMs: (series.ms ?? series.representative?.ms ?? 0).toFixed(3),
      repeats: series.runs.length,
      longTasks: Math.max(0, ...series.runs.map((r) => r.responsiveness?.longTasks ?? 0)),
      digest: series.summary?.digest ?? "",
      failures: series.failures?.length ?? 0,
      // The measured runs' [start, end] on now()'s clock (ms since the epoch), "from-to" each:
      // the benchmark reads the browser's CPU time inside them.
      spans: series.runs
        .filter((r) => r.start && r.end)
        .map((r) => `${r.start.toFixed(1)}-${r.end.toFixed(1)}`)
        .join(" "),
    });
    if (series.stats)
      Object.assign(tr.dataset, {
        minMs: series.stats.min.toFixed(3),
        maxMs: series.stats.max.toFixed(3),
      });
    if (speedup) tr.dataset.speedup = speedup.toFixed(4);
    return tr;
  }
}
