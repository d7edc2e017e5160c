// Embed mode (`?embed=1`): the page inside a blog post's iframe. html[data-embed] is set
// before the first paint (embed-flag.js); this module gives the mode what else it needs: the
// link out to the full playground with the same settings, the frame's height for the
// custom element (www/embed.js) that sizes it, and the snippets the full page offers.

/** The message the page posts to its parent with its height; www/embed.js listens for it. */
export const HEIGHT_MESSAGE = "parallel-playground:height";
/** An iframe's height before the page can say its own (the snippet has no script to ask). */
const IFRAME_HEIGHT = 720;
/** The custom element's script, beside this site's pages. */
const ELEMENT_SCRIPT = new URL("../embed.js", import.meta.url);

export function isEmbedded() {
  return document.documentElement.hasAttribute("data-embed");
}

/** `href` without embed mode: the full playground with the same settings. */
export function fullPlaygroundUrl(href) {
  const url = new URL(href);
  url.searchParams.delete("embed");
  url.hash = "";
  return url.href;
}

/** `href` for an iframe: embed mode, and nothing that belongs to one visitor (?isolate=0). */
export function embedUrl(href) {
  const url = new URL(href);
  url.searchParams.delete("isolate");
  url.searchParams.set("embed", "1");
  url.hash = "";
  return url.href;
}

const escapeHtml = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/**
 * The two ways to put the page at `href` in a post: {iframe, element}. The iframe works
 * wherever raw HTML does; the element (a module script and a tag) also sizes the frame to
 * its content. `allow` lets the frame be cross-origin isolated where the parent is, and copy.
 */
export function embedSnippets(href, title) {
  const src = embedUrl(href);
  const iframe =
    `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="100%" ` +
    `height="${IFRAME_HEIGHT}" style="border:0" loading="lazy" ` +
    `allow="cross-origin-isolated; clipboard-write"></iframe>`;
  const settings = [...new URL(src).searchParams].filter(([name]) => name !== "embed");
  const attributes = settings.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join("");
  const element =
    `<script type="module" src="${escapeHtml(ELEMENT_SCRIPT.href)}"></script>\n` +
    `<parallel-playground${attributes}></parallel-playground>`;
  return { iframe, element };
}

/**
 * Inside a frame, posts the page's height to the parent whenever it changes, so the custom
 * element can fit the frame to it (no inner scroll bar). Only a number crosses, so any
 * parent may hear it.
 */
export function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
  };
  new ResizeObserver(send).observe(document.body);
  send();
}
