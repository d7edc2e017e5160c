// The Result card: progress while a run goes, then the headline number, the speedup against
// the main thread, the answer, any failures, the picture and the per-task table.

const TABLE_ROWS = 500;
/** How often live displays redraw during a run, in ms. */
export const REFRESH_MS = 100;
const fmt = new Intl.NumberFormat("en-US");
const $ = (id) => document.getElementById(id);

export const MODE_LABEL = { main: "main thread", process: "process pool", threads: "thread pool" };

/** "Finished in 12.01 second(s)", as the article's program prints it. */
export function finishedLine(ms) {
  return `Finished in ${(ms / 1000).toFixed(2)} second(s)`;
}

export class ResultsView {
  #ticker = 0;
  #startedAt = 0;
  #bar = 0;
  #done = [0, 0];

  /** Resets the card for a new run of `total` tasks. */
  begin(total, status) {
    for (const id of ["finished", "speedup", "answer", "failures"]) $(id).hidden = true;
    $("picture").hidden = true;
    $("task-table").tBodies[0].replaceChildren();
    $("task-table-note").textContent = "";
    $("run-card").setAttribute("aria-busy", "true");
    this.progress(0, total);
    this.status(status);
    $("status").classList.remove("explain");
    // A timer on the page's thread on purpose: when that thread is busy the clock stops,
    // which is the freeze made visible. Ten updates a second, not sixty: on a 2-core machine
    // every repaint takes CPU time from the workers being measured.
    this.#startedAt = performance.now();
    const tick = () => {
      $("elapsed").textContent = `${((performance.now() - this.#startedAt) / 1000).toFixed(1)} s`;
      this.#ticker = setTimeout(tick, REFRESH_MS);
    };
    tick();
  }

  status(text) {
    $("status").textContent = text;
  }

  /** Records progress; the bar is redrawn at most every REFRESH_MS (see begin()). */
  progress(done, total) {
    this.#done = [done, total];
    this.#bar ||= setTimeout(() => this.#drawProgress(), REFRESH_MS);
  }

  #drawProgress() {
    clearTimeout(this.#bar);
    this.#bar = 0;
    const [done, total] = this.#done;
    const bar = $("progress");
    bar.max = Math.max(total, 1);
    bar.value = done;
    bar.setAttribute("aria-valuetext", `${done} of ${total} tasks done`);
  }

