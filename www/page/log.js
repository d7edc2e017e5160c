// A program's output, like a terminal: lines in the order they were printed, each tagged with
// who printed it (w0, t1, main, process 2), stderr in its own colour. Lines wait until the
// page's live redraw flushes them, in batches, and only the newest MAX_LINES are kept (the
// rest counted in a note above), so a run of 100,000 tasks, or a program printing in a loop,
// cannot swamp the page or steal the workers' CPU. The run's log and the Python panel's
// output are both one of these.

const MAX_LINES = 2000;

export class Log {
  #root;
  #note;
  #pending = [];
  #dropped = 0;

  /** `root`: the element the lines go in; `note`: where the count of lines let go shows. */
  constructor(root, note) {
    this.#root = root;
    this.#note = note;
  }

  clear() {
    this.#pending = [];
    this.#dropped = 0;
    this.#root.replaceChildren();
    this.#note.hidden = true;
  }

  /**
   * Adds a line: `who` is its tag ("" for the run's own lines, which stand out), `stream`
   * "stderr" for an error stream. Beyond twice MAX_LINES waiting, the oldest are counted.
   */
  add(text, who = "", stream = "stdout") {
    this.#pending.push({ text, who, stream });
    if (this.#pending.length >= 2 * MAX_LINES) {
      this.#dropped += this.#pending.length - MAX_LINES;
      this.#pending.splice(0, this.#pending.length - MAX_LINES);
    }
  }

  /**
   * Writes the waiting lines; the oldest go beyond MAX_LINES. (The box keeps the newest in
   * view by itself while it is scrolled to the end: see .log in styles/results.css.)
   */
  flush() {
    if (this.#pending.length === 0) return;
    const out = this.#root;
    const rows = this.#pending.slice(-MAX_LINES).map(row);
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
    this.#note.hidden = this.#dropped === 0;
    this.#note.textContent = `${this.#dropped.toLocaleString("en")} earlier lines not shown (the newest ${MAX_LINES.toLocaleString("en")} are)`;
  }
}

// One element a line, its tag drawn by CSS from data-who (so copying the output copies only
// what was printed): a program printing in a loop replaces thousands of lines twice a
// second, and that has to stay cheap.
function row({ text, who, stream }) {
  const line = document.createElement("div");
  line.className = who === "" ? "line note" : stream === "stderr" ? "line err" : "line";
  line.dataset.who = who;
  line.textContent = text;
  return line;
}
