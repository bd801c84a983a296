"""Who is behind each scorecard signal: literal answers on small networks."""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.metrics.signals import SIGNAL_ACTORS, cut_point_effects, signal_actors

pytestmark = pytest.mark.unit


def _graph(edges, kinds, directed=False, types=None):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from((k, {"kind": v}) for k, v in kinds.items())
    for u, v in edges:
        G.add_edge(u, v, types=list((types or {}).get((u, v), ["contacts"])))
    G.graph["directed_types"] = ["contacts", "funds"] if directed else []
    return G


def test_a_single_broker_cuts_every_initiative_from_the_municipality():
    # Four initiatives reach the official and the funder only through organisation b.
    kinds = {"i1": "initiative", "i2": "initiative", "i3": "initiative", "i4": "initiative",
             "b": "organisation", "o": "official", "f": "funder", "r": "resident"}  # fmt: skip
    edges = [("i1", "b"), ("i2", "b"), ("i3", "b"), ("i4", "i3"), ("b", "o"), ("o", "f")]
    effects = cut_point_effects(_graph(edges, kinds))
    first = effects[0]
    assert first["key"] == "b" and first["kind"] == "organisation"
    assert first["initiatives_lose_municipality"] == ["i1", "i2", "i3", "i4"]
    assert first["initiatives_lose_funder"] == ["i1", "i2", "i3", "i4"]
    # Without b: {i1}, {i2}, {i3, i4}, {o, f}; one largest piece (2) stays, 4 are cut off.
    assert first["cut_off"] == 4
    assert [e["key"] for e in effects] == ["b", "i3", "o"]
    # o's departure cuts the funder off (o is the municipality itself, so that is not counted);
    # i3's departure cuts off only i4.
    assert effects[2]["initiatives_lose_funder"] == ["i1", "i2", "i3", "i4"]
    assert effects[2]["initiatives_lose_municipality"] == []
    assert effects[1]["initiatives_lose_municipality"] == ["i4"]


def test_every_signal_names_its_actors():
    kinds = {"i1": "initiative", "i2": "initiative", "o": "official", "f": "funder",
             "r1": "resident", "r2": "resident", "r3": "resident"}  # fmt: skip
    edges = [("f", "i1"), ("i1", "o"), ("o", "i1"), ("i2", "o"), ("r1", "i2"), ("r2", "r3")]
    types = {("f", "i1"): ["funds"]}
    found = signal_actors(_graph(edges, kinds, directed=True, types=types))
    assert list(found) == list(SIGNAL_ACTORS)
    assert found["isolates_share"] == []
    assert [a["key"] for a in found["largest_component_share"]] == ["r2", "r3"]
    assert found["single_funder_share"] == [
        {"key": "i1", "kind": "initiative", "funder": "f", "funder_kind": "funder"}
    ]
    # i2's contact with the official is not returned; i1's is.
    assert found["reciprocity_initiative_official"] == [
        {"key": "i2", "kind": "initiative", "officials": ["o"]}
    ]
    assert found["initiative_visibility"] == []
    assert {e["key"] for e in found["cut_points_share"]} == {"i1", "o", "i2"}


def test_isolates_and_invisible_initiatives():
    kinds = {"i1": "initiative", "i2": "initiative", "r": "resident", "x": "resident"}
    found = signal_actors(_graph([("i1", "r"), ("i2", "r")], kinds))
    assert found["isolates_share"] == [{"key": "x", "kind": "resident"}]
    assert [a["key"] for a in found["initiative_visibility"]] == ["i1", "i2"]
    assert found["single_funder_share"] == []  # direction unknown: no funder is named
    assert found["cut_points_share"] == [
        {"key": "r", "kind": "resident", "cut_off": 1,
         "initiatives_lose_municipality": [], "initiatives_lose_funder": []}
    ]  # fmt: skip
