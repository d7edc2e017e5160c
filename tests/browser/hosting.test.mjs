// The host-and-frame matrix: wherever readers meet the page. Hosts: the site at `/` and under a
// subpath (a GitHub Pages project site, /parallel-playground/), each with the isolation headers
// (Netlify, `./build.sh serve`) and header-less (GitHub Pages: the service worker isolates).
// Shapes: the page itself, and each frame a blog platform makes, in a page of another site:
// our iframe snippet, DEV's frame (no `allow`), WordPress's oEmbed frame (sandbox
// allow-scripts: an opaque origin), a CMS wrapper's sandbox (allow-scripts allow-same-origin,
// with and without allow-popups) and a page that is itself cross-origin isolated. In each cell:
// the page becomes ready, every mode it offers runs and agrees on the answer, and every mode
// it does not offer names the true reason. Prints one "[matrix]" line per cell for the record.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { ENGINE, capability, copyOfBuild, wordpressSized } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import {
  clickAndWait,
  fill,
  openPlayground,
  pythonProcessesReady,
  pythonReady,
  runPython,
  startServer,
} from "../../tools/browser.mjs";
import { forSite } from "../../tools/site-address.mjs";
import { stamp } from "../../tools/stamp.mjs";

const SUBPATH = "/parallel-playground/";
const HOSTS = {
  "/ with headers": { base: "/", isolation: true },
  "/ header-less": { base: "/", isolation: false },
  [`${SUBPATH} with headers`]: { base: SUBPATH, isolation: true },
  [`${SUBPATH} header-less`]: { base: SUBPATH, isolation: false },
};
const SECRET = "s3cr3t";

/**
 * Each frame as the blog platform writes it ({src} is the playground's address), and whether
 * the blog's page is itself cross-origin isolated.
 */
const FRAMES = {
  "our iframe snippet": {
    html: `<iframe src="{src}" allow="cross-origin-isolated; clipboard-write"></iframe>`,
  },
  "DEV's frame (no allow)": { html: `<iframe src="{src}"></iframe>` },
  "WordPress's oEmbed frame (sandbox allow-scripts)": {
    html: `<iframe sandbox="allow-scripts" security="restricted" src="{src}#?secret=${SECRET}" data-secret="${SECRET}"></iframe>`,
    wordpress: true,
  },
  "sandbox allow-scripts allow-same-origin": {
    html: `<iframe sandbox="allow-scripts allow-same-origin" src="{src}"></iframe>`,
    noPopups: true,
  },
  "sandbox allow-scripts allow-same-origin allow-popups": {
    html: `<iframe sandbox="allow-scripts allow-same-origin allow-popups" src="{src}"></iframe>`,
    popups: true,
  },
  "an isolated parent (COEP require-corp)": {
    html: `<iframe src="{src}" allow="cross-origin-isolated"></iframe>`,
    isolatedParent: true,
  },
};

// What WordPress's wp-embed.js does with a frame's messages (wp-includes/js/wp-embed.js): only
// a message with the frame's secret counts; "height" sets the frame's height, clamped to
// 200–1000 px; "link" is a request to take the reader to that address.
const WORDPRESS_HOST = `
  window.heard = [];
  addEventListener("message", ({ data, source }) => {
    if (!data || !data.secret || /[^a-zA-Z0-9]/.test(data.secret)) return;
    const frame = document.querySelector('iframe[data-secret="' + data.secret + '"]');
    if (!frame || frame.contentWindow !== source) return;
    heard.push(data);
    if (data.message === "height") frame.height = Math.min(1000, Math.max(200, parseInt(data.value, 10)));
  });`;

// A blog on another site: loopback too (browsers keep public pages from framing loopback
// ones), but "localhost" where the playground is "127.0.0.1".
let blog;
const posts = new Map();
const servers = {};
const copies = [];
let engine;
before(async () => {
  blog = createServer((req, res) => {
    const post = posts.get(req.url);
    if (!post) return res.writeHead(404).end("no such post");
    const headers = { "content-type": "text/html; charset=utf-8" };
    if (post.isolatedParent) {
      headers["cross-origin-opener-policy"] = "same-origin";
      headers["cross-origin-embedder-policy"] = "require-corp";
    }
    res.writeHead(200, headers).end(post.html);
  });
  await new Promise((ok) => blog.listen(0, "127.0.0.1", ok));
  // Each host serves its own copy of the build, made for its address as SITE_URL makes a
  // deployed one (WebKit needs the origin in the policy in WordPress's opaque frame).
  for (const [name, options] of Object.entries(HOSTS)) {
    const copy = await copyOfBuild();
    copies.push(copy);
    servers[name] = await startServer({ ...options, dir: copy.dir });
    await forSite(servers[name].url, copy.dir);
    await stamp(copy.dir);
  }
  engine = await launchEngine(ENGINE);
});
after(async () => {
  await engine?.close();
  for (const server of Object.values(servers)) server.close();
  blog?.close();
  for (const copy of copies) await copy.remove();
});

const QUERY = "?workload=primes&size=20000&tasks=4&repeats=1&warmup=0";

