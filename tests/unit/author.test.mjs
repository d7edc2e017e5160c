// The author's result in an embed link (www/page/author.js): written, read back, and refused
// when the page cannot read or believe it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { authorRecord, browserName, readAuthor } from "../../www/page/author.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.7500.1 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";
const SAFARI =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15";
const EDGE = `${CHROME} Edg/156.0.1`;

test("the browser is named as its user agent names it", () => {
  assert.equal(browserName(CHROME), "Chrome 156");
  assert.equal(browserName(FIREFOX), "Firefox 153");
  assert.equal(browserName(SAFARI), "Safari 18");
  assert.equal(browserName(EDGE), "Edge 156");
  assert.equal(browserName("curl/8"), "a browser");
});

test("a recorded result reads back as it was written", () => {
  const series = { mode: "threads", workers: 8, ms: 2140.4 };
  const { value, words } = authorRecord(series, 3.6249, 8, FIREFOX);
  assert.equal(value, "8_threads_8_2140_3.62_Firefox 153");
  assert.equal(words, "3.62× on 8 CPUs: the thread pool, 8 threads, 2.140 s, in Firefox 153");
  assert.deepEqual(readAuthor(value), {
    result: {
      cpus: 8,
      mode: "threads",
      workers: 8,
      ms: 2140,
      speedup: 3.62,
      browser: "Firefox 153",
    },
  });
  // Without a main-thread run there is no speedup: "-".
  const alone = authorRecord({ mode: "process", workers: 2, ms: 0.2 }, null, 2, CHROME).value;
  assert.equal(alone, "2_process_2_1_-_Chrome 156");
  assert.equal(readAuthor(alone).result.speedup, null);
  assert.equal(readAuthor(null), null);
});

test("a result the page cannot read or believe says why, and keeps the text as given", () => {
  for (const [text, why] of [
    ["8_process_8_2000_3.10_<b>x</b>", /not in the form/],
    ["8_gpu_8_2000_3.10_Chrome 1", /not in the form/],
    ["8_process_8_2000_3.1_Chrome 1", /not in the form/],
    ["0_process_8_2000_3.10_Chrome 1", /no CPUs, workers or time/],
    ["8_process_0_2000_-_Chrome 1", /no CPUs, workers or time/],
    ["8_process_4_2000_8.01_Chrome 1", /8.01× on 4 workers cannot be/],
    ["8_process_4_2000_0.00_Chrome 1", /0× on 4 workers cannot be/],
  ]) {
    const read = readAuthor(text);
    assert.equal(read.result, undefined, text);
    assert.equal(read.text, text);
    assert.match(read.why, why, text);
  }
  assert.ok(readAuthor("8_process_4_2000_8.00_Chrome 1").result, "twice the workers is the limit");
});
