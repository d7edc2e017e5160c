// A finished run's timeline as SVG (TimelineView in timeline.js shows it and follows a live
// run): the time axis, the queue's depth, a lane per worker with its start-up, the page's own
// thread, and a bar per task coloured by phase, merged per pixel column past MAX_BARS tasks.
import { pageMs, PHASES } from "../engine/analysis.js";
import { who } from "./wording.js";

export const LANE_H = 20;
export const LANE_GAP = 6;
export const LABEL_W = 48;
const QUEUE_H = 26;
export const AXIS_H = 24;
/** The page's own thread: a thin strip under the lanes (see record.page in runs.js). */
const PAGE_H = 10;
/** Above this many tasks, bars are merged per lane: one rect per task would not be readable. */
export const MAX_BARS = 2000;
export const NS = "http://www.w3.org/2000/svg";

export const fmtMs = (ms) =>
  Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

export function niceStep(span, target) {
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

/** Where everything goes in a drawing of `model` `width` px wide. */
export function geometry(model, width) {
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
  return { model, width, height, lanesTop, pageY, pageRow, tmin, tmax, plot, x, laneIndex, laneY };
}

/** The time axis and its grid. */
export function axisParts({ tmin, tmax, plot, x, lanesTop, height }) {
  const parts = [];
  const step = niceStep(tmax - tmin, Math.max(2, Math.floor(plot / 90)));
  for (let t = Math.ceil(tmin / step) * step; t <= tmax + 1e-9; t += step) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line class="grid" x1="${px}" x2="${px}" y1="${lanesTop - 2}" y2="${height - AXIS_H + 2}"/>`,
      `<text class="tick" x="${px}" y="${height - 6}" text-anchor="middle">${fmtMs(t)}</text>`,
    );
  }
  return parts;
}

/** The queue: tasks not started yet, over time. */
export function queueParts({ model, x }) {
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
  return [
    `<text class="lane-label" x="4" y="${QUEUE_H - 10}">queue</text>`,
    `<path class="queue" d="${path}"><title>Tasks waiting to start</title></path>`,
  ];
}

/** Each worker's lane, with its start-up drawn on it. */
export function laneParts({ model, plot, x, laneIndex, laneY }, mode) {
  const parts = [];
  for (const lane of model.lanes) {
    const y = laneY(lane);
    parts.push(
      `<rect class="lane" x="${LABEL_W}" y="${y}" width="${plot}" height="${LANE_H}"/>`,
      `<text class="lane-label" x="4" y="${y + LANE_H - 6}">${who(lane, mode)}</text>`,
    );
  }
  for (const s of model.starts) {
    if (!laneIndex.has(s.lane)) continue;
    const w = Math.max(1, x(s.to) - x(s.from));
    parts.push(
      `<rect class="ph-start" x="${x(s.from).toFixed(1)}" y="${laneY(s.lane) + 3}" width="${w.toFixed(1)}" height="${LANE_H - 6}"><title>${PHASES.start}: ${fmtMs(s.to - s.from)}</title></rect>`,
    );
  }
  return parts;
}

/** The page's own thread: when its JavaScript worked for the run (pool runs only). */
export function pageParts({ model, pageRow, pageY, plot, x }) {
  if (!pageRow) return [];
  const parts = [
    `<rect class="page-lane" x="${LABEL_W}" y="${pageY}" width="${plot}" height="${PAGE_H}"><title>The page's own thread: ${fmtMs(pageMs(model))} of its JavaScript for this run</title></rect>`,
    `<text class="lane-label" x="4" y="${pageY + PAGE_H}">page</text>`,
  ];
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
  return parts;
}

/** One group per task, a rect per phase (up to MAX_BARS tasks). */
export function barParts({ model, x, laneIndex, laneY }) {
  return model.bars
    .filter((bar) => laneIndex.has(bar.lane))
    .map((bar) => {
      const y = laneY(bar.lane);
      const rects = bar.phases.map((p) => {
        const w = Math.max(0.8, x(p.to) - x(p.from));
        return `<rect class="ph-${p.kind}" x="${x(p.from).toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${LANE_H}"/>`;
      });
      return `<g class="bar${bar.live ? " live" : ""}" data-task="${bar.task}" data-lane="${bar.lane}" data-from="${bar.from.toFixed(3)}" data-to="${bar.to.toFixed(3)}">${rects.join("")}</g>`;
    });
}

/** The legend: the phases drawn, idle, the page's lane, and a note when tasks were merged. */
export function legend(model, dense, pageRow) {
  const keys = Object.entries(PHASES)
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
  return `<p class="legend">${keys}<span class="key"><i class="idle"></i>idle</span>${page}${note}</p>`;
}

// Drawing for thousands of tasks: per lane, each pixel column shows the phase that filled
// most of it, and neighbouring columns of one phase join. At most one rect per column and
// lane, however many tasks (one rect per phase was 300,000 elements at 100,000 tasks).
export function denseParts({ model, x, laneY }) {
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
