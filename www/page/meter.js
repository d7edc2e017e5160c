// How responsive the page's own thread stays during a run: frames per second, and long
// tasks (over 50 ms, when the page could not react to anything). Main-thread mode freezes
// it; the pools should not.

const LONG_MS = 50;

export class Meter {
  #el;
  #frames = [];
  #raf = 0;
  #observer = null;
  #long = [];
  #startedAt = 0;
  #lastFrame = 0;
  #gaps = [];

  constructor(el) {
    this.#el = el;
  }

  /** Whether the browser reports long tasks itself (Chromium); elsewhere frame gaps stand in. */
  static get observesLongTasks() {
    return PerformanceObserver.supportedEntryTypes?.includes("longtask") ?? false;
  }

  start() {
    this.#reset();
    this.#startedAt = performance.now();
    this.#lastFrame = this.#startedAt;
    if (Meter.observesLongTasks) {
      this.#observer = new PerformanceObserver((list) => this.#long.push(...list.getEntries()));
      this.#observer.observe({ type: "longtask" });
    }
    const frame = (t) => {
      if (t - this.#lastFrame > LONG_MS) this.#gaps.push(t - this.#lastFrame);
      this.#lastFrame = t;
      this.#frames.push(t);
      this.#raf = requestAnimationFrame(frame);
    };
    this.#raf = requestAnimationFrame(frame);
  }

  #reset() {
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#observer?.disconnect();
    this.#observer = null;
    this.#frames = [];
    this.#long = [];
    this.#gaps = [];
  }

  /** Frames in the last second, for the live display. */
  get fps() {
    const now = performance.now();
    return this.#frames.filter((t) => t > now - 1000).length;
  }

  /**
   * Stops measuring; resolves with {fps, longTasks, longestMs, blockedMs} for the run.
   * It first lets the current task end: a main-thread run is one long task that is still
   * going when its last await resolves, and the browser reports a long task once it is over.
   */
  async stop() {
    if (!this.#startedAt) return null;
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    const startedAt = this.#startedAt;
    const stoppedAt = performance.now();
    const frozenAtEnd = stoppedAt - this.#lastFrame;
    this.#startedAt = 0;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const entries = [...this.#long, ...(this.#observer?.takeRecords() ?? [])];
    const gaps = frozenAtEnd > LONG_MS ? [...this.#gaps, frozenAtEnd] : this.#gaps;
    const long = this.#observer
      ? entries
          .filter((e) => e.startTime + e.duration >= startedAt && e.startTime <= stoppedAt)
          .map((e) => e.duration)
      : gaps;
    const seconds = Math.max((stoppedAt - startedAt) / 1000, 1e-3);
    const result = {
      fps: Math.round(this.#frames.length / seconds),
      longTasks: long.length,
      longestMs: long.length ? Math.max(...long) : 0,
      blockedMs: long.reduce((a, b) => a + b, 0),
    };
    this.#reset();
    return result;
  }

  /** Shows the live reading (called at the page's refresh rate). */
  showLive() {
    this.#el.textContent = `Page thread: ${this.fps} fps · ${this.#long.length} long task${this.#long.length === 1 ? "" : "s"} so far`;
    this.#el.dataset.live = "true";
  }

  /** Shows a finished run's reading. */
  showResult(r) {
    delete this.#el.dataset.live;
    if (!r) return;
    this.#el.textContent =
      r.longTasks === 0
        ? `Page thread stayed responsive: ${r.fps} fps, no long tasks.`
        : `Page thread: ${r.fps} fps, ${r.longTasks} long task${r.longTasks === 1 ? "" : "s"} (longest ${Math.round(r.longestMs).toLocaleString("en-US")} ms) — the page could not react for ${Math.round(r.blockedMs).toLocaleString("en-US")} ms.`;
  }
}
