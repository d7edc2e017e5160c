// Shared by the browser tests: one server and one Chromium per test file. The gestures
// (fill the form, press Run, read what the page says) live in tools/browser.mjs, which
// the benchmark uses too.
import { after, before } from "node:test";
import { launchBrowser, openPlayground, startServer } from "../../tools/browser.mjs";

export {
  poolReady,
  fill,
  historyCount,
  clickAndWait,
  latestRun,
  logLines,
} from "../../tools/browser.mjs";

/** Starts a server and a browser for this file; returns an object filled in before tests. */
export function usePlayground({ isolation = true } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer({ isolation });
    env.browser = await launchBrowser();
    env.open = (options) => openPlayground(env.browser, env.server.url, options);
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
  });
  return env;
}
