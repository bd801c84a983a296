"""Survey rounds, their invitations (with answers) and proposed people: ``repo.surveys``.

A round belongs to one proeftuin (``(:SurveyRound)-[:OF]->(:Proeftuin)``); its
invitations and proposals point at it (``(:SurveyInvitation)-[:FOR]->(:SurveyRound)``,
``(:SurveyProposal)-[:FOR]->(:SurveyRound)``).  An invitation is found by the SHA-256
of its token through a unique index; the token itself is never stored.  A respondent's
answers are one JSON document on the invitation (bounded by the question set), so
"save and continue later" is one write.

The survey's own records are not network data: writing them takes the proeftuin's
write lock (so concurrent respondents and editors are serialised) but does not bump its
version, like map layouts.  What turns answers into ties (:meth:`Surveys.rewrite_ties`)
does, in the same transaction: it deletes the ties the round made before
(``provenance = survey:<round>``), writes the ones the plan computes now, optionally
ends the open ties earlier rounds made, and bumps every proeftuin it touched.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Tie
from graphsvc.errors import Conflict, NotFound
from graphsvc.store.actors import find_actors, members, proeftuinen_of, upsert_actors
from graphsvc.store.driver import Database, Tx
from graphsvc.store.proeftuinen import bump_versions, require_proeftuinen
from graphsvc.store.properties import native, tie_from
from graphsvc.store.queries import query
from graphsvc.store.ties import upsert_ties

__all__ = ["SurveyRound", "Invitation", "Proposal", "Surveys", "Plan", "provenance_of"]


@dataclass(frozen=True)
class SurveyRound:
    key: str
    proeftuin: str
    title: str
    intro: str
    opens: dt.date
    closes: dt.date
    questions: tuple[dict[str, Any], ...]  # [{"key": generator key, "scales": [group, ...]}]
    status: str = "open"  # "open" or "closed"
    applied_on: dt.date | None = None  # last time answers became ties
    closed_on: dt.date | None = None
    copied_from: str | None = None


@dataclass(frozen=True)
class Invitation:
    id: str
    round: str
    actor: str | None = None  # the invited actor (None: an open link, or a proposal's)
    proposal: str | None = None  # a person who registered through the open link
    open: bool = False  # the open link of a meeting
    revoked: bool = False
    created: str = ""
    consent_on: dt.date | None = None
    findable: bool = False
    answers: dict[str, Any] = field(default_factory=dict, compare=False)
    answered_on: dt.date | None = None
    withdrawn_on: dt.date | None = None


@dataclass(frozen=True)
class Proposal:
    id: str
    round: str
    name: str
    kind: str
    proposed_by: str  # invitation id
    status: str = "pending"  # pending, accepted, merged, rejected
    actor: str | None = None  # the actor it became or was merged with
    created: str = ""


#: What turns a round's answers into ties: (round, invitations, proposals, roster) -> ties.
#: The roster is ``{actor key: (kind, name)}`` of the round's proeftuin.
Plan = Callable[
    [SurveyRound, list[Invitation], list[Proposal], dict[str, tuple[str, str]]], list[Tie]
]


def provenance_of(round_key: str) -> str:
    """The provenance of the ties a round makes."""
    return f"survey:{round_key}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _no_round(proeftuin: str, key: str) -> NotFound:
    return NotFound(
        f"Enquêteronde '{key}' bestaat niet in proeftuin '{proeftuin}'.",
        f"Survey round '{key}' does not exist in proeftuin '{proeftuin}'.",
    )


# -- conversions -------------------------------------------------------------------------------


def _round_props(r: SurveyRound) -> dict[str, Any]:
    props = {
        "key": r.key,
        "title": r.title,
        "intro": r.intro,
        "opens": r.opens,
        "closes": r.closes,
        "questions": json.dumps(list(r.questions)),
        "status": r.status,
        "applied_on": r.applied_on,
        "closed_on": r.closed_on,
        "copied_from": r.copied_from,
    }
    return {k: v for k, v in props.items() if v is not None}


def _round_from(props: dict[str, Any], proeftuin: str) -> SurveyRound:
    p = {k: native(v) for k, v in props.items()}
    return SurveyRound(
        p["key"],
        proeftuin,
        p["title"],
        p.get("intro", ""),
        p["opens"],
        p["closes"],
        tuple(json.loads(p["questions"])),
        p.get("status", "open"),
        p.get("applied_on"),
        p.get("closed_on"),
        p.get("copied_from"),
    )


def _invitation_from(props: dict[str, Any]) -> Invitation:
    p = {k: native(v) for k, v in props.items()}
    return Invitation(
        p["id"],
        p["round"],
        p.get("actor"),
        p.get("proposal"),
        bool(p.get("open", False)),
        bool(p.get("revoked", False)),
        p.get("created", ""),
        p.get("consent_on"),
        bool(p.get("findable", False)),
        json.loads(p.get("answers") or "{}"),
        p.get("answered_on"),
        p.get("withdrawn_on"),
    )


def _proposal_from(props: dict[str, Any]) -> Proposal:
    p = dict(props)
    return Proposal(
        p["id"],
        p["round"],
        p["name"],
        p["kind"],
        p["proposed_by"],
        p.get("status", "pending"),
        p.get("actor"),
        p.get("created", ""),
    )


def _proposal_props(x: Proposal) -> dict[str, Any]:
    props = {
        "id": x.id,
        "round": x.round,
        "name": x.name,
        "kind": x.kind,
        "proposed_by": x.proposed_by,
        "status": x.status,
        "actor": x.actor,
        "created": x.created or _now(),
    }
    return {k: v for k, v in props.items() if v is not None}


# -- transaction steps ---------------------------------------------------------------------------


def _get_round(tx: Tx, proeftuin: str, key: str) -> SurveyRound | None:
    rec = tx.run(query("survey_round_get"), proeftuin=proeftuin, key=key).single()
    return None if rec is None else _round_from(rec["props"], proeftuin)


def _require_round(tx: Tx, proeftuin: str, key: str) -> SurveyRound:
    found = _get_round(tx, proeftuin, key)
    if found is None:
        raise _no_round(proeftuin, key)
    return found


def _invitations(tx: Tx, round_key: str) -> list[Invitation]:
    rows = tx.run(query("survey_invitation_list"), round=round_key)
    return [_invitation_from(r["props"]) for r in rows]


def _proposals(tx: Tx, round_key: str) -> list[Proposal]:
    return [
        _proposal_from(r["props"]) for r in tx.run(query("survey_proposal_list"), round=round_key)
    ]


def _roster(tx: Tx, proeftuin: str) -> dict[str, tuple[str, str]]:
    rows = tx.run(query("survey_roster"), proeftuin=proeftuin)
    return {r["key"]: (r["kind"], r["name"]) for r in rows}


def _set_invitations(tx: Tx, round_key: str, rows: list[dict[str, Any]]) -> int:
    return int(
        tx.run(query("survey_invitation_set"), round=round_key, rows=rows).single(strict=True)[
            "changed"
        ]
    )


def _tie_rows(rows: Any) -> list[Tie]:
    return [tie_from(r["source"], r["target"], r["rel"], r["props"]) for r in rows]


def _end_rows(ties: list[Tie]) -> list[dict[str, Any]]:
    return [
        {
            "source": t.source,
            "target": t.target,
            "rel": vocab.tie_type(t.type).rel,
            "since": t.since,
            "provenance": t.provenance,
            "until": t.until,
        }
        for t in ties
    ]


def _rewrite(tx: Tx, rnd: SurveyRound, plan: Plan, end_on: dt.date | None) -> dict[str, int]:
    """Write the ties of ``plan`` in place of the round's earlier ones; bump what changed.

    ``end_on``: also end the open ties earlier survey rounds made of the tie types this
    round asks about, at the new tie's ``since`` when the pair was named again (the new
    round's tie takes over), else at ``end_on``.
    """
    provenance = provenance_of(rnd.key)
    ties = [
        t.normalised()
        for t in plan(
            rnd, _invitations(tx, rnd.key), _proposals(tx, rnd.key), _roster(tx, rnd.proeftuin)
        )
    ]
    old = _tie_rows(
        tx.run(query("survey_ties_of_round"), proeftuin=rnd.proeftuin, provenance=provenance)
    )
    # An end a later round set on one of these ties survives the rewrite.
    ended = {t.identity: t.until for t in old if t.until is not None}
    ties = [replace(t, until=ended.get(t.identity, t.until)) for t in ties]
    tx.run(query("survey_ties_delete"), proeftuin=rnd.proeftuin, provenance=provenance).consume()
    if ties:
        upsert_ties(tx, ties)
    touched = {t.source for t in old + ties} | {t.target for t in old + ties}
    if end_on is not None:
        types = sorted({q["tie_type"] for q in rnd.questions if "tie_type" in q})
        earlier = _tie_rows(
            tx.run(
                query("survey_ties_earlier"),
                proeftuin=rnd.proeftuin,
                provenance=provenance,
                rels=[vocab.tie_type(t).rel for t in types],
            )
        )
        again = {(t.source, t.target, t.type): t.since for t in ties}
        ends = []
        for t in earlier:
            until = again.get((t.source, t.target, t.type), end_on)
            if until > t.since:
                ends.append(replace(t, until=until))
        if ends:
            tx.run(query("survey_ties_end"), rows=_end_rows(ends)).consume()
            touched |= {t.source for t in ends} | {t.target for t in ends}
    return bump_versions(tx, {rnd.proeftuin, *proeftuinen_of(tx, sorted(touched))})


# -- transaction functions -------------------------------------------------------------------------


def _create_round(tx: Tx, rnd: SurveyRound) -> None:
    require_proeftuinen(tx, [rnd.proeftuin])
    rec = tx.run(query("survey_round_find"), key=rnd.key).single()
    if rec is not None:
        raise Conflict(
            f"Enquêteronde '{rnd.key}' bestaat al (proeftuin '{rec['proeftuin']}').",
            f"Survey round '{rnd.key}' already exists (proeftuin '{rec['proeftuin']}').",
            field="key",
        )
    tx.run(query("survey_round_create"), proeftuin=rnd.proeftuin, props=_round_props(rnd)).consume()


def _update_round(tx: Tx, rnd: SurveyRound) -> None:
    _require_round(tx, rnd.proeftuin, rnd.key)
    props: dict[str, Any] = {k: None for k in ("applied_on", "closed_on", "copied_from")}
    props.update(_round_props(rnd))
    tx.run(query("survey_round_set"), proeftuin=rnd.proeftuin, key=rnd.key, props=props).consume()


def _list_rounds(tx: Tx, proeftuin: str) -> list[SurveyRound]:
    require_proeftuinen(tx, [proeftuin])
    rows = tx.run(query("survey_round_list"), proeftuin=proeftuin)
    return [_round_from(r["props"], proeftuin) for r in rows]


def _round_with_invitations(
    tx: Tx, proeftuin: str, key: str
) -> tuple[SurveyRound, list[Invitation], list[Proposal], dict[str, tuple[str, str]]]:
    rnd = _require_round(tx, proeftuin, key)
    return rnd, _invitations(tx, key), _proposals(tx, key), _roster(tx, proeftuin)


def _invite(
    tx: Tx, proeftuin: str, key: str, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Invite actors (rows of id, hash, actor); returns (rows made, actors already invited)."""
    _require_round(tx, proeftuin, key)
    wanted = [r["actor"] for r in rows if r.get("actor")]
    found = members(tx, proeftuin, wanted)
    missing = [a for a in wanted if a not in found]
    if missing:
        raise NotFound(
            f"'actors': geen actor(en) van proeftuin '{proeftuin}': {', '.join(missing)}.",
            f"'actors': not actor(s) of proeftuin '{proeftuin}': {', '.join(missing)}.",
            field="actors",
        )
    invited = {i.actor for i in _invitations(tx, key) if i.actor and not i.revoked}
    new = [r for r in rows if not r.get("actor") or r["actor"] not in invited]
    made = [
        {**r, "round": key, "created": _now(), "revoked": False, "open": bool(r.get("open"))}
        for r in new
    ]
    if made:
        tx.run(query("survey_invitation_create"), rows=made).consume()
    return made, sorted(a for a in wanted if a in invited)


