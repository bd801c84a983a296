"""An app served over real HTTP for the tests that need a browser or real sockets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

__all__ = ["served"]


@contextmanager
def served(app: Any, name: str = "test-server") -> Iterator[str]:
    """``app`` on Werkzeug's threaded server at a free 127.0.0.1 port; yields its base URL
    and stops the server when the block ends (also on failure)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
