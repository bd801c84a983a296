"""Known values for graphsvc.metrics.mixing (docs/metrics.md §4)."""

from __future__ import annotations

import doctest
import json
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.metrics import mixing
from graphsvc.metrics.mixing import (
    assortativity,
    contact_initiative,
    ei_index,
    ei_index_actors,
    ei_index_groups,
    funder_dependency,
    mixing_matrix,
    network_mixing,
    reciprocity_by_group_pair,
)

pytestmark = pytest.mark.unit

KIND = {
    "r1": "resident",
    "r2": "resident",
    "r3": "resident",
    "i1": "initiative",
    "i2": "initiative",
    "i3": "initiative",
    "o1": "official",
    "f1": "funder",
    "org1": "organisation",
}


def proeftuin() -> nx.DiGraph:
    """A small directed analysis graph; symmetric ties appear as two arcs (docs/metrics.md §0.4).

    Arcs (11): r1<->r2 knows; r1->i1 supports; i1->o1, i2->o1 contacts;
    o1->i1 contacts+advises; f1->i1, f1->i2, o1->i2 funds; i1<->i2 collaborates.
    Isolates: r3, i3, org1.  group = kind.
    """
    G = nx.DiGraph()
    for v, k in KIND.items():
        G.add_node(v, kind=k, group=k, name=v.upper())
    arcs = [
        ("r1", "r2", ["knows"]),
        ("r2", "r1", ["knows"]),
        ("r1", "i1", ["supports"]),
        ("i1", "o1", ["contacts"]),
        ("i2", "o1", ["contacts"]),
        ("o1", "i1", ["advises", "contacts"]),
        ("f1", "i1", ["funds"]),
        ("f1", "i2", ["funds"]),
        ("o1", "i2", ["funds"]),
        ("i1", "i2", ["collaborates"]),
        ("i2", "i1", ["collaborates"]),
    ]
    for u, v, types in arcs:
        G.add_edge(u, v, types=types, weight=float(len(types)))
    return G


def newman_r(G: nx.Graph, attr: str = "group") -> float:
    """Newman (2003) eq. (2), straight from the mixing matrix e."""
    groups = sorted({G.nodes[v][attr] for v in G})
    idx = {g: i for i, g in enumerate(groups)}
    e = np.zeros((len(groups), len(groups)))
    for u, v in G.edges():
        e[idx[G.nodes[u][attr]], idx[G.nodes[v][attr]]] += 1
        if not G.is_directed():
            e[idx[G.nodes[v][attr]], idx[G.nodes[u][attr]]] += 1
    return r_from_matrix(e)


def r_from_matrix(e: np.ndarray) -> float:
    e = e / e.sum()
    ab = float(e.sum(axis=1) @ e.sum(axis=0))
    return (float(np.trace(e)) - ab) / (1 - ab)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(mixing, extraglobs={"nx": nx})
    assert result.attempted > 10
    assert result.failed == 0


# --------------------------------------------------------------------------- E-I


def test_ei_index_by_hand() -> None:
    # Tied pairs, each once (mutual arcs are one tie): r1-r2, r1-i1, i1-o1, i2-o1,
    # f1-i1, f1-i2, i1-i2.  Internal: r1-r2, i1-i2 = 2; external 5 -> (5-2)/7.
    G = proeftuin()
    assert ei_index(G) == pytest.approx(3 / 7)
    # resident: E 1 (r1-i1), I 1 -> 0; initiative: E 5, I 1 -> 4/6;
    # official: E 2 -> 1; funder: E 2 -> 1; organisation: no ties -> None.
    assert ei_index_groups(G) == {
        "funder": 1.0,
        "initiative": pytest.approx(2 / 3),
        "official": 1.0,
        "organisation": None,
        "resident": 0.0,
    }
    # i1: r1, o1, f1 outside, i2 inside -> (3-1)/4; i2: o1, f1 outside, i1 inside -> 1/3;
    # r2: only r1, same group -> -1; isolates None.
    assert ei_index_actors(G) == {
        "r1": 0.0,
        "r2": -1.0,
        "r3": None,
        "i1": 0.5,
        "i2": pytest.approx(1 / 3),
        "i3": None,
        "o1": 1.0,
        "f1": 1.0,
        "org1": None,
    }


