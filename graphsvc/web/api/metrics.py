"""/api/v1 metrics: network, actors, scorecard, changes, comparison and the national network.

The scorecard is served at ``.../health``, the URL and the word its users know it by.

Query parameters shared by the network endpoints: ``at`` (date of the
snapshot, default today), ``types`` (comma-separated tie types, default every
one-mode type) and ``group_by`` (``kind`` or any actor attribute).  Each
response carries a ``metadata`` block describing every metric it contains.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from graphsvc.analysis import responses as insights
from graphsvc.analysis.graph import GraphRequest, Selection, Timing
from graphsvc.vocabulary import ONE_MODE_TIE_TYPES
from graphsvc.web.api.caching import make_etag, mark, not_modified
from graphsvc.web.auth import current_principal, require_role
from graphsvc.web.problem_details import language
from graphsvc.web.services import RESPONSE_CACHE_BYTES, analysis, maps, metric_responses

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/api/v1",
    description="Network metrics (docs/metrics.md): network, actors, health, change, compare",
)

_TYPES_HELP = f"Comma-separated tie types (default: {', '.join(ONE_MODE_TIE_TYPES)})"


class NetworkArgs(Schema):
    at = fields.Date(load_default=None, metadata={"description": "Snapshot date (YYYY-MM-DD)"})
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})
    group_by = fields.String(
        load_default="kind", metadata={"description": "'kind' or an actor attribute"}
    )


class ActorArgs(NetworkArgs):
    approximate = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Estimate betweenness by sampling shortest paths (Riondato & "
            "Kornaropoulos 2016) instead of computing it exactly; the response "
            "states the error bound"
        },
    )
    epsilon = fields.Float(
        load_default=0.01,
        validate=validate.Range(min=0.001, max=0.5),
        metadata={"description": "Additive error bound (pair-averaged scale) of the estimate"},
    )
    delta = fields.Float(
        load_default=0.1,
        validate=validate.Range(min=0.001, max=0.5, min_inclusive=True),
        metadata={"description": "Probability that the bound fails"},
    )


class ChangesArgs(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})
    group_by = fields.String(load_default="kind")


class CompareArgs(Schema):
    proeftuinen = DelimitedList(
        fields.String(), required=True, metadata={"description": "Comma-separated proeftuin keys"}
    )
    at = fields.Date(load_default=None)
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})


class MetricsResponse(Schema):
    class Meta:
        unknown = "include"

    request = fields.Dict()
    metrics = fields.Dict()
    metadata = fields.Dict()


class ActorsResponse(Schema):
    request = fields.Dict()
    betweenness_approximation = fields.Dict()
    actors = fields.List(fields.Dict())
    roles = fields.List(fields.String())
    metadata = fields.Dict()


# The class name is the schema's name in the OpenAPI document, so it stays as clients know it.
class HealthResponse(Schema):
    request = fields.Dict()
    scorecard = fields.Dict()


class ChangesResponse(Schema):
    request = fields.Dict()
    ties = fields.Dict()
    indicators = fields.List(fields.Dict())
    actors = fields.Dict()


class CompareResponse(Schema):
    at = fields.String()
    types = fields.List(fields.String())
    indicators = fields.List(fields.String())
    proeftuinen = fields.List(fields.Dict())
    metadata = fields.Dict()


def _request(selection: Selection, args: dict[str, Any]) -> GraphRequest:
    return GraphRequest.parse(selection, args.get("at"), args.get("types"), args.get("group_by"))


def _viewer_dates(selection: Selection, **dates: Any) -> None:
    """Anonymous visitors and viewers may ask only the dates the service precomputes
    (today, month ends, meeting dates): DateNotServed (400) names the parameter."""
    principal = current_principal()
    if principal is not None and principal.allows("analyst"):
        return
    for field, at in dates.items():
        analysis().check_served_date(selection, at, field)


def _approximate(args: dict[str, Any]) -> tuple[float, float] | None:
    return (args["epsilon"], args["delta"]) if args.get("approximate") else None


def _serve(
    selection: Selection, compute: Callable[[], tuple[dict[str, Any], Timing | None]], *extra: Any
) -> Response:
    """ETag from the proeftuin versions (read first): 304 before any work when it matches,
    the cached encoded body when this exact response was made before, else compute it.

    ``Server-Timing`` says where the time went (read from Neo4j, compute) and
    ``X-Cache`` whether the body came from the cache.

    Viewers get aggregates only: every resident key in the body is replaced by the
    resident's pseudonym ("Bewoner 17" / "Resident 17", as on the maps), so the
    body (and its ETag) depends on the role and the language.
    """
    principal = current_principal()
    pseudonyms = principal is None or not principal.allows("analyst")
    if pseudonyms:
        extra = (*extra, "pseudonyms", language())
    versions = analysis().versions(selection)
    early = not_modified(versions, *extra)
    if early is not None:
        return early
    tag = make_etag(versions, *extra)
    lock, cache = metric_responses()
    with lock:
        data = cache.get(tag)
    hit = data is not None
    timings = "cache;desc=hit"
    if not hit:
        body, timing = compute()
        if pseudonyms:
            labels = maps().resident_labels(selection.proeftuinen, language())
            body = insights.pseudonymise(body, labels)
        data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        if len(data) <= RESPONSE_CACHE_BYTES // 4:
            with lock:
                cache[tag] = data
        timings = "cache;desc=miss"
        if timing is not None:
            timings += (
                f", read;dur={timing.read_seconds * 1000:.1f}"
                f", compute;dur={timing.compute_seconds * 1000:.1f}"
                f", analysis;desc={'hit' if timing.cached else 'miss'}"
            )
    response = mark(Response(data, mimetype="application/json"), tag)
    response.headers["Server-Timing"] = timings
    response.headers["X-Cache"] = "hit" if hit else "miss"
    return response


# -- one proeftuin ----------------------------------------------------------------


@blp.route("/proeftuinen/<key>/metrics")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, MetricsResponse)
def proeftuin_metrics(args, key: str):
    """Network-level indicators of one proeftuin."""
    selection = Selection.of([key])
    _viewer_dates(selection, at=args.get("at"))
    return _serve(
        selection, lambda: insights.network_metrics(analysis(), _request(selection, args))
    )


@blp.route("/proeftuinen/<key>/metrics/actors")
@require_role("analyst")
@blp.arguments(ActorArgs, location="query")
@blp.response(200, ActorsResponse)
def proeftuin_actor_metrics(args, key: str):
    """One object per actor with every actor-level metric (analysts: includes names)."""
    selection = Selection.of([key])
    return _serve(
        selection,
        lambda: insights.actor_metrics(analysis(), _request(selection, args), _approximate(args)),
    )


@blp.route("/proeftuinen/<key>/health")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, HealthResponse)
def proeftuin_health(args, key: str):
    """The health scorecard: relationships, equality, strong initiatives (Dutch and English)."""
    selection = Selection.of([key])
    _viewer_dates(selection, at=args.get("at"))
    return _serve(selection, lambda: insights.scorecard(analysis(), _request(selection, args)))


@blp.route("/proeftuinen/<key>/changes")
@require_role("viewer")
@blp.arguments(ChangesArgs, location="query")
@blp.response(200, ChangesResponse)
def proeftuin_changes(args, key: str):
    """Change between two dates; tie lists and actor changes for analysts only."""
    selection = Selection.of([key])
    graph_request = GraphRequest.parse(
        selection, args["to"], args.get("types"), args.get("group_by")
    )
    _viewer_dates(selection, **{"from": args["from_"], "to": args["to"]})
    with_actors = current_principal().allows("analyst")
    return _serve(
        selection,
        lambda: (
            insights.changes(analysis(), graph_request, args["from_"], args["to"], with_actors),
            None,
        ),
        with_actors,
    )


@blp.route("/compare")
@require_role("viewer")
@blp.arguments(CompareArgs, location="query")
@blp.response(200, CompareResponse)
def compare(args):
    """Proeftuinen side by side on the same indicators."""
    for key in dict.fromkeys(args["proeftuinen"]):
        _viewer_dates(Selection.of([key]), at=args.get("at"))
    return _serve(
        Selection.of(args["proeftuinen"]),
        lambda: (
            insights.compare(analysis(), args["proeftuinen"], args.get("at"), args.get("types")),
            None,
        ),
    )


# -- the national network ---------------------------------------------------------


@blp.route("/national/metrics")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, MetricsResponse)
def national_metrics(args):
    """Network-level indicators of the national network (every proeftuin)."""
    selection = Selection.of(None)
    _viewer_dates(selection, at=args.get("at"))
    return _serve(
        selection, lambda: insights.network_metrics(analysis(), _request(selection, args))
    )


@blp.route("/national/metrics/actors")
@require_role("analyst")
@blp.arguments(ActorArgs, location="query")
@blp.response(200, ActorsResponse)
def national_actor_metrics(args):
    """Actor-level metrics in the national network."""
    selection = Selection.of(None)
    return _serve(
        selection,
        lambda: insights.actor_metrics(analysis(), _request(selection, args), _approximate(args)),
    )


@blp.route("/national/health")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, HealthResponse)
def national_health(args):
    """The health scorecard of the national network."""
    selection = Selection.of(None)
    _viewer_dates(selection, at=args.get("at"))
    return _serve(selection, lambda: insights.scorecard(analysis(), _request(selection, args)))
