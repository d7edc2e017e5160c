// The Python panel: an editor holding a Python program (the article's, or another example),
// run by real CPython (Pyodide) in workers: the program as __main__ in one interpreter, each
// process of its executor in another (engine/python.js). Its markup is in index.html; this
// module and the runtime load only when the panel is first opened. It is built from the
// page's pieces: the output is a Log, the link is link.js's, the timeline's kinds are
// analysis.js's PHASES, and what Python can do here is capabilities.js's modeSupport.
import { MAIN_LANE, PythonSession } from "../engine/python.js";
import { PHASES, mergeSpans } from "../engine/analysis.js";
import { now } from "../engine/measure.js";
import { mib, plural, seconds as secs } from "./format.js";
import { Log } from "./log.js";
import { redrawEvery } from "./live.js";
import { MAX_PROGRAM_BYTES, pack, programInLink, putProgramInLink, unpack } from "./link.js";

const $ = (id) => document.getElementById(id);

/** The phases a Python timeline draws, in PHASES' words. */
const KINDS = ["start", "import", "run", "sleep", "queue", "lock", "await"];
/** The marks of messages through a Queue or Pipe, at the top of a row (sent) or its foot. */
const MARKS = { sent: "a message put or sent", got: "a message taken or received" };

let opened = null;

/**
 * Opens the panel (once). `cpus`: what cpu_count() will say; `processes`: true, or why
 * ProcessPoolExecutor cannot run here (modeSupport's `pythonProcesses`).
 */
export function openPython({ cpus, processes }) {
  opened ??= new PythonPanel(cpus, processes);
  return opened;
}

class PythonPanel {
  #session;
  #processes;
  #log = new Log($("py-output"), $("py-dropped"));
  #lanes = new Map();
  #spans = [];
  #marks = [];
  #run = null;
  #lastRun = null; // the run the timeline shows, once it has ended: its trace's
  #stopRedraws = () => {};
  #linkTimer = null;
  #tabLeaves = false;
  #announced = false;

