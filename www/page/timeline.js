// The timeline: one lane per worker (or thread, or the main thread), one bar per task,
// coloured by phase, with the queue's depth above. It is redrawn while a run goes, so it
// doubles as the progress display. Hover or focus a bar (arrow keys move between tasks) to
// read its numbers.
import { barOf, inFlightOf, pageMs, timelineOf, PHASES } from "../engine/analysis.js";
import { who } from "./wording.js";
import { lanesOf } from "../engine/series.js";

const LANE_H = 20;
const LANE_GAP = 6;
const LABEL_W = 48;
const QUEUE_H = 26;
const AXIS_H = 24;
/** The page's own thread: a thin strip under the lanes (see record.page in runs.js). */
const PAGE_H = 10;
/** Above this many tasks, bars are merged per lane: one rect per task would not be readable. */
export const MAX_BARS = 2000;
const NS = "http://www.w3.org/2000/svg";

const fmtMs = (ms) =>
  Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

function niceStep(span, target) {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

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
    const width = Math.max(this.#root.clientWidth, 280);
    const lanesTop = QUEUE_H + 4;
    const pageY = lanesTop + model.lanes.length * (LANE_H + LANE_GAP);
    // Only pool runs time the page's work (runs.js, app.js): on the main thread it is the lane.
    const pageRow = model.page.length > 0;
    const height = pageY + (pageRow ? PAGE_H + LANE_GAP : 0) + AXIS_H;
    // Loops, not Math.max(...bars): spreading 45,000 bars as arguments overflowed the stack.
    const tmin = model.starts.reduce((t, s) => Math.min(t, s.from), 0);
    const tmax = model.bars.reduce((t, b) => Math.max(t, b.to), Math.max(model.t1, 1));
    const plot = width - LABEL_W - 24;
    const x = (t) => LABEL_W + ((t - tmin) / (tmax - tmin)) * plot;
    const laneIndex = new Map(model.lanes.map((lane, i) => [lane, i]));
    const laneY = (lane) => lanesTop + laneIndex.get(lane) * (LANE_H + LANE_GAP);

    const parts = [];
    // Axis and grid.
    const step = niceStep(tmax - tmin, Math.max(2, Math.floor(plot / 90)));
    for (let t = Math.ceil(tmin / step) * step; t <= tmax + 1e-9; t += step) {
      const px = x(t).toFixed(1);
      parts.push(
        `<line class="grid" x1="${px}" x2="${px}" y1="${lanesTop - 2}" y2="${height - AXIS_H + 2}"/>`,
        `<text class="tick" x="${px}" y="${height - 6}" text-anchor="middle">${fmtMs(t)}</text>`,
      );
    }
    // The queue: tasks not started yet.
    const depth = model.queue;
    const maxDepth = Math.max(1, depth[0][1]);
    const qy = (d) => (QUEUE_H - 2 - (d / maxDepth) * (QUEUE_H - 6)).toFixed(1);
    let path = `M${x(0).toFixed(1)},${qy(0)}`;
    // One step per pixel column at most: 100,000 steps drawn one by one took seconds.
    let lastPx = -Infinity;
    let prev = depth[0][1];
    for (let k = 0; k < depth.length; k++) {
      const [t, d] = depth[k];
      const px = x(t);
      if (px - lastPx >= 1 || k === depth.length - 1) {
        path += ` L${px.toFixed(1)},${qy(prev)} L${px.toFixed(1)},${qy(d)}`;
        lastPx = px;
      }
      prev = d;
    }
    path += ` L${x(model.t1).toFixed(1)},${qy(depth.at(-1)[1])} L${x(model.t1).toFixed(1)},${qy(0)} Z`;
    parts.push(
      `<text class="lane-label" x="4" y="${QUEUE_H - 10}">queue</text>`,
      `<path class="queue" d="${path}"><title>Tasks waiting to start</title></path>`,
    );
    // Lanes.
    for (const lane of model.lanes) {
      const y = laneY(lane);
      parts.push(
        `<rect class="lane" x="${LABEL_W}" y="${y}" width="${plot}" height="${LANE_H}"/>`,
        `<text class="lane-label" x="4" y="${y + LANE_H - 6}">${who(lane, record.mode)}</text>`,
      );
    }
    for (const s of model.starts) {
      if (!laneIndex.has(s.lane)) continue;
      const w = Math.max(1, x(s.to) - x(s.from));
      parts.push(
        `<rect class="ph-start" x="${x(s.from).toFixed(1)}" y="${laneY(s.lane) + 3}" width="${w.toFixed(1)}" height="${LANE_H - 6}"><title>${PHASES.start}: ${fmtMs(s.to - s.from)}</title></rect>`,
      );
    }
    if (pageRow) {
      const busy = pageMs(model);
      parts.push(
        `<rect class="page-lane" x="${LABEL_W}" y="${pageY}" width="${plot}" height="${PAGE_H}"><title>The page's own thread: ${fmtMs(busy)} of its JavaScript for this run</title></rect>`,
        `<text class="lane-label" x="4" y="${pageY + PAGE_H}">page</text>`,
      );
      // Spans closer than a pixel are drawn as one.
      let open = null;
      const flush = () =>
        open &&
        parts.push(
          `<rect class="page-busy" x="${open[0].toFixed(1)}" y="${pageY}" width="${Math.max(0.8, open[1] - open[0]).toFixed(1)}" height="${PAGE_H}"/>`,
        );
      for (const s of model.page) {
        const [a, b] = [x(s.from), x(s.to)];
        if (open && a - open[1] < 1) open[1] = Math.max(open[1], b);
        else {
          flush();
          open = [a, b];
        }
      }
      flush();
    }
    const dense = model.bars.length > MAX_BARS;
    if (dense) for (const rect of this.#dense(model, x, laneY)) parts.push(rect);
    else {
      for (const bar of model.bars) {
        if (!laneIndex.has(bar.lane)) continue;
        const y = laneY(bar.lane);
        const rects = bar.phases.map((p) => {
          const w = Math.max(0.8, x(p.to) - x(p.from));
          return `<rect class="ph-${p.kind}" x="${x(p.from).toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${LANE_H}"/>`;
        });
        parts.push(
          `<g class="bar${bar.live ? " live" : ""}" data-task="${bar.task}" data-lane="${bar.lane}" data-from="${bar.from.toFixed(3)}" data-to="${bar.to.toFixed(3)}">${rects.join("")}</g>`,
        );
      }
    }
    const svg = `<svg xmlns="${NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
    const legend = Object.entries(PHASES)
      .filter(([kind]) =>
        kind === "start"
          ? model.starts.length > 0
          : model.bars.some((b) => b.phases.some((p) => p.kind === kind)),
      )
      .map(([kind, text]) => `<span class="key"><i class="ph-${kind}"></i>${text}</span>`)
      .join("");
    const note = dense
      ? `<span class="key">${model.bars.length.toLocaleString("en-US")} tasks: drawn merged per lane</span>`
      : "";
    const page = pageRow
      ? `<span class="key"><i class="page-busy"></i>the page's own JavaScript</span>`
      : "";
    this.#root.innerHTML = `${svg}<p class="legend">${legend}<span class="key"><i class="idle"></i>idle</span>${page}${note}</p>`;
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

  // Drawing for thousands of tasks: per lane, each pixel column shows the phase that filled
  // most of it, and neighbouring columns of one phase join. At most one rect per column and
  // lane, however many tasks (one rect per phase was 300,000 elements at 100,000 tasks).
  #dense(model, x, laneY) {
    const out = [];
    for (const lane of model.lanes) {
      const columns = new Map(); // pixel column -> Map(kind -> ms in it)
      for (const bar of model.bars) {
        if (bar.lane !== lane) continue;
        for (const p of bar.phases) {
          const first = Math.floor(x(p.from));
          const last = Math.max(first, Math.ceil(x(p.to)) - 1);
          for (let c = first; c <= last; c++) {
            const column = columns.get(c) ?? new Map();
            columns.set(c, column);
            column.set(p.kind, (column.get(p.kind) ?? 0) + (p.to - p.from) / (last - first + 1));
          }
        }
      }
      const runs = [];
      for (const c of [...columns.keys()].sort((a, b) => a - b)) {
        let kind = null;
        let most = -1;
        for (const [k, ms] of columns.get(c)) if (ms > most) [kind, most] = [k, ms];
        const last = runs.at(-1);
        if (last && last.kind === kind && last.to === c) last.to = c + 1;
        else runs.push({ kind, from: c, to: c + 1 });
      }
      for (const r of runs) {
        out.push(
          `<rect class="ph-${r.kind}" x="${r.from}" y="${laneY(lane)}" width="${r.to - r.from}" height="${LANE_H}"/>`,
        );
      }
    }
    return out;
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
