// The Python panel: an editor holding a Python program (the article's, or another example),
// run by real CPython (Pyodide) in workers: the program as __main__ in one interpreter, each
// process of its executor in another (engine/python.js). This module, its stylesheet and the
// runtime load only when the panel is first opened.
import { MAIN_LANE, PythonSession } from "../engine/python.js";
import { now } from "../engine/measure.js";
import { mib, plural } from "./format.js";
import {
  MAX_PROGRAM_BYTES,
  pack,
  programInLink,
  putProgramInLink,
  unpack,
} from "./program-link.js";

const $ = (id) => document.getElementById(id);

const EXAMPLES = [
  { id: "article", label: "The article's program", file: "article.py" },
  { id: "primes", label: "CPU-bound: count primes, loop vs processes", file: "primes.py" },
  { id: "startup", label: "Tiny tasks: what a process costs", file: "startup.py" },
];
/** Lines kept in the output; older ones are counted, not kept (an endless print loop). */
const MAX_LINES = 2000;
/** How often the output and timeline redraw while a program runs, in ms. */
const LIVE_MS = 250;
const KINDS = {
  "start-up": "interpreter start-up",
  import: "import of main.py",
  task: "task",
  sleep: "time.sleep",
  wait: "waiting for results",
};

const PANEL = `
<div class="py-bar">
  <label class="field">Program
    <select id="py-example">${EXAMPLES.map((e) => `<option value="${e.id}">${e.label}</option>`).join("")}
      <option value="custom" hidden>Your program</option>
    </select>
  </label>
  <fieldset class="inline">
    <legend>time.sleep scale</legend>
    <label><input type="radio" name="py-scale" value="1" checked /> 1×</label>
    <label><input type="radio" name="py-scale" value="0.1" /> 0.1×</label>
  </fieldset>
</div>
<div class="py-editor">
  <pre class="py-gutter" id="py-gutter" aria-hidden="true"></pre>
  <textarea id="py-source" spellcheck="false" autocapitalize="off" autocomplete="off"
    wrap="off" aria-label="Python program" aria-describedby="py-link-note"></textarea>
</div>
<p class="hint" id="py-link-note">The link in the address bar carries this program: share it as is. Ctrl+Enter runs it; Tab indents (Esc, then Tab, moves on).</p>
<div class="py-actions">
  <button type="button" id="py-run" class="primary" disabled>Run</button>
  <button type="button" id="py-stop" disabled>Stop</button>
  <p id="py-status" class="py-status" role="status"></p>
</div>
<div id="py-error" class="py-error" role="alert" hidden></div>
<h3 class="py-heading">Output <span class="hint">each line tagged with the process that printed it</span></h3>
<p class="py-dropped" id="py-dropped" hidden></p>
<div class="py-output" tabindex="0" role="log" aria-label="Output of the program"><div id="py-output"></div></div>
<h3 class="py-heading">Timeline <span class="hint" id="py-scale-note"></span></h3>
<div class="py-timeline" id="py-timeline" role="img" aria-label="Timeline of the run: nothing run yet"></div>
<ul class="py-legend">${Object.entries(KINDS)
  .map(([kind, text]) => `<li><span class="py-swatch ${kind}"></span>${text}</li>`)
  .join("")}</ul>
<details class="py-how">
  <summary>How this works, and what differs from CPython on your machine</summary>
  <ul>
    <li>Your program runs as <code>__main__</code> in a Python interpreter of its own (Pyodide:
      CPython 3 compiled to WebAssembly), in a worker: never on the page's thread.</li>
    <li><code>concurrent.futures.ProcessPoolExecutor</code> and <code>multiprocessing.Pool</code>
      start <em>processes</em>: workers, each with its own interpreter and memory. Each imports
      your program as CPython's <em>spawn</em> start method does, so code above
      <code>if __name__ == '__main__':</code> runs again in every process (the
      <q>Number of cpu</q> line, once per process). Calls and results cross pickled.</li>
    <li>A process costs a whole interpreter to start, which is why tiny tasks are slower in
      processes than in a plain loop. Here each one starts from a snapshot of a fresh
      interpreter's memory (as CPython's <em>forkserver</em> starts processes from a ready
      one): about a second, where CPython on a desktop takes tens of milliseconds.</li>
    <li><code>map</code> and <code>result()</code> block the program on
      <code>Atomics.wait</code> until a process answers; <code>time.sleep</code> blocks the same
      way, so a sleeping process uses no CPU.</li>
    <li>There are no threads: <code>ThreadPoolExecutor</code> says so. The thread pool above,
      with its GIL switch, models what CPython's threads would do.</li>
    <li><code>cpu_count()</code> is what your browser reports; <code>os.getpid()</code> tells
      this page's interpreters apart (1 is the main one).</li>
  </ul>
</details>`;

let opened = null;

