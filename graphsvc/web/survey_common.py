"""What the survey's two kinds of pages share: the language asked for, the response
headers of a page, today's date, the questions of a round and the kinds of actor in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, request

from graphsvc.store.surveys import SurveyRound
from graphsvc.survey.questions import GENERATORS
from graphsvc.vocabulary import KINDS

__all__ = ["kind_choices", "language", "page", "questions_of", "today"]


def language() -> str:
    """The page's language: English with ``?lang=en``, else Dutch."""
    return "en" if request.args.get("lang") == "en" else "nl"


def page(body: str, status: int = 200) -> Response:
    """A survey page: never stored by a browser or proxy (it may hold answers or names)."""
    resp = Response(body, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Vary"] = "Cookie, Authorization"
    return resp


def today() -> dt.date:
    return dt.date.today()


def questions_of(rnd: SurveyRound, lang: str) -> list[dict[str, Any]]:
    """The round's questions, numbered from 1, in ``lang``."""
    return [
        {
            "n": n,
            "key": q["key"],
            "text": getattr(GENERATORS[q["key"]], lang),
            "scales": q["scales"],
        }
        for n, q in enumerate(rnd.questions, start=1)
    ]


def kind_choices(lang: str) -> list[tuple[str, str]]:
    """``(kind key, its name in lang)`` of every kind of actor."""
    return [(k.key, k.nl if lang == "nl" else k.en) for k in KINDS.values()]
