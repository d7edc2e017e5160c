// Loads the wasm core. Each flavour's module is compiled once per page: the plain one (pkg/)
// is instantiated by every "process" (the page itself, each pool worker) with its own memory;
// the threads one (pkg-threads/) by the thread pool's host worker, with one shared memory.

const GLUE = new URL("../../pkg/parallel_playground.js", import.meta.url).href;
const WASM = new URL("../../pkg/parallel_playground_bg.wasm", import.meta.url);
const THREADS_WASM = new URL("../../pkg-threads/parallel_playground_bg.wasm", import.meta.url);

/** Fetches and compiles the plain module; the result can be posted to workers. */
export function compileCore() {
  return compileWasm(WASM);
}

/** Fetches and compiles the threads flavour (only useful where threads can run). */
export function compileThreads() {
  return compileWasm(THREADS_WASM);
}

/** Fetches and compiles the wasm at `url` (a URL), from the stream where the host allows. */
export async function compileWasm(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.pathname}: HTTP ${response.status}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch (error) {
    // compileStreaming insists on Content-Type: application/wasm; some static hosts send
    // something else, and compiling from bytes does not care.
    if (!(error instanceof TypeError)) throw error;
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

let instances = 0;

/**
 * A fresh instance of the core: wasm-bindgen keeps one instance per imported copy of its glue,
 * so each call imports the glue under a new URL. That is how a thread whose instance trapped
 * (a panicking task) gets a clean memory again without reloading the page.
 */
export async function instantiate(module) {
  instances += 1;
  const core = await import(instances === 1 ? GLUE : `${GLUE}?instance=${instances}`);
  await core.default({ module_or_path: module });
  return core;
}
