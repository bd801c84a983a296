"""Health checks for load balancers, orchestrators and people: ``/healthz`` and ``/readyz``.

``GET /healthz``  liveness: the process answers.  Always 200 with a small JSON
                  body; it never touches Neo4j, so a database outage does not
                  make an orchestrator restart a healthy process.
``GET /readyz``   readiness: Neo4j answers ``RETURN 1`` now.  200 with JSON, or
                  503 ``application/problem+json`` with ``Retry-After`` (the
                  same problem every other endpoint gives while the store is
                  down), so a load balancer sends no traffic here until it is back.
                  The JSON also says how far this process's warm-up of the caches
                  is (``warm_up``: off, waiting, running, done or failed, and its
                  seconds when done): ready does not wait for it (graphsvc.web.warmup).

Both are public (no key): they reveal nothing but "up" or "down".  Neither is
cached (``Cache-Control: no-store``), and neither is part of the OpenAPI
document of ``/api/v1``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify

from graphsvc.errors import StoreUnavailable
from graphsvc.web import warmup
from graphsvc.web.services import store

__all__ = ["bp", "init_app"]

bp = Blueprint("health", __name__)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive (200, always)."""
    return _no_store(jsonify(status="ok", check="alive"))


@bp.get("/readyz")
def readyz() -> Response:
    """Neo4j is reachable (200), else 503 problem+json with Retry-After."""
    if not store().ping():
        raise StoreUnavailable(
            "Niet gereed: de database (Neo4j) is niet bereikbaar.",
            "Not ready: the database (Neo4j) cannot be reached.",
            retry_after=5,
            check="ready",
            neo4j="unreachable",
        )
    warm = warmup.status(current_app)
    warm_up = {"state": "off"} if warm is None else {"state": warm.state, "seconds": warm.seconds}
    return _no_store(jsonify(status="ok", check="ready", neo4j="reachable", warm_up=warm_up))


def init_app(app: Flask) -> None:
    """Register ``/healthz`` and ``/readyz``."""
    app.register_blueprint(bp)
