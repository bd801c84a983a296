"""Brokerage against null models: expected values, z-scores and a permutation test.

The role counts of :mod:`graphsvc.metrics.brokerage` (docs/metrics.md §1) are
compared with two null models:

* :func:`brokerage_scores`: every arc present independently with the observed
  density, the groups held fixed (Gould & Fernandez 1989), with the closed-form
  expectations and variances of ``brokerage()`` in the R package ``sna``
  (version 2.7), which they reproduce (tests/reference/ holds its output for
  fixed graphs);
* :func:`brokerage_permutation_z`: the graph kept and the group labels shuffled
  over the actors.

Deviations from sna are deliberate and only in form: a z-score whose variance
is not positive (a role the actor's group cannot fill) is ``None`` where sna
gives ``NaN``, and self-loops are ignored (sna skips them when counting but
counts them in the density; the analysis graph has none, docs/metrics.md §0).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.metrics.brokerage import (
    ROLES,
    RoleTable,
    _PathList,
    _prepare,
    _role_counts,
    _row,
    _Structure,
    _table,
)

__all__ = [
    "BrokerageResult",
    "PermutationResult",
    "brokerage_scores",
    "brokerage_permutation_z",
]

# Largest number of open two-paths the permutation test lists in memory
# (about 60 bytes each while listing); above it, it recounts with matrix products.
_MAX_LISTED_PATHS = 2_000_000


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BrokerageResult:
    """Brokerage counts and their z-scores against a random graph of the same density.

    Attributes
    ----------
    raw, expected, sd, z : dict
        Per actor ``{node: {role: value}}`` for every role in :data:`ROLES`
        (sna's ``raw.nli``, ``exp.nli``, ``sd.nli``, ``z.nli``).  ``raw`` holds
        ints.  ``sd`` is ``None`` where sna's variance formula is negative;
        ``z`` is ``None`` wherever the variance is not positive.
    network_raw, network_expected, network_sd, network_z : dict
        Network totals ``{role: value}`` (sna's ``raw.gli``, ``exp.gli``,
        ``sd.gli``, ``z.gli``), same conventions.
    density : float or None
        ``m / (N(N-1))`` with ``m`` the number of arcs (an undirected edge is two);
        ``None`` for fewer than two actors.
    directed : bool
        Whether the input graph was directed.
    group_sizes : dict
        Number of actors per group label.
    """

    raw: RoleTable
    expected: RoleTable
    sd: RoleTable
    z: RoleTable
    network_raw: dict[str, int]
    network_expected: dict[str, float]
    network_sd: dict[str, float | None]
    network_z: dict[str, float | None]
    density: float | None
    directed: bool
    group_sizes: dict[Hashable, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: node and group keys as strings, ``None`` kept as null."""
        return {
            "directed": self.directed,
            "density": self.density,
            "group_sizes": {str(g): n for g, n in self.group_sizes.items()},
            "network": {
                "raw": dict(self.network_raw),
                "expected": dict(self.network_expected),
                "sd": dict(self.network_sd),
                "z": dict(self.network_z),
            },
            "actors": {
                str(v): {
                    "raw": self.raw[v],
                    "expected": self.expected[v],
                    "sd": self.sd[v],
                    "z": self.z[v],
                }
                for v in self.raw
            },
        }


@dataclass(frozen=True)
class PermutationResult:
    """Observed brokerage against graphs with shuffled group labels.

    Attributes
    ----------
    raw : dict
        Observed counts per actor ``{node: {role: int}}``.
    mean, sd : dict
        Mean and standard deviation of each count over the permutations.
    z : dict
        ``(raw - mean) / sd``; ``None`` when ``sd`` is 0 (the count never varied).
    p_greater : dict
        One-sided permutation p-value ``(1 + #{perm >= observed}) / (1 + n)``.
    network_raw, network_mean, network_sd, network_z, network_p_greater : dict
        The same for the network totals ``{role: value}``.
    n_permutations : int
        Number of label permutations drawn.
    seed : int or None
        Seed of the random generator, for reproducing the result.
    """

    raw: RoleTable
    mean: RoleTable
    sd: RoleTable
    z: RoleTable
    p_greater: RoleTable
    network_raw: dict[str, int]
    network_mean: dict[str, float]
    network_sd: dict[str, float]
    network_z: dict[str, float | None]
    network_p_greater: dict[str, float]
    n_permutations: int
    seed: int | None


# --------------------------------------------------------------------------- public API


def brokerage_scores(G: nx.Graph, group: str = "group") -> BrokerageResult:
    """Brokerage counts with expected values and z-scores as sna defines them.

    Expected values and variances are the moments of the counts when every arc
    is present independently with the observed density ``d = m / (N(N-1))`` and
    the groups are held fixed (Gould & Fernandez 1989), in the closed forms of
    sna's ``brokerage()``.  With ``c2 = d²(1-d)``, ``c3 = d³(1-d)³``, ``n`` the
    size of the actor's group, ``N`` the number of actors and ``n_j`` the sizes
    of the other groups, the per-actor expectations are ``c2`` times
    ``(n-1)(n-2)`` (coordinator), ``Σ n_j(n_j-1)`` (itinerant),
    ``(N-n)(n-1)`` (representative and gatekeeper),
    ``(N-n)² - Σ n_j²`` (liaison) and ``(N-1)(N-2)`` (total); each variance is
    ``E(1-c2)`` plus a covariance term in ``c3`` (see ``_actor_moments``).  The
    network-level moments add terms in ``d⁴(1-d)²`` and ``d⁵(1-d)`` (see
    ``_network_moments``).

    These z-scores answer "more brokerage than a random graph of this density";
    for "more than random group labels" use :func:`brokerage_permutation_z`.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph (see :func:`graphsvc.metrics.brokerage.brokerage_roles`).
    group : str
        Node attribute holding the actor's group.

    Returns
    -------
    BrokerageResult
        Counts, expectations, standard deviations and z-scores per actor and
        for the network.  A role the actor's group cannot fill (coordinator in
        a group of two, representative in a group of one) has expectation and
        variance 0 and z ``None``.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> nx.set_node_attributes(G, {"a": "X", "v": "Y", "b": "Y"}, "group")
    >>> r = brokerage_scores(G)
    >>> r.density, r.network_raw["gatekeeper"], r.z["v"]["coordinator"] is None
    (0.3333333333333333, 1, True)

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a
       formal approach to brokerage in transaction networks. *Sociological
       Methodology* 19, 89–126.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis, R package
       version 2.7, function ``brokerage()`` (``exp.nli``, ``sd.nli``,
       ``z.nli``, ``exp.gli``, ``sd.gli``, ``z.gli``).
    """
    nodes, A, codes, labels = _prepare(G, group)
    counts = _role_counts(A, codes)
    N = len(nodes)
    sizes = np.bincount(codes, minlength=len(labels)).astype(np.int64)
    density = A.nnz / (N * (N - 1)) if N >= 2 else None

    exp_grp, var_grp = _actor_moments(sizes, density or 0.0)
    expected = exp_grp[codes]
    var = var_grp[codes]
    sd = _sqrt_or_nan(var)
    z = _z_or_nan(counts, expected, var)

    totals = counts.sum(axis=0)
    exp_net, var_net = _network_moments(sizes, density or 0.0)
    return BrokerageResult(
        raw=_table(nodes, counts),
        expected=_table(nodes, expected),
        sd=_table(nodes, sd),
        z=_table(nodes, z),
        network_raw=_row(totals),
        network_expected=_row(exp_net),
        network_sd=_row(_sqrt_or_nan(var_net)),
        network_z=_row(_z_or_nan(totals, exp_net, var_net)),
        density=density,
        directed=G.is_directed(),
        group_sizes={g: int(s) for g, s in zip(labels, sizes, strict=True)},
    )


def brokerage_permutation_z(
    G: nx.Graph, group: str = "group", n: int = 1000, seed: int | None = None
) -> PermutationResult:
    """Brokerage against random group labels: a permutation test.

    The graph is kept; the group labels are shuffled over the actors (so every
    group keeps its size) ``n`` times, and each actor's counts are compared with
    the counts it gets under the shuffled labels.  This answers "does this actor
    broker between groups more than the network's shape alone would make it",
    which the density-based z-scores of :func:`brokerage_scores` do not.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph (see :func:`graphsvc.metrics.brokerage.brokerage_roles`).
    group : str
        Node attribute holding the actor's group.
    n : int
        Number of permutations (at least 1).
    seed : int, optional
        Seed for :func:`numpy.random.default_rng`.  Permutation ``i`` gives the
        actors, in the order of ``G.nodes``, the labels
        ``rng.permutation(labels)`` of the ``i``-th call, so a result can be
        reproduced outside this function.

    Returns
    -------
    PermutationResult
        Observed counts, permutation mean and standard deviation, z-scores
        (``None`` where the count never varies, e.g. ``total``, which does not
        depend on the labels) and one-sided p-values, per actor and for the
        network.

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989), see
       :func:`graphsvc.metrics.brokerage.brokerage_roles`.
    .. [2] Good, P. (2005). *Permutation, Parametric, and Bootstrap Tests of
       Hypotheses*, 3rd ed., Springer; the ``(1 + b) / (1 + n)`` p-value of
       Phipson, B. and Smyth, G. K. (2010), *Stat. Appl. Genet. Mol. Biol.* 9(1).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    nodes, A, codes, _ = _prepare(G, group)
    observed = _role_counts(A, codes)
    observed_net = observed.sum(axis=0)
    rng = np.random.default_rng(seed)
    actor, net = _permutation_deviations(A, codes, observed, n, rng)

    mean, sd = _mean_sd(observed, actor.s1, actor.s2, n)
    mean_net, sd_net = _mean_sd(observed_net, net.s1, net.s2, n)
    return PermutationResult(
        raw=_table(nodes, observed),
        mean=_table(nodes, mean),
        sd=_table(nodes, sd),
        z=_table(nodes, _z_or_nan(observed, mean, sd**2)),
        p_greater=_table(nodes, (1 + actor.ge) / (1 + n)),
        network_raw=_row(observed_net),
        network_mean=_row(mean_net),
        network_sd=_row(sd_net),
        network_z=_row(_z_or_nan(observed_net, mean_net, sd_net**2)),
        network_p_greater=_row((1 + net.ge) / (1 + n)),
        n_permutations=n,
        seed=seed,
    )


class _DeviationSums(NamedTuple):
    """Sums over the permutations of the deviations ``permuted - observed``."""

    s1: np.ndarray  # sum of deviations
    s2: np.ndarray  # sum of squared deviations
    ge: np.ndarray  # number of permutations with permuted >= observed


def _permutation_deviations(
    A: sp.csr_array, codes: np.ndarray, observed: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[_DeviationSums, _DeviationSums]:
    """Recount the roles under ``n`` shuffles of ``codes``; deviation sums per actor and network.

    Permutation ``i`` gives the actors the labels ``rng.permutation(codes)`` of
    the ``i``-th call.  Running sums of deviations from the observed counts are
    kept instead of n x N x 6 counts in memory; deviations keep the sums small
    and exact, so a count that never varies gets a standard deviation of
    exactly 0.  The open two-paths are listed once when they fit in memory
    (:data:`_MAX_LISTED_PATHS`); otherwise every permutation recounts with
    matrix products.
    """
    counter: _PathList | _Structure
    counter = _PathList(A) if observed[:, -1].sum() <= _MAX_LISTED_PATHS else _Structure(A)
    s1 = np.zeros(observed.shape)
    s2 = np.zeros(observed.shape)
    ge = np.zeros(observed.shape, dtype=np.int64)
    s1_net, s2_net = np.zeros(len(ROLES)), np.zeros(len(ROLES))
    ge_net = np.zeros(len(ROLES), dtype=np.int64)
    for _ in range(n):
        dev = counter.counts(rng.permutation(codes)) - observed
        s1 += dev
        s2 += dev.astype(float) ** 2
        ge += dev >= 0
        dev_net = dev.sum(axis=0)
        s1_net += dev_net
        s2_net += dev_net.astype(float) ** 2
        ge_net += dev_net >= 0
    return _DeviationSums(s1, s2, ge), _DeviationSums(s1_net, s2_net, ge_net)


# --------------------------------------------------------------------------- moments


def _actor_moments(sizes: np.ndarray, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-group expectation and variance of the six counts (K x 6), as sna computes them.

    sna's ``brokerage()`` loops over groups; the sums over the other groups are
    written here as totals minus the own group, in exact integer arithmetic.
    """
    n = [int(x) for x in sizes]
    N = sum(n)
    p1, p2 = N, sum(x * x for x in n)
    s_w = sum(x * (x - 1) for x in n)  # ordered pairs inside one group
    s_w3 = sum(x * (x - 1) * (x - 2) for x in n)
    m = [N - x for x in n]
    l1 = sum(x * mj * (mj - 1) for x, mj in zip(n, m, strict=True))
    l2 = sum(x * (2 * mj - 1) for x, mj in zip(n, m, strict=True))

    c2 = d * d * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    K = len(n)
    E = np.zeros((K, 6))
    C = np.zeros((K, 6))  # covariance part, multiplied by c3
    for i, x in enumerate(n):
        mi = m[i]
        E[i] = (
            (x - 1) * (x - 2),
            s_w - x * (x - 1),
            mi * (x - 1),
            mi * (x - 1),
            mi * mi - (p2 - x * x),
            (N - 1) * (N - 2),
        )
        # 4 * sum_{j != i} n_j * choose(N - n_j - n_i, 2), expanded in n_i.
        liaison = 2 * ((l1 - x * mi * (mi - 1)) - x * (l2 - x * (2 * mi - 1)) + x * x * (p1 - x))
        C[i] = (
            2 * (x - 1) * (x - 2) * (x - 3),
            2 * (s_w3 - x * (x - 1) * (x - 2)),
            (x - 1) * mi * (N - 3),  # = 2((n-1)C(N-n,2) + (N-n)C(n-1,2))
            (x - 1) * mi * (N - 3),
            liaison,
            2 * (N - 1) * (N - 2) * (N - 3),
        )
    exp = c2 * E
    return exp, exp * (1 - c2) + c3 * C


def _network_moments(sizes: np.ndarray, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Expectation and variance of the six network totals, as sna computes them.

    sna sums over ordered pairs and triples of distinct groups; those sums are
    written here with power sums of the group sizes (exact integers), so the
    cost is linear in the number of groups.
    """
    n = [int(x) for x in sizes]
    N = sum(n)
    p1 = N
    p2 = sum(x**2 for x in n)
    p3 = sum(x**3 for x in n)
    p4 = sum(x**4 for x in n)
    # Ordered triples of distinct groups: sum n_i n_j n_k and sum n_i^2 n_j n_k.
    P = p1**3 - 3 * p1 * p2 + 2 * p3
    Q = p2 * p1**2 - 2 * p1 * p3 + 2 * p4 - p2**2

    c2 = d * d * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    c4 = d**4 * (1 - d) ** 2
    c5 = d**5 * (1 - d)

    t = [x * (x - 1) * (x - 2) for x in n]
    e_coord = sum(t)
    v_coord = (
        c3 * sum(ti * (4 * x - 10) for ti, x in zip(t, n, strict=True))
        - c4 * sum(ti * 4 * (x - 3) for ti, x in zip(t, n, strict=True))
        + c5 * sum(ti * (x - 3) for ti, x in zip(t, n, strict=True))
    )
    w = [x * (N - x) * (x - 1) for x in n]
    e_cross = sum(w)
    # sum over i != j of n_i n_j (n_i-1) ((2n_i + 2n_j - 6) c3 + (N - n_i - 1) c5)
    v_itin = c3 * sum(
        x * (x - 1) * ((2 * x - 6) * (p1 - x) + 2 * (p2 - x * x)) for x in n
    ) + c5 * sum(x * (x - 1) * (N - x - 1) * (p1 - x) for x in n)
    v_repr = c3 * sum(wi * (N - 3) for wi in w) + c5 * sum(
        wi * (x - 2) for wi, x in zip(w, n, strict=True)
    )
    e_liaison = sum(x * ((N - x) * (p1 - x) - (p2 - x * x)) for x in n)
    v_liaison = (c3 - c4) * ((4 * N - 2) * P - 8 * Q) + c5 * ((N - 1) * P - 2 * Q)
    e_total = N * (N - 1) * (N - 2)
    v_total = e_total * ((4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5)

    exp = c2 * np.array([e_coord, e_cross, e_cross, e_cross, e_liaison, e_total], dtype=float)
    extra = np.array([v_coord, v_itin, v_repr, v_repr, v_liaison, v_total], dtype=float)
    return exp, exp * (1 - c2) + extra


# --------------------------------------------------------------------------- helpers


def _sqrt_or_nan(var: np.ndarray) -> np.ndarray:
    """Square root, NaN where the variance is negative (sna gives NaN there too)."""
    with np.errstate(invalid="ignore"):
        return np.where(var >= 0, np.sqrt(np.abs(var)), np.nan)


def _z_or_nan(obs: np.ndarray, exp: np.ndarray, var: np.ndarray) -> np.ndarray:
    """(obs - exp) / sqrt(var), NaN (later None) where var is not positive."""
    ok = var > 0
    z = np.full(np.shape(var), np.nan)
    np.divide(obs - exp, np.sqrt(np.where(ok, var, 1.0)), out=z, where=ok)
    return z


def _mean_sd(
    observed: np.ndarray, s1: np.ndarray, s2: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and population standard deviation from sums of deviations from ``observed``."""
    shift = s1 / n
    return observed + shift, np.sqrt(np.maximum(s2 / n - shift**2, 0.0))