/** Opens the panel inside `body` (once); `cpus` is what cpu_count() will say. */
export function openPython(body, { cpus }) {
  opened ??= new PythonPanel(body, cpus);
  return opened;
}

class PythonPanel {
  #session;
  #cpus;
  #lanes = new Map();
  #spans = [];
  #dropped = 0;
  #pending = [];
  #run = null;
  #timer = null;
  #linkTimer = null;
  #tabLeaves = false;
  #announced = false;

  constructor(body, cpus) {
    this.#cpus = cpus;
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = new URL("python.css", import.meta.url).href;
    document.head.append(sheet);
    body.innerHTML = PANEL;
    this.#session = new PythonSession({
      cpus,
      onLane: (lane) => this.#lanes.set(lane.id, lane),
      onLine: (line) => this.#take(line),
      onSpan: (span) => this.#spans.push(span),
    });
    this.#wire();
    this.#load();
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
    source ??= await this.#example("article");
    this.#setSource(source);
    if (!globalThis.crossOriginIsolated) {
      this.#say(
        "This page is not cross-origin isolated here: plain Python runs, but ProcessPoolExecutor will say what it needs. Starting Python…",
      );
    } else {
      this.#say("Starting Python (the first time, it downloads 6.4 MB)…");
    }
    this.#warm();
  }

  /**
   * Starts the next run's main interpreter. Only the first start is announced: later ones
   * happen after a run, whose result stays on screen.
   */
  #warm() {
    const first = !this.#announced;
    this.#announced = true;
    this.#session.warm().then(
      ({ from, to }) => {
        $("py-run").disabled = Boolean(this.#run);
        if (!first || this.#run) return;
        const isolated = globalThis.crossOriginIsolated
          ? ""
          : " This page is not cross-origin isolated here, so ProcessPoolExecutor will say what it needs.";
        this.#say(
          `Python is ready: its main interpreter started in <strong>${secs(to - from)}</strong> s.${isolated}`,
          true,
        );
      },
      (error) => {
        $("py-run").disabled = Boolean(this.#run); // Run tries again
        if (first) this.#say(`Python could not start: ${error.message}`);
      },
    );
  }

  async #example(id) {
    const { file } = EXAMPLES.find((e) => e.id === id);
    const response = await fetch(new URL(`../python/examples/${file}`, import.meta.url));
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return response.text();
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
        this.#setSource(await this.#example(event.target.value));
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
    // The page would refuse to open a longer one (program-link.js): none is written.
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
    this.#pending = [];
    this.#dropped = 0;
    $("py-output").replaceChildren();
    $("py-dropped").hidden = true;
    $("py-error").hidden = true;
    $("py-run").disabled = true;
    $("py-stop").disabled = false;
    $("py-scale-note").textContent = scale === 1 ? "" : `time.sleep runs at ${scale}×`;
    const clicked = now();
    this.#run = { clicked, scale };
    // The main interpreter's start-up, where it overlaps the run (Run pressed before it was
    // ready); drawTimeline clips what came before.
    this.#session.warm().then(
      ({ from, to }) => this.#spans.push({ lane: MAIN_LANE, kind: "start-up", from, to }),
      () => {},
    );
    this.#say("Running… Stop ends every interpreter.");
    this.#timer = setInterval(() => this.#draw(), LIVE_MS);
    try {
      const result = await this.#session.run(source, { scale });
      this.#finish(result);
    } catch (error) {
      if (error.name !== "AbortError") this.#finish({ failed: error });
    }
  }

  #finish(result) {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    clearInterval(this.#timer);
    run.ended = now();
    this.#draw(run);
    $("py-stop").disabled = true;
    $("py-run").disabled = false;
    const wall = secs(run.ended - (result.startedAt ?? run.clicked));
    const processes = [...this.#lanes.values()].filter((l) => l.id !== MAIN_LANE);
    const starts = this.#spans
      .filter((s) => s.kind === "start-up" && s.lane !== MAIN_LANE)
      .map((s) => s.to - s.from)
      .sort((a, b) => a - b);
    $("py-status").dataset.startsMs = JSON.stringify(starts);
    const memories = processes.map((l) => l.memoryBytes).filter(Boolean);
    const memory =
      memories.length === 0 ? "" : ` with its own ${mib(Math.min(...memories))} of memory`;
    const started =
      starts.length === 0
        ? ""
        : ` ${plural(processes.length, "process", "processes")}, each started in ${
            starts.length === 1
              ? `${secs(starts[0])} s`
              : `${secs(starts[0])}–${secs(starts.at(-1))} s`
          }${memory}.`;
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
        `Done in <strong>${wall}</strong> s (the program's start to its end, on the page's clock).${started}`,
        true,
      );
    }
    document.documentElement.dataset.pythonRuns = String(
      Number(document.documentElement.dataset.pythonRuns ?? 0) + 1,
    );
    this.#warm(); // the next run's main interpreter, started while you read
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
    const box = $("py-error");
    const head = document.createElement("p");
    head.className = "py-error-head";
    head.textContent = line ? `${type} on line ${line}` : type;
    const parts = [head];
    if (line) {
      const show = document.createElement("button");
      show.type = "button";
      show.textContent = `Show line ${line}`;
      show.addEventListener("click", () => selectLine($("py-source"), line));
      parts.push(show);
    }
    if (type === "ThreadsUnavailable") {
      const go = document.createElement("button");
      go.type = "button";
      go.textContent = "Open the thread pool with the GIL switch";
      go.addEventListener("click", openThreadsWithGil);
      parts.push(go);
    }
    if (type === "ModuleNotFoundError") {
      const note = document.createElement("p");
      note.textContent =
        "This page's Python has the standard library only: it downloads no packages (numpy and the like are not here).";
      parts.push(note);
    }
    const pre = document.createElement("pre");
    pre.textContent = text;
    parts.push(pre);
    box.replaceChildren(...parts);
    box.hidden = false;
  }

  /** Output and timeline, as they stand (`run`: the finished run, else the live one). */
  #draw(run = this.#run) {
    this.#flushLines();
    if (run) drawTimeline($("py-timeline"), this.#lanes, this.#spans, run);
  }

  /** A printed line, kept until the next redraw; beyond MAX_LINES the oldest are counted. */
  #take(line) {
    this.#pending.push(line);
    if (this.#pending.length >= 2 * MAX_LINES) {
      this.#dropped += this.#pending.length - MAX_LINES;
      this.#pending.splice(0, this.#pending.length - MAX_LINES);
    }
  }

  /**
   * The lines printed since the last redraw, appended; the oldest go beyond MAX_LINES. (The
   * box keeps the newest in view by itself while it is scrolled to the end: see python.css.)
   */
  #flushLines() {
    if (this.#pending.length === 0) return;
    const out = $("py-output");
    const rows = this.#pending.slice(-MAX_LINES).map((line) => this.#row(line));
    this.#dropped += this.#pending.length - rows.length;
    this.#pending = [];
    const excess = out.childElementCount + rows.length - MAX_LINES;
    if (excess >= out.childElementCount) {
      // As many new lines as are shown: every old one goes.
      this.#dropped += out.childElementCount;
      out.replaceChildren(...rows);
    } else {
      for (let i = 0; i < excess; i++) out.firstElementChild.remove();
      this.#dropped += Math.max(0, excess);
      out.append(...rows);
    }
    const note = $("py-dropped");
    note.hidden = this.#dropped === 0;
    note.textContent = `${this.#dropped.toLocaleString("en")} earlier lines not shown (the newest ${MAX_LINES.toLocaleString("en")} are)`;
  }

  // One element a line (its tag drawn by CSS from data-tag): a program printing in a loop
  // replaces thousands of lines four times a second, and that has to stay cheap.
  #row({ lane, text, stream }) {
    const row = document.createElement("div");
    row.className = stream === "stderr" ? "py-line err" : "py-line";
    row.dataset.lane = String(lane);
    row.dataset.tag = laneName(this.#lanes.get(lane), lane);
    row.textContent = text;
    return row;
  }
}

