// The capability panel: what this browser can do on this host, and which modes that allows.
import { isolatedCopyUrl } from "../platform/isolation.js";

const yes = (ok, note = "") => ({ ok, text: ok ? "yes" : "no", note });

export function showCapabilities(root, caps, support) {
  const resolution = caps.timerResolutionMs;
  const rows = [
    [
      "Cross-origin isolated",
      yes(
        caps.crossOriginIsolated,
        caps.crossOriginIsolated ? `via ${caps.isolatedBy}` : (caps.isolationReason ?? ""),
      ),
    ],
    ["SharedArrayBuffer", yes(caps.sharedArrayBuffer)],
    ["WebAssembly threads", yes(caps.wasmThreads)],
    ["WebAssembly exceptions", yes(caps.wasmExceptions)],
    ["Module workers", yes(caps.moduleWorkers)],
    ["Service workers", yes(caps.serviceWorker)],
    [
      "performance.now() resolution",
      {
        ok: true,
        text: Number.isFinite(resolution) ? `${(resolution * 1000).toFixed(0)} µs` : "unknown",
        note: caps.crossOriginIsolated ? "" : "browsers coarsen it when a page is not isolated",
      },
    ],
  ];
  const modes = { main: "Main thread", process: "Process pool", threads: "Thread pool" };
  for (const [mode, label] of Object.entries(modes)) {
    rows.push([label, yes(support[mode] === true, support[mode] === true ? "" : support[mode])]);
  }
  root.replaceChildren(
    ...rows.map(([name, { ok, text, note }]) => {
      const row = document.createElement("div");
      row.className = ok ? "ok" : "missing";
      const dt = document.createElement("dt");
      dt.textContent = name;
      const dd = document.createElement("dd");
      const value = document.createElement("strong");
      value.textContent = text;
      dd.append(value);
      if (note) dd.append(` · ${note}`);
      row.append(dt, dd);
      return row;
    }),
  );
  root.closest("details").open = support.threads !== true;
}

/** Shows why thread mode cannot run, beside its radio button, with a way out if there is one. */
export function showThreadsReason(el, reason, caps) {
  el.hidden = reason === true;
  if (reason === true) return;
  el.textContent = `Unavailable: ${reason}.`;
  // Only an opt-out (?isolate=0) can be undone by a link; a failed service worker would fail again.
  if (caps.isolationDeclined && caps.serviceWorker) {
    const link = document.createElement("a");
    link.href = isolatedCopyUrl();
    link.textContent = "Open an isolated copy";
    el.append(" ", link, ".");
  }
}
