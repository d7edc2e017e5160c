// How responsive the page's own thread stays during a run: frames per second, and long
// tasks (over 50 ms, when the page could not react to anything). Main-thread mode freezes
// it; the pools should not.

const LONG_MS = 50;

/**
 * Frames are counted in bursts of BURST frames in a row, one burst every SAMPLE_MS, not all
 * the time: asking for every frame made the browser draw 60 a second through a whole run,
 * and on a 2-core machine that drawing (a sixth of what the threads beside the workers used
 * during a process-pool run here, nearly 2% of both cores) came out of the workers being
 * measured (docs/benchmarks.md). The frame rate is the frames of every burst over the
 * bursts' time: how fast the page draws when it has something to draw.
 */
const BURST = 4;
const SAMPLE_MS = 500;

/**
 * Where the browser does not report long tasks, a heartbeat this often stands in: a beat
 * that comes more than LONG_MS after the one before is a stretch the page could not react.
 * A timer wakes the page's thread without making it draw.
 */
const BEAT_MS = 20;

export class Meter {
  #el;
  #bursts = []; // [{from, to, frames}]: each burst's first and last frame, frames after the first
  #raf = 0;
  #sampler = 0;
  #beat = 0;
  #observer = null;
  #long = [];
  #startedAt = 0;
  #lastSeen = 0;
  #gaps = [];

  constructor(el) {
    this.#el = el;
  }

  /** Whether the browser reports long tasks itself (Chromium); elsewhere heartbeat gaps stand in. */
  static get observesLongTasks() {
    return PerformanceObserver.supportedEntryTypes?.includes("longtask") ?? false;
  }

  start() {
    this.#reset();
    this.#startedAt = performance.now();
    this.#lastSeen = this.#startedAt;
    if (Meter.observesLongTasks) {
      this.#observer = new PerformanceObserver((list) => this.#long.push(...list.getEntries()));
      this.#observer.observe({ type: "longtask" });
    } else {
      this.#beat = setInterval(() => this.#seen(performance.now()), BEAT_MS);
    }
    this.#burst();
    this.#sampler = setInterval(() => this.#burst(), SAMPLE_MS);
  }

  /** A heartbeat at `t`: a gap since the last is a stretch the page's thread was blocked. */
  #seen(t) {
    if (t - this.#lastSeen > LONG_MS) this.#gaps.push(t - this.#lastSeen);
    this.#lastSeen = t;
  }

  #burst() {
    if (this.#raf) return; // the last burst is still waiting for its frames
    let burst = null;
    // Frames are not heartbeats: bursts pause for SAMPLE_MS by design, so a gap between
    // them says nothing; the heartbeat finds the stretches the page could not react.
    const frame = (t) => {
      if (!burst) this.#bursts.push((burst = { from: t, to: t, frames: 0 }));
      else Object.assign(burst, { to: t, frames: burst.frames + 1 });
      this.#raf = burst.frames < BURST - 1 ? requestAnimationFrame(frame) : 0;
    };
    this.#raf = requestAnimationFrame(frame);
  }

  /** Stops asking for frames and beats. */
  #quiet() {
    cancelAnimationFrame(this.#raf);
    clearInterval(this.#sampler);
    clearInterval(this.#beat);
    this.#raf = this.#sampler = this.#beat = 0;
  }

  #reset() {
    this.#quiet();
    this.#observer?.disconnect();
    this.#observer = null;
    this.#bursts = [];
    this.#long = [];
    this.#gaps = [];
  }

  /** Frames a second in `bursts`; 0 if none drew two frames (a frozen page draws none). */
  static #rate(bursts) {
    const ms = bursts.reduce((sum, b) => sum + (b.to - b.from), 0);
    return ms > 0 ? (1000 * bursts.reduce((sum, b) => sum + b.frames, 0)) / ms : 0;
  }

  /** The frame rate of the last second's bursts, for the live display. */
  get fps() {
    const now = performance.now();
    return Math.round(Meter.#rate(this.#bursts.filter((b) => b.to > now - 1000)));
  }

  /**
   * Stops measuring; resolves with {fps, longTasks, longestMs, blockedMs} for the run.
   * It first lets the current task end: a main-thread run is one long task that is still
   * going when its last await resolves, and the browser reports a long task once it is over.
   */
  async stop() {
    if (!this.#startedAt) return null;
    this.#quiet();
    const startedAt = this.#startedAt;
    const stoppedAt = performance.now();
    const frozenAtEnd = stoppedAt - this.#lastSeen;
    this.#startedAt = 0;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const entries = [...this.#long, ...(this.#observer?.takeRecords() ?? [])];
    const gaps = frozenAtEnd > LONG_MS ? [...this.#gaps, frozenAtEnd] : this.#gaps;
    const long = this.#observer
      ? entries
          .filter((e) => e.startTime + e.duration >= startedAt && e.startTime <= stoppedAt)
          .map((e) => e.duration)
      : gaps;
    const result = {
      fps: Math.round(Meter.#rate(this.#bursts)),
      longTasks: long.length,
      longestMs: long.length ? Math.max(...long) : 0,
      blockedMs: long.reduce((a, b) => a + b, 0),
    };
    this.#reset();
    return result;
  }

  /** Shows the live reading (called at the page's refresh rate). */
  showLive() {
    const long = (this.#observer ? this.#long : this.#gaps).length;
    this.#el.textContent = `Page thread: ${this.fps} fps · ${long} long task${long === 1 ? "" : "s"} so far`;
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
