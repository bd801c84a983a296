"""The phase a network is in (docs/metrics.md §10).

Krebs & Holley (2002/2006, *Building Smart Communities through Network Weaving*) describe four
stages a community network passes through as it is woven:

1. **scattered clusters** (``scattered``): several small groups, nobody reaches most of the network;
2. **single hub-and-spoke** (``hub_and_spoke``): one component held together by one hub;
3. **multi-hub small world** (``multi_hub``): several hubs tied to each other, short paths, more
   clustering than chance;
4. **core/periphery** (``core_periphery``): a dense core of well-connected actors with a periphery
   tied to it (the stable, sustainable form).

We measure each stage on the undirected view of the analysis graph (isolates count: an actor
without any tie is part of the scatter).  The thresholds are ours, written down with their
reasons in docs/metrics.md §10, and every label is returned with the measures behind it:

- ``largest_share``: share of actors in the largest component.  Below 0.5 -> ``scattered``.
- ``top_betweenness_share``: the share of all shortest-path brokerage (betweenness) held by
  the single most central actor; ``degree_centralization`` (Freeman 1979, undirected) and
  ``second_hub_ratio``: the second-highest degree over the highest.  One actor on at least
  half of the brokerage, or a centralized network (>= 0.5) whose runner-up has at most half
  the top actor's ties -> ``hub_and_spoke``.  (A dense core also centralizes degree, but
  its members are alike: the runner-up test keeps it out of this phase.)
- ``core_periphery_fit``: Borgatti & Everett (1999) correlation between the adjacency matrix of
  the largest component and the ideal pattern (core-core tie 1, periphery-periphery tie 0,
  core-periphery not counted), over the k-core partitions, best k; ``core_share``: the core's
  share of that component.  With fit >= 0.5 and a core of at most half the component ->
  ``core_periphery``.
- otherwise ``multi_hub``, with ``hubs`` (actors whose degree is at least twice the mean, at
  least 3) and ``clustering_ratio`` (transitivity / density) reported beside it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.metrics.centrality import betweenness
from graphsvc.metrics.cohesion import centralization_degree

__all__ = ["PHASES", "THRESHOLDS", "core_periphery_fit", "network_phase"]

PHASES = ("scattered", "hub_and_spoke", "multi_hub", "core_periphery")

THRESHOLDS = {
    "largest_share_below": 0.5,
    "degree_centralization_from": 0.5,
    "second_hub_ratio_at_most": 0.5,
    "top_betweenness_share_from": 0.5,
    "core_periphery_fit_from": 0.5,
    "core_share_at_most": 0.5,
}


def core_periphery_fit(G: nx.Graph) -> tuple[float | None, set[Hashable]]:
    """Best Borgatti-Everett (1999) fit over the k-core partitions of ``G`` (undirected).

    For each k, core = actors of coreness >= k (Seidman 1983).  The fit is the Pearson
    correlation between observed ties (1/0) and the ideal pattern over core-core pairs (ideal
    1) and periphery-periphery pairs (ideal 0); core-periphery pairs are not counted, as in
    Borgatti & Everett's model without a core-periphery term.  Returns (best fit, its core),
    or (None, set()) when no partition has both kinds of pair with variation.

    References
    ----------
    .. [1] Borgatti, S. P., & Everett, M. G. (1999). Models of core/periphery structures.
       *Social Networks* 21(4), 375-395.
    """
    nodes = list(G.nodes)
    if len(nodes) < 4:
        return None, set()
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = nx.to_numpy_array(G, nodelist=nodes, weight=None) > 0
    upper = np.triu_indices(len(nodes), k=1)
    observed = adjacency[upper].astype(float)
    coreness = nx.core_number(G)
    best: tuple[float | None, set[Hashable]] = (None, set())
    for k in sorted(set(coreness.values())):
        core = {v for v, c in coreness.items() if c >= k}
        if len(core) < 2 or len(core) == len(nodes):
            continue
        member = np.zeros(len(nodes), dtype=bool)
        member[[index[v] for v in core]] = True
        core_core = member[upper[0]] & member[upper[1]]
        peri_peri = ~member[upper[0]] & ~member[upper[1]]
        counted = core_core | peri_peri
        ideal = core_core[counted].astype(float)
        seen = observed[counted]
        if ideal.std() == 0 or seen.std() == 0:
            continue
        fit = float(np.corrcoef(ideal, seen)[0, 1])
        if best[0] is None or fit > best[0]:
            best = (fit, core)
    return best


def network_phase(G: nx.Graph) -> dict[str, Any]:
    """The phase label of ``G`` with the measures behind it (see the module docstring)."""
    U = nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() else G
    n = U.number_of_nodes()
    measures: dict[str, Any] = {
        "actors": n,
        "components": 0,
        "largest_share": None,
        "degree_centralization": None,
        "top_betweenness_share": None,
        "second_hub_ratio": None,
        "core_periphery_fit": None,
        "core_share": None,
        "hubs": 0,
        "clustering_ratio": None,
    }
    if n == 0 or U.number_of_edges() == 0:
        return {"phase": "scattered", "measures": measures, "thresholds": THRESHOLDS}
    components = sorted(nx.connected_components(U), key=len, reverse=True)
    largest = U.subgraph(components[0]).copy()
    measures["components"] = sum(1 for c in components if len(c) > 1)
    measures["largest_share"] = len(largest) / n
    measures["degree_centralization"] = centralization_degree(largest).get("degree")
    between = betweenness(largest)
    total = sum(between.values())
    measures["top_betweenness_share"] = max(between.values()) / total if total else 0.0
    fit, core = core_periphery_fit(largest)
    measures["core_periphery_fit"] = fit
    measures["core_share"] = len(core) / len(largest) if core else None
    degrees = dict(largest.degree())
    ranked = sorted(degrees.values(), reverse=True)
    measures["second_hub_ratio"] = ranked[1] / ranked[0] if len(ranked) > 1 else 0.0
    mean = sum(degrees.values()) / len(degrees)
    measures["hubs"] = sum(1 for d in degrees.values() if d >= max(3, 2 * mean))
    density = nx.density(largest)
    measures["clustering_ratio"] = nx.transitivity(largest) / density if density else None
    return {"phase": _label(measures), "measures": measures, "thresholds": THRESHOLDS}


def _label(m: dict[str, Any]) -> str:
    t = THRESHOLDS
    if m["largest_share"] < t["largest_share_below"]:
        return "scattered"
    one_broker = (m["top_betweenness_share"] or 0) >= t["top_betweenness_share_from"]
    one_hub = (m["degree_centralization"] or 0) >= t["degree_centralization_from"] and (
        m["second_hub_ratio"] <= t["second_hub_ratio_at_most"]
    )
    if one_broker or one_hub:
        return "hub_and_spoke"
    if (
        m["core_periphery_fit"] is not None
        and m["core_periphery_fit"] >= t["core_periphery_fit_from"]
        and m["core_share"] is not None
        and m["core_share"] <= t["core_share_at_most"]
    ):
        return "core_periphery"
    return "multi_hub"
