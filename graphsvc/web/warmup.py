"""Warming the caches in the background when the app starts (``GRAPHSVC_WARM_UP``).

The first view of a proeftuin page computes its scorecard, signals, introductions, phases
over time, sparklines and charts, and renders its map: seconds of work.  So that the
first visitor after a start does not wait for it, a background thread makes the pages a
viewer sees first, as a viewer would get them, today and in Dutch:

1. the national page and its map;
2. each proeftuin's page and its map, the largest proeftuin first;
3. the start page (its cards reuse the proeftuinen's scorecards).

The thread never delays start-up: the app answers (and ``/readyz`` says ready) at once; a
visitor who asks for a page the warm-up is making waits for that same computation instead
of starting a second one (graphsvc.analysis.graph coalesces results, graphsvc.analysis.maps
renders), and the warm-up starts no next page while a visitor's request is being answered
by any worker (for at most :data:`YIELD_AT_MOST` seconds at a time; across workers through a
lock file of the disk cache that visitors hold shared), so it does not take the CPU from
them.  Its results land in the in-process caches and in the disk cache
(``GRAPHSVC_CACHE_DIR``); with a disk cache the gunicorn workers take turns page by page
(a lock file), so the second worker reads what the first computed.  Pages are made through
the app's own views in a request context whose principal is the built-in viewer "warm-up"
(no HTTP request, no key, nothing a client can reach).  Failures are logged, never raised.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flask import Flask, current_app, g, request

from graphsvc.web.auth import Principal
from graphsvc.web.services import disk_cache, store

__all__ = ["WarmUp", "make_pages", "pages", "start", "status"]

log = logging.getLogger("graphsvc.web.warmup")

_KEY = "graphsvc.warmup"
#: Seconds the warm-up waits for Neo4j to answer before it gives up.
WAIT_FOR_STORE = 120.0
#: Seconds the warm-up waits at most, before a page, for visitors' requests to be answered.
YIELD_AT_MOST = 30.0
#: Paths that are not visitors (the probes of a load balancer).
_NOT_VISITORS = ("/healthz", "/readyz")


@dataclass
class WarmUp:
    """What the warm-up of this process did: ``state`` is waiting, running, done or failed."""

    state: str = "waiting"
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None
    pages: list[tuple[str, int, float]] = field(default_factory=list)  # path, status, seconds
    visitors: int = 0  # visitors' requests being answered now
    idle: threading.Condition = field(default_factory=threading.Condition)

    def arrive(self) -> None:
        with self.idle:
            self.visitors += 1

    def leave(self) -> None:
        with self.idle:
            self.visitors -= 1
            self.idle.notify_all()

    def wait_for_quiet(self, at_most: float = YIELD_AT_MOST, shared: Path | None = None) -> None:
        """Until no visitor's request is being answered in this process and, with ``shared``
        (the visitors' lock file of the disk cache), in any worker; at most ``at_most`` s."""
        deadline = time.monotonic() + at_most
        with self.idle:
            self.idle.wait_for(lambda: self.visitors == 0, timeout=at_most)
        if shared is None:
            return
        with open(shared, "a") as handle:
            while True:
                try:  # free when no worker holds it shared for a visitor (see _arrive)
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        return
                    time.sleep(0.05)


def status(app: Flask) -> WarmUp | None:
    """The warm-up of ``app`` (None when it was not started)."""
    found: WarmUp | None = app.extensions.get(_KEY)
    return found


def _count_visitors(app: Flask) -> None:
    """Count the visitors' requests, so that the warm-up can make way for them."""
    app.before_request(_arrive)
    app.teardown_request(_leave)


def _visitors_file() -> Path | None:
    """The lock file that every worker's visitors hold shared (with a disk cache only)."""
    folder = disk_cache()
    return None if folder is None else folder.directory / "visitors.lock"


def _arrive() -> None:
    warm = status(current_app)
    if warm is not None and not g.get("warm_up") and request.path not in _NOT_VISITORS:
        warm.arrive()
        g.warm_up_visitor = _hold_shared(_visitors_file())


def _hold_shared(path: Path | None) -> IO[str] | None:
    if path is None:
        return None
    try:
        handle = open(path, "a")  # noqa: SIM115 - held for the request, closed in _leave
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _leave(_exc: BaseException | None) -> None:
    warm = status(current_app)
    if warm is not None and "warm_up_visitor" in g:
        handle = g.pop("warm_up_visitor")
        if handle is not None:
            handle.close()  # releases the shared lock
        warm.leave()


def start(app: Flask) -> threading.Thread:
    """Start warming ``app``'s caches in a daemon thread; returns at once."""
    app.extensions[_KEY] = WarmUp()
    _count_visitors(app)
    thread = threading.Thread(target=_run, args=(app,), name="graphsvc-warm-up", daemon=True)
    thread.start()
    return thread


def pages() -> list[str]:
    """The pages the warm-up makes, in order: the national page and map, each proeftuin's
    page and map (largest first), the start page.  Needs the app context."""
    proeftuinen = sorted(
        (p for p in store().proeftuinen.list() if p.actors),
        key=lambda p: (-p.actors, p.key),
    )
    paths = ["/national", "/national/map.html?embed=1"]
    for p in proeftuinen:
        paths += [f"/proeftuinen/{p.key}", f"/proeftuinen/{p.key}/map.html?embed=1"]
    paths.append("/")
    return paths


def make_pages(app: Flask, done: Callable[[int, int, str, int, float], None] | None = None) -> int:
    """Make :func:`pages` now, one after the other, into the caches (``graphsvc warm``,
    before the service starts); ``done(n, total, path, status, seconds)`` after the n-th.
    Returns how many pages did not answer 200."""
    with app.app_context():
        paths = pages()
    failed = 0
    for n, path in enumerate(paths, start=1):
        began = time.monotonic()
        status_code = _make(app, path)
        failed += status_code != 200
        if done is not None:
            done(n, len(paths), path, status_code, time.monotonic() - began)
    return failed


def _run(app: Flask) -> None:
    warm = app.extensions[_KEY]
    try:
        with app.app_context():
            if not _store_answers():
                warm.state = "failed"
                log.warning("warm-up skipped: Neo4j did not answer within %.0f s", WAIT_FOR_STORE)
                return
            warm.state = "running"
            paths = pages()
            folder = disk_cache()
            lock = None if folder is None else folder.directory / "warm-up.lock"
            visitors = _visitors_file()
        for path in paths:
            warm.wait_for_quiet(shared=visitors)
            with _turn(lock):
                began = time.monotonic()
                status_code = _make(app, path)
                warm.pages.append((path, status_code, time.monotonic() - began))
                if status_code != 200:
                    log.warning("warm-up of %s answered %d", path, status_code)
        warm.seconds = time.monotonic() - warm.started
        warm.state = "done"
        log.info("warm-up: %d pages in %.1f s", len(paths), warm.seconds)
    except Exception:
        warm.state = "failed"
        log.exception("warm-up failed; pages are computed on first view instead")


def _store_answers() -> bool:
    deadline = time.monotonic() + WAIT_FOR_STORE
    while True:
        if store().ping():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(1.0)


@contextlib.contextmanager
def _turn(lock: Path | None) -> Iterator[None]:
    """One worker process at a time (an exclusive lock on the file ``lock``)."""
    if lock is None:
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make(app: Flask, path: str) -> int:
    """Make ``path`` through the app's view as the built-in viewer; its status code."""
    with app.test_request_context(path, headers={"Accept": "text/html"}):
        g.principal = Principal("", "warm-up", "viewer")
        g.warm_up = True
        response = app.full_dispatch_request()
        return response.status_code
