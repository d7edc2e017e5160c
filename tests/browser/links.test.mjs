// Bad input gets a clear message and nothing is lost: a table of bad field values and bad link
// parameters, each with the message it must show, none of which may run injected markup, and
// after all of them a normal run still works. Links name what they ignore and the address bar
// shows the settings in force.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  usePlayground,
  poolReady,
  fill,
  clickAndWait,
  historyCount,
  controlled,
} from "./helpers.mjs";

const env = usePlayground();

// Markup that would set window.ppPwned if it ever ran as HTML.
const XSS = "<img src=x onerror=window.ppPwned=1>";
const SCRIPT = "<script>window.ppPwned=1</script>";

const PRIMES_SIZE = "size must be a whole number from 1,000 to 100,000,000";
const TASKS = "tasks must be a whole number from 1 to 100,000, at most one per item";
const CHUNK = "chunksize must be a whole number from 1 to 64, or auto: tasks per message";
const WORKERS = "workers must be a whole number from 1 to 64";
const REPEATS = "repeats must be a whole number from 1 to 20, measured runs";
const TIMEOUT = "timeout must be a number from 0 to 3600";
const FAIL = "fail must be a whole number from 0 to 63, a task index";

/** [field, what is typed, what its message must say], on prime counting's defaults. */
const FIELD_CASES = [
  ["size", "-5", `${PRIMES_SIZE} (got -5)`],
  ["size", "+-5", `${PRIMES_SIZE} (got "+-5")`],
  ["size", "1e99", `${PRIMES_SIZE} (got 1e99)`],
  ["size", "1e-3", `${PRIMES_SIZE} (got 1e-3)`],
  ["size", "1.5", `${PRIMES_SIZE} (got 1.5)`],
  ["size", "99999999999999999999999", `${PRIMES_SIZE} (got 99999999999999999999999)`],
  ["size", "NaN", `${PRIMES_SIZE} (got NaN)`],
  ["size", "Infinity", `${PRIMES_SIZE} (got Infinity)`],
  ["size", "0x10000", `${PRIMES_SIZE} (got "0x10000")`],
  ["size", "12abc", `${PRIMES_SIZE} (got "12abc")`],
  ["size", "٣٠٠٠", `${PRIMES_SIZE} (got "٣٠٠٠")`],
  ["size", "１０００", `${PRIMES_SIZE} (got "１０００")`],
  ["size", "๑๐๐๐", `${PRIMES_SIZE} (got "๑๐๐๐")`],
  ["size", XSS, `${PRIMES_SIZE} (got "${XSS}")`],
  ["size", "5-", `${PRIMES_SIZE} (got "5-")`],
  ["tasks", "0", `${TASKS} (got 0)`],
  ["tasks", "-1", `${TASKS} (got -1)`],
  ["tasks", "100001", `${TASKS} (got 100001)`],
  ["tasks", "2.5", `${TASKS} (got 2.5)`],
  ["tasks", "1e6", `${TASKS} (got 1e6)`],
  ["tasks", SCRIPT, `${TASKS} (got "${SCRIPT}")`],
  ["chunksize", "0", `${CHUNK}, at most the task count (got 0)`],
  ["chunksize", "65", `${CHUNK}, at most the task count (got 65)`],
  ["chunksize", "abc", `${CHUNK}, at most the task count (got "abc")`],
  ["workers", "0", `${WORKERS} (got 0)`],
  ["workers", "65", `${WORKERS} (got 65)`],
  ["workers", "1000", `${WORKERS} (got 1000)`],
  ["workers", "-2", `${WORKERS} (got -2)`],
  ["workers", "two", `${WORKERS} (got "two")`],
  ["workers", "\u200b5", `${WORKERS} (got "\u200b5")`],
  ["repeats", "0", `${REPEATS} (got 0)`],
  ["repeats", "21", `${REPEATS} (got 21)`],
  ["repeats", "1.5", `${REPEATS} (got 1.5)`],
  ["timeout", "-1", `${TIMEOUT} (got -1)`],
  ["timeout", "3601", `${TIMEOUT} (got 3601)`],
  ["timeout", "soon", `${TIMEOUT} (got "soon")`],
  ["timeout", "1e9", `${TIMEOUT} (got 1e9)`],
  ["fail", "64", `${FAIL} (got 64)`],
  ["fail", "-1", `${FAIL} (got -1)`],
  ["fail", "x", `${FAIL} (got "x")`],
];

