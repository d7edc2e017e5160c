#!/usr/bin/env bash
# Parallel Playground: one script for building, serving, testing and benchmarking.
# The same steps run on a laptop and in CI; each installs what it needs and says so.
#
#   ./build.sh [dist]       build the site into dist/, the folder to deploy (SITE_URL=https://…
#                           makes the link-preview card's URLs absolute)
#   ./build.sh preview      redraw www/preview.png, the link-preview card (needs Chromium)
#   ./build.sh serve [--port N] [--no-isolation] [--base /repo/]
#                           build, then serve dist/ at http://127.0.0.1:8000 with COOP/COEP
#                           (--base: under a subpath, as GitHub Pages serves a project site)
#   ./build.sh test         every test layer: formatting, clippy, Rust and JS unit tests, and the
#                           browser suite in Chromium, Firefox and WebKit
#   ./build.sh bench [--quick] [--json]
#                           drive the built page in headless Chromium and print timings
#   ./build.sh soak [RUNS]  200 runs in one page; checks workers, heap and DOM stay flat
#   ./build.sh setup        only install what is missing
#   ./build.sh fmt          format Rust and JavaScript in place
set -eu
cd "$(dirname "$0")"

# The wasm-bindgen CLI must match the crate exactly; Cargo.toml pins the crate with "=X.Y.Z".
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' Cargo.toml)
STABLE=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
# The threads flavour needs nightly for -Z build-std (std rebuilt with atomics); pinned here,
# so that every machine builds the same thing. The plain flavour stays on stable.
NIGHTLY=nightly-2026-05-20
CRATE=parallel_playground
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_rust() {
    command -v rustup >/dev/null || die "rustup is needed: https://rustup.rs"
    if ! rustup run "$STABLE" rustc --version >/dev/null 2>&1 ||
        ! rustup target list --installed --toolchain "$STABLE" | grep -q '^wasm32-unknown-unknown$' ||
        ! rustup component list --installed --toolchain "$STABLE" | grep -q '^clippy'; then
        say "Installing Rust $STABLE with the wasm32 target, rustfmt and clippy"
        rustup toolchain install "$STABLE" --profile minimal \
            -c rustfmt -c clippy -t wasm32-unknown-unknown
    fi
}

ensure_nightly() {
    if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 ||
        ! rustup component list --installed --toolchain "$NIGHTLY" | grep -q '^rust-src' ||
        ! rustup component list --installed --toolchain "$NIGHTLY" | grep -q '^clippy'; then
        say "Installing Rust $NIGHTLY with rust-src and clippy (for the threads flavour)"
        rustup toolchain install "$NIGHTLY" --profile minimal \
            -c rust-src -c clippy -t wasm32-unknown-unknown
    fi
}

ensure_wasm_bindgen() {
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
        say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches the crate; takes a few minutes once)"
        # Not --locked: its lock file names a crate version the registry no longer has.
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
    fi
}

