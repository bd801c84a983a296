"""graphsvc: the relationship-network service for resident initiatives, municipalities and funds.

``create_app`` layers configuration as in Flask's tutorial: defaults, then
``GRAPHSVC_*`` environment variables (graphsvc.config), then ``test_config``.
The factory does not touch the network: the Neo4j driver connects lazily.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from graphsvc import auth, config, headers, health, problems, signin, web
    from graphsvc.api import init_api
    from graphsvc.extensions import init_store

    app = Flask(__name__)
    settings = config.load(test_config)
    app.config.update(settings)
    app.config.update(
        MAX_CONTENT_LENGTH=int(settings["MAX_UPLOAD_MB"]) * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    init_store(app)
    headers.init_app(app)  # first registered: runs after every other after_request hook
    auth.init_app(app)
    signin.init_app(app)
    init_api(app)
    web.init_app(app)
    health.init_app(app)
    problems.init_app(app)
    return app
