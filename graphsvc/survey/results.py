"""What a survey round's answers become (ties) and tell (the aggregates).

Pure: :func:`plan` (answers -> ties) and :func:`results` (the aggregates); the
editors' :func:`~graphsvc.survey.service.apply` and
:func:`~graphsvc.survey.service.resolve` write what :func:`plan` makes.

How answers become ties (docs/metrics.md §11): each person named in a question is a
report of a tie of the question's type, from the respondent to the person (direction
``out``) or back (``in``).  A tie reported by both of its ends is ``confirmed``; by one
end only, not.  Its ``since`` is the earliest answer date of the reports, its provenance
``survey:<round>``.  Reports about people still proposed (not yet accepted by an
editor), and by respondents who did not consent, make no tie.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from statistics import fmean
from typing import Any

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Tie
from graphsvc.store.surveys import Invitation, Proposal, SurveyRound, provenance_of
from graphsvc.survey.questions import ITEMS, SCALES

__all__ = ["SUPPRESS_BELOW", "respondent_of", "plan", "results", "overall", "latest_closed"]

#: Group figures resting on fewer answers (or respondents) than this are not shown.
SUPPRESS_BELOW = 3


# -- answers into ties ------------------------------------------------------------------------


def _resolver(proposals: Iterable[Proposal]) -> dict[str, str | None]:
    return {
        f"p:{p.id}": (p.actor if p.status in ("accepted", "merged") else None) for p in proposals
    }


def _reports(
    rnd: SurveyRound,
    invitations: Iterable[Invitation],
    proposals: Iterable[Proposal],
    roster: Mapping[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    """Every usable report: {respondent, named, question, type, source, target, date, scales}."""
    props = {p.id: p for p in proposals}
    resolve = _resolver(props.values())
    specs = {q["key"]: q for q in rnd.questions}
    found = []
    for inv in invitations:
        me = respondent_of(inv, props)
        if me is None or me not in roster or inv.revoked:
            continue
        if inv.consent_on is None or inv.answered_on is None:
            continue
        for question, entries in inv.answers.items():
            spec = specs.get(question)
            if spec is None:
                continue
            for entry in entries:
                ref = entry["ref"]
                named: str | None = ref[2:] if ref.startswith("a:") else resolve.get(ref)
                if named is None or named == me or named not in roster:
                    continue
                source, target = (me, named) if spec["direction"] == "out" else (named, me)
                tie = Tie(source, target, spec["tie_type"], inv.answered_on).normalised()
                found.append(
                    {
                        "respondent": me,
                        "named": named,
                        "question": question,
                        "type": spec["tie_type"],
                        "source": tie.source,
                        "target": tie.target,
                        "date": inv.answered_on,
                        "scales": entry.get("scales") or {},
                    }
                )
    return found


def respondent_of(inv: Invitation, proposals: Mapping[str, Proposal]) -> str | None:
    """The actor an invitation answers for (a registered person: once accepted)."""
    if inv.actor:
        return inv.actor
    prop = proposals.get(inv.proposal or "")
    return prop.actor if prop is not None and prop.status in ("accepted", "merged") else None


def plan(
    rnd: SurveyRound,
    invitations: list[Invitation],
    proposals: list[Proposal],
    roster: dict[str, tuple[str, str]],
) -> list[Tie]:
    """The ties a round's answers make (see the module docstring)."""
    by_tie: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in _reports(rnd, invitations, proposals, roster):
        by_tie[(r["source"], r["target"], r["type"])].append(r)
    ties = []
    for (source, target, type_), reports in sorted(by_tie.items()):
        reporters = {r["respondent"] for r in reports}
        ties.append(
            Tie(
                source,
                target,
                type_,
                min(r["date"] for r in reports),
                provenance=provenance_of(rnd.key),
                attributes={"confirmed": {source, target} <= reporters},
            )
        )
    return ties


# -- what it tells ----------------------------------------------------------------------------


def _mean_or_none(values: list[float], respondents: set[str]) -> tuple[float | None, int | None]:
    if len(values) < SUPPRESS_BELOW or len(respondents) < SUPPRESS_BELOW:
        return None, None
    return round(fmean(values), 2), len(values)


def _response(
    invitations: list[Invitation],
    props: Mapping[str, Proposal],
    roster: dict[str, tuple[str, str]],
) -> tuple[dict[str, set[str]], set[str]]:
    """({kind: invited actors}, actors who consented and answered), open links left out."""
    answered: set[str] = set()
    invited: dict[str, set[str]] = defaultdict(set)
    for inv in invitations:
        me = respondent_of(inv, props)
        if inv.revoked or inv.open or me not in roster:
            continue
        invited[roster[me][0]].add(me)
        if inv.consent_on is not None and inv.answered_on is not None:
            answered.add(me)
    return invited, answered