ensure_npm() {
    command -v npm >/dev/null || die "Node.js 18+ with npm is needed for the tests, the benchmark and wasm-opt"
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "Installing npm dev dependencies (playwright-core, prettier, binaryen, esbuild, axe-core, workerpool)"
        # To stderr: `bench --json` promises one JSON object on stdout and nothing else.
        npm ci --no-audit --no-fund >&2
    fi
}

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
WEBKIT_DRIVER=/usr/bin/WebKitWebDriver
# The three engines the browser suite drives, all Debian's (no tool ever downloads a browser):
# Chromium, Firefox ESR (playwright-core drives both), and WebKitGTK's WebDriver with its
# MiniBrowser, under Xvfb (selenium-webdriver drives it). Installs only what is missing.
ensure_browsers() {
    local missing=()
    [ -x "$CHROMIUM" ] || missing+=(chromium chromium-driver)
    [ -x "$FIREFOX" ] || missing+=(firefox-esr)
    [ -x "$WEBKIT_DRIVER" ] || missing+=(webkit2gtk-driver)
    command -v Xvfb >/dev/null || missing+=(xvfb)
    export CHROMIUM FIREFOX
    [ ${#missing[@]} -eq 0 ] && return
    command -v apt-get >/dev/null ||
        die "Missing browsers (${missing[*]}); install them (CHROMIUM=, FIREFOX= set their paths)"
    say "Installing Debian's ${missing[*]} (the browsers the tests drive)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
        "${missing[@]}" >/dev/null
}

# Chromium alone, for the benchmark and the soak.
ensure_chromium() {
    if [ -x "$CHROMIUM" ]; then export CHROMIUM; return; fi
    command -v apt-get >/dev/null ||
        die "Chromium not found at $CHROMIUM; install it and set CHROMIUM=/path/to/chromium"
    say "Installing Debian's chromium and chromium-driver (the browser the benchmark drives)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
    export CHROMIUM
}

# wasm-opt from npm's binaryen: Debian's older binaryen emits modules that fail to load.
optimize() {
    local wasm=$1
    shift
    if [ -x node_modules/.bin/wasm-opt ]; then
        wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
            --enable-sign-ext --enable-mutable-globals "$@" "$wasm" -o "$wasm"
    else
        say "Skipping wasm-opt (no npm dev dependencies); the page works, a little larger"
    fi
}

# The threads flavour: the same crate with the `threads` feature (rayon), std rebuilt with
# atomics, and panics that unwind (wasm exception handling) so that one panicking task fails
# alone instead of taking down every thread. This nightly also needs the linker told to share,
# import and bound the memory and to export the TLS symbols wasm-bindgen's thread start-up
# uses; without them the memory is not shared and rayon fails with "#<Memory> could not be
# cloned". (rustc warns that `atomics` and `exception-handling` are unstable target features:
# expected, on nightly.)

THREADS_RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+exception-handling -C panic=unwind \
-C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=1073741824 \
-C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
-C link-arg=--export=__tls_align -C link-arg=--export=__tls_base"

# threads_cargo SUBCOMMAND [ARGS...]: ARGS go last, so `clippy -- -D warnings` works.
threads_cargo() {
    local subcommand=$1
    shift
    CARGO_TARGET_DIR=target/threads RUSTFLAGS="$THREADS_RUSTFLAGS" \
        cargo "+$NIGHTLY" "$subcommand" --release --target wasm32-unknown-unknown --lib \
        --features threads -Z build-std=panic_unwind,std "$@"
}


build() {
    ensure_rust
    ensure_nightly
    ensure_wasm_bindgen
    say "Building the plain wasm core (Rust $STABLE, release)"
    cargo build --release --target wasm32-unknown-unknown --lib
    say "Building the threads flavour (Rust $NIGHTLY, atomics, rayon)"
    threads_cargo build
    rm -rf dist
    mkdir -p dist
    wasm-bindgen --target web --no-typescript --out-dir dist/pkg \
        "target/wasm32-unknown-unknown/release/$CRATE.wasm"
    optimize "dist/pkg/${CRATE}_bg.wasm"
    wasm-bindgen --target web --no-typescript --out-dir dist/pkg-threads \
        "target/threads/wasm32-unknown-unknown/release/$CRATE.wasm"
    optimize "dist/pkg-threads/${CRATE}_bg.wasm" --enable-threads --enable-exception-handling
    patch_rayon_helper
    cp index.html dist/
    quote_article dist/index.html
    absolute_card_urls dist/index.html
    cp -r www dist/www
    bundle_css
    # The kernels' own source, for the page's code panes (fetched only when opened).
    mkdir -p dist/src/workloads
    cp src/workloads/*.rs dist/src/workloads/
    # The service worker must sit at the site's root to control index.html.

    mv dist/www/platform/sw.js dist/sw.js
    cp www/_headers dist/_headers
    rm dist/www/_headers
    python_runtime
    minify_js
    site_address
    offline_copy
    say "Built dist/ ($(du -sh dist | cut -f1))"
}

# wasm-bindgen-rayon 1.3.0 (the newest) starts each thread with the glue's deprecated
# positional init(module, memory), and the glue then warns in the console once per thread
# ("using deprecated parameters for the initialization function"). Its helper gets the object
# form the glue asks for; a helper that no longer has that line fails the build, so a new
# version of the crate is looked at rather than patched blindly.
patch_rayon_helper() {
    local helper old='await pkg.default(data.module, data.memory);'
    helper=$(echo dist/pkg-threads/snippets/wasm-bindgen-rayon-*/src/workerHelpers.no-bundler.js)
    [ -f "$helper" ] && [ "$(grep -cF "$old" "$helper")" = 1 ] ||
        die "wasm-bindgen-rayon's worker helper changed: check whether patch_rayon_helper is still needed"
    sed -i 's/await pkg\.default(data\.module, data\.memory);/await pkg.default({ module_or_path: data.module, memory: data.memory });/' "$helper"
}

# The Python panel's runtime: npm's pyodide (CPython compiled to WebAssembly, an ES module),
# copied whole, so that nothing comes from a CDN. Only its five runtime files: the rest of the
# package is types, source maps and demo pages. The page loads them when the panel is opened.
PYODIDE_FILES="pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json"
python_runtime() {
    if [ ! -f node_modules/pyodide/pyodide.mjs ]; then
        say "Skipping the Python runtime (no npm dependencies); the Python panel will say so"
        return
    fi
    mkdir -p dist/pyodide
    for file in $PYODIDE_FILES; do cp "node_modules/pyodide/$file" dist/pyodide/; done
}

# The page's JavaScript, minified in place (esbuild, file by file: no bundling, so every module
# keeps its URL): a first visit downloads about 30 KB less gzipped. www/ stays readable.
# dist/sw.js is left alone: offline_copy stamps its source text next.
# The article card quotes the article's program (www/python/examples/article.py, its one
# copy; articleExcerpt in www/page/code.js picks the lines), written into the page here, so
# the page fetches nothing for it when it starts.
quote_article() {
    node --input-type=module -e '
        import { readFileSync, writeFileSync } from "node:fs";
        import { articleExcerpt } from "./www/page/code.js";
        const page = process.argv[1];
        const empty = "<code id=\"article-code\"></code>";
        const html = readFileSync(page, "utf8");
        if (!html.includes(empty)) throw new Error(`${page} has no empty #article-code`);
        const quote = articleExcerpt(readFileSync("www/python/examples/article.py", "utf8"))
            .replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
        writeFileSync(page, html.replace(empty, `<code id="article-code">${quote}</code>`));
    ' "$1" || die "could not quote the article in $1"
}

# The stylesheets, split by widget in www/styles/ and linked one by one from index.html in
# their order, go out as one minified file: one request instead of six, and about 3 KB less
# gzipped (six files compress worse than one).
bundle_css() {
    local sheets
    sheets=$(sed -n 's|.*<link rel="stylesheet" href="\(www/styles/[a-z-]*\.css\)" />.*|\1|p' index.html)
    [ -n "$sheets" ] || die "index.html links no stylesheet from www/styles/"
    # shellcheck disable=SC2086 # one path per word
    cat $sheets > dist/www/style.css
    if [ -x node_modules/.bin/esbuild ]; then
        esbuild dist/www/style.css --minify --log-level=warning \
            --outfile=dist/www/style.css --allow-overwrite
    fi
    rm -r dist/www/styles
    sed -i -e '0,/href="www\/styles\//s|href="www/styles/[a-z-]*\.css"|href="www/style.css"|' \
        -e '/<link rel="stylesheet" href="www\/styles\//d' dist/index.html
}

minify_js() {
    if [ ! -x node_modules/.bin/esbuild ]; then
        say "Skipping minification (no npm dev dependencies); the page works, a little larger"
        return
    fi
    # (Not workers/process.js here: it is bundled from www/ below.)
    esbuild $(find dist/www dist/pkg dist/pkg-threads -name '*.js' ! -path dist/www/workers/process.js) \
        --minify --log-level=warning \
        --outdir=dist --outbase=dist --allow-overwrite
    # A process worker loads as one file, not a waterfall of five modules, each a request: a
    # worker then starts in about 50 ms instead of 70 here. (Its import of the core's glue is
    # computed, so it stays a request of its own; workers/ and engine/ sit at the same depth,
    # so the glue's relative URL holds.)
    esbuild www/workers/process.js --bundle --format=esm --minify --log-level=warning \
        --outfile=dist/www/workers/process.js --allow-overwrite
}

# The service worker's offline copy: every file of this build and its SHA-256, and a version
# that changes when any of them does, so a new build replaces the copy (tools/stamp.mjs).
offline_copy() {
    local version
    version=$(node tools/stamp.mjs dist) || die "could not stamp dist/sw.js"
    say "Service worker stamped for build $version"
}

# What needs the site's address (tools/site-address.mjs): oEmbed discovery for WordPress and
# Ghost (answers written as files, with absolute URLs), and the site's origin named in the
# Content-Security-Policy, which Safari's WebKit needs in WordPress's sandboxed frame.
site_address() {
    if [ -z "${SITE_URL:-}" ]; then
        say "No SITE_URL: no oEmbed answers (WordPress, Ghost), and WordPress embeds in Safari cannot start"
        return
    fi
    node tools/site-address.mjs "$SITE_URL" dist >&2
}

# Link previews want absolute URLs (Facebook and LinkedIn ignore relative ones), and only the
# deployer knows the site's address: SITE_URL=https://you.github.io/repo/ ./build.sh
absolute_card_urls() {
    local page=$1 site=${SITE_URL:-}
    [ -n "$site" ] || return 0
    site=${site%/}/
    sed -i -e "s|content=\"www/preview.png\"|content=\"${site}www/preview.png\"|" \
        -e "s|<meta property=\"og:type\"|<meta property=\"og:url\" content=\"${site}\" />\n    &|" \
        "$page"
    say "Link-preview card points at $site"
}

serve() {
    local port=8000 extra=()
    while [ $# -gt 0 ]; do
        case "$1" in
        --port) port=${2:?--port needs a number}; shift 2 ;;
        --port=*) port=${1#--port=}; shift ;;
        --no-isolation) extra+=(--no-isolation); shift ;;
        --base) extra+=(--base "${2:?--base needs a path, e.g. /parallel-playground/}"); shift 2 ;;
        --base=*) extra+=(--base "${1#--base=}"); shift ;;
        *) die "serve: unknown option $1 (use --port N, --no-isolation, --base /path/)" ;;
        esac
    done
    command -v python3 >/dev/null || die "python3 is needed to serve (tools/serve.py)"
    if command -v npm >/dev/null; then ensure_npm; fi
    build
    say "Serving dist/ — open the URL below; Ctrl-C stops"
    exec python3 tools/serve.py --dir dist --port "$port" "${extra[@]}"
}

