// A strict Content-Security-Policy holds while every mode runs: the header and the page's meta
// tag say the same, nothing violates it, and nothing is requested from another origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, fill, clickAndWait, needsPlaywright } from "./helpers.mjs";

const env = usePlayground();

test(
  "the policy forbids inline code and eval, and a run of every mode never violates it",
  needsPlaywright("no init scripts, console or request events"),
  async () => {
    const context = await env.browser.newContext();
    // Violations are reported to the page as events; collect them before any script runs.
    await context.addInitScript(() => {
      window.ppViolations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.ppViolations.push(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
        ),
      );
    });
    const page = await context.newPage();
    const console = [];
    page.on("console", (m) => /Content.Security.Policy/i.test(m.text()) && console.push(m.text()));
    const origins = new Set();
    context.on("request", (r) => origins.add(new URL(r.url()).origin));
    const response = await page.goto(`${env.server.url}?scale=0.01`);
    await page.waitForSelector("html[data-ready=true]");
    await poolReady(page);

    const header = response.headers()["content-security-policy"];
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.equal(meta, header, "the meta tag repeats the header for hosts without headers");
    const script = header.match(/script-src ([^;]*)/)[1].split(" ");
    assert.deepEqual(script, ["'self'", "'wasm-unsafe-eval'"]);
    assert.doesNotMatch(header, /unsafe-inline|'unsafe-eval'/);
    for (const mode of ["main", "process", "threads"]) {
      await fill(page, { workload: "mandelbrot", size: 240, tasks: 6, mode });
      assert.equal((await clickAndWait(page)).status, "done", mode);
    }
    await page.click("#preset");
    await page.click("#counter-run");
    await page.waitForFunction(
      () => document.querySelector("#counter-atomic").dataset.counted,
      null,
      {
        timeout: 60_000,
      },
    );
    await page.click("#code summary");
    await page.waitForSelector("#code pre code:not(:empty)");

    assert.deepEqual(await page.evaluate(() => window.ppViolations), []);

    // And the policy bites: eval is refused, once by the header's policy and once by the meta's.
    assert.equal(
      // From a timer, so the page's own code runs it (the test's evaluation itself is exempt).
      await page.evaluate(
        () =>
          new Promise((resolve) =>
            setTimeout(() => {
              try {
                resolve(new Function("return 'eval ran'")());
              } catch (e) {
                resolve(e.name);
              }
            }),
          ),
      ),
      "EvalError",
    );
    assert.equal((await page.evaluate(() => window.ppViolations)).length, 2);
    assert.equal(
      console.filter((text) => !/'unsafe-eval'/.test(text)).length,
      0,
      console.join("\n"),
    );
    const own = new URL(env.server.url).origin;
    assert.deepEqual(
      [...origins].filter((o) => o !== own && o !== "null" && !o.startsWith("blob:")),
      [],
    );
    await context.close();
  },
);
