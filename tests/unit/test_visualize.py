"""visualize/: the page is self-contained, shows only what it is given, and layouts are stable."""

from __future__ import annotations

import json
import math
import random
import re
from datetime import date

import networkx as nx
import numpy as np
import pytest
from scipy.spatial import cKDTree

from graphsvc.analysis.map_theme import KIND_STYLES, MAP_THEME, TIE_STYLES
from graphsvc.metrics.brokerage import describe_role
from graphsvc.vocabulary import KIND_KEYS, TIE_TYPE_KEYS, TIE_TYPES
from visualize import i18n, style
from visualize.layout import (
    EDGE_LENGTH,
    MIN_SPACING,
    compute_layout,
    extend_layout,
    pack_components,
)
from visualize.render import MapOptions, render_map, render_pyvis_default, vis_assets

pytestmark = pytest.mark.unit

ROLES0 = dict.fromkeys(MAP_THEME.role_keys, 0)


def actor(name, kind, degree=1, betweenness=0.0, brokerage=None, cut=False, **extra):
    roles = dict(ROLES0, **(brokerage or {}))
    roles["total"] = sum(roles.values())
    return {
        "name": name,
        "kind": kind,
        "group": kind,
        "metrics": {
            "degree": degree,
            "betweenness": betweenness,
            "brokerage": roles,
            "articulation_point": cut,
        },
        **extra,
    }


def tie(source, target, type_, since, until=None, weight=1.0):
    return {
        "source": source,
        "target": target,
        "type": type_,
        "since": since,
        "until": until,
        "weight": weight,
    }


ACTORS = {
    "key-bewoner-017": actor(
        "Çelik", "resident", neighbourhood="Geheime Straat 12", email="celik@example.org"
    ),
    "key-bewoner-018": actor("José", "resident"),
    "key-init-001": actor("Buurtmoestuin", "initiative", 3, 0.5, {"representative": 2}, cut=True),
    "key-gem-001": actor("Wijkregisseur", "official", 2, 0.2, {"liaison": 3, "gatekeeper": 1}),
    "key-fonds-001": actor("Fonds Samen", "funder", 1),
}
TIES = [
    tie("key-bewoner-017", "key-bewoner-018", "knows", "2022-11-05"),
    tie("key-bewoner-017", "key-init-001", "member_of", "2023-01-10"),
    tie("key-init-001", "key-gem-001", "contacts", "2023-04-01"),
    tie("key-fonds-001", "key-init-001", "funds", "2023-06-01", "2024-06-01", weight=2),
    tie("key-gem-001", "key-init-001", "advises", "2023-05-10"),
]
POSITIONS = {k: (i * 100.0, (i % 2) * 80.0) for i, k in enumerate(ACTORS)}


def page_data(html: str) -> dict:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def html() -> str:
    return render_map(TIES, ACTORS, POSITIONS, MapOptions(title="Proeftuin Test"), MAP_THEME)


# ---------------------------------------------------------------- self-contained page