run_tests() {
    # Everything the test layers need, first: a fresh clone runs this command and nothing else.
    ensure_rust
    ensure_nightly
    ensure_wasm_bindgen
    ensure_npm
    ensure_browsers
    say "Checking formatting (rustfmt, prettier)"
    cargo fmt --check
    prettier --check --log-level warn .
    say "Clippy (native, wasm32, and the threads flavour), warnings are errors"
    cargo clippy --all-targets -- -D warnings
    cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
    threads_cargo clippy -- -D warnings
    cargo clippy --features threads --bin native -- -D warnings
    say "Native tests (unit tests and tests/)"
    cargo test --quiet
    say "JavaScript unit tests (node, no browser)"
    node --test tests/unit/
    build
    # Each engine runs the whole suite; a test that needs what only Playwright offers says
    # so when WebKit skips it. Every engine is run, and any failure fails the command.
    local engine failed=() times=() start
    for engine in chromium firefox webkit; do
        say "Browser tests in $engine (the page driven as a person would)"
        start=$SECONDS
        ENGINE=$engine node --test --test-concurrency=1 tests/browser/ || failed+=("$engine")
        times+=("$engine $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s")
    done
    say "Browser suite times: $(IFS=,; echo "${times[*]}" | sed 's/,/, /g')"
    [ ${#failed[@]} -eq 0 ] || die "browser tests failed in: ${failed[*]}"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
build | dist) ensure_npm; build ;;
preview) ensure_npm; ensure_chromium; node tools/preview.mjs ;;
serve) serve "$@" ;;
test) run_tests ;;
bench)
    # Only the benchmark's own output reaches stdout, so `bench --json` is one JSON object.
    { ensure_npm; ensure_chromium; build; } >&2
    node tools/bench.mjs "$@"
    ;;
soak)
    { ensure_npm; ensure_chromium; build; } >&2
    node tools/soak.mjs "$@"
    ;;
setup) ensure_rust; ensure_nightly; ensure_wasm_bindgen; ensure_npm; ensure_browsers ;;
fmt) cargo fmt; ensure_npm; prettier --write --log-level warn . ;;
-h | --help | help) sed -n '2,18s/^# \{0,1\}//p' "$0" ;;
*) die "unknown command '$cmd' (build, dist, serve, test, bench, soak, preview, setup, fmt)" ;;
esac
