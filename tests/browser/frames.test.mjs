// The page starts in any context and names the real missing piece: inside a blog's iframe
// whose browser denies it storage, and on an isolated page whose browser hides
// SharedArrayBuffer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before } from "node:test";
import { ENGINE, usePlayground, needsPlaywright } from "./helpers.mjs";

const env = usePlayground();

// A blog on another site: served from loopback too (browsers keep public pages from framing
// loopback ones), but named "localhost" where the playground is "127.0.0.1": another site.
let blog;
let iframeQuery = "";
before(async () => {
  blog = createServer((_, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><title>A blog</title><h1>My post</h1>
      <iframe src="${env.server.url}${iframeQuery}" width="900" height="1400"></iframe>`);
  });
  await new Promise((ok) => blog.listen(0, "127.0.0.1", ok));
});
after(() => blog?.close());

/**
 * Where a browser denies a third-party frame storage, merely reading sessionStorage throws
 * ("Access is denied for this document"), and so does touching navigator.serviceWorker. This
 * makes every frame (not the top page) behave so, the same way in every engine.
 */
function denyStorageToFrames() {
  if (window.top === window) return;
  const deny = (what) => () => {
    throw new DOMException(
      `Failed to read the '${what}' property: Access is denied for this document.`,
      "SecurityError",
    );
  };
  for (const what of ["sessionStorage", "localStorage"]) {
    Object.defineProperty(window, what, { get: deny(what), configurable: true });
  }
  Object.defineProperty(Navigator.prototype, "serviceWorker", {
    get: deny("serviceWorker"),
    configurable: true,
  });
}

/** A blog post (another site, not isolated) with the playground in an iframe. */
async function openBlog(query, { denyStorage = false } = {}) {
  const context = await env.browser.newContext();
  if (denyStorage) await context.addInitScript(denyStorageToFrames);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  iframeQuery = query;
  await page.goto(`http://localhost:${blog.address().port}/post`);
  const frame = page.frameLocator("iframe");
  await frame.locator("html[data-ready=true]").waitFor({ timeout: 30_000 });
  return { page, frame, errors };
}

test(
  "in a blog's iframe denied storage, the page starts, runs processes, and offers threads only where the frame is isolated",
  needsPlaywright("no init scripts to deny a frame storage, no frame locators"),
  async () => {
    const { page, frame, errors } = await openBlog(
      "?workload=primes&size=200000&tasks=8&repeats=1",
      {
        denyStorage: true,
      },
    );
    assert.equal(
      await frame.locator("body").evaluate(() => {
        try {
          sessionStorage.length;
          return "allowed";
        } catch (e) {
          return e.name;
        }
      }),
      "SecurityError",
      "the frame really is denied storage",
    );
    await frame.locator("input[name=mode][value=process]:not([disabled])").waitFor();
    assert.match(await frame.locator("#pool-status").textContent(), /^Process pool: 2 workers/);
    const threads = frame.locator("input[name=mode][value=threads]");
    if (ENGINE === "chromium") {
      // Chromium 137+ isolates the frame by its own Document-Isolation-Policy, no storage needed.
      assert.equal(await frame.locator("body").evaluate(() => crossOriginIsolated), true);
      assert.equal(await threads.isDisabled(), false);
    } else {
      assert.match(
        await frame.locator("#threads-reason").textContent(),
        /^Unavailable: threads need cross-origin isolation: this page is inside a frame, and this browser isolates a frame only when the page around it is isolated and allows it/,
      );
      assert.equal(await threads.isDisabled(), true);
    }

    // Playwright's input never reaches a cross-site (out-of-process) iframe in Firefox over
    // WebDriver BiDi, neither a click nor a key; a DOM click runs the same handler.
    if (ENGINE === "firefox") await frame.locator("#run").evaluate((button) => button.click());
    else await frame.locator("#run").click();
    await frame.locator("#history tbody tr").waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator("#history tbody tr").getAttribute("data-status"), "done");
    assert.match(await frame.locator("#answer").textContent(), /^17,984 primes below 200,000/);
    assert.deepEqual(errors, []);
    await page.close();
  },
);

test(
  "an isolated page whose browser hides SharedArrayBuffer says exactly that",
  needsPlaywright(
    "no init scripts; hosting.test.mjs runs WebKit with SharedArrayBuffer hidden for real",
  ),
  async () => {
    const context = await env.browser.newContext();
    await context.addInitScript(() => delete globalThis.SharedArrayBuffer);
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.waitForSelector("html[data-ready=true]");
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(
      await page.textContent("#threads-reason"),
      "Unavailable: this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, which threads share memory through.",
    );
    await page.waitForSelector("input[name=mode][value=process]:not([disabled])");
    await context.close();
  },
);
