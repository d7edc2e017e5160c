// The article's experiment, one click: every call's lines, in a possible order, then the time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, clickAndWait, logLines } from "./helpers.mjs";

const env = usePlayground();

test("the preset at 0.1x prints all 30 calls' lines and finishes after the longest sleep", async () => {
  const page = await env.open();
  await poolReady(page);
  await page.check('input[name=scale][value="0.1"]');
  const run = await clickAndWait(page, "#preset");
  assert.equal(run.status, "done");
  assert.equal(run.workload, "sleeper");
  assert.equal(run.mode, "process");
  assert.equal(run.tasks, "30");

  const lines = await logLines(page);
  const finished = lines.pop();
  const expected = [];
  for (let n = 0; n < 30; n++) {
    if (n === 8 || n === 12) expected.push(`Sleeping ${n} second(s)...`, `Done sleeping...${n}`);
    else expected.push(String(n));
  }
  assert.deepEqual([...lines].sort(), expected.sort(), "each call's lines, once");
  for (const n of [8, 12]) {
    const asleep = lines.indexOf(`Sleeping ${n} second(s)...`);
    assert.ok(asleep < lines.indexOf(`Done sleeping...${n}`), `${n} wakes after it sleeps`);
  }
  // Two workers (or more) overlap the sleeps: the numbers after 8 print while 8 sleeps.
  if (Number(run.workers) >= 2) {
    assert.ok(lines.indexOf("9") < lines.indexOf("Done sleeping...8"), lines.join(" "));
  }

  const m = finished.match(/^Finished in (\d+\.\d\d) second\(s\)$/);
  assert.ok(m, finished);
  assert.ok(Number(m[1]) >= 1.2, `${m[1]} s is shorter than the 1.2 s sleep`);
  assert.equal(await page.textContent("#finished"), finished);
  assert.ok(Number(run.wallMs) >= 1200);
  // The article's 20 s, and what this run slept at its scale: never 20 s beside 1.2 s alone.
  assert.match(
    await page.textContent("#answer"),
    /^30 calls; 20 s of sleeping in all at the article's 1× time; 2 s at this run's 0\.1× · digest [0-9a-f]{16}$/,
  );
  await page.close();
});

test("the main thread runs the same calls one after another: both sleeps add up", async () => {
  const page = await env.open({ query: "?workload=sleeper&mode=main&scale=0.05" });
  const run = await clickAndWait(page);
  assert.equal(run.mode, "main");
  assert.ok(Number(run.wallMs) >= 1000, `8 + 12 s at 0.05x is 1 s; got ${run.wallMs} ms`);
  const lines = await logLines(page);
  assert.deepEqual(lines.slice(7, 12), [
    "7",
    "Sleeping 8 second(s)...",
    "Done sleeping...8",
    "9",
    "10",
  ]);
  await page.close();
});
