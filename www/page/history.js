// The History table: every run, so modes can be compared. A run's speedup is measured
// against the latest main-thread run of the same task list.

const fmt = new Intl.NumberFormat("en-US");

/** Runs with equal keys ran the same task list and must give the same digest. */
export function taskListKey(s) {
  const scale = s.workload === "sleeper" ? s.scale : 1;
  return [s.workload, s.size, s.tasks, scale, s.fail ?? ""].join("|");
}

export class History {
  #body;
  #records = [];

  constructor(table) {
    this.#body = table.tBodies[0];
  }

  get records() {
    return this.#records;
  }

  /** The latest finished main-thread run of the same task list as `settings`. */
  baselineFor(settings) {
    const key = taskListKey(settings);
    return this.#records.findLast(
      (r) => r.mode === "main" && r.status === "done" && taskListKey(r.settings) === key,
    );
  }

  add(record, baseline) {
    record.n = this.#records.length + 1;
    this.#records.push(record);
    const s = record.settings;
    const isBaseline = record.mode === "main";
    const speedup =
      baseline && !isBaseline && record.status === "done" ? baseline.ms / record.ms : null;
    const tr = this.#body.insertRow(0);
    const cells = [
      String(record.n),
      s.workload,
      fmt.format(s.size),
      fmt.format(record.tasks),
      { main: "main thread", process: "process pool", threads: "thread pool" }[record.mode] +
        (record.mode === "threads" && s.gil ? " + GIL" : ""),
      String(record.workers),
      record.status === "done" ? (record.ms / 1000).toFixed(2) : record.status,
      isBaseline ? "baseline" : speedup ? `${speedup.toFixed(2)}×` : "–",
      speedup ? `${Math.round((100 * speedup) / record.workers)}%` : "–",
      record.summary?.digest ?? "–",
    ];
    for (const text of cells) tr.insertCell().textContent = text;
    tr.cells[9].className = "digest";
    if (baseline && record.summary && baseline.summary?.digest !== record.summary.digest) {
      tr.cells[9].classList.add("mismatch");
      tr.cells[9].title = "Differs from the main-thread run's digest";
    }
    Object.assign(tr.dataset, {
      n: record.n,
      workload: s.workload,
      mode: record.mode,
      gil: String(record.mode === "threads" && s.gil),
      workers: record.workers,
      tasks: record.tasks,
      size: s.size,
      status: record.status,
      wallMs: record.ms.toFixed(3),
      digest: record.summary?.digest ?? "",
      failures: record.failures.length,
    });
    if (speedup) tr.dataset.speedup = speedup.toFixed(4);
    return tr;
  }
}