  constructor(cpus, processes) {
    this.#processes = processes;
    $("py-legend").innerHTML = [
      ...KINDS.map((kind) => `<li><span class="py-swatch ph-${kind}"></span>${PHASES[kind]}</li>`),
      ...Object.entries(MARKS).map(
        ([mark, text]) => `<li><span class="py-swatch py-mark-key mk-${mark}"></span>${text}</li>`,
      ),
    ].join("");
    const trace = button("Download trace", () => this.#downloadTrace());
    Object.assign(trace, { id: "py-trace", disabled: true });
    const traceSaid = Object.assign(document.createElement("span"), {
      id: "py-trace-status",
      className: "hint",
    });
    traceSaid.setAttribute("role", "status");
    const traceRow = Object.assign(document.createElement("p"), { className: "py-trace" });
    traceRow.append(trace, " ", traceSaid);
    $("py-legend").after(traceRow);
    this.#session = new PythonSession({
      cpus,
      processes: processes === true,
      onLane: (lane) => this.#lanes.set(lane.id, lane),
      onLine: ({ lane, text, stream }) => this.#log.add(text, laneName(lane), stream),
      onSpan: (span) => this.#spans.push(span),
      onMark: (mark) => this.#marks.push(mark),
    });
    this.#wire();
    this.#load();
  }

  /** The last run's timeline as a Trace Event Format file (trace.js). */
  async #downloadTrace() {
    const run = this.#lastRun;
    if (!run) return;
    const [{ pythonTrace }, { download }] = await Promise.all([
      import("./trace.js"),
      import("./share.js"),
    ]);
    const trace = pythonTrace({
      lanes: this.#lanes,
      spans: this.#spans,
      marks: this.#marks,
      run,
      mainLane: MAIN_LANE,
      nameOf: laneName,
    });
    download("python.trace.json", "application/json", JSON.stringify(trace));
    $("py-trace-status").textContent =
      "Downloaded python.trace.json: open it in ui.perfetto.dev or profiler.firefox.com.";
  }

  /** Why ProcessPoolExecutor cannot run here, as a sentence, or "". */
  get #noProcesses() {
    return this.#processes === true
      ? ""
      : ` ProcessPoolExecutor will say what it needs: ${this.#processes}.`;
  }

  async #load() {
    const fromLink = programInLink();
    let source = null;
    if (fromLink) {
      try {
        source = await unpack(fromLink);
        $("py-example").value = "custom";
        putProgramInLink(fromLink); // an old ?py= link moves to the fragment
      } catch (error) {
        this.#showError(
          `The program in this link could not be read (${error.message}); the article's program stands in.`,
        );
      }
    }
    source ??= await example("article");
    this.#setSource(source);
    this.#say(
      this.#processes === true
        ? "Starting Python (the first time, it downloads 6.4 MB)…"
        : `Plain Python runs here.${this.#noProcesses} Starting Python…`,
    );
    this.#warm();
  }

  /**
   * Starts the next run's main interpreter. Only the first start is announced: later ones
   * happen after a run, whose result stays on screen.
   */
  #warm() {
    const first = !this.#announced;
    this.#announced = true;
    delete $("py-status").dataset.processesReady;
    this.#session.warm().then(
      ({ from, to }) => {
        $("py-run").disabled = Boolean(this.#run);
        const ready = `Python is ready: its main interpreter started in <strong>${secs(to - from)}</strong> s.`;
        if (first) $("py-status").dataset.mainStartMs = String(to - from);
        if (first && !this.#run) this.#say(`${ready}${this.#noProcesses}`, true);
        this.#session.processesReady().then((starts) => {
          $("py-status").dataset.processesReady = String(starts.length);
          if (!first || this.#run || starts.length === 0) return;
          const each = starts.map(({ from, to }) => to - from);
          this.#say(
            `${ready} ${plural(starts.length, "process", "processes")} started too, in ${secs(Math.max(...each))} s at most: ready before any executor asks, as CPython's forkserver keeps a process ready.`,
            true,
          );
        });
      },
      (error) => {
        $("py-run").disabled = Boolean(this.#run); // Run tries again
        if (first) this.#say(`Python could not start: ${error.message}`);
      },
    );
  }

  #wire() {
    const source = $("py-source");
    source.addEventListener("input", () => {
      $("py-example").value = "custom";
      this.#gutter();
      this.#linkLater();
    });
    source.addEventListener("scroll", () => ($("py-gutter").scrollTop = source.scrollTop));
    source.addEventListener("keydown", (event) => {
      // Tab indents (Python needs it); Escape then Tab leaves the editor, as in other editors.
      if (event.key === "Tab" && !event.shiftKey && !this.#tabLeaves) {
        event.preventDefault();
        document.execCommand("insertText", false, "    ") || insertAtCursor(source, "    ");
      }
      this.#tabLeaves = event.key === "Escape";
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("py-run").click();
    });
    $("py-example").addEventListener("change", async (event) => {
      if (event.target.value === "custom") return;
      try {
        this.#setSource(await example(event.target.value));
        this.#link();
      } catch (error) {
        this.#showError(`That example could not be loaded: ${error.message}`);
      }
    });
    $("py-run").addEventListener("click", () => this.#start());
    $("py-stop").addEventListener("click", () => {
      if (this.#session.stop()) this.#finish({ stopped: true });
    });
  }

  #setSource(text) {
    $("py-source").value = text;
    this.#gutter();
  }

  #gutter() {
    const count = $("py-source").value.split("\n").length;
    $("py-gutter").textContent = Array.from({ length: count }, (_, i) => i + 1).join("\n");
  }

  #linkLater() {
    clearTimeout(this.#linkTimer);
    this.#linkTimer = setTimeout(() => this.#link(), 400);
  }

  async #link() {
    clearTimeout(this.#linkTimer);
    const text = $("py-source").value;
    // The page would refuse to open a longer one (link.js): none is written.
    if (new Blob([text]).size > MAX_PROGRAM_BYTES) return;
    putProgramInLink(await pack(text));
  }

  async #start() {
    if (this.#session.running) return;
    const source = $("py-source").value;
    const scale = Number(document.querySelector("input[name=py-scale]:checked").value);
    this.#link();
    this.#lanes = new Map([[MAIN_LANE, { id: MAIN_LANE, name: "main" }]]);
    this.#spans = [];
    this.#marks = [];
    this.#lastRun = null; // its trace is gone with its timeline
    $("py-trace").disabled = true;
    $("py-trace-status").textContent = "";
    this.#log.clear();
    $("py-error").hidden = true;
    $("py-run").disabled = true;
    $("py-stop").disabled = false;
    $("py-scale-note").textContent = scale === 1 ? "" : `time.sleep runs at ${scale}×`;
    this.#run = { clicked: now(), scale };
    // The main interpreter's start-up, where it overlaps the run (Run pressed before it was
    // ready); drawTimeline clips what came before.
    this.#session.warm().then(
      ({ from, to }) => this.#spans.push({ lane: MAIN_LANE, kind: "start", from, to }),
      () => {},
    );
    this.#say("Running… Stop ends every interpreter.");
    this.#stopRedraws = redrawEvery(() => this.#draw());
    try {
      this.#finish(await this.#session.run(source, { scale }));
    } catch (error) {
      if (error.name !== "AbortError") this.#finish({ failed: error });
    }
  }

  #finish(result) {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    this.#stopRedraws();
    run.ended = now();
    this.#draw(run);
    this.#lastRun = run;
    $("py-trace").disabled = false;
    $("py-stop").disabled = true;
    $("py-run").disabled = false;
    const wall = secs(run.ended - (result.startedAt ?? run.clicked));
    if (result.stopped) {
      this.#say(
        `Stopped after <strong>${wall}</strong> s: every interpreter was terminated.`,
        true,
      );
    } else if (result.failed) {
      this.#say(`Python could not run the program: ${result.failed.message}`);
    } else if (result.error) {
      const where = result.error.line ? ` on line ${result.error.line}` : "";
      this.#say(`The program stopped with ${result.error.type}${where} after ${wall} s.`);
      this.#showTraceback(result.error);
    } else {
      this.#say(
        `Done in <strong>${wall}</strong> s (the program's start to its end, on the page's clock).${this.#processesLine()}`,
        true,
      );
    }
    document.documentElement.dataset.pythonRuns = String(
      Number(document.documentElement.dataset.pythonRuns ?? 0) + 1,
    );
    this.#warm(); // the next run's main interpreter, started while you read
  }

  /**
   * " 2 processes, each started in 0.9–1.1 s with its own 40.0 MiB of memory; the first
   * result 1.2 s after the program asked for them.", or "". A process started ahead (see
   * PythonSession's #keepProcessesReady) is said to be: its start-up came before the
   * executor, and is not in the time to the first result.
   */
  #processesLine() {
    const processes = [...this.#lanes.values()].filter((l) => l.id !== MAIN_LANE);
    // Each process's start-up (ms), those started ahead of the program's request apart from
    // those started when it asked (spawn's, or once no ready one was left).
    const startsOf = (ahead) =>
      this.#spans
        .filter((s) => s.kind === "start" && s.lane !== MAIN_LANE)
        .filter((s) => Boolean(this.#lanes.get(s.lane)?.startedAhead) === ahead)
        .map((s) => s.to - s.from)
        .sort((a, b) => a - b);
    const [early, asked] = [startsOf(true), startsOf(false)];
    const starts = [...early, ...asked].sort((a, b) => a - b);
    const status = $("py-status").dataset;
    status.startsMs = JSON.stringify(starts);
    if (starts.length === 0) return "";
    const memories = processes.map((l) => l.memoryBytes).filter(Boolean);
    const ahead = processes.filter((l) => l.startedAhead).length;
    const memory =
      memories.length === 0
        ? ""
        : `${ahead > 0 ? ", each" : ""} with its own ${mib(Math.min(...memories))} of memory`;
    const range = (ms) =>
      ms.length === 1 ? `${secs(ms[0])} s` : `${secs(ms[0])}–${secs(ms.at(-1))} s`;
    let started = `each started in ${range(starts)}`;
    if (ahead > 0) {
      const all = ahead === processes.length;
      const took = early.length > 0 ? ` (${range(early)} each, while the page waited)` : "";
      started = `${all ? "all" : `${ahead} of them`} started ahead of the program's request${took}`;
      if (!all && asked.length > 0)
        started += `, ${processes.length - ahead} when it asked (${range(asked)} each)`;
    }
    const first = this.#firstResult(processes);
    status.firstResultMs = first === null ? "" : String(first);
    const result =
      first === null ? "" : `; the first result ${secs(first)} s after the program asked for them`;
    return ` ${plural(processes.length, "process", "processes")}, ${started}${memory}${result}.`;
  }

  /** From the first process's spawn to the end of the first task any process ran (ms), or null. */
  #firstResult(processes) {
    if (processes.length === 0) return null;
    const asked = Math.min(...processes.map((l) => l.spawnAt));
    const ends = this.#spans.filter((s) => s.kind === "run" && s.lane !== MAIN_LANE);
    return ends.length === 0 ? null : Math.min(...ends.map((s) => s.to)) - asked;
  }

  #say(html, isHtml = false) {
    if (isHtml) $("py-status").innerHTML = html;
    else $("py-status").textContent = html;
  }

  #showError(text) {
    const box = $("py-error");
    box.replaceChildren(Object.assign(document.createElement("p"), { textContent: text }));
    box.hidden = false;
  }

  #showTraceback({ type, text, line }) {
    const head = Object.assign(document.createElement("p"), {
      className: "py-error-head",
      textContent: line ? `${type} on line ${line}` : type,
    });
    const parts = [head];
    if (line) parts.push(button(`Show line ${line}`, () => selectLine($("py-source"), line)));
    if (type === "ThreadsUnavailable") {
      parts.push(button("Open the thread pool with the GIL switch", openThreadsWithGil));
    }
    if (type === "ModuleNotFoundError") {
      parts.push(
        Object.assign(document.createElement("p"), {
          textContent:
            "This page's Python has the standard library only: it downloads no packages (numpy and the like are not here).",
        }),
      );
    }
    parts.push(Object.assign(document.createElement("pre"), { textContent: text }));
    $("py-error").replaceChildren(...parts);
    $("py-error").hidden = false;
  }

  /** Output and timeline, as they stand (`run`: the finished run, else the live one). */
  #draw(run = this.#run) {
    this.#log.flush();
    if (run) drawTimeline($("py-timeline"), this.#lanes, this.#spans, this.#marks, run);
  }
}

