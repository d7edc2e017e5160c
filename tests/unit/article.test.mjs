// The article's program has one copy (www/python/examples/article.py); the page's article
// card quotes it through articleExcerpt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { articleExcerpt } from "../../www/page/code.js";

const article = readFileSync(
  new URL("../../www/python/examples/article.py", import.meta.url),
  "utf8",
);

test("the card quotes do_something and the with block, out of the __main__ guard", () => {
  const quote = articleExcerpt(article).split("\n");
  assert.equal(quote[0], "def do_something(seconds):");
  assert.ok(quote.includes("        time.sleep(seconds)"));
  const at = quote.indexOf("with concurrent.futures.ProcessPoolExecutor() as executor:");
  assert.ok(at > 0, "the with block is there, unindented");
  assert.equal(quote[at - 1], "", "a blank line between the two");
  assert.equal(quote.at(-1), "    results = executor.map(do_something, secs)");
  assert.ok(!quote.some((line) => line.includes("__main__") || line.includes("perf_counter")));
});

test("every quoted line is the article's own", () => {
  for (const line of articleExcerpt(article).split("\n").filter(Boolean)) {
    assert.ok(article.includes(line.trim()), `not in article.py: ${line}`);
  }
});
