"""The Flask application factory.

``create_app`` layers configuration as in Flask's tutorial: defaults, then
``GRAPHSVC_*`` environment variables (graphsvc.config), then ``test_config``.
The factory does not touch the network: the Neo4j driver connects lazily.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from graphsvc import config
from graphsvc.web import (
    auth,
    autoclose,
    decision_pages,
    headers,
    pages,
    probes,
    problem_details,
    services,
    signin,
    survey_pages,
    survey_staff_pages,
    warmup,
)
from graphsvc.web.api import init_api

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, app-scoped services, blueprints, hooks."""
    app = Flask("graphsvc.web")
    settings = config.load(test_config)
    app.config.update(settings)
    if app.testing:  # tests warm nothing and share no disk cache unless they ask for it
        app.config["CACHE_DIR"] = (test_config or {}).get("CACHE_DIR", "")
        app.config["WARM_UP"] = (test_config or {}).get("WARM_UP", False)
    app.config.update(
        MAX_CONTENT_LENGTH=int(settings["MAX_UPLOAD_MB"]) * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    services.init_app(app)
    headers.init_app(app)  # first registered: runs after every other after_request hook
    auth.init_app(app)
    signin.init_app(app)
    init_api(app)
    autoclose.init_app(app)
    pages.init_app(app)
    survey_pages.init_app(app)
    survey_staff_pages.init_app(app)
    decision_pages.init_app(app)
    probes.init_app(app)
    problem_details.init_app(app)
    # A background thread: start-up does not wait for it.  The command line (seed, import,
    # the development server) serves no visitors worth warming for.
    if app.config["WARM_UP"] and not app.config.get("COMMAND_LINE"):
        warmup.start(app)
    return app
