// What the browser tests and the benchmark share: serve dist/ on a free loopback port,
// open the page in one of Debian's browsers (tools/engines.mjs; never a downloaded one), and
// use it as a person would: fill the form, press a button, read what it shows.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { launchEngine } from "./engines.mjs";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Starts tools/serve.py on a free port; resolves with {url, close(), requests}. `base` serves
 * the site under a subpath (GitHub Pages' /repo/); `maxAge` lets browsers keep its files that
 * many seconds (GitHub Pages: 600); `stall` names files never answered (serve.py --stall);
 * `requests` collects what the server sent, one {path, status, bytes, origin, referer} per
 * response.
 */
export function startServer({
  dir = "dist",
  isolation = true,
  base = "/",
  maxAge,
  stall = [],
} = {}) {
  const args = ["tools/serve.py", "--dir", dir, "--port", "0", "--base", base, "--log-requests"];
  if (!isolation) args.push("--no-isolation");
  for (const path of stall) args.push("--stall", path);
  if (maxAge !== undefined) args.push("--max-age", String(maxAge));
  const child = spawn("python3", args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const requests = [];
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`serve.py exited with ${code}`)));
    let url = null;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (url !== null) return requests.push(JSON.parse(line));
      url = line;
      resolve({ url, requests, close: () => child.kill() });
    });
  });
}

/** Headless Chromium, the benchmark's and the soak's browser (see tools/engines.mjs). */
export function launchBrowser({ args = [] } = {}) {
  return launchEngine("chromium", { args });
}

/**
 * Opens the playground in a new tab of `engine` (launchEngine) and waits until it is ready
 * to run; returns the tab. Closing the tab fails if the page recorded an uncaught error.
 */
export async function openPlayground(engine, url, { query = "", viewport, contextOptions } = {}) {
  const tab = await engine.open(url + query, { viewport, contextOptions });
  await tab.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  const close = tab.close;
  return new Proxy(tab, {
    get(target, prop) {
      if (prop !== "close") {
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async () => {
        const errors = await target.errors().catch(() => []);
        await close.call(target);
        if (errors.length > 0) throw new Error(`the page had errors: ${errors.join("; ")}`);
      };
    },
  });
}

/** Waits until the process pool has started (its mode becomes selectable). */
export async function poolReady(page) {
  await page.waitForSelector("input[name=mode][value=process]:not([disabled])");
}

/** Fills the named form fields; `mode` and `scale` are radio buttons, `workload` a menu. */
export async function fill(page, fields) {
  if (fields.workload) await page.selectOption("#workload", fields.workload);
  for (const [name, value] of Object.entries(fields)) {
    if (name === "workload") continue;
    if (name === "mode" || name === "scale") {
      await page.check(`input[name=${name}][value="${value}"]`);
    } else {
      if (name === "fail") {
        await page.evaluate(() => (document.querySelector("details.fault").open = true));
      }
      await page.fill(`#${name}`, String(value));
    }
  }
}

/** Number of rows the History table shows (at most its newest 10). */
export function historyCount(page) {
  return page.count("#history tbody tr");
}

/** How many series the History has seen: the newest row's number (0 before any). */
function seriesSeen(page) {
  return page.evaluate(() => Number(document.querySelector("#history tbody tr")?.dataset.n ?? 0));
}

/**
 * Clicks `button` (#run by default) and waits for `runs` new series in the History, looking
 * every `every` ms (each look is a script run on the page's thread: the benchmark looks
 * seldom, so as not to take time from the runs it measures).
 */
export async function clickAndWait(
  page,
  button = "#run",
  { runs = 1, timeout = 120_000, every = 50 } = {},
) {
  const before = await seriesSeen(page);
  await page.click(button);
  try {
    await page.waitForFunction(
      (n) =>
        Number(document.querySelector("#history tbody tr")?.dataset.n ?? 0) >= n &&
        !document.querySelector("#controls").hasAttribute("aria-busy"),
      before + runs,
      { timeout, every },
    );
  } catch (error) {
    // Say what the page showed when the wait gave up: a bare timeout tells nothing.
    const shown = await page
      .evaluate(() =>
        ["status", "pool-status", "banner", "log"]
          .map((id) => `${id}: ${document.getElementById(id)?.textContent.slice(-300)}`)
          .join(" | "),
      )
      .catch(() => "(the page did not answer)");
    error.message += `\nThe page showed: ${shown}`;
    throw error;
  }
  return latestRun(page);
}

/** The newest History row's data. */
export function latestRun(page) {
  return page.$eval("#history tbody tr", (row) => ({ ...row.dataset }));
}

/** The lines the run printed, in order, without the worker tags. */
export function logLines(page) {
  return page.$$eval("#log .line", (els) => els.map((e) => e.textContent));
}

/** Opens the Python panel (if a link has not) and waits until Python can run. */
export async function pythonReady(page, { timeout = 180_000 } = {}) {
  const open = await page.evaluate(() => document.getElementById("python-panel").open);
  if (!open) await page.click("#python-panel summary");
  await page.waitForSelector("#py-run:not([disabled])", { timeout });
}

/**
 * Waits until the processes the Python panel starts ahead of its executors have started
 * (PythonSession's processesReady), as a reader who waits for the panel's status would.
 */
export async function pythonProcessesReady(page, { timeout = 180_000 } = {}) {
  await page.waitForSelector("#py-status[data-processes-ready]", { timeout });
}

/**
 * Types `source` into the Python panel's editor (unless undefined: what it holds), sets the
 * sleep scale, presses Run and waits until the run ends, looking every `every` ms (each look
 * is a script on the page's thread: the benchmark looks less often); resolves with
 * pythonResult().
 */
export async function runPython(
  page,
  { source, scale = "0.1", timeout = 300_000, every = 50 } = {},
) {
  await pythonReady(page, { timeout });
  if (source !== undefined) await page.fill("#py-source", source);
  await page.check(`input[name=py-scale][value="${scale}"]`);
  const runs = await pythonRuns(page);
  await page.click("#py-run");
  await page.waitForFunction(
    (before) => Number(document.documentElement.dataset.pythonRuns ?? 0) > before,
    runs,
    { timeout, every },
  );
  return pythonResult(page);
}

/** How many Python runs have ended in this page (finished, failed or stopped). */
export function pythonRuns(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.pythonRuns ?? 0));
}

/** What the Python panel shows: {status, error (text, or null), lines: [{process, text}]}. */
export function pythonResult(page) {
  return page.evaluate(() => {
    const box = document.getElementById("py-error");
    return {
      status: document.getElementById("py-status").textContent,
      error: box.hidden ? null : box.textContent,
      lines: [...document.querySelectorAll("#py-output .line")].map((row) => ({
        process: row.dataset.who,
        text: row.textContent,
      })),
    };
  });
}