function laneName(lane, id) {
  if (id === MAIN_LANE) return "main";
  return `process ${id}`;
}

function secs(ms) {
  return (ms / 1000).toFixed(2);
}

/** The timeline: one row per interpreter, from Run (0 s) to the end of the run. */
function drawTimeline(box, lanes, spans, run) {
  const from = run.clicked;
  const to = Math.max(run.ended ?? now(), from + 1);
  const width = to - from;
  const rows = [...lanes.values()].map((lane) => {
    const row = document.createElement("div");
    row.className = "py-row";
    const name = document.createElement("span");
    name.className = "py-row-name";
    name.textContent = laneName(lane, lane.id);
    const track = document.createElement("div");
    track.className = "py-track";
    for (const span of spans) {
      if (span.lane !== lane.id) continue;
      const left = Math.max(0, span.from - from);
      const right = Math.min(width, span.to - from);
      if (right <= left) continue;
      const bar = document.createElement("span");
      bar.className = `py-span ${span.kind}`;
      bar.style.left = `${(100 * left) / width}%`;
      bar.style.width = `${(100 * (right - left)) / width}%`;
      bar.title = `${span.label ?? KINDS[span.kind]}: ${Math.round(span.to - span.from)} ms`;
      track.append(bar);
    }
    row.append(name, track);
    return row;
  });
  const axis = document.createElement("div");
  axis.className = "py-axis";
  axis.innerHTML = `<span>0 s</span><span>${secs(width)} s</span>`;
  box.replaceChildren(...rows, axis);
  box.setAttribute(
    "aria-label",
    `Timeline of the run: ${rows.length} interpreters over ${secs(width)} s`,
  );
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