def _reciprocity(reports: list[dict[str, Any]], answered: set[str]) -> dict[str, Any]:
    """Reciprocity of naming: of the pairs where one named the other and both answered,
    the share where each named the other (in any question of the round)."""
    named = {(r["respondent"], r["named"]) for r in reports}
    pairs = {frozenset(p) for p in named if p[0] in answered and p[1] in answered}
    mutual = sum(
        1 for p in pairs if len(p) == 2 and all((a, b) in named for a in p for b in p if a != b)
    )
    return {
        "pairs": len(pairs),
        "mutual": mutual,
        "rate": round(mutual / len(pairs), 3) if pairs else None,
    }


def _scale_values(reports: list[dict[str, Any]], scale: str) -> tuple[list[float], set[str]]:
    """One value per relation (the mean of its answered items of ``scale``; "don't know"
    counts as no answer) and the respondents behind them."""
    values, respondents = [], set()
    for r in reports:
        answered = [
            v
            for item, v in r["scales"].items()
            if item in ITEMS and ITEMS[item].group == scale and v
        ]
        if answered:
            values.append(fmean(answered))
            respondents.add(r["respondent"])
    return values, respondents


def _group_pairs(
    reports: list[dict[str, Any]], roster: Mapping[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """Per pair of kinds (respondent's, named's): each scale's mean, suppressed when small."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in reports:
        groups[(roster[r["respondent"]][0], roster[r["named"]][0])].append(r)
    pairs_out = []
    for (from_kind, to_kind), found in sorted(groups.items()):
        row: dict[str, Any] = {"from_kind": from_kind, "to_kind": to_kind}
        for scale in SCALES:
            mean, count = _mean_or_none(*_scale_values(found, scale))
            row[scale] = {"mean": mean, "answers": count, "suppressed": mean is None}
        pairs_out.append(row)
    return pairs_out


def overall(
    rnd: SurveyRound,
    invitations: list[Invitation],
    proposals: list[Proposal],
    roster: dict[str, tuple[str, str]],
) -> dict[str, dict[str, Any]]:
    """Per scale the mean over every relation of the round, whatever the groups, with its
    number of answers; suppressed as the group figures are (the comparison's column)."""
    reports = _reports(rnd, invitations, proposals, roster)
    out = {}
    for scale in SCALES:
        mean, count = _mean_or_none(*_scale_values(reports, scale))
        out[scale] = {"mean": mean, "answers": count, "suppressed": mean is None}
    return out


def latest_closed(rounds: list[SurveyRound]) -> SurveyRound | None:
    """The round closed last (by closing day, then closing date and key), or None."""
    closed = [r for r in rounds if r.status == "closed"]
    if not closed:
        return None
    return max(closed, key=lambda r: (r.closed_on or r.closes, r.closes, r.key))


def results(
    rnd: SurveyRound,
    invitations: list[Invitation],
    proposals: list[Proposal],
    roster: dict[str, tuple[str, str]],
    names_visible: bool,
) -> dict[str, Any]:
    """The round's figures: response per kind, reciprocity of naming, and per pair of kinds
    the mean trust, equality and frequency with their numbers of answers, suppressed under
    :data:`SUPPRESS_BELOW` answers or respondents.  Non-respondents only with ``names_visible``.
    """
    invited, answered = _response(invitations, {p.id: p for p in proposals}, roster)
    response: list[dict[str, Any]] = []
    for kind in vocab.KIND_KEYS:
        n = len(invited.get(kind, ()))
        if n:
            a = len(invited[kind] & answered)
            response.append({"kind": kind, "invited": n, "answered": a, "rate": round(a / n, 3)})
    total = sum(r["invited"] for r in response)
    reports = _reports(rnd, invitations, proposals, roster)
    body: dict[str, Any] = {
        "round": rnd.key,
        "status": rnd.status,
        "invited": total,
        "answered": len(answered),
        "response_rate": round(len(answered) / total, 3) if total else None,
        "response_by_kind": response,
        "reciprocity": _reciprocity(reports, answered),
        "group_pairs": _group_pairs(reports, roster),
        "suppress_below": SUPPRESS_BELOW,
        "proposals_pending": sum(1 for p in proposals if p.status == "pending"),
    }
    if names_visible:
        waiting = sorted(
            {m for k in invited.values() for m in k} - answered, key=lambda m: roster[m][1]
        )
        body["non_respondents"] = [
            {"key": m, "name": roster[m][1], "kind": roster[m][0]} for m in waiting
        ]
    return body
