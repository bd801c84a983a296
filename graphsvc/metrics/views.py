"""Views of the analysis graph shared by several metric families.

The analysis graph (docs/metrics.md §0: a simple ``networkx.Graph`` or
``networkx.DiGraph``, no self-loops, isolates kept) is read in a few derived
forms: its underlying undirected graph, the sizes of its weak components, and
a one-time conversion to python-igraph (:class:`IGraphView`,
:func:`to_igraph`) for the metrics computed in compiled code.  They live here
so that the cohesion, Krackhardt, centrality and approximation modules can
share them without importing one another.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import cached_property
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.metrics.structural_holes import weighted_adjacency

__all__ = [
    "Structure",
    "IGraphView",
    "to_igraph",
    "as_node_dict",
    "undirected",
    "weak_component_sizes",
]

Node = Hashable


# ---------------------------------------------------------------------------------------
# networkx views
# ---------------------------------------------------------------------------------------


def undirected(G: nx.Graph) -> nx.Graph:
    """The underlying undirected graph: one edge wherever an arc runs either way.

    Examples
    --------
    >>> sorted(undirected(nx.DiGraph([("a", "b"), ("b", "a")])).edges())
    [('a', 'b')]
    """
    return G.to_undirected(as_view=True) if G.is_directed() else G


def weak_component_sizes(G: nx.Graph) -> list[int]:
    """Sizes of the weak components (connected components if undirected), descending.

    Examples
    --------
    >>> weak_component_sizes(nx.DiGraph([("a", "b"), ("c", "b"), ("d", "e")]))
    [3, 2]
    """
    if G.is_directed():
        comps = nx.weakly_connected_components(G)
    else:
        comps = nx.connected_components(G)
    return sorted((len(c) for c in comps), reverse=True)


# ---------------------------------------------------------------------------------------
# conversion to python-igraph
# ---------------------------------------------------------------------------------------


class IGraphView:
    """A networkx graph converted once: node keys <-> indices, sparse matrix, igraph graph.

    Attributes
    ----------
    nodes : list
        Node keys; index k in every array and in the igraph graph is ``nodes[k]``.
    index : dict
        {node key: index}.
    adjacency : scipy.sparse.csr_array
        Weighted adjacency matrix without self-loops (symmetric when undirected).
    graph : igraph.Graph
        The same graph in igraph, directed like the input, with a ``weight``
        edge attribute.
    directed : bool
        Whether the input was directed.
    """

    def __init__(self, nodes: list[Node], adjacency: sp.csr_array, directed: bool) -> None:
        self.nodes = nodes
        self.index = {v: k for k, v in enumerate(nodes)}
        self.adjacency = adjacency
        self.directed = directed
        coo = adjacency.tocoo()
        keep = np.ones(coo.nnz, dtype=bool) if directed else coo.row < coo.col
        self.graph = ig.Graph(
            n=len(nodes),
            edges=np.column_stack([coo.row[keep], coo.col[keep]]).tolist(),
            directed=directed,
            edge_attrs={"weight": coo.data[keep].tolist()},
        )

    @property
    def n(self) -> int:
        return len(self.nodes)

    @cached_property
    def underlying(self) -> ig.Graph:
        """The underlying simple undirected graph (an arc either way is one edge)."""
        if not self.directed:
            return self.graph
        upper = sp.triu(self.adjacency + self.adjacency.T, k=1).tocoo()
        return ig.Graph(
            n=self.n, edges=np.column_stack([upper.row, upper.col]).tolist(), directed=False
        )

    @cached_property
    def in_pattern(self) -> sp.csr_array:
        """0/1 matrix whose row v lists the in-neighbours of v (Aᵀ's pattern)."""
        T = sp.csr_array(self.adjacency.T)
        T.sort_indices()
        T.data = np.ones_like(T.data)
        return T


def to_igraph(G: nx.Graph, weight: str | None = "weight") -> IGraphView:
    """Convert the analysis graph once for every compiled metric.

    The result is not cached on ``G.graph``: a graph changed after conversion
    would silently give stale numbers.
    :func:`graphsvc.metrics.centrality.actor_metrics` converts once and reuses
    the view for every metric instead.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        A simple graph (multigraphs raise ``NetworkXNotImplemented``).
    weight : str or None
        Edge attribute carried as the igraph ``weight`` (missing = 1).

    Returns
    -------
    IGraphView

    Examples
    --------
    >>> view = to_igraph(nx.DiGraph([("p", "q", {"weight": 2.5})]))
    >>> view.nodes, view.graph.is_directed(), view.graph.es["weight"]
    (['p', 'q'], True, [2.5])
    """
    nodes, A = weighted_adjacency(G, weight)
    return IGraphView(nodes, A, G.is_directed())


def as_node_dict(view: IGraphView, values: Any, cast: type = float) -> dict[Node, Any]:
    """``{node: cast(value)}`` for per-index values in the view's node order."""
    return {v: cast(x) for v, x in zip(view.nodes, values, strict=True)}


class Structure:
    """The ties of a simple undirected networkx graph in igraph, for questions about its
    structure asked many times over: the parts left without one actor, the cut points
    once one tie is added, who is within two steps of whom.

    networkx answers each of these in Python; asked once per cut point or per candidate
    tie (graphsvc.metrics.signals, graphsvc.metrics.weaving) that is most of a page's
    work.  The answers are sets of nodes, as networkx gives them (igraph's cut points and
    components are the same sets: docs/architecture.md §12).

    Examples
    --------
    >>> s = Structure(nx.Graph([("a", "b"), ("b", "c"), ("c", "d")]))
    >>> sorted(map(sorted, s.parts_without("b")))
    [['a'], ['c', 'd']]
    >>> sorted(s.cut_points_with("a", "c")), sorted(s.within(["a"], 2))
    (['c'], ['a', 'b', 'c'])
    """

    def __init__(self, U: nx.Graph) -> None:
        self.nodes: list[Node] = list(U)
        self.index = {v: i for i, v in enumerate(self.nodes)}
        self.graph = ig.Graph(
            n=len(self.nodes), edges=[(self.index[u], self.index[v]) for u, v in U.edges()]
        )

    def parts_without(self, node: Node) -> list[set[Node]]:
        """The connected components once ``node`` and its ties are gone."""
        i = self.index[node]
        without = self.graph.copy()
        without.delete_vertices(i)  # the vertices after i move down by one
        rest = self.nodes[:i] + self.nodes[i + 1 :]
        parts: dict[int, set[Node]] = {}
        for v, part in zip(rest, without.connected_components().membership, strict=True):
            parts.setdefault(part, set()).add(v)
        return list(parts.values())

    def cut_points_with(self, a: Node, b: Node) -> set[Node]:
        """The cut points once a tie between ``a`` and ``b`` is added."""
        self.graph.add_edge(self.index[a], self.index[b])
        try:
            return {self.nodes[i] for i in self.graph.articulation_points()}
        finally:
            self.graph.delete_edges(self.graph.ecount() - 1)

    def within(self, sources: list[Node], steps: int, extra: tuple | None = None) -> set[Node]:
        """Nodes at most ``steps`` ties from any of ``sources`` (themselves included), with
        the tie ``extra`` = (a, b) added when given."""
        if not sources:
            return set()
        if extra is not None:
            self.graph.add_edge(self.index[extra[0]], self.index[extra[1]])
        try:
            found = self.graph.neighborhood([self.index[v] for v in sources], order=steps)
        finally:
            if extra is not None:
                self.graph.delete_edges(self.graph.ecount() - 1)
        return {self.nodes[i] for near in found for i in near}
