"""Survey rounds past their closing date are closed by the first request that touches them.

No editor has to remember: a request for a proeftuin's surveys, metrics, scorecard,
decisions, ties, exports or map first closes the rounds of that proeftuin (all
proeftuinen for the national and overview pages) whose closing date has passed, exactly
as the editor's "close" does (:func:`graphsvc.survey.service.close_due`).  It runs
before the view, so the view reads the versions the closing bumped and its ETag and
caches follow.  When nothing is due it costs one small read.

Lazy rather than a timer in each process: it needs no scheduler, works the same under
one gunicorn worker or many, and each round is closed once, in a write transaction that
checks again under the proeftuin's lock that it is still open.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask, request

from graphsvc.survey import service
from graphsvc.web.services import store

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
    closed = service.close_due(store(), None if key is None else [str(key)], dt.date.today())
    for proeftuin, round_ in closed:
        log.info("survey round %s of %s closed: its closing date has passed", round_, proeftuin)


def init_app(app: Flask) -> None:
    # Registered after the sign-in and CSRF checks, so a refused request closes nothing.
    app.before_request(close_due_rounds)