/** The example `id`'s program, from www/python/examples/. */
async function example(id) {
  const response = await fetch(new URL(`../python/examples/${id}.py`, import.meta.url));
  if (!response.ok) throw new Error(`${id}.py: HTTP ${response.status}`);
  return response.text();
}

/** How the output and the timeline name an interpreter: "main", or "process" and its pid. */
function laneName(id) {
  return id === MAIN_LANE ? "main" : `process ${id}`;
}

function button(text, onClick) {
  const el = Object.assign(document.createElement("button"), { type: "button", textContent: text });
  el.addEventListener("click", onClick);
  return el;
}

/**
 * The timeline: one row per interpreter, from Run (0 s) to the end of the run; its spans, and
 * a mark per message it sent or took (one per pixel and kind, however many fall in it).
 */
function drawTimeline(box, lanes, spans, marks, run) {
  const from = run.clicked;
  const to = Math.max(run.ended ?? now(), from + 1);
  const width = to - from;
  const clipped = spans
    .map((s) => ({ ...s, from: Math.max(0, s.from - from), to: Math.min(width, s.to - from) }))
    .filter((s) => s.to > s.from);
  const tracks = new Map(
    [...lanes.keys()].map((id) => [
      id,
      Object.assign(document.createElement("div"), { className: "py-track" }),
    ]),
  );
  const msPerPixel = width / Math.max(box.clientWidth, 280);
  for (const bar of mergeSpans(clipped, msPerPixel)) {
    const el = Object.assign(document.createElement("span"), {
      className: `py-span ph-${bar.kind}`,
      title: spanTitle(bar),
    });
    el.style.left = `${(100 * bar.from) / width}%`;
    el.style.width = `${(100 * (bar.to - bar.from)) / width}%`;
    tracks.get(bar.lane)?.append(el);
  }
  for (const { lane, mark, at, count } of binMarks(marks, from, to, msPerPixel)) {
    const el = Object.assign(document.createElement("span"), {
      className: `py-mark mk-${mark}`,
      title: `${count === 1 ? MARKS[mark] : `${count} × ${MARKS[mark]}`} at ${secs(at)} s`,
    });
    el.style.left = `${(100 * at) / width}%`;
    tracks.get(lane)?.append(el);
  }
  const rows = [...lanes.values()].map((lane) => {
    const row = Object.assign(document.createElement("div"), { className: "py-row" });
    const name = Object.assign(document.createElement("span"), {
      className: "py-row-name",
      textContent: laneName(lane.id),
    });
    row.append(name, tracks.get(lane.id));
    return row;
  });
  const axis = Object.assign(document.createElement("div"), { className: "py-axis" });
  axis.innerHTML = `<span>0 s</span><span>${secs(width)} s</span>`;
  box.replaceChildren(...rows, axis);
  box.setAttribute(
    "aria-label",
    `Timeline of the run: ${rows.length} interpreters over ${secs(width)} s`,
  );
}

