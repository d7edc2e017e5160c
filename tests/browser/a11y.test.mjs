// Accessibility, checked by axe-core (npm; put into the page by the driver, which the page's
// CSP does not govern) in every state a reader meets: a fresh page, after a run of every mode,
// after the sweep, and in embed mode. Serious and critical findings fail; the rest are
// printed. Also what axe cannot see: focus that survives Run and Stop disabling themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { ENGINE, usePlayground, poolReady, fill, clickAndWait, runPython } from "./helpers.mjs";

const env = usePlayground();
const AXE = await readFile(
  new URL("../../node_modules/axe-core/axe.min.js", import.meta.url),
  "utf8",
);

/** Runs axe on the page; returns its serious and critical violations, printing the rest. */
async function audit(page, when) {
  if (!(await page.evaluate(() => typeof globalThis.axe === "object"))) {
    await page.evaluate(`(() => { ${AXE}\n; return true; })()`);
  }
  const violations = await page.evaluate(() =>
    globalThis.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
      })),
    ),
  );
  const minor = violations.filter((v) => !["serious", "critical"].includes(v.impact));
  for (const v of minor) console.log(`# axe (${when}, ${v.impact}): ${v.id} at ${v.nodes}`);
  return violations.filter((v) => ["serious", "critical"].includes(v.impact));
}

test("axe finds nothing serious in the Python panel, after a run and after an error", async () => {
  const page = await env.open();
  const program = [
    "import concurrent.futures",
    "if __name__ == '__main__':",
    "    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as executor:",
    "        print(list(executor.map(abs, [-1, -2])))",
  ].join("\n");
  assert.equal((await runPython(page, { source: program })).error, null);
  await page.evaluate(() => (document.querySelector(".py-how").open = true));
  assert.deepEqual(await audit(page, "Python panel"), []);
  const failed = await runPython(page, { source: "print(1 / 0)" });
  assert.match(failed.error, /ZeroDivisionError on line 1/);
  assert.deepEqual(await audit(page, "Python error"), []);
  await page.close();
});

test("axe finds nothing serious on a fresh page, after every mode, and after the sweep", async () => {
  const page = await env.open({ query: "?workload=primes&size=200000&tasks=8&repeats=1" });
  await poolReady(page);
  assert.deepEqual(await audit(page, "fresh"), []);
  const modes = ["main", "process"];
  if (!(await page.evaluate(() => document.querySelector("[value=threads]").disabled))) {
    modes.push("threads");
  }
  for (const mode of modes) {
    await fill(page, { mode });
    assert.equal((await clickAndWait(page)).status, "done");
    // Open what a reader may open after a run: the code panes and the per-task table.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("#code, details.tasks")) d.open = true;
    });
    assert.deepEqual(await audit(page, `after ${mode}`), [], `after a ${mode} run`);
  }
  await fill(page, { size: 100000, tasks: 4 });
  await page.click("#sweep-run");
  await page.waitForFunction(
    () => /^(Done|The sweep stopped)/.test(document.querySelector("#sweep-status").textContent),
    null,
    { timeout: 120_000 },
  );
  assert.deepEqual(await audit(page, "after the sweep"), []);
  // Every line the charts draw lies inside their scales (none cut off at the top), and their
  // text shows at 12 px or more however wide the charts are drawn.
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll("#sweep-charts svg")].map((svg) => {
      const box = svg.viewBox.baseVal;
      const top = Math.min(
        ...[...svg.querySelectorAll("line.grid")].map((l) => l.y1.baseVal.value),
      );
      const ys = [...svg.querySelectorAll("path.line")].flatMap((p) =>
        [...p.getAttribute("d").matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1])),
      );
      const scale = svg.getBoundingClientRect().width / box.width;
      const px = [...svg.querySelectorAll("text")].map(
        (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
      );
      return { top, highest: Math.min(...ys), smallestText: Math.min(...px) };
    }),
  );
  assert.equal(charts.length, 2);
  for (const c of charts) {
    assert.ok(
      c.highest >= c.top - 0.5,
      `a line reaches ${c.highest}, above the scale's top ${c.top}`,
    );
    assert.ok(c.smallestText >= 11.9, `chart text shows at ${c.smallestText} px`);
  }
  await page.close();
});

test("axe finds nothing serious in embed mode, before and after a run", async () => {
  const page = await env.open({ query: "?embed=1&workload=primes&size=200000&tasks=8" });
  await poolReady(page);
  assert.deepEqual(await audit(page, "embed"), []);
  assert.equal((await clickAndWait(page)).status, "done");
  assert.deepEqual(await audit(page, "embed after a run"), []);
  await page.close();
});

test(
  "the dark theme keeps AA contrast after a run, and in embed mode",
  // The colours are the same CSS in every engine; only Chromium's driver can ask for dark.
  ENGINE === "chromium"
    ? {}
    : { skip: "colour-scheme emulation: Firefox over BiDi and WebKit over WebDriver have none" },
  async () => {
    for (const query of ["?workload=primes&size=200000&tasks=8", "?embed=1&workload=primes"]) {
      const page = await env.open({ query, contextOptions: { colorScheme: "dark" } });
      assert.equal(
        await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches),
        true,
      );
      await poolReady(page);
      assert.equal((await clickAndWait(page)).status, "done");
      assert.deepEqual(await audit(page, `dark ${query}`), []);
      await page.close();
    }
  },
);

test("focus is never dropped to the page when Run and Stop disable themselves", async () => {
  const page = await env.open({ query: "?workload=sleeper&scale=0.1&repeats=1" });
  await poolReady(page);
  await page.focus("#run");
  await page.press("Enter");
  // Run disables itself while the run goes; the focus moves to Stop, not to <body>.
  await page.waitForFunction(() => document.querySelector("#run").disabled);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "stop");
  await page.press("Enter"); // Stop, from the keyboard
  await page.waitForFunction(() => !document.querySelector("#run").disabled, null, {
    timeout: 30_000,
  });
  // Stop disables itself once nothing runs; the focus goes back to Run.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "run");
  await page.close();
});