/** Runs a small prime count in every mode the page offers; returns {mode: digest | reason}. */
async function everyMode(page) {
  const seen = {};
  for (const mode of ["main", "process", "threads"]) {
    await page.waitForFunction(
      () => document.querySelector("#pool-status").textContent !== "Starting the process pool…",
      null,
      { timeout: 60_000 },
    );
    const offered = !(await page.isDisabled(`input[name=mode][value=${mode}]`));
    if (!offered) {
      seen[mode] = {
        reason: mode === "threads" ? await page.textContent("#threads-reason") : "not offered",
      };
      continue;
    }
    await fill(page, { mode });
    const run = await clickAndWait(page);
    assert.equal(run.status, "done", `${mode}: ${run.status}`);
    seen[mode] = { digest: run.digest, workers: run.workers };
  }
  return seen;
}

/** Opens one cell; resolves with {tab, page} where `page` is the playground (tab or frame). */
async function openCell(hostName, frameName) {
  const url = servers[hostName].url;
  if (!frameName) {
    const tab = await openPlayground(engine, url, { query: QUERY });
    return { tab, page: tab };
  }
  const frame = FRAMES[frameName];
  const path = `/post-${posts.size}`;
  const src = `${url}${QUERY}&embed=1`;
  posts.set(path, {
    isolatedParent: frame.isolatedParent,
    html: `<!doctype html><title>A post</title><h1>My post</h1>
      ${frame.wordpress ? `<script>${WORDPRESS_HOST}</script>` : ""}
      ${frame.html.replace("{src}", src).replace("<iframe", '<iframe style="width:800px;height:900px;border:0"')}`,
  });
  const tab = await engine.open(`http://localhost:${blog.address().port}${path}`);
  const page = await tab.frame("iframe");
  await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  return { tab, page };
}

/** Whether each cell is cross-origin isolated in this engine (as measured in all three). */
function expectIsolated(host, frameName) {
  const frame = FRAMES[frameName] ?? null;
  if (!frame) return true; // by the headers, or by the service worker after one reload
  if (!host.isolation) return false; // no headers reach a frame, and no service worker
  // An isolated page that allows it isolates its frame; Chromium 137+ isolates any frame by
  // the frame's own Document-Isolation-Policy.
  return Boolean(frame.isolatedParent) || ENGINE === "chromium";
}

