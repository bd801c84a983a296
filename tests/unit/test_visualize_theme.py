"""visualize/ on its own: a map of cats and dogs, with every word and look from the theme.

Nothing here comes from graphsvc: the renderer must work for any caller's vocabulary.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import networkx as nx
import pytest

from visualize import i18n
from visualize.layout import compute_layout
from visualize.render import MapOptions, render_map
from visualize.style import OKABE_ITO, KindStyle, TieStyle
from visualize.theme import ActorKind, BrokerRole, MapTheme, TieKind

pytestmark = pytest.mark.unit

CAT = ActorKind(
    "cat", {"nl": "kat", "en": "cat"}, {"nl": "katten", "en": "cats"}, KindStyle("#112233", "dot")
)
DOG = ActorKind(
    "dog",
    {"nl": "hond", "en": "dog"},
    {"nl": "honden", "en": "dogs"},
    KindStyle(OKABE_ITO["blue"], "diamond"),
)
CHASES = TieKind(
    "chases",
    {"nl": "jaagt op", "en": "chases"},
    {"nl": "{source} jaagt op {target}", "en": "{source} chases {target}"},
    directed=True,
    style=TieStyle("#AA0011", 4.0, [9, 3]),
)
SNIFFS = TieKind(
    "sniffs",
    {"nl": "besnuffelt", "en": "sniffs"},
    {"nl": "{source} en {target} besnuffelen elkaar", "en": "{source} and {target} sniff"},
    directed=False,
    style=TieStyle("#00AA22", 1.0, False),
)
HERDER = BrokerRole(
    "herder",
    {"nl": "Vooral herder.", "en": "Mainly a herder."},
    {"nl": "Drijft anderen bijeen.", "en": "Drives others together."},
)
THEME = MapTheme(
    kinds=(CAT, DOG),
    tie_types=(CHASES, SNIFFS),
    roles=(HERDER,),
    texts={"en": {"names_hidden": "Pet names are secret."}},
)


def pets() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("c1", name="Minoes", kind="cat", brokerage={"herder": 0})
    G.add_node("c2", name="Tijger", kind="cat", brokerage={"herder": 0})
    G.add_node("d1", name="Bello", kind="dog", brokerage={"herder": 3}, cut=True)
    G.add_edge("d1", "c1", type="chases", since="2024-01-01")
    G.add_edge("d1", "c2", type="chases", since="2024-02-01")
    G.add_edge("c1", "c2", type="sniffs", since="2024-03-01")
    return G


def render(G: nx.DiGraph, theme: MapTheme = THEME, **options) -> str:
    ties = [
        {"source": u, "target": v, "type": d["type"], "since": d["since"]}
        for u, v, d in G.edges(data=True)
    ]
    actors = {
        key: {
            "name": d["name"],
            "kind": d["kind"],
            "metrics": {
                "degree": G.degree(key),
                "betweenness": 0.0,
                "brokerage": d["brokerage"],
                "articulation_point": d.get("cut", False),
            },
        }
        for key, d in G.nodes(data=True)
    }
    return render_map(ties, actors, compute_layout(G, seed=1), MapOptions(**options), theme)


def page_data(html: str) -> dict:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def legend_labels(html: str, attribute: str) -> list[str]:
    return re.findall(rf'<span {attribute}="[^"]+">([^<]+)</span>', html)


def test_legend_and_labels_are_the_themes_in_the_page_language():
    nl = render(pets())
    # the side panel's legend and the compact legend of presentation mode
    assert legend_labels(nl, "data-kind-label") == ["katten", "honden"] * 2
    assert legend_labels(nl, "data-tie-label") == ["jaagt op", "besnuffelt"]
    en = render(pets(), lang="en")
    assert legend_labels(en, "data-kind-label") == ["cats", "dogs"] * 2
    assert legend_labels(en, "data-tie-label") == ["chases", "sniffs"]
    catalogue = page_data(en)["i18n"]
    assert catalogue["nl"]["kinds"] == {
        "cat": {"one": "kat", "many": "katten"},
        "dog": {"one": "hond", "many": "honden"},
    }
    assert catalogue["en"]["ties"]["chases"] == {
        "label": "chases",
        "sentence": "{source} chases {target}",
        "directed": True,
    }
    assert catalogue["nl"]["ties"]["sniffs"]["directed"] is False


def test_looks_come_from_the_theme():
    html = render(pets())
    data = page_data(html)
    nodes = {n["label"]: n for n in data["nodes"]}
    assert (nodes["Minoes"]["shape"], nodes["Minoes"]["color"]["background"]) == ("dot", "#112233")
    assert (nodes["Bello"]["shape"], nodes["Bello"]["color"]["background"]) == (
        "diamond",
        OKABE_ITO["blue"],
    )
    chase = next(e for e in data["edges"] if e["color"]["color"] == "#AA0011")
    assert (chase["width"], chase["dashes"], chase["arrows"]["to"]["enabled"]) == (
        4.0,
        [9, 3],
        True,
    )
    sniff = next(e for e in data["edges"] if e["color"]["color"] == "#00AA22")
    assert (sniff["dashes"], sniff["arrows"]["to"]["enabled"]) == (False, False)
    # the legend swatches are drawn with the same colours and the dash pattern
    assert 'fill="#112233"' in html and 'stroke="#AA0011"' in html
    assert 'stroke-dasharray="9 3"' in html


def test_roles_and_words_come_from_the_theme():
    data = page_data(render(pets(), lang="en"))
    bello = next(a for a in data["actors"] if a["name"] == "Bello")
    assert bello["broker"] and bello["articulation"]
    assert bello["metrics"]["brokerage"] == 3.0  # summed over the theme's roles
    assert bello["about"]["en"] == [
        "Mainly a herder. Drives others together.",
        "Bello stands 3 times between two others without a direct tie.",
        "If Bello drops out, part of the network is cut off.",
    ]
    assert bello["about"]["nl"][0] == "Vooral herder. Drijft anderen bijeen."
    assert bello["groupLabel"] == {"nl": "honden", "en": "dogs"}
    ui = data["i18n"]
    assert ui["en"]["ui"]["names_hidden"] == "Pet names are secret."
    assert ui["nl"]["ui"]["names_hidden"] == i18n.UI["nl"]["names_hidden"]  # generic word kept
    assert ui["en"]["ui"]["search_label"] == "Search by name"


def test_a_theme_without_roles_names_no_role():
    theme = MapTheme(kinds=(CAT, DOG), tie_types=(CHASES, SNIFFS))
    data = page_data(render(pets(), theme=theme, lang="en"))
    bello = next(a for a in data["actors"] if a["name"] == "Bello")
    assert bello["metrics"]["brokerage"] == 0.0 and bello["broker"] is False
    assert bello["about"]["en"][0] == (
        "Bello does not stand between others who are not already directly connected."
    )


def test_kinds_and_types_outside_the_theme_are_refused():
    G = pets()
    G.add_node("h1", name="Bles", kind="horse", brokerage={})
    with pytest.raises(ValueError, match=r"actor 'h1': unknown kind 'horse'"):
        render(G)
    G = pets()
    G.add_edge("c2", "d1", type="hisses", since="2024-01-01")  # second in G.edges order
    with pytest.raises(ValueError, match=r"ties\[1\]\.type: unknown tie type 'hisses'"):
        render(G)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ActorKind("cat", {"nl": "kat"}, CAT.many, CAT.style),
            r"actor kind 'cat': one: a text is required for language\(s\) en",
        ),
        (
            lambda: ActorKind("cat", CAT.one, CAT.many, KindStyle("#000000", "star")),
            "style.shape 'star' is not one of",
        ),
        (
            lambda: TieKind(
                "x", CHASES.label, {"nl": "{source}", "en": "{source} {target}"}, True, CHASES.style
            ),
            r"tie type 'x': sentence\['nl'\] must contain \{source\} and \{target\}",
        ),
        (lambda: BrokerRole("total", HERDER.headline, HERDER.explanation), "'total'"),
        (lambda: MapTheme(kinds=(CAT, CAT), tie_types=(CHASES,)), "MapTheme.kinds: keys"),
        (lambda: MapTheme(kinds=(), tie_types=(CHASES,)), "MapTheme.kinds: at least one"),
        (
            lambda: MapTheme(kinds=(CAT,), tie_types=(CHASES,), texts={"nl": {"miauw": "x"}}),
            r"MapTheme.texts\['nl'\]: unknown word 'miauw'",
        ),
        (
            lambda: MapTheme(kinds=(CAT,), tie_types=(CHASES,), texts={"de": {}}),
            "unknown language 'de'",
        ),
    ],
)
def test_a_bad_theme_is_refused_naming_the_field(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_importing_the_renderer_loads_nothing_of_graphsvc():
    code = (
        "import sys, visualize.render, visualize.layout, visualize.theme; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'graphsvc'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
