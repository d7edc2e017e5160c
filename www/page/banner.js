// The banner at the top of the page: what went wrong at start, or what a link could not do.
const $ = (id) => document.getElementById(id);

/** Shows `text` in the banner at the top; `kind` is error, warn or info. */
export function banner(text, kind = "error") {
  const el = $("banner");
  el.textContent = text;
  el.className = `banner ${kind}`;
  el.hidden = false;
}

/** Hides the banner if it still shows a warning about the link (not an error). */
export function clearLinkBanner() {
  if ($("banner").classList.contains("warn")) $("banner").hidden = true;
}
