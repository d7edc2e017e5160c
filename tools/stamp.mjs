// Stamps a built site's service worker (dist/sw.js) with the build it serves: VERSION, a hash
// of every file, which names the offline copy's cache, and each file's SHA-256, which the
// service worker checks before it keeps or serves a copy (www/platform/sw.js). Run by
// build.sh after every other step that writes dist/, and again by a test that makes a "new
// build" of a copy. Usage: node tools/stamp.mjs [DIR]   (DIR defaults to dist)
import { createHash } from "node:crypto";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Not in the offline copy: the worker itself, the host's header file, the link-card image. */
const LEFT_OUT = new Set(["sw.js", "_headers", "www/preview.png"]);
/** The Python runtime: kept when the Python panel loads it, not with the build's copy. */
const RUNTIME = "pyodide/";

async function files(dir, root = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // (A test's copy of the build links the runtime's folder rather than copying it.)
    const folder =
      entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path)).isDirectory());
    if (folder) out.push(...(await files(path, root)));
    else out.push(relative(root, path).split("\\").join("/"));
  }
  return out.sort();
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Writes VERSION, FILES and RUNTIME_FILES into DIR/sw.js; returns the version. */
export async function stamp(dir) {
  const shell = {};
  const runtime = {};
  const whole = createHash("sha256");
  for (const path of await files(dir)) {
    if (LEFT_OUT.has(path)) continue;
    const bytes = await readFile(join(dir, path));
    if (path.startsWith(RUNTIME)) {
      runtime[path] = sha256(bytes);
      continue;
    }
    // The page is asked for by its folder's address, "./".
    shell[path === "index.html" ? "./" : path] = sha256(bytes);
    whole.update(path).update(bytes);
  }
  const version = whole.digest("hex").slice(0, 12);
  const sw = join(dir, "sw.js");
  const source = await readFile(sw, "utf8");
  const stamped = source
    .replace(/^const VERSION = .*;$/m, `const VERSION = ${JSON.stringify(version)};`)
    .replace(/^const FILES = .*;$/m, `const FILES = ${JSON.stringify(shell)};`)
    .replace(/^const RUNTIME_FILES = .*;$/m, `const RUNTIME_FILES = ${JSON.stringify(runtime)};`);
  if (!stamped.includes(`const VERSION = "${version}";`)) {
    throw new Error(`could not stamp ${sw}: its VERSION line is missing`);
  }
  await writeFile(sw, stamped);
  return version;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "dist";
  console.log(await stamp(dir));
}
