// The History's columns, by name, and its Markdown export, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HISTORY_COLUMNS, historyCells, lightRun } from "../../www/page/history.js";
import { computeMsOf } from "../../www/engine/analysis.js";
import { markdown } from "../../www/page/share.js";

const series = (mode, ms, n) => ({
  n,
  mode,
  workers: 2,
  tasks: 64,
  status: "done",
  ms,
  stats: { min: ms - 10, max: ms + 10 },
  runs: [{ responsiveness: { longTasks: mode === "main" ? 1 : 0 } }, {}],
  settings: { workload: "primes", size: 16000000, gil: false },
  summary: { digest: "6dfe241779d61adb" },
});

test("each column is filled by name, and speedup and efficiency come from the baseline", () => {
  const main = series("main", 2000, 1);
  const pool = series("process", 1000, 2);
  const byKey = (cells) => Object.fromEntries(HISTORY_COLUMNS.map((c, i) => [c.key, cells[i]]));
  const m = byKey(historyCells(main, null));
  const p = byKey(historyCells(pool, main));
  assert.deepEqual([m.speedup, m.efficiency, m.longTasks], ["baseline", "–", "1"]);
  assert.deepEqual([p.speedup, p.efficiency, p.time], ["2.00×", "100%", "1.00 (0.99–1.01)"]);
  assert.equal(p.size, "16,000,000");
  assert.equal(p.digest, "6dfe241779d61adb");
});

test("the Markdown table aligns numbers right and text left", () => {
  const main = series("main", 2000, 1);
  const history = { series: [main], baselineOf: () => null };
  const [head, rule, row] = markdown(history).split("\n");
  assert.equal(head, `| ${HISTORY_COLUMNS.map((c) => c.head).join(" | ")} |`);
  assert.equal(rule, "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |");
  assert.match(
    row,
    /^\| 1 \| primes \| 16,000,000 \| 64 \| main thread \| 2 \| 2\.00 \(1\.99–2\.01\) \| baseline \|/,
  );
});

test("an older series' light run keeps its compute time, which explanations compare with", () => {
  const run = {
    start: 1000,
    end: 1030,
    mode: "process",
    workers: 2,
    ms: 30,
    outcomes: [
      { worker: 0, value: { start: 1000, end: 1010 } },
      { worker: 1, value: { start: 1000, end: 1020 } },
    ],
  };
  const light = lightRun(run);
  assert.equal(light.outcomes, null);
  assert.equal(computeMsOf(light), 30);
  assert.equal(computeMsOf(light), computeMsOf(run));
  assert.equal(lightRun(light), light, "a light run stays as it is");
});
