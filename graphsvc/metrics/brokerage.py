"""Gould–Fernandez brokerage roles (docs/metrics.md §1).

Actor ``v`` brokers the ordered pair ``(a, b)`` when ``a -> v -> b``, ``a != b``
and there is no arc ``a -> b``.  Each such open two-path counts once for ``v``,
in exactly one role decided by the groups of ``a``, ``v`` and ``b``:

=============== ================ ============
role            pattern a, v, b  sna column
=============== ================ ============
coordinator     A  A  A          ``w_I``
itinerant       A  B  A          ``w_O``
representative  A  A  B          ``b_IO``
gatekeeper      A  B  B          ``b_OI``
liaison         A  B  C          ``b_O``
total           any              ``t``
=============== ================ ============

The reference implementation is ``brokerage()`` of the R package ``sna``
(version 2.7); the counts here reproduce it (tests/reference/ holds its output
for fixed graphs), and so do the expected values, standard deviations and
z-scores of :mod:`graphsvc.metrics.brokerage_null`, which also holds the
permutation test.  Self-loops are ignored (sna skips them when counting but
counts them in the density; the analysis graph has none, docs/metrics.md §0).

An undirected graph is read as sna reads a symmetric matrix: every edge is two
arcs, so the density is ``2m / (N(N-1))`` and every open path counts once in each
direction (representative == gatekeeper for every actor).  Edge weights are
ignored: an arc is there or not.

No graph library implements these roles (networkx, igraph, rustworkx do not),
so we write our own.  The counting is vectorised with sparse matrix products
rather than a loop over two-paths, so that a national network of tens of
thousands of actors stays fast.  The counting helpers are shared with
:mod:`graphsvc.metrics.brokerage_null`, which recounts under shuffled labels.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = [
    "ROLES",
    "SNA_COLUMNS",
    "brokerage_roles",
    "describe_role",
]

ROLES: tuple[str, ...] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
    "total",
)
"""Role names in the column order of sna's ``brokerage()``."""

SNA_COLUMNS: dict[str, str] = dict(
    zip(ROLES, ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t"), strict=True)
)
"""sna's column name of each role (``b_IO`` is representative, ``b_OI`` gatekeeper)."""

# Upper bound on the multiply-adds of one block of the closed-two-path products;
# keeps memory flat when a hub has thousands of ties (see _closed_counts).
_BLOCK_FLOPS = 4_000_000

Node = Hashable
RoleTable = dict[Node, dict[str, Any]]


# --------------------------------------------------------------------------- public API


def brokerage_roles(G: nx.Graph, group: str = "group") -> dict[Node, dict[str, int]]:
    """Gould–Fernandez brokerage role counts of every actor.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph.  An undirected edge counts as two arcs; weights are
        ignored; self-loops are ignored.
    group : str
        Node attribute holding the actor's group (default ``"group"``).

    Returns
    -------
    dict
        ``{node: {role: count}}`` with every role of :data:`ROLES`; ``total`` is
        the sum of the other five.  Isolates get zeros.

    Raises
    ------
    ValueError
        When an actor has no group.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> nx.set_node_attributes(G, {"a": "X", "v": "Y", "b": "Y"}, "group")
    >>> brokerage_roles(G)["v"]["gatekeeper"]
    1

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. *Sociological
       Methodology* 19, 89–126.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software* 24(6); function ``brokerage()``.
    """
    nodes, A, codes, _ = _prepare(G, group)
    counts = _role_counts(A, codes)
    return _table(nodes, counts)


_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "coordinator": {
        "nl": "Deze persoon verbindt mensen binnen de eigen groep met elkaar.",
        "en": "This actor connects people within its own group.",
    },
    "itinerant": {
        "nl": "Deze persoon verbindt als buitenstaander twee mensen uit een andere groep.",
        "en": "This actor, as an outsider, connects two people of another group.",
    },
    "representative": {
        "nl": "Deze persoon brengt contacten uit de eigen groep naar een andere groep.",
        "en": "This actor carries contacts from its own group out to another group.",
    },
    "gatekeeper": {
        "nl": "Deze persoon laat contacten van buiten de eigen groep binnen.",
        "en": "This actor lets contacts from outside into its own group.",
    },
    "liaison": {
        "nl": "Deze persoon verbindt twee andere groepen en hoort zelf bij geen van beide.",
        "en": "This actor connects two other groups, neither of which is its own.",
    },
    "total": {
        "nl": "Hoe vaak deze persoon twee anderen verbindt die zelf geen direct contact hebben.",
        "en": "How often this actor links two others who have no direct tie.",
    },
}


