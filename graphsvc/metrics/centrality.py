"""Actor-level centrality through a compiled library, and every actor metric in one go.

Degree counts, Freeman betweenness (raw and normalised), closeness, k-core
numbers, articulation points and bridges, computed by python-igraph (C) on a
graph converted once by :func:`graphsvc.metrics.views.to_igraph`; networkx stays
the reference in the tests, which check equality to 1e-9 (docs/metrics.md §5:
igraph is some 25x faster than networkx for betweenness at 2,000 actors).
:func:`actor_metrics` returns all of these plus Burt's structural-hole measures
(:mod:`graphsvc.metrics.structural_holes`) per actor, and reports an estimate of
betweenness instead when given one (:mod:`graphsvc.metrics.approximation`, for
very large graphs, only when asked).

Conventions (state them wherever these numbers are shown):

- Betweenness and closeness are unweighted: a tie is a relationship, not a
  distance, and its weight (a count of collapsed parallel ties) is not a length.
- Directed graphs keep their direction for betweenness and closeness; k-cores,
  articulation points and bridges use the underlying undirected graph.
- Isolates get 0 for degree, betweenness, closeness and core number (networkx's
  conventions); the structural-hole measures are None for them.

Input is the analysis graph of docs/metrics.md §0 (simple ``nx.Graph`` or
``nx.DiGraph``, no self-loops; any left are ignored; multigraphs are refused).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.metrics.approximation import ApproximateBetweenness
from graphsvc.metrics.structural_holes import burt_measures
from graphsvc.metrics.views import IGraphView, as_node_dict, to_igraph

__all__ = [
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "betweenness_normalized",
    "closeness",
    "core_number",
    "articulation_points",
    "bridges",
    "actor_metrics",
    "ACTOR_METRIC_KEYS",
]

Node = Hashable

#: The keys of one actor's entry in :func:`actor_metrics`, in order.
ACTOR_METRIC_KEYS = (
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "betweenness_normalized",
    "closeness",
    "core_number",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "articulation_point",
)


# ---------------------------------------------------------------------------------------
# array-level computations on a view (shared by the public functions and actor_metrics)
# ---------------------------------------------------------------------------------------


def _degrees(view: IGraphView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = view.adjacency
    out_deg = np.diff(A.indptr)
    if not view.directed:
        return out_deg, out_deg, out_deg
    in_deg = np.bincount(A.indices, minlength=view.n)
    both = sp.csr_array(A + A.T)
    return np.diff(both.indptr), in_deg, out_deg


def _betweenness(view: IGraphView) -> np.ndarray:
    if view.n == 0:
        return np.zeros(0)
    return np.asarray(view.graph.betweenness(directed=view.directed), dtype=np.float64)


def _normalize_betweenness(raw: np.ndarray, n: int, directed: bool) -> np.ndarray:
    if n <= 2:  # networkx leaves them as they are (all 0)
        return raw.copy()
    scale = 1.0 / ((n - 1) * (n - 2))
    return raw * (scale if directed else 2.0 * scale)


def _closeness(view: IGraphView) -> np.ndarray:
    n = view.n
    if n <= 1:
        return np.zeros(n)
    mode = "in" if view.directed else "all"
    # igraph's closeness only counts reachable actors; with and without its
    # normalisation it gives 1/Σd and r/Σd, from which the reach r follows.
    # Wasserman–Faust then multiplies r/Σd by r/(n-1), as networkx does.
    # Undirected, the reach is the component size less one (no second pass).
    raw = np.asarray(view.graph.closeness(mode=mode, normalized=False), dtype=np.float64)
    ok = np.isfinite(raw) & (raw > 0)
    if view.directed:
        per = np.asarray(view.graph.closeness(mode=mode, normalized=True), dtype=np.float64)
        reach = np.rint(per[ok] / raw[ok])
    else:
        membership = np.asarray(view.graph.connected_components().membership)
        reach = (np.bincount(membership)[membership] - 1)[ok].astype(np.float64)
    total = np.rint(1.0 / raw[ok])  # Σd, an integer
    result = np.zeros(n)
    result[ok] = (reach / total) * (reach / (n - 1))
    return result


def _core_numbers(view: IGraphView) -> np.ndarray:
    if view.n == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(view.underlying.coreness(), dtype=np.int64)


def _articulation_indices(view: IGraphView) -> list[int]:
    return list(view.underlying.articulation_points()) if view.n else []


def _bridge_pairs(view: IGraphView) -> list[tuple[Node, Node]]:
    if view.n == 0:
        return []
    edges = view.underlying.get_edgelist()
    pairs = sorted(tuple(sorted(edges[e])) for e in view.underlying.bridges())
    return [(view.nodes[a], view.nodes[b]) for a, b in pairs]


# ---------------------------------------------------------------------------------------
# public single metrics
# ---------------------------------------------------------------------------------------


def degree(G: nx.Graph) -> dict[Node, int]:
    """Number of distinct neighbours (in- and out-neighbours together on a directed graph).

    A reciprocated pair a→b, b→a counts once, unlike networkx's ``G.degree``
    on a DiGraph (in + out).  Self-loops do not count.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        {node: int}.

    Examples
    --------
    >>> degree(nx.DiGraph([("a", "b"), ("b", "a"), ("c", "a")]))
    {'a': 2, 'b': 1, 'c': 1}

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual
       clarification. *Social Networks* 1(3), 215–239.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _degrees(view)[0], int)


