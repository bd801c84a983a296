"""Krackhardt's (1994) graph-theoretic dimensions of hierarchy (docs/metrics.md §3).

Connectedness, hierarchy, efficiency and least-upper-boundedness (LUBness)
measure how far an informal network departs from an out-tree, the formal
organisation chart, which scores 1 on all four.  Every function takes the
analysis graph (docs/metrics.md §0: a simple ``networkx.Graph`` or
``networkx.DiGraph``, no self-loops, isolates kept) and returns a float, or
``None`` where the measure is undefined (never NaN).  The reference
implementation is the R package ``sna``; the deliberate departures are stated
per function.

Hierarchy and LUBness follow directed paths, so they share one reachability
summary of the graph (:class:`_Reach`); connectedness and efficiency read the
weak components.  On an undirected graph every tie is read as two arcs, as in
sna.  :func:`graphsvc.metrics.cohesion.network_cohesion` reports all four
under ``krackhardt``.
"""

from __future__ import annotations

import networkx as nx

from graphsvc.metrics.views import undirected, weak_component_sizes

__all__ = [
    "krackhardt",
    "krackhardt_connectedness",
    "krackhardt_hierarchy",
    "krackhardt_efficiency",
    "krackhardt_lubness",
]


# --------------------------------------------------------------------------- reachability


class _Reach:
    """Reachability of a graph summarised on its condensation (strong components).

    Why our own code: neither networkx nor python-igraph implements Krackhardt's
    dimensions, and the R reference (sna) builds the full n × n reachability
    matrix.  Actors of one strong component reach exactly the same actors, so
    we keep one ancestor and one descendant set per strong component, as Python
    integers used as bit sets (bit = actor), filled in one topological sweep of
    the condensation: O(k·n/64) words of memory for k strong components.
    Bits are laid out in topological order of the components, so the highest
    set bit of a set of ancestors is its member latest in that order.
    """

    def __init__(self, G: nx.Graph) -> None:
        D = G if G.is_directed() else G.to_directed(as_view=True)
        C = nx.condensation(D)
        order = list(nx.topological_sort(C))
        self.size = {c: len(C.nodes[c]["members"]) for c in C}
        self.bits: dict[int, int] = {}
        self.scc_at: list[int] = []  # bit position -> strong component
        for c in order:
            start = len(self.scc_at)
            self.scc_at.extend([c] * self.size[c])
            self.bits[c] = ((1 << self.size[c]) - 1) << start
        self.anc: dict[int, int] = {}  # the component's members and everyone reaching them
        for c in order:
            acc = self.bits[c]
            for p in C.predecessors(c):
                acc |= self.anc[p]
            self.anc[c] = acc
        self.desc: dict[int, int] = {}  # the component's members and everyone they reach
        for c in reversed(order):
            acc = self.bits[c]
            for s in C.successors(c):
                acc |= self.desc[s]
            self.desc[c] = acc
        mapping = C.graph["mapping"]
        U = undirected(G)
        self.weak: list[list[int]] = [
            sorted({mapping[v] for v in comp}) for comp in nx.connected_components(U)
        ]


# --------------------------------------------------------------------------- measures


