"""Actor-level centrality through igraph, checked against networkx (the reference) and by hand."""

from __future__ import annotations

import doctest
import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.metrics import approximation, views
from graphsvc.metrics import centrality as c
from graphsvc.metrics import structural_holes as sh
from graphsvc.metrics.approximation import approximate_betweenness
from graphsvc.metrics.views import to_igraph

pytestmark = pytest.mark.unit

TOL = 1e-9


def random_graph(seed: int, directed: bool, n: int = 40, m: int = 70) -> nx.Graph:
    """A sparse random graph: several components, a few isolates, string keys."""
    G = nx.gnm_random_graph(n, m, seed=seed, directed=directed)
    G.add_nodes_from([n, n + 1])  # isolates
    G.add_edges_from([(n + 2, n + 3), (n + 3, n + 4)])  # a small separate component
    G = nx.relabel_nodes(G, {v: f"v{v}" for v in G})
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.randint(1, 3))
    return G


@pytest.mark.parametrize("module", [c, views, approximation], ids=lambda m: m.__name__)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module, extraglobs={"nx": nx})
    assert result.attempted >= 2
    assert result.failed == 0


CASES = [(seed, directed) for seed in range(4) for directed in (False, True)]


def close_dicts(ours: dict, reference: dict, tol: float = TOL) -> None:
    assert ours.keys() == reference.keys()
    for v in reference:
        assert ours[v] == pytest.approx(reference[v], abs=tol, rel=tol), v


# ---------------------------------------------------------------------------------------
# equal to networkx on random graphs, directed and undirected, not connected
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "directed"), CASES)
def test_betweenness_equals_networkx(seed, directed):
    G = random_graph(seed, directed)
    assert not nx.is_weakly_connected(G) if directed else not nx.is_connected(G)
    close_dicts(c.betweenness(G), nx.betweenness_centrality(G, normalized=False))
    close_dicts(c.betweenness_normalized(G), nx.betweenness_centrality(G, normalized=True))


@pytest.mark.parametrize(("seed", "directed"), CASES)
def test_closeness_equals_networkx(seed, directed):
    G = random_graph(seed, directed)
    close_dicts(c.closeness(G), nx.closeness_centrality(G))


@pytest.mark.parametrize(("seed", "directed"), CASES)
def test_cores_cut_points_and_bridges_equal_networkx(seed, directed):
    G = random_graph(seed, directed)
    U = G.to_undirected()
    assert c.core_number(G) == nx.core_number(U)
    assert c.articulation_points(G) == set(nx.articulation_points(U))
    ours = c.bridges(G)
    assert {frozenset(e) for e in ours} == {frozenset(e) for e in nx.bridges(U)}
    assert len(ours) == len(set(ours))
    order = {v: k for k, v in enumerate(G)}
    assert all(order[u] < order[v] for u, v in ours)
    assert ours == sorted(ours, key=lambda e: (order[e[0]], order[e[1]]))


@pytest.mark.parametrize(("seed", "directed"), CASES)
def test_degrees_count_distinct_neighbours(seed, directed):
    G = random_graph(seed, directed)
    deg, ind, outd = c.degree(G), c.in_degree(G), c.out_degree(G)
    for v in G:
        if directed:
            assert deg[v] == len(set(G.predecessors(v)) | set(G.successors(v)))
            assert ind[v] == G.in_degree(v) and outd[v] == G.out_degree(v)
        else:
            assert deg[v] == ind[v] == outd[v] == G.degree(v)


def test_larger_directed_graph_equals_networkx():
    G = nx.gnm_random_graph(300, 900, seed=7, directed=True)
    close_dicts(c.betweenness(G), nx.betweenness_centrality(G, normalized=False))
    close_dicts(c.closeness(G), nx.closeness_centrality(G))


# ---------------------------------------------------------------------------------------
# hand-computed values and conventions
# ---------------------------------------------------------------------------------------


