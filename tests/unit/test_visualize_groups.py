"""Groups on one map (visualize.groups, the ``groups`` of render_map): clusters, gaps, shared."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graphsvc.analysis.map_theme import MAP_THEME
from visualize.groups import (
    BOX_PAD,
    GROUP_GAP,
    LABEL_BAND,
    group_boxes,
    home_groups,
    layout_groups,
)
from visualize.layout import MIN_SPACING
from visualize.render import MapOptions, render_map


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(p, box) -> bool:
    return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]


def two_groups():
    """A path of three in A, a pair in B, and a fund f of both, tied to a1 and b1."""
    G = nx.Graph([("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("a1", "f"), ("b1", "f")])
    groups = {"a1": ["A"], "a2": ["A"], "a3": ["A"], "b1": ["B"], "b2": ["B"], "f": ["A", "B"]}
    return G, groups


def test_home_groups_are_the_actors_of_exactly_one_group():
    assert home_groups({"x": ["A"], "y": ["A", "A"], "z": ["A", "B"], "w": []}) == {
        "x": "A",
        "y": "A",
    }


def test_group_boxes_pad_the_home_actors_and_keep_a_band_for_the_name():
    boxes = group_boxes({"x": (0.0, 0.0), "y": (100.0, 50.0)}, {"x": "A", "y": "A"})
    assert boxes == {"A": (-BOX_PAD, -BOX_PAD - LABEL_BAND, 100 + BOX_PAD, 50 + BOX_PAD)}


def test_two_groups_side_by_side_with_the_shared_fund_in_the_gap():
    G, groups = two_groups()
    out = layout_groups(G, groups, ["A", "B"], seed=1)
    assert set(out.positions) == set(G)
    a, b = out.boxes["A"], out.boxes["B"]
    # two groups: one row of two cells, A (first in the order) on the left
    assert a[2] < b[0]
    assert b[0] - a[2] == pytest.approx(GROUP_GAP, abs=0.5)
    for key in ("a1", "a2", "a3"):
        assert inside(out.positions[key], a)
    for key in ("b1", "b2"):
        assert inside(out.positions[key], b)
    f = out.positions["f"]
    assert not inside(f, a) and not inside(f, b)
    assert a[2] < f[0] < b[0]  # between the two clusters it joins
    # the boxes the caller computes from the positions are the layout's (up to rounding)
    again = group_boxes(out.positions, home_groups(groups))
    for key in ("A", "B"):
        assert again[key] == pytest.approx(out.boxes[key], abs=0.2)


def test_the_same_inputs_give_the_same_positions():
    G, groups = two_groups()
    first = layout_groups(G, groups, ["A", "B"], seed=4)
    assert (
        layout_groups(G.copy(), dict(reversed(list(groups.items()))), ["A", "B"], seed=4) == first
    )


def test_groups_joined_by_a_shared_actor_are_neighbours_in_the_grid():
    # four groups in a 2x2 grid; in the given order A would sit diagonally across from D,
    # yet s joins A and D only: A next to D costs 2 x 0.5 = 1 cell, diagonal 2 x 0.707
    G = nx.Graph()
    groups: dict[str, list[str]] = {}
    for g in "ABCD":
        G.add_edge(f"{g}1", f"{g}2")
        groups[f"{g}1"] = groups[f"{g}2"] = [g]
    G.add_edges_from([("s", "A1"), ("s", "D1")])
    groups["s"] = ["A", "D"]
    out = layout_groups(G, groups, list("ABCD"))
    boxes = out.boxes
    centre = {g: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for g, b in boxes.items()}
    same_row = abs(centre["A"][1] - centre["D"][1]) < 1
    same_col = abs(centre["A"][0] - centre["D"][0]) < 1
    assert same_row != same_col  # side by side or one above the other, not diagonal
    for g, h in [("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "D")]:
        assert not overlap(boxes[g], boxes[h])
    s = out.positions["s"]
    assert not any(inside(s, box) for box in boxes.values())


def test_actors_without_a_tie_stay_in_their_group_and_the_cluster_stays_compact():
    G = nx.cycle_graph([f"a{i}" for i in range(12)])
    G.add_nodes_from(f"x{i}" for i in range(10))  # ten actors of A without any tie
    G.add_edge("b0", "b1")
    groups = {k: ["A"] for k in G if k[0] in "ax"} | {"b0": ["B"], "b1": ["B"]}
    out = layout_groups(G, groups, ["A", "B"])
    a = out.boxes["A"]
    for k in groups:
        if groups[k] == ["A"]:
            assert inside(out.positions[k], a)
    ring = [out.positions[f"a{i}"] for i in range(12)]
    ring_width = max(p[0] for p in ring) - min(p[0] for p in ring)
    # the tieless actors stand in rows under the ring, no wider than the ring
    assert (a[2] - a[0]) - 2 * BOX_PAD <= max(ring_width, 4 * MIN_SPACING) + 1


def test_many_shared_actors_each_get_their_own_free_place():
    G = nx.Graph()
    groups: dict[str, list[str]] = {}
    for g in "ABC":
        nx.add_path(G, [f"{g}{i}" for i in range(6)])
        groups.update({f"{g}{i}": [g] for i in range(6)})
    for i in range(30):
        G.add_edges_from([(f"s{i}", "A0"), (f"s{i}", "B0"), (f"s{i}", "C0")])
        groups[f"s{i}"] = ["A", "B", "C"]
    out = layout_groups(G, groups, list("ABC"))
    shared = [out.positions[f"s{i}"] for i in range(30)]
    for i, p in enumerate(shared):
        assert not any(inside(p, box) for box in out.boxes.values())
        for q in shared[i + 1 :]:
            assert ((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5 >= MIN_SPACING


def test_no_groups_and_a_group_of_shared_actors_only():
    G = nx.Graph([("s", "t")])
    out = layout_groups(G, {"s": ["A", "B"], "t": ["A", "B"]}, ["A", "B"])
    assert set(out.positions) == {"s", "t"} and out.boxes == {}
    assert layout_groups(nx.Graph(), {}, []).positions == {}


# -- the page: groups in the map data --------------------------------------------------------

MAP_DATA = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)


def page(groups, **options):
    G, _ = two_groups()
    actors = {
        k: {"name": f"Naam {k}", "kind": "funder" if k == "f" else "initiative"} for k in sorted(G)
    }
    ties = [
        {"source": u, "target": v, "type": "knows", "since": "2024-01-01", "until": None}
        for u, v in G.edges()
    ]
    positions = {k: (float(i * 100), 0.0) for i, k in enumerate(sorted(G))}
    return render_map(ties, actors, positions, MapOptions(groups=groups, **options), MAP_THEME)


def test_the_page_gets_each_group_with_member_and_home_ids():
    groups = [
        {"key": "A", "name": "Groep A", "members": ["a1", "a2", "a3", "f"], "url": "https://x/A"},
        {"key": "B", "name": "Groep B", "members": ["b1", "b2", "f"]},
    ]
    html = page(groups)
    data = json.loads(MAP_DATA.search(html).group(1))
    ids = {a["name"].removeprefix("Naam "): a["id"] for a in data["actors"]}
    assert data["groups"] == [
        {
            "key": "A",
            "name": "Groep A",
            "url": "https://x/A",
            "members": [ids["a1"], ids["a2"], ids["a3"], ids["f"]],
            "home": [ids["a1"], ids["a2"], ids["a3"]],
        },
        {
            "key": "B",
            "name": "Groep B",
            "url": None,
            "members": [ids["b1"], ids["b2"], ids["f"]],
            "home": [ids["b1"], ids["b2"]],
        },
    ]
    assert data["groupBox"] == {"pad": BOX_PAD, "band": LABEL_BAND}
    # a button per group in the panel; the names on the map are made by the script
    assert html.count('class="group-choice"') == 2 and 'id="group-labels"' in html
    # positions are kept as given: no block of tieless actors moved out of their group
    assert {n["id"]: n["x"] for n in data["nodes"]}[ids["b2"]] == 400.0


def test_a_map_without_groups_has_no_group_controls():
    html = page(())
    assert json.loads(MAP_DATA.search(html).group(1))["groups"] == []
    assert 'class="group-choice"' not in html and 'id="group-labels"' not in html


@pytest.mark.parametrize(
    "groups, message",
    [
        ([{"key": "A", "name": "A", "members": ["nobody"]}], r"groups\[0\]\.members: 'nobody'"),
        ([{"key": "", "name": "A", "members": []}], r"groups\[0\]\.key"),
        (
            [{"key": "A", "name": "A", "members": []}, {"key": "A", "name": "B", "members": []}],
            r"groups\[1\]\.key",
        ),
        ([{"key": "A", "name": " ", "members": []}], r"groups\[0\]\.name"),
        ([{"key": "A", "name": "A", "members": [], "url": "javascript:x"}], r"groups\[0\]\.url"),
    ],
)
def test_bad_groups_are_refused_naming_the_field(groups, message):
    with pytest.raises(ValueError, match=message):
        page(groups)
