"""CSV for Dutch spreadsheets and the server-drawn SVG charts: literal output."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from graphsvc.analysis.decisions import phase_dates
from graphsvc.dataset import Actor, Meeting, Tie
from graphsvc.store.repository import NetworkRows
from graphsvc.web import charts
from graphsvc.web.tables import csv_text

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"


def test_csv_text_is_excel_ready_for_dutch_settings():
    text = csv_text(["naam", "waarde"], [["=SUM(A1)", 0.25], ["Anne-Marie 't Hart", None]])
    assert text == ("\ufeffnaam;waarde\r\n'=SUM(A1);0,25\r\nAnne-Marie 't Hart;\r\n")
    assert csv_text(["a"], [[True], [3]]) == "\ufeffa\r\nja\r\n3\r\n"


def test_heatmap_has_a_text_alternative_and_every_value():
    svg = charts.heatmap(["a", "b"], [[0.5, None], [0.25, 1.0]], "Titel", "Uitleg", "nl")
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Titel" and root.find(f"{SVG}desc").text == "Uitleg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["a", "b", "a", "0,50", "–", "b", "0,25", "1,00"]
    assert len(list(root.iter(f"{SVG}rect"))) == 4
    assert "style=" not in str(svg)  # a hash-based CSP would block style attributes


def test_sparkline_and_timeline():
    root = ET.fromstring(str(charts.sparkline([1, None, 3, 2], "t", "d")))
    points = root.find(f"{SVG}polyline").get("points").split()
    assert (
        len(points) == 3 and points[1] == "79.0,3.0"
    )  # x = 3 + 2 * 114 / 3; the highest value at the top
    empty = ET.fromstring(str(charts.sparkline([None, 1], "t", "d")))
    assert empty.find(f"{SVG}polyline") is None
    strip = ET.fromstring(
        str(
            charts.timeline(
                [("2024-01-31", "scattered", "31 jan"), ("2024-02-29", "multi_hub", "29 feb")],
                "t",
                "d",
                {},
            )
        )  # fmt: skip
    )
    fills = [r.get("fill") for r in strip.iter(f"{SVG}rect")][:2]
    assert fills == [charts.PHASE_COLOURS["scattered"], charts.PHASE_COLOURS["multi_hub"]]


def test_phase_dates_are_month_ends_and_meetings():
    D = dt.date
    rows = NetworkRows(
        [Actor("a", "resident", "A", ("p",)), Actor("b", "initiative", "B", ("p",))],
        [Tie("a", "b", "knows", D(2024, 1, 15), D(2024, 3, 10))],
        [Meeting("m1", D(2024, 2, 2), "Avond", "p"), Meeting("m2", D(2025, 1, 1), "Later", "p")],
        [],
        {"p": 1},
    )
    assert phase_dates(rows) == [
        D(2024, 1, 31), D(2024, 2, 2), D(2024, 2, 29), D(2024, 3, 10),
    ]  # fmt: skip


def _svg(markup) -> ET.Element:
    text = str(markup)
    assert "style=" not in text  # a hash-based CSP would block style attributes
    return ET.fromstring(text)


def test_brokerage_roles_per_group_are_drawn_to_scale():
    import networkx as nx

    from graphsvc.metrics.brokerage import brokerage_roles
    from graphsvc.web.decision_pages import roles_chart

    kinds = {"r1": "resident", "r2": "resident", "r3": "resident"}
    kinds.update({"i1": "initiative", "o1": "official"})
    G = nx.DiGraph(
        [("r1", "r2"), ("r2", "i1"), ("i1", "o1"), ("o1", "r1"), ("r2", "r3"), ("r3", "o1")]
    )
    nx.set_node_attributes(G, kinds, "group")
    # By hand, every open two-path a -> v -> b (no arc a -> b) and the groups of a, v, b:
    # o1>r1>r2 gatekeeper r1; r1>r2>i1 representative r2; r1>r2>r3 coordinator r2;
    # r2>r3>o1 representative r3; r2>i1>o1 liaison i1; i1>o1>r1 liaison o1;
    # r3>o1>r1 itinerant o1.
    roles = brokerage_roles(G)
    assert roles["r2"] == {
        "coordinator": 1, "itinerant": 0, "representative": 1, "gatekeeper": 0, "liaison": 0,
        "total": 2,
    }  # fmt: skip
    actors = [{"group": kinds[v], "brokerage": roles[v]} for v in G]
    root = _svg(roles_chart(actors, ["initiative", "official", "resident"], "en"))
    bars = {(r.get("data-group"), r.get("data-series")): r for r in root.iter(f"{SVG}rect")}
    heights = {k: float(r.get("height")) for k, r in bars.items() if k[0]}
    # Residents: coordinator 1, representative 2, gatekeeper 1; initiatives: liaison 1;
    # officials: itinerant 1, liaison 1.  The largest (2) is charts.GROUPED_PLOT = 150 high.
    assert heights == {
        ("initiatives", "coordinator"): 0.0, ("initiatives", "itinerant broker"): 0.0,
        ("initiatives", "representative"): 0.0, ("initiatives", "gatekeeper"): 0.0,
        ("initiatives", "liaison"): 75.0,
        ("officials", "coordinator"): 0.0, ("officials", "itinerant broker"): 75.0,
        ("officials", "representative"): 0.0, ("officials", "gatekeeper"): 0.0,
        ("officials", "liaison"): 75.0,
        ("residents", "coordinator"): 75.0, ("residents", "itinerant broker"): 0.0,
        ("residents", "representative"): 150.0, ("residents", "gatekeeper"): 75.0,
        ("residents", "liaison"): 0.0,
    }  # fmt: skip
    rep = bars[("residents", "representative")]
    assert rep.find(f"{SVG}title").text == "residents, representative: 2"
    assert float(rep.get("y")) + 150.0 == pytest.approx(22 + 150)  # bars stand on one line
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:5] == ["0", "0", "0", "0", "1"] and "initiatives" in texts  # values, group
    assert texts[-5:] == [
        "coordinator",
        "itinerant broker",
        "representative",
        "gatekeeper",
        "liaison",
    ]  # fmt: skip  (the legend)
    assert root.find(f"{SVG}title").text == "Brokerage roles by group"
    assert "residents: coordinator 1, itinerant broker 0, representative 2, gatekeeper 1, " \
        "liaison 0" in root.find(f"{SVG}desc").text  # fmt: skip


def test_reciprocity_per_group_pair_leaves_pairs_without_directed_ties_empty():
    import networkx as nx

    from graphsvc.metrics.mixing import reciprocity_by_group_pair
    from graphsvc.web.decision_pages import reciprocity_chart

    G = nx.DiGraph()
    G.add_edge("i1", "o1", types=["contacts"])
    G.add_edge("o1", "i1", types=["advises"])  # returns i1 -> o1
    G.add_edge("i2", "o1", types=["contacts"])  # not returned
    G.add_edge("r1", "i1", types=["knows"])  # symmetric: two arcs, left out below
    G.add_edge("i1", "r1", types=["knows"])
    kinds = {"i1": "initiative", "i2": "initiative", "o1": "official", "r1": "resident"}
    nx.set_node_attributes(G, kinds, "group")
    recip = reciprocity_by_group_pair(G, tie_types=["contacts", "advises", "supports", "funds"])
    # By hand: initiatives -> officials 1 of 2 returned, officials -> initiatives 1 of 1,
    # every other pair has no directed tie at all: "—", not 0.
    root = _svg(reciprocity_chart(recip, ["initiative", "official", "resident"], "nl"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == [
        "initiatieven", "gemeente", "bewoners",
        "initiatieven", "—", "0,50", "—",
        "gemeente", "1,00", "—", "—",
        "bewoners", "—", "—", "—",
    ]  # fmt: skip
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert fills.count(charts.MISSING) == 7 and fills.count(charts.ACCENT) == 2
    assert root.find(f"{SVG}desc").text.endswith(
        "initiatieven → gemeente: 50% (1 van 2); gemeente → initiatieven: 100% (1 van 1)."
    )


def _demo_graph(key: str, at: dt.date):
    from graphsvc.analysis.graph import GraphRequest, Selection, build_graph
    from graphsvc.transfer.seeding import seed_dataset

    ds = seed_dataset(key)
    rows = NetworkRows(ds.actors, ds.ties, ds.meetings, ds.attendance, {key: 1})
    return build_graph(rows, GraphRequest.parse(Selection.of([key]), at))


@pytest.mark.parametrize("key", ["zandwijk", "lindehoven"])
def test_trend_values_equal_the_full_report_and_scorecard(key):
    """The sparklines' cheap values are the very values the scorecard and comparison show."""
    from graphsvc.analysis.decisions import TREND_INDICATORS, trend_values
    from graphsvc.metrics.indicators import INDICATORS, value_at
    from graphsvc.metrics.report import actor_report, network_report
    from graphsvc.metrics.scorecard import network_scorecard

    G = _demo_graph(key, dt.date(2024, 3, 31))
    network = network_report(G)
    card = network_scorecard(G, network, actor_report(G))
    full = {i["key"]: i["value"] for g in card["groups"] for i in g["indicators"]}
    for k in TREND_INDICATORS:
        if INDICATORS[k].path is not None:
            full.setdefault(k, value_at(network, INDICATORS[k].path))
    quick = trend_values(G)
    assert set(quick) == set(TREND_INDICATORS)
    for k in TREND_INDICATORS:
        assert quick[k] == pytest.approx(full[k]), k
