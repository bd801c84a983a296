"""The relationship survey: rounds, invitations and answering.

Editors make a round (:func:`create_round`, :func:`copy_round`), invite actors
(:func:`invite`, :func:`open_link`), and make the answers ties (:func:`apply`, with
``close``); a round past its closing date is closed by the first request that touches
it (:func:`close_rounds`, asked by graphsvc.web.autoclose).  Respondents, authenticated
by their link (:func:`find`), consent (:func:`consent`), answer (:func:`save_answer`)
and may withdraw (:func:`withdraw`).
Which ties the answers make (:func:`~graphsvc.survey.results.plan`) and what they
tell (:func:`~graphsvc.survey.results.results`) is :mod:`graphsvc.survey.results`.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor
from graphsvc.errors import Conflict, InvalidInput
from graphsvc.store.repository import Repository
from graphsvc.store.surveys import Invitation, Proposal, SurveyRound, provenance_of
from graphsvc.survey import tokens
from graphsvc.survey.questions import GENERATORS, MAX_NAMED, SCALES, items_of, options
from graphsvc.survey.results import latest_closed, overall, plan, results

__all__ = [
    "fold",
    "question_specs",
    "create_round",
    "copy_round",
    "invite",
    "everyone",
    "reissue",
    "open_link",
    "revoke",
    "find",
    "is_live",
    "people",
    "consent",
    "register",
    "save_answer",
    "withdraw",
    "apply",
    "close_rounds",
    "latest_figures",
    "resolve",
]

#: Kinds a person proposed by a respondent may have.
PROPOSABLE_KINDS = tuple(vocab.KIND_KEYS)
NAME_MAX = 100


def fold(text: str) -> str:
    """``text`` for accent- and case-insensitive matching: "Çelik" and "celik" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- rounds -----------------------------------------------------------------------------------