def test_by_hand_on_a_small_digraph():
    # a <-> b, c -> a, a -> d, d -> e
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "a"), ("a", "d"), ("d", "e")])
    assert c.degree(G) == {"a": 3, "b": 1, "c": 1, "d": 2, "e": 1}
    assert c.in_degree(G) == {"a": 2, "b": 1, "c": 0, "d": 1, "e": 1}
    assert c.out_degree(G) == {"a": 2, "b": 1, "c": 1, "d": 1, "e": 0}
    # Paths through a: b->d, b->e, c->b, c->d, c->e = 5; through d: a->e, b->e, c->e = 3.
    assert c.betweenness(G) == {"a": 5.0, "b": 0.0, "c": 0.0, "d": 3.0, "e": 0.0}
    norm = c.betweenness_normalized(G)
    assert norm["a"] == pytest.approx(5 / 12) and norm["d"] == pytest.approx(3 / 12)
    # Incoming closeness of e: reached by d (1), a (2), b (3), c (3): r = 4, Σd = 9, n = 5.
    assert c.closeness(G)["e"] == pytest.approx((4 / 9) * (4 / 4))
    # c is reached by no one: 0.  b is reached by a (1), c (2): (2/3) * (2/4).
    assert c.closeness(G)["c"] == 0.0
    assert c.closeness(G)["b"] == pytest.approx((2 / 3) * (2 / 4))
    # Underlying graph is a tree: every edge a bridge, a and d cut points, all cores 1.
    assert c.core_number(G) == {v: 1 for v in G}
    assert c.articulation_points(G) == {"a", "d"}
    assert c.bridges(G) == [("a", "b"), ("a", "c"), ("a", "d"), ("d", "e")]


def test_undirected_star_and_path():
    S = nx.star_graph(4)  # centre 0: on all 6 leaf pairs
    assert c.betweenness(S)[0] == 6.0
    assert c.betweenness_normalized(S)[0] == pytest.approx(1.0)
    assert c.closeness(S)[0] == pytest.approx(1.0)
    P = nx.path_graph(["a", "b", "c", "d"])
    assert c.betweenness(P) == {"a": 0.0, "b": 2.0, "c": 2.0, "d": 0.0}
    assert c.closeness(P)["a"] == pytest.approx(3 / 6)


def test_core_number_uses_the_underlying_graph_not_in_plus_out():
    # A reciprocated triangle: networkx's directed core_number counts in+out (4);
    # on the underlying undirected graph every actor has 2 neighbours.
    G = nx.DiGraph()
    for u, v in [("a", "b"), ("b", "c"), ("a", "c")]:
        G.add_edge(u, v)
        G.add_edge(v, u)
    assert c.core_number(G) == {"a": 2, "b": 2, "c": 2}
    assert nx.core_number(G) == {"a": 4, "b": 4, "c": 4}


def test_tiny_graphs():
    assert c.actor_metrics(nx.Graph()) == {}
    one = nx.Graph()
    one.add_node("x")
    row = c.actor_metrics(one)["x"]
    assert row["degree"] == 0 and row["betweenness"] == 0.0 and row["closeness"] == 0.0
    assert row["core_number"] == 0 and row["articulation_point"] is False
    assert row["constraint"] is None
    pair = nx.DiGraph([("x", "y")])
    assert c.betweenness_normalized(pair) == {"x": 0.0, "y": 0.0}
    assert c.closeness(pair) == nx.closeness_centrality(pair)
    assert c.bridges(pair) == [("x", "y")]


def test_multigraph_is_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        c.actor_metrics(nx.MultiGraph([(1, 2), (1, 2)]))


def test_to_igraph_maps_keys_and_carries_weights():
    G = nx.DiGraph()
    G.add_edge("p", "q", weight=2.5)
    G.add_edge("q", "r")
    view = to_igraph(G)
    assert view.nodes == ["p", "q", "r"] and view.index == {"p": 0, "q": 1, "r": 2}
    assert view.graph.is_directed() and view.graph.vcount() == 3
    arcs = {e.tuple: e["weight"] for e in view.graph.es}
    assert arcs == {(0, 1): 2.5, (1, 2): 1.0}
    U = nx.Graph([("p", "q", {"weight": 4.0})])
    assert [e["weight"] for e in to_igraph(U).graph.es] == [4.0]


# ---------------------------------------------------------------------------------------
# actor_metrics: one call, every metric, the same numbers as the single functions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("directed", [False, True])
def test_actor_metrics_matches_the_single_functions(directed):
    G = random_graph(5, directed)
    rows = c.actor_metrics(G)
    assert list(rows) == list(G)
    singles = {
        "degree": c.degree(G),
        "in_degree": c.in_degree(G),
        "out_degree": c.out_degree(G),
        "betweenness": c.betweenness(G),
        "betweenness_normalized": c.betweenness_normalized(G),
        "closeness": c.closeness(G),
        "core_number": c.core_number(G),
        "constraint": sh.constraint(G),
        "effective_size": sh.effective_size(G),
        "efficiency": sh.efficiency(G),
        "hierarchy": sh.hierarchy(G),
    }
    cut = c.articulation_points(G)
    for v, row in rows.items():
        assert tuple(row) == c.ACTOR_METRIC_KEYS
        assert row["articulation_point"] is (v in cut)
        for key, values in singles.items():
            if values[v] is None:
                assert row[key] is None
            else:
                assert row[key] == pytest.approx(values[v], abs=1e-12), key
            assert not (isinstance(row[key], float) and math.isnan(row[key]))


