"""The app's one repository (one driver per process), created lazily on first use."""

from __future__ import annotations

from flask import Flask, current_app

from graphsvc import repository

__all__ = ["init_store", "store"]

_KEY = "graphsvc.repository"


def init_store(app: Flask) -> None:
    app.extensions[_KEY] = None

    @app.teardown_appcontext
    def _keep(_exc: BaseException | None) -> None:
        # The driver lives as long as the process; sessions are closed per unit of work.
        return None


def store() -> repository.Repository:
    """The repository of the current app (its driver is made on first call)."""
    repo = current_app.extensions.get(_KEY)
    if repo is None:
        repo = repository.connect(current_app.config)
        current_app.extensions[_KEY] = repo
    return repo
