// Embed mode (`?embed=1`): the page inside a blog post's iframe. html[data-embed] is set
// before the first paint (embed-flag.js); this module gives the mode what else it needs: the
// link out to the full playground with the same settings, the frame's height for the
// custom element (www/embed.js) that sizes it, and the snippets the full page offers.

import { Frame } from "../engine/protocol.js";
import { copy } from "./share.js";

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

/** The address a link card points at: the site's own preview image. */
const PREVIEW = new URL("../preview.png", import.meta.url);

/** Hosts DEV's `{% embed %}` shows as a live frame (others get a link card). */
const DEV_LIVE_HOSTS = [".netlify.app", ".hf.space"];

/** The oEmbed discovery link this copy of the site was built with (tools/site-address.mjs), or null. */
function oembedLink() {
  return document.querySelector('link[rel=alternate][type="application/json+oembed"]');
}

/**
 * Every way to put the page at `href` in a post, by platform: {iframe, element, dev,
 * wordpress, markdown} snippets, and {devNote, wordpressNote}, which say what runs there on
 * this very host. `workload` names the workload for its oEmbed page.
 */
export function embedSnippets(href, title, { workload } = {}) {
  const src = embedUrl(href);
  const iframe =
    `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="100%" ` +
    `height="${IFRAME_HEIGHT}" style="border:0" loading="lazy" ` +
    `allow="cross-origin-isolated; clipboard-write"></iframe>`;
  const settings = [...new URL(src).searchParams].filter(([name]) => name !== "embed");
  const attributes = settings.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join("");
  const element =
    `<script type="module" src="${escapeHtml(ELEMENT_SCRIPT.href)}"></script>\n` +
    `<parallel-playground${attributes} title="${escapeHtml(title)}"></parallel-playground>`;
  const { hostname } = new URL(src);
  const devLive = DEV_LIVE_HOSTS.some((host) => hostname.endsWith(host));
  const devNote = devLive
    ? "DEV shows this host as a live frame of fixed height: the page fits from 300 px tall and scrolls inside it. Processes run; threads in Chromium 137 and later (DEV's frames grant nothing, and the page isolates itself there)."
    : `DEV makes a live frame only for hosts it knows, such as *.netlify.app: for ${hostname} it shows a link card. Deploy a copy to Netlify (see the README) for a live frame.`;
  const discovery = oembedLink();
  const page = discovery && workload ? new URL(`../../${workload}.html`, import.meta.url) : null;
  const wordpress = page ? page.href : fullPlaygroundUrl(href);
  const wordpressNote = discovery
    ? "Paste the address on a line of its own: WordPress and Ghost read this site's oEmbed answer and show the frame. WordPress sandboxes it (no storage, no service worker): processes run, threads in Chromium 137 and later. It opens on this workload at its default settings (an oEmbed answer is a file, so it cannot carry yours): for your exact settings, use the HTML code in a Custom HTML block."
    : "This copy of the site was built without SITE_URL, so it has no oEmbed answers and WordPress or Ghost will show a plain link. Use the HTML code in a Custom HTML block instead.";
  const markdown = `[![${title.replace(/[[\]]/g, "")}](${PREVIEW.href})](${fullPlaygroundUrl(href)})`;
  return {
    iframe,
    element,
    dev: `{% embed ${src} %}`,
    devNote,
    wordpress,
    wordpressNote,
    markdown,
  };
}

/**
 * WordPress's secret for this frame, or null: WordPress loads an oEmbed frame at
 * `…#?secret=abc123` and heeds only messages that carry it (wp-embed.js).
 */
function wordpressSecret() {
  const secret = new URLSearchParams(location.hash.slice(1)).get("secret");
  return secret && /^[A-Za-z0-9]+$/.test(secret) ? secret : null;
}

/**
 * Inside a frame, posts the page's height to the parent whenever it changes, so the frame can
 * fit it (no inner scroll bar): our own message for the custom element (www/embed.js), and
 * WordPress's `{message: "height", value, secret}` in a WordPress oEmbed frame (WordPress
 * clamps it to 200–1000 px). Only a number crosses, so any parent may hear it.
 */
