"""The indicator table: every rule flips at its boundary, texts follow the rules, the table
is complete, and the scorecard built from it says what the values are."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from graphsvc.analysis.graph import GraphRequest, Selection, build_graph
from graphsvc.dataset import Actor, Tie
from graphsvc.metrics.indicators import (
    HEADLINE,
    INDICATORS,
    LESSONS,
    METADATA,
    METRICS,
    Indicator,
    value_at,
)
from graphsvc.metrics.report import actor_report, network_report
from graphsvc.metrics.rules import Reading, Text, Threshold, format_value
from graphsvc.metrics.scorecard import COMPUTED, indicator_entry, network_scorecard
from graphsvc.store.repository import NetworkRows
from graphsvc.web.pagetext import CARD_INDICATORS

pytestmark = pytest.mark.unit

RULED = sorted(k for k, ind in INDICATORS.items() if ind.rule is not None)
SCORECARD = [k for lesson in LESSONS for k in lesson.indicators]


def _step(ind: Indicator) -> float:
    """The smallest step past a boundary: one for counts, a hair for fractions."""
    return 1 if ind.fmt == "count" else 1e-9


# -- every rule, from the table -------------------------------------------------------------


@pytest.mark.parametrize("key", RULED)
def test_rule_flips_exactly_at_its_boundary(key):
    ind = INDICATORS[key]
    rule = ind.rule
    assert rule is not None
    low, high = rule.boundary - _step(ind), rule.boundary + _step(ind)
    past, inside = (low, high) if rule.direction == "below" else (high, low)
    for value, expected in (
        (rule.boundary, rule.within),
        (past, rule.beyond),
        (inside, rule.within),
    ):
        # The scorecard's own path (indicator_entry), not only the rule object.
        assert indicator_entry(ind, value)["signal"] == expected, (key, value)
    assert indicator_entry(ind, None)["signal"] == "none"
    assert {rule.beyond, rule.within} == {"attention", "ok"}


@pytest.mark.parametrize("key", sorted(set(SCORECARD) - set(RULED)))
def test_context_only_indicators_never_ask_for_attention(key):
    ind = INDICATORS[key]
    value = [] if ind.fmt == "list" else 0
    entry = indicator_entry(ind, value)
    assert entry["signal"] == "ok" and entry["rule"] == "context only"
    assert indicator_entry(ind, 10**6 if ind.fmt != "list" else [])["signal"] == "ok"


# -- hand-written: literal values and signals, so a flipped comparison shows ------------------


@pytest.mark.parametrize(
    "key, value, signal",
    [
        ("largest_component_share", 0.79, "attention"),
        ("largest_component_share", 0.8, "ok"),
        ("largest_component_share", 1.0, "ok"),
        ("isolates", 0, "ok"),
        ("isolates", 1, "attention"),
        ("articulation_points", 3, "attention"),
        ("density", 0.0, "ok"),
        ("ei_index", -0.31, "attention"),
        ("ei_index", -0.3, "ok"),
        ("ei_index", 0.9, "ok"),
        ("degree_centralization", 0.5, "ok"),
        ("degree_centralization", 0.51, "attention"),
        ("reciprocity_initiative_official", 0.29, "attention"),
        ("reciprocity_initiative_official", 0.3, "ok"),
        ("contact_started_by_initiatives", 0.81, "attention"),
        ("contact_started_by_initiatives", 0.5, "ok"),
        ("single_funder_share", 0.5, "ok"),
        ("single_funder_share", 0.75, "attention"),
        ("initiative_visibility", 0.69, "attention"),
        ("initiative_visibility", 0.7, "ok"),
        ("initiatives_brokering", 0, "ok"),
        ("top_brokers", None, "none"),
    ],
)
def test_literal_signals(key, value, signal):
    assert indicator_entry(INDICATORS[key], value)["signal"] == signal


# Each rule as people read it: a wrong boundary, direction or unit changes these words.
RULE_WORDS = {
    "largest_component_share": ("attention below 80%", "let op onder 80%"),
    "isolates": ("attention when any", "let op bij één of meer"),
    "articulation_points": ("attention when any", "let op bij één of meer"),
    "ei_index": ("attention below -0.3", "let op onder -0,3"),
    "degree_centralization": ("attention above 0.5", "let op boven 0,5"),
    "reciprocity_initiative_official": ("attention below 30%", "let op onder 30%"),
    "contact_started_by_initiatives": ("attention above 80%", "let op boven 80%"),
    "single_funder_share": ("attention above 50%", "let op boven 50%"),
    "initiative_visibility": ("attention below 70%", "let op onder 70%"),
}


def test_every_rule_in_words():
    assert set(RULE_WORDS) == set(RULED)
    for key, (en, nl) in RULE_WORDS.items():
        rule = INDICATORS[key].rule
        assert rule is not None
        assert (rule.text("en"), rule.text("nl")) == (en, nl), key
        assert indicator_entry(INDICATORS[key], 0.5)["rule"] == en


def test_sentences_fill_in_the_value_and_the_reading_of_the_rule():
    central = INDICATORS["degree_centralization"]
    high, low = indicator_entry(central, 0.6), indicator_entry(central, 0.5)
    assert high["explanation_en"] == "Centralization 0.60: a few hubs dominate the network."
    assert high["explanation_nl"] == "Centralisatie 0,60: een paar spillen domineren het netwerk."
    assert low["explanation_en"] == "Centralization 0.50: ties are fairly spread out."
    none = indicator_entry(central, None)
    assert none["explanation_nl"] == "Centralisatie \u2013: relaties zijn redelijk gespreid."
    # The E-I sentence reads the sign, its rule a clearly inward network.
    ei = indicator_entry(INDICATORS["ei_index"], -0.1)
    assert ei["explanation_en"] == "E-I index -0.10: ties mostly stay within groups."
    assert ei["signal"] == "ok"
    assert indicator_entry(INDICATORS["ei_index"], 0.0)["explanation_nl"] == (
        "E-I-index 0,00: relaties lopen vaak tussen groepen."
    )
    share = indicator_entry(INDICATORS["largest_component_share"], 0.754)
    assert share["explanation_nl"] == (
        "75% van de actoren hoort bij het grootste samenhangende deel."
    )
    assert indicator_entry(INDICATORS["density"], 0.21428)["explanation_en"] == (
        "Density 0.214: this share of all possible ties exists."
    )


# -- the rule objects themselves --------------------------------------------------------------


def test_threshold_refuses_what_it_cannot_state():
    with pytest.raises(ValueError, match="direction"):
        Threshold("under", 0.5, "ratio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number format"):
        Threshold("below", 0.5, "list")
    with pytest.raises(ValueError, match="two different signals"):
        Threshold("below", 0.5, "ratio", beyond="ok", within="ok")
    with pytest.raises(ValueError, match="language"):
        Text("a", "b").get("de")


def test_a_rule_can_signal_ok_beyond_its_boundary():
    # Bands are data too: here being past the boundary is the good side.
    rule = Threshold("above", 0.25, "share", beyond="ok", within="attention")
    assert [rule.signal(v) for v in (0.2, 0.25, 0.3, None)] == [
        "attention",
        "attention",
        "ok",
        "none",
    ]
    assert rule.text("en") == "ok above 25%" and rule.text("nl") == "in orde boven 25%"


def test_reading_needs_a_threshold():
    reading = Reading(Text("x", "x"), Text("y", "y"))
    with pytest.raises(ValueError, match="threshold"):
        reading.get(1.0, None, "en")


def test_format_value():
    assert format_value(0.754, "share", "nl") == "75%"
    assert format_value(3, "count", "en") == "3"
    assert format_value(-0.304, "ratio", "nl") == "-0,30"
    assert format_value(0.21428, "ratio3", "en") == "0.214"
    assert format_value(None, "ratio", "en") == "\u2013"
    assert format_value([1], "list", "en") == "\u2013"


# -- the table is complete ------------------------------------------------------------------


def test_every_scorecard_value_has_one_source():
    for key in SCORECARD:
        ind = INDICATORS[key]
        assert (ind.path is None) == (key in COMPUTED), key
        assert ind.sentence is not None and ind.label.nl and ind.label.en
    assert set(COMPUTED) <= set(SCORECARD)
    assert set(CARD_INDICATORS) <= set(SCORECARD)


def test_families_are_modules_and_metrics_are_described():
    for family in {m.family for m in METRICS.values()} | {i.family for i in INDICATORS.values()}:
        importlib.import_module(f"graphsvc.metrics.{family}")
    for ind in INDICATORS.values():
        assert ind.metric is None or ind.metric in METADATA
    assert all(set(meta) == {
        "name_en", "name_nl", "range", "normalisation", "directed", "reference",
        "explanation_en", "explanation_nl",
    } for meta in METADATA.values())  # fmt: skip


# -- the scorecard of a small network -----------------------------------------------------------

D = dt.date
ACTORS = [
    Actor("i1", "initiative", "Buurttuin", ("p",)),
    Actor("i2", "initiative", "Repair café", ("p",)),
    Actor("i3", "initiative", "Speeltuin", ("p",)),
    Actor("o1", "official", "Wijkregisseur", ("p",)),
    Actor("f1", "funder", "Fonds", ("p",)),
    Actor("r1", "resident", "Ayşe", ("p",)),
    Actor("r2", "resident", "Eef", ("p",)),  # isolate
]
TIES = [
    Tie("i1", "o1", "contacts", D(2023, 1, 1)),
    Tie("o1", "i1", "contacts", D(2023, 1, 1)),
    Tie("i2", "o1", "contacts", D(2023, 1, 1)),
    Tie("f1", "i1", "funds", D(2023, 1, 1)),
    Tie("r1", "i3", "contacts", D(2023, 1, 1)),
    Tie("i3", "i1", "contacts", D(2023, 1, 1)),
]


def test_scorecard_of_a_small_network():
    rows = NetworkRows(ACTORS, TIES, [], [], {"p": 1})
    G = build_graph(rows, GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1)))
    network = network_report(G)
    card = network_scorecard(G, network, actor_report(G))
    assert card["actors"] == 7
    assert [g["key"] for g in card["groups"]] == ["relationships", "equality", "strong_initiatives"]
    entries = {i["key"]: i for g in card["groups"] for i in g["indicators"]}
    assert list(entries) == SCORECARD
    assert entries["isolates"]["value"] == 1 and entries["isolates"]["signal"] == "attention"
    assert entries["isolates"]["explanation_en"] == "1 actor(s) without any tie."
    assert entries["largest_component_share"]["value"] == pytest.approx(6 / 7)
    assert entries["largest_component_share"]["signal"] == "ok"
    # i1 (official, funder) and i2 (official) are seen; i3 only by a resident and i1.
    assert entries["initiative_visibility"]["value"] == pytest.approx(2 / 3)
    assert entries["initiative_visibility"]["signal"] == "attention"
    # Of the two contacts from initiatives to the official, i1's is returned.
    assert entries["reciprocity_initiative_official"]["value"] == pytest.approx(0.5)
    assert entries["reciprocity_initiative_official"]["signal"] == "ok"
    for key, path in HEADLINE:
        if key in entries:
            assert entries[key]["value"] == value_at(network, path), key


def test_every_path_names_a_part_of_the_network_report():
    rows = NetworkRows(ACTORS, TIES, [], [], {"p": 1})
    G = build_graph(rows, GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1)))
    network = network_report(G)
    for ind in INDICATORS.values():
        part = network
        for step in ind.path or ():
            assert isinstance(part, dict) and step in part, (ind.key, step)
            part = part[step]