def _find(tx: Tx, token_hash: str) -> tuple[Invitation, SurveyRound] | None:
    rec = tx.run(query("survey_invitation_find"), hash=token_hash).single()
    if rec is None:
        return None
    return _invitation_from(rec["props"]), _round_from(rec["round"], rec["proeftuin"])


def _change(
    tx: Tx,
    proeftuin: str,
    key: str,
    changes: list[dict[str, Any]],
    proposals: list[Proposal],
    plan: Plan | None,
) -> dict[str, int]:
    rnd = _require_round(tx, proeftuin, key)
    if proposals:
        rows = [{**_proposal_props(x), "created": _now()} for x in proposals]
        tx.run(query("survey_proposal_create"), rows=rows).consume()
    changed = _set_invitations(tx, key, changes) if changes else 0
    if changes and changed != len(changes):
        raise NotFound("Deze uitnodiging bestaat niet.", "This invitation does not exist.")
    if plan is not None and rnd.applied_on is not None:
        return _rewrite(tx, rnd, plan, None)
    return {}


def _apply(
    tx: Tx, proeftuin: str, key: str, plan: Plan, today: dt.date, close: bool
) -> dict[str, int]:
    rnd = _require_round(tx, proeftuin, key)
    versions = _rewrite(tx, rnd, plan, today if close and rnd.status != "closed" else None)
    props: dict[str, Any] = {"applied_on": today}
    if close and rnd.status != "closed":
        props.update(status="closed", closed_on=today)
    tx.run(query("survey_round_set"), proeftuin=proeftuin, key=key, props=props).consume()
    return versions