def in_degree(G: nx.Graph) -> dict[Node, int]:
    """Number of distinct actors with a tie towards this actor (= degree when undirected).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        {node: int}.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks. *Social Networks* 1, 215–239.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _degrees(view)[1], int)


def out_degree(G: nx.Graph) -> dict[Node, int]:
    """Number of distinct actors this actor has a tie towards (= degree when undirected).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        {node: int}.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks. *Social Networks* 1, 215–239.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _degrees(view)[2], int)


def betweenness(G: nx.Graph) -> dict[Node, float]:
    """Raw Freeman betweenness: Σ_{s≠v≠t} σ_st(v) / σ_st over shortest paths, unweighted.

    Directed graphs count ordered pairs (s, t); undirected graphs count each
    unordered pair once.  Equals ``nx.betweenness_centrality(G, normalized=False)``.
    Computed by igraph's Brandes algorithm (C), O(nm).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph; tie weights are ignored (ties are relationships,
        not lengths).

    Returns
    -------
    dict
        {node: float >= 0}.

    Examples
    --------
    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on
       betweenness. *Sociometry* 40(1), 35–41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       *Journal of Mathematical Sociology* 25(2), 163–177.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _betweenness(view))


def betweenness_normalized(G: nx.Graph) -> dict[Node, float]:
    """Freeman betweenness normalised as networkx's ``normalized=True`` does.

    Directed: raw / ((n−1)(n−2)).  Undirected: raw / ((n−1)(n−2)/2), i.e. the
    count of unordered pairs through v divided by the number of unordered
    pairs not containing v.  For n <= 2 every value is 0.  Range 0..1.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph (unweighted, see :func:`betweenness`).

    Returns
    -------
    dict
        {node: float in [0, 1]}.

    References
    ----------
    .. [1] Freeman, L. C. (1977). *Sociometry* 40(1), 35–41.
    .. [2] Brandes, U. (2008). On variants of shortest-path betweenness
       centrality and their generic computation. *Social Networks* 30(2), 136–145.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _normalize_betweenness(_betweenness(view), view.n, view.directed))


