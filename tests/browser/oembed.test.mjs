// WordPress and Ghost, as they embed a link: the author pastes the playground's address on a
// line of its own; the platform reads the page's oEmbed <link>, fetches that JSON, and shows
// its iframe (WordPress in its sandbox, with a secret, sizing the frame by its messages).
// Against a copy of the build made for its own address, as `SITE_URL=… ./build.sh` makes it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { ENGINE, copyOfBuild, wordpressSized } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import { clickAndWait, openPlayground, poolReady, startServer } from "../../tools/browser.mjs";
import { forSite } from "../../tools/site-address.mjs";
import { stamp } from "../../tools/stamp.mjs";

let site;
let server;
let blog;
let engine;
const posts = new Map();
before(async () => {
  site = await copyOfBuild();
  server = await startServer({ dir: site.dir });
  // The build step SITE_URL turns on, for this server's address; then the worker's stamp.
  await forSite(server.url, site.dir);
  await stamp(site.dir);
  blog = createServer((req, res) => {
    const html = posts.get(req.url);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "no such post");
  });
  await new Promise((ok) => blog.listen(0, "127.0.0.1", ok));
  engine = await launchEngine(ENGINE);
});
after(async () => {
  await engine?.close();
  server?.close();
  blog?.close();
  await site?.remove();
});

/** What WordPress does with a pasted address: discovery, then the answer's HTML. */
async function discover(address) {
  const page = await (await fetch(address)).text();
  const link = page.match(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/);
  assert.ok(link, `${address} names no oEmbed answer`);
  const response = await fetch(link[1].replaceAll("&amp;", "&"));
  assert.equal(response.status, 200);
  return response.json();
}

test("each workload's page and the default name their oEmbed answers, which describe the embed", async () => {
  const primes = await discover(`${server.url}primes.html`);
  assert.equal(primes.version, "1.0");
  assert.equal(primes.type, "rich");
  assert.equal(primes.provider_name, "Parallel Playground");
  assert.equal(primes.title, "Parallel Playground: Prime counting");
  const src = primes.html.match(/<iframe src="([^"]+)"/)[1].replaceAll("&amp;", "&");
  assert.equal(src, `${server.url}?workload=primes&embed=1`);
  assert.equal(primes.thumbnail_url, `${server.url}www/preview.png`);
  const fallback = await discover(server.url);
  assert.equal(fallback.html.match(/<iframe src="([^"]+)"/)[1], `${server.url}?embed=1`);
  // The workload's page opens on its workload.
  const page = await openPlayground(engine, `${server.url}primes.html`);
  assert.equal(await page.inputValue("#workload"), "primes");
  // And the embed chooser gives that page to paste into WordPress or Ghost.
  await page.click("#embed-code summary");
  await page.check("input[name=embed-platform][value=wordpress]");
  assert.equal(await page.textContent("#embed-wordpress"), `${server.url}primes.html`);
  assert.match(await page.textContent("#embed-wordpress-note"), /^Paste the address on a line/);
  await page.close();
});

test("in WordPress's sandboxed frame the answer's embed runs, and sizes its frame", async () => {
  const answer = await discover(`${server.url}primes.html`);
  // WordPress's wp_filter_oembed_result: a sandbox, a secret in the fragment and on the frame.
  const secret = "Zq81wE";
  const iframe = answer.html
    .replace(
      "<iframe",
      `<iframe sandbox="allow-scripts" security="restricted" data-secret="${secret}"`,
    )
    .replace(/src="([^"]+)"/, `src="$1#?secret=${secret}"`);
  posts.set(
    "/wordpress",
    `<!doctype html><title>A WordPress post</title><p>Before</p>${iframe}<p>After</p>
    <script>
      window.heights = [];
      addEventListener("message", ({ data, source }) => {
        const frame = document.querySelector('iframe[data-secret="' + data?.secret + '"]');
        if (!frame || frame.contentWindow !== source || data.message !== "height") return;
        frame.height = Math.min(1000, Math.max(200, parseInt(data.value, 10)));
        heights.push(frame.height);
      });
    </script>`,
  );
  const tab = await engine.open(`http://localhost:${blog.address().port}/wordpress`);
  const frame = await tab.frame("iframe");
  await frame.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  assert.equal(
    await frame.evaluate(() => origin),
    "null",
    "an opaque origin, as WordPress makes it",
  );
  await poolReady(frame);
  const run = await clickAndWait(frame);
  assert.equal(run.status, "done");
  assert.equal(run.mode, "process");
  await wordpressSized(tab, frame);
  await tab.close();
});
