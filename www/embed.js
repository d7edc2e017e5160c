// <parallel-playground>: Parallel Playground in a blog post, as one tag. Load this file as a
// module and write the tag with any of the page's settings as attributes:
//
//   <script type="module" src="https://…/www/embed.js"></script>
//   <parallel-playground workload="sleeper" mode="process"></parallel-playground>
//
// Click to load: the tag first shows a light facade (the preview picture, the title and "Run
// in your browser") and fetches nothing more until the reader asks, so a post with several
// costs its readers a few KB each. The attribute `eager` makes the frame at once. The frame is
// the playground's embed mode with those settings, kept as tall as the page inside it says it
// is (www/page/embed.js posts its height).

const PLAYGROUND = new URL("../", import.meta.url); // index.html sits one folder up
const PICTURE = new URL("preview.svg", import.meta.url);
// The same as Frame.HEIGHT in www/engine/protocol.js (tests/unit/protocol.test.mjs checks).
// Not imported: other sites load this file, and an import would make them fetch (and the host
// serve with CORS) a second one.
const HEIGHT_MESSAGE = "parallel-playground:height";
const NOT_SETTINGS = new Set(["id", "class", "style", "title", "hidden", "lang", "dir", "eager"]);
/** A frame never grows past this, whatever it is told (a page is not this tall). */
const MAX_HEIGHT = 20000;

// In a shadow root, so the post's own styles neither reach in nor are touched.
const FACADE_STYLE = `
  :host { display: block; }
  button { all: unset; box-sizing: border-box; display: block; width: 100%; cursor: pointer;
    border: 1px solid #e2dfd6; border-radius: 12px; overflow: hidden; background: #fff;
    color: #1c2127; font: 16px/1.4 system-ui, sans-serif; }
  button:focus-visible { outline: 3px solid #0f6e68; outline-offset: 2px; }
  img { display: block; width: 100%; height: auto; aspect-ratio: 1200 / 630; }
  .bar { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center;
    justify-content: space-between; padding: 10px 14px; }
  .name { font-weight: 600; }
  .go { background: #0f6e68; color: #fff; border-radius: 999px; padding: 6px 14px;
    font-weight: 600; white-space: nowrap; }
  button:hover .go { background: #0b5752; }
  .note { width: 100%; font-size: 13px; color: #5b6570; }
`;

class ParallelPlayground extends HTMLElement {
  #frame = null;
  #listener = null;

  connectedCallback() {
    if (this.#frame || this.shadowRoot?.childElementCount) return;
    if (this.hasAttribute("eager")) this.#load({ lazy: true });
    else this.#facade();
  }

  disconnectedCallback() {
    window.removeEventListener("message", this.#listener);
    this.shadowRoot?.replaceChildren();
    this.replaceChildren();
    this.#frame = null;
  }

  get #title() {
    return this.getAttribute("title") ?? "Parallel Playground";
  }

  /** The preview and a button: everything the post shows before the reader asks. */
  #facade() {
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = FACADE_STYLE;
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-label", `${this.#title}: run in your browser`);
    const picture = Object.assign(document.createElement("img"), {
      src: PICTURE.href,
      alt: "",
      width: 1200,
      height: 630,
      loading: "lazy",
    });
    const bar = document.createElement("span");
    bar.className = "bar";
    const name = Object.assign(document.createElement("span"), { className: "name" });
    name.textContent = this.#title;
    const go = Object.assign(document.createElement("span"), { className: "go" });
    go.textContent = "▶ Run in your browser";
    const note = Object.assign(document.createElement("span"), { className: "note" });
    note.textContent = "Loads the playground here and runs it on your own CPUs.";
    bar.append(name, go, note);
    button.append(picture, bar);
    button.addEventListener("click", () => this.#load({ lazy: false }), { once: true });
    root.replaceChildren(style, button);
    this.style.display ||= "block";
  }

  /** The playground's frame in place of the facade. */
  #load({ lazy }) {
    const url = new URL(PLAYGROUND);
    for (const { name, value } of this.attributes) {
      if (!NOT_SETTINGS.has(name)) url.searchParams.set(name, value);
    }
    url.searchParams.set("embed", "1");
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = this.#title;
    frame.allow = "cross-origin-isolated; clipboard-write";
    if (lazy) frame.loading = "lazy";
    frame.style.cssText = "display:block;width:100%;height:720px;border:0";
    this.#listener = ({ source, origin, data }) => {
      if (source !== frame.contentWindow || origin !== PLAYGROUND.origin) return;
      if (data?.type !== HEIGHT_MESSAGE) return;
      const height = Number(data.height);
      if (height > 0) frame.style.height = `${Math.min(Math.ceil(height), MAX_HEIGHT)}px`;
    };
    window.addEventListener("message", this.#listener);
    this.style.display ||= "block";
    // The frame goes in the light DOM (where the snippet's readers and tests find it); the
    // facade's shadow root, if any, gives way to a slot that shows it.
    if (this.shadowRoot) this.shadowRoot.replaceChildren(document.createElement("slot"));
    this.replaceChildren(frame);
    this.#frame = frame;
    if (!lazy) frame.focus();
  }
}

if (!customElements.get("parallel-playground")) {
  customElements.define("parallel-playground", ParallelPlayground);
}
