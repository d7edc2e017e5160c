// <parallel-playground>: Parallel Playground in a blog post, as one tag. Load this file as a
// module and write the tag with any of the page's settings as attributes:
//
//   <script type="module" src="https://…/www/embed.js"></script>
//   <parallel-playground workload="sleeper" mode="process"></parallel-playground>
//
// It makes an iframe of the playground's embed mode with those settings and keeps the frame
// as tall as the page inside it says it is (www/page/embed.js posts its height).

const PLAYGROUND = new URL("../", import.meta.url); // index.html sits one folder up
// The same as HEIGHT_MESSAGE in www/page/embed.js. Not imported: other sites load this file,
// and an import would make them fetch (and the host serve with CORS) a second one.
const HEIGHT_MESSAGE = "parallel-playground:height";
const NOT_SETTINGS = new Set(["id", "class", "style", "title", "hidden", "lang", "dir"]);
/** A frame never grows past this, whatever it is told (a page is not this tall). */
const MAX_HEIGHT = 20000;

class ParallelPlayground extends HTMLElement {
  #frame = null;
  #listener = null;

  connectedCallback() {
    if (this.#frame) return;
    const url = new URL(PLAYGROUND);
    for (const { name, value } of this.attributes) {
      if (!NOT_SETTINGS.has(name)) url.searchParams.set(name, value);
    }
    url.searchParams.set("embed", "1");
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = this.getAttribute("title") ?? "Parallel Playground";
    frame.allow = "cross-origin-isolated; clipboard-write";
    frame.loading = "lazy";
    frame.style.cssText = "display:block;width:100%;height:720px;border:0";
    this.#listener = ({ source, origin, data }) => {
      if (source !== frame.contentWindow || origin !== PLAYGROUND.origin) return;
      if (data?.type !== HEIGHT_MESSAGE) return;
      const height = Number(data.height);
      if (height > 0) frame.style.height = `${Math.min(Math.ceil(height), MAX_HEIGHT)}px`;
    };
    window.addEventListener("message", this.#listener);
    this.style.display ||= "block";
    this.replaceChildren(frame);
    this.#frame = frame;
  }

  disconnectedCallback() {
    window.removeEventListener("message", this.#listener);
    this.replaceChildren();
    this.#frame = null;
  }
}

if (!customElements.get("parallel-playground")) {
  customElements.define("parallel-playground", ParallelPlayground);
}
