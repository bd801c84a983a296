"""/api/v1 metrics: network, actors, scorecard, changes, comparison and the national network.

The scorecard is served at ``.../health``, the URL and the word its users know it by.

Query parameters shared by the network endpoints: ``at`` (date of the
snapshot, default today), ``types`` (comma-separated tie types, default every
one-mode type) and ``group_by`` (``kind`` or any actor attribute).  Each
response carries a ``metadata`` block describing every metric it contains.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate
from webargs.fields import DelimitedList

from graphsvc.analysis import responses as insights
from graphsvc.analysis.graph import TIE_CHOICES, GraphRequest, Selection, Timing
from graphsvc.vocabulary import ONE_MODE_TIE_TYPES
from graphsvc.web.api import tables
from graphsvc.web.api.caching import make_etag, mark, not_modified
from graphsvc.web.api.report_schemas import (
    ActorChanges,
    Cohesion,
    Mixing,
    Scalar,
    Scorecard,
    count_map,
    number_map,
)
from graphsvc.web.auth import current_principal, require_role
from graphsvc.web.problem_details import language
from graphsvc.web.services import RESPONSE_CACHE_BYTES, analysis, maps, metric_responses
from graphsvc.web.tables import csv_response, wants_csv

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/api/v1",
    description="Network metrics (docs/metrics.md): network, actors, health, change, compare",
)

_TYPES_HELP = f"Comma-separated tie types (default: {', '.join(ONE_MODE_TIE_TYPES)})"


def _ties_field() -> fields.String:
    return fields.String(
        load_default="all",
        validate=validate.OneOf(TIE_CHOICES),
        metadata={
            "description": "Which ties enter the network: 'all' (default), or 'confirmed', "
            "which leaves out the ties a survey heard from one side only (attribute "
            "confirmed=false; docs/metrics.md §11)"
        },
    )


class NetworkArgs(Schema):
    at = fields.Date(load_default=None, metadata={"description": "Snapshot date (YYYY-MM-DD)"})
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})
    group_by = fields.String(
        load_default="kind", metadata={"description": "'kind' or an actor attribute"}
    )
    ties = _ties_field()


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
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "json or csv (';', UTF-8 BOM: Excel with Dutch settings)"},
    )
    delta = fields.Float(
        load_default=0.1,
        validate=validate.Range(min=0.001, max=0.5, min_inclusive=True),
        metadata={"description": "Probability that the bound fails"},
    )


class ChangesArgs(Schema):
    from_ = fields.Date(
        required=True,
        data_key="from",
        metadata={"description": "Start of the period compared (YYYY-MM-DD): the 'before' network"},
    )
    to = fields.Date(
        required=True,
        metadata={"description": "End of the period compared (YYYY-MM-DD): the 'after' network"},
    )
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})
    group_by = fields.String(
        load_default="kind", metadata={"description": "'kind' or an actor attribute"}
    )
    ties = _ties_field()
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "json (default) or csv (semicolons, UTF-8 with BOM, for Excel)"},
    )


class CompareArgs(Schema):
    proeftuinen = DelimitedList(
        fields.String(), required=True, metadata={"description": "Comma-separated proeftuin keys"}
    )
    at = fields.Date(
        load_default=None, metadata={"description": "Snapshot date (YYYY-MM-DD), default today"}
    )
    types = DelimitedList(fields.String(), metadata={"description": _TYPES_HELP})
    ties = _ties_field()
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "json (default) or csv (semicolons, UTF-8 with BOM, for Excel)"},
    )


# -- response schemas --------------------------------------------------------------------
#
# Documentation only: the views send the computed JSON as it is (cached, encoded once), so
# these schemas describe it for clients and for the conformance checks of the fuzz test.
# Objects whose members depend on the data (per kind, per tie type, per role) are maps;
# "open" schemas (Meta.unknown = INCLUDE) list the fields every client can count on and
# allow further metrics to be added without breaking generated clients.


class _Open(Schema):
    class Meta:
        unknown = INCLUDE


class GraphInfo(Schema):
    actors = fields.Integer(required=True, metadata={"description": "Actors in the network"})
    edges = fields.Integer(required=True, metadata={"description": "Edges after collapsing"})
    ties_used = fields.Integer(required=True, metadata={"description": "Ties read"})
    parallel_ties_collapsed = fields.Integer(required=True)
    self_loops_removed = fields.Integer(required=True)
    note_en = fields.String(required=True)
    note_nl = fields.String(required=True)


class RequestInfo(Schema):
    """What was computed: the selection, date, tie types and grouping."""

    proeftuinen = fields.List(
        fields.String(), required=True, allow_none=True, metadata={"description": "null: national"}
    )
    national = fields.Boolean(required=True)
    at = fields.String(
        required=True, allow_none=True, metadata={"description": "Snapshot date (ISO)"}
    )
    types = fields.List(fields.String(), required=True)
    group_by = fields.String(required=True)
    ties = fields.String(metadata={"description": "all, or confirmed (see the parameter ties)"})
    directed = fields.Boolean(required=True)
    graph = fields.Nested(GraphInfo)


class ChangesRequestInfo(RequestInfo):
    from_ = fields.String(required=True, data_key="from", metadata={"description": "ISO date"})
    to = fields.String(required=True, metadata={"description": "ISO date"})


class MetricMetadata(Schema):
    """How to read one metric (docs/metrics.md)."""

    name_en = fields.String(required=True)
    name_nl = fields.String(required=True)
    range = fields.String(required=True)
    normalisation = fields.String(required=True)
    directed = fields.String(required=True)
    reference = fields.String(required=True)
    explanation_en = fields.String(required=True)
    explanation_nl = fields.String(required=True)


def _metadata() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.Nested(MetricMetadata),
        required=True,
        metadata={"description": "For every metric in the response: how to read it"},
    )


class NetworkBrokerage(Schema):
    raw = count_map("Brokerage roles counted over the network (Gould & Fernandez)")
    expected = number_map("Expected counts under random assignment of groups")
    z = number_map("z-scores of the counts (null when undefined)")
    density = fields.Float(required=True, allow_none=True)


class NetworkReport(_Open):
    actors = fields.Integer(required=True)
    actors_per_kind = count_map("Actors per kind")
    ties_per_type = count_map("Ties per tie type")
    ties_used = fields.Integer(required=True)
    parallel_ties_collapsed = fields.Integer(required=True)
    cohesion = fields.Nested(
        Cohesion,
        required=True,
        metadata={"description": "Density, components, centralization, distances (docs)"},
    )
    mixing = fields.Nested(
        Mixing,
        required=True,
        metadata={"description": "E-I index, assortativity, funder dependency"},
    )
    brokerage = fields.Nested(NetworkBrokerage, required=True)


class MetricsResponse(Schema):
    request = fields.Nested(RequestInfo, required=True)
    metrics = fields.Nested(NetworkReport, required=True)
    metadata = _metadata()


class ActorRow(_Open):
    """One actor with every actor-level metric (further members: see metadata)."""

    key = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, allow_none=True)
    group = Scalar(required=True, allow_none=True, metadata={"description": "Value of group_by"})
    degree = fields.Integer(required=True)
    in_degree = fields.Integer(required=True)
    out_degree = fields.Integer(required=True)
    betweenness = fields.Float(required=True)
    betweenness_normalized = fields.Float(required=True)
    closeness = fields.Float(required=True)
    core_number = fields.Integer(required=True)
    constraint = fields.Float(required=True, allow_none=True)
    effective_size = fields.Float(required=True, allow_none=True)
    efficiency = fields.Float(required=True, allow_none=True)
    hierarchy = fields.Float(required=True, allow_none=True)
    articulation_point = fields.Boolean(required=True)
    ei_index = fields.Float(required=True, allow_none=True)
    brokerage = count_map("Brokerage roles of this actor")
    brokerage_z = number_map("z-scores of the brokerage roles")


class BetweennessApproximation(_Open):
    approximate = fields.Boolean(required=True)
    method = fields.String(required=True)
    epsilon = fields.Float(required=True)
    delta = fields.Float(required=True)
    sample_size = fields.Integer(required=True)
    vertex_diameter_bound = fields.Integer(required=True)
    absolute_error = fields.Float(required=True)
    normalized_error = fields.Float(required=True)


class ActorsResponse(Schema):
    request = fields.Nested(RequestInfo, required=True)
    betweenness_approximation = fields.Nested(
        BetweennessApproximation,
        metadata={"description": "Only with approximate=true: the estimate and its bound"},
    )
    actors = fields.List(fields.Nested(ActorRow), required=True)
    roles = fields.List(fields.String(), required=True)
    metadata = _metadata()


# The class name is the schema's name in the OpenAPI document, so it stays as clients know it.
class HealthResponse(Schema):
    request = fields.Nested(RequestInfo, required=True)
    scorecard = fields.Nested(
        Scorecard,
        required=True,
        metadata={"description": "Groups of indicators, each with a value, signal and texts"},
    )


class TieChange(Schema):
    source = fields.String(required=True)
    source_name = fields.String()
    source_kind = fields.String()
    target = fields.String(required=True)
    target_name = fields.String()
    target_kind = fields.String()
    type = fields.String(required=True)
    since = fields.String(required=True)
    until = fields.String(required=True, allow_none=True)


class TieChanges(Schema):
    appeared = fields.Integer(required=True)
    ended = fields.Integer(required=True)
    appeared_list = fields.List(fields.Nested(TieChange), metadata={"description": "Analysts"})
    ended_list = fields.List(fields.Nested(TieChange), metadata={"description": "Analysts"})


class IndicatorChange(Schema):
    indicator = fields.String(required=True)
    from_ = fields.Float(required=True, allow_none=True, data_key="from")
    to = fields.Float(required=True, allow_none=True)
    delta = fields.Float(required=True, allow_none=True)


class ChangesResponse(Schema):
    request = fields.Nested(ChangesRequestInfo, required=True)
    ties = fields.Nested(TieChanges, required=True)
    indicators = fields.List(fields.Nested(IndicatorChange), required=True)
    actors = fields.Nested(
        ActorChanges,
        metadata={"description": "Analysts only: brokerage role and component changes"},
    )


class CompareRow(Schema):
    proeftuin = fields.String(required=True)
    indicators = fields.Dict(
        keys=fields.String(), values=fields.Float(allow_none=True), required=True
    )
    signals = fields.Dict(
        keys=fields.String(), values=fields.String(allow_none=True), required=True
    )


class CompareResponse(Schema):
    at = fields.String(required=True)
    types = fields.List(fields.String(), required=True)
    indicators = fields.List(fields.String(), required=True)
    proeftuinen = fields.List(fields.Nested(CompareRow), required=True)
    metadata = _metadata()


def _request(selection: Selection, args: dict[str, Any]) -> GraphRequest:
    return GraphRequest.parse(
        selection, args.get("at"), args.get("types"), args.get("group_by"), ties=args.get("ties")
    )


def csv_too(schema: type[Schema]) -> dict[str, Any]:
    """The 200 answer of a route that also answers ``text/csv`` (``?format=csv`` or
    ``Accept: text/csv``): the JSON schema and the CSV text."""
    return {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": schema},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }


def _csv(args: dict[str, Any]) -> bool:
    """CSV when asked by ``?format=csv`` or ``Accept: text/csv`` (graphsvc.web.tables)."""
    return args.get("format") == "csv" or wants_csv()


def viewer_dates(selection: Selection, **dates: Any) -> None:
    """Anonymous visitors and viewers may ask only the dates the service precomputes
    (today, month ends, meeting dates): DateNotServed (400) names the parameter."""
    principal = current_principal()
    if principal is not None and principal.allows("analyst"):
        return
    for field, at in dates.items():
        analysis().check_served_date(selection, at, field)


def _approximate(args: dict[str, Any]) -> tuple[float, float] | None:
    return (args["epsilon"], args["delta"]) if args.get("approximate") else None


def _today() -> tuple[dt.date, ...]:
    """Today, when the answer is for today because ``at`` is not given: then the answer (and
    so its ETag and its cached body) changes at midnight even when no data does."""
    return () if "at" in request.args else (dt.date.today(),)


def _serve_csv(
    selection: Selection,
    filename: str,
    table: Callable[[], tuple[Sequence[str], Sequence[Sequence[Any]]]],
    *extra: Any,
) -> Response:
    """A CSV answer with the same kind of ETag as :func:`_serve` (versions read first, 304
    before any work); not kept in the response cache."""
    extra = (*extra, "csv", *_today())
    versions = analysis().versions(selection)
    early = not_modified(versions, *extra)
    if early is not None:
        return early
    response = mark(csv_response(filename, *table()), make_etag(versions, *extra))
    response.vary.add("Accept")
    return response


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
    extra = (*extra, *_today())
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
def proeftuin_metrics(args: dict[str, Any], key: str) -> Any:
    """Network-level indicators of one proeftuin."""
    selection = Selection.of([key])
    viewer_dates(selection, at=args.get("at"))
    return _serve(
        selection, lambda: insights.network_metrics(analysis(), _request(selection, args))
    )


@blp.route("/proeftuinen/<key>/metrics/actors")
@require_role("analyst")
@blp.arguments(ActorArgs, location="query")
@blp.response(200, ActorsResponse)
@blp.doc(responses=csv_too(ActorsResponse))
def proeftuin_actor_metrics(args: dict[str, Any], key: str) -> Any:
    """One object per actor with every actor-level metric (analysts: includes names)."""
    selection = Selection.of([key])
    if _csv(args):

        def table() -> tuple[Sequence[str], Sequence[Sequence[Any]]]:
            graph_request = _request(selection, args)
            body, _ = insights.actor_metrics(analysis(), graph_request, _approximate(args))
            return tables.actor_rows(body)

        return _serve_csv(selection, f"actoren-{key}.csv", table)
    return _serve(
        selection,
        lambda: insights.actor_metrics(analysis(), _request(selection, args), _approximate(args)),
    )


@blp.route("/proeftuinen/<key>/health")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, HealthResponse)
def proeftuin_health(args: dict[str, Any], key: str) -> Any:
    """The health scorecard: relationships, equality, strong initiatives (Dutch and English)."""
    selection = Selection.of([key])
    viewer_dates(selection, at=args.get("at"))
    return _serve(selection, lambda: insights.scorecard(analysis(), _request(selection, args)))


@blp.route("/proeftuinen/<key>/changes")
@require_role("viewer")
@blp.arguments(ChangesArgs, location="query")
@blp.response(200, ChangesResponse)
@blp.doc(responses=csv_too(ChangesResponse))
def proeftuin_changes(args: dict[str, Any], key: str) -> Any:
    """Change between two dates; tie lists and actor changes for analysts only."""
    selection = Selection.of([key])
    graph_request = GraphRequest.parse(
        selection, args["to"], args.get("types"), args.get("group_by"), ties=args.get("ties")
    )
    viewer_dates(selection, **{"from": args["from_"], "to": args["to"]})
    principal = current_principal()
    with_actors = principal is not None and principal.allows("analyst")
    if _csv(args):
        return _serve_csv(
            selection,
            f"veranderingen-{key}.csv",
            lambda: tables.change_rows(
                insights.changes(analysis(), graph_request, args["from_"], args["to"], with_actors)
            ),
            with_actors,
        )
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
@blp.doc(responses=csv_too(CompareResponse))
def compare(args: dict[str, Any]) -> Any:
    """Proeftuinen side by side on the same indicators."""
    for key in dict.fromkeys(args["proeftuinen"]):
        viewer_dates(Selection.of([key]), at=args.get("at"))
    if _csv(args):
        return _serve_csv(
            Selection.of(args["proeftuinen"]),
            "vergelijking.csv",
            lambda: tables.compare_rows(
                insights.compare(
                    analysis(), args["proeftuinen"], args.get("at"), args.get("types"), args["ties"]
                )
            ),
        )
    return _serve(
        Selection.of(args["proeftuinen"]),
        lambda: (
            insights.compare(
                analysis(), args["proeftuinen"], args.get("at"), args.get("types"), args["ties"]
            ),
            None,
        ),
    )


# -- the national network ---------------------------------------------------------


@blp.route("/national/metrics")
@require_role("viewer")
@blp.arguments(NetworkArgs, location="query")
@blp.response(200, MetricsResponse)
def national_metrics(args: dict[str, Any]) -> Any:
    """Network-level indicators of the national network (every proeftuin)."""
    selection = Selection.of(None)
    viewer_dates(selection, at=args.get("at"))
    return _serve(
        selection, lambda: insights.network_metrics(analysis(), _request(selection, args))
    )


@blp.route("/national/metrics/actors")
@require_role("analyst")
@blp.arguments(ActorArgs, location="query")
@blp.response(200, ActorsResponse)
def national_actor_metrics(args: dict[str, Any]) -> Any:
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
def national_health(args: dict[str, Any]) -> Any:
    """The health scorecard of the national network."""
    selection = Selection.of(None)
    viewer_dates(selection, at=args.get("at"))
    return _serve(selection, lambda: insights.scorecard(analysis(), _request(selection, args)))