/** Marks within the run, one per lane, kind and pixel: {lane, mark, at (ms from Run), count}. */
function binMarks(marks, from, to, msPerPixel) {
  const bins = new Map();
  for (const { lane, mark, at } of marks) {
    if (at < from || at > to) continue;
    const pixel = Math.floor((at - from) / msPerPixel);
    const key = `${lane} ${mark} ${pixel}`;
    const bin = bins.get(key);
    if (bin) bin.count += 1;
    else bins.set(key, { lane, mark, at: at - from, count: 1 });
  }
  return bins.values();
}

/** A bar's tooltip: "f(3): 12 ms", or "computing, 1,000 tasks: 48 ms in all" (merged). */
function spanTitle({ kind, label, count, ms }) {
  if (count === 1) return `${label ?? PHASES[kind]}: ${Math.round(ms)} ms`;
  const what = plural(
    count,
    kind === "run" ? "task" : "stretch",
    kind === "run" ? "tasks" : "stretches",
  );
  return `${PHASES[kind]}, ${what}: ${Math.round(ms)} ms in all`;
}

function selectLine(textarea, line) {
  const lines = textarea.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  const height = textarea.scrollHeight / Math.max(lines.length, 1);
  textarea.scrollTop = Math.max(0, (line - 3) * height);
}

function insertAtCursor(textarea, text) {
  const { selectionStart: a, selectionEnd: b, value } = textarea;
  textarea.value = value.slice(0, a) + text + value.slice(b);
  textarea.setSelectionRange(a + text.length, a + text.length);
  textarea.dispatchEvent(new Event("input"));
}

/** The form above, set to the thread pool with the GIL switch on, and shown. */
function openThreadsWithGil() {
  const threads = document.querySelector("input[name=mode][value=threads]");
  if (threads && !threads.disabled) {
    threads.checked = true;
    threads.dispatchEvent(new Event("change", { bubbles: true }));
    const gil = $("gil");
    if (gil && !gil.disabled && !gil.checked) {
      gil.checked = true;
      gil.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  $("setup-title").scrollIntoView({ block: "start" });
}
