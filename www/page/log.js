// The run's output, like a terminal: lines in the order they were printed, each tagged with
// who printed it. Lines wait until the page's live refresh flushes them, in batches, and only
// the last MAX_LINES are kept, so a run of 100,000 tasks cannot swamp the page or steal the
// workers' CPU.

const MAX_LINES = 2000;

export class Log {
  #root;
  #pending = [];
  #dropped = 0;

  constructor(root) {
    this.#root = root;
  }

  clear() {
    this.#pending = [];
    this.#dropped = 0;
    this.#root.replaceChildren();
  }

  /** Adds a line; `who` is a tag (w0, t1, main), or "" for the run's own lines. */
  add(text, who = "") {
    this.#pending.push([text, who]);
  }

  /** Writes the pending lines. */
  flush() {
    if (this.#pending.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const [text, who] of this.#pending) {
      const line = document.createElement("div");
      line.className = who === "" ? "line note" : "line";
      const tag = document.createElement("span");
      tag.className = "who";
      tag.textContent = who;
      const body = document.createElement("span");
      body.className = "text";
      body.textContent = text;
      line.append(tag, body);
      fragment.append(line);
    }
    this.#pending = [];
    this.#root.append(fragment);
    const extra = this.#root.childElementCount - MAX_LINES;
    for (let i = 0; i < extra; i++) this.#root.firstElementChild.remove();
    if (extra > 0) this.#dropped += extra;
    this.#root.dataset.dropped = String(this.#dropped);
    this.#root.scrollTop = this.#root.scrollHeight;
  }
}
