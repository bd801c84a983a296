"""Metrics as the API and CLI serve them: network, actors, scorecard, change, comparison.

Each function takes an :class:`~graphsvc.analysis.graph.Analysis` (store + cache) and
request values, and returns JSON-ready dicts with a ``metadata`` block.  The
pure work happens in :mod:`graphsvc.metrics`; this module only chooses graphs,
caches results and shapes answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graphsvc.analysis.graph import (
    UNKNOWN_GROUP,
    Analysis,
    GraphRequest,
    Selection,
    Timing,
    tie_valid_at,
    unconfirmed,
)
from graphsvc.errors import InvalidInput
from graphsvc.metrics.approximation import approximate_betweenness
from graphsvc.metrics.brokerage import ROLES
from graphsvc.metrics.indicators import (
    ACTOR_METRICS,
    HEADLINE,
    INDICATORS,
    NETWORK_METRICS,
    metadata_for,
)
from graphsvc.metrics.report import actor_report, headline, network_report
from graphsvc.metrics.scorecard import network_scorecard

__all__ = [
    "network_metrics",
    "actor_metrics",
    "scorecard",
    "changes",
    "compare",
    "describe_request",
    "pseudonymise",
]


def _check_groups(G: nx.Graph, request: GraphRequest) -> None:
    if request.group_by == "kind" or G.number_of_nodes() == 0:
        return
    if all(d["group"] == UNKNOWN_GROUP for _, d in G.nodes(data=True)):
        raise InvalidInput(
            f"Parameter 'group_by': geen enkele actor heeft het kenmerk '{request.group_by}'.",
            f"Parameter 'group_by': no actor has the attribute '{request.group_by}'.",
            errors=[{"field": "group_by", "message": f"no actor has {request.group_by!r}"}],
        )


def describe_request(request: GraphRequest, G: nx.Graph | None = None) -> dict[str, Any]:
    """The request as a response states it, with the size of its graph when ``G`` is given."""
    chosen = request.selection.proeftuinen
    out: dict[str, Any] = {
        "proeftuinen": None if chosen is None else list(chosen),
        "national": request.selection.national,
        "at": request.at.isoformat(),
        "types": list(request.types),
        "group_by": request.group_by,
        "ties": request.ties,
        "directed": request.directed,
    }
    if G is not None:
        out["graph"] = {
            "actors": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "ties_used": G.graph["ties_used"],
            "parallel_ties_collapsed": G.graph["parallel_ties_collapsed"],
            "self_loops_removed": G.graph["self_loops_removed"],
            "note_en": "Parallel ties between the same pair are collapsed into one edge whose "
            "weight is their sum; symmetric ties count in both directions when the "
            "network is directed; member_of is two-mode and never included.",
            "note_nl": "Meerdere relaties tussen hetzelfde paar worden samengevoegd tot één "
            "verbinding met de som als gewicht; wederzijdse relaties tellen in beide "
            "richtingen als het netwerk gericht is; lidmaatschap doet niet mee.",
        }
    return out


def network_metrics(analysis: Analysis, request: GraphRequest) -> tuple[dict[str, Any], Timing]:
    def compute(G: Any, rows: Any) -> Any:
        _check_groups(G, request)
        return {"request": describe_request(request, G), "metrics": network_report(G)}

    value, timing = analysis.result("network", request, compute)
    body = {**value, "metadata": metadata_for(NETWORK_METRICS)}
    return body, timing


def actor_metrics(
    analysis: Analysis, request: GraphRequest, approximate: tuple[float, float] | None = None
) -> tuple[dict[str, Any], Timing]:
    """Actor-level metrics; ``approximate=(epsilon, delta)`` estimates betweenness instead.

    The estimate (Riondato & Kornaropoulos 2016) is used only when the caller asks
    for it, with a fixed seed so a repeat gives the same numbers, and the response
    says so with its error bound under ``betweenness_approximation``.
    """

    def compute(G: Any, rows: Any) -> Any:
        _check_groups(G, request)
        estimate = None
        if approximate is not None:
            estimate = approximate_betweenness(
                G, epsilon=approximate[0], delta=approximate[1], seed=0
            )
        actors = actor_report(G, estimate)
        for row in actors:
            row["name"] = G.nodes[row["key"]]["name"]
        body = {"request": describe_request(request, G), "actors": actors}
        if estimate is not None:
            body["betweenness_approximation"] = {
                k: v for k, v in estimate.to_dict().items() if k not in ("values", "normalized")
            }
        return body

    value, timing = analysis.result("actors", request, compute, extra_key=(approximate,))
    body = {**value, "roles": list(ROLES), "metadata": metadata_for(ACTOR_METRICS)}
    return body, timing


def scorecard(analysis: Analysis, request: GraphRequest) -> tuple[dict[str, Any], Timing]:
    """The scorecard (served at ``.../health``); always grouped by kind (its questions are
    about kinds of actors)."""
    request = GraphRequest(request.selection, request.at, request.types, "kind", request.ties)

    def compute(G: Any, rows: Any) -> Any:
        network = network_report(G)
        actors = actor_report(G)
        card = network_scorecard(G, network, actors)
        return {"request": describe_request(request, G), "scorecard": card}

    value, timing = analysis.result("scorecard", request, compute)
    return dict(value), timing


def _dominant_role(brokerage: dict[str, int]) -> str | None:
    best = max(ROLES[:-1], key=lambda r: (brokerage[r], -ROLES.index(r)))
    return best if brokerage[best] > 0 else None


def _component_labels(G: nx.Graph) -> dict[str, str]:
    comps = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    labels = {}
    for comp in comps:
        label = min(comp)
        for v in comp:
            labels[v] = label
    return labels


def changes(
    analysis: Analysis, request: GraphRequest, start: dt.date, end: dt.date, with_actors: bool
) -> dict[str, Any]:
    """What changed between ``start`` and ``end``: ties, indicators, roles, components."""
    if end < start:
        raise InvalidInput(
            "Parameter 'to' ligt vóór 'from'.",
            "Parameter 'to' is before 'from'.",
            errors=[{"field": "to", "message": "before from"}],
        )
    before = GraphRequest(request.selection, start, request.types, request.group_by, request.ties)
    after = GraphRequest(request.selection, end, request.types, request.group_by, request.ties)

    def compute(G: Any, rows: Any) -> Any:
        _check_groups(G, before)
        return {
            "network": network_report(G),
            "actors": actor_report(G),
            "components": _component_labels(G),
        }

    a, _ = analysis.result("snapshot", before, compute)
    b, _ = analysis.result("snapshot", after, compute)
    versions = analysis.versions(request.selection)
    rows, _ = analysis.rows(request.selection, versions)
    wanted = set(request.types)
    counted = [
        t
        for t in rows.ties
        if t.type in wanted and not (request.ties == "confirmed" and unconfirmed(t))
    ]
    appeared = [t for t in counted if start < t.since <= end]
    ended = [t for t in counted if t.until and start < t.until <= end and tie_valid_at(t, start)]
    result: dict[str, Any] = {
        "request": {
            **describe_request(request),
            "at": None,
            "from": start.isoformat(),
            "to": end.isoformat(),
        },
        "ties": {"appeared": len(appeared), "ended": len(ended)},
        "indicators": _deltas(headline(a["network"]), headline(b["network"])),
    }
    if with_actors:
        # Only for analysts and up: names and kinds beside the keys.
        who = {actor.key: (actor.name, actor.kind) for actor in rows.actors}
        result["ties"]["appeared_list"] = [_named(_tie_json(t), who) for t in appeared]
        result["ties"]["ended_list"] = [_named(_tie_json(t), who) for t in ended]
        result["actors"] = {
            "brokerage_role_changed": [
                _named(r, who) for r in _role_changes(a["actors"], b["actors"])
            ],
            "component_changed": [
                _named(r, who) for r in _component_changes(a["components"], b["components"])
            ],
        }
    return result


def _named(row: dict[str, Any], who: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """``row`` with ``name``/``kind`` beside ``key`` (and ``source_*``/``target_*`` for ties)."""
    for field in ("key", "source", "target"):
        if field in row and row[field] in who:
            name, kind = who[row[field]]
            prefix = "" if field == "key" else f"{field}_"
            row[f"{prefix}name"] = name
            row.setdefault(f"{prefix}kind", kind)
    return row


def _deltas(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Each HEADLINE indicator from, to and its difference (None unless both are numbers)."""
    out = []
    for name, _path in HEADLINE:
        x, y = before[name], after[name]
        delta = (
            y - x
            if isinstance(x, (int, float))
            and isinstance(y, (int, float))
            and not isinstance(x, bool)
            else None
        )
        out.append({"indicator": name, "from": x, "to": y, "delta": delta})
    return out


