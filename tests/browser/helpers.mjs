// Shared by the browser tests: one server and one browser per test file, in the engine
// $ENGINE names (chromium, firefox or webkit; see tools/engines.mjs). The gestures (fill the
// form, press Run, read what the page says) live in tools/browser.mjs, which the benchmark
// uses too.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineName, launchEngine } from "../../tools/engines.mjs";
import { openPlayground, startServer } from "../../tools/browser.mjs";

export {
  poolReady,
  fill,
  historyCount,
  clickAndWait,
  latestRun,
  logLines,
  pythonProcessesReady,
  pythonReady,
  runPython,
  pythonRuns,
  pythonResult,
} from "../../tools/browser.mjs";

/** The engine this run of the suite drives. */
export const ENGINE = engineName();

/**
 * Test options for a test that needs Playwright itself (browser contexts, frames, init
 * scripts, downloads, the clipboard): WebKit is driven over classic WebDriver, which has
 * none of these, so there the test is skipped with `why` said in the report.
 */
export function needsPlaywright(why) {
  return ENGINE === "webkit" ? { skip: `WebKit over classic WebDriver: ${why}` } : {};
}

/**
 * Starts a server and a browser for this file; returns an object filled in before tests:
 * `open({query, viewport, contextOptions})` gives a ready tab; `browser` is the Playwright
 * Browser (null on WebKit). `stall`: files the server never answers (startServer).
 */
export function usePlayground({ isolation = true, stall } = {}) {
  const env = { engine: ENGINE };
  before(async () => {
    env.server = await startServer({ isolation, stall });
    env.launched = await launchEngine(ENGINE);
    env.browser = env.launched.playwright;
    env.open = (options) => openPlayground(env.launched, env.server.url, options);
  });
  after(async () => {
    await env.launched?.close();
    env.server?.close();
  });
  return env;
}

/** Waits until the page is controlled by its service worker (installed: every file copied). */
export function controlled(page) {
  return page.waitForFunction(
    () => navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller)),
    null,
    { timeout: 30_000 },
  );
}

/** What the capability panel says for `name` (its <dt>), e.g. "Cross-origin isolated". */
export function capability(page, name) {
  return page.$$eval(
    "#caps div",
    (rows, wanted) =>
      rows.find((r) => r.querySelector("dt").textContent === wanted)?.querySelector("dd")
        .textContent,
    name,
  );
}

/** Clicks "Run the convoy experiment" and waits until it is done or says why not. */
export async function runConvoy(page) {
  await page.click("#convoy-run");
  await page.waitForFunction(
    () => /^(Done|The experiment)/.test(document.querySelector("#convoy-status").textContent),
    null,
    { timeout: 60_000 },
  );
}

/**
 * A copy of the build in dist/ that a test may change (give it its address, deploy it anew):
 * resolves with {dir, remove()}. The Python runtime is linked, not copied (13 MB).
 */
export async function copyOfBuild() {
  const dist = new URL("../../dist", import.meta.url).pathname;
  const dir = await mkdtemp(join(tmpdir(), "pp-site-"));
  await cp(dist, dir, { recursive: true, filter: (path) => !path.startsWith(`${dist}/pyodide`) });
  await symlink(`${dist}/pyodide`, join(dir, "pyodide"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Waits until WordPress (a post's copy of wp-embed.js's handling in `tab`) has sized its
 * iframe to the height the page in it (`frame`) reports, clamped to 200–1000 px as WordPress
 * clamps it; both are read again each time, since the page may still be growing.
 */
export async function wordpressSized(tab, frame, { timeout = 30_000 } = {}) {
  const sized = async () => {
    const height = await frame.evaluate(() =>
      Math.ceil(document.documentElement.getBoundingClientRect().height),
    );
    const outer = await tab.evaluate(() => Number(document.querySelector("iframe").height));
    return outer === Math.min(1000, Math.max(200, height));
  };
  for (const end = Date.now() + timeout; !(await sized());) {
    if (Date.now() > end) throw new Error("WordPress never sized the frame to the page");
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * The file a download button offers: {name, text}, read in the page. The page saves through a
 * Blob URL and a link's click; the test keeps the Blob and the link's name instead of letting
 * the browser save, which reads the same in every engine (WebDriver has no download events).
 */
export async function offered(page, button) {
  await page.evaluate(() => {
    window.ppOffered = {};
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => {
      window.ppOffered.blob = blob;
      return createObjectURL(blob);
    };
    HTMLAnchorElement.prototype.click = function () {
      window.ppOffered.name = this.download;
    };
  });
  await page.click(button);
  await page.waitForFunction(() => window.ppOffered.name && window.ppOffered.blob);
  return page.evaluate(async () => ({
    name: window.ppOffered.name,
    text: await window.ppOffered.blob.text(),
  }));
}

/**
 * A downloaded trace, checked against the Trace Event Format as Perfetto and the Firefox
 * Profiler read it: an object with `traceEvents`; metadata ("M") naming each process and
 * thread; complete events ("X") and instants ("i") with a name, a category, integer pids and
 * tids, and timestamps and durations as whole, non-negative microseconds. Resolves with
 * Map(pid → {name, threads: Map(tid → {name, slices, marks})}).
 */
export function readTrace(text) {
  const trace = JSON.parse(text);
  assert.ok(Array.isArray(trace.traceEvents), "traceEvents");
  const processes = new Map();
  const processOf = (pid) => {
    if (!processes.has(pid)) processes.set(pid, { name: null, threads: new Map() });
    return processes.get(pid);
  };
  const threadOf = (pid, tid) => {
    const { threads } = processOf(pid);
    if (!threads.has(tid)) threads.set(tid, { name: null, slices: [], marks: [] });
    return threads.get(tid);
  };
  for (const e of trace.traceEvents) {
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), JSON.stringify(e));
    assert.equal(typeof e.name, "string");
    if (e.ph === "M") {
      if (e.name === "process_name") processOf(e.pid).name = e.args.name;
      if (e.name === "thread_name") threadOf(e.pid, e.tid).name = e.args.name;
      continue;
    }
    assert.ok(e.ph === "X" || e.ph === "i", `phase ${e.ph}`);
    assert.equal(typeof e.cat, "string");
    assert.ok(Number.isInteger(e.ts) && e.ts >= 0, `ts ${e.ts}`);
    if (e.ph === "X") {
      assert.ok(Number.isInteger(e.dur) && e.dur >= 0, `dur ${e.dur}`);
      threadOf(e.pid, e.tid).slices.push(e);
    } else {
      threadOf(e.pid, e.tid).marks.push(e);
    }
  }
  for (const [pid, p] of processes) {
    assert.equal(typeof p.name, "string", `process ${pid} is named`);
    for (const [tid, t] of p.threads) assert.equal(typeof t.name, "string", `thread ${tid} named`);
  }
  return processes;
}