/** [query, what the banner must say]: bad links. */
const LINK_CASES = [
  ["?mode=gpu", 'mode must be one of main, process, threads (got "gpu")'],
  [
    "?workload=counter",
    'workload must be one of sleeper, primes, mandelbrot, montecarlo, tiny (got "counter")',
  ],
  ["?workload=racy", '(got "racy")'],
  [`?workload=${encodeURIComponent("<b>x</b>")}`, '(got "<b>x</b>")'],
  ["?gil=maybe", 'gil must be one of 1, 0 (got "maybe")'],
  ["?warmup=2", "warmup must be one of 1, 0 (got 2)"],
  ["?scale=0", "scale must be a number from 0.01 to 10 (got 0)"],
  ["?scale=11", "scale must be a number from 0.01 to 10 (got 11)"],
  ["?scale=abc", 'scale must be a number from 0.01 to 10 (got "abc")'],
  ["?worker=8", '"worker" is not a setting and was ignored (did you mean workers?)'],
  ["?foo=bar", '"foo" is not a setting and was ignored'],
  ["?size=1&size=2", "size was given 2 times; the last, 2, is used"],
  ["?tasks=1e400", "tasks must be a whole number from 1 to 30, at most one per item (got 1e400)"],
  [`?${encodeURIComponent(XSS)}=1`, `"${XSS}" is not a setting`],
  [
    `?size=${encodeURIComponent(XSS)}`,
    `size must be a whole number from 1 to 1,000 (got "${XSS}")`,
  ],
  [
    "?workload=primes&size=100000000&tasks=1&mode=main",
    "on the main thread one task would freeze the page for about",
  ],
];

const pwned = (page) => page.evaluate(() => window.ppPwned ?? null);

test(`${FIELD_CASES.length} bad field values are each explained, run nothing and inject nothing`, async () => {
  const page = await env.open();
  await poolReady(page);
  await fill(page, { workload: "primes" });
  await page.click(".fault summary");
  for (const [field, typed, message] of FIELD_CASES) {
    // Start from good values each time, so each message is about this case alone.
    await fill(page, { size: "16000000", tasks: 64, chunksize: 1, workers: 2, repeats: 3 });
    await page.fill("#timeout", "");
    await page.fill("#fail", "");
    await page.fill(`#${field}`, typed);
    await page.click("#run");
    await page.waitForSelector(`#${field}-error:not([hidden])`);
    const shown = await page.textContent(`#${field}-error`);
    assert.ok(shown.includes(message), `${field}=${typed}: ${shown}`);
    assert.equal(await historyCount(page), 0, `${field}=${typed} ran nothing`);
    assert.equal(await page.count(`#${field}-error img, #${field}-error script`), 0);
  }
  assert.equal(await pwned(page), null, "no injected markup ran");

  await fill(page, { size: "50,000", tasks: 5, chunksize: 1, workers: 2, repeats: 1 });
  await page.fill("#timeout", "");
  await page.fill("#fail", "");
  const run = await clickAndWait(page);
  assert.equal(run.status, "done");
  assert.match(await page.textContent("#answer"), /^5,133 primes below 50,000/);
  await page.close();
});

test(`${LINK_CASES.length} bad links are each named in a banner, and the page still works`, async () => {
  const page = await env.open();
  for (const [query, message] of LINK_CASES) {
    await page.goto(env.server.url + query);
    await page.waitForSelector("html[data-ready=true]");
    const banner = await page.textContent("#banner");
    assert.ok(banner.includes(message), `${query}: ${banner}`);
    assert.equal(await page.count("#banner img, #banner b, #banner script"), 0);
    // The menu never shows a blank: a refused workload leaves a real one selected.
    assert.notEqual(await page.inputValue("#workload"), "");
  }
  assert.equal(await pwned(page), null, "no injected markup ran");
  await poolReady(page);
  await fill(page, { workload: "primes", size: 100000, tasks: 4 });
  const run = await clickAndWait(page);
  assert.equal(run.status, "done");
  await page.close();
});

