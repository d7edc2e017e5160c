// What the build does once it knows the site's address (SITE_URL), for the two kinds of blog
// embed that need it:
//
// - oEmbed discovery, for WordPress, Ghost and every other oEmbed consumer: a blog author
//   pastes a link to the playground on a line of its own, the platform reads the page's
//   <link rel="alternate" type="application/json+oembed">, fetches that JSON and shows the
//   iframe it describes. A static host cannot answer oEmbed queries, so the answers are
//   files: oembed.json (the page as it opens) and oembed/<workload>.json for each workload in
//   the menu, with a page of its own, <workload>.html, that opens on that workload and links
//   its JSON. Consumers want absolute URLs.
// - The Content-Security-Policy names the site's origin beside 'self'. WordPress's frame is
//   sandboxed without allow-same-origin, so the page has an opaque origin, and there WebKit's
//   'self' matches nothing (measured: WebKitGTK 2.50 requested not one script or stylesheet);
//   Chromium and Firefox match 'self' against the page's address.
//
// Usage: node tools/site-address.mjs SITE_URL [DIR]   (DIR defaults to dist; before stamp.mjs)
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The frame the JSON describes: the embed snippet's size and permissions. */
const WIDTH = 800;
const HEIGHT = 720;

const escapeHtml = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** The workloads of the menu, from the built core itself ({id, label}). */
async function menuWorkloads(dir) {
  const glue = await import(pathToFileURL(resolve(dir, "pkg/parallel_playground.js")).href);
  const wasm = await readFile(join(dir, "pkg/parallel_playground_bg.wasm"));
  await glue.default({ module_or_path: wasm });
  return glue.workloads().filter((w) => !w.experiment);
}

/** The oEmbed answer for the embed at `src` ("rich": the HTML is an iframe). */
function answer(site, title, src) {
  const html =
    `<iframe src="${escapeHtml(src)}" title="${escapeHtml(title)}" width="${WIDTH}" ` +
    `height="${HEIGHT}" style="border:0" allow="cross-origin-isolated; clipboard-write">` +
    `</iframe>`;
  return {
    version: "1.0",
    type: "rich",
    provider_name: "Parallel Playground",
    provider_url: site,
    title,
    html,
    width: WIDTH,
    height: HEIGHT,
    thumbnail_url: new URL("www/preview.png", site).href,
    thumbnail_width: 1200,
    thumbnail_height: 630,
    cache_age: 86400,
  };
}

/** The <link> a consumer discovers, placed before </head>. */
function withDiscovery(html, href, title) {
  const link =
    `  <link rel="alternate" type="application/json+oembed" href="${escapeHtml(href)}" ` +
    `title="${escapeHtml(title)}" />\n`;
  return html.replace("</head>", `${link}  </head>`);
}

/** `policy` with the site's origin beside each 'self' (once: a second run changes nothing). */
function withOrigin(policy, origin) {
  return policy.replace(/'self'(?! http)/g, `'self' ${origin}`);
}

/** Names `origin` in the policy of `_headers` and of the page's meta tag. */
async function policyNamesOrigin(dir, origin) {
  const headers = join(dir, "_headers");
  const text = await readFile(headers, "utf8");
  await writeFile(
    headers,
    text.replace(
      /^(\s+Content-Security-Policy: )(.*)$/m,
      (_, name, policy) => name + withOrigin(policy, origin),
    ),
  );
  const page = join(dir, "index.html");
  const html = await readFile(page, "utf8");
  await writeFile(
    page,
    html.replace(
      /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/,
      (_, start, policy) => `${start}${withOrigin(policy, origin)}"`,
    ),
  );
}

/**
 * Makes the build in `dir` the site at `site`: its policy names the site's origin, and the
 * oEmbed answers and workload pages are written. Returns the files written.
 */
export async function forSite(site, dir = "dist") {
  site = new URL(site.endsWith("/") ? site : `${site}/`).href;
  await policyNamesOrigin(dir, new URL(site).origin);
  const workloads = await menuWorkloads(dir);
  // Built afresh each time: a second run replaces what a first one wrote.
  const page = (await readFile(join(dir, "index.html"), "utf8")).replace(
    /^ *<link rel="alternate" type="application\/json\+oembed"[^>]*>\n/gm,
    "",
  );
  await mkdir(join(dir, "oembed"), { recursive: true });
  const embed = (query) => `${site}?${query ? `${query}&` : ""}embed=1`;
  const title = "Parallel Playground";
  await writeFile(join(dir, "oembed.json"), JSON.stringify(answer(site, title, embed(""))));
  await writeFile(
    join(dir, "index.html"),
    withDiscovery(page, `${site}oembed.json`, `${title} (oEmbed)`),
  );
  const written = ["oembed.json"];
  for (const { id, label } of workloads) {
    const named = `${title}: ${label}`;
    const json = `oembed/${id}.json`;
    await writeFile(join(dir, json), JSON.stringify(answer(site, named, embed(`workload=${id}`))));
    // The same page, opening on this workload (app.js reads the meta when the link names none).
    let own = withDiscovery(page, `${site}${json}`, `${named} (oEmbed)`);
    own = own
      .replace("</head>", `  <meta name="pp-workload" content="${id}" />\n  </head>`)
      .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(named)}</title>`)
      .replace(/(<meta property="og:url" content=")[^"]*"/, `$1${site}${id}.html"`);
    await writeFile(join(dir, `${id}.html`), own);
    written.push(json, `${id}.html`);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [site, dir = "dist"] = process.argv.slice(2);
  if (!site) {
    console.error("usage: node tools/site-address.mjs SITE_URL [DIR]");
    process.exit(2);
  }
  const written = await forSite(site, dir);
  console.log(`Made for ${site}: its origin in the policy; oEmbed in ${written.length} files`);
}
