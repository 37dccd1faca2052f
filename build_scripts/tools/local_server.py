"""A folder served over HTTP on localhost, for the browser tests and the search bench."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The standard library's file handler, without a line of output per request."""

    def log_message(self, format: str, *args: object) -> None:
        """No line per request."""


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A folder served over HTTP on localhost (a free port), as its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
