"""Configuration: defaults, then ``GRAPHSVC_*`` environment variables, then test overrides.

This is the only module that reads the environment (docs/architecture.md, habit 1).  The
Flask app and the command line both get their settings from :func:`load`.

| variable                     | default                     |
|------------------------------|-----------------------------|
| GRAPHSVC_NEO4J_URI           | bolt://127.0.0.1:7687       |
| GRAPHSVC_NEO4J_USER          | neo4j                       |
| GRAPHSVC_NEO4J_PASSWORD      | (empty: local server without auth) |
| GRAPHSVC_NEO4J_DATABASE      | neo4j                       |
| GRAPHSVC_NEO4J_TIMEOUT       | 2.0 (seconds to connect / acquire) |
| GRAPHSVC_NEO4J_HOME          | var/neo4j (local server folder) |
| GRAPHSVC_NEO4J_LIB           | var/neo4j-lib (its jars)    |
| GRAPHSVC_NEO4J_BOLT_PORT     | 7687                        |
| GRAPHSVC_NEO4J_HTTP_PORT     | 7474                        |
| GRAPHSVC_NEO4J_HEAP          | 768m                        |
| GRAPHSVC_NEO4J_PAGECACHE     | 256m                        |
| GRAPHSVC_SECRET_KEY          | random per process (set it in production) |
| GRAPHSVC_MAX_UPLOAD_MB       | 20                          |
| GRAPHSVC_ANONYMOUS_ROLE      | (empty: none; else viewer, analyst, editor or admin) |
| GRAPHSVC_SESSION_COOKIE_SECURE | false (set true when served over https) |
| GRAPHSVC_TRUSTED_PROXIES     | 0 (reverse proxies in front whose X-Forwarded-For is believed) |
| GRAPHSVC_CORS_ORIGINS        | (empty: no cross-origin access; else comma-separated origins) |
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULTS", "PREFIX", "load"]

PREFIX = "GRAPHSVC_"

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
    "ANONYMOUS_ROLE": "",
    "SESSION_COOKIE_SECURE": False,
    "TRUSTED_PROXIES": 0,
    "CORS_ORIGINS": "",
}


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


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then ``GRAPHSVC_*`` variables, then ``overrides`` (tests)."""
    env = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        raw = env.get(PREFIX + name)
        if raw is not None and raw != "":
            settings[name] = _parse(raw, default)
    if overrides:
        settings.update(overrides)
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = secrets.token_hex(32)
    # A local server configured only by port gets a matching URI.
    if "NEO4J_URI" not in (overrides or {}) and not env.get(PREFIX + "NEO4J_URI"):
        settings["NEO4J_URI"] = f"bolt://127.0.0.1:{settings['NEO4J_BOLT_PORT']}"
    return settings
