// What the browser tests and the benchmark share: serve dist/ on a free loopback port,
// drive Debian's Chromium with playwright-core (never a downloaded browser), and use the
// page as a person would: fill the form, press a button, read what it shows.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const ROOT = new URL("..", import.meta.url).pathname;

/** Starts tools/serve.py on a free port; resolves with {url, close()}. */
export function startServer({ dir = "dist", isolation = true } = {}) {
  const args = ["tools/serve.py", "--dir", dir, "--port", "0"];
  if (!isolation) args.push("--no-isolation");
  const child = spawn("python3", args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`serve.py exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (url) =>
      resolve({ url, close: () => child.kill() }),
    );
  });
}

/**
 * Launches headless Chromium. The flags keep it off the network it cannot reach here
 * (background services, QUIC) and let it run as root in a container (--no-sandbox).
 */
export function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      ...args,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Opens the playground and waits until it is ready to run; returns the page. */
export async function openPlayground(browser, url, { query = "", viewport } = {}) {
  const context = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  await page.goto(url + query);
  await page.waitForSelector("html[data-ready=true]");
  return page;
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
      if (name === "fail") await page.locator("details.fault").evaluate((d) => (d.open = true));
      await page.fill(`#${name}`, String(value));
    }
  }
}

/** Number of rows the History table shows (at most its newest 10). */
export function historyCount(page) {
  return page.locator("#history tbody tr").count();
}

/** How many series the History has seen: the newest row's number (0 before any). */
function seriesSeen(page) {
  return page.evaluate(() => Number(document.querySelector("#history tbody tr")?.dataset.n ?? 0));
}

/** Clicks `button` (#run by default) and waits for `runs` new series in the History. */
export async function clickAndWait(page, button = "#run", { runs = 1, timeout = 120_000 } = {}) {
  const before = await seriesSeen(page);
  await page.click(button);
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector("#history tbody tr")?.dataset.n ?? 0) >= n &&
      !document.querySelector("#controls").hasAttribute("aria-busy"),
    before + runs,
    { timeout },
  );
  return latestRun(page);
}

/** The newest History row's data. */
export function latestRun(page) {
  return page.$eval("#history tbody tr", (row) => ({ ...row.dataset }));
}

/** The lines the run printed, in order, without the worker tags. */
export function logLines(page) {
  return page.$$eval("#log .line .text", (els) => els.map((e) => e.textContent));
}