  /** Shows a finished (or stopped) run; `baseline` is the main-thread run to compare with. */
  end(record, baseline) {
    clearTimeout(this.#ticker);
    $("run-card").removeAttribute("aria-busy");
    $("elapsed").textContent = "";
    const done = Math.max(record.finished ?? 0, record.outcomes.filter(Boolean).length);
    this.progress(done, record.tasks);
    this.#drawProgress();

    if (record.status === "stopped") {
      const after = {
        main: "",
        process: " The workers were terminated; the next run starts a fresh pool.",
        threads:
          " Their results died with the thread pool's memory; the next run starts a fresh pool.",
      }[record.mode];
      this.status(
        `Stopped after ${(record.ms / 1000).toFixed(2)} s: ${done} of ${record.tasks} tasks had finished.${after}`,
      );
      return;
    }
    if (record.status === "error") {
      this.status(`The run could not finish: ${record.error}`);
      return;
    }

    const finished = $("finished");
    finished.textContent = finishedLine(record.ms);
    finished.dataset.ms = record.ms.toFixed(3);
    finished.hidden = false;
    this.status(describe(record));
    $("status").classList.add("explain");

    const speedup = $("speedup");
    speedup.hidden = false;
    if (record.mode === "main") {
      speedup.textContent = "This is the baseline: every other mode is compared with it.";
    } else if (baseline) {
      const s = baseline.ms / record.ms;
      const unit = record.mode === "threads" ? "thread" : "worker";
      speedup.innerHTML = `<strong>${s.toFixed(2)}×</strong> the speed of the main thread (${(baseline.ms / 1000).toFixed(2)} s for the same ${fmt.format(record.tasks)} tasks) · <strong>${Math.round((100 * s) / record.workers)}%</strong> parallel efficiency on ${record.workers} ${unit}${record.workers > 1 ? "s" : ""}`;
    } else {
      speedup.textContent =
        "No main-thread run of these settings yet: press “Compare with the main thread” to see the speedup.";
    }

    const answer = $("answer");
    answer.hidden = !record.summary;
    if (record.summary) {
      answer.innerHTML = "";
      answer.append(record.summary.headline, " ");
      const digest = document.createElement("code");
      digest.className = "digest";
      digest.id = "digest";
      digest.textContent = record.summary.digest;
      digest.title = "Digest of the result: the same in every mode and for every task count";
      answer.append(digest);
      if (record.failures.length > 0) answer.append(" (incomplete: some tasks failed)");
    }

    const failures = $("failures");
    failures.hidden = record.failures.length === 0;
    if (record.failures.length > 0) {
      const [first] = record.failures;
      const more = record.failures.length > 1 ? ` and ${record.failures.length - 1} more` : "";
      const after = {
        main: "; the page's wasm instance was replaced",
        process: "; the worker whose instance died was replaced",
        threads: "; the panic unwound on its own thread, so the other threads carried on",
      }[record.mode];
      failures.textContent = `Task ${first.index} failed${more}: ${first.message}. The other ${record.tasks - record.failures.length} tasks finished${after}.`;
    }
    this.#table(record);
  }

  #table(record) {
    const body = $("task-table").tBodies[0];
    const rows = record.outcomes.slice(0, TABLE_ROWS).map((outcome, i) => {
      const tr = document.createElement("tr");
      const v = outcome?.value;
      const cells = [
        String(i),
        outcome ? who(outcome.worker, record.mode) : "–",
        v ? (v.start - record.start).toFixed(1) : "–",
        v ? (v.end - v.start).toFixed(1) : "–",
        outcome?.error ? outcome.error.message : v ? "ok" : "not run",
      ];
      for (const text of cells) tr.insertCell().textContent = text;
      if (outcome?.error) tr.className = "failed";
      return tr;
    });
    body.replaceChildren(...rows);
    $("task-table-note").textContent =
      record.outcomes.length > TABLE_ROWS
        ? `Showing the first ${TABLE_ROWS} of ${fmt.format(record.outcomes.length)} tasks.`
        : "";
  }

  /** Draws a Mandelbrot run's bands into the canvas, `width` pixels wide. */
  draw(record, specs, width) {
    const height = specs.at(-1).hi;
    const canvas = $("picture");
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    record.outcomes.forEach((outcome, i) => {
      if (outcome?.value?.pixels) image.data.set(outcome.value.pixels, specs[i].lo * width * 4);
    });
    canvas.getContext("2d").putImageData(image, 0, 0);
    canvas.hidden = false;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `The Mandelbrot set, ${width} by ${height} pixels`);
  }
}

/** How a worker or thread is named in the log and tables: w0, t1, main. */
export function who(worker, mode) {
  if (worker === "main") return "main";
  return `${mode === "threads" ? "t" : "w"}${worker}`;
}

/** One sentence on what happened and why. */
function describe(record) {
  const { settings } = record;
  const plural = record.workers > 1 ? "s" : "";
  const where = {
    main: "on the page's own thread, one task after another",
    process: `on ${record.workers} worker${plural}, each with its own memory`,
    threads: `on ${record.workers} thread${plural} sharing one memory${settings.gil ? ", taking turns under the model GIL" : ""}`,
  }[record.mode];
  let text = `${fmt.format(record.tasks)} tasks ran ${where}.`;
  if (record.coldStartMs > 0) {
    text += ` Starting the pool (spawning workers, instantiating wasm) took ${record.coldStartMs.toFixed(0)} ms more, not counted above.`;
  }
  if (settings.workload === "sleeper" && record.floorMs > 0) {
    const overhead = record.ms - record.floorMs;
    text += ` No schedule can beat the longest sleep, ${(record.floorMs / 1000).toFixed(2)} s; the other ${overhead.toFixed(0)} ms is everything else.`;
  }
  return text;
}