def _role_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict]:
    """Actors whose dominant brokerage role differs between two actor reports."""
    ra = {r["key"]: r for r in before}
    role_changes = []
    for r in after:
        old = ra.get(r["key"])
        before_role = _dominant_role(old["brokerage"]) if old else None
        after_role = _dominant_role(r["brokerage"])
        if before_role != after_role:
            role_changes.append(
                {
                    "key": r["key"],
                    "kind": r["kind"],
                    "from": before_role,
                    "to": after_role,
                    "total_from": old["brokerage"]["total"] if old else 0,
                    "total_to": r["brokerage"]["total"],
                }
            )
    return role_changes


def _component_changes(ca: dict[str, str], cb: dict[str, str]) -> list[dict[str, Any]]:
    """Actors (in both) whose component changed size, from component labels before and after."""
    size_a, size_b = _sizes(ca), _sizes(cb)
    return [
        {"key": k, "from_size": size_a[ca[k]], "to_size": size_b[cb[k]]}
        for k in sorted(cb)
        if k in ca and size_a[ca[k]] != size_b[cb[k]]
    ]


def _sizes(labels: dict[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for label in labels.values():
        sizes[label] = sizes.get(label, 0) + 1
    return sizes


def _tie_json(t: Any) -> dict[str, Any]:
    return {
        "source": t.source,
        "target": t.target,
        "type": t.type,
        "since": t.since.isoformat(),
        "until": t.until.isoformat() if t.until else None,
    }


def compare(
    analysis: Analysis,
    keys: Iterable[str],
    at: dt.date | None,
    types: Iterable[str] | None,
    ties: str | None = None,
) -> dict[str, Any]:
    """The same indicators side by side for several proeftuinen (and their scorecard signals)."""
    keys = list(dict.fromkeys(keys))
    if len(keys) < 2:
        raise InvalidInput(
            "Parameter 'proeftuinen': noem er minstens twee.",
            "Parameter 'proeftuinen': name at least two.",
            errors=[{"field": "proeftuinen", "message": "at least two"}],
        )
    rows = []
    requests = [
        GraphRequest.parse(Selection.of([key]), at, types, "kind", ties=ties) for key in keys
    ]
    for key, request in zip(keys, requests, strict=True):
        body, _ = scorecard(analysis, request)
        net, _ = network_metrics(analysis, request)
        signals = {
            i["key"]: i["signal"] for g in body["scorecard"]["groups"] for i in g["indicators"]
        }
        rows.append({"proeftuin": key, "indicators": headline(net["metrics"]), "signals": signals})
    return {
        "at": requests[0].at.isoformat(),
        "types": list(requests[0].types),
        "indicators": [name for name, _ in HEADLINE],
        "proeftuinen": rows,
        # Every metric behind a compared indicator, in the order the indicators come.
        "metadata": metadata_for(
            [m for name, _ in HEADLINE if (m := INDICATORS[name].metric) is not None]
        ),
    }


def pseudonymise(value: Any, labels: dict[str, str]) -> Any:
    """``value`` (a JSON-ready body) with every resident key replaced by its pseudonym.

    ``labels`` maps resident keys to their label ("Bewoner 17" / "Resident 17", the
    same as on the maps).  Dict keys and string values that are a resident's key are
    replaced; a response for viewers carries no resident key at all (docs/security.md).
    """
    if isinstance(value, dict):
        return {labels.get(k, k): pseudonymise(v, labels) for k, v in value.items()}
    if isinstance(value, list):
        return [pseudonymise(v, labels) for v in value]
    if isinstance(value, str):
        return labels.get(value, value)
    return value
