// Sharing results: the History as a Markdown table, and as JSON, CSV or a trace (export.js,
// trace.js: loaded when asked for).
import { HISTORY_COLUMNS, historyCells } from "./history.js";

/** The History as a Markdown table, oldest first. */
export function markdown(history) {
  const rows = history.series.map((s) => historyCells(s, history.baselineOf(s)));
  const line = (cells) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [
    line(HISTORY_COLUMNS.map((c) => c.head)),
    line(HISTORY_COLUMNS.map((c) => (c.text ? "---" : "---:"))),

    ...rows.map(line),
  ].join("\n");
}

/** Offers `text` as a file download. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies `text`; falls back to a selected text area where the clipboard API is refused. */
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = Object.assign(document.createElement("textarea"), { value: text });
    document.body.append(area);
    area.select();
    const ok = document.execCommand?.("copy") ?? false;
    area.remove();
    return ok;
  }
}

/**
 * The History's buttons: copy as Markdown, download JSON, CSV and a trace (trace.js), each
 * saying what it did.
 * `extra()` gives what the JSON holds besides the History: {caps, sweep}.
 */
export function wireSharing(history, extra) {
  const $ = (id) => document.getElementById(id);
  const say = (make) => async () => ($("share-status").textContent = await make());
  $("copy-markdown").addEventListener(
    "click",
    say(async () =>
      (await copy(markdown(history)))
        ? "Copied the table as Markdown."
        : "The browser refused the clipboard.",
    ),
  );
  $("download-json").addEventListener(
    "click",
    say(async () => {
      const { report } = await import("./export.js");
      const { caps, sweep } = extra();
      const page = {
        url: location.href,
        userAgent: navigator.userAgent,
        hardwareConcurrency: navigator.hardwareConcurrency,
        capabilities: caps,
        exported: new Date().toISOString(),
      };
      const data = { ...report(history, page), sweep };
      download("parallel-playground.json", "application/json", JSON.stringify(data, null, 2));
      return "Downloaded parallel-playground.json.";
    }),
  );
  $("download-csv").addEventListener(
    "click",
    say(async () => {
      const { csv } = await import("./export.js");
      download("parallel-playground.csv", "text/csv", csv(history));
      return "Downloaded parallel-playground.csv (one row per task of every measured run).";
    }),
  );
  $("download-trace").addEventListener(
    "click",
    say(async () => {
      const { historyTrace } = await import("./trace.js");
      download(
        "parallel-playground.trace.json",
        "application/json",
        JSON.stringify(historyTrace(history)),
      );
      return "Downloaded parallel-playground.trace.json: open it in ui.perfetto.dev or profiler.firefox.com.";
    }),
  );
}
