// Embed mode as a blog post shows it: the playground in an iframe on another site whose page
// is not cross-origin isolated, at a phone's width and at a column's, and through the
// <parallel-playground> element the full page's embed code writes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { ENGINE, usePlayground } from "./helpers.mjs";
import { clickAndWait, poolReady } from "../../tools/browser.mjs";

const env = usePlayground();

// The blog: loopback too (browsers keep public pages from framing loopback ones), but named
// "localhost" where the playground is "127.0.0.1", so another site. It sends no headers.
let blog;
const posts = new Map();
before(async () => {
  blog = createServer((req, res) => {
    const html = posts.get(req.url);
    res.statusCode = html ? 200 : 404;
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(html ?? "no such post");
  });
  await new Promise((ok) => blog.listen(0, ok));
});
after(() => blog?.close());

const QUERY = "workload=primes&size=2000000&tasks=8";

/** Publishes `body` as a post and opens it; resolves with the tab and the playground's frame. */
async function openPost(name, body, viewport) {
  posts.set(`/${name}`, `<!doctype html><title>A post</title><body style="margin:0">${body}`);
  const tab = await env.launched.open(`http://localhost:${blog.address().port}/${name}`, {
    viewport,
  });
  // A <parallel-playground> shows its facade first: the reader's click makes the frame.
  if (body.includes("<parallel-playground")) await clickFacade(tab);
  const frame = await tab.frame("iframe");
  await frame.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  return { tab, frame };
}

/** Clicks the first <parallel-playground>'s "Run in your browser" (inside its shadow root). */
async function clickFacade(tab) {
  await tab.waitForFunction(() =>
    document.querySelector("parallel-playground")?.shadowRoot?.querySelector("button"),
  );
  if (tab.raw)
    await tab.click("parallel-playground button"); // Playwright sees into shadow roots
  else
    await tab.evaluate(() =>
      document.querySelector("parallel-playground").shadowRoot.querySelector("button").click(),
    );
}

for (const [width, height] of [
  [320, 600],
  [800, 600],
]) {
  test(`an iframe at ${width}×${height}: no sideways scroll, Run in view, the process pool runs`, async () => {
    const { tab, frame } = await openPost(
      `column-${width}`,
      `<iframe src="${env.server.url}?embed=1&${QUERY}" title="Parallel Playground"
        style="width:${width}px;height:${height}px;border:0"></iframe>`,
      { width: width + 40, height: height + 80 },
    );
    const layout = await frame.evaluate(() => {
      const run = document.querySelector("#run").getBoundingClientRect();
      const html = document.documentElement;
      return {
        sideways: html.scrollWidth - html.clientWidth,
        runBottom: run.bottom,
        viewport: innerHeight,
        masthead: getComputedStyle(document.querySelector(".masthead")).display,
      };
    });
    assert.equal(layout.sideways, 0, "the frame scrolls sideways");
    assert.ok(layout.runBottom <= layout.viewport, `Run ends at ${layout.runBottom} px`);
    assert.equal(layout.masthead, "none");
    // The way out keeps the settings and leaves embed mode.
    const out = new URL(await frame.getAttribute("#open-full", "href"));
    assert.equal(out.searchParams.get("embed"), null);
    assert.equal(out.searchParams.get("workload"), "primes");
    assert.equal(out.searchParams.get("size"), "2000000");

    await poolReady(frame);
    const run = await clickAndWait(frame);
    assert.equal(run.status, "done");
    assert.equal(run.mode, "process");
    assert.match(await frame.textContent("#answer"), /^148,933 primes below 2,000,000/);
    assert.deepEqual(await frame.errors(), []);
    await tab.close();
  });
}

test("in a frame of fixed height, 300 px (DEV's), Run is in view and the result comes into view", async () => {
  const { tab, frame } = await openPost(
    "short",
    `<iframe src="${env.server.url}?embed=1&${QUERY}" style="width:320px;height:300px;border:0"></iframe>`,
    { width: 360, height: 400 },
  );
  const inView = (selector) =>
    frame.evaluate((sel) => {
      const box = document.querySelector(sel).getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight && box.height > 0;
    }, selector);
  assert.equal(await inView("#run"), true, "Run is in view");
  await poolReady(frame);
  const run = await clickAndWait(frame);
  assert.equal(run.status, "done");
  await frame.waitForFunction(() => {
    const box = document.querySelector("#finished").getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight;
  });
  assert.match(await frame.textContent("#finished"), /^Finished in/);
  assert.deepEqual(await frame.errors(), []);
  await tab.close();
});

