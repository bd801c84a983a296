"""Connectedness and cohesion of the whole network (docs/metrics.md §3).

Every function takes the analysis graph (docs/metrics.md §0: a simple
``networkx.Graph`` or ``networkx.DiGraph``, no self-loops, isolates kept) and
returns plain Python values: floats, ints, lists of node ids, and ``None``
where a value is undefined (never NaN).  :func:`network_cohesion` gathers all
of them in one JSON-friendly dict, together with Krackhardt's four dimensions
of hierarchy (:mod:`graphsvc.metrics.krackhardt`).

All measures here are unweighted: ``weight`` says how strong a tie is, not how
long it is, so it plays no part in distances, components or counts.

Which graph each measure reads:

==========================================  =========================================
measure                                     graph
==========================================  =========================================
density, strong components, distances,      the graph as given (directed paths on a
efficiency, betweenness, in/out-degree,     DiGraph)
Krackhardt hierarchy and LUBness
weak components, isolates, bridges,         the underlying undirected graph (an edge
articulation points, transitivity,          wherever an arc runs either way)
clustering, k-cores, degree centralization
==========================================  =========================================
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Any, Literal

import networkx as nx

from graphsvc.metrics.krackhardt import krackhardt
from graphsvc.metrics.views import to_igraph, undirected, weak_component_sizes

__all__ = [
    "density",
    "components",
    "isolates",
    "bridges",
    "articulation_points",
    "distances",
    "average_distance",
    "global_efficiency",
    "transitivity",
    "average_clustering",
    "core_numbers",
    "centralization_degree",
    "centralization_betweenness",
    "network_cohesion",
]

ClusteringConvention = Literal["low_degree_as_zero", "low_degree_excluded"]


# --------------------------------------------------------------------------- helpers


def _sorted_nodes(nodes: Iterable[Hashable]) -> list:
    """Node ids in a stable order (ids are str in the analysis graph; sort by str to be safe)."""
    return sorted(nodes, key=str)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


# --------------------------------------------------------------------------- basic cohesion


def density(G: nx.Graph) -> float | None:
    """Share of possible ties that are present.

    .. math:: d = \\frac{m}{n(n-1)} \\text{ (directed)}, \\qquad d = \\frac{2m}{n(n-1)}
       \\text{ (undirected)}

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph (no self-loops, no parallel edges).

    Returns
    -------
    float or None
        The density in [0, 1]; None when n < 2 (no pair of actors exists).
        (``networkx.density`` returns 0 there.)

    Examples
    --------
    >>> density(nx.path_graph(3))
    0.6666666666666666

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §4.2.
    """
    n = G.number_of_nodes()
    if n < 2:
        return None
    m = G.number_of_edges()
    pairs = n * (n - 1) if G.is_directed() else n * (n - 1) / 2
    return m / pairs


def components(G: nx.Graph) -> dict[str, Any]:
    """Weak and strong components and the share of actors in the largest one.

    On an undirected graph weak and strong components coincide (both are the
    connected components).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph

    Returns
    -------
    dict
        ``weak_count``, ``weak_sizes`` (descending), ``strong_count``,
        ``strong_sizes`` (descending) and ``largest_component_share``: actors in
        the largest weak component divided by all actors (None for an empty graph).

    Examples
    --------
    >>> components(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]))["strong_sizes"]
    [2, 1]
    """
    weak = weak_component_sizes(G)
    if G.is_directed():
        strong = sorted((len(c) for c in nx.strongly_connected_components(G)), reverse=True)
    else:
        strong = list(weak)
    n = G.number_of_nodes()
    return {
        "weak_count": len(weak),
        "weak_sizes": weak,
        "strong_count": len(strong),
        "strong_sizes": strong,
        "largest_component_share": weak[0] / n if n else None,
    }


def isolates(G: nx.Graph) -> list:
    """Actors without any tie (in or out), sorted.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")]); G.add_node("c"); isolates(G)
    ['c']
    """
    return _sorted_nodes(nx.isolates(G))


def bridges(G: nx.Graph) -> list[list]:
    """Ties whose removal splits a component, on the underlying undirected graph.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph

    Returns
    -------
    list of [u, v]
        Each bridge once, endpoints sorted, the list sorted.

    Examples
    --------
    >>> bridges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [['c', 'd']]

    References
    ----------
    .. [1] Tarjan, R. E. (1974). A note on finding the bridges of a graph.
       *Information Processing Letters* 2(6), 160–161.
    """
    pairs = (sorted((u, v), key=str) for u, v in nx.bridges(undirected(G)))
    return sorted(pairs, key=lambda p: (str(p[0]), str(p[1])))


def articulation_points(G: nx.Graph) -> list:
    """Actors whose removal splits a component, on the underlying undirected graph.

    Examples
    --------
    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']

    References
    ----------
    .. [1] Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms
       for graph manipulation. *Communications of the ACM* 16(6), 372–378.
    """
    return _sorted_nodes(nx.articulation_points(undirected(G)))


# --------------------------------------------------------------------------- distances


def distances(G: nx.Graph) -> dict[str, Any]:
    """Average distance over reachable pairs and global efficiency, in one pass.

    Distances are shortest-path lengths in steps (unweighted), *directed* on a
    DiGraph: d(i, j) follows arcs from i to j, and a pair counts as reachable
    in one direction only if a directed path runs that way.  Both measures are
    defined on graphs that are not connected:

    * ``average_distance``: mean of d(i, j) over the ordered pairs i ≠ j with a
      path (unordered pairs on an undirected graph; the mean is the same);
      None when no pair is reachable.
    * ``global_efficiency`` (Latora & Marchiori 2001): the mean of 1/d(i, j) over
      *all* ordered pairs i ≠ j, with 1/d = 0 for unreachable pairs; in [0, 1];
      None when n < 2.  On an undirected graph it equals
      ``networkx.global_efficiency`` (which does not accept directed graphs).
    * ``reachable_share``: reachable pairs / all pairs (None when n < 2).

    The path-length histogram comes from python-igraph (breadth-first search
    from every actor in C), so memory stays linear in the graph size.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph

    Returns
    -------
    dict
        ``average_distance``, ``global_efficiency``, ``reachable_share``,
        ``diameter`` (longest finite distance; None without reachable pairs).

    Examples
    --------
    >>> distances(nx.path_graph(3))["average_distance"]
    1.3333333333333333

    References
    ----------
    .. [1] Latora, V. & Marchiori, M. (2001). Efficient behavior of small-world
       networks. *Physical Review Letters* 87(19), 198701.
    """
    n = G.number_of_nodes()
    pairs = n * (n - 1) if G.is_directed() else n * (n - 1) // 2
    if n < 2:
        return {
            "average_distance": None,
            "global_efficiency": None,
            "reachable_share": None,
            "diameter": None,
        }
    g = to_igraph(G, weight=None).graph
    hist = g.path_length_hist(directed=G.is_directed())
    counts = [(int(start), int(count)) for start, _end, count in hist.bins() if count]
    reachable = sum(c for _, c in counts)
    return {
        "average_distance": _ratio(sum(d * c for d, c in counts), reachable),
        "global_efficiency": sum(c / d for d, c in counts) / pairs,
        "reachable_share": reachable / pairs,
        "diameter": max((d for d, _ in counts), default=None),
    }


def average_distance(G: nx.Graph) -> float | None:
    """Mean shortest-path length over reachable pairs (directed on a DiGraph).

    See :func:`distances` for the convention.
    """
    return distances(G)["average_distance"]


def global_efficiency(G: nx.Graph) -> float | None:
    """Global efficiency (Latora & Marchiori 2001), directed on a DiGraph.

    See :func:`distances` for the convention.
    """
    return distances(G)["global_efficiency"]


# --------------------------------------------------------------------------- clustering


def transitivity(G: nx.Graph) -> float | None:
    """Global clustering: 3 × triangles / connected triples, on the underlying undirected graph.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph

    Returns
    -------
    float or None
        None when the graph has no connected triple (``networkx.transitivity``
        returns 0 there, igraph NaN).

    Examples
    --------
    >>> transitivity(nx.complete_graph(3))
    1.0

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §14.3.
    """
    g = to_igraph(G, weight=None).underlying
    value = g.transitivity_undirected(mode="nan")
    return None if math.isnan(value) else float(value)


def average_clustering(
    G: nx.Graph, convention: ClusteringConvention = "low_degree_as_zero"
) -> float | None:
    """Mean local clustering (Watts & Strogatz 1998) on the underlying undirected graph.

    Local clustering of an actor with degree k ≥ 2 is the share of the
    k(k−1)/2 pairs of its neighbours that are tied.  For k < 2 it is undefined,
    and the two common libraries disagree on what to do with such actors:

    * ``"low_degree_as_zero"`` (networkx ``average_clustering``): they count as
      0 and the mean runs over all n actors;
    * ``"low_degree_excluded"`` (igraph ``transitivity_avglocal_undirected(mode="nan")``):
      they are left out and the mean runs over actors with degree ≥ 2.
      (Not networkx's ``count_zeros=False``, which also drops actors of degree
      ≥ 2 whose clustering is 0.)

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    convention : {"low_degree_as_zero", "low_degree_excluded"}

    Returns
    -------
    float or None
        None when no actor is counted (empty graph; or, when excluding, no
        actor of degree ≥ 2).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> round(average_clustering(G), 4), round(average_clustering(G, "low_degree_excluded"), 4)
    (0.5833, 0.7778)

    References
    ----------
    .. [1] Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of
       'small-world' networks. *Nature* 393, 440–442.
    """
    if convention not in ("low_degree_as_zero", "low_degree_excluded"):
        raise ValueError(f"unknown clustering convention: {convention!r}")
    g = to_igraph(G, weight=None).underlying
    local = g.transitivity_local_undirected(mode="zero")
    if convention == "low_degree_excluded":
        local = [c for c, k in zip(local, g.degree(), strict=True) if k >= 2]
    return _ratio(float(sum(local)), len(local))


def core_numbers(G: nx.Graph) -> dict[Hashable, int]:
    """k-core number of every actor (Seidman 1983), on the underlying undirected graph.

    The core number of v is the largest k such that v belongs to a subgraph in
    which every actor has at least k ties.

    Examples
    --------
    >>> core_numbers(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))["d"]
    1

    References
    ----------
    .. [1] Seidman, S. B. (1983). Network structure and minimum degree.
       *Social Networks* 5(3), 269–287.
    .. [2] Batagelj, V. & Zaversnik, M. (2003). An O(m) algorithm for cores
       decomposition of networks. arXiv:cs/0310049.
    """
    return dict(nx.core_number(undirected(G)))


# --------------------------------------------------------------------------- centralization


def _freeman(values: list[float], max_sum: float) -> float | None:
    """Σ(max − x_i) / its maximum over all graphs of the same size (Freeman 1979)."""
    if max_sum <= 0 or not values:
        return None
    top = max(values)
    return sum(top - x for x in values) / max_sum


def centralization_degree(G: nx.Graph) -> dict[str, float | None]:
    """Freeman (1979) degree centralization.

    .. math:: C = \\frac{\\sum_i (\\max_j x_j - x_i)}{\\max_{\\text{graphs of } n}\\sum_i(\\dots)}

    with the denominators of docs/metrics.md §3:

    * ``degree``: on the underlying undirected graph, x = number of neighbours,
      denominator (n−1)(n−2) (reached by the star); None for n < 3.
    * ``in_degree`` / ``out_degree``: on a DiGraph only (None on an undirected
      graph), denominator (n−1)² (reached by the in-star / out-star); None for n < 2.

    1 for a star, 0 for a regular graph (a cycle).  Neither networkx nor
    python-igraph 1.0 offers Freeman centralization of a given graph, hence this code.

    Examples
    --------
    >>> centralization_degree(nx.star_graph(4))["degree"]
    1.0

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual
       clarification. *Social Networks* 1(3), 215–239.
    """
    n = G.number_of_nodes()
    U = undirected(G)
    result: dict[str, float | None] = {
        "degree": _freeman([d for _, d in U.degree()], (n - 1) * (n - 2)) if n >= 3 else None,
        "in_degree": None,
        "out_degree": None,
    }
    if G.is_directed() and n >= 2:
        result["in_degree"] = _freeman([d for _, d in G.in_degree()], (n - 1) ** 2)
        result["out_degree"] = _freeman([d for _, d in G.out_degree()], (n - 1) ** 2)
    return result


def centralization_betweenness(G: nx.Graph) -> float | None:
    """Freeman (1979) betweenness centralization on raw (unnormalised) betweenness.

    Betweenness (Freeman 1977) counts, for each actor, the shares of shortest
    paths between other pairs that pass through it: unordered pairs on an
    undirected graph, ordered pairs along directed paths on a DiGraph;
    unweighted.  It is computed with Brandes' algorithm in python-igraph (C)
    and agrees with ``networkx.betweenness_centrality(normalized=False)``.
    The denominator is the sum reached by the star: (n−1)²(n−2)/2 undirected,
    (n−1)²(n−2) directed.

    Returns
    -------
    float or None
        In [0, 1]; 1 for a star (out-and-in star on a DiGraph), 0 for a cycle;
        None for n < 3.

    Examples
    --------
    >>> centralization_betweenness(nx.star_graph(4))
    1.0

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual
       clarification. *Social Networks* 1(3), 215–239.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       *Journal of Mathematical Sociology* 25(2), 163–177.
    """
    n = G.number_of_nodes()
    if n < 3:
        return None
    g = to_igraph(G, weight=None).graph
    raw = g.betweenness(directed=G.is_directed())
    max_sum = (n - 1) ** 2 * (n - 2)
    if not G.is_directed():
        max_sum /= 2
    return _freeman([float(b) for b in raw], max_sum)


# --------------------------------------------------------------------------- everything


def network_cohesion(G: nx.Graph) -> dict[str, Any]:
    """All network-level cohesion indicators of docs/metrics.md §3 in one JSON-friendly dict.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph.

    Returns
    -------
    dict
        ``directed``, ``actors``, ``ties`` (edges, or arcs on a DiGraph),
        ``density``, ``components`` (see :func:`components`), ``isolates``,
        ``bridges``, ``articulation_points``, ``average_distance``,
        ``global_efficiency``, ``reachable_share``, ``diameter`` (see
        :func:`distances`), ``transitivity``,
        ``average_clustering_low_degree_as_zero`` (networkx convention),
        ``average_clustering_low_degree_excluded`` (igraph convention),
        ``degeneracy`` (largest k-core number; None for an empty graph),
        ``centralization`` (``degree``, ``in_degree``, ``out_degree``,
        ``betweenness``) and ``krackhardt`` (see :func:`graphsvc.metrics.krackhardt.krackhardt`).
        Lists, not sets; None, never NaN.
    """
    result: dict[str, Any] = {
        "directed": G.is_directed(),
        "actors": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "density": density(G),
        "components": components(G),
        "isolates": isolates(G),
        "bridges": bridges(G),
        "articulation_points": articulation_points(G),
    }
    result.update(distances(G))
    cores = core_numbers(G)
    result.update(
        {
            "transitivity": transitivity(G),
            "average_clustering_low_degree_as_zero": average_clustering(G, "low_degree_as_zero"),
            "average_clustering_low_degree_excluded": average_clustering(G, "low_degree_excluded"),
            "degeneracy": max(cores.values(), default=None),
            "centralization": {
                **centralization_degree(G),
                "betweenness": centralization_betweenness(G),
            },
            "krackhardt": krackhardt(G),
        }
    )
    return result
