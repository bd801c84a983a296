"""Betweenness estimated from sampled shortest paths, with a guaranteed error bound.

For very large graphs, and only when asked (docs/metrics.md §5), the exact
Brandes betweenness of :mod:`graphsvc.metrics.centrality` is replaced by the
Riondato & Kornaropoulos (2016) estimate: a sample of shortest paths whose
size follows from a VC-dimension bound, so that every actor's estimate is
within a stated error of the exact value with a stated probability.
:func:`graphsvc.metrics.centrality.actor_metrics` reports such an estimate in
place of the exact values when given one.

Input is the analysis graph of docs/metrics.md §0; ties are unweighted here,
as for the exact betweenness.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.metrics.views import IGraphView, as_node_dict, to_igraph

__all__ = [
    "ApproximateBetweenness",
    "approximate_betweenness",
]

Node = Hashable

#: The universal constant of the VC-dimension sample bound, as Riondato &
#: Kornaropoulos (2016) use it (after Löffler & Phillips 2009).
_RK_C = 0.5


@dataclass(frozen=True)
class ApproximateBetweenness:
    """Estimated betweenness with its error bound.

    With probability at least ``1 − delta``, *every* actor's estimate is within
    ``absolute_error`` of its exact raw betweenness (and within
    ``normalized_error`` of its exact normalised betweenness) at once.
    """

    values: dict[Node, float]  # same scale as centrality.betweenness()
    normalized: dict[Node, float]  # same scale as centrality.betweenness_normalized()
    absolute_error: float
    normalized_error: float
    epsilon: float
    delta: float
    sample_size: int
    vertex_diameter_bound: int
    approximate: bool = True
    method: str = "Riondato & Kornaropoulos (2016), shortest-path sampling"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def approximate_betweenness(
    G: nx.Graph, epsilon: float = 0.05, delta: float = 0.1, seed: int | None = None
) -> ApproximateBetweenness:
    """Betweenness estimated from sampled shortest paths, with a guaranteed error bound.

    Riondato & Kornaropoulos (2016): draw r ordered pairs (s, t), s ≠ t,
    uniformly; for each pair with a path, pick one shortest s–t path uniformly
    and credit 1/r to each of its inner actors.  The estimate b̃(v) of the
    pair-averaged betweenness b(v) = Σ_{s≠t} σ_st(v)/σ_st / (n(n−1)) satisfies
    |b̃(v) − b(v)| <= epsilon for all v at once with probability >= 1 − delta when

        r = ⌈(c / epsilon²) (⌊log₂(VD − 2)⌋ + 1 + ln(1/delta))⌉,   c = 0.5,

    where VD bounds the number of actors on any shortest path.  We bound VD by
    2·ecc(x) + 1 from one BFS per component (undirected) or by the size of the
    largest weakly connected component (directed: no cheap tighter bound is
    valid).  The returned error bounds are epsilon rescaled to the raw and the
    normalised scales.  Use it only where the exact
    :func:`graphsvc.metrics.centrality.betweenness` is too slow: it costs
    about r breadth-first searches against n for the exact one.

    Parameters
    ----------
    G : nx.Graph or nx.DiGraph
        The analysis graph (unweighted).
    epsilon : float
        Additive error on the pair-averaged scale, 0 < epsilon < 1.
    delta : float
        Probability that the bound fails, 0 < delta < 1.
    seed : int, optional
        Seed of the sampler (same seed, same result).

    Returns
    -------
    ApproximateBetweenness
        Estimates on the raw and normalised scales, the error bounds, the
        sample size and the VD bound used.

    Examples
    --------
    >>> est = approximate_betweenness(nx.path_graph(["a", "b", "c", "d"]), epsilon=0.2, seed=1)
    >>> est.sample_size, abs(est.values["b"] - 2.0) <= est.absolute_error  # b's exact value: 2
    (54, True)

    References
    ----------
    .. [1] Riondato, M. & Kornaropoulos, E. M. (2016). Fast approximation of
       betweenness centrality through sampling. *Data Mining and Knowledge
       Discovery* 30(2), 438–475.
    .. [2] Löffler, M. & Phillips, J. M. (2009). Shape fitting on point sets
       with probability distributions. *ESA 2009*, LNCS 5757, 313–324.
    """
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise ValueError("epsilon and delta must lie strictly between 0 and 1")
    view = to_igraph(G, weight=None)
    n = view.n
    vd = _vertex_diameter_bound(view)
    # Scale from the pair-averaged b(v) to raw counts and to networkx normalisation.
    raw_scale = n * (n - 1) / (1.0 if view.directed else 2.0)
    norm_scale = n / (n - 2) if n > 2 else 0.0
    if n < 3 or vd <= 2:  # no shortest path has an inner actor: exactly 0
        zeros = {v: 0.0 for v in view.nodes}
        return ApproximateBetweenness(dict(zeros), dict(zeros), 0.0, 0.0, epsilon, delta, 0, vd)
    r = math.ceil(_RK_C / epsilon**2 * (math.floor(math.log2(vd - 2)) + 1 + math.log(1.0 / delta)))
    b = _sampled_betweenness(view, r, seed)
    return ApproximateBetweenness(
        values=as_node_dict(view, b * raw_scale),
        normalized=as_node_dict(view, b * norm_scale),
        absolute_error=epsilon * raw_scale,
        normalized_error=epsilon * norm_scale,
        epsilon=epsilon,
        delta=delta,
        sample_size=r,
        vertex_diameter_bound=vd,
    )


def _sampled_betweenness(view: IGraphView, r: int, seed: int | None) -> np.ndarray:
    """Pair-averaged betweenness estimated from r uniformly drawn ordered pairs s != t.

    Each actor gets the share of the r sampled shortest paths it lies inside.
    """
    n = view.n
    rng = np.random.default_rng(seed)
    sources = rng.integers(n, size=r)
    targets = rng.integers(n - 1, size=r)
    targets = targets + (targets >= sources)  # uniform over t != s
    counts = _sample_inner_counts(view, sources, targets, rng)
    return counts / r


def _vertex_diameter_bound(view: IGraphView) -> int:
    """An upper bound on the number of actors on any shortest path."""
    if view.n == 0:
        return 0
    if view.directed:
        return max(view.graph.connected_components(mode="weak").sizes())
    comps = view.graph.connected_components()
    members = [c for c in comps if len(c) > 1]
    if not members:
        return 1
    ecc = view.graph.eccentricity(vertices=[c[0] for c in members])
    return int(max(min(2 * int(e) + 1, len(c)) for e, c in zip(ecc, members, strict=True)))


def _sample_inner_counts(
    view: IGraphView, sources: np.ndarray, targets: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Count, per actor, the sampled shortest paths it lies inside.

    Breadth-first searches run for many sources at once as sparse-times-dense
    products (level-synchronous BFS counting shortest paths σ), which numpy
    does far faster than one Python BFS per source; igraph exposes no σ.
    """
    n = view.n
    T = view.in_pattern
    counts = np.zeros(n)
    unique, column = np.unique(sources, return_inverse=True)
    batch = max(1, (1 << 22) // max(n, 1))  # about 32 MB per n×batch float array
    for start in range(0, len(unique), batch):
        dist, sigma = _bfs_counts(T, unique[start : start + batch])
        for i in np.flatnonzero((column >= start) & (column < start + batch)):
            col = column[i] - start
            w = int(targets[i])
            while dist[w, col] > 1:  # walk back to s, one uniform predecessor at a time
                preds = T.indices[T.indptr[w] : T.indptr[w + 1]]
                preds = preds[dist[preds, col] == dist[w, col] - 1]
                cum = np.cumsum(sigma[preds, col])
                w = int(preds[np.searchsorted(cum, rng.random() * cum[-1], side="right")])
                counts[w] += 1.0
    return counts


def _bfs_counts(T: sp.csr_array, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distances (−1: unreachable) and shortest-path counts from each source, n × k."""
    n, k = T.shape[0], len(sources)
    cols = np.arange(k)
    dist = np.full((n, k), -1, dtype=np.int32)
    sigma = np.zeros((n, k))
    dist[sources, cols] = 0
    sigma[sources, cols] = 1.0
    frontier = sigma.copy()
    level = 0
    while True:
        level += 1
        reached = T @ frontier
        new = (reached > 0) & (dist < 0)
        if not new.any():
            return dist, sigma
        dist[new] = level
        sigma[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
