"""Configuration: defaults, then ``GRAPHSVC_*`` environment variables, then test overrides.

This is the only module that reads the environment (docs/architecture.md, habit 1).  The
Flask app and the command line both get their settings from :func:`load`.

| variable                     | default                     |
|------------------------------|-----------------------------|
| GRAPHSVC_NEO4J_URI           | bolt://127.0.0.1:7687       |
| GRAPHSVC_NEO4J_USER          | neo4j                       |
| GRAPHSVC_NEO4J_PASSWORD      | the local server's, from <NEO4J_HOME>/graphsvc-password |
| GRAPHSVC_NEO4J_DATABASE      | neo4j                       |
| GRAPHSVC_NEO4J_TIMEOUT       | 2.0 (seconds to connect / acquire) |
| GRAPHSVC_NEO4J_HOME          | var/neo4j (local server folder) |
| GRAPHSVC_NEO4J_LIB           | var/neo4j-lib (its jars)    |
| GRAPHSVC_NEO4J_BOLT_PORT     | 7687                        |
| GRAPHSVC_NEO4J_HTTP_PORT     | 7474                        |
| GRAPHSVC_NEO4J_HEAP          | 768m                        |
| GRAPHSVC_NEO4J_PAGECACHE     | 256m                        |
| GRAPHSVC_SECRET_KEY          | none: required to serve (see below) |
| GRAPHSVC_MAX_UPLOAD_MB       | 20                          |
| GRAPHSVC_IMPORT_MAX_ROWS     | 200000 (data rows per table; as many blank rows) |
| GRAPHSVC_IMPORT_MAX_UNPACKED_MB | 64 (a zip or workbook, unpacked) |
| GRAPHSVC_IMPORT_TIME_LIMIT   | 60.0 (seconds of parsing)   |
| GRAPHSVC_IMPORT_MAX_PROBLEMS | 1000 (problems listed; all are counted) |
| GRAPHSVC_COMPUTE_BUDGET      | 20.0 (seconds a request waits for a computation; then 503) |
| GRAPHSVC_CACHE_DIR           | var/cache (results and maps on disk, for all workers; empty: off) |
| GRAPHSVC_WARM_UP             | true (compute the pages of today in the background at start) |
| GRAPHSVC_ANONYMOUS_ROLE      | (empty: none; else viewer, analyst, editor or admin) |
| GRAPHSVC_SESSION_COOKIE_SECURE | false: Secure only over https; true: always |
| GRAPHSVC_TRUSTED_PROXIES     | 0 (reverse proxies in front whose X-Forwarded-For is believed) |
| GRAPHSVC_CORS_ORIGINS        | (empty: no cross-origin access; else comma-separated origins) |

``GRAPHSVC_SECRET_KEY`` signs the sign-in cookie.  Without it the app refuses to start
(graphsvc.web.auth), except for the tests (``TESTING``), debug mode (``make dev``) and the
``graphsvc`` command line, which run in one process and make a secret of their own; every
gunicorn worker must share one (``make run`` keeps it in ``var/secret_key``).  The cookie is
``Secure`` whenever a request came over https (behind a proxy: docs/security.md);
``GRAPHSVC_SESSION_COOKIE_SECURE=true`` makes it ``Secure`` always.

Under ``TESTING`` the disk cache and the warm-up are off unless the test's own settings
name ``CACHE_DIR`` or ``WARM_UP`` (graphsvc.web.app).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["DEFAULTS", "PASSWORD_FILE_NAME", "PREFIX", "load", "local_password"]

PREFIX = "GRAPHSVC_"

#: The local Neo4j's password, made by ``graphsvc neo4j start`` in its home folder
#: (mode 0600: readable by the service's user only).
PASSWORD_FILE_NAME = "graphsvc-password"

DEFAULTS: dict[str, Any] = {
    "NEO4J_URI": "bolt://127.0.0.1:7687",
    "NEO4J_USER": "neo4j",
    "NEO4J_PASSWORD": "",
    "NEO4J_DATABASE": "neo4j",
    "NEO4J_TIMEOUT": 2.0,
    "NEO4J_HOME": "var/neo4j",
    "NEO4J_LIB": "var/neo4j-lib",
    "NEO4J_BOLT_PORT": 7687,
    "NEO4J_HTTP_PORT": 7474,
    "NEO4J_HEAP": "768m",
    "NEO4J_PAGECACHE": "256m",
    "SECRET_KEY": None,
    "MAX_UPLOAD_MB": 20,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_MAX_UNPACKED_MB": 64,
    "IMPORT_TIME_LIMIT": 60.0,
    "IMPORT_MAX_PROBLEMS": 1000,
    "COMPUTE_BUDGET": 20.0,
    "CACHE_DIR": "var/cache",
    "WARM_UP": True,
    "ANONYMOUS_ROLE": "",
    "SESSION_COOKIE_SECURE": False,
    "TRUSTED_PROXIES": 0,
    "CORS_ORIGINS": "",
}


#: Settings whose empty value is a choice (off), not "use the default".
_EMPTY_MEANS_OFF = frozenset({"CACHE_DIR"})


def _parse(raw: str, default: Any) -> Any:
    """Environment values are strings; give them the type of their default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if default is None:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def local_password(neo4j_home: str | os.PathLike[str]) -> str:
    """The password ``graphsvc neo4j start`` stored for the local server ("" when none)."""
    try:
        return (Path(neo4j_home) / PASSWORD_FILE_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then ``GRAPHSVC_*`` variables, then ``overrides`` (tests)."""
    env = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        raw = env.get(PREFIX + name)
        if raw is not None and (raw != "" or name in _EMPTY_MEANS_OFF):
            settings[name] = _parse(raw, default)
    if overrides:
        settings.update(overrides)
    # Without a password of its own the service uses the local server's (see launcher).
    if "NEO4J_PASSWORD" not in (overrides or {}) and not env.get(PREFIX + "NEO4J_PASSWORD"):
        settings["NEO4J_PASSWORD"] = local_password(settings["NEO4J_HOME"])
    # A local server configured only by port gets a matching URI.
    if "NEO4J_URI" not in (overrides or {}) and not env.get(PREFIX + "NEO4J_URI"):
        settings["NEO4J_URI"] = f"bolt://127.0.0.1:{settings['NEO4J_BOLT_PORT']}"
    return settings
