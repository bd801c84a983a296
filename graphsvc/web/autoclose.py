"""Survey rounds past their closing date are closed by the first request that touches them.

No editor has to remember: a request for a proeftuin's surveys, metrics, scorecard,
decisions, ties, exports or map first closes the rounds of that proeftuin (all
proeftuinen for the national and overview pages) whose closing date has passed, exactly
as the editor's "close" does (:func:`graphsvc.survey.service.close_rounds`).  It runs
before the view, so the view reads the versions the closing bumped and its ETag and
caches follow.

It costs no query of its own: the rounds due are read with the proeftuin's versions
(``Proeftuinen.list_versions(..., due_on=today)``), which every cached read needs
anyway.  When nothing was due, a GET or HEAD keeps those versions for the rest of the
request (``Analysis.same_versions``/``pin``), so the view does not read them again; a
request that writes, or that closed a round, reads them afresh.

Lazy rather than a timer in each process: it needs no scheduler, works the same under
one gunicorn worker or many, and each round is closed once, in a write transaction that
checks again under the proeftuin's lock that it is still open.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import ExitStack

from flask import Flask, g, request

from graphsvc.analysis.graph import Selection
from graphsvc.survey import service
from graphsvc.web.services import analysis, store

__all__ = ["init_app", "close_due_rounds"]

log = logging.getLogger("graphsvc.web.autoclose")

#: Blueprints whose every route reads or writes a proeftuin's network or surveys.
_BLUEPRINTS = frozenset(
    {"metrics", "surveys", "surveys_pages", "decisions", "decisions_web", "ties", "exports"}
)
#: Pages of the main blueprint that show metrics or maps (the guide and sign-in do not).
_PAGES = frozenset(
    {
        "web.index",
        "web.proeftuin",
        "web.proeftuin_map",
        "web.national",
        "web.national_map",
        "web.compare",
    }
)


def close_due_rounds() -> None:
    """The ``before_request`` hook: close what is due for the proeftuin this request is about."""
    if request.blueprint not in _BLUEPRINTS and request.endpoint not in _PAGES:
        return
    key = (request.view_args or {}).get("key")
    selection = Selection.of(None if key is None else [str(key)])
    today = dt.date.today()
    versions = store().proeftuinen.list_versions(selection.proeftuinen, due_on=today)
    closed = service.close_rounds(store(), versions.due, today)
    for proeftuin, round_ in closed:
        log.info("survey round %s of %s closed: its closing date has passed", round_, proeftuin)
    if not closed and request.method in ("GET", "HEAD"):
        block = ExitStack()
        block.enter_context(analysis().same_versions())
        g.same_versions = block
        analysis().pin(selection, versions)


def _end_block(_exc: BaseException | None) -> None:
    block = g.pop("same_versions", None)
    if block is not None:
        block.close()


def init_app(app: Flask) -> None:
    # Registered after the sign-in and CSRF checks, so a refused request closes nothing.
    app.before_request(close_due_rounds)
    app.teardown_request(_end_block)