test("the full page's embed code works as written: the element sizes its frame to the page", async () => {
  const page = await env.open({ query: `?${QUERY}&mode=process` });
  await page.click("#embed-code summary");
  const iframe = await page.textContent("#embed-iframe");
  assert.match(iframe, /^<iframe src="[^"]+\?[^"]*embed=1[^"]*" title="Parallel Playground: /);
  assert.ok(iframe.includes('allow="cross-origin-isolated; clipboard-write"'), iframe);
  const snippet = await page.textContent("#embed-element");
  assert.match(snippet, /<parallel-playground [^>]*workload="primes"[^>]*size="2000000"/);
  // The author's default worker count is theirs, not the readers': it is left out.
  assert.ok(!/workers=|workers="/.test(iframe + snippet), snippet);
  // Every platform's code names the same embed; each says what runs there.
  const embedded = iframe.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");
  assert.equal(await page.textContent("#embed-dev"), `{% embed ${embedded} %}`);
  assert.match(
    await page.textContent("#embed-dev-note"),
    /^DEV makes a live frame only for hosts it knows/,
  );
  assert.match(
    await page.textContent("#embed-markdown"),
    /^\[!\[Parallel Playground: Prime counting\]\(http[^)]+\/www\/preview\.png\)\]\(http[^)]+workload=primes[^)]*\)$/,
  );
  assert.match(await page.textContent("#embed-wordpress-note"), /built without SITE_URL/);
  await page.close();

  // The snippet, pasted into a post as it is: a facade until the reader asks.
  const { tab, frame } = await openPost("element", `<p>Before</p>${snippet}<p>After</p>`, {
    width: 360,
    height: 640,
  });
  const src = new URL(await tab.getAttribute("iframe", "src"));
  assert.equal(src.searchParams.get("embed"), "1");
  assert.equal(src.searchParams.get("tasks"), "8");
  const pageHeight = () =>
    frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  // Until the frame is as tall as the page in it says it is (both read again each time).
  const frameFits = async () => {
    for (const end = Date.now() + 30_000; Date.now() < end;) {
      const [inner, outer] = [await pageHeight(), await tab.$eval("iframe", (f) => f.style.height)];
      if (outer === `${inner}px`) return inner;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.fail("the frame never took the page's height");
  };
  await frameFits();
  await poolReady(frame);
  const before = await pageHeight();
  const run = await clickAndWait(frame);
  assert.equal(run.status, "done");
  // The result made the page taller, and the frame followed it.
  const grown = await pageHeight();
  assert.ok(grown > before, `the page grew from ${before} to ${grown} px`);
  assert.ok((await frameFits()) >= grown);
  assert.deepEqual(await frame.errors(), []);
  await tab.close();
});