def closeness(G: nx.Graph) -> dict[Node, float]:
    """Closeness with the Wasserman–Faust correction for graphs that are not connected.

    With r the number of other actors that can reach v and Σd the sum of
    their shortest-path distances to v, C(v) = (r / Σd) · (r / (n − 1)), and 0
    when no one reaches v (so isolates get 0).  On a directed graph the
    distances are *incoming* (from the others to v), as in networkx.  This
    equals ``nx.closeness_centrality(G)`` (wf_improved=True); computed by
    igraph (C), unweighted.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        {node: float in [0, 1]}.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks. *Social Networks* 1, 215–239.
    .. [2] Wasserman, S. & Faust, K. (1994). *Social Network Analysis: Methods
       and Applications*. Cambridge University Press, p. 201.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _closeness(view))


def core_number(G: nx.Graph) -> dict[Node, int]:
    """k-core number: the largest k such that the actor belongs to a k-core.

    A k-core is a maximal subgraph in which every actor has at least k
    neighbours.  Degrees are taken on the underlying undirected simple graph
    (a reciprocated pair counts once), which is what networkx computes on
    ``G.to_undirected()``; networkx's own directed version would count in + out.
    Computed by igraph's Batagelj–Zaversnik algorithm, O(m).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        {node: int >= 0}.

    References
    ----------
    .. [1] Seidman, S. B. (1983). Network structure and minimum degree.
       *Social Networks* 5(3), 269–287.
    .. [2] Batagelj, V. & Zaversnik, M. (2003). An O(m) algorithm for cores
       decomposition of networks. arXiv:cs/0310049.
    """
    view = to_igraph(G, weight=None)
    return as_node_dict(view, _core_numbers(view), int)


def articulation_points(G: nx.Graph) -> set[Node]:
    """Actors whose removal splits their part of the network (underlying undirected graph).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    set
        The articulation points (cut vertices).

    References
    ----------
    .. [1] Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient
       algorithms for graph manipulation. *Communications of the ACM* 16(6), 372–378.
    """
    view = to_igraph(G, weight=None)
    return {view.nodes[k] for k in _articulation_indices(view)}


def bridges(G: nx.Graph) -> list[tuple[Node, Node]]:
    """Ties whose removal splits their part of the network (underlying undirected graph).

    On a directed graph a pair tied both ways is one tie here.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.

    Returns
    -------
    list of tuple
        (u, v) pairs, u before v in ``G``'s node order, sorted by that order.

    References
    ----------
    .. [1] Tarjan, R. E. (1974). A note on finding the bridges of a graph.
       *Information Processing Letters* 2(6), 160–161.
    """
    return _bridge_pairs(to_igraph(G, weight=None))


# ---------------------------------------------------------------------------------------
# everything per actor
# ---------------------------------------------------------------------------------------


def actor_metrics(
    G: nx.Graph, weight: str | None = "weight", estimate: ApproximateBetweenness | None = None
) -> dict[Node, dict[str, Any]]:
    """Every actor-level metric of this module and of Burt's structural holes, per actor.

    Converts ``G`` once (:func:`graphsvc.metrics.views.to_igraph`) and computes: degree, in_degree,
    out_degree, betweenness, betweenness_normalized, closeness, core_number
    (as the functions of this module), constraint, effective_size,
    efficiency, hierarchy (:mod:`graphsvc.metrics.structural_holes`, weighted
    by ``weight``; None where undefined) and articulation_point (bool).
    Constraint here comes from the same vectorised pass as hierarchy, which
    needs the per-contact terms igraph does not expose; it equals
    :func:`graphsvc.metrics.structural_holes.constraint` (tests).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.
    weight : str or None
        Edge attribute with the tie weight, used by the structural-hole measures.
    estimate : ApproximateBetweenness or None
        When given (from :func:`graphsvc.metrics.approximation.approximate_betweenness`
        on the same graph), its
        estimates are reported as betweenness instead of computing it exactly:
        the caller asked for speed and accepts the stated error bound.

    Returns
    -------
    dict
        {node: {metric key: value}} with the keys of :data:`ACTOR_METRIC_KEYS`.

    References
    ----------
    See the functions named above.
    """
    view = to_igraph(G, weight)
    deg, indeg, outdeg = _degrees(view)
    if estimate is None:
        raw = _betweenness(view)
        norm = _normalize_betweenness(raw, view.n, view.directed)
    else:
        raw = np.array([estimate.values[v] for v in view.nodes], dtype=float)
        norm = np.array([estimate.normalized[v] for v in view.nodes], dtype=float)
    close = _closeness(view)
    core = _core_numbers(view)
    cut = np.zeros(view.n, dtype=bool)
    cut[_articulation_indices(view)] = True
    holes = burt_measures(view.adjacency, view.nodes)

    def opt(x: float) -> float | None:
        return None if math.isnan(x) else float(x)

    result: dict[Node, dict[str, Any]] = {}
    for k, v in enumerate(view.nodes):
        result[v] = {
            "degree": int(deg[k]),
            "in_degree": int(indeg[k]),
            "out_degree": int(outdeg[k]),
            "betweenness": float(raw[k]),
            "betweenness_normalized": float(norm[k]),
            "closeness": float(close[k]),
            "core_number": int(core[k]),
            "constraint": opt(holes.constraint[k]),
            "effective_size": opt(holes.effective_size[k]),
            "efficiency": opt(holes.efficiency[k]),
            "hierarchy": opt(holes.hierarchy[k]),
            "articulation_point": bool(cut[k]),
        }
    return result
