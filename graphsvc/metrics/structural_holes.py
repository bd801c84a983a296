"""Burt's structural-hole measures: constraint, effective size, efficiency, hierarchy.

Definitions (docs/metrics.md §2; Burt 1992, ch. 2; Borgatti 1997).  The contacts of
actor i are C(i) = predecessors ∪ successors of i.  With the mutual weight
m_ij = w_ij + w_ji and the proportional tie strength p_ij = m_ij / Σ_{k∈C(i)} m_ik:

- constraint      C_i  = Σ_{j∈C(i)} c_ij,  c_ij = (p_ij + Σ_{q∈C(i), q≠j} p_iq p_qj)²
- effective size  ES_i = Σ_{j∈C(i)} (1 − Σ_{q∈C(i), q≠j} p_iq m_jq / max_k m_jk)
- efficiency      ES_i / |C(i)|
- hierarchy       H_i  = Σ_{j∈C(i)} r_ij ln r_ij / (N ln N),  r_ij = c_ij / (C_i / N),  N = |C(i)|

Every measure is undefined (None) for an isolate; hierarchy is also undefined
for an actor with a single contact (see :func:`hierarchy`).

Why not networkx: in networkx 3.6 ``effective_size`` without ``nodes=`` gives
wrong values on directed or weighted graphs, and ``effective_size`` /
``constraint`` with ``nodes=`` return NaN for actors that only receive ties
(docs/metrics.md §2, shown in tests/unit/test_structural_holes.py).  networkx and
igraph have no hierarchy.  So all four are computed here from one vectorised
pass over sparse matrices (:func:`burt_measures`); :func:`constraint` alone uses
python-igraph's compiled ``Graph.constraint``, which is the same formula (the
tests check equality on directed weighted graphs) and faster when constraint is
the only thing asked for.

Input is the analysis graph of docs/metrics.md §0: a simple ``nx.Graph`` or
``nx.DiGraph`` with positive ``weight`` on the edges.  Self-loops are ignored
(§0 strips them; they would distort constraint); multigraphs are refused
(collapse parallel ties first, §0.2).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = [
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "burt_measures",
    "BurtMeasures",
    "weighted_adjacency",
]

Node = Hashable


def weighted_adjacency(
    G: nx.Graph, weight: str | None = "weight"
) -> tuple[list[Node], sp.csr_array]:
    """The weighted adjacency matrix of ``G`` in node order, without self-loops.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        A simple graph (the analysis graph).
    weight : str or None
        Edge attribute holding the weight; a missing attribute counts as 1,
        ``None`` makes every tie weigh 1.

    Returns
    -------
    nodes : list
        The nodes in ``G``'s order; row/column k of the matrix is ``nodes[k]``.
    A : scipy.sparse.csr_array
        ``A[u, v]`` is the weight of arc u→v (symmetric for an undirected graph).

    Raises
    ------
    ValueError
        If a weight is not a finite number > 0 (docs/metrics.md §0).
    """
    if G.is_multigraph():
        raise nx.NetworkXNotImplemented(
            "not implemented for multigraphs: collapse parallel ties first (docs/metrics.md §0)"
        )
    nodes = list(G)
    index = {v: k for k, v in enumerate(nodes)}
    n = len(nodes)
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    wts = np.ones(m, dtype=np.float64)
    edges = G.edges(data=weight, default=1.0) if weight else ((u, v, 1.0) for u, v in G.edges)
    k = 0
    for u, v, w in edges:
        if u == v:
            continue
        src[k], dst[k], wts[k] = index[u], index[v], w
        k += 1
    src, dst, wts = src[:k], dst[:k], wts[:k]
    if not np.all(np.isfinite(wts)) or np.any(wts <= 0):
        raise ValueError("tie weights must be finite numbers > 0 (docs/metrics.md §0)")
    if not G.is_directed():
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
        wts = np.concatenate([wts, wts])
    A = sp.csr_array((wts, (src, dst)), shape=(n, n), dtype=np.float64)
    A.sort_indices()
    return nodes, A


@dataclass(frozen=True)
class BurtMeasures:
    """The four structural-hole measures for every actor, as arrays in node order.

    Undefined entries are NaN here (an isolate; hierarchy with one contact);
    :meth:`as_dicts` turns them into None.
    """

    nodes: list[Node]
    contacts: np.ndarray  # N_i = |C(i)|
    constraint: np.ndarray
    effective_size: np.ndarray
    efficiency: np.ndarray
    hierarchy: np.ndarray

    def as_dict(self, name: str) -> dict[Node, float | None]:
        """One measure as {node: float or None}."""
        values = getattr(self, name)
        return {
            v: (None if math.isnan(x) else float(x))
            for v, x in zip(self.nodes, values, strict=True)
        }


def burt_measures(A: sp.csr_array, nodes: list[Node]) -> BurtMeasures:
    """Constraint, effective size, efficiency and hierarchy from a weighted adjacency matrix.

    One vectorised pass: with M = A + Aᵀ (mutual weights) and P its
    row-normalised form, the contact-level constraint is
    c = (P + (P @ P) ∘ B)² on the pattern B of M, and the redundancy of the
    contacts is ((P @ Rᵀ) ∘ B) with R = M divided by its row maxima.  Since
    P_ii = 0 (no self-loops), the products already leave out q = i and q = j,
    as Burt's sums do.  For an undirected graph M = 2A, which leaves every
    proportion unchanged (and doubling is exact in floating point).

    Parameters
    ----------
    A : scipy.sparse.csr_array
        Weighted adjacency matrix without self-loops (:func:`weighted_adjacency`).
    nodes : list
        Node keys in the matrix order.

    Returns
    -------
    BurtMeasures

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
       Competition*. Harvard University Press, pp. 51–55 (effective size,
       efficiency), 54–55 (constraint), 70–71 (hierarchy).
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. *Connections* 20(1), 35–38.
    """
    n = A.shape[0]
    M = sp.csr_array(A + A.T)
    M.sort_indices()
    contacts = np.diff(M.indptr).astype(np.float64)
    rows = np.repeat(np.arange(n), np.diff(M.indptr))
    total = np.asarray(M.sum(axis=1)).ravel()
    defined = contacts > 0

    P = M.copy()
    P.data = P.data / total[rows]
    B = M.copy()
    B.data = np.ones_like(B.data)

    # (P@P)∘B keeps the indirect terms on the contacts only; P > 0 there, so the
    # sum has exactly one stored entry per (actor, contact).
    local = sp.csr_array(P + (P @ P).multiply(B))
    local_rows = np.repeat(np.arange(n), np.diff(local.indptr))
    c_ij = local.data**2
    cons = np.bincount(local_rows, weights=c_ij, minlength=n)

    rowmax = np.zeros(n)
    np.maximum.at(rowmax, rows, M.data)
    R = M.copy()
    R.data = R.data / rowmax[rows]
    redundancy = np.asarray((P @ R.T).multiply(B).sum(axis=1)).ravel()
    esize = contacts - redundancy

    # Hierarchy: Coleman–Theil disorder of the c_ij around their mean C_i / N.
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = c_ij / (cons[local_rows] / contacts[local_rows])
        numer = np.bincount(local_rows, weights=ratio * np.log(ratio), minlength=n)
        hier = numer / (contacts * np.log(contacts))
        eff = esize / contacts
    nan = np.full(n, np.nan)
    return BurtMeasures(
        nodes=nodes,
        contacts=contacts,
        constraint=np.where(defined, cons, nan),
        effective_size=np.where(defined, esize, nan),
        efficiency=np.where(defined, eff, nan),
        hierarchy=np.where(contacts >= 2, hier, nan),
    )


def _measures(G: nx.Graph, weight: str | None) -> BurtMeasures:
    nodes, A = weighted_adjacency(G, weight)
    return burt_measures(A, nodes)


def constraint(G: nx.Graph, weight: str | None = "weight") -> dict[Node, float | None]:
    """Burt's constraint of every actor: C_i = Σ_{j∈C(i)} (p_ij + Σ_{q≠i,j} p_iq p_qj)².

    Contacts are in- and out-neighbours together, weighted by mutual weight
    m_ij = w_ij + w_ji (docs/metrics.md §2).  Constraint can exceed 1 (a triangle
    gives 1.125).  Computed by python-igraph's ``Graph.constraint`` (C), which
    implements this formula for directed and weighted graphs; it equals
    :func:`burt_measures` to rounding (tests) and is faster when constraint is
    all that is asked.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.
    weight : str or None
        Edge attribute with the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        {node: float}, None for an isolate (no contacts: undefined).

    Examples
    --------
    >>> G = nx.DiGraph([(0, 1), (0, 2), (1, 0), (2, 1)])
    >>> {v: round(c, 3) for v, c in constraint(G).items()}
    {0: 1.003, 1: 1.003, 2: 1.389}

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, pp. 54–55.
    .. [2] Burt, R. S. (2004). Structural holes and good ideas. *American
       Journal of Sociology* 110(2), 349–399.
    .. [3] igraph_constraint, igraph C library, src/properties/constraint.c.
    """
    nodes, A = weighted_adjacency(G, weight)
    coo = A.tocoo()
    keep = coo.row < coo.col if not G.is_directed() else slice(None)
    g = ig.Graph(
        n=len(nodes),
        edges=np.column_stack([coo.row[keep], coo.col[keep]]).tolist(),
        directed=G.is_directed(),
    )
    values = g.constraint(weights=coo.data[keep].tolist())
    return {v: (None if math.isnan(x) else float(x)) for v, x in zip(nodes, values, strict=True)}


def effective_size(G: nx.Graph, weight: str | None = "weight") -> dict[Node, float | None]:
    """Burt's effective size: ES_i = Σ_{j∈C(i)} (1 − Σ_{q∈C(i), q≠j} p_iq m_jq / max_k m_jk).

    The non-redundant part of an actor's contacts.  For an unweighted
    undirected graph this is Borgatti's n − 2t/n (n contacts, t ties among
    them).  m_jq / max_k m_jk is j's mutual weight with q relative to j's
    strongest tie with anyone (Burt 1992, p. 52).

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.
    weight : str or None
        Edge attribute with the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        {node: float}, None for an isolate.

    Examples
    --------
    >>> G = nx.DiGraph([(0, 1), (0, 2), (1, 0), (2, 1)])
    >>> {v: round(e, 3) for v, e in effective_size(G).items()}
    {0: 1.167, 1: 1.167, 2: 1.0}

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, pp. 51–53.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's
       redundancy measures. *Connections* 20(1), 35–38.
    """
    return _measures(G, weight).as_dict("effective_size")


def efficiency(G: nx.Graph, weight: str | None = "weight") -> dict[Node, float | None]:
    """Burt's efficiency: effective size divided by the number of contacts |C(i)|.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.
    weight : str or None
        Edge attribute with the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        {node: float in (0, 1]}, None for an isolate.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, p. 53.
    """
    return _measures(G, weight).as_dict("efficiency")


def hierarchy(G: nx.Graph, weight: str | None = "weight") -> dict[Node, float | None]:
    """Burt's hierarchy: how much of an actor's constraint is concentrated in one contact.

    The Coleman–Theil disorder index over the contact-level constraints c_ij:
    H_i = Σ_{j∈C(i)} r_ij ln r_ij / (N ln N), with r_ij = c_ij / (C_i / N) and
    N = |C(i)|.  0 when every contact constrains equally, towards 1 when one
    contact holds all the constraint.

    With a single contact (N = 1) the index is 0/0: the one contact is both
    "all the constraint" and "an equal share".  We report it as undefined
    (None), as UCINET's Structural Holes routine reports undefined measures
    as missing by default [3]_; note that JUNG's StructuralHoles.hierarchy
    returns 1.0 in that case instead [4]_.  Isolates are None as well.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph.
    weight : str or None
        Edge attribute with the tie weight (missing = 1); None for unweighted.

    Returns
    -------
    dict
        {node: float in [0, 1)} for actors with at least two contacts, else None.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")])
    >>> round(hierarchy(G)["a"], 4), hierarchy(G)["d"]
    (0.0522, None)

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, pp. 70–71.
    .. [2] Theil, H. (1967). *Economics and Information Theory*. North-Holland;
       Coleman, J. S. (1964). *Introduction to Mathematical Sociology*. Free Press.
    .. [3] Borgatti, Everett & Freeman, UCINET 6 help, "Networks > Ego networks >
       Structural holes" (option "Undefined values", default missing).
    .. [4] JUNG 2, ``edu.uci.ics.jung.algorithms.metrics.StructuralHoles.hierarchy``.
    """
    return _measures(G, weight).as_dict("hierarchy")