def test_no_external_url_in_any_src_href_url_or_import(html):
    assert not re.search(r"""(?:src|href|action|poster)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import", html, re.I)
    assert "<link" not in html.lower()
    assert not re.search(r"<script[^>]+src", html, re.I)


def test_the_only_urls_are_inside_the_inlined_vis_network_licence_text(html):
    vis_js, vis_css = vis_assets()
    assert vis_js in html and vis_css in html
    rest = html.replace(vis_js, "").replace(vis_css, "")
    # the SVG export (assets/svg.js) writes the SVG namespace name into its file: never fetched
    assert rest.count('xmlns: "http://www.w3.org/2000/svg"') == 1
    rest = rest.replace('xmlns: "http://www.w3.org/2000/svg"', "")
    assert "http://" not in rest and "https://" not in rest
    # vis-network's own URLs: licence comments and the SVG namespace name, never fetched
    for url in re.findall(r"https?://[^\s\"'()<>]+", vis_js):
        assert url.startswith(
            (
                "http://almende.com",
                "http://opensource.org",
                "http://www.apache.org",
                "http://www.w3.org/2000/svg",
                "https://github.com/",
                "https://visjs.github.io/",
            )
        ), url


def test_vis_network_comes_from_the_installed_pyvis_package():
    vis_js, vis_css = vis_assets()
    assert "vis-network" in vis_js[:400] and "@version 9." in vis_js[:400]
    assert ".vis-network" in vis_css


# ---------------------------------------------------------------- only what it is given


def test_page_holds_the_given_names_and_nothing_else_per_actor(html):
    for a in ACTORS.values():
        assert a["name"] in html
    for secret in ("Geheime Straat", "celik@example.org", "key-bewoner", "key-init", "key-gem"):
        assert secret not in html
    data = page_data(html)
    assert {a["name"] for a in data["actors"]} == {a["name"] for a in ACTORS.values()}
    assert {n["label"] for n in data["nodes"]} == {a["name"] for a in ACTORS.values()}
    for record in data["actors"]:
        assert set(record) == {
            "id",
            "name",
            "kind",
            "group",
            "groupLabel",
            "metrics",
            "broker",
            "articulation",
            "about",
            "names",
        }
        assert set(record["metrics"]) == {"degree", "betweenness", "brokerage"}
    node_fields = set().union(*(n.keys() for n in data["nodes"]))
    assert node_fields <= {
        "id",
        "label",
        "shape",
        "color",
        "borderWidth",
        "shapeProperties",
        "x",
        "y",
    }


def test_names_are_escaped_not_markup():
    actors = dict(ACTORS)
    actors["key-bewoner-018"] = actor("</script><script>alert(1)</script>", "resident")
    out = render_map(TIES, actors, POSITIONS, MapOptions(), MAP_THEME)
    assert "<script>alert(1)" not in out
    assert "</script><script>alert" not in out
    names = {a["name"] for a in page_data(out)["actors"]}
    assert "</script><script>alert(1)</script>" in names


def test_all_ties_of_every_date_are_in_the_page_with_their_dates(html):
    data = page_data(html)
    assert [(t["type"], t["since"], t["until"]) for t in data["ties"]] == [
        (t["type"], t["since"], t["until"]) for t in TIES
    ]
    assert len(data["edges"]) == len(TIES)
    ids = {a["name"]: a["id"] for a in data["actors"]}
    funds = data["ties"][3]
    assert (funds["from"], funds["to"]) == (ids["Fonds Samen"], ids["Buurtmoestuin"])


# ---------------------------------------------------------------- options and dates


def test_opening_date_is_the_latest_start_date_and_slider_covers_every_month(html):
    data = page_data(html)
    assert data["initialDate"] == "2023-06-01"
    # the slider ends at the last dated change (a tie ending on 2024-06-01), not at its month end
    assert data["dates"][0] == "2022-11-30" and data["dates"][-1] == "2024-06-01"
    assert "2023-06-01" in data["dates"] and "2024-02-29" in data["dates"]
    # Nov 2022 .. May 2024 month ends, the opening date and the last change
    assert len(data["dates"]) == 19 + 1 + 1


def test_slider_has_the_meetings_as_steps_and_sizes_and_marks_per_step():
    out = render_map(
        TIES,
        ACTORS,
        POSITIONS,
        MapOptions(
            at="2030-01-01", meetings=[("2023-03-14", "Buurttafel"), ("2031-01-01", "Later")]
        ),
        MAP_THEME,
    )
    data = page_data(out)
    # a date after the last change opens at the last change; a meeting after it is no step
    assert data["initialDate"] == data["dates"][-1] == "2024-06-01"
    assert "2023-03-14" in data["dates"] and "2031-01-01" not in data["dates"]
    assert data["meetings"][0] == {"date": "2023-03-14", "title": "Buurttafel"}
    # each step carries the degree of every actor at that date, counted here from the fixture
    keys = list(ACTORS)
    for d in data["dates"]:
        pairs = {
            frozenset((t["source"], t["target"]))
            for t in TIES
            if t["since"] <= d and (t.get("until") is None or t["until"] > d)
        }
        expected = [sum(k in p for p in pairs) for k in keys]
        assert data["steps"][d]["degree"] == expected


def test_options_at_and_language_reach_the_page():
    out = render_map(
        TIES,
        ACTORS,
        POSITIONS,
        MapOptions(lang="en", at=date(2023, 2, 14), size_metric="brokerage"),
        MAP_THEME,
    )
    data = page_data(out)
    assert (data["lang"], data["initialDate"], data["sizeMetric"]) == (
        "en",
        "2023-02-14",
        "brokerage",
    )
    assert '<html lang="en">' in out
    assert "Search by name" in out and "Zoek op naam" not in out.split('id="map-data"')[0]


def test_notices_follow_the_options():
    plain = render_map(TIES, ACTORS, POSITIONS, MapOptions(), MAP_THEME)
    fictional = render_map(
        TIES, ACTORS, POSITIONS, MapOptions(fictional_notice=True, names_visible=True), MAP_THEME
    )
    assert 'class="notice notice-fictional"' not in plain
    assert 'class="notice notice-fictional"' in fictional
    assert i18n.words(MAP_THEME, "nl")["names_hidden"] in plain
    assert i18n.words(MAP_THEME, "nl")["names_visible"] in fictional


def test_physics_only_when_positions_are_missing():
    some = {k: p for k, p in POSITIONS.items() if k != "key-fonds-001"}
    with pytest.raises(ValueError, match="no position"):
        render_map(TIES, ACTORS, some, MapOptions(physics=False), MAP_THEME)
    assert page_data(render_map(TIES, ACTORS, some, MapOptions(), MAP_THEME))["physics"] is True
    data = page_data(render_map(TIES, ACTORS, POSITIONS, MapOptions(), MAP_THEME))
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


@pytest.mark.parametrize(
    ("ties", "actors", "message"),
    [
        (
            [tie("key-bewoner-017", "nobody", "knows", "2023-01-01")],
            ACTORS,
            "not one of the actors",
        ),
        ([tie("key-bewoner-017", "key-bewoner-018", "loves", "2023-01-01")], ACTORS, "tie type"),
        ([tie("key-bewoner-017", "key-bewoner-018", "knows", "01-13-2023")], ACTORS, "YYYY-MM-DD"),
        (
            [tie("key-bewoner-017", "key-bewoner-018", "knows", "2023-01-01", weight=0)],
            ACTORS,
            "weight",
        ),
        ([], {"x": actor("X", "alien")}, "unknown kind"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(ties, actors, message):
    positions = {k: (0.0, 0.0) for k in actors}
    with pytest.raises(ValueError, match=message):
        render_map(ties, actors, positions, MapOptions(), MAP_THEME)


def test_map_options_are_checked():
    with pytest.raises(ValueError, match="lang"):
        MapOptions(lang="de")
    with pytest.raises(ValueError, match="size_metric"):
        MapOptions(size_metric="pagerank")
    with pytest.raises(ValueError, match="at"):
        MapOptions(at="31-12-2023")


def test_brokers_are_the_top_share_and_articulation_points_get_dashed_rings(html):
    data = page_data(html)
    by_name = {a["name"]: a for a in data["actors"]}
    # 10% of 5 actors rounds up to one broker: the highest brokerage total (Wijkregisseur, 4)
    assert [n for n, a in by_name.items() if a["broker"]] == ["Wijkregisseur"]
    assert [n for n, a in by_name.items() if a["articulation"]] == ["Buurtmoestuin"]
    # the marks are rings the page draws around the shape; every border stays thin, so the
    # kind's colour stays readable
    nodes = {n["label"]: n for n in data["nodes"]}
    assert {n["borderWidth"] for n in nodes.values()} == {2}
    assert data["marks"]["broker"] == {"width": style.BROKER_BORDER_WIDTH, "dashes": False}
    assert data["marks"]["articulation"]["dashes"] == style.ARTICULATION_DASHES


def test_explicit_broker_flags_win():
    actors = {
        k: dict(a, metrics=dict(a["metrics"], broker=(k == "key-fonds-001")))
        for k, a in ACTORS.items()
    }
    data = page_data(render_map(TIES, actors, POSITIONS, MapOptions(), MAP_THEME))
    assert [a["name"] for a in data["actors"] if a["broker"]] == ["Fonds Samen"]


def test_parallel_ties_bend_apart():
    ties = [
        tie("key-bewoner-017", "key-bewoner-018", "knows", "2023-01-01"),
        tie("key-bewoner-018", "key-bewoner-017", "contacts", "2023-01-01"),
        tie("key-bewoner-017", "key-bewoner-018", "collaborates", "2023-01-01"),
    ]
    edges = page_data(render_map(ties, ACTORS, POSITIONS, MapOptions(), MAP_THEME))["edges"]
    assert edges[0]["smooth"] is False
    assert (edges[1]["smooth"]["type"], edges[2]["smooth"]["type"]) == ("curvedCW", "curvedCCW")


# ---------------------------------------------------------------- style and words


def test_every_kind_has_its_own_colour_and_shape():
    assert set(KIND_STYLES) == set(KIND_KEYS)
    assert len({s.colour for s in KIND_STYLES.values()}) == len(KIND_KEYS)
    assert len({s.shape for s in KIND_STYLES.values()}) == len(KIND_KEYS)
    palette = set(style.OKABE_ITO.values())
    assert all(s.colour in palette for s in KIND_STYLES.values())


def test_tie_styles_tell_types_apart_and_funding_stands_out():
    looks = {(s.colour, s.width, str(s.dashes)) for s in TIE_STYLES.values()}
    assert len(looks) == len(TIE_TYPE_KEYS)
    assert TIE_STYLES["funds"].width == max(s.width for s in TIE_STYLES.values())
    assert TIE_STYLES["funds"].dashes
    for key, t in TIE_TYPES.items():
        theme_type = MAP_THEME.tie_type(key)
        options = style.edge_options(theme_type.style, theme_type.directed)
        assert options["arrows"]["to"]["enabled"] is t.directed
    knows = MAP_THEME.tie_type("knows")
    assert style.edge_options(knows.style, knows.directed, weight=3)["width"] == (
        TIE_STYLES["knows"].width + 2
    )


def test_every_word_exists_in_both_languages():
    assert set(i18n.UI["nl"]) == set(i18n.UI["en"])
    cat = i18n.catalogue(MAP_THEME)
    assert set(cat["nl"]["kinds"]) == set(cat["en"]["kinds"]) == set(KIND_KEYS)
    assert cat["en"]["ties"]["funds"]["sentence"] == "{source} funds {target}"


def test_role_sentences_use_the_brokerage_module_explanations():
    metrics = {"brokerage": {"liaison": 3, "gatekeeper": 1, "total": 4}, "articulation_point": True}
    assert i18n.about_actor("Pieters", metrics, "nl", MAP_THEME) == [
        "Vooral verbindingspersoon. " + describe_role("liaison", "nl"),
        "Pieters staat 4 keer tussen twee anderen zonder rechtstreekse band.",
        "Als Pieters wegvalt, raakt een deel van het netwerk los.",
    ]
    assert i18n.about_actor("Pieters", metrics, "en", MAP_THEME) == [
        "Mainly a liaison. This actor connects two other groups, neither of which is its own.",
        "Pieters stands 4 times between two others without a direct tie.",
        "If Pieters drops out, part of the network is cut off.",
    ]
    # the total is summed from the roles when absent
    gatekeeper = i18n.about_actor("Ans", {"brokerage": {"gatekeeper": 1}}, "nl", MAP_THEME)
    assert gatekeeper == [
        "Vooral poortwachter. " + describe_role("gatekeeper", "nl"),
        "Ans staat één keer tussen twee anderen zonder rechtstreekse band.",
    ]
    assert i18n.about_actor("Bo", {"brokerage": ROLES0}, "en", MAP_THEME) == [
        "Bo does not stand between others who are not already directly connected."
    ]
    roles = MAP_THEME.role_keys
    assert i18n.dominant_role({"coordinator": 2, "liaison": 2}, roles) == "coordinator"
    assert i18n.dominant_role({"total": 5}, roles) is None
    assert i18n.group_label("official", "nl", MAP_THEME) == "gemeente-medewerkers"
    assert i18n.group_label("Noord", "en", MAP_THEME) == "Noord"


def test_pyvis_default_is_the_plain_pyvis_page_for_the_benchmark():
    out = render_pyvis_default(TIES, ACTORS, MAP_THEME)
    assert "drawGraph" in out and "stabilizationIterationsDone" in out
    assert "cdn.jsdelivr.net" in out  # why we do not use pyvis's template for offline maps


# ---------------------------------------------------------------- layout


def _median_tie(pos, G):
    return float(np.median([math.dist(pos[u], pos[v]) for u, v in G.edges()]))


@pytest.mark.parametrize(("n", "m"), [(40, 80), (700, 2000)])  # Kamada–Kawai and grid FR
def test_layout_is_deterministic_for_a_seed_and_scaled_to_vis_units(n, m):
    G = nx.gnm_random_graph(n, m, seed=5)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()  # one component
    n = len(G)
    state = random.getstate()
    a = compute_layout(G, seed=11)
    assert random.getstate() == state  # igraph's random source was given back untouched
    assert a == compute_layout(G, seed=11)
    assert a != compute_layout(G, seed=12)
    assert set(a) == set(G)
    coords = np.array(list(a.values()))
    nearest = np.median(cKDTree(coords).query(coords, k=2)[0][:, 1])
    tie = _median_tie(a, G)
    # scaled to the median tie, or further when actors would crowd: one of the two binds
    assert tie >= EDGE_LENGTH * 0.999 and nearest >= MIN_SPACING * 0.999
    assert tie == pytest.approx(EDGE_LENGTH, rel=1e-3) or nearest == pytest.approx(
        MIN_SPACING, rel=1e-3
    )
    xs, ys = zip(*a.values(), strict=True)
    assert abs(min(xs) + max(xs)) < 1 and abs(min(ys) + max(ys)) < 1  # centred
    assert len(set(a.values())) == n  # nobody on top of anybody


def _box(pos, keys):
    xs, ys = zip(*(pos[k] for k in keys), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _apart(a, b, gap):
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


def test_pack_components_moves_parts_apart_and_stands_isolates_in_a_block():
    # three parts laid out on top of each other at the origin, and five isolates
    big = {f"b{i}": (100.0 * (i % 4), 100.0 * (i // 4)) for i in range(12)}  # 300 x 200
    mid = {"m0": (0.0, 0.0), "m1": (200.0, 0.0), "m2": (100.0, 50.0)}  # 200 x 50
    two = {"t0": (0.0, 0.0), "t1": (0.0, 80.0)}  # 0 x 80
    pos = pack_components([two, big, mid], ["i3", "i1", "i2", "i0", "i4"], gap=50, spacing=40)
    assert set(pos) == set(big) | set(mid) | set(two) | {"i0", "i1", "i2", "i3", "i4"}
    # each part keeps its shape: only moved
    for part in (big, mid, two):
        first = next(iter(part))
        dx, dy = pos[first][0] - part[first][0], pos[first][1] - part[first][1]
        assert all(pos[k] == (v[0] + dx, v[1] + dy) for k, v in part.items())
    boxes = [_box(pos, part) for part in (big, mid, two)]
    for i in range(3):
        for j in range(i + 1, 3):
            assert _apart(boxes[i], boxes[j], 50)
    # rows of at most sqrt(total area * 4/3) = sqrt((350*250 + 250*100 + 50*130) * 4/3)
    # = 398.3 wide: the largest part alone in the first row, the other two in the second
    assert boxes[0][3] + 50 == pytest.approx(min(boxes[1][1], boxes[2][1]))
    assert boxes[1][0] - boxes[0][0] == pytest.approx((300 - (200 + 50 + 0)) / 2)
    # five isolates: a 3 x 2 grid, 40 apart, row by row in the given order, right of the parts
    iso = ["i3", "i1", "i2", "i0", "i4"]
    origin = pos["i3"]
    for j, key in enumerate(iso):
        assert pos[key] == (origin[0] + 40 * (j % 3), origin[1] + 40 * (j // 3))
    packed_right = max(b[2] for b in boxes)
    assert origin[0] == pytest.approx(packed_right + 50)
    # centred vertically on the packed parts (which are 200 + 50 + 80 = 330 high)
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    assert origin[1] + 20 == pytest.approx((top + bottom) / 2)
    # the whole picture is centred on (0, 0)
    xs, ys = zip(*pos.values(), strict=True)
    assert (min(xs) + max(xs)) / 2 == pytest.approx(0, abs=0.1)
    assert (min(ys) + max(ys)) / 2 == pytest.approx(0, abs=0.1)
    assert pos == pack_components([two, big, mid], iso, gap=50, spacing=40)


def test_layout_packs_components_and_isolates_deterministically():
    G = nx.disjoint_union_all(
        [nx.connected_watts_strogatz_graph(40, 4, 0.2, seed=1), nx.cycle_graph(8), nx.path_graph(3)]
    )
    G.add_nodes_from(["alone1", "alone2", "alone3", "alone4"])
    pos = compute_layout(G, seed=5)
    assert pos == compute_layout(G, seed=5)
    parts = [sorted(c, key=str) for c in nx.connected_components(G) if len(c) > 1]
    boxes = [_box(pos, c) for c in parts]
    gap = EDGE_LENGTH  # one tie length between parts
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert _apart(boxes[i], boxes[j], gap * 0.999)
    # every part is scaled to its own median tie
    for c in parts:
        assert _median_tie(pos, G.subgraph(c)) >= EDGE_LENGTH * 0.999
    alone = sorted(pos[k] for k in ["alone1", "alone2", "alone3", "alone4"])
    xs = sorted({p[0] for p in alone})
    ys = sorted({p[1] for p in alone})
    assert len(xs) == 2 and len(ys) == 2  # a 2 x 2 block
    assert xs[1] - xs[0] == pytest.approx(ys[1] - ys[0])
    assert xs[0] > max(b[2] for b in boxes)  # right of every part


def test_layout_gives_core_actors_room():
    # a star of five core actors, each with eight residents of its own
    G = nx.Graph()
    for c in range(5):
        G.add_node(f"core{c}", core=True)
        G.add_edge(f"core{c}", "hub")
        for r in range(8):
            G.add_edge(f"core{c}", f"res{c}-{r}")
    G.nodes["hub"]["core"] = True
    plain = nx.Graph(G.edges())  # the same network, nobody core

    def core_spread(pos):
        keys = [f"core{c}" for c in range(5)]
        return min(math.dist(pos[a], pos[b]) for a in keys for b in keys if a < b) / _median_tie(
            pos, G
        )

    assert core_spread(compute_layout(G, seed=2)) > 1.3 * core_spread(compute_layout(plain, seed=2))


def test_layout_of_tiny_and_tieless_graphs():
    assert compute_layout(nx.Graph()) == {}
    assert compute_layout(nx.empty_graph(["a"])) == {"a": (0.0, 0.0)}
    pos = compute_layout(nx.empty_graph(["a", "b", "c"]), seed=1)
    assert len(set(pos.values())) == 3
    with pytest.raises(ValueError):
        compute_layout(nx.path_graph(3), method="circle")


def test_layout_ignores_direction_and_insertion_order():
    D = nx.DiGraph([("b", "a"), ("a", "c"), ("c", "d")])
    U = nx.Graph([("c", "d"), ("a", "c"), ("a", "b")])
    assert compute_layout(D, seed=2) == compute_layout(U, seed=2)


def test_extend_layout_keeps_known_positions_and_places_new_actors_near_neighbours():
    G = nx.connected_watts_strogatz_graph(60, 4, 0.1, seed=3)
    G = nx.relabel_nodes(G, {i: f"a{i}" for i in G})
    known = compute_layout(G, seed=1)
    known["gone"] = (9999.0, 9999.0)  # an actor that left the network is ignored
    H = G.copy()
    H.add_edges_from([("new1", "a0"), ("new1", "a1"), ("new2", "new1"), ("new3", "new4")])
    out = extend_layout(H, known, seed=4)
    assert set(out) == set(H)
    for key in G:
        assert out[key] == known[key]
    assert out == extend_layout(H, known, seed=4)
    centre = np.mean([known["a0"], known["a1"]], axis=0)
    radius = max(math.dist(p, (0, 0)) for k, p in known.items() if k != "gone")
    assert math.dist(out["new1"], centre) < 2 * EDGE_LENGTH
    assert math.dist(out["new2"], out["new1"]) < 3 * EDGE_LENGTH
    assert math.dist(out["new1"], (0, 0)) < radius + EDGE_LENGTH
    assert all(out["new1"] != out[k] for k in G)


def test_extend_layout_edge_cases():
    G = nx.path_graph(["a", "b", "c"])
    full = {"a": (0.0, 0.0), "b": (10.0, 0.0), "c": (20.0, 0.0)}
    assert extend_layout(G, full) == full
    assert extend_layout(G, {}, seed=3) == compute_layout(G, seed=3)


def test_a_tie_marked_dashed_gets_dashes_and_a_legend_entry_in_both_languages():
    ties = [
        {**tie("key-bewoner-017", "key-bewoner-018", "knows", "2022-11-05"), "dashed": True},
        tie("key-init-001", "key-gem-001", "contacts", "2023-04-01"),
    ]
    html = render_map(ties, ACTORS, POSITIONS, MapOptions(), MAP_THEME)
    data = page_data(html)
    dashes = {e["id"]: e["dashes"] for e in data["edges"]}
    assert dashes == {"t0": style.DASHED_TIE, "t1": list(TIE_STYLES["contacts"].dashes)}
    assert [t["dashed"] for t in data["ties"]] == [True, False]
    assert 'id="legend-dashed"' in html
    assert "onbevestigd — door één kant genoemd" in html
    assert data["i18n"]["en"]["ui"]["legend_dashed"] == "unconfirmed — named by one side"
    # Without a dashed tie there is no entry; a flag that is not a boolean is refused.
    plain = render_map(ties[1:], ACTORS, POSITIONS, MapOptions(), MAP_THEME)
    assert 'id="legend-dashed"' not in plain
    with pytest.raises(ValueError, match=r"ties\[0\]\.dashed"):
        render_map([{**ties[1], "dashed": "yes"}], ACTORS, POSITIONS, MapOptions(), MAP_THEME)


def test_unconfirmed_survey_ties_of_symmetric_types_are_dashed_on_the_map():
    from graphsvc.analysis.map_content import map_ties
    from graphsvc.dataset import Actor, Tie
    from graphsvc.store.repository import NetworkRows

    day = date(2024, 1, 1)
    actors = [Actor(k, "initiative", k, ("p",)) for k in ("a", "b", "c", "d")]
    no = {"confirmed": False}
    found = map_ties(
        NetworkRows(
            actors,
            [
                Tie("a", "b", "collaborates", day, provenance="survey:r", attributes=no),
                Tie("b", "c", "knows", day, provenance="survey:r", attributes={"confirmed": True}),
                Tie("c", "d", "supports", day, provenance="survey:r", attributes=no),
                Tie("a", "d", "knows", day),
            ],
            [],
            [],
            {"p": 1},
        )
    )
    assert {(t["source"], t["target"]): t["dashed"] for t in found} == {
        ("a", "b"): True,
        ("b", "c"): False,
        ("c", "d"): False,  # a directed type keeps its own line
        ("a", "d"): False,
    }