test("the author's result rides in the embed code, shows in the post before a run and beside the reader's after it", async () => {
  const page = await env.open({ query: "?workload=primes&size=300000&tasks=8&mode=process" });
  await poolReady(page);
  await page.click("#embed-code summary");
  // Nothing to offer before the author has run these settings in a pool.
  assert.equal(await page.evaluate(() => document.getElementById("embed-author").disabled), true);
  const run = await clickAndWait(page, "#compare", { runs: 2 });
  const speedup = Number(run.speedup).toFixed(2);
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.waitForSelector("#embed-author:not([disabled])");
  assert.ok(!(await page.textContent("#embed-iframe")).includes("author="), "only when asked");
  await page.check("#embed-author");
  const iframe = await page.textContent("#embed-iframe");
  const src = new URL(iframe.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&"));
  const [recordedCpus, mode, workers, ms, x] = src.searchParams.get("author").split("_");
  assert.deepEqual(
    [Number(recordedCpus), mode, workers, x],
    [cpus, "process", run.workers, speedup],
  );
  assert.equal(Number(ms), Math.max(1, Math.round(Number(run.wallMs))));
  await page.close();

  // The post, with the code as written: the author's result before the reader runs anything.
  const { tab, frame } = await openPost("author", iframe, { width: 800, height: 900 });
  await poolReady(frame);
  assert.match(
    await frame.textContent("#author-run"),
    new RegExp(`^The author measured ${speedup}× on ${cpus} CPUs?: the process pool, `),
  );
  await clickAndWait(frame, "#compare", { runs: 2 });
  await frame.waitForSelector(".author-row.yours");
  const rows = await frame.$$eval(".author-row", (divs) =>
    divs.map((d) => [d.className, d.querySelector(".figure").textContent]),
  );
  assert.equal(rows.length, 2);
  assert.equal(rows[0][0], "author-row theirs");
  assert.ok(rows[0][1].startsWith(`${speedup}×, `), rows[0][1]);
  assert.equal(rows[1][0], "author-row yours");
  assert.match(rows[1][1], /^\d+\.\d\d×, \d+\.\d{3} s$/);
  assert.match(await frame.textContent("#author-run"), /^The author: .*You: /);
  await tab.close();

  // A result the page cannot read or believe is quoted as text, never drawn or run as markup.
  for (const [value, why] of [
    ["8_process_8_2000_3.10_<img src=x onerror=alert(1)>", /not in the form this page writes/],
    ["8_process_8_2000_99.00_Chrome 131", /99× on 8 workers cannot be/],
  ]) {
    const bad = await env.open({
      query: `?workload=primes&embed=1&author=${encodeURIComponent(value)}`,
    });
    await bad.waitForSelector("#author-run .author-bad");
    const text = await bad.textContent("#author-run");
    assert.match(text, why);
    assert.ok(text.includes(`“${value}”`), text);
    assert.equal(await bad.count("#author-run img"), 0);
    // The link's settings still apply, with no complaint about the extra parameter.
    assert.equal(await bad.isVisible("#banner"), false);
    await bad.close();
  }
});

test("three <parallel-playground> facades cost a post's readers under 10 KB each before a click", async () => {
  const page = await env.open({ query: `?${QUERY}&mode=process` });
  await page.click("#embed-code summary");
  await page.check("input[name=embed-platform][value=element]");
  const snippet = await page.textContent("#embed-element");
  await page.close();
  const [script, tag] = snippet.split("\n");
  const others = ["sleeper", "mandelbrot"].map((w) =>
    tag.replace('workload="primes"', `workload="${w}"`),
  );
  const served = env.server.requests.length;
  const { tab } = await (async () => {
    posts.set(
      "/three",
      `<!doctype html><title>Three</title>${script}<h1>A post</h1>${tag}<p>Text</p>${others.join("<p>More</p>")}`,
    );
    return { tab: await env.launched.open(`http://localhost:${blog.address().port}/three`) };
  })();
  // Every facade drawn and its picture loaded (scrolled through, as a reader would), no click.
  await tab.waitForFunction(() => {
    for (const el of document.querySelectorAll("parallel-playground")) el.scrollIntoView();
    const all = [...document.querySelectorAll("parallel-playground")];
    return all.length === 3 && all.every((el) => el.shadowRoot?.querySelector("img")?.complete);
  });
  await new Promise((ok) => setTimeout(ok, 500)); // anything still on its way would show now
  // What the post asked for (its page is the referrer or the origin of every request it
  // makes): the full page opened above may still be finishing requests of its own.
  const post = `http://localhost:${blog.address().port}`;
  const before = env.server.requests
    .slice(served)
    .filter((r) => r.origin === post || r.referer?.startsWith(`${post}/`));
  const bytes = before.reduce((sum, r) => sum + r.bytes, 0);
  console.log(
    `[facade] ${ENGINE}: ${before.length} responses, ${bytes} bytes for 3 embeds: ${before.map((r) => `${r.path} ${r.bytes}`).join(", ")}`,
  );
  assert.ok(bytes <= 3 * 10 * 1024, `three facades cost ${bytes} bytes`);
  assert.ok(!before.some((r) => r.path.includes("embed=1")), "no playground loaded before a click");
  assert.equal(await tab.count("iframe"), 0);

  // One click loads that one playground, and only it.
  await clickFacade(tab);
  const frame = await tab.frame("iframe");
  await frame.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  assert.equal(await tab.count("iframe"), 1);
  assert.equal(
    new URL(await tab.getAttribute("iframe", "src")).searchParams.get("workload"),
    "primes",
  );
  await tab.close();
});