def _close_due(
    tx: Tx, proeftuin: str, key: str, plan: Plan, today: dt.date
) -> dict[str, int] | None:
    """Close the round as :func:`_apply` does, but only if it is still open and past its
    closing date: read again under the proeftuin's write lock, so of two workers that
    saw it due at once, the second finds it closed and writes nothing (None)."""
    rnd = _get_round(tx, proeftuin, key)
    if rnd is None or rnd.status != "open" or rnd.closes >= today:
        return None
    # The day after the closing date: the day a punctual editor would have closed it,
    # however late the first request comes.
    closed_on = min(today, rnd.closes + dt.timedelta(days=1))
    return _apply(tx, proeftuin, key, plan, closed_on, True)


def _resolve(
    tx: Tx,
    proeftuin: str,
    key: str,
    proposal: str,
    status: str,
    actor: str | None,
    new_actor: Actor | None,
    plan: Plan,
) -> dict[str, int]:
    rnd = _require_round(tx, proeftuin, key)
    found = {x.id: x for x in _proposals(tx, key)}.get(proposal)
    if found is None:
        raise NotFound(
            f"Voorgestelde persoon '{proposal}' bestaat niet in ronde '{key}'.",
            f"Proposed person '{proposal}' does not exist in round '{key}'.",
        )
    if found.status != "pending":
        raise Conflict(
            f"Over deze persoon is al besloten ({found.status}).",
            f"This person has already been decided on ({found.status}).",
            field="action",
        )
    versions: dict[str, int] = {}
    if new_actor is not None:
        if find_actors(tx, [new_actor.key]):
            raise Conflict(
                f"Actor '{new_actor.key}' bestaat al.",
                f"Actor '{new_actor.key}' already exists.",
                field="key",
            )
        upsert_actors(tx, [new_actor])
        versions = bump_versions(tx, [proeftuin])
        actor = new_actor.key
    elif actor is not None and actor not in members(tx, proeftuin, [actor]):
        raise NotFound(
            f"'actor': actor '{actor}' bestaat niet in proeftuin '{proeftuin}'.",
            f"'actor': actor '{actor}' does not exist in proeftuin '{proeftuin}'.",
            field="actor",
        )
    props = {"status": status, "actor": actor}
    tx.run(query("survey_proposal_set"), round=key, id=proposal, props=props).consume()
    # A person who registered through the open link answers as the actor they became.
    registered = [i.id for i in _invitations(tx, key) if i.proposal == proposal]
    if registered and actor is not None:
        _set_invitations(tx, key, [{"id": i, "props": {"actor": actor}} for i in registered])
    if rnd.applied_on is not None and actor is not None:
        versions.update(_rewrite(tx, rnd, plan, None))
    return versions


