"""CSV for Dutch spreadsheets and the server-drawn SVG charts: literal output."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from graphsvc.analysis.decisions import phase_dates, quick_headline
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


def test_quick_headline():
    import networkx as nx

    G = nx.Graph([("a", "b")])
    G.add_node("c")
    G.graph["ties_used"] = 1
    assert quick_headline(G) == {
        "ties": 1, "density": pytest.approx(1 / 3), "largest_component_share": pytest.approx(2 / 3),
        "isolates": 1,
    }  # fmt: skip