def test_ei_index_counts_each_tie_once() -> None:
    # The same relation as an undirected graph gives the same E-I values.
    G = proeftuin()
    U = G.to_undirected()
    assert ei_index(U) == pytest.approx(ei_index(G))
    assert ei_index_groups(U) == ei_index_groups(G)
    assert ei_index_actors(U) == ei_index_actors(G)


def test_ei_index_without_ties_is_none() -> None:
    G = nx.Graph()
    G.add_nodes_from(["a", "b"], group="x")
    assert ei_index(G) is None
    assert ei_index_groups(G) == {"x": None}
    assert ei_index_actors(G) == {"a": None, "b": None}


def test_missing_group_is_an_error() -> None:
    G = proeftuin()
    del G.nodes["r3"]["group"]
    with pytest.raises(ValueError, match="r3"):
        network_mixing(G)


# --------------------------------------------------------------------------- mixing matrix


def test_mixing_matrix_directed_by_hand() -> None:
    m = mixing_matrix(proeftuin())
    assert m["group_sizes"] == {
        "funder": 1,
        "initiative": 3,
        "official": 1,
        "organisation": 1,
        "resident": 3,
    }
    ties, possible, dens = m["ties"], m["possible"], m["density"]
    assert ties["resident"]["resident"] == 2 and possible["resident"]["resident"] == 6  # 3*2
    assert dens["resident"]["resident"] == pytest.approx(2 / 6)
    assert ties["resident"]["initiative"] == 1 and possible["resident"]["initiative"] == 9
    assert ties["initiative"]["resident"] == 0 and dens["initiative"]["resident"] == 0.0
    assert ties["initiative"]["official"] == 2 and dens["initiative"]["official"] == 2 / 3
    assert ties["official"]["initiative"] == 2
    assert ties["funder"]["initiative"] == 2 and dens["funder"]["initiative"] == 2 / 3
    assert ties["initiative"]["initiative"] == 2 and possible["initiative"]["initiative"] == 6
    assert possible["official"]["official"] == 0 and dens["official"]["official"] is None
    assert sum(sum(row.values()) for row in ties.values()) == 11  # every arc once


def test_mixing_matrix_undirected_by_hand() -> None:
    m = mixing_matrix(proeftuin().to_undirected())
    ties, possible, dens = m["ties"], m["possible"], m["density"]
    # 7 edges; between-group edges appear in both cells, within-group once.
    assert ties["resident"]["resident"] == 1 and possible["resident"]["resident"] == 3  # 3*2/2
    assert ties["resident"]["initiative"] == ties["initiative"]["resident"] == 1
    assert possible["resident"]["initiative"] == 9  # 3*3, not halved
    assert ties["initiative"]["official"] == ties["official"]["initiative"] == 2
    assert dens["initiative"]["initiative"] == pytest.approx(1 / 3)  # 1 of 3 pairs
    within = sum(ties[g][g] for g in ties)
    between = sum(ties[g][h] for g in ties for h in ties if g != h) // 2
    assert within + between == 7


# ----------------------------------------------------------------- reciprocity, initiative


def test_reciprocity_by_hand() -> None:
    r = reciprocity_by_group_pair(proeftuin())
    share = r["share"]
    assert share["resident"]["resident"] == 1.0  # the knows tie, as two arcs
    assert share["resident"]["initiative"] == 0.0  # r1 -> i1 not returned
    assert share["initiative"]["official"] == 1.0  # i1<->o1, i2<->o1
    assert share["funder"]["initiative"] == 0.0
    assert share["initiative"]["resident"] is None  # no arc that way
    assert r["arcs"]["funder"]["initiative"] == 2 and r["returned"]["funder"]["initiative"] == 0


def test_reciprocity_restricted_to_tie_types() -> None:
    # contacts only: i1->o1 (returned by o1->i1, a contact), i2->o1 (o1->i2 is funds only).
    r = reciprocity_by_group_pair(proeftuin(), tie_types=["contacts"])
    assert r["share"]["initiative"]["official"] == 0.5
    assert r["share"]["official"]["initiative"] == 1.0
    assert r["share"]["resident"]["resident"] is None


def test_reciprocity_matches_networkx_overall() -> None:
    # Summed over all group pairs it is networkx's (edgewise) overall reciprocity.
    G = nx.gnp_random_graph(40, 0.1, seed=8, directed=True)
    nx.set_node_attributes(G, {v: "ab"[v % 2] for v in G}, "group")
    r = reciprocity_by_group_pair(G)
    arcs = sum(sum(row.values()) for row in r["arcs"].values())
    returned = sum(sum(row.values()) for row in r["returned"].values())
    assert returned / arcs == pytest.approx(nx.overall_reciprocity(G))


def test_contact_initiative_by_hand() -> None:
    # contacts: i1->o1, i2->o1 (initiatives started 2), o1->i1 (official started 1).
    c = contact_initiative(proeftuin())
    assert c["contacts"]["initiative"]["official"] == 2
    assert c["contacts"]["official"]["initiative"] == 1
    assert c["share_started"]["initiative"]["official"] == pytest.approx(2 / 3)
    assert c["share_started"]["official"]["initiative"] == pytest.approx(1 / 3)
    assert c["share_started"]["resident"]["initiative"] is None  # no contacts
    assert c["share_started"]["initiative"]["initiative"] is None  # within a group


def test_funder_dependency_by_hand() -> None:
    # i1 funded by f1 only; i2 by f1 and o1 (an official may fund); i3 by nobody.
    assert funder_dependency(proeftuin()) == {
        "initiatives": 3,
        "funded": 2,
        "unfunded": 1,
        "single_funder": 1,
        "single_funder_share": 0.5,
        "single_funder_initiatives": ["i1"],
        "funders_per_initiative": {"i1": 1, "i2": 2, "i3": 0},
    }


def test_direction_dependent_measures_on_undirected_graph() -> None:
    U = proeftuin().to_undirected()
    assert all(
        v is None for row in reciprocity_by_group_pair(U)["share"].values() for v in row.values()
    )
    assert all(
        v is None for row in contact_initiative(U)["share_started"].values() for v in row.values()
    )
    f = funder_dependency(U)
    assert f["initiatives"] == 3 and f["single_funder"] is None


# --------------------------------------------------------------------------- assortativity


def test_assortativity_published_value_newman_2003() -> None:
    # Newman (2003) Table I: mixing by race of sexual partnerships (Catania et al.),
    # r = 0.621.  Build a digraph whose arcs reproduce the table per thousand.
    table = {
        "black": [0.258, 0.016, 0.035, 0.013],
        "hispanic": [0.012, 0.157, 0.058, 0.019],
        "white": [0.013, 0.023, 0.306, 0.035],
        "other": [0.005, 0.007, 0.024, 0.016],
    }
    groups = list(table)
    G = nx.DiGraph()
    members = {g: [f"{g}{i}" for i in range(20)] for g in groups}
    for g in groups:
        G.add_nodes_from(members[g], group=g)
    for g in groups:
        for h, share in zip(groups, table[g], strict=True):
            pairs = [(u, v) for u in members[g] for v in members[h] if u != v]
            G.add_edges_from(pairs[: round(share * 1000)])
    # The printed table is rounded to three decimals and sums to 0.997: taken as
    # printed it gives Newman's 0.621 (0.6208); renormalised to sum 1, as any
    # graph's mixing matrix is, it gives 0.6230.
    e = np.array(list(table.values()))
    ab = float(e.sum(axis=1) @ e.sum(axis=0))
    assert (np.trace(e) - ab) / (1 - ab) == pytest.approx(0.621, abs=5e-4)
    assert assortativity(G) == pytest.approx(0.6230, abs=5e-4)
    assert assortativity(G) == pytest.approx(newman_r(G))


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_assortativity_matches_direct_formula(directed: bool, seed: int) -> None:
    G = nx.gnp_random_graph(30, 0.15, seed=seed, directed=directed)
    nx.set_node_attributes(G, {v: "abc"[(v * 7 + seed) % 3] for v in G}, "group")
    assert assortativity(G) == pytest.approx(newman_r(G))
    assert assortativity(proeftuin()) == pytest.approx(newman_r(proeftuin()))


