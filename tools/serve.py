#!/usr/bin/env python3
"""Static server for the playground: Python's http.server plus the response headers the site's
`_headers` file names (the same file Netlify and Cloudflare Pages read): COOP same-origin and
COEP require-corp, which make the page cross-origin isolated for SharedArrayBuffer and wasm
threads, Document-Isolation-Policy, which isolates the page even in a blog's iframe (Chromium
137+), and the Content-Security-Policy. No dependencies beyond Python 3.8+.

Prints exactly one line on stdout once listening: the URL. Port 0 picks a free port (the tests
and the benchmark use that and read the URL back). `--base /repo/` serves the site under that
path only, as GitHub Pages serves a project site; `--log-requests` then prints one JSON line
per response on stdout ({"path", "status", "bytes", "origin", "referer"}: bytes are headers
and body as sent), which the tests read to count what a page cost its reader. `--stall PATH`
never answers a request for that file (a host or a network that swallows one script), for the
tests of what the page does when a worker's script never comes.
"""
import argparse
import functools
import http.server
import json
import os
import sys
import threading


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
    headers_file = None
    base = "/"
    log_requests = False
    max_age = None
    stalled = ()

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

    def site_path(self):
        """The request's path inside the site (from its base), or None outside it."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path + "/" == self.base:
            return ""  # /repo: a host redirects it to /repo/
        if not path.startswith(self.base):
            return None
        return "/" + path[len(self.base) :]

    def send_head(self):
        inside = self.site_path()
        if inside is None:
            self.send_error(404, "Not under this site's base path")
            return None
        if inside.lstrip("/") in self.stalled:
            threading.Event().wait()  # for ever: this thread is a daemon, gone with the server
        if inside == "":
            self.send_response(301)
            self.send_header("Location", self.base)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def translate_path(self, path):
        inside = self.site_path()
        return super().translate_path(inside if inside else path)

    def send_header(self, keyword, value):
        self._sent = getattr(self, "_sent", 0) + len(keyword) + len(str(value)) + 4
        if keyword.lower() == "content-length":
            self._length = int(value)
        super().send_header(keyword, value)

    def send_response(self, code, message=None):
        self._sent, self._length, self._code = 0, 0, code
        super().send_response(code, message)

    def end_headers(self):
        path = self.site_path() or "/"
        # Read for every response: a test may give the site its address after it started.
        blocks = site_headers(self.headers_file)
        headers = blocks.get("/*", []) + blocks.get(path, [])
        for name, value in headers:
            if self.isolate or name.lower() not in ISOLATION:
                self.send_header(name, value)
        # A development server: always serve what was just built; --max-age plays a host that
        # lets browsers keep files (GitHub Pages: 10 minutes).
        if self.max_age is None:
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Cache-Control", f"max-age={self.max_age}")
        super().end_headers()
        if self.log_requests:
            body = 0 if self.command == "HEAD" or self._code in (204, 304) else self._length
            line = {
                "path": self.path,
                "status": self._code,
                "bytes": self._sent + body,
                # Who asked: a test tells a blog's requests from the playground's own by these.
                "origin": self.headers.get("Origin"),
                "referer": self.headers.get("Referer"),
            }
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    def log_message(self, fmt, *args):
        if self.verbose or (args and str(args[1])[:1] in "45"):
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closed mid-download (a test ended, a tab closed): not the server's fault.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


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
    ap.add_argument(
        "--base",
        default="/",
        help="serve the site under this path only, as GitHub Pages serves /repo/ (default: /)",
    )
    ap.add_argument(
        "--log-requests",
        action="store_true",
        help="print one JSON line per response on stdout: path, status, bytes sent",
    )
    ap.add_argument(
        "--max-age",
        type=int,
        help="let browsers keep files this many seconds, as GitHub Pages does (600)",
    )
    ap.add_argument(
        "--stall",
        action="append",
        default=[],
        metavar="PATH",
        help="never answer requests for this file (its path in the site, e.g. "
        "www/workers/threads.js)",
    )
    ap.add_argument("--verbose", action="store_true", help="log every request")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve.py: {args.dir}/index.html not found; run ./build.sh first")

    Handler.isolate = not args.no_isolation
    headers_file = os.path.join(args.dir, "_headers")
    if not os.path.isfile(headers_file):
        sys.exit(f"serve.py: {headers_file} not found; run ./build.sh first")
    site_headers(headers_file)  # fails now, not at the first request, if it cannot be read
    Handler.headers_file = headers_file
    Handler.verbose = args.verbose
    Handler.base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    Handler.log_requests = args.log_requests
    Handler.max_age = args.max_age
    Handler.stalled = tuple(path.lstrip("/") for path in args.stall)
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = Server((args.host, args.port), handler)
    except OSError as e:
        sys.exit(f"serve.py: cannot listen on {args.host}:{args.port}: {e.strerror}; try --port")
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}{Handler.base}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
