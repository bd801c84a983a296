"""The app-scoped services, in one place: each is made lazily on first use, once per
process, and shared by the request threads.

- ``store()``: the repository over one Neo4j driver;
- ``disk_cache()``: results and maps on disk, shared by the workers (None when off);
- ``analysis()``: analysis graphs cached by proeftuin version;
- ``maps()``: rendered maps and stored layouts;
- ``metric_responses()``: encoded metric responses by ETag.

The app factory never touches the network: the driver connects on the first request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from cachetools import LRUCache
from flask import Flask, current_app

from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.graph import Analysis
from graphsvc.analysis.maps import Maps
from graphsvc.store import repository

__all__ = [
    "RESPONSE_CACHE_BYTES",
    "analysis",
    "disk_cache",
    "forget",
    "init_app",
    "maps",
    "metric_responses",
    "store",
]

log = logging.getLogger("graphsvc.web.services")

# Bytes of encoded metric responses kept per process.
RESPONSE_CACHE_BYTES = 64 * 1024 * 1024

_KEY = "graphsvc.services"
_T = TypeVar("_T")


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {"lock": threading.RLock()}  # maps() makes store() inside


def _service(name: str, make: Callable[[], _T]) -> _T:
    services: dict[str, Any] = current_app.extensions[_KEY]
    found = services.get(name)
    if found is None:
        with services["lock"]:
            found = services.get(name)
            if found is None:
                found = make()
                services[name] = found
    return found


def store() -> repository.Repository:
    """The repository of the current app (its driver is made on first call)."""
    return _service("store", lambda: repository.connect(current_app.config))


def disk_cache() -> DiskCache | None:
    """The cache on disk in ``CACHE_DIR`` (None when the setting is empty, or when the
    folder cannot be used: then the service runs on its in-process caches, with a warning)."""
    folder = current_app.config.get("CACHE_DIR") or ""
    if not folder:
        return None

    def make() -> DiskCache | bool:
        try:
            return DiskCache(folder)
        except OSError as exc:
            log.warning("no disk cache: %s", exc)
            return False  # remembered: not tried again on every request

    found = _service("disk_cache", make)
    return found if isinstance(found, DiskCache) else None


def analysis() -> Analysis:
    """The app's analysis cache."""
    return _service(
        "analysis",
        lambda: Analysis(
            store(),
            budget=float(current_app.config["COMPUTE_BUDGET"]) or None,
            disk=disk_cache(),
        ),
    )


def maps() -> Maps:
    """The app's map service."""
    return _service("maps", lambda: Maps(store(), analysis(), disk=disk_cache()))


def metric_responses() -> tuple[threading.Lock, LRUCache]:
    """Encoded metric responses by ETag, so a repeat costs one version query and no JSON work."""
    return _service(
        "metric_responses",
        lambda: (threading.Lock(), LRUCache(maxsize=RESPONSE_CACHE_BYTES, getsizeof=len)),
    )


def forget(app: Flask, name: str) -> None:
    """Drop one service (as a restarted process would have it): the next use makes it anew."""
    app.extensions[_KEY].pop(name, None)