# ---------------------------------------------------------------------------------------
# relabelling the actors changes nothing
# ---------------------------------------------------------------------------------------


@st.composite
def graphs_and_relabellings(draw):
    n = draw(st.integers(min_value=1, max_value=14))
    directed = draw(st.booleans())
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    edges = draw(st.lists(pairs, max_size=3 * n, unique=True))
    weights = draw(st.lists(st.integers(1, 5), min_size=len(edges), max_size=len(edges)))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for (u, v), w in zip(edges, weights, strict=True):
        G.add_edge(u, v, weight=float(w))
    keys = draw(st.permutations([f"k{k}" for k in range(n)]))
    return G, dict(zip(range(n), keys, strict=True))


@settings(max_examples=40, deadline=None)
@given(graphs_and_relabellings())
def test_relabelling_changes_nothing(case):
    G, mapping = case
    H = nx.relabel_nodes(G, mapping)
    # Insert the nodes in another order too: results must not depend on it.
    shuffled = H.__class__()
    shuffled.add_nodes_from(sorted(H.nodes, reverse=True))
    shuffled.add_edges_from(H.edges(data=True))
    before = c.actor_metrics(G)
    for other in (H, shuffled):
        after = c.actor_metrics(other)
        for v, row in before.items():
            for key, value in row.items():
                moved = after[mapping[v]][key]
                if value is None or isinstance(value, bool | int):
                    assert moved == value, key
                else:
                    assert moved == pytest.approx(value, abs=1e-9), key
    renamed = {frozenset((mapping[u], mapping[v])) for u, v in c.bridges(G)}
    assert {frozenset(e) for e in c.bridges(shuffled)} == renamed


# ---------------------------------------------------------------------------------------
# approximate betweenness with its stated bound
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("directed", [False, True])
def test_approximate_betweenness_respects_its_bound(directed):
    G = nx.gnm_random_graph(250, 700, seed=3, directed=directed)
    exact = c.betweenness(G)
    exact_norm = c.betweenness_normalized(G)
    est = approximate_betweenness(G, epsilon=0.05, delta=0.1, seed=42)
    assert est.approximate and est.sample_size > 0
    worst = max(abs(est.values[v] - exact[v]) for v in G)
    assert worst <= est.absolute_error
    assert max(abs(est.normalized[v] - exact_norm[v]) for v in G) <= est.normalized_error
    # The estimate is informative: it is far closer than the trivial all-zero guess.
    assert worst < 0.5 * max(exact.values())


def test_approximate_betweenness_sample_size_and_scales():
    G = nx.path_graph(12)  # VD bound: BFS from node 0 has eccentricity 11 -> min(23, 12) = 12
    est = approximate_betweenness(G, epsilon=0.1, delta=0.05, seed=1)
    assert est.vertex_diameter_bound == 12
    expected_r = math.ceil(0.5 / 0.1**2 * (math.floor(math.log2(10)) + 1 + math.log(1 / 0.05)))
    assert est.sample_size == expected_r
    n = 12
    assert est.absolute_error == pytest.approx(0.1 * n * (n - 1) / 2)
    assert est.normalized_error == pytest.approx(0.1 * n / (n - 2))
    again = approximate_betweenness(G, epsilon=0.1, delta=0.05, seed=1)
    assert again == est  # same seed, same result
    assert set(est.to_dict()) >= {"values", "absolute_error", "epsilon", "delta", "sample_size"}


def test_approximate_betweenness_trivial_cases_are_exact():
    K = nx.Graph([(0, 1), (2, 3)])  # components of two: no shortest path has an inner actor
    K.add_node(4)
    est = approximate_betweenness(K, seed=0)
    assert est.vertex_diameter_bound == 2
    assert est.sample_size == 0 and set(est.values.values()) == {0.0}
    assert est.absolute_error == 0.0
    with pytest.raises(ValueError):
        approximate_betweenness(K, epsilon=0.0)
    with pytest.raises(ValueError):
        approximate_betweenness(K, delta=1.0)