test("a link's address bar shows the settings in force, and its banner goes after a good run", async () => {
  const page = await env.open({
    query: "?workload=primes&size=200000&tasks=8&workers=1000&worker=8&foo=bar&repeats=1",
  });
  const banner = await page.textContent("#banner");
  assert.match(banner, /workers must be a whole number from 1 to 64 \(got 1000\)/);
  assert.match(banner, /"worker" is not a setting and was ignored \(did you mean workers\?\)/);
  assert.match(banner, /"foo" is not a setting/);
  const query = new URL(await page.url()).searchParams;
  assert.equal(query.get("workers"), await page.inputValue("#workers"));
  assert.notEqual(query.get("workers"), "1000");
  assert.equal(query.get("foo"), null);
  assert.equal(query.get("worker"), null);
  assert.equal(query.get("size"), "200000", "good values stay");

  // A reload reproduces the settings in force, with nothing left to complain about.
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.isHidden("#banner"), true);

  await page.goto(`${env.server.url}?workload=primes&size=200000&tasks=8&foo=bar&repeats=1`);
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.isVisible("#banner"), true);
  await poolReady(page);
  const run = await clickAndWait(page);
  assert.equal(run.status, "done");
  assert.equal(await page.isHidden("#banner"), true, "a good run clears the link's warning");
  await page.close();
});

test("a shared link shows a card: Open Graph and Twitter tags name a 1200×630 image the site serves", async () => {
  const page = await env.open();
  const card = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("meta[property^='og:'], meta[name^='twitter:']")].map((m) => [
        m.getAttribute("property") ?? m.getAttribute("name"),
        m.content,
      ]),
    ),
  );
  await page.close();
  assert.equal(card["twitter:card"], "summary_large_image");
  assert.ok(card["og:title"] && card["og:description"] && card["og:image:alt"], card);
  assert.equal(card["twitter:image"], card["og:image"]);
  const image = await fetch(new URL(card["og:image"], env.server.url));
  assert.equal(image.status, 200);
  assert.equal(image.headers.get("content-type"), "image/png");
  // A PNG's IHDR chunk holds its width and height, big-endian, at bytes 16 and 20.
  const bytes = Buffer.from(await image.arrayBuffer());
  assert.deepEqual(
    [bytes.readUInt32BE(16), bytes.readUInt32BE(20)],
    [Number(card["og:image:width"]), Number(card["og:image:height"])],
  );
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1200, 630]);
});

test("a link with 100,000 parameters opens at once (through the service worker), counting what it ignores", async () => {
  // A host refuses such a request line (this test's server too: 64 KB at most); the site's
  // service worker asks for the page without its query, so a reader who has been here before
  // gets the page. Its banner names the first few names and counts the rest.
  const first = await env.open();
  await controlled(first);
  const names = Array.from({ length: 100_000 }, (_, i) => `p${i}=`).join("&");
  await first.goto(`${env.server.url}?workload=primes&size=100000&tasks=4&${names}`);
  await first.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  // How long the page took from the navigation to ready, for the closing note (not asserted:
  // a time is a benchmark's business).
  const readyMs = await first.evaluate(() => Math.round(performance.now()));
  console.log(`a 100,000-parameter link: ready ${readyMs} ms after its navigation began`);
  const banner = await first.textContent("#banner");
  assert.match(banner, /^Some of this link could not be used: "p0" is not a setting/);
  assert.match(
    banner,
    /"p4" is not a setting and was ignored; 99,995 more names that are not settings were ignored\.$/,
  );
  assert.equal(
    await first.evaluate(() => location.search.length < 200),
    true,
    "the address holds the settings in force",
  );
  await poolReady(first);
  const run = await clickAndWait(first);
  assert.equal(run.status, "done");
  assert.match(await first.textContent("#answer"), /^9,592 primes below 100,000/);
  await first.close();
});
