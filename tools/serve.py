#!/usr/bin/env python3
"""Static server for the playground: Python's http.server plus the response headers the site's
`_headers` file names (the same file Netlify and Cloudflare Pages read): COOP same-origin and
COEP require-corp, which make the page cross-origin isolated for SharedArrayBuffer and wasm
threads, Document-Isolation-Policy, which isolates the page even in a blog's iframe (Chromium
137+), and the Content-Security-Policy. No dependencies beyond Python 3.8+.

Prints exactly one line on stdout once listening: the URL. Port 0 picks a free port (the tests
and the benchmark use that and read the URL back).
"""
import argparse
import functools
import http.server
import os
import sys


# What --no-isolation leaves out, to serve like a host that cannot send headers.
ISOLATION = {
    "cross-origin-opener-policy",
    "cross-origin-embedder-policy",
    "cross-origin-resource-policy",
    "document-isolation-policy",
}


def site_headers(path):
    """The blocks of `_headers` as {path pattern: [(name, value)]}: `/*` for every path, and
    exact paths (this site's only other kind)."""
    blocks, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                current = blocks.setdefault(line.strip(), [])
            elif current is not None and ":" in line:
                name, value = line.strip().split(":", 1)
                current.append((name.strip(), value.strip()))
    return blocks


class Handler(http.server.SimpleHTTPRequestHandler):
    isolate = True
    site_blocks = {}

    # Explicit types: older Pythons' mimetypes lack .wasm, and browsers refuse
    # WebAssembly.compileStreaming for anything but application/wasm.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def end_headers(self):
        path = self.path.split("?", 1)[0]
        headers = self.site_blocks.get("/*", []) + self.site_blocks.get(path, [])
        for name, value in headers:
            if self.isolate or name.lower() not in ISOLATION:
                self.send_header(name, value)
        # A development server: always serve what was just built.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if self.verbose or (args and str(args[1])[:1] in "45"):
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default="dist", help="folder to serve (default: dist)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    ap.add_argument(
        "--no-isolation",
        action="store_true",
        help="omit COOP/COEP, like a plain static host (GitHub Pages)",
    )
    ap.add_argument("--verbose", action="store_true", help="log every request")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve.py: {args.dir}/index.html not found; run ./build.sh first")

    Handler.isolate = not args.no_isolation
    headers_file = os.path.join(args.dir, "_headers")
    if not os.path.isfile(headers_file):
        sys.exit(f"serve.py: {headers_file} not found; run ./build.sh first")
    Handler.site_blocks = site_headers(headers_file)
    Handler.verbose = args.verbose
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as e:
        sys.exit(f"serve.py: cannot listen on {args.host}:{args.port}: {e.strerror}; try --port")
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
