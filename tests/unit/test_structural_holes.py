"""Burt's structural-hole measures (docs/metrics.md §2) against published and hand-computed values,
against igraph and a slow direct transcription of the formulas, and the networkx traps."""

from __future__ import annotations

import math
import random

import igraph as ig
import networkx as nx
import pytest

from graphsvc.metrics import structural_holes as sh
from graphsvc.metrics.centrality import actor_metrics

pytestmark = pytest.mark.unit

MEASURES = ("constraint", "effective_size", "efficiency", "hierarchy")
FUNCS = {
    "constraint": sh.constraint,
    "effective_size": sh.effective_size,
    "efficiency": sh.efficiency,
    "hierarchy": sh.hierarchy,
}


# ---------------------------------------------------------------------------------------
# an independent, slow transcription of docs/metrics.md §2 (dicts and loops, no matrices)
# ---------------------------------------------------------------------------------------


def slow_burt(G: nx.Graph, weight: str | None = "weight") -> dict[str, dict]:
    def w(u, v):
        if not G.has_edge(u, v) or u == v:
            return 0.0
        return 1.0 if weight is None else float(G[u][v].get(weight, 1.0))

    def m(u, v):  # mutual weight
        return w(u, v) + w(v, u)

    def contacts(i):
        if G.is_directed():
            found = set(G.predecessors(i)) | set(G.successors(i))
        else:
            found = set(G.neighbors(i))
        found.discard(i)
        return found

    def p(i, j):
        total = sum(m(i, k) for k in contacts(i))
        return m(i, j) / total

    out = {name: {} for name in MEASURES}
    for i in G:
        Ci = contacts(i)
        if not Ci:
            for name in MEASURES:
                out[name][i] = None
            continue
        c = {}
        for j in Ci:
            c[j] = (p(i, j) + sum(p(i, q) * p(q, j) for q in Ci if q != j)) ** 2
        es = 0.0
        for j in Ci:
            maxj = max(m(j, k) for k in contacts(j))
            es += 1.0 - sum(p(i, q) * m(j, q) / maxj for q in Ci if q != j)
        N = len(Ci)
        C = sum(c.values())
        out["constraint"][i] = C
        out["effective_size"][i] = es
        out["efficiency"][i] = es / N
        if N == 1:
            out["hierarchy"][i] = None
        else:
            mean = C / N
            disorder = sum((c[j] / mean) * math.log(c[j] / mean) for j in Ci)
            out["hierarchy"][i] = disorder / (N * math.log(N))
    return out


def assert_close(ours: dict, expected: dict, tol: float = 1e-9) -> None:
    assert ours.keys() == expected.keys()
    for v, e in expected.items():
        if e is None:
            assert ours[v] is None, v
        else:
            assert ours[v] == pytest.approx(e, abs=tol, rel=tol), v


def random_digraph(seed: int, n: int = 25, m: int = 60, weighted: bool = True) -> nx.DiGraph:
    rng = random.Random(seed)
    G = nx.DiGraph()
    G.add_nodes_from(f"a{k}" for k in range(n))
    while G.number_of_edges() < m:
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v:
            G.add_edge(f"a{u}", f"a{v}", weight=float(rng.randint(1, 4)) if weighted else 1.0)
    for k in range(3):  # actors that only receive ties (the networkx trap)
        for u in rng.sample(range(n), k + 1):
            G.add_edge(f"a{u}", f"sink{k}", weight=float(rng.randint(1, 4)) if weighted else 1.0)
    return G


def receive_only(G: nx.DiGraph) -> list:
    return [v for v in G if G.in_degree(v) > 0 and G.out_degree(v) == 0]


# ---------------------------------------------------------------------------------------
# published values (docs/metrics.md §2; networkx's test values from UCINET; Borgatti 1997)
# ---------------------------------------------------------------------------------------

UCINET = nx.DiGraph([(0, 1), (0, 2), (1, 0), (2, 1)])
# A-B, A-F, A-G, A-E, E-G, F-G, B-G, B-D, D-G, G-C
BORGATTI = nx.Graph([tuple(pair) for pair in "AB AF AG AE EG FG BG BD DG GC".split()])


