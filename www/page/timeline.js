// The timeline: one lane per worker (or thread, or the main thread), one bar per task,
// coloured by phase, with the queue's depth above. It is redrawn while a run goes, so it
// doubles as the progress display. Hover or focus a bar (arrow keys move between tasks) to
// read its numbers.
import { barOf, inFlightOf, timelineOf, PHASES } from "../engine/analysis.js";
import { who } from "./wording.js";
import { lanesOf } from "../engine/series.js";
import {
  AXIS_H,
  axisParts,
  barParts,
  denseParts,
  fmtMs,
  geometry,
  LABEL_W,
  LANE_GAP,
  LANE_H,
  laneParts,
  legend,
  MAX_BARS,
  niceStep,
  NS,
  pageParts,
  queueParts,
} from "./timeline-svg.js";

export class TimelineView {
  #root;
  #tip;
  #record = null;
  #model = null;
  #selected = -1;
  #order = [];
  #live = null;

  constructor(root, tip) {
    this.#root = root;
    this.#tip = tip;
    root.addEventListener("pointermove", (e) => this.#hover(e));
    root.addEventListener("pointerleave", () => this.#select(-1));
    root.addEventListener("keydown", (e) => this.#key(e));
    root.addEventListener("focus", () => this.#select(this.#selected < 0 ? 0 : this.#selected));
    root.addEventListener("blur", () => this.#select(-1));
    new ResizeObserver(() => this.#record && this.show(this.#record)).observe(root);
  }

  clear() {
    this.#record = null;
    this.#live = null;
    this.#root.replaceChildren();
    this.#root.hidden = true;
  }

  /**
   * Draws a run while it happens. Unlike show(), which redraws everything, this only adds
   * the bars that are new since the last call and stretches the time axis by changing one
   * viewBox: on a 2-core machine a full redraw of a thousand bars several times a second
   * takes CPU from the very workers being measured (it cost 13% of a 1,000-task run).
   */
  live(record, now = performance.timeOrigin + performance.now()) {
    if (this.#live?.record !== record) this.#beginLive(record);
    const L = this.#live;
    const t = now - record.start;
    if (t > L.domain) {
      L.domain = t * 1.5;
      L.plot.setAttribute("viewBox", `0 0 ${L.domain} ${L.height}`);
      this.#liveAxis();
    }
    // Thousands of tiny tasks would mean thousands of new elements per redraw, on the thread
    // that hands out the tasks: such runs are drawn once, merged, when they end.
    if (record.tasks > MAX_BARS) return;

    const rect = (kind, from, to, y) => {
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("class", `ph-${kind}`);
      r.setAttribute("x", from);
      r.setAttribute("width", Math.max(to - from, 0));
      r.setAttribute("y", y);
      r.setAttribute("height", LANE_H);
      return r;
    };
    const fresh = document.createDocumentFragment();
    record.outcomes.forEach((outcome, i) => {
      if (L.drawn.has(i) || !outcome) return;
      const bar = barOf(record, i);
      if (!bar || !L.lanes.includes(bar.lane)) return;
      L.drawn.add(i);
      L.running.get(i)?.remove();
      L.running.delete(i);
      const g = document.createElementNS(NS, "g");
      g.setAttribute("class", "bar");
      g.dataset.task = String(i);
      for (const p of bar.phases) g.append(rect(p.kind, p.from, p.to, L.laneY(bar.lane)));
      fresh.append(g);
    });
    // The oldest task in flight on each lane runs; any others wait in that worker's queue.
    const lanes = new Set();
    for (const d of inFlightOf(record)) {
      if (L.drawn.has(d.task) || !L.lanes.includes(d.worker) || lanes.has(d.worker)) continue;
      lanes.add(d.worker);
      let r = L.running.get(d.task);
      if (r && r.dataset.lane !== String(d.worker)) {
        r.remove(); // handed back by a worker about to sleep, and sent to another
        r = null;
      }
      if (!r) {
        r = rect("run", d.sentAt - record.start, t, L.laneY(d.worker));
        r.classList.add("live");
        r.dataset.lane = String(d.worker);
        L.running.set(d.task, r);
        fresh.append(r);
      }
      r.setAttribute("width", Math.max(t - (d.sentAt - record.start), 0));
    }
    L.bars.append(fresh);
  }

  #beginLive(record) {
    this.#record = null;
    this.#root.hidden = false;
    const width = Math.max(this.#root.clientWidth, 280);
    const lanes = lanesOf(record);
    const height = lanes.length * (LANE_H + LANE_GAP) + AXIS_H;
    const plotW = width - LABEL_W - 24;
    // The previous run of a series predicts this one's length; otherwise start with a second.
    const domain = Math.max(this.#live?.lastMs ?? 1000, 50);
    const labels = lanes
      .map(
        (lane, k) =>
          `<text class="lane-label" x="4" y="${k * (LANE_H + LANE_GAP) + LANE_H - 6}">${who(lane, record.mode)}</text>`,
      )
      .join("");
    const backs = lanes
      .map(
        (_, k) =>
          `<rect class="lane" x="0" y="${k * (LANE_H + LANE_GAP)}" width="1e9" height="${LANE_H}"/>`,
      )
      .join("");
    this.#root.innerHTML = `<svg xmlns="${NS}" width="${width}" height="${height}">${labels}<g class="axis"></g><svg class="plot" x="${LABEL_W}" y="0" width="${plotW}" height="${height}" viewBox="0 0 ${domain} ${height}" preserveAspectRatio="none">${backs}<g class="bars"></g></svg></svg>`;
    const svg = this.#root.firstElementChild;
    this.#live = {
      record,
      lanes,
      height,
      plotW,
      domain,
      drawn: new Set(),
      running: new Map(),
      plot: svg.querySelector("svg.plot"),
      bars: svg.querySelector("g.bars"),
      axis: svg.querySelector("g.axis"),
      laneY: (lane) => lanes.indexOf(lane) * (LANE_H + LANE_GAP),
      lastMs: this.#live?.lastMs,
    };
    this.#liveAxis();
  }

  #liveAxis() {
    const L = this.#live;
    const y = L.height - 6;
    const step = niceStep(L.domain, Math.max(2, Math.floor(L.plotW / 90)));
    let ticks = "";
    for (let t = 0; t <= L.domain; t += step) {
      const px = (LABEL_W + (t / L.domain) * L.plotW).toFixed(1);
      ticks += `<text class="tick" x="${px}" y="${y}" text-anchor="middle">${fmtMs(t)}</text>`;
    }
    L.axis.innerHTML = ticks;
  }

  /** Draws `record` (live while `record.end` is null, up to `now`). */
  show(record, now = performance.timeOrigin + performance.now()) {
    if (this.#live) this.#live.lastMs = record.ms ?? this.#live.lastMs;
    this.#live = this.#live && { lastMs: this.#live.lastMs };
    this.#record = record;
    const model = timelineOf(record, now);
    this.#model = model;
    this.#root.hidden = false;
    const g = geometry(model, Math.max(this.#root.clientWidth, 280));
    const dense = model.bars.length > MAX_BARS;
    const parts = [
      ...axisParts(g),
      ...queueParts(g),
      ...laneParts(g, record.mode),
      ...pageParts(g),
      ...(dense ? denseParts(g) : barParts(g)),
    ];
    const svg = `<svg xmlns="${NS}" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}">${parts.join("")}</svg>`;
    this.#root.innerHTML = `${svg}${legend(model, dense, g.pageRow)}`;
    this.#root.setAttribute(
      "aria-label",
      `Timeline: ${model.bars.length === 1 ? "1 task" : `${model.bars.length} tasks`} on ${model.lanes.length} lane${model.lanes.length > 1 ? "s" : ""} over ${fmtMs(model.t1)}. Use the arrow keys to step through the tasks.`,
    );
    this.#order = [...this.#root.querySelectorAll("g.bar")].sort(
      (a, b) => Number(a.dataset.task) - Number(b.dataset.task),
    );
    if (this.#selected >= this.#order.length) this.#selected = -1;
    if (this.#selected >= 0) this.#select(this.#selected);
  }

  #hover(event) {
    const g = event.target.closest?.("g.bar");
    this.#select(g ? this.#order.indexOf(g) : -1, event);
  }

  #key(event) {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (!(event.key in moves) && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const n = this.#order.length;
    if (n === 0) return;
    let i = this.#selected;
    if (event.key === "Home") i = 0;
    else if (event.key === "End") i = n - 1;
    else i = Math.min(n - 1, Math.max(0, i + moves[event.key]));
    this.#select(i);
  }

  #select(i, pointer) {
    this.#root.querySelector("g.bar.selected")?.classList.remove("selected");
    this.#selected = i;
    const g = this.#order[i];
    if (!g) {
      this.#tip.hidden = true;
      return;
    }
    g.classList.add("selected");
    const task = Number(g.dataset.task);
    const bar = this.#model.bars.find((b) => b.task === task);
    const lines = bar.phases.map((p) => `${PHASES[p.kind]} ${fmtMs(p.to - p.from)}`);
    this.#tip.textContent = `Task ${task} on ${who(bar.lane, this.#record.mode)}: ${fmtMs(bar.to - bar.from)}${bar.live ? " so far" : ""} (${lines.join(", ")}), from ${fmtMs(bar.from)} to ${fmtMs(bar.to)}`;
    this.#tip.hidden = false;
    const box = this.#root.getBoundingClientRect();
    const r = g.getBoundingClientRect();
    const left = (pointer ? pointer.clientX : r.left + r.width / 2) - box.left;
    this.#tip.style.left = `${Math.max(0, Math.min(left, box.width - 260))}px`;
    this.#tip.style.top = `${r.bottom - box.top + 6}px`;
  }
}
