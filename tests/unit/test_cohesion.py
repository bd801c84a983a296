"""Known values for graphsvc.metrics.cohesion (docs/metrics.md §3)."""

from __future__ import annotations

import doctest
import json
import math
import random
from itertools import combinations

import igraph as ig
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.metrics import cohesion
from graphsvc.metrics import krackhardt as krackhardt_module
from graphsvc.metrics.cohesion import (
    articulation_points,
    average_clustering,
    bridges,
    centralization_betweenness,
    centralization_degree,
    components,
    core_numbers,
    density,
    distances,
    global_efficiency,
    isolates,
    network_cohesion,
    transitivity,
)
from graphsvc.metrics.krackhardt import (
    krackhardt,
    krackhardt_connectedness,
    krackhardt_efficiency,
    krackhardt_hierarchy,
    krackhardt_lubness,
)

pytestmark = pytest.mark.unit


# --------------------------------------------------------------------------- fixtures


def kite() -> nx.Graph:
    """Triangle a-b-c with a tail c-d-e and an isolate z."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")])
    G.add_node("z")
    return G


def out_tree() -> nx.DiGraph:
    """Binary out-tree of 7: r -> a, b; a -> a1, a2; b -> b1, b2."""
    return nx.DiGraph([("r", "a"), ("r", "b"), ("a", "a1"), ("a", "a2"), ("b", "b1"), ("b", "b2")])


def diamond() -> nx.DiGraph:
    """A matrix organisation: i and j both report to A and to B, who report to R."""
    return nx.DiGraph([("R", "A"), ("R", "B"), ("A", "i"), ("A", "j"), ("B", "i"), ("B", "j")])


def directed_cycle(n: int) -> nx.DiGraph:
    return nx.cycle_graph([f"v{i}" for i in range(n)], create_using=nx.DiGraph)


# --------------------------------------------------------------------------- docs


def test_docstring_examples_run() -> None:
    result = doctest.testmod(cohesion, extraglobs={"nx": nx})
    assert result.attempted > 10
    assert result.failed == 0


def test_krackhardt_docstring_examples_run() -> None:
    result = doctest.testmod(krackhardt_module, extraglobs={"nx": nx})
    assert result.attempted >= 5
    assert result.failed == 0


# --------------------------------------------------------------------------- density, components


def test_density_undirected_and_directed() -> None:
    # kite: n = 6, m = 5 -> 2*5 / (6*5) = 1/3
    assert density(kite()) == pytest.approx(1 / 3)
    # out-tree: n = 7, m = 6 arcs -> 6 / (7*6) = 1/7
    assert density(out_tree()) == pytest.approx(1 / 7)
    for G in (kite(), out_tree(), nx.gnp_random_graph(30, 0.2, seed=1, directed=True)):
        assert density(G) == pytest.approx(nx.density(G))


def test_density_undefined_below_two_actors() -> None:
    assert density(nx.Graph()) is None
    G = nx.DiGraph()
    G.add_node("a")
    assert density(G) is None


def test_components_directed() -> None:
    # a <-> b -> c, d -> e, isolate z.  Weak: {a,b,c}, {d,e}, {z};
    # strong: {a,b}, then five singletons.  Largest weak share 3/6.
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("d", "e")])
    G.add_node("z")
    assert components(G) == {
        "weak_count": 3,
        "weak_sizes": [3, 2, 1],
        "strong_count": 5,
        "strong_sizes": [2, 1, 1, 1, 1],
        "largest_component_share": 0.5,
    }


def test_components_undirected_and_empty() -> None:
    c = components(kite())
    assert c["weak_sizes"] == c["strong_sizes"] == [5, 1]
    assert c["largest_component_share"] == pytest.approx(5 / 6)
    assert components(nx.Graph())["largest_component_share"] is None


def test_isolates_bridges_articulation_points() -> None:
    G = kite()
    assert isolates(G) == ["z"]
    # The triangle has no bridge; the tail c-d-e is two bridges; c and d cut.
    assert bridges(G) == [["c", "d"], ["d", "e"]]
    assert articulation_points(G) == ["c", "d"]
    # Directed: read on the underlying undirected graph; the mutual pair a<->b is one edge.
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    assert bridges(D) == [["a", "b"], ["b", "c"]]
    assert articulation_points(D) == ["b"]


def test_bridges_match_networkx_on_random_graph() -> None:
    G = nx.gnm_random_graph(60, 70, seed=3)
    G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    assert {frozenset(b) for b in bridges(G)} == {frozenset(b) for b in nx.bridges(G)}
    assert set(articulation_points(G)) == set(nx.articulation_points(G))


# --------------------------------------------------------------------------- distances


def test_distances_directed_by_hand() -> None:
    # a -> b -> c, plus isolate z: ordered pairs 4*3 = 12.
    # Reachable: (a,b)=1, (b,c)=1, (a,c)=2 -> average (1+1+2)/3 = 4/3.
    # Efficiency (1 + 1 + 1/2) / 12 = 2.5/12.
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    G.add_node("z")
    d = distances(G)
    assert d["average_distance"] == pytest.approx(4 / 3)
    assert d["global_efficiency"] == pytest.approx(2.5 / 12)
    assert d["reachable_share"] == pytest.approx(3 / 12)
    assert d["diameter"] == 2


def test_distances_undirected_match_networkx() -> None:
    G = nx.connected_watts_strogatz_graph(40, 4, 0.2, seed=5)
    d = distances(G)
    assert d["average_distance"] == pytest.approx(nx.average_shortest_path_length(G))
    assert d["global_efficiency"] == pytest.approx(nx.global_efficiency(G))
    assert d["diameter"] == nx.diameter(G)
    # Not connected: networkx's global efficiency already treats 1/inf as 0.
    H = kite()
    assert global_efficiency(H) == pytest.approx(nx.global_efficiency(H))


def test_distances_directed_disconnected_match_bruteforce() -> None:
    G = nx.gnp_random_graph(25, 0.07, seed=11, directed=True)
    lengths = [d for s, row in nx.shortest_path_length(G) for t, d in row.items() if s != t]
    n = G.number_of_nodes()
    d = distances(G)
    assert d["average_distance"] == pytest.approx(sum(lengths) / len(lengths))
    assert d["global_efficiency"] == pytest.approx(sum(1 / x for x in lengths) / (n * (n - 1)))


def test_distances_undefined() -> None:
    G = nx.Graph()
    G.add_nodes_from(["a", "b"])
    d = distances(G)
    assert d["average_distance"] is None and d["diameter"] is None
    assert d["global_efficiency"] == 0.0
    assert distances(nx.Graph())["global_efficiency"] is None


# --------------------------------------------------------------------------- clustering


def test_clustering_conventions_by_hand() -> None:
    # kite: local clustering a = 1, b = 1, c = 1/3 (1 of its 3 neighbour pairs tied),
    # d = 0 (neighbours c, e untied), e and z have degree < 2.
    # networkx convention: (1 + 1 + 1/3 + 0 + 0 + 0) / 6 = 7/18
    # igraph convention:   (1 + 1 + 1/3 + 0) / 4 = 7/12
    G = kite()
    assert average_clustering(G) == pytest.approx(7 / 18)
    assert average_clustering(G, "low_degree_excluded") == pytest.approx(7 / 12)
    # transitivity: 3 * 1 triangle / triples (a:1, b:1, c:3, d:1) = 3/6
    assert transitivity(G) == pytest.approx(0.5)


def test_clustering_conventions_match_libraries() -> None:
    G = nx.gnp_random_graph(50, 0.08, seed=2)
    assert average_clustering(G) == pytest.approx(nx.average_clustering(G))
    g = ig.Graph.from_networkx(G)
    assert average_clustering(G, "low_degree_excluded") == pytest.approx(
        g.transitivity_avglocal_undirected(mode="nan")
    )
    assert transitivity(G) == pytest.approx(nx.transitivity(G))
    # networkx's count_zeros=False is a third convention: it also drops degree>=2 zeros.
    assert average_clustering(G, "low_degree_excluded") != pytest.approx(
        nx.average_clustering(G, count_zeros=False)
    )


def test_clustering_of_digraph_uses_underlying_graph() -> None:
    # a -> b, b -> a, b -> c, c -> a: underlying triangle.
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")])
    assert transitivity(D) == 1.0
    assert average_clustering(D) == 1.0


def test_clustering_undefined_cases() -> None:
    G = nx.Graph([("a", "b")])
    assert transitivity(G) is None  # no connected triple
    assert average_clustering(G) == 0.0  # both actors count as 0
    assert average_clustering(G, "low_degree_excluded") is None  # nobody left
    assert average_clustering(nx.Graph()) is None
    assert transitivity(nx.star_graph(3)) == 0.0  # triples but no triangle
    with pytest.raises(ValueError):
        average_clustering(G, "zeros")


def test_core_numbers() -> None:
    # triangle -> 2-core; the tail and the isolate are in the 1-core and 0-core.
    assert core_numbers(kite()) == {"a": 2, "b": 2, "c": 2, "d": 1, "e": 1, "z": 0}


# --------------------------------------------------------------------------- centralization


@pytest.mark.parametrize("n", [3, 5, 12])
def test_freeman_centralization_star_is_one_cycle_is_zero(n: int) -> None:
    star = nx.star_graph(n - 1)
    assert centralization_degree(star)["degree"] == pytest.approx(1.0)
    assert centralization_betweenness(star) == pytest.approx(1.0)
    cycle = nx.cycle_graph(n)
    assert centralization_degree(cycle)["degree"] == pytest.approx(0.0)
    assert centralization_betweenness(cycle) == pytest.approx(0.0)


def test_freeman_centralization_directed_stars() -> None:
    n = 6
    out_star = nx.DiGraph([("c", f"l{i}") for i in range(n - 1)])
    c = centralization_degree(out_star)
    assert c["out_degree"] == pytest.approx(1.0)
    # in-degrees: c 0, leaves 1 -> sum(1 - x) = 1 over (n-1)^2 = 25
    assert c["in_degree"] == pytest.approx(1 / 25)
    assert c["degree"] == pytest.approx(1.0)
    assert centralization_betweenness(out_star) == 0.0  # nobody lies between two others
    both_ways = nx.DiGraph(out_star)
    both_ways.add_edges_from((v, u) for u, v in out_star.edges())
    assert centralization_betweenness(both_ways) == pytest.approx(1.0)
    cycle = directed_cycle(n)
    assert centralization_degree(cycle)["in_degree"] == 0.0
    assert centralization_betweenness(cycle) == pytest.approx(0.0)


def test_freeman_centralization_by_hand() -> None:
    # Path a-b-c-d: degrees 1,2,2,1 -> sum(2 - x) = 2; (n-1)(n-2) = 6 -> 1/3.
    # Betweenness (raw, unordered pairs): b 2 (a-c, a-d), c 2, ends 0
    # -> sum(2 - x) = 4 over (n-1)^2 (n-2) / 2 = 9 -> 4/9.
    P = nx.path_graph(["a", "b", "c", "d"])
    assert centralization_degree(P) == {
        "degree": pytest.approx(1 / 3),
        "in_degree": None,
        "out_degree": None,
    }
    assert centralization_betweenness(P) == pytest.approx(4 / 9)
    assert centralization_betweenness(nx.path_graph(2)) is None
    assert centralization_degree(nx.path_graph(2))["degree"] is None


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_centralization_matches_networkx(directed: bool) -> None:
    G = nx.gnp_random_graph(40, 0.1, seed=7, directed=directed)
    raw = nx.betweenness_centrality(G, normalized=False)
    n = G.number_of_nodes()
    top = max(raw.values())
    max_sum = (n - 1) ** 2 * (n - 2) / (1 if directed else 2)
    expected = sum(top - b for b in raw.values()) / max_sum
    assert centralization_betweenness(G) == pytest.approx(expected)


# --------------------------------------------------------------------------- Krackhardt


def lubness_bruteforce(G: nx.DiGraph, sna_routine: bool = False) -> float | None:
    """The literal definition (sna's documentation), pair by pair.

    With ``sna_routine=True`` it mimics sna's C routine lubness_con_R instead,
    which accepts an upper bound that reaches every other upper bound.
    """
    reaches = {v: nx.descendants(G, v) | {v} for v in G}
    violations = 0
    maximum = 0
    for comp in nx.weakly_connected_components(G):
        if len(comp) < 3:
            continue
        maximum += (len(comp) - 1) * (len(comp) - 2) / 2
        for i, j in combinations(comp, 2):
            ub = [k for k in comp if i in reaches[k] and j in reaches[k]]
            if sna_routine:
                ok = any(all(k in reaches[lub] for k in ub) for lub in ub)
            else:
                ok = any(all(lub in reaches[k] for k in ub) for lub in ub)
            violations += not ok
    return None if maximum == 0 else 1 - violations / maximum


def hierarchy_bruteforce(G: nx.DiGraph) -> float | None:
    reaches = {v: nx.descendants(G, v) for v in G}
    mutual = one_way = 0
    for i, j in combinations(G, 2):
        ij, ji = j in reaches[i], i in reaches[j]
        mutual += ij and ji
        one_way += ij != ji
    return None if mutual + one_way == 0 else 1 - mutual / (mutual + one_way)


def test_krackhardt_out_tree_is_perfect_hierarchy() -> None:
    # 7 actors, 6 arcs = the 6 required: efficiency 1 - 0/36 = 1.
    assert krackhardt(out_tree()) == {
        "connectedness": 1.0,
        "hierarchy": 1.0,
        "efficiency": 1.0,
        "lubness": 1.0,
    }


def test_krackhardt_directed_cycle() -> None:
    # One strong component: every pair reaches both ways -> hierarchy 0;
    # 5 arcs, 4 required, max surplus (5-1)^2 = 16 -> efficiency 1 - 1/16;
    # every pair has every actor as upper bound, each reaching all -> LUBness 1.
    assert krackhardt(directed_cycle(5)) == {
        "connectedness": 1.0,
        "hierarchy": 0.0,
        "efficiency": pytest.approx(15 / 16),
        "lubness": 1.0,
    }


def test_krackhardt_matrix_organisation() -> None:
    # Diamond R -> A, B -> i, j.  Acyclic -> hierarchy 1.
    # 6 arcs, 4 required, max surplus 16 -> efficiency 1 - 2/16 = 0.875.
    # Pairs: 10; only (i, j) lacks a LUB (upper bounds A, B, R; A and B do not
    # reach each other).  Max violations (5-1)(5-2)/2 = 6 -> LUBness 1 - 1/6.
    G = diamond()
    k = krackhardt(G)
    assert k["hierarchy"] == 1.0
    assert k["efficiency"] == pytest.approx(0.875)
    assert k["lubness"] == pytest.approx(5 / 6)
    assert lubness_bruteforce(G) == pytest.approx(5 / 6)
    # sna's compiled routine takes R (who reaches all upper bounds) and reports 1.
    assert lubness_bruteforce(G, sna_routine=True) == 1.0


def test_krackhardt_in_star_has_no_upper_bounds() -> None:
    # Leaves a, b, d -> c: the 3 leaf pairs have no upper bound; max (4-1)(4-2)/2 = 3.
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("d", "c")])
    assert krackhardt_lubness(G) == 0.0
    assert krackhardt_hierarchy(G) == 1.0


def test_krackhardt_disconnected_and_undefined() -> None:
    # Two disjoint arcs: 2 joined pairs of 6 -> 1/3; no component of 3 -> LUBness None.
    G = nx.DiGraph([("a", "b"), ("c", "d")])
    assert krackhardt_connectedness(G) == pytest.approx(1 / 3)
    assert krackhardt_lubness(G) is None
    # required 2 arcs, surplus 0 over max 1 + 1 -> 1
    assert krackhardt_efficiency(G) == 1.0
    E = nx.DiGraph()
    E.add_nodes_from(["a", "b"])
    assert krackhardt(E) == {
        "connectedness": 0.0,
        "hierarchy": None,
        "efficiency": None,
        "lubness": None,
    }
    assert krackhardt_connectedness(nx.DiGraph()) is None


def test_krackhardt_undirected_reads_ties_as_two_arcs() -> None:
    # Undirected path of 4: 3 edges = 6 arcs, 3 required, max 9 -> 1 - 3/9.
    P = nx.path_graph(["a", "b", "c", "d"])
    assert krackhardt(P) == {
        "connectedness": 1.0,
        "hierarchy": 0.0,
        "efficiency": pytest.approx(2 / 3),
        "lubness": 1.0,
    }


def random_dag(n: int, p: float, seed: int) -> nx.DiGraph:
    """Arcs only from lower to higher index: many incomparable pairs, many violations."""
    rnd = random.Random(seed)
    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(n))
    G.add_edges_from(
        (f"n{i}", f"n{j}") for i in range(n) for j in range(i + 1, n) if rnd.random() < p
    )
    return G


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape", ["gnp", "dag"])
def test_krackhardt_matches_bruteforce_on_random_digraphs(seed: int, shape: str) -> None:
    if shape == "gnp":
        G = nx.gnp_random_graph(14, 0.12, seed=seed, directed=True)
        G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    else:
        G = random_dag(14, 0.15, seed)
    assert krackhardt_lubness(G) == pytest.approx(lubness_bruteforce(G))
    assert krackhardt_hierarchy(G) == pytest.approx(hierarchy_bruteforce(G))
    # Connectedness as sna computes it: density of the weak reachability matrix.
    reach = sum(1 for i, j in combinations(G, 2) if nx.has_path(G.to_undirected(), i, j))
    assert krackhardt_connectedness(G) == pytest.approx(reach / (14 * 13 / 2))


# --------------------------------------------------------------------------- everything


def test_network_cohesion_is_json_and_complete() -> None:
    G = nx.gnp_random_graph(30, 0.08, seed=4, directed=True)
    G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    G.add_node("lonely")
    result = network_cohesion(G)
    text = json.dumps(result, allow_nan=False)  # no NaN, no sets
    assert json.loads(text) == result
    assert "lonely" in result["isolates"]
    assert result["centralization"]["betweenness"] == pytest.approx(centralization_betweenness(G))
    assert result["krackhardt"]["lubness"] == pytest.approx(lubness_bruteforce(G))
    assert set(result) >= {
        "density",
        "components",
        "bridges",
        "articulation_points",
        "average_distance",
        "global_efficiency",
        "transitivity",
        "average_clustering_low_degree_as_zero",
        "average_clustering_low_degree_excluded",
        "degeneracy",
        "centralization",
        "krackhardt",
    }


@st.composite
def graphs(draw) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=9))
    directed = draw(st.booleans())
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(f"a{i}" for i in range(n))
    if n >= 2:
        pairs = [(f"a{u}", f"a{v}") for u in range(n) for v in range(n) if u != v]
        G.add_edges_from(draw(st.lists(st.sampled_from(pairs), max_size=3 * n)))
    return G


def _close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, abs_tol=1e-12)
    return a == b


@settings(max_examples=60, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_relabelling_changes_nothing(G: nx.Graph, rnd) -> None:
    nodes = list(G)
    shuffled = nodes[:]
    rnd.shuffle(shuffled)
    mapping = {v: f"x{w}" for v, w in zip(nodes, shuffled, strict=True)}
    H = nx.relabel_nodes(G, mapping)
    before, after = network_cohesion(G), network_cohesion(H)
    for key in ("isolates", "articulation_points"):
        assert {mapping[v] for v in before[key]} == set(after[key])
    assert {frozenset(mapping[v] for v in b) for b in before["bridges"]} == {
        frozenset(b) for b in after["bridges"]
    }
    for key in ("components", "centralization", "krackhardt"):
        assert before[key].keys() == after[key].keys()
        for sub in before[key]:
            assert _close(before[key][sub], after[key][sub]), (key, sub)
    skip = {
        "isolates",
        "articulation_points",
        "bridges",
        "components",
        "centralization",
        "krackhardt",
    }
    for key in before.keys() - skip:
        assert _close(before[key], after[key]), key