class Surveys:
    """The survey rounds of one database: ``repo.surveys``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # rounds

    def create(self, rnd: SurveyRound) -> None:
        """Store a new round; Conflict naming ``key`` when the key is taken anywhere."""
        self._db.write([rnd.proeftuin], _create_round, rnd)

    def update(self, rnd: SurveyRound) -> None:
        """Replace a round's own properties (its invitations and answers stay)."""
        self._db.write([rnd.proeftuin], _update_round, rnd)

    def get(self, proeftuin: str, key: str) -> SurveyRound:
        found = self._db.read(_get_round, proeftuin, key)
        if found is None:
            raise _no_round(proeftuin, key)
        return found

    def list(self, proeftuin: str) -> builtins.list[SurveyRound]:
        """The rounds of a proeftuin, newest first; NotFound for an unknown proeftuin."""
        return self._db.read(_list_rounds, proeftuin)

    def get_all(
        self, proeftuin: str, key: str
    ) -> tuple[
        SurveyRound,
        builtins.list[Invitation],
        builtins.list[Proposal],
        dict[str, tuple[str, str]],
    ]:
        """A round with its invitations, proposals and the proeftuin's roster, read at once."""
        return self._db.read(_round_with_invitations, proeftuin, key)

    # invitations

    def invite(
        self, proeftuin: str, key: str, rows: builtins.list[dict[str, Any]]
    ) -> tuple[builtins.list[dict[str, Any]], builtins.list[str]]:
        """Store invitations ({id, hash, actor} or {id, hash, open: True}).

        Actors that already hold a live invitation of the round are skipped and
        returned second; NotFound naming ``actors`` for one not in the proeftuin.
        """
        return self._db.write([proeftuin], _invite, proeftuin, key, rows)

    def find(self, token_hash: str) -> tuple[Invitation, SurveyRound] | None:
        """The invitation whose token has this hash, and its round (any state), or None."""
        return self._db.read(_find, token_hash)

    def change(
        self,
        proeftuin: str,
        key: str,
        changes: builtins.list[dict[str, Any]],
        proposals: builtins.list[Proposal] | None = None,
        plan: Plan | None = None,
    ) -> dict[str, int]:
        """Change invitations (``{"id", "props"}`` rows; a None value removes a property)
        and add proposals, in one transaction.  With ``plan``, a round whose answers were
        already made into ties gets them rewritten (a withdrawal); returns the versions
        bumped.  NotFound when an invitation is not one of the round."""
        return self._db.write(
            [proeftuin], _change, proeftuin, key, changes, list(proposals or []), plan
        )

    # answers into ties

    def apply(
        self, proeftuin: str, key: str, plan: Plan, today: dt.date, close: bool = False
    ) -> dict[str, int]:
        """Make the round's answers ties (``plan``), replacing the ties it made before.

        With ``close`` the round is closed and the open ties of earlier rounds of the
        same tie types are ended.  One transaction with the version bumps.
        """
        return self._db.write([proeftuin], _apply, proeftuin, key, plan, today, close)

    def close_due(
        self, proeftuin: str, key: str, plan: Plan, today: dt.date
    ) -> dict[str, int] | None:
        """Close a round past its closing date exactly as :meth:`apply` with ``close`` does,
        if it is still open: the versions bumped, or None when nothing was due any more
        (another worker closed it first).  The check runs inside the write transaction,
        under the proeftuin's lock, so a round is closed and its answers applied once."""
        return self._db.write([proeftuin], _close_due, proeftuin, key, plan, today)

    def resolve(
        self,
        proeftuin: str,
        key: str,
        proposal: str,
        status: str,
        actor: str | None,
        new_actor: Actor | None,
        plan: Plan,
    ) -> dict[str, int]:
        """Accept (``new_actor``), merge (``actor``) or reject a proposed person."""
        return self._db.write(
            [proeftuin], _resolve, proeftuin, key, proposal, status, actor, new_actor, plan
        )
