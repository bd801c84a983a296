"""Every metric of an analysis graph in one JSON-ready report.

:func:`actor_report` gives one object per actor (docs/metrics.md §1–§3, §5),
:func:`network_report` the network-level indicators (§1, §3, §4) and :func:`headline`
the single numbers that changes and comparisons report.  What each metric is (the API's
metadata block, §6) is in :mod:`graphsvc.metrics.indicators`.  Values are None where
undefined, never NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

from graphsvc import vocabulary as vocab
from graphsvc.metrics.approximation import ApproximateBetweenness
from graphsvc.metrics.brokerage import ROLES
from graphsvc.metrics.brokerage_null import brokerage_scores
from graphsvc.metrics.centrality import actor_metrics
from graphsvc.metrics.cohesion import network_cohesion
from graphsvc.metrics.indicators import HEADLINE, value_at
from graphsvc.metrics.mixing import ei_index_actors, network_mixing

__all__ = ["actor_report", "network_report", "clean", "headline"]


def clean(value: Any) -> Any:
    """Recursively replace NaN/inf by None and tuples/sets by lists (strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return clean(value.item())
    return value


def actor_report(
    G: nx.Graph, estimate: ApproximateBetweenness | None = None
) -> list[dict[str, Any]]:
    """One object per actor: key, kind, group and every actor-level metric (sorted by key).

    ``estimate``: approximate betweenness to report instead of the exact values
    (see :func:`graphsvc.metrics.centrality.actor_metrics`).
    """
    base = actor_metrics(G, estimate=estimate)
    scores = brokerage_scores(G, group="group")
    ei = ei_index_actors(G, group="group")
    out = []
    for key in sorted(G.nodes, key=str):
        data = G.nodes[key]
        row: dict[str, Any] = {"key": key, "kind": data.get("kind"), "group": data.get("group")}
        row.update(base[key])
        row["ei_index"] = ei.get(key)
        row["brokerage"] = {r: int(scores.raw[key][r]) for r in ROLES}
        row["brokerage_z"] = {r: scores.z[key][r] for r in ROLES}
        out.append(clean(row))
    return out


def network_report(G: nx.Graph) -> dict[str, Any]:
    """Network-level indicators: counts, cohesion, mixing, graph-level brokerage."""
    kinds = Counter(data.get("kind") for _, data in G.nodes(data=True))
    scores = brokerage_scores(G, group="group")
    report: dict[str, Any] = {
        "actors": G.number_of_nodes(),
        "actors_per_kind": {k: kinds.get(k, 0) for k in vocab.KIND_KEYS},
        "ties_per_type": dict(G.graph.get("ties_per_type", {})),
        "ties_used": G.graph.get("ties_used", G.number_of_edges()),
        "parallel_ties_collapsed": G.graph.get("parallel_ties_collapsed", 0),
        "cohesion": network_cohesion(G),
        "mixing": network_mixing(G, group="group"),
        "brokerage": {
            "raw": dict(scores.network_raw),
            "expected": dict(scores.network_expected),
            "z": dict(scores.network_z),
            "density": scores.density,
        },
    }
    return clean(report)


def headline(network: dict[str, Any]) -> dict[str, Any]:
    """The HEADLINE indicators of a network_report; lists count as their length."""
    return {name: value_at(network, path) for name, path in HEADLINE}
