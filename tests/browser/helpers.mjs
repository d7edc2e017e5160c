// Shared by the browser tests: one server and one browser per test file, in the engine
// $ENGINE names (chromium, firefox or webkit; see tools/engines.mjs). The gestures (fill the
// form, press Run, read what the page says) live in tools/browser.mjs, which the benchmark
// uses too.
import { after, before } from "node:test";
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
