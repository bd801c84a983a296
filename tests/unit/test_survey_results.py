"""Survey aggregates by hand: the overall means of a round and which round is the latest."""

from __future__ import annotations

import datetime as dt

from graphsvc.store.surveys import Invitation, SurveyRound
from graphsvc.survey.results import latest_closed, overall

DAY = dt.date(2025, 3, 1)
ROUND = SurveyRound(
    "r1",
    "p",
    "Ronde",
    "",
    DAY,
    DAY,
    ({"key": "collaborates", "tie_type": "collaborates", "direction": "out", "scales": []},),
)
ROSTER = {
    "i1": ("initiative", "Een"),
    "i2": ("initiative", "Twee"),
    "i3": ("initiative", "Drie"),
    "g1": ("official", "Gemeente"),
}


def _answer(actor: str, scales: dict[str, int]) -> Invitation:
    return Invitation(
        f"inv-{actor}",
        "r1",
        actor,
        consent_on=DAY,
        answered_on=DAY,
        answers={"collaborates": [{"ref": "a:g1", "scales": scales}]},
    )


def test_three_answers_are_shown_two_are_not():
    three = [
        _answer("i1", {"equal_partners": 4, "input_counts": 4}),
        _answer("i2", {"equal_partners": 5, "input_counts": 5}),
        # a relation's equality is the mean of its answered items ("don't know" = 0 is none)
        _answer("i3", {"equal_partners": 5, "input_counts": 0, "reliability": 2}),
    ]
    figures = overall(ROUND, three, [], ROSTER)
    assert figures["equality"] == {"mean": 4.67, "answers": 3, "suppressed": False}
    # one trust answer only
    assert figures["trust"] == {"mean": None, "answers": None, "suppressed": True}
    assert overall(ROUND, three[:2], [], ROSTER)["equality"] == {
        "mean": None,
        "answers": None,
        "suppressed": True,
    }


def test_the_latest_closed_round():
    def rnd(key: str, status: str, closed_on: dt.date | None) -> SurveyRound:
        return SurveyRound(key, "p", key, "", DAY, DAY, (), status, None, closed_on)

    rounds = [
        rnd("a", "closed", dt.date(2024, 1, 1)),
        rnd("b", "closed", dt.date(2025, 1, 1)),
        rnd("c", "open", None),
    ]
    assert latest_closed(rounds).key == "b"
    assert latest_closed([rounds[2]]) is None
