"""What the meetings built: did ties form more often between people who met? (docs/metrics.md §8)

Pure functions of plain data (actors with their group, meetings with their attendees, ties
with their dates); the analysis layer reads those from the store.

Conventions (written down in docs/metrics.md §8):

- **Pairs at risk** for meeting M on date d: unordered pairs of two distinct actors of the
  proeftuin between whom no tie of the chosen types began on or before d.  Direction is
  ignored and a symmetric tie counts once per pair: the question is whether a relation began.
- A pair **formed** a tie when a tie of the chosen types between them began in the window
  (d, d + W], W = ``window_days`` (default 90).
- **Co-attending** pairs: both attended M.  **Comparison** pairs: at most one of them attended.
- Meetings follow each other, so a new tie between two people who met at several meetings is
  attributed to the *latest* meeting both attended before the tie began.  A co-attending pair
  whose new tie belongs to a later meeting is left out of M's table altogether (it neither
  formed a tie "because of" M, nor stayed apart).
- Per meeting: counts, both rates, the rate ratio, the odds ratio and Fisher's exact test
  (one-sided, "more ties among co-attendees"; scipy.stats.fisher_exact) on the 2 x 2 table,
  plus the same split by group pair (resident-official, initiative-funder, ...).
- Over all meetings: the tables added up, with a permutation p-value that keeps each
  meeting's number of attendees and reshuffles who attended among the proeftuin's actors
  (fixed seed, ``permutations`` draws), since the same pair can appear in several tables.

Known answer (tests): 3 of 4 co-attending pairs formed against 1 of 20 others gives rates
0.75 and 0.05, rate ratio 15, odds ratio 57 and Fisher p = 0.00762.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scipy.stats import fisher_exact

__all__ = [
    "EffectTable",
    "MeetingInput",
    "TieEvent",
    "group_pair",
    "meeting_effects",
]

Pair = frozenset[str]


@dataclass(frozen=True)
class TieEvent:
    """One tie as the effect analysis sees it: who, which type, when it began."""

    source: str
    target: str
    type: str
    since: dt.date


@dataclass(frozen=True)
class MeetingInput:
    key: str
    date: dt.date
    attendees: frozenset[str]
    title: str = ""


@dataclass
class EffectTable:
    """The 2 x 2 table of one comparison: formed / at risk, co-attending and not."""

    co_formed: int = 0
    co_pairs: int = 0
    other_formed: int = 0
    other_pairs: int = 0

    def add(self, other: EffectTable) -> None:
        self.co_formed += other.co_formed
        self.co_pairs += other.co_pairs
        self.other_formed += other.other_formed
        self.other_pairs += other.other_pairs

    def as_json(self, exact_test: bool = True) -> dict[str, Any]:
        co_rate = _ratio(self.co_formed, self.co_pairs)
        other_rate = _ratio(self.other_formed, self.other_pairs)
        out: dict[str, Any] = {
            "co_attending": {"pairs": self.co_pairs, "formed": self.co_formed, "rate": co_rate},
            "comparison": {
                "pairs": self.other_pairs,
                "formed": self.other_formed,
                "rate": other_rate,
            },
            "rate_ratio": _ratio(co_rate, other_rate) if co_rate is not None else None,
            "odds_ratio": None,
            "p_value": None,
        }
        if exact_test and self.co_pairs and self.other_pairs:
            table = [
                [self.co_formed, self.co_pairs - self.co_formed],
                [self.other_formed, self.other_pairs - self.other_formed],
            ]
            odds, p = fisher_exact(table, alternative="greater")
            out["odds_ratio"] = None if odds != odds or odds == float("inf") else float(odds)
            out["p_value"] = float(p)
        return out


def group_pair(a: str, b: str) -> str:
    """The unordered name of a pair of groups: ``"official-resident"``."""
    return "-".join(sorted((a, b)))


@dataclass
class _Context:
    groups: Mapping[str, str]
    ties: Sequence[TieEvent]
    window: dt.timedelta
    first_tie: dict[Pair, dt.date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tie in self.ties:
            if tie.source == tie.target:
                continue
            pair = frozenset((tie.source, tie.target))
            if pair not in self.first_tie or tie.since < self.first_tie[pair]:
                self.first_tie[pair] = tie.since


def meeting_effects(
    groups: Mapping[str, str],
    meetings: Iterable[MeetingInput],
    ties: Sequence[TieEvent],
    window_days: int = 90,
    permutations: int = 999,
    seed: int = 7,
) -> dict[str, Any]:
    """Per meeting and over all meetings: ties begun after meeting among co-attendees
    against comparison pairs.

    Parameters
    ----------
    groups : actor key -> group (the actors of the proeftuin: the pairs at risk are theirs).
    meetings : the proeftuin's meetings with their attendees (actors outside ``groups`` are
        ignored).
    ties : every tie of the chosen types with its start date (direction ignored).
    window_days : W, the number of days after a meeting in which a new tie counts.
    permutations, seed : the permutation test of the pooled table.

    Returns
    -------
    ``{"window_days", "meetings": [{key, date, title, attendees, ...table, "by_group_pair":
    {pair: table}, "new_ties": [[a, b, since], ...]}], "overall": {...table, "permutation":
    {"p_value", "permutations", "seed"}}}``.
    """
    ctx = _Context(groups, ties, dt.timedelta(days=window_days))
    ordered = sorted(meetings, key=lambda m: (m.date, m.key))
    owner = _attribution(ctx, ordered)
    results, pooled = [], EffectTable()
    for meeting in ordered:
        table, by_pair, new_ties = _meeting_table(ctx, meeting, owner)
        pooled.add(table)
        results.append(
            {
                "key": meeting.key,
                "date": meeting.date.isoformat(),
                "title": meeting.title,
                "attendees": len(meeting.attendees & groups.keys()),
                **table.as_json(),
                "by_group_pair": {k: v.as_json() for k, v in sorted(by_pair.items())},
                "new_ties": new_ties,
            }
        )
    overall = pooled.as_json(exact_test=False)
    overall["permutation"] = _permutation_test(ctx, ordered, pooled, permutations, seed)
    return {"window_days": window_days, "meetings": results, "overall": overall}


def _attribution(ctx: _Context, ordered: Sequence[MeetingInput]) -> dict[Pair, str]:
    """Each new tie between two co-attendees -> the latest meeting both attended before it."""
    owner: dict[Pair, str] = {}
    for pair, since in ctx.first_tie.items():
        a, b = tuple(pair)
        for meeting in reversed(ordered):
            if meeting.date < since and a in meeting.attendees and b in meeting.attendees:
                if since <= meeting.date + ctx.window:
                    owner[pair] = meeting.key
                break
    return owner


def _meeting_table(
    ctx: _Context, meeting: MeetingInput, owner: Mapping[Pair, str]
) -> tuple[EffectTable, dict[str, EffectTable], list[list[str]]]:
    table, new_ties = EffectTable(), []
    by_pair: dict[str, EffectTable] = {}
    end = meeting.date + ctx.window
    present = meeting.attendees & ctx.groups.keys()
    for a, b in itertools.combinations(sorted(ctx.groups), 2):
        pair = frozenset((a, b))
        since = ctx.first_tie.get(pair)
        if since is not None and since <= meeting.date:
            continue  # not at risk: they already had a tie
        formed = since is not None and since <= end
        co = a in present and b in present
        if co and pair in owner and owner[pair] != meeting.key:
            continue  # their new tie belongs to a later meeting both attended
        cell = by_pair.setdefault(group_pair(ctx.groups[a], ctx.groups[b]), EffectTable())
        for t in (table, cell):
            if co:
                t.co_pairs += 1
                t.co_formed += formed
            else:
                t.other_pairs += 1
                t.other_formed += formed
        if co and formed and since is not None:
            new_ties.append([a, b, since.isoformat()])
    return table, by_pair, new_ties


def _co_counts(
    ctx: _Context, meeting: MeetingInput, attendees: frozenset[str], owner: Mapping[Pair, str]
) -> tuple[int, int, int, int]:
    """The pooled table's cells for one meeting with the given attendees, counted from the
    (few) pairs that have any tie instead of from all pairs."""
    k = len(attendees)
    n = len(ctx.groups)
    co_pairs, co_formed = k * (k - 1) // 2, 0
    other_pairs, other_formed = n * (n - 1) // 2 - co_pairs, 0
    end = meeting.date + ctx.window
    for pair, since in ctx.first_tie.items():
        if not pair <= ctx.groups.keys():
            continue
        co = pair <= attendees
        if since <= meeting.date:
            co_pairs -= co
            other_pairs -= not co
        elif co and pair in owner and owner[pair] != meeting.key:
            co_pairs -= 1
        elif since <= end:
            co_formed += co
            other_formed += not co
    return co_formed, co_pairs, other_formed, other_pairs


def _permutation_test(
    ctx: _Context,
    ordered: Sequence[MeetingInput],
    observed: EffectTable,
    permutations: int,
    seed: int,
) -> dict[str, Any]:
    """One-sided p of the pooled co-attending rate exceeding the comparison rate.

    The statistic is the pooled rate difference; each draw keeps every meeting's number of
    attendees, draws them anew from the proeftuin's actors, and attributes new ties to the
    drawn meetings by the same rule as the observed ones.
    """
    stat = _difference(observed)
    out: dict[str, Any] = {"p_value": None, "permutations": permutations, "seed": seed}
    if stat is None or not ordered or permutations < 1:
        return out
    rng = random.Random(seed)
    actors = sorted(ctx.groups)
    keys = ctx.groups.keys()
    at_least = 0
    for _ in range(permutations):
        drawn = [
            MeetingInput(m.key, m.date, frozenset(rng.sample(actors, len(m.attendees & keys))))
            for m in ordered
        ]
        owner = _attribution(ctx, drawn)
        table = EffectTable()
        for meeting in drawn:
            table.add(EffectTable(*_co_counts(ctx, meeting, meeting.attendees, owner)))
        diff = _difference(table)
        if diff is not None and diff >= stat - 1e-12:
            at_least += 1
    out["p_value"] = (at_least + 1) / (permutations + 1)
    return out


def _difference(table: EffectTable) -> float | None:
    co = _ratio(table.co_formed, table.co_pairs)
    other = _ratio(table.other_formed, table.other_pairs)
    return None if co is None or other is None else co - other


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator
