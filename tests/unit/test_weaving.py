"""Introductions on small hand-made graphs with known gains (docs/metrics.md §9)."""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.metrics.weaving import introductions


def graph(edges, kinds, **attrs) -> nx.Graph:
    G = nx.Graph(edges)
    G.add_nodes_from(kinds)
    nx.set_node_attributes(G, kinds, "kind")
    for name, values in attrs.items():
        nx.set_node_attributes(G, values, name)
    return G


def test_one_introduction_removes_a_cut_point():
    G = graph([("i", "x"), ("x", "o")], {"i": "initiative", "x": "resident", "o": "official"})
    found = introductions(G)
    assert len(found) == 1
    best = found[0]
    assert {best.a, best.b} == {"i", "o"}
    assert best.reason == "cut_point"
    assert best.introducers == ["x"]
    assert best.gain == {
        "initiatives_within_two_steps": [],  # i was already two steps from the official
        "cut_points_removed": ["x"],
        "isolates_connected": 0,
        "group_pairs_bypassed": [],  # one initiative, one official: no group pair to hang
        "second_path": [],
        "broker_constraint": {},
    }
    assert best.score == 2


def test_an_initiative_three_steps_from_the_gemeente():
    kinds = {"i": "initiative", "r1": "resident", "r2": "resident", "o": "official"}
    G = graph([("i", "r1"), ("r1", "r2"), ("r2", "o")], kinds)
    found = introductions(G)
    best = found[0]
    assert (best.a, best.b, best.reason) == ("i", "o", "reach_anchor")
    assert best.introducers == ["r1", "r2"]  # the path between them
    assert best.gain["initiatives_within_two_steps"] == ["i"]
    assert best.gain["cut_points_removed"] == ["r1", "r2"]
    assert best.score == 3 + 2 * 2
    second = next(f for f in found if {f.a, f.b} == {"i", "r2"})
    assert second.gain["initiatives_within_two_steps"] == ["i"]
    assert second.gain["cut_points_removed"] == ["r1"]
    assert second.score == 5
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


def test_an_isolate_meets_an_active_initiative_of_its_neighbourhood():
    kinds = {
        "s": "resident",
        "a": "initiative",
        "b": "initiative",
        "r": "resident",
        "q": "resident",
        "p": "resident",
    }
    place = {"s": "Noord", "a": "Noord", "b": "Zuid"}
    G = graph([("a", "r"), ("b", "q"), ("b", "p"), ("b", "r")], kinds, neighbourhood=place)
    iso = [f for f in introductions(G) if f.reason == "isolate"]
    assert len(iso) == 1
    assert (iso[0].a, iso[0].b) == ("s", "a")
    assert iso[0].gain["isolates_connected"] == 1
    assert iso[0].introducers == []


def test_no_gain_no_suggestion_and_a_limit():
    G = graph(
        nx.complete_graph(4).edges, {0: "initiative", 1: "official", 2: "funder", 3: "resident"}
    )
    assert introductions(G) == []
    # Six initiatives, each three steps from the gemeente through its own resident.
    edges = (
        [("o", "h")] + [("h", f"r{k}") for k in range(6)] + [(f"r{k}", f"i{k}") for k in range(6)]
    )
    kinds = {"o": "official", "h": "resident"}
    kinds.update({f"r{k}": "resident" for k in range(6)})
    kinds.update({f"i{k}": "initiative" for k in range(6)})
    found = introductions(graph(edges, kinds), limit=3)
    assert len(found) == 3
    assert all(f.score == 5 and f.gain["initiatives_within_two_steps"] for f in found)


def star_of_two_groups(second_broker: bool = False) -> nx.Graph:
    """Two initiatives and two officials (each pair tied) who meet only through broker x, who
    also knows a resident of their own; ``second_broker``: y links i2 and o2 as well."""
    edges = [("x", "i1"), ("x", "i2"), ("i1", "i2"), ("x", "o1"), ("x", "o2"), ("o1", "o2")]
    edges.append(("x", "r"))
    kinds = {"x": "organisation", "i1": "initiative", "i2": "initiative", "o1": "official"}
    kinds.update({"o2": "official", "r": "resident"})
    if second_broker:
        edges += [("y", "i2"), ("y", "o2")]
        kinds["y"] = "organisation"
    return graph(edges, kinds)


def test_a_group_pair_that_hangs_on_one_broker_gets_a_bypass():
    found = introductions(star_of_two_groups())
    # Without the bypass measure nothing is proposed here: x stays a cut point (the resident
    # hangs on it) and both initiatives are already two steps from an official through x.
    assert len(found) == 1
    best = found[0]
    assert (best.a, best.b, best.reason) == ("i1", "o1", "single_broker")
    assert best.introducers == ["x"]  # the broker can introduce them
    assert best.gain["initiatives_within_two_steps"] == []
    assert best.gain["cut_points_removed"] == []
    assert best.gain["group_pairs_bypassed"] == [
        {"broker": "x", "groups": ["initiative", "official"]}
    ]
    # Both initiatives now reach both officials on a path that avoids x.
    assert best.gain["second_path"] == ["i1", "i2", "o1", "o2"]
    # Burt's constraint of x by hand, p = 1/5 per contact.  Before: i1, i2, o1, o2 each
    # (1/5 + 1/5 * 1/2)^2 = 81/900, r (1/5)^2 = 36/900: 360/900.  After i1 - o1: i1 and o1
    # (1/5 + 1/5 * 1/2 + 1/5 * 1/3)^2 = 121/900, i2 and o2 (1/5 + 1/5 * 1/3)^2 = 64/900, r
    # 36/900: 406/900.  It rises: x no longer holds the two groups apart alone.
    c = best.gain["broker_constraint"]["x"]
    assert c["before"] == pytest.approx(360 / 900) and c["after"] == pytest.approx(406 / 900)
    assert best.score == 3  # an initiative group with officials: weighted as reach


def test_no_bypass_where_a_second_broker_exists():
    found = introductions(star_of_two_groups(second_broker=True))
    # Only the resident still hangs on x: a plain cut point, no group pair to bypass.
    assert [(f.a, f.b, f.reason) for f in found] == [("i2", "r", "cut_point")]
    assert found[0].gain["group_pairs_bypassed"] == [] and found[0].score == 2


def test_directed_graphs_are_read_as_undirected():
    G = nx.DiGraph([("i", "x"), ("o", "x")])
    nx.set_node_attributes(G, {"i": "initiative", "x": "resident", "o": "funder"}, "kind")
    assert {introductions(G)[0].a, introductions(G)[0].b} == {"i", "o"}


def test_the_docstring_example_runs():
    import doctest

    from graphsvc.metrics import weaving

    result = doctest.testmod(weaving, extraglobs={"nx": nx})
    assert result.attempted >= 3 and result.failed == 0
