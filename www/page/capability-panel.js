// The capability panel: what this browser can do on this host, and which modes that allows.
import { isolatedCopyUrl } from "../platform/isolation.js";
import { fullPlaygroundUrl } from "./embed.js";

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
    [
      "Service workers",
      yes(
        caps.serviceWorker,
        caps.serviceWorker ? "" : `${caps.serviceWorkerWhy ?? "unavailable"}: no offline copy`,
      ),
    ],
    ["Storage", yes(caps.storage, caps.storage ? "" : storageNote(caps))],
    [
      "performance.now() resolution",
      {
        ok: true,
        text: Number.isFinite(resolution) ? `${(resolution * 1000).toFixed(0)} µs` : "unknown",
        note: caps.crossOriginIsolated ? "" : "browsers coarsen it when a page is not isolated",
      },
    ],
  ];
  if (caps.framed) rows.unshift(["This frame", { ok: true, text: frameText(caps), note: "" }]);
  const modes = {
    main: "Main thread",
    process: "Process pool",
    threads: "Thread pool",
    pythonProcesses: "Python processes",
  };
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

/** What the frame this page sits in allows, in words. */
function frameText(caps) {
  if (caps.opaqueOrigin) {
    return "sandboxed without allow-same-origin (an opaque origin, as in WordPress's embeds): no storage and no service worker, and workers start from blob: copies of their scripts";
  }
  return caps.storage
    ? "a frame in another site's page"
    : "a frame in another site's page, denied storage by the browser or the frame's sandbox";
}

function storageNote(caps) {
  if (caps.opaqueOrigin) return "a frame with an opaque origin has none";
  return caps.framed
    ? "the browser or the frame's sandbox denies this frame storage; only the service-worker fallback would use it"
    : "this browser denies the page storage; only the service-worker fallback would use it";
}

/** Shows why thread mode cannot run, beside its radio button, with a way out if there is one. */
export function showThreadsReason(el, reason, caps) {
  el.hidden = reason === true;
  if (reason === true) return;
  el.textContent = `Unavailable: ${reason}.`;
  // In a blog's frame, the full playground (a page of its own) can be isolated. The compact
  // embed layout has no room for the reason inside the mode's box, so it gets a line of its own.
  if (caps.framed) {
    const popout = document.getElementById("threads-popout");
    const text = "Open the full playground for threads";
    popout.textContent = "Threads cannot run in this frame in this browser. ";
    popout.append(openFullLink(text), ".");
    popout.hidden = false;
    el.append(" ", openFullLink(text), ".");
    return;
  }
  // Only an opt-out (?isolate=0) can be undone by a link; a failed service worker would fail again.
  if (caps.isolationDeclined && caps.serviceWorker) {
    const link = document.createElement("a");
    link.href = isolatedCopyUrl();
    link.textContent = "Open an isolated copy";
    el.append(" ", link, ".");
  }
}

/** A link out of the frame to the full playground (App#showLinks keeps its settings current). */
function openFullLink(text) {
  return Object.assign(document.createElement("a"), {
    href: fullPlaygroundUrl(location.href),
    className: "open-full",
    target: "_blank",
    rel: "noopener",
    textContent: text,
  });
}
