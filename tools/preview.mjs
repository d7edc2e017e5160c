// Draws the link-preview card (Open Graph / Twitter image, 1200 × 630) with Debian's
// Chromium and writes www/preview.png. Run by `./build.sh preview`; the PNG is committed, so
// an ordinary build needs no browser. The card shows what the page shows: one run as lanes of
// work, the serial run above the parallel ones.
import { writeFile } from "node:fs/promises";
import { launchEngine } from "./engines.mjs";

const OUT = new URL("../www/preview.png", import.meta.url);

// Lanes as [start, length] in tenths of the width: eight tasks one after another, then the
// same eight tasks on four workers (an illustration: no measured number is drawn).
const TASK = 1.2;
const GAP = 0.05;
const serial = [Array.from({ length: 8 }, (_, k) => [k * (TASK + GAP), TASK])];
const workers = Array.from({ length: 4 }, () => [
  [0, TASK],
  [TASK + GAP, TASK],
]);
const lane = (bars, colour) =>
  `<div class="lane">${bars
    .map(([x, w]) => `<i style="left:${x * 10}%;width:${w * 10}%;background:${colour}"></i>`)
    .join("")}</div>`;

const html = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; width: 1200px; height: 630px; background: #f7f6f2; color: #1c2127;
    font-family: "DejaVu Sans", system-ui, sans-serif; display: flex; }
  .card { margin: 48px; padding: 56px 64px; background: #fff; border: 2px solid #e2dfd6;
    border-radius: 28px; flex: 1; display: flex; flex-direction: column; gap: 22px; }
  .eyebrow { color: #0f6e68; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
    font-size: 26px; }
  h1 { margin: 0; font-size: 60px; line-height: 1.1; }
  .label { font-size: 22px; color: #5b6570; margin-top: 6px; }
  .lane { position: relative; height: 26px; background: #f1efe8; border-radius: 6px; margin: 8px 0; }
  .lane i { position: absolute; top: 0; bottom: 0; border-radius: 6px; }
  .speed { margin-top: auto; font-size: 30px; font-weight: 700; color: #0f6e68; }
</style>
<div class="card">
  <div class="eyebrow">Parallel Playground</div>
  <h1>Processes vs threads,<br>measured in your browser</h1>
  <div>
    <div class="label">one task after another</div>
    ${serial.map((bars) => lane(bars, "#8a939c")).join("")}
    <div class="label">a pool of four</div>
    ${workers.map((bars) => lane(bars, "#0f6e68")).join("")}
  </div>
</div>`;

const engine = await launchEngine("chromium");
const tab = await engine.open("about:blank", { viewport: { width: 1200, height: 630 } });
await tab.raw.setContent(html);
await writeFile(OUT, await tab.raw.screenshot({ type: "png" }));
await tab.close();
await engine.close();
console.log(`wrote ${OUT.pathname}`);