def describe_role(role: str, lang: str = "nl") -> str:
    """One plain-language sentence explaining a brokerage role.

    Parameters
    ----------
    role : str
        One of :data:`ROLES`.
    lang : str
        ``"nl"`` (default) or ``"en"``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an unknown role or language.

    Examples
    --------
    >>> describe_role("gatekeeper", "en")
    'This actor lets contacts from outside into its own group.'
    """
    if role not in _DESCRIPTIONS:
        raise ValueError(f"unknown brokerage role {role!r}; expected one of {', '.join(ROLES)}")
    if lang not in ("nl", "en"):
        raise ValueError(f"unknown language {lang!r}; expected 'nl' or 'en'")
    return _DESCRIPTIONS[role][lang]


# --------------------------------------------------------------------------- counting


def _prepare(
    G: nx.Graph, group: str
) -> tuple[list[Node], sp.csr_array, np.ndarray, list[Hashable]]:
    """Node order, binary adjacency without loops, group codes and group labels."""
    nodes = list(G)
    labels: dict[Hashable, int] = {}
    codes = np.empty(len(nodes), dtype=np.int64)
    for i, (v, data) in enumerate(G.nodes(data=True)):
        label = data.get(group)
        if label is None:
            raise ValueError(f"actor {v!r} has no {group!r} attribute")
        codes[i] = labels.setdefault(label, len(labels))
    index = {v: i for i, v in enumerate(nodes)}
    # Successors (neighbours, if undirected) of each node; a multigraph's
    # parallel edges appear once, self-loops are dropped.
    adj = G.adj
    lengths = np.fromiter((len(adj[v]) for v in nodes), dtype=np.int64, count=len(nodes))
    cols = np.fromiter(
        (index[u] for v in nodes for u in adj[v]), dtype=np.int64, count=int(lengths.sum())
    )
    rows = np.repeat(np.arange(len(nodes)), lengths)
    keep = rows != cols
    A = sp.csr_array(
        (np.ones(int(keep.sum()), dtype=np.int64), (rows[keep], cols[keep])),
        shape=(len(nodes), len(nodes)),
    )
    return nodes, A, codes, list(labels)


class _Structure:
    """The parts of the role count that depend on the graph only, not on groups.

    Kept apart so a permutation test pays for them once.
    """

    def __init__(self, A: sp.csr_array) -> None:
        self.A = A
        self.AT = A.T.tocsr()
        self.mutual = A.multiply(A.T).tocsr()
        self.out_deg = np.asarray(A.sum(axis=1)).ravel()
        self.in_deg = np.asarray(A.sum(axis=0)).ravel()
        # Multiply-adds of row v of A^T A restricted to arcs: sum over a -> v of outdeg(a).
        self.flops = self.AT @ self.out_deg

    def counts(self, codes: np.ndarray) -> np.ndarray:
        return _role_counts(self.A, codes, self)


class _PathList:
    """Every open two-path listed once, so that new labels only need re-classifying.

    The open two-paths do not depend on the groups, so under label permutations
    classifying a stored list (a few array operations per permutation) is several
    times faster than the matrix products; used while the list fits in memory.
    """

    def __init__(self, A: sp.csr_array) -> None:
        N = A.shape[0]
        AT = A.T.tocsr()
        out_deg = np.diff(A.indptr)
        # One row per two-path a -> v -> b: each in-arc of v repeated outdeg(v) times.
        v_in = np.repeat(np.arange(N), np.diff(AT.indptr))
        reps = out_deg[v_in]
        a = np.repeat(AT.indices, reps)
        v = np.repeat(v_in, reps)
        first = np.repeat(A.indptr[v_in], reps)
        within = np.arange(len(a)) - np.repeat(np.cumsum(reps) - reps, reps)
        b = A.indices[first + within]
        # Drop a == b and the closed paths (arc a -> b present).
        src, dst = A.nonzero()
        arc_keys = np.sort(src.astype(np.int64) * N + dst)
        keys = a.astype(np.int64) * N + b
        pos = np.minimum(np.searchsorted(arc_keys, keys), max(len(arc_keys) - 1, 0))
        closed = arc_keys[pos] == keys if len(arc_keys) else np.zeros(len(keys), bool)
        keep = (a != b) & ~closed
        self.n = N
        self.a, self.v, self.b = a[keep], v[keep], b[keep]

    def counts(self, codes: np.ndarray) -> np.ndarray:
        ga, gv, gb = codes[self.a], codes[self.v], codes[self.b]
        # Role index in ROLES order, decided as sna's brokerage_R decides it.
        role = np.where(
            ga == gv,
            np.where(gv == gb, 0, 2),
            np.where(gv == gb, 3, np.where(ga == gb, 1, 4)),
        )
        out = np.zeros((self.n, len(ROLES)), dtype=np.int64)
        out[:, :5] = np.bincount(self.v * 5 + role, minlength=self.n * 5).reshape(self.n, 5)
        out[:, 5] = out[:, :5].sum(axis=1)
        return out


