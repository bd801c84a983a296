"""/api/v1 from numbers to decisions: who is behind a signal, introductions worth making,
what the meetings built and the phase over time (docs/metrics.md §7–§10).

Residents are named for analysts and up; viewers get the map's pseudonyms and no resident
keys (graphsvc.web.shown).  Tables also come as CSV (``?format=csv`` or ``Accept: text/csv``).

Every answer carries a weak ETag from the proeftuin's version and the store's generation (read
before the data), the query string, whether names are shown, JSON or CSV and the date the answer
is for (:func:`_conditional`); a matching ``If-None-Match`` is answered 304 before anything is
computed (docs/architecture.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Response
from flask import json as flask_json
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from graphsvc.analysis import decisions
from graphsvc.analysis.graph import GraphRequest, Selection
from graphsvc.web.api.caching import make_etag, mark, not_modified
from graphsvc.web.api.metrics import csv_too, viewer_dates
from graphsvc.web.api.report_schemas import (
    IntroductionsResponse,
    MeetingEffectResponse,
    MeetingEffectsResponse,
    PhasesResponse,
    SignalsResponse,
)
from graphsvc.web.auth import require_role
from graphsvc.web.services import analysis
from graphsvc.web.shown import names_visible, shown_for
from graphsvc.web.tables import csv_response, wants_csv

__all__ = ["blp", "introduction_rows", "effect_rows"]

blp = Blueprint(
    "decisions",
    __name__,
    url_prefix="/api/v1",
    description="From numbers to decisions: signals by name, introductions, meeting effects, "
    "phases (docs/metrics.md §7-§10)",
)

_FORMAT = fields.String(
    load_default="json",
    validate=validate.OneOf(["json", "csv"]),
    metadata={"description": "json (default) or csv (Excel with Dutch settings: ';', BOM)"},
)


class AtArgs(Schema):
    at = fields.Date(load_default=None, metadata={"description": "Snapshot date (YYYY-MM-DD)"})


class IntroductionArgs(AtArgs):
    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=50),
        metadata={"description": "How many introductions, best first (1-50)"},
    )
    format = _FORMAT


class EffectArgs(Schema):
    window = fields.Integer(
        load_default=90,
        validate=validate.Range(min=1, max=730),
        metadata={"description": "Days after a meeting in which a new tie counts"},
    )
    format = _FORMAT


def _csv_wanted(args: dict[str, Any]) -> bool:
    return args.get("format") == "csv" or wants_csv()


def _conditional(
    key: str, csv: bool, day: dt.date, answer: Callable[[], Response | dict[str, Any]]
) -> Response:
    """The answer of ``answer()`` with its weak ETag, or 304 before computing anything.

    The ETag (:func:`graphsvc.web.api.caching.make_etag`) covers the path and query string,
    the proeftuin's version and the store's generation (read *before* the data, so a write in
    between costs one extra answer, never a stale 304), whether the caller sees names, JSON or
    CSV (``?format=csv`` is in the query string, ``Accept: text/csv`` is not) and ``day``, the
    date the answer is for (``at``, which defaults to today).  An unknown proeftuin is 404.
    """
    versions = analysis().versions(Selection.of([key]))
    extra = ("csv" if csv else "json", "names" if names_visible() else "pseudonyms", day)
    early = not_modified(versions, *extra)
    if early is None:
        body = answer()
        if isinstance(body, Response):
            response = body
        else:
            response = Response(flask_json.dumps(body), mimetype="application/json")
        early = mark(response, make_etag(versions, *extra))
    early.vary.add("Accept")
    return early


def _who(ref: dict[str, Any], lang: str = "nl") -> str:
    return str(ref[f"name_{lang}"])


def introduction_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "rang", "a", "soort_a", "b", "soort_b", "reden", "reden_nl", "reason_en",
        "introduceerders", "initiatieven_binnen_twee_stappen", "scharnierpunten_minder",
        "losse_actoren_verbonden", "verbinder_omzeild", "tweede_pad", "score",
    ]  # fmt: skip
    rows = [
        [
            i["rank"],
            _who(i["a"]),
            i["a"]["kind"],
            _who(i["b"]),
            i["b"]["kind"],
            i["reason"],
            i["reason_nl"],
            i["reason_en"],
            ", ".join(_who(v) for v in i["introducers"]),
            len(i["gain"]["initiatives_within_two_steps"]),
            len(i["gain"]["cut_points_removed"]),
            i["gain"]["isolates_connected"],
            ", ".join(dict.fromkeys(_who(p["broker"]) for p in i["gain"]["group_pairs_bypassed"])),
            len(i["gain"]["second_path"]),
            i["score"],
        ]  # fmt: skip
        for i in items
    ]
    return header, rows


def effect_rows(meetings: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "bijeenkomst", "datum", "titel", "aanwezigen", "paren_samen", "nieuw_samen",
        "kans_samen", "paren_anders", "nieuw_anders", "kans_anders", "rate_ratio",
        "odds_ratio", "p_fisher", "nieuwe_relaties",
    ]  # fmt: skip
    rows = [
        [
            m["key"],
            m["date"],
            m["title"],
            m["attendees"],
            m["co_attending"]["pairs"],
            m["co_attending"]["formed"],
            m["co_attending"]["rate"],
            m["comparison"]["pairs"],
            m["comparison"]["formed"],
            m["comparison"]["rate"],
            m["rate_ratio"],
            m["odds_ratio"],
            m["p_value"],
            m["new_ties_count"],
        ]  # fmt: skip
        for m in meetings
    ]
    return header, rows


@blp.route("/proeftuinen/<key>/signals")
@require_role("viewer")
@blp.arguments(AtArgs, location="query")
@blp.response(200, SignalsResponse)
def proeftuin_signals(args: dict[str, Any], key: str) -> Any:
    """The actors behind each scorecard signal, with links to the map focused on them."""
    viewer_dates(Selection.of([key]), at=args.get("at"))
    request = GraphRequest.parse(Selection.of([key]), args.get("at"))

    def answer() -> dict[str, Any]:
        body = decisions.signals(analysis(), request, shown_for(key))
        for actors in body.values():
            for a in actors:
                a["map"] = f"/proeftuinen/{key}?focus={a['key']}" if a["key"] else None
        return {"proeftuin": key, "at": request.at.isoformat(), "signals": body}

    return _conditional(key, False, request.at, answer)


@blp.route("/proeftuinen/<key>/introductions")
@require_role("viewer")
@blp.arguments(IntroductionArgs, location="query")
@blp.response(200, IntroductionsResponse)
@blp.doc(responses=csv_too(IntroductionsResponse))
def proeftuin_introductions(args: dict[str, Any], key: str) -> Any:
    """Introductions worth making (docs/metrics.md §9), each with its reason and measured gain."""
    viewer_dates(Selection.of([key]), at=args.get("at"))
    request = GraphRequest.parse(Selection.of([key]), args.get("at"))
    csv = _csv_wanted(args)

    def answer() -> Response | dict[str, Any]:
        items = decisions.introductions(analysis(), request, args["limit"], shown_for(key))
        if csv:
            return csv_response(f"introducties-{key}.csv", *introduction_rows(items))
        return {"proeftuin": key, "at": request.at.isoformat(), "introductions": items}

    return _conditional(key, csv, request.at, answer)


@blp.route("/proeftuinen/<key>/meeting-effects")
@require_role("viewer")
@blp.arguments(EffectArgs, location="query")
@blp.response(200, MeetingEffectsResponse)
@blp.doc(responses=csv_too(MeetingEffectsResponse))
def proeftuin_meeting_effects(args: dict[str, Any], key: str) -> Any:
    """Every meeting's 2 x 2 table of new ties (co-attendees against others) and the pooled
    table with its permutation test (docs/metrics.md §8); new ties by name for analysts."""
    csv = _csv_wanted(args)

    def answer() -> Response | dict[str, Any]:
        body = decisions.effects(analysis(), key, args["window"], shown_for(key))
        if csv:
            return csv_response(f"bijeenkomsten-{key}.csv", *effect_rows(body["meetings"]))
        return body

    return _conditional(key, csv, dt.date.today(), answer)


@blp.route("/proeftuinen/<key>/meetings/<meeting>/effect")
@require_role("viewer")
@blp.arguments(EffectArgs, location="query")
@blp.response(200, MeetingEffectResponse)
@blp.doc(responses=csv_too(MeetingEffectResponse))
def proeftuin_meeting_effect(args: dict[str, Any], key: str, meeting: str) -> Any:
    """One meeting's effect table (docs/metrics.md §8)."""
    csv = _csv_wanted(args)

    def answer() -> Response | dict[str, Any]:
        body = decisions.effects(analysis(), key, args["window"], shown_for(key), meeting)
        if csv:
            return csv_response(f"bijeenkomst-{meeting}.csv", *effect_rows([body["meeting"]]))
        return body

    return _conditional(key, csv, dt.date.today(), answer)


@blp.route("/proeftuinen/<key>/phases")
@require_role("viewer")
@blp.response(200, PhasesResponse)
def proeftuin_phases(key: str) -> Any:
    """The phase (docs/metrics.md §10) at each month end and meeting date, with its measures."""
    return _conditional(key, False, dt.date.today(), lambda: decisions.phases(analysis(), key))