for (const [hostName, host] of Object.entries(HOSTS)) {
  for (const frameName of [null, ...Object.keys(FRAMES)]) {
    const shape = frameName ?? "the page itself";
    const impossible =
      FRAMES[frameName]?.isolatedParent && !host.isolation
        ? "a page with COEP require-corp may frame only documents that send CORP, which a header-less host cannot: the browser blocks the frame before any of the page runs"
        : false;
    test(`${ENGINE} | ${hostName} | ${shape}`, { skip: impossible }, async () => {
      const { tab, page } = await openCell(hostName, frameName);
      try {
        const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
        assert.equal(isolated, expectIsolated(host, frameName), "isolated");
        const how = await capability(page, "Cross-origin isolated");
        if (!frameName && !host.isolation && isolated) {
          assert.equal(how, "yes · via service worker");
          const load = await page.evaluate(
            () => performance.getEntriesByType("navigation")[0].type,
          );
          // WebKit reports a location.reload() as "navigate"; the others as "reload".
          assert.equal(load, ENGINE === "webkit" ? "navigate" : "reload", "isolated by one reload");
        }
        const seen = await everyMode(page);
        for (const [mode, what] of Object.entries(seen)) {
          const text = what.digest ? `ran on ${what.workers}, digest ${what.digest}` : what.reason;
          console.log(`[matrix] ${ENGINE} | ${hostName} | ${shape} | ${mode} | ${text}`);
        }
        assert.ok(seen.main.digest, "the main thread runs everywhere");
        assert.equal(seen.process.digest, seen.main.digest, "processes run everywhere");
        const sab = await page.evaluate(() => typeof SharedArrayBuffer === "function");
        if (isolated && sab && FRAMES[frameName]?.wordpress) {
          assert.equal(
            seen.threads.reason,
            "Unavailable: this frame is sandboxed without allow-same-origin (as WordPress's embeds are), and there the browser starts no module worker from a blob: URL, which is how the thread pool starts each thread. Open the full playground for threads.",
          );
        } else if (isolated && sab) {
          assert.equal(seen.threads.digest, seen.main.digest, "threads run where they can");
        } else if (!isolated && frameName) {
          assert.equal(
            seen.threads.reason,
            host.isolation
              ? 'Unavailable: threads need cross-origin isolation: this page is inside a frame, and this browser isolates a frame only when the page around it is isolated and allows it (allow="cross-origin-isolated"), or by the frame\'s own Document-Isolation-Policy (Chromium 137 and later). Open the full playground for threads.'
              : "Unavailable: threads need cross-origin isolation: this page is inside a frame, and this host does not send the headers that isolate it. Open the full playground for threads.",
          );
        } else if (!isolated) {
          assert.match(seen.threads.reason, /^Unavailable: threads need cross-origin isolation: /);
        }
        // What the frame denies is said in words, never as a failure to start.
        if (frameName) {
          const frame = await capability(page, "This frame");
          if (FRAMES[frameName].wordpress) {
            assert.match(frame, /^sandboxed without allow-same-origin \(an opaque origin/);
            assert.match(await capability(page, "Storage"), /^no · a frame with an opaque origin/);
            assert.match(
              await capability(page, "Service workers"),
              /^no · this frame is sandboxed without allow-same-origin, and such a frame has none: no offline copy$/,
            );
          } else {
            assert.match(frame, /^a frame in another site's page/);
          }
        }
        if (FRAMES[frameName]?.wordpress) await wordpressAnswers(tab, page);
        if (FRAMES[frameName]?.noPopups) await linkToCopy(page);
        if (FRAMES[frameName]?.popups && ENGINE === "chromium") await linkOpens(tab, page, host);
        assert.deepEqual(await page.errors(), [], "the page recorded no errors");
      } finally {
        await tab.close();
      }
    });
  }
}

/** In WordPress's frame the page sizes its frame and leaves it by WordPress's own messages. */
async function wordpressAnswers(tab, page) {
  await wordpressSized(tab, page);
  // (The post's script hears only messages that carry this frame's secret.)
  const heard = await tab.evaluate(() => window.heard.filter((m) => m.message === "height"));
  assert.ok(heard.length > 0, "WordPress heard the page's height");
  await page.click("#open-full");
  await tab.waitForFunction(() => window.heard.some((m) => m.message === "link"));
  const link = await tab.evaluate(() => window.heard.find((m) => m.message === "link").value);
  const out = new URL(link);
  assert.equal(out.searchParams.get("embed"), null, "the link leaves embed mode");
  assert.equal(out.searchParams.get("workload"), "primes", "and keeps the settings");
}

/** A frame's link out also offers the full playground's address, to copy. */
async function linkToCopy(page) {
  await page.click("#open-full");
  await page.waitForSelector(".blocked-link input");
  const out = new URL(await page.inputValue(".blocked-link input"));
  assert.equal(out.searchParams.get("embed"), null, "the address leaves embed mode");
  assert.equal(out.searchParams.get("workload"), "primes", "and keeps the settings");
}

/**
 * A frame with allow-popups opens the full playground in a new window (a real click:
 * Chromium). That window inherits the frame's sandbox, and Chromium refuses to show a page
 * sent with COOP in it (ERR_BLOCKED_BY_RESPONSE): on a host with headers only the address
 * offered to copy gets the reader there.
 */
async function linkOpens(tab, page, host) {
  const opened = tab.raw.context().waitForEvent("page");
  await page.click("#open-full");
  const popup = await opened;
  if (!host.isolation) {
    await popup.waitForURL(/workload=primes/);
    assert.equal(new URL(popup.url()).searchParams.get("embed"), null);
  }
  await page.waitForSelector(".blocked-link input");
  await popup.close();
}

// GitHub Pages' shape: the service worker isolates the page and serves every worker's files,
// the Python runtime's included. WebKit then starts workers one after another (see
// startsWorkersOneByOne), the processes the panel starts ahead of its executors too.
test(`${ENGINE} | the Python panel on a header-less host under ${SUBPATH}`, async () => {
  const page = await openPlayground(engine, servers[`${SUBPATH} header-less`].url);
  try {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await pythonReady(page);
    await pythonProcessesReady(page);
    const ready = Number(await page.getAttribute("#py-status", "data-processes-ready"));
    const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
    // One by one in WebKit: when the driver is ready, one process has begun, the next waits.
    assert.equal(ready, ENGINE === "webkit" ? 1 : Math.min(cpus, 4), "processes started ahead");
    const result = await runPython(page, { scale: "0.1" });
    assert.equal(result.error, null, result.error ?? "");
    const finished = result.lines.find((l) => l.text.startsWith("Finished in"));
    assert.ok(finished, "the program ran to its end");
    assert.match(result.status, /started ahead of the program's request/);
  } finally {
    await page.close();
  }
});

// WebKitGTK hides SharedArrayBuffer unless a JSC option shows it (Safari shows it to isolated
// pages); the rest of the WebKit suite runs with it shown, this test as WebKitGTK ships.
test(
  "webkit as shipped: SharedArrayBuffer hidden, and the page says exactly that",
  ENGINE === "webkit" ? {} : { skip: "only WebKitGTK hides SharedArrayBuffer by default" },
  async () => {
    const shipped = await launchEngine("webkit", { sharedArrayBuffer: false });
    try {
      const page = await openPlayground(shipped, servers["/ with headers"].url);
      await page.waitForSelector("input[name=mode][value=process]:not([disabled])");
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), "undefined");
      assert.equal(
        await page.textContent("#threads-reason"),
        "Unavailable: this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, which threads share memory through.",
      );
      assert.equal(await page.isDisabled("input[name=mode][value=threads]"), true);
      const run = await clickAndWait(page);
      assert.equal(run.status, "done", "processes still run");
      await page.close();
    } finally {
      await shipped.close();
    }
  },
);