def krackhardt_connectedness(G: nx.Graph) -> float | None:
    """Krackhardt (1994) connectedness: share of pairs joined by a semipath.

    .. math:: \\text{connectedness} = 1 - \\frac{V}{n(n-1)/2}

    where V is the number of unordered pairs in different weak components.
    Equals ``sna::connectedness``.

    Returns
    -------
    float or None
        1 for a weakly connected graph; None for n < 2 (sna returns 1 by convention).

    Examples
    --------
    >>> krackhardt_connectedness(nx.DiGraph([("a", "b"), ("c", "d")]))
    0.3333333333333333

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley & M. J. Prietula (eds.), *Computational
       Organization Theory*, 89–111. Hillsdale, NJ: Lawrence Erlbaum.
    .. [2] Butts, C. T. R package sna, ``connectedness()``.
    """
    n = G.number_of_nodes()
    if n < 2:
        return None
    joined = sum(s * (s - 1) // 2 for s in weak_component_sizes(G))
    return joined / (n * (n - 1) / 2)


def _hierarchy(reach: _Reach) -> float | None:
    mutual = sum(s * (s - 1) // 2 for s in reach.size.values())
    one_way = sum(s * (reach.desc[c].bit_count() - s) for c, s in reach.size.items())
    if mutual + one_way == 0:
        return None
    return 1 - mutual / (mutual + one_way)


def krackhardt_hierarchy(G: nx.Graph) -> float | None:
    """Krackhardt (1994) hierarchy: how far reachability runs one way only.

    .. math:: \\text{hierarchy} = 1 - \\frac{V}{\\max V}

    where V is the number of unordered pairs that reach each other by directed
    paths (both in one strong component) and max V the number of pairs in
    which at least one reaches the other.  Equals
    ``sna::hierarchy(measure = "krackhardt")`` (1 − dyadic non-null reciprocity
    of the reachability matrix); note that sna's *default* measure is plain
    reciprocity, which is something else.

    Returns
    -------
    float or None
        1 for an out-tree or any acyclic graph, 0 when every reachable pair
        reaches back (a directed cycle; every undirected graph); None when no
        actor reaches another (no ties).

    Examples
    --------
    >>> krackhardt_hierarchy(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b")]))
    0.6666666666666667

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley & M. J. Prietula (eds.), *Computational
       Organization Theory*, 89–111. Hillsdale, NJ: Lawrence Erlbaum.
    .. [2] Butts, C. T. R package sna, ``hierarchy(measure = "krackhardt")``.
    """
    return _hierarchy(_Reach(G))


def krackhardt_efficiency(G: nx.Graph) -> float | None:
    """Krackhardt (1994) efficiency as R ``sna::efficiency`` defines it.

    .. math:: \\text{efficiency} = 1 - \\frac{a - \\sum_i (N_i - 1)}{\\sum_i (N_i - 1)^2}

    over the weak components of sizes N_i, where a counts *arcs*: a tie of an
    undirected graph counts as two arcs, as in sna's (symmetric) adjacency
    matrix.  Σ(N_i − 1) is the number of arcs a graph needs to keep its weak
    components connected; Σ(N_i − 1)² = Σ N_i(N_i − 1) − (N_i − 1) is the
    largest possible surplus.  UCINET's version counts undirected edges
    against a maximum of (N−1)(N−2)/2 and gives other numbers; we follow sna
    throughout this module.

    Returns
    -------
    float or None
        1 for an out-tree (or any forest of arcs), lower as redundant arcs are
        added; None when every weak component is a single actor.

    Examples
    --------
    >>> krackhardt_efficiency(nx.cycle_graph(5, create_using=nx.DiGraph))
    0.9375

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley & M. J. Prietula (eds.), *Computational
       Organization Theory*, 89–111. Hillsdale, NJ: Lawrence Erlbaum.
    .. [2] Butts, C. T. R package sna, ``efficiency()``.
    """
    sizes = weak_component_sizes(G)
    arcs = G.number_of_edges() * (1 if G.is_directed() else 2)
    required = sum(s - 1 for s in sizes)
    max_surplus = sum((s - 1) ** 2 for s in sizes)
    if max_surplus == 0:
        return None
    return 1 - (arcs - required) / max_surplus


def _lubness(reach: _Reach) -> float | None:
    violations = 0
    max_violations = 0
    anc, bits, size, scc_at = reach.anc, reach.bits, reach.size, reach.scc_at
    for comp in reach.weak:
        n_comp = sum(size[c] for c in comp)
        if n_comp < 3:
            continue
        max_violations += (n_comp - 1) * (n_comp - 2) // 2
        # Pairs inside one strong component, and pairs where one reaches the
        # other, always have a LUB (the upper one); only incomparable pairs of
        # components are checked.
        for idx, a in enumerate(comp):
            anc_a, bits_a = anc[a], bits[a]
            for b in comp[idx + 1 :]:
                anc_b = anc[b]
                if anc_b & bits_a or anc_a & bits[b]:
                    continue
                common = anc_a & anc_b
                # The common upper bounds are closed upwards; a least one exists
                # iff they are exactly the ancestors of one of them, and that
                # one must be the last of them in topological order.
                if not common or anc[scc_at[common.bit_length() - 1]] != common:
                    violations += size[a] * size[b]
    if max_violations == 0:
        return None
    return 1 - violations / max_violations


def krackhardt_lubness(G: nx.Graph) -> float | None:
    """Krackhardt (1994) least-upper-boundedness.

    Actor k is an upper bound of i and j when directed paths run from k to i
    and from k to j (k may be i or j itself).  An upper bound ℓ is the *least*
    upper bound when every other upper bound of i and j reaches ℓ: the
    "nearest common boss" of an organisation chart.  With V the number of
    unordered pairs (within a weak component) that have no least upper bound,

    .. math:: \\text{LUBness} = 1 - \\frac{V}{\\sum_i (N_i - 1)(N_i - 2)/2}

    over the weak components of size N_i ≥ 3 (sna's current denominator,
    Krackhardt's maximum for a weakly connected graph, reached by an in-star).

    This follows Krackhardt and the documentation of ``sna::lubness``.  Note
    that sna's compiled routine (``lubness_con_R``) instead accepts an upper
    bound that reaches all the others, i.e. the *top* common boss; the two
    agree on out-trees but not on "matrix" structures where an actor has two
    bosses under one head (i and j both report to A and to B, who both report
    to R): there (i, j) has no least upper bound, which Krackhardt counts as a
    violation and that routine does not.

    Returns
    -------
    float or None
        1 for an out-tree; None when no weak component has three or more actors
        (sna returns NaN).

    Examples
    --------
    >>> krackhardt_lubness(nx.DiGraph([("r", "a"), ("r", "b"), ("a", "c")]))
    1.0
    >>> krackhardt_lubness(nx.DiGraph([("a", "c"), ("b", "c"), ("d", "c")]))
    0.0

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley & M. J. Prietula (eds.), *Computational
       Organization Theory*, 89–111. Hillsdale, NJ: Lawrence Erlbaum.
    .. [2] Butts, C. T. R package sna, ``lubness()`` (documentation).
    """
    return _lubness(_Reach(G))


def krackhardt(G: nx.Graph) -> dict[str, float | None]:
    """All four of Krackhardt's (1994) graph-theoretic dimensions.

    An out-tree (the formal organisation chart) scores 1 on all four.  They
    are meant for directed graphs; on an undirected graph every tie is read
    as two arcs, as in sna, so hierarchy is 0 and LUBness 1.

    Returns
    -------
    dict
        ``connectedness`` (:func:`krackhardt_connectedness`), ``hierarchy``
        (:func:`krackhardt_hierarchy`), ``efficiency``
        (:func:`krackhardt_efficiency`, sna's formula), ``lubness``
        (:func:`krackhardt_lubness`).

    References
    ----------
    .. [1] Krackhardt, D. (1994). Graph theoretical dimensions of informal
       organizations. In K. M. Carley & M. J. Prietula (eds.), *Computational
       Organization Theory*, 89–111. Hillsdale, NJ: Lawrence Erlbaum.
    """
    reach = _Reach(G)
    return {
        "connectedness": krackhardt_connectedness(G),
        "hierarchy": _hierarchy(reach),
        "efficiency": krackhardt_efficiency(G),
        "lubness": _lubness(reach),
    }