def test_assortativity_extremes_and_undefined() -> None:
    two_cliques = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(3))
    nx.set_node_attributes(two_cliques, {v: "ab"[v // 3] for v in two_cliques}, "group")
    assert assortativity(two_cliques) == pytest.approx(1.0)
    bipartite = nx.complete_bipartite_graph(2, 3)
    nx.set_node_attributes(bipartite, {v: "ab"[v >= 2] for v in bipartite}, "group")
    assert assortativity(bipartite) < 0
    one_group = nx.path_graph(3)
    nx.set_node_attributes(one_group, "a", "group")
    assert assortativity(one_group) is None  # networkx gives NaN
    empty = nx.Graph()
    empty.add_nodes_from([1, 2], group="a")
    assert assortativity(empty) is None  # networkx gives 0.0


# --------------------------------------------------------------------------- everything


def test_network_mixing_is_json_and_consistent() -> None:
    G = proeftuin()
    result = network_mixing(G)
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert result["groups"] == ["funder", "initiative", "official", "organisation", "resident"]
    assert result["ei_index"]["network"] == pytest.approx(3 / 7)
    assert result["mixing"]["ties"]["initiative"]["official"] == 2
    assert result["reciprocity"]["share"]["resident"]["initiative"] == 0.0
    assert result["contact_initiative"]["contacts"]["official"]["initiative"] == 1
    assert result["funder_dependency"]["single_funder_initiatives"] == ["i1"]
    assert result["assortativity"] == pytest.approx(newman_r(G))
    # group_by another attribute
    for v in G:
        G.nodes[v]["sector"] = "civil" if KIND[v] in ("resident", "initiative") else "system"
    by_sector = network_mixing(G, group="sector")
    assert by_sector["groups"] == ["civil", "system"]
    # civil-system tied pairs: i1-o1, i2-o1, f1-i1, f1-i2 = 4; within: r1-r2, r1-i1, i1-i2 = 3
    assert by_sector["ei_index"]["network"] == pytest.approx(1 / 7)


TYPES = ["knows", "contacts", "advises", "funds"]


@st.composite
def grouped_graphs(draw) -> nx.DiGraph:
    n = draw(st.integers(min_value=0, max_value=9))
    directed = draw(st.booleans())
    G = nx.DiGraph() if directed else nx.Graph()
    for i in range(n):
        kind = draw(st.sampled_from(["resident", "initiative", "official", "funder"]))
        G.add_node(f"a{i}", kind=kind, group=kind)
    if n >= 2:
        pairs = [(f"a{u}", f"a{v}") for u in range(n) for v in range(n) if u != v]
        for u, v in draw(st.lists(st.sampled_from(pairs), max_size=3 * n)):
            types = sorted(draw(st.sets(st.sampled_from(TYPES), min_size=1)))
            G.add_edge(u, v, types=types, weight=1.0)
    return G


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-12)
    return a == b


@settings(max_examples=60, deadline=None)
@given(grouped_graphs(), st.randoms(use_true_random=False))
def test_relabelling_changes_nothing(G: nx.Graph, rnd) -> None:
    nodes = list(G)
    shuffled = nodes[:]
    rnd.shuffle(shuffled)
    mapping = {v: f"x{w}" for v, w in zip(nodes, shuffled, strict=True)}
    before, after = network_mixing(G), network_mixing(nx.relabel_nodes(G, mapping))
    actors = before["ei_index"].pop("actors")
    assert _same({mapping[v]: x for v, x in actors.items()}, after["ei_index"].pop("actors"))
    fb, fa = before.pop("funder_dependency"), after.pop("funder_dependency")
    if fb["funders_per_initiative"] is not None:
        assert {mapping[v]: x for v, x in fb.pop("funders_per_initiative").items()} == fa.pop(
            "funders_per_initiative"
        )
        assert sorted(mapping[v] for v in fb.pop("single_funder_initiatives")) == fa.pop(
            "single_funder_initiatives"
        )
    assert fb == fa
    assert _same(before, after)
