"""/api/v1 from numbers to decisions: who is behind a signal, introductions worth making,
what the meetings built and the phase over time (docs/metrics.md §7–§10).

Residents are named for analysts and up; viewers get the map's pseudonyms and no resident
keys (graphsvc.web.shown).  Tables also come as CSV (``?format=csv`` or ``Accept: text/csv``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from graphsvc.analysis import decisions
from graphsvc.analysis.graph import GraphRequest, Selection
from graphsvc.web.auth import require_role
from graphsvc.web.services import analysis
from graphsvc.web.shown import shown_for
from graphsvc.web.tables import csv_response

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


def _json(body: Any) -> Response:
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "private, no-cache"
    resp.headers["Vary"] = "Accept, Cookie, Authorization"
    return resp


def _csv_wanted(args: dict[str, Any]) -> bool:
    from graphsvc.web.tables import wants_csv

    return args.get("format") == "csv" or wants_csv()


def _who(ref: dict[str, Any], lang: str = "nl") -> str:
    return str(ref[f"name_{lang}"])


def introduction_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "rang", "a", "soort_a", "b", "soort_b", "reden", "reden_nl", "reason_en",
        "introduceerders", "initiatieven_binnen_twee_stappen", "scharnierpunten_minder",
        "losse_actoren_verbonden", "score",
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


def _ok(csv: bool) -> dict[str, Any]:
    """The documented 200 answer: a JSON object, and CSV where ``?format=csv`` applies."""
    content: dict[str, Any] = {"application/json": {"schema": {"type": "object"}}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {"200": {"description": "OK", "content": content}}


@blp.route("/proeftuinen/<key>/signals")
@require_role("viewer")
@blp.doc(responses=_ok(csv=False))
@blp.arguments(AtArgs, location="query")
def proeftuin_signals(args: dict[str, Any], key: str) -> Any:
    """The actors behind each scorecard signal, with links to the map focused on them."""
    request = GraphRequest.parse(Selection.of([key]), args.get("at"))
    body = decisions.signals(analysis(), request, shown_for(key))
    for actors in body.values():
        for a in actors:
            a["map"] = f"/proeftuinen/{key}?focus={a['key']}" if a["key"] else None
    return _json({"proeftuin": key, "at": request.at.isoformat(), "signals": body})


@blp.route("/proeftuinen/<key>/introductions")
@require_role("viewer")
@blp.doc(responses=_ok(csv=True))
@blp.arguments(IntroductionArgs, location="query")
def proeftuin_introductions(args: dict[str, Any], key: str) -> Any:
    """Introductions worth making (docs/metrics.md §9), each with its reason and measured gain."""
    request = GraphRequest.parse(Selection.of([key]), args.get("at"))
    items = decisions.introductions(analysis(), request, args["limit"], shown_for(key))
    if _csv_wanted(args):
        return csv_response(f"introducties-{key}.csv", *introduction_rows(items))
    return _json({"proeftuin": key, "at": request.at.isoformat(), "introductions": items})


@blp.route("/proeftuinen/<key>/meeting-effects")
@require_role("viewer")
@blp.doc(responses=_ok(csv=True))
@blp.arguments(EffectArgs, location="query")
def proeftuin_meeting_effects(args: dict[str, Any], key: str) -> Any:
    """Every meeting's 2 x 2 table of new ties (co-attendees against others) and the pooled
    table with its permutation test (docs/metrics.md §8); new ties by name for analysts."""
    body = decisions.effects(analysis(), key, args["window"], shown_for(key))
    if _csv_wanted(args):
        return csv_response(f"bijeenkomsten-{key}.csv", *effect_rows(body["meetings"]))
    return _json(body)


@blp.route("/proeftuinen/<key>/meetings/<meeting>/effect")
@require_role("viewer")
@blp.doc(responses=_ok(csv=True))
@blp.arguments(EffectArgs, location="query")
def proeftuin_meeting_effect(args: dict[str, Any], key: str, meeting: str) -> Any:
    """One meeting's effect table (docs/metrics.md §8)."""
    body = decisions.effects(analysis(), key, args["window"], shown_for(key), meeting)
    if _csv_wanted(args):
        return csv_response(f"bijeenkomst-{meeting}.csv", *effect_rows([body["meeting"]]))
    return _json(body)


@blp.route("/proeftuinen/<key>/phases")
@require_role("viewer")
@blp.doc(responses=_ok(csv=False))
def proeftuin_phases(key: str) -> Any:
    """The phase (docs/metrics.md §10) at each month end and meeting date, with its measures."""
    return _json(decisions.phases(analysis(), key))