def question_specs(questions: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """Checked questions ``{key, scales}`` with their tie type and direction filled in.

    InvalidInput naming ``questions`` for an unknown generator or scale, or a repeat.
    """
    specs, seen = [], set()
    for n, q in enumerate(questions):
        key, scales = q.get("key"), list(q.get("scales") or [])
        if key not in GENERATORS or key in seen:
            raise InvalidInput(
                f"'questions[{n}].key': onbekende of herhaalde vraag '{key}'; kies uit: "
                f"{', '.join(GENERATORS)}.",
                f"'questions[{n}].key': unknown or repeated question '{key}'; choose from: "
                f"{', '.join(GENERATORS)}.",
                field="questions",
            )
        unknown = [s for s in scales if s not in SCALES]
        if unknown:
            raise InvalidInput(
                f"'questions[{n}].scales': onbekende schaal '{unknown[0]}'; kies uit: "
                f"{', '.join(SCALES)}.",
                f"'questions[{n}].scales': unknown scale '{unknown[0]}'; choose from: "
                f"{', '.join(SCALES)}.",
                field="questions",
            )
        seen.add(key)
        g = GENERATORS[key]
        specs.append(
            {
                "key": key,
                "tie_type": g.tie_type,
                "direction": g.direction,
                "scales": [s for s in SCALES if s in scales],
            }
        )
    if not specs:
        raise InvalidInput(
            "'questions': een ronde heeft minstens één vraag.",
            "'questions': a round needs at least one question.",
            field="questions",
        )
    return tuple(specs)


def _check_dates(opens: dt.date, closes: dt.date) -> None:
    if closes < opens:
        raise InvalidInput(
            "'closes': de sluitdatum ligt voor de openingsdatum.",
            "'closes': the closing date is before the opening date.",
            field="closes",
        )


def create_round(repo: Repository, proeftuin: str, data: Mapping[str, Any]) -> SurveyRound:
    """A new round from checked API data (key, title, intro, opens, closes, questions)."""
    _check_dates(data["opens"], data["closes"])
    rnd = SurveyRound(
        data["key"],
        proeftuin,
        data["title"],
        data.get("intro") or "",
        data["opens"],
        data["closes"],
        question_specs(data["questions"]),
        copied_from=data.get("copied_from"),
    )
    repo.surveys.create(rnd)
    return rnd


def copy_round(
    repo: Repository, proeftuin: str, source: str, data: Mapping[str, Any]
) -> SurveyRound:
    """A new round with the questions of ``source`` (to repeat the survey a year later)."""
    old = repo.surveys.get(proeftuin, source)
    return create_round(
        repo,
        proeftuin,
        {
            "key": data["key"],
            "title": data.get("title") or old.title,
            "intro": old.intro if data.get("intro") is None else data["intro"],
            "opens": data["opens"],
            "closes": data["closes"],
            "questions": old.questions,
            "copied_from": old.key,
        },
    )


# -- invitations ------------------------------------------------------------------------------


def invite(
    repo: Repository, proeftuin: str, key: str, actors: Iterable[str]
) -> tuple[list[dict[str, str]], list[str]]:
    """Invite actors: ``([{id, actor, token}], already invited)``.  Tokens are shown once."""
    rows, shown = [], []
    for actor in dict.fromkeys(actors):
        token, token_hash = tokens.new_token()
        id_ = tokens.new_id("inv")
        rows.append({"id": id_, "hash": token_hash, "actor": actor})
        shown.append({"id": id_, "actor": actor, "token": token})
    made, already = repo.surveys.invite(proeftuin, key, rows)
    made_ids = {r["id"] for r in made}
    return [s for s in shown if s["id"] in made_ids], already


def everyone(repo: Repository, proeftuin: str, key: str) -> list[str]:
    """Whom "invite all" invites: every actor of the proeftuin who is not a resident, and
    the residents who agreed in an earlier round to be findable (a resident's name is
    only shown to others with that consent).  Those already invited are left to
    :func:`invite`, which skips them."""
    findable: set[str] = set()
    roster: dict[str, tuple[str, str]] = {}
    for rnd in repo.surveys.list(proeftuin):
        _, invitations, _, roster = repo.surveys.get_all(proeftuin, rnd.key)
        if rnd.key != key:
            findable |= {i.actor for i in invitations if i.actor and i.findable and i.consent_on}
    return sorted(a for a, (kind, _) in roster.items() if kind != "resident" or a in findable)


def reissue(repo: Repository, proeftuin: str, key: str) -> list[dict[str, Any]]:
    """New tokens for the round's live personal invitations nobody has used yet.

    For the printed sheet: the old links of those invitations stop working.  Returns
    ``[{id, actor, token}]``; invitations already in use keep their link (no token).
    """
    rnd, invitations, _, _ = repo.surveys.get_all(proeftuin, key)
    rows, shown = [], []
    for inv in invitations:
        if inv.revoked or inv.open:
            continue
        if inv.consent_on is None:
            token, token_hash = tokens.new_token()
            rows.append({"id": inv.id, "props": {"hash": token_hash}})
            shown.append({"id": inv.id, "actor": inv.actor, "token": token})
        else:
            shown.append({"id": inv.id, "actor": inv.actor, "token": None})
    if rows:
        repo.surveys.change(proeftuin, rnd.key, rows)
    return shown


def open_link(repo: Repository, proeftuin: str, key: str) -> dict[str, str]:
    """A new open link for a meeting (people register themselves); older ones are revoked."""
    _, invitations, _, _ = repo.surveys.get_all(proeftuin, key)
    old = [
        {"id": i.id, "props": {"revoked": True}} for i in invitations if i.open and not i.revoked
    ]
    if old:
        repo.surveys.change(proeftuin, key, old)
    token, token_hash = tokens.new_token()
    id_ = tokens.new_id("inv")
    repo.surveys.invite(proeftuin, key, [{"id": id_, "hash": token_hash, "open": True}])
    return {"id": id_, "token": token}


def revoke(repo: Repository, proeftuin: str, key: str, invitation: str) -> None:
    """Revoke one invitation: its link answers as if it never existed."""
    repo.surveys.change(proeftuin, key, [{"id": invitation, "props": {"revoked": True}}])


# -- the respondent's side -----------------------------------------------------------------------


def is_live(inv: Invitation, rnd: SurveyRound, today: dt.date) -> bool:
    """An invitation whose link works today: not revoked, round open and not past its close."""
    return not inv.revoked and rnd.status == "open" and rnd.opens <= today <= rnd.closes


def find(repo: Repository, token: str, today: dt.date) -> tuple[Invitation, SurveyRound] | None:
    """The live invitation of a token and its round; None for anything else (malformed,
    unknown, revoked, closed or expired: the caller answers all of them alike)."""
    if not tokens.well_formed(token):
        return None
    found = repo.surveys.find(tokens.hash_token(token))
    if found is None or not is_live(*found, today):
        return None
    return found


def people(
    roster: Mapping[str, tuple[str, str]],
    invitations: Iterable[Invitation],
    me: Invitation,
    own_proposals: Iterable[Proposal],
) -> list[dict[str, str]]:
    """Whom a respondent may name: the proeftuin's organisations, officials, funds and
    initiatives, the residents who agreed to be findable in this round, and the people this
    respondent proposed; never the respondent.  ``[{ref, name, kind, fold}]`` by name."""
    findable = {i.actor for i in invitations if i.findable and i.consent_on and i.actor}
    found = []
    for key, (kind, name) in roster.items():
        if key == me.actor or (kind == "resident" and key not in findable):
            continue
        found.append({"ref": f"a:{key}", "name": name, "kind": kind, "fold": fold(name)})
    for prop in own_proposals:
        if prop.status == "pending":
            found.append(
                {
                    "ref": f"p:{prop.id}",
                    "name": prop.name,
                    "kind": prop.kind,
                    "fold": fold(prop.name),
                }
            )
    return sorted(found, key=lambda p: (p["fold"], p["ref"]))


def _clean_name(raw: str, field: str) -> str:
    name = " ".join(str(raw).split())
    if not name or len(name) > NAME_MAX or any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput(
            f"'{field}': geef een naam van 1 tot {NAME_MAX} tekens.",
            f"'{field}': give a name of 1 to {NAME_MAX} characters.",
            field=field,
        )
    return name


def _check_kind(kind: str, field: str) -> str:
    if kind not in PROPOSABLE_KINDS:
        raise InvalidInput(
            f"'{field}': kies een soort uit de lijst.",
            f"'{field}': choose a kind from the list.",
            field=field,
        )
    return kind


def consent(
    repo: Repository, inv: Invitation, rnd: SurveyRound, findable: bool, today: dt.date
) -> None:
    """Record consent (and whether the respondent may be found by others)."""
    props = {"consent_on": today, "findable": bool(findable), "withdrawn_on": None}
    repo.surveys.change(rnd.proeftuin, rnd.key, [{"id": inv.id, "props": props}])


def register(
    repo: Repository, inv: Invitation, rnd: SurveyRound, name: str, kind: str, today: dt.date
) -> str:
    """Through an open link: propose the person themself and give them a personal link.

    Returns the new token (the respondent is sent on to it); consent is recorded.
    """
    if not inv.open:
        raise Conflict("Dit is geen open link.", "This is not an open link.")
    prop = Proposal(
        tokens.new_id("prop"),
        rnd.key,
        _clean_name(name, "name"),
        _check_kind(kind, "kind"),
        inv.id,
    )
    token, token_hash = tokens.new_token()
    new_id = tokens.new_id("inv")
    repo.surveys.change(rnd.proeftuin, rnd.key, [], [prop])
    repo.surveys.invite(
        rnd.proeftuin, rnd.key, [{"id": new_id, "hash": token_hash, "proposal": prop.id}]
    )
    repo.surveys.change(
        rnd.proeftuin,
        rnd.key,
        [{"id": new_id, "props": {"consent_on": today, "findable": False}}],
    )
    return token


def _scale_value(item: str, raw: Any, field: str) -> int:
    allowed = {v for v, _, _ in options(item)}
    try:
        value = int(str(raw))
    except ValueError:
        value = -1
    if value not in allowed:
        raise InvalidInput(
            f"'{field}': kies een van de antwoorden.",
            f"'{field}': choose one of the answers.",
            field=field,
        )
    return value


def save_answer(
    repo: Repository,
    inv: Invitation,
    rnd: SurveyRound,
    question: str,
    chosen: Iterable[str],
    scales: Mapping[str, Mapping[str, Any]],
    proposed: Iterable[tuple[str, str]],
    allowed: Iterable[str],
    today: dt.date,
) -> None:
    """Store one question's answer: the people named (refs ``a:<key>`` / ``p:<id>`` from
    ``allowed``), the scale answers per ref, and new people proposed as (name, kind).

    InvalidInput naming the field for anything else; nothing is stored then.
    """
    if inv.consent_on is None:
        raise InvalidInput(
            "Geef eerst toestemming.", "Please give your consent first.", field="consent"
        )
    spec = next((q for q in rnd.questions if q["key"] == question), None)
    if spec is None:
        raise InvalidInput(
            "'question': onbekende vraag.", "'question': unknown question.", field="question"
        )
    allowed_set = set(allowed)
    refs = list(dict.fromkeys(chosen))
    bad = [r for r in refs if r not in allowed_set]
    if bad:
        raise InvalidInput(
            "'named': iemand die niet in de lijst staat.",
            "'named': someone who is not on the list.",
            field="named",
        )
    new_props = []
    for n, (name, kind) in enumerate(proposed):
        new_props.append(
            Proposal(
                tokens.new_id("prop"),
                rnd.key,
                _clean_name(name, f"new_name_{n}"),
                _check_kind(kind, f"new_kind_{n}"),
                inv.id,
            )
        )
    refs += [f"p:{p.id}" for p in new_props]
    if len(refs) > MAX_NAMED:
        raise InvalidInput(
            f"'named': noem hoogstens {MAX_NAMED} mensen per vraag.",
            f"'named': name at most {MAX_NAMED} people per question.",
            field="named",
        )
    entries = []
    items = [i.key for i in items_of(spec["scales"])]
    for ref in refs:
        given = scales.get(ref) or {}
        entry: dict[str, Any] = {"ref": ref}
        values = {
            item: _scale_value(item, given[item], f"{item}")
            for item in items
            if given.get(item) not in (None, "")
        }
        if values:
            entry["scales"] = values
        entries.append(entry)
    answers = dict(inv.answers)
    answers[question] = entries
    props = {"answers": _dumps(answers), "answered_on": today}
    repo.surveys.change(rnd.proeftuin, rnd.key, [{"id": inv.id, "props": props}], new_props)


def _dumps(answers: Mapping[str, Any]) -> str:
    return json.dumps(answers, separators=(",", ":"), ensure_ascii=False)


def withdraw(repo: Repository, inv: Invitation, rnd: SurveyRound, today: dt.date) -> None:
    """Withdraw consent: the answers go, and ties that rest only on them (when the round's
    answers were made ties already, they are made again without this respondent's)."""
    props = {
        "answers": None,
        "answered_on": None,
        "consent_on": None,
        "findable": False,
        "withdrawn_on": today,
    }
    repo.surveys.change(rnd.proeftuin, rnd.key, [{"id": inv.id, "props": props}], plan=plan)


# -- the editor's decisions: answers into ties ------------------------------------------------


def apply(
    repo: Repository, proeftuin: str, key: str, today: dt.date, close: bool
) -> dict[str, int]:
    """Make the round's answers ties now (and with ``close``, close the round)."""
    return repo.surveys.apply(proeftuin, key, plan, today, close)


def close_rounds(
    repo: Repository, due: Iterable[tuple[str, str]], today: dt.date
) -> list[tuple[str, str]]:
    """Close the ``(proeftuin, round)`` pairs found ``due`` on ``today`` (by
    :meth:`~graphsvc.store.surveys.Surveys.due` or with the versions,
    ``Versions.due``), as the editor's "close" does.

    Each round is closed in its own write transaction that checks again, under the
    proeftuin's lock, that it is still open, so concurrent requests (several gunicorn
    workers) close it and apply its answers once.  Returns the pairs this call closed.
    """
    closed = []
    for proeftuin, key in due:
        if repo.surveys.close_due(proeftuin, key, plan, today) is not None:
            closed.append((proeftuin, key))
    return closed


def latest_figures(repo: Repository, proeftuin: str) -> dict[str, Any] | None:
    """The aggregates of the proeftuin's latest closed round, for the scorecard and the
    comparison: ``{round, group_pairs, overall}`` (no names: anyone may see them), or
    None when no round has been closed yet."""
    rnd = latest_closed(repo.surveys.list(proeftuin))
    if rnd is None:
        return None
    rnd, invitations, proposals, roster = repo.surveys.get_all(proeftuin, rnd.key)
    body = results(rnd, invitations, proposals, roster, names_visible=False)
    return {
        "round": rnd,
        "group_pairs": body["group_pairs"],
        "overall": overall(rnd, invitations, proposals, roster),
    }


def resolve(
    repo: Repository,
    proeftuin: str,
    key: str,
    proposal: str,
    action: str,
    actor: str | None = None,
    new_key: str | None = None,
    kind: str | None = None,
) -> dict[str, int]:
    """An editor's decision on a proposed person: accept (a new actor ``new_key``), merge
    with ``actor``, or reject."""
    if action == "reject":
        return repo.surveys.resolve(proeftuin, key, proposal, "rejected", None, None, plan)
    if action == "merge":
        if not actor:
            raise InvalidInput(
                "'actor': nodig bij samenvoegen.", "'actor': needed to merge.", field="actor"
            )
        return repo.surveys.resolve(proeftuin, key, proposal, "merged", actor, None, plan)
    if action != "accept":
        raise InvalidInput(
            "'action': kies accept, merge of reject.",
            "'action': choose accept, merge or reject.",
            field="action",
        )
    _, _, proposals, _ = repo.surveys.get_all(proeftuin, key)
    prop = next((p for p in proposals if p.id == proposal), None)
    name = prop.name if prop is not None else ""
    new = Actor(
        new_key or f"{proeftuin}-{proposal}",
        _check_kind(kind or (prop.kind if prop else ""), "kind"),
        name or "?",
        (proeftuin,),
        {"provenance": provenance_of(key)},
    )
    return repo.surveys.resolve(proeftuin, key, proposal, "accepted", None, new, plan)