def printed(value: float, text: str) -> bool:
    """True when value rounds to the published figure exactly as printed."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return round(value, decimals) == float(text)


@pytest.mark.parametrize("via", ["functions", "actor_metrics"])
def test_ucinet_digraph_published(via):
    values = _all_measures(UCINET, via)
    for v, text in {0: "1.003", 1: "1.003", 2: "1.389"}.items():
        assert printed(values["constraint"][v], text)
    for v, text in {0: "1.167", 1: "1.167", 2: "1.0"}.items():
        assert printed(values["effective_size"][v], text)


@pytest.mark.parametrize("via", ["functions", "actor_metrics"])
def test_borgatti_example_published(via):
    values = _all_measures(BORGATTI, via)
    for v, text in {"G": "0.400", "A": "0.595", "C": "1"}.items():
        assert printed(values["constraint"][v], text)
    for v, text in {"G": "4.67", "A": "2.50", "C": "1"}.items():
        assert printed(values["effective_size"][v], text)


def _all_measures(G, via):
    if via == "functions":
        return {name: FUNCS[name](G) for name in MEASURES}
    per_actor = actor_metrics(G)
    return {name: {v: row[name] for v, row in per_actor.items()} for name, _ in FUNCS.items()}


# ---------------------------------------------------------------------------------------
# hand-computed values
# ---------------------------------------------------------------------------------------


def test_ucinet_digraph_by_hand():
    # m01 = 2, m02 = 1, m12 = 1: p01 = 2/3, p02 = 1/3, p10 = 2/3, p12 = 1/3, p20 = p21 = 1/2.
    # C0: (2/3 + 1/3*1/2)^2 + (1/3 + 2/3*1/3)^2 = 25/36 + 25/81 = 325/324.
    # C2: 2 * (1/2 + 1/2*2/3)^2 = 25/18.
    # ES0: (1 - 1/3 * 1/2) + (1 - 2/3 * 1) = 7/6;  ES2: (1 - 1/2) + (1 - 1/2) = 1.
    c = sh.constraint(UCINET)
    assert_close(c, {0: 325 / 324, 1: 325 / 324, 2: 25 / 18})
    assert_close(sh.effective_size(UCINET), {0: 7 / 6, 1: 7 / 6, 2: 1.0})
    assert_close(sh.efficiency(UCINET), {0: 7 / 12, 1: 7 / 12, 2: 0.5})
    # Hierarchy of 0: c01 = 25/36, c02 = 25/81, mean 325/648 -> r = 18/13, 8/13.
    h0 = (18 / 13 * math.log(18 / 13) + 8 / 13 * math.log(8 / 13)) / (2 * math.log(2))
    assert_close(sh.hierarchy(UCINET), {0: h0, 1: h0, 2: 0.0})


def test_borgatti_example_by_hand():
    # Unweighted undirected: ES = n - 2t/n.  A: n=4 contacts, t=3 ties among them;
    # G: n=6, t=4 (A-B, A-F, A-E, B-D); C: a single contact.
    es = sh.effective_size(BORGATTI)
    assert es["A"] == pytest.approx(4 - 6 / 4, abs=1e-12)
    assert es["G"] == pytest.approx(6 - 8 / 6, abs=1e-12)
    assert es["C"] == pytest.approx(1.0, abs=1e-12)
    assert sh.constraint(BORGATTI)["C"] == pytest.approx(1.0, abs=1e-12)


def test_triangle():
    T = nx.Graph([("a", "b"), ("b", "c"), ("a", "c")])
    # p = 1/2 everywhere: c_ij = (1/2 + 1/4)^2 = 9/16, twice: 9/8.
    assert_close(sh.constraint(T), {v: 1.125 for v in T})
    assert_close(sh.effective_size(T), {v: 1.0 for v in T})
    assert_close(sh.efficiency(T), {v: 0.5 for v in T})
    assert_close(sh.hierarchy(T), {v: 0.0 for v in T})


def test_hierarchy_by_hand_unequal_contacts():
    # a has contacts b, c (tied to each other) and d: p = 1/3 each, p_cb = p_bc = 1/2.
    # c_ab = c_ac = (1/3 + 1/3*1/2)^2 = 1/4, c_ad = 1/9; C = 11/18, mean 11/54.
    G = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")])
    r1, r2 = 27 / 22, 12 / 22
    expected_a = (2 * r1 * math.log(r1) + r2 * math.log(r2)) / (3 * math.log(3))
    h = sh.hierarchy(G)
    assert h["a"] == pytest.approx(expected_a, abs=1e-12)
    assert h["d"] is None  # one contact: undefined (documented convention)
    assert sh.constraint(G)["a"] == pytest.approx(11 / 18, abs=1e-12)


def test_star_centre_has_zero_hierarchy_and_full_efficiency():
    S = nx.star_graph(5)
    assert sh.hierarchy(S)[0] == pytest.approx(0.0, abs=1e-12)
    assert sh.efficiency(S)[0] == pytest.approx(1.0, abs=1e-12)
    assert sh.constraint(S)[0] == pytest.approx(5 * (1 / 5) ** 2, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_unweighted_undirected_effective_size_is_borgatti(seed):
    G = nx.gnm_random_graph(30, 70, seed=seed)
    es = sh.effective_size(G, weight=None)
    for v in G:
        n = G.degree(v)
        if n == 0:
            assert es[v] is None
            continue
        t = nx.ego_graph(G, v, center=False).number_of_edges()
        assert es[v] == pytest.approx(n - 2 * t / n, abs=1e-9)


# ---------------------------------------------------------------------------------------
# directed, weighted, receive-only: vs the slow transcription and vs igraph
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_directed_weighted_against_slow_transcription(seed):
    G = random_digraph(seed)
    G.add_node("isolate")
    assert receive_only(G), "the test graph must have actors that only receive ties"
    expected = slow_burt(G)
    for name in MEASURES:
        assert_close(FUNCS[name](G), expected[name])
    per_actor = actor_metrics(G)
    for name in MEASURES:
        assert_close({v: row[name] for v, row in per_actor.items()}, expected[name])


@pytest.mark.parametrize("seed", range(3))
def test_undirected_weighted_against_slow_transcription(seed):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(30, 60, seed=seed)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.choice([0.5, 1.0, 2.0, 3.0])
    expected = slow_burt(G)
    for name in MEASURES:
        assert_close(FUNCS[name](G), expected[name])


@pytest.mark.parametrize("seed", range(5))
def test_constraint_equals_igraph_on_directed_weighted(seed):
    G = random_digraph(seed)
    nodes = list(G)
    index = {v: k for k, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges], directed=True)
    g.es["weight"] = [w for _, _, w in G.edges(data="weight")]
    reference = dict(zip(nodes, g.constraint(weights="weight"), strict=True))
    ours = sh.constraint(G)
    via_matrices = sh.burt_measures(*reversed(sh.weighted_adjacency(G))).as_dict("constraint")
    for v in nodes:
        if math.isnan(reference[v]):
            assert ours[v] is None and via_matrices[v] is None
        else:
            assert ours[v] == pytest.approx(reference[v], abs=1e-12)
            assert via_matrices[v] == pytest.approx(reference[v], abs=1e-12)
    for v in receive_only(G):
        assert ours[v] is not None


def test_receive_only_actor_by_hand():
    # z only receives: x -> z (weight 2), y -> z (weight 1), x -> y (weight 1).
    G = nx.DiGraph()
    G.add_weighted_edges_from([("x", "z", 2.0), ("y", "z", 1.0), ("x", "y", 1.0)])
    # z: p_zx = 2/3, p_zy = 1/3; p_xy = 1/3 (x: m_xz=2, m_xy=1); p_yx = 1/2 (y: m_yz=1, m_yx=1).
    # c_zx = (2/3 + 1/3*1/2)^2 = 25/36, c_zy = (1/3 + 2/3*1/3)^2 = 25/81.
    assert sh.constraint(G)["z"] == pytest.approx(25 / 36 + 25 / 81, abs=1e-12)
    # ES_z: j=x: 1 - p_zy * m_xy / max_x(=2) = 1 - 1/6; j=y: 1 - p_zx * m_yx / max_y(=1) = 1/3.
    assert sh.effective_size(G)["z"] == pytest.approx(5 / 6 + 1 / 3, abs=1e-12)


# ---------------------------------------------------------------------------------------
# undefined values, conventions and input checks
# ---------------------------------------------------------------------------------------


def test_isolates_and_single_contacts():
    G = nx.DiGraph([("a", "b")])
    G.add_node("lonely")
    for name in MEASURES:
        assert FUNCS[name](G)["lonely"] is None
    assert sh.constraint(G)["b"] == pytest.approx(1.0)
    assert sh.effective_size(G)["b"] == pytest.approx(1.0)
    assert sh.hierarchy(G)["b"] is None
    assert sh.constraint(nx.Graph()) == {}
    values = actor_metrics(G)["lonely"]
    assert [values[name] for name in MEASURES] == [None] * 4


def test_no_nan_ever():
    G = random_digraph(11)
    G.add_nodes_from(["i1", "i2"])
    for name in MEASURES:
        for value in FUNCS[name](G).values():
            assert value is None or math.isfinite(value)


def test_weight_none_and_unit_weights_agree_and_scale_does_not_matter():
    G = random_digraph(3)
    unit = G.copy()
    nx.set_edge_attributes(unit, 1.0, "weight")
    scaled = G.copy()
    for u, v in scaled.edges:
        scaled[u][v]["weight"] *= 7.5
    for name in MEASURES:
        assert_close(FUNCS[name](G, weight=None), FUNCS[name](unit))
        assert_close(FUNCS[name](scaled), FUNCS[name](G))


def test_self_loops_are_ignored():
    G = random_digraph(4)
    looped = G.copy()
    looped.add_edge("a0", "a0", weight=5.0)
    looped.add_edge("a3", "a3", weight=1.0)
    for name in MEASURES:
        assert_close(FUNCS[name](looped), FUNCS[name](G))


def test_bad_input_is_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        sh.effective_size(nx.MultiDiGraph([(1, 2), (1, 2)]))
    with pytest.raises(ValueError):
        sh.constraint(nx.Graph([(1, 2, {"weight": 0.0})]))
    with pytest.raises(ValueError):
        sh.hierarchy(nx.DiGraph([(1, 2, {"weight": -1.0})]))


# ---------------------------------------------------------------------------------------
# the networkx 3.6 traps of docs/metrics.md §2 exist, and we avoid them
# ---------------------------------------------------------------------------------------

_NX = tuple(int(x) for x in nx.__version__.split(".")[:2])
networkx_36 = pytest.mark.skipif(
    _NX != (3, 6), reason="traps verified on networkx 3.6; re-check them on upgrade"
)


@networkx_36
def test_trap_effective_size_without_nodes_is_wrong_on_directed_weighted():
    G = random_digraph(2)
    trap = nx.effective_size(G, weight="weight")
    truth = slow_burt(G)["effective_size"]
    ours = sh.effective_size(G)
    assert_close(ours, truth)
    wrong = [v for v in G if truth[v] is not None and abs(trap[v] - truth[v]) > 1e-6]
    assert len(wrong) >= 5, wrong
    # Even the published UCINET digraph (unweighted) comes out wrong: 4/3 instead of 7/6.
    assert nx.effective_size(UCINET)[0] == pytest.approx(4 / 3)
    assert sh.effective_size(UCINET)[0] == pytest.approx(7 / 6)


@networkx_36
def test_trap_nodes_argument_gives_nan_for_receive_only_actors():
    G = random_digraph(1)
    sinks = receive_only(G)
    assert sinks
    es_trap = nx.effective_size(G, nodes=sinks, weight="weight")
    c_trap = nx.constraint(G, nodes=sinks, weight="weight")
    truth = slow_burt(G)
    ours_es, ours_c = sh.effective_size(G), sh.constraint(G)
    for v in sinks:
        assert math.isnan(es_trap[v]) and math.isnan(c_trap[v])
        assert ours_es[v] == pytest.approx(truth["effective_size"][v], abs=1e-9)
        assert ours_c[v] == pytest.approx(truth["constraint"][v], abs=1e-9)


@networkx_36
def test_trap_self_loops_distort_networkx_constraint():
    T = nx.Graph([("a", "b"), ("b", "c"), ("a", "c")])
    looped = T.copy()
    looped.add_edge("a", "a")
    assert nx.constraint(looped)["a"] != pytest.approx(1.125)
    assert sh.constraint(looped)["a"] == pytest.approx(1.125)