export function reportHeight() {
  if (window.parent === window) return;
  const secret = wordpressSecret();
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage(Frame.height(height), "*");
    if (secret) window.parent.postMessage(Frame.wordpressHeight(height, secret), "*");
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

/**
 * Links out of a frame (to the full playground) that work in every frame a blog makes. In
 * WordPress's frame, which may not open windows, WordPress's own `link` message asks the post
 * to go there. Elsewhere the link opens a new window as usual, and its address is also offered
 * to copy: a frame sandboxed without allow-popups opens none, and one with allow-popups opens a
 * window that inherits the sandbox, where browsers refuse a page sent with COOP (Chromium:
 * ERR_BLOCKED_BY_RESPONSE); neither can be seen from here.
 */
export function linksOutOfFrame() {
  if (window.parent === window) return;
  const secret = wordpressSecret();
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a.open-full");
    if (!link) return;
    if (secret) {
      event.preventDefault();
      window.parent.postMessage(Frame.wordpressLink(link.href, secret), "*");
      return;
    }
    offerToCopy(link);
  });
}

/** Beside `link`: its address, for a frame whose new window may not open or not show it. */
function offerToCopy(link) {
  let note = link.parentElement.querySelector(".blocked-link");
  if (!note) {
    note = document.createElement("span");
    note.className = "blocked-link";
    note.setAttribute("role", "status");
    const field = document.createElement("input");
    field.readOnly = true;
    field.setAttribute("aria-label", "Address of the full playground");
    field.addEventListener("focus", () => field.select());
    note.append("If no window opened (a blog's frame may forbid it), copy the address: ", field);
    link.after(note);
  }
  note.querySelector("input").value = link.href;
}

/** The URL parameter of the author's result (author.js); the core leaves it to the page. */
export const AUTHOR_PARAM = "author";

/** The author's latest pool result (author.js) as {key: its settings' pairs, value}, or null. */
let authorResult = null;
/** What showLinks last showed, to show again when the author's result changes. */
let shown = null;

/**
 * Offers the author's result `value` for the settings `pairs` it was measured with: the
 * snippets carry it while those are the settings and the box is ticked.
 */
export function offerAuthorResult(pairs, value) {
  authorResult = { key: JSON.stringify(pairs), value };
  if (shown) showLinks(shown);
}

/**
 * The links that carry the settings (`pairs`, the core's): every link out of an embed, and the
 * embed snippets for a post, made from `forPost` (the same, less what is only this machine's,
 * and with the author's result if it is for these settings and they asked for it).
 * `label`: the workload's name.
 */
export function showLinks(links) {
  shown = links;
  const { pairs, label, workload } = links;
  const $ = (id) => document.getElementById(id);
  const box = $("embed-author");
  box.disabled = authorResult?.key !== JSON.stringify(pairs);
  const forPost =
    box.checked && !box.disabled
      ? [...links.forPost, [AUTHOR_PARAM, authorResult.value]]
      : links.forPost;
  const here = new URL(location.pathname, location.href);
  // The author's result a link brought goes on with it, out of the embed too.
  const author = new URLSearchParams(location.search).get(AUTHOR_PARAM);
  here.search = new URLSearchParams([...pairs, ...(author ? [[AUTHOR_PARAM, author]] : [])]);
  for (const link of document.querySelectorAll("a.open-full")) {
    link.href = fullPlaygroundUrl(here.href);
  }
  $("embed-name").textContent = `Parallel Playground · ${label}`;
  const post = new URL(here);
  post.search = new URLSearchParams(forPost).toString();
  const snippets = embedSnippets(post.href, `Parallel Playground: ${label}`, { workload });
  for (const platform of ["iframe", "element", "dev", "wordpress", "markdown"]) {
    $(`embed-${platform}`).textContent = snippets[platform];
  }
  $("embed-dev-note").textContent = snippets.devNote;
  $("embed-wordpress-note").textContent = snippets.wordpressNote;
}

/** The embed chooser: one platform's code shown at a time, and its Copy button. */
export function wireEmbedChooser() {
  const platform = () => document.querySelector("input[name=embed-platform]:checked").value;
  const status = document.getElementById("embed-status");
  document
    .getElementById("embed-author")
    .addEventListener("change", () => shown && showLinks(shown));
  document.querySelector(".embed-platforms").addEventListener("change", () => {
    for (const choice of document.querySelectorAll(".embed-choice")) {
      choice.hidden = choice.dataset.platform !== platform();
    }
    status.textContent = "";
  });
  document.getElementById("copy-embed").addEventListener("click", async () => {
    const ok = await copy(document.getElementById(`embed-${platform()}`).textContent);
    status.textContent = ok
      ? "Copied. Paste it into your post."
      : "The browser refused the clipboard; select the code above and copy it.";
  });
}
