#!/usr/bin/env python3
"""Serves a built page directory as a static host with precompressed assets does.

Usage: tools/serve.py PORT DIR

`tools/lib.sh` `build_web` writes a zopfli-made `NAME.gz` beside each shipped text and wasm
file. For a request that accepts gzip this server sends those bytes with
`Content-Encoding: gzip` (nginx's `gzip_static`, or any CDN fed precompressed files,
does the same), so what the browser downloads here is exactly what the size budget
counts. Everything else is Python's own `http.server`: directory index, MIME types,
404s, and serving the plain file to a client that does not accept gzip.
"""

import http.server
import os
import sys


def accepts_gzip(header):
    """Whether an Accept-Encoding value allows gzip (RFC 9110 12.5.3: a q of 0 refuses;
    `gzip` named explicitly overrides `*`)."""
    weights = {}
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        q = params.strip().lower()
        try:
            weights[name] = float(q[2:]) if q.startswith("q=") else 1.0
        except ValueError:
            weights[name] = 0.0
    return weights.get("gzip", weights.get("*", 0.0)) > 0


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        gz = path + ".gz"
        if not (os.path.isfile(path) and os.path.isfile(gz)
                and accepts_gzip(self.headers.get("Accept-Encoding"))):
            return super().send_head()
        f = open(gz, "rb")
        stat = os.fstat(f.fileno())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.end_headers()
        return f


def main():
    port, root = int(sys.argv[1]), sys.argv[2]
    handler = lambda *a, **k: Handler(*a, directory=root, **k)  # noqa: E731
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nstopped.")


if __name__ == "__main__":
    main()
