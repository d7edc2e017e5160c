// What the browser tests and the benchmark share: serve dist/ on a free loopback port and
// drive Debian's Chromium with playwright-core (never a downloaded browser).
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
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
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
