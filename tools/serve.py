#!/usr/bin/env python3
"""Static server for the playground: Python's http.server plus the headers that make the page
cross-origin isolated (COOP same-origin + COEP require-corp), which SharedArrayBuffer and wasm
threads require. No dependencies beyond Python 3.8+.

Prints exactly one line on stdout once listening: the URL. Port 0 picks a free port (the tests
and the benchmark use that and read the URL back).
"""
import argparse
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    isolate = True

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
        if self.isolate:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
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
