"""Meeting effects on small hand-made cases with known answers (docs/metrics.md §8)."""

from __future__ import annotations

import datetime as dt

import pytest

from graphsvc.metrics.meetings import MeetingInput, TieEvent, group_pair, meeting_effects

D = dt.date
MEETING = D(2024, 3, 1)
BEFORE, AFTER, LATE = D(2024, 1, 1), D(2024, 4, 1), D(2024, 9, 1)


def _known_case() -> tuple[dict[str, str], list[MeetingInput], list[TieEvent]]:
    """Eight actors; a, b, c, d attend.  Of the 6 co-attending pairs, a-b and c-d were tied
    before (4 at risk) and a-c, a-d, b-c form within 90 days (3 of 4).  Of the 22 other pairs,
    e-f and g-h were tied before (20 at risk) and e-g forms (1 of 20); b-e forms too late."""
    groups = {k: "resident" for k in "abcdefgh"}
    meetings = [MeetingInput("m1", MEETING, frozenset("abcd"), "Buurtavond")]
    ties = [
        TieEvent("a", "b", "knows", BEFORE),
        TieEvent("c", "d", "knows", BEFORE),
        TieEvent("e", "f", "knows", BEFORE),
        TieEvent("g", "h", "collaborates", BEFORE),
        TieEvent("a", "c", "knows", AFTER),
        TieEvent("d", "a", "contacts", AFTER),  # direction does not matter
        TieEvent("b", "c", "collaborates", AFTER),
        TieEvent("c", "b", "knows", LATE),  # a second tie of the same pair counts once
        TieEvent("e", "g", "knows", AFTER),
        TieEvent("b", "e", "knows", LATE),  # after the 90-day window
    ]
    return groups, meetings, ties


def test_three_of_four_against_one_of_twenty():
    groups, meetings, ties = _known_case()
    result = meeting_effects(groups, meetings, ties, window_days=90, permutations=199)
    m1 = result["meetings"][0]
    assert m1["co_attending"] == {"pairs": 4, "formed": 3, "rate": 0.75}
    assert m1["comparison"] == {"pairs": 20, "formed": 1, "rate": 0.05}
    assert m1["rate_ratio"] == pytest.approx(15.0)
    assert m1["odds_ratio"] == pytest.approx(57.0)
    assert m1["p_value"] == pytest.approx(0.00762, abs=5e-6)
    assert m1["attendees"] == 4
    assert m1["new_ties"] == [
        ["a", "c", "2024-04-01"],
        ["a", "d", "2024-04-01"],
        ["b", "c", "2024-04-01"],
    ]


def test_window_is_a_parameter():
    groups, meetings, ties = _known_case()
    wide = meeting_effects(groups, meetings, ties, window_days=365, permutations=0)
    assert wide["meetings"][0]["comparison"] == {"pairs": 20, "formed": 2, "rate": 0.1}
    assert wide["window_days"] == 365


def test_split_by_group_pair():
    groups = {"r1": "resident", "r2": "resident", "o1": "official", "o2": "official"}
    meetings = [MeetingInput("m", MEETING, frozenset({"r1", "o1", "r2"}))]
    ties = [TieEvent("r1", "o1", "contacts", AFTER), TieEvent("r2", "o2", "knows", AFTER)]
    m = meeting_effects(groups, meetings, ties, permutations=0)["meetings"][0]
    by = m["by_group_pair"]
    assert set(by) == {"official-official", "official-resident", "resident-resident"}
    # r1-o1 and r2-o1 co-attended (1 of 2 formed); r1-o2 and r2-o2 did not (1 of 2 formed)
    assert by["official-resident"]["co_attending"] == {"pairs": 2, "formed": 1, "rate": 0.5}
    assert by["official-resident"]["comparison"] == {"pairs": 2, "formed": 1, "rate": 0.5}
    assert by["resident-resident"]["co_attending"] == {"pairs": 1, "formed": 0, "rate": 0.0}
    assert by["official-official"]["comparison"] == {"pairs": 1, "formed": 0, "rate": 0.0}
    assert group_pair("resident", "official") == "official-resident"


def test_a_tie_goes_to_the_latest_meeting_both_attended():
    groups = {k: "resident" for k in "abcd"}
    first = MeetingInput("m1", D(2024, 1, 10), frozenset("abcd"))
    second = MeetingInput("m2", D(2024, 2, 10), frozenset("ab"))
    ties = [TieEvent("a", "b", "knows", D(2024, 3, 1)), TieEvent("c", "d", "knows", D(2024, 3, 1))]
    result = meeting_effects(groups, [second, first], ties, permutations=0)
    m1, m2 = result["meetings"]  # ordered by date
    assert (m1["key"], m2["key"]) == ("m1", "m2")
    # a-b met again at m2: their tie is m2's, and a-b leaves m1's table; c-d stays m1's.
    assert m1["co_attending"] == {"pairs": 5, "formed": 1, "rate": 0.2}
    assert m1["new_ties"] == [["c", "d", "2024-03-01"]]
    assert m2["co_attending"] == {"pairs": 1, "formed": 1, "rate": 1.0}
    assert m2["comparison"] == {"pairs": 5, "formed": 1, "rate": 0.2}
    overall = result["overall"]
    assert overall["co_attending"] == {"pairs": 6, "formed": 2, "rate": pytest.approx(1 / 3)}
    assert overall["comparison"]["pairs"] == 5


def test_a_meeting_without_effect_is_not_significant_and_the_permutation_is_fixed():
    groups = {k: "resident" for k in "abcdefgh"}
    meetings = [MeetingInput("m", MEETING, frozenset("abcd"))]
    ties = [
        TieEvent("a", "b", "knows", AFTER),
        TieEvent("e", "f", "knows", AFTER),
        TieEvent("g", "h", "knows", AFTER),
        TieEvent("a", "e", "knows", AFTER),
    ]
    one = meeting_effects(groups, meetings, ties, permutations=499, seed=3)
    two = meeting_effects(groups, meetings, ties, permutations=499, seed=3)
    m = one["meetings"][0]
    assert m["co_attending"]["rate"] == pytest.approx(1 / 6)
    assert m["comparison"]["rate"] == pytest.approx(3 / 22)
    assert m["p_value"] > 0.3
    assert one["overall"]["permutation"] == two["overall"]["permutation"]
    assert one["overall"]["permutation"]["p_value"] > 0.3


def test_the_known_case_is_significant_by_permutation_too():
    groups, meetings, ties = _known_case()
    perm = meeting_effects(groups, meetings, ties, permutations=999)["overall"]["permutation"]
    assert perm["permutations"] == 999 and perm["seed"] == 7
    assert perm["p_value"] < 0.05


def test_empty_tables_give_no_numbers():
    result = meeting_effects({"a": "resident"}, [MeetingInput("m", MEETING, frozenset("a"))], [])
    m = result["meetings"][0]
    assert m["co_attending"] == {"pairs": 0, "formed": 0, "rate": None}
    assert m["rate_ratio"] is None and m["p_value"] is None