def _role_counts(
    A: sp.csr_array, codes: np.ndarray, structure: _Structure | None = None
) -> np.ndarray:
    """N x 6 int64 role counts (columns in :data:`ROLES` order).

    Every two-path a -> v -> b is first counted from degrees split by group
    (in-degree of v from each group times out-degree of v to each group); then
    the paths with a == b (mutual ties of v) and the closed ones (arc a -> b)
    are subtracted, each classified by the same group pattern.
    """
    N = A.shape[0]
    if N == 0:
        return np.zeros((0, len(ROLES)), dtype=np.int64)
    st = structure or _Structure(A)
    K = int(codes.max()) + 1
    member = sp.csr_array((np.ones(N, dtype=np.int64), (np.arange(N), codes)), shape=(N, K))
    # Arcs inside one group (As) and between groups (Ad).
    rows, cols = A.nonzero()
    same = codes[rows] == codes[cols]
    As = sp.csr_array(
        (np.ones(same.sum(), dtype=np.int64), (rows[same], cols[same])), shape=A.shape
    )
    Ad = sp.csr_array(
        (np.ones((~same).sum(), dtype=np.int64), (rows[~same], cols[~same])), shape=A.shape
    )

    in_same = np.asarray(As.sum(axis=0)).ravel()  # a -> v with group(a) == group(v)
    out_same = np.asarray(As.sum(axis=1)).ravel()  # v -> b with group(b) == group(v)
    in_other = st.in_deg - in_same
    out_other = st.out_deg - out_same
    # sum over groups k of (in-neighbours of v in k) * (out-neighbours of v in k)
    in_by_group = st.AT @ member
    out_by_group = A @ member
    same_group_pairs = np.asarray(in_by_group.multiply(out_by_group).sum(axis=1)).ravel()
    itinerant_pairs = same_group_pairs - in_same * out_same

    mutual_same = np.asarray(st.mutual.multiply(As).sum(axis=1)).ravel()
    mutual_other = np.asarray(st.mutual.multiply(Ad).sum(axis=1)).ravel()

    closed = _closed_counts(A, As, Ad, st.flops)

    out = np.empty((N, len(ROLES)), dtype=np.int64)
    out[:, 0] = in_same * out_same - mutual_same - closed[:, 0]
    out[:, 1] = itinerant_pairs - mutual_other - closed[:, 1]
    out[:, 2] = in_same * out_other - closed[:, 2]
    out[:, 3] = in_other * out_same - closed[:, 3]
    out[:, 4] = in_other * out_other - itinerant_pairs - closed[:, 4]
    out[:, 5] = out[:, :5].sum(axis=1)
    return out


def _closed_counts(
    A: sp.csr_array, As: sp.csr_array, Ad: sp.csr_array, flops: np.ndarray
) -> np.ndarray:
    """N x 5 counts of closed two-paths a -> v -> b (arc a -> b present) per role.

    For broker v and target b, ``(X^T Y)[v, b]`` counts the a with a -> v in X
    and a -> b in Y; masked by the arc v -> b and summed over b.  The group
    pattern fixes which of As (same group) / Ad (different groups) each of the
    three arcs is.  Brokers are processed in blocks of bounded work because
    A^T A can be dense around hubs.
    """
    N = A.shape[0]
    AsT, AdT = As.T.tocsr(), Ad.T.tocsr()
    closed = np.zeros((N, 5), dtype=np.int64)
    bounds = _blocks(flops)
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        s_any = AsT[start:stop] @ A  # a in v's group
        d_same = AdT[start:stop] @ As  # a outside v's group, a and b in one group
        d_diff = AdT[start:stop] @ Ad  # a outside v's group, a and b in different groups
        vs, vd = As[start:stop], Ad[start:stop]
        closed[start:stop, 0] = s_any.multiply(vs).sum(axis=1)
        closed[start:stop, 1] = d_same.multiply(vd).sum(axis=1)
        closed[start:stop, 2] = s_any.multiply(vd).sum(axis=1)
        closed[start:stop, 3] = d_diff.multiply(vs).sum(axis=1)
        closed[start:stop, 4] = d_diff.multiply(vd).sum(axis=1)
    return closed


def _blocks(flops: np.ndarray) -> list[int]:
    """Row boundaries so that each block does about _BLOCK_FLOPS multiply-adds."""
    N = len(flops)
    cum = np.cumsum(flops)
    bounds = [0]
    while bounds[-1] < N:
        start = bounds[-1]
        done = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, done + _BLOCK_FLOPS, side="right"))
        bounds.append(min(N, max(stop, start + 1)))
    return bounds


# --------------------------------------------------------------------------- helpers


def _row(values: np.ndarray) -> dict[str, Any]:
    """``{role: value}`` with Python numbers (ints stay ints) and NaN as ``None``."""
    return _rows(values[np.newaxis])[0]


def _rows(values: np.ndarray) -> list[dict[str, Any]]:
    rows = values.tolist()
    if values.dtype.kind == "f" and np.isnan(values).any():
        rows = [[None if x != x else x for x in row] for row in rows]
    return [dict(zip(ROLES, row, strict=True)) for row in rows]


def _table(nodes: list[Node], values: np.ndarray) -> RoleTable:
    return dict(zip(nodes, _rows(values), strict=True))
