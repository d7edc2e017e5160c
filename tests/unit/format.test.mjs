// How the page writes numbers and task lists, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, seconds, mib, capitalize } from "../../www/page/format.js";
import { taskList, finishedLine } from "../../www/page/results.js";
import { who } from "../../www/page/wording.js";
import { taskListKey } from "../../www/page/history.js";

test("numbers read as people write them", () => {
  assert.equal(fmt.format(78498), "78,498");
  assert.equal(seconds(12004), "12.00");
  assert.equal(finishedLine(12820), "Finished in 12.82 second(s)");
  assert.equal(mib(1.1 * 2 ** 20), "1.1 MiB");
  assert.equal(capitalize("threads"), "Threads");
});

test("task lists collapse into ranges, and long ones say how many more", () => {
  assert.equal(taskList([]), "none");
  assert.equal(taskList([8]), "tasks 8");
  assert.equal(taskList([8, 12, 13, 14, 29]), "tasks 8, 12–14, 29");
  const gappy = Array.from({ length: 30 }, (_, i) => 2 * i);
  assert.match(taskList(gappy), /^tasks 0, 2, 4, .*, 22, and 18 more ranges$/);
});

test("workers and threads are named as the log names them", () => {
  assert.deepEqual(
    [who("main", "main"), who(1, "process"), who(0, "threads")],
    ["main", "w1", "t0"],
  );
});

test("the time scale belongs to a task list only where its tasks sleep", () => {
  const s = { workload: "x", size: 30, tasks: 30, scale: 0.1, fail: null };
  assert.notEqual(
    taskListKey(s, { sleeps: true }),
    taskListKey({ ...s, scale: 1 }, { sleeps: true }),
  );
  assert.equal(
    taskListKey(s, { sleeps: false }),
    taskListKey({ ...s, scale: 1 }, { sleeps: false }),
  );
});
