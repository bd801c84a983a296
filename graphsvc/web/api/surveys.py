"""/api/v1/proeftuinen/{key}/surveys: relationship survey rounds (docs/survey.en.md).

Viewers see rounds and their aggregate results; analysts also who was invited, who has
not answered and the proposed people; editors create, invite, close and decide.
Personal links (``/s/<token>``) are in the answer of an invitation only, once.

The reads carry a weak ETag from their content (:func:`graphsvc.web.api.caching.content_response`)
and answer ``If-None-Match`` with 304: answers come in without raising the proeftuin's version,
so a tag from versions could keep a client on old results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from graphsvc.store.surveys import Invitation, Proposal, SurveyRound
from graphsvc.survey import results as survey_results
from graphsvc.survey import service
from graphsvc.survey.questions import GENERATORS, MAX_QUESTIONS, SCALES
from graphsvc.vocabulary import KIND_KEYS
from graphsvc.web.api.caching import content_response
from graphsvc.web.api.schemas import _key_field
from graphsvc.web.auth import current_principal, require_role
from graphsvc.web.services import store

__all__ = ["blp", "round_dict", "link_of"]

blp = Blueprint(
    "surveys",
    __name__,
    url_prefix="/api/v1/proeftuinen/<key>/surveys",
    description="Relationship survey rounds: questions, invitations, proposed people, "
    "answers into ties (provenance survey:<round>) and aggregate results.",
)

_TEXT_MAX = 2000


class QuestionSchema(Schema):
    key = fields.String(required=True, validate=validate.OneOf(list(GENERATORS)))
    scales = fields.List(fields.String(validate=validate.OneOf(list(SCALES))), load_default=list)
    tie_type = fields.String(dump_only=True)
    direction = fields.String(dump_only=True)


class RoundCreateSchema(Schema):
    key = _key_field(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    intro = fields.String(load_default="", validate=validate.Length(max=_TEXT_MAX))
    opens = fields.Date(required=True)
    closes = fields.Date(required=True)
    questions = fields.List(
        fields.Nested(QuestionSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_QUESTIONS),
    )


class RoundCopySchema(Schema):
    key = _key_field(required=True)
    title = fields.String(validate=validate.Length(min=1, max=200))
    intro = fields.String(validate=validate.Length(max=_TEXT_MAX))
    opens = fields.Date(required=True)
    closes = fields.Date(required=True)


class RoundSchema(Schema):
    key = fields.String()
    proeftuin = fields.String()
    title = fields.String()
    intro = fields.String()
    opens = fields.Date()
    closes = fields.Date()
    questions = fields.List(fields.Nested(QuestionSchema))
    status = fields.String()
    applied_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    copied_from = fields.String(allow_none=True)


class RoundListSchema(Schema):
    items = fields.List(fields.Nested(RoundSchema))


class InviteSchema(Schema):
    actors = fields.List(_key_field(), load_default=list, validate=validate.Length(max=2000))
    kinds = fields.List(fields.String(validate=validate.OneOf(KIND_KEYS)), load_default=list)


class LinkSchema(Schema):
    id = fields.String()
    actor = fields.String(allow_none=True)
    url = fields.String(metadata={"description": "The personal link (shown once)"})


class InviteResultSchema(Schema):
    created = fields.List(fields.Nested(LinkSchema))
    already_invited = fields.List(fields.String())


class InvitationSchema(Schema):
    id = fields.String()
    actor = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    open = fields.Boolean()
    status = fields.String(
        metadata={"description": "invited, consented, answered, withdrawn, revoked"}
    )


class InvitationListSchema(Schema):
    items = fields.List(fields.Nested(InvitationSchema))


class ProposalSchema(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    status = fields.String()
    actor = fields.String(allow_none=True)


class ProposalListSchema(Schema):
    items = fields.List(fields.Nested(ProposalSchema))


class DecisionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["accept", "merge", "reject"]))
    actor = _key_field()  # merge: the existing actor
    new_key = _key_field()  # accept: key of the new actor (optional)
    kind = fields.String(validate=validate.OneOf(KIND_KEYS))


class VersionsSchema(Schema):
    versions = fields.Dict(keys=fields.String(), values=fields.Integer())


class ScaleFigureSchema(Schema):
    mean = fields.Float(allow_none=True)
    answers = fields.Integer(allow_none=True)
    suppressed = fields.Boolean()


class GroupPairSchema(Schema):
    from_kind = fields.String()
    to_kind = fields.String()
    frequency = fields.Nested(ScaleFigureSchema)
    trust = fields.Nested(ScaleFigureSchema)
    equality = fields.Nested(ScaleFigureSchema)


class ResponseSchema(Schema):
    kind = fields.String()
    invited = fields.Integer()
    answered = fields.Integer()
    rate = fields.Float()


class ReciprocitySchema(Schema):
    pairs = fields.Integer()
    mutual = fields.Integer()
    rate = fields.Float(allow_none=True)


class PersonSchema(Schema):
    key = fields.String()
    name = fields.String()
    kind = fields.String()


class ResultsSchema(Schema):
    round = fields.String()
    status = fields.String()
    invited = fields.Integer()
    answered = fields.Integer()
    response_rate = fields.Float(allow_none=True)
    response_by_kind = fields.List(fields.Nested(ResponseSchema))
    reciprocity = fields.Nested(ReciprocitySchema)
    group_pairs = fields.List(fields.Nested(GroupPairSchema))
    suppress_below = fields.Integer()
    proposals_pending = fields.Integer()
    non_respondents = fields.List(
        fields.Nested(PersonSchema), metadata={"description": "Analysts and up only"}
    )


def round_dict(rnd: SurveyRound) -> dict[str, Any]:
    return {
        "key": rnd.key,
        "proeftuin": rnd.proeftuin,
        "title": rnd.title,
        "intro": rnd.intro,
        "opens": rnd.opens,
        "closes": rnd.closes,
        "questions": list(rnd.questions),
        "status": rnd.status,
        "applied_on": rnd.applied_on,
        "closed_on": rnd.closed_on,
        "copied_from": rnd.copied_from,
    }


def link_of(token: str) -> str:
    """The full personal link of a token on this site."""
    return f"{request.host_url.rstrip('/')}/s/{token}"


def invitation_status(inv: Invitation) -> str:
    if inv.revoked:
        return "revoked"
    if inv.withdrawn_on is not None and inv.consent_on is None:
        return "withdrawn"
    if inv.answered_on is not None:
        return "answered"
    return "consented" if inv.consent_on is not None else "invited"


def invitation_rows(
    invitations: list[Invitation],
    proposals: list[Proposal],
    roster: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    props = {p.id: p for p in proposals}
    rows = []
    for inv in invitations:
        actor = survey_results.respondent_of(inv, props)
        kind, name = roster.get(actor or "", (None, None))
        if actor is None and inv.proposal in props:
            kind, name = props[inv.proposal].kind, props[inv.proposal].name
        rows.append(
            {
                "id": inv.id,
                "actor": actor,
                "name": name,
                "kind": kind,
                "open": inv.open,
                "status": invitation_status(inv),
            }
        )
    return rows


def _names_visible() -> bool:
    principal = current_principal()
    return principal is not None and principal.allows("analyst")


@blp.route("")
@require_role("viewer")
@blp.response(200, RoundListSchema)
def list_rounds(key: str) -> Any:
    """The survey rounds of the proeftuin, newest first."""
    body = {"items": [round_dict(r) for r in store().surveys.list(key)]}
    return content_response(RoundListSchema().dump(body))


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(RoundCreateSchema)
@blp.response(201, RoundSchema)
@blp.alt_response(409, description="A round with this key exists")
def create_round(data: dict[str, Any], key: str) -> Any:
    """Create a round: title, intro, open and close dates, and questions from the set."""
    return round_dict(service.create_round(store(), key, data))


@blp.route("/<round_>")
@require_role("viewer")
@blp.response(200, RoundSchema)
def get_round(key: str, round_: str) -> Any:
    """One round with its questions."""
    return content_response(RoundSchema().dump(round_dict(store().surveys.get(key, round_))))


@blp.route("/<round_>/copy", methods=["POST"])
@require_role("editor")
@blp.arguments(RoundCopySchema)
@blp.response(201, RoundSchema)
@blp.alt_response(409, description="A round with this key exists")
def copy_round(data: dict[str, Any], key: str, round_: str) -> Any:
    """A new round with the same questions (to repeat the survey); invite anew."""
    return round_dict(service.copy_round(store(), key, round_, data))


@blp.route("/<round_>/invitations")
@require_role("analyst")
@blp.response(200, InvitationListSchema)
def list_invitations(key: str, round_: str) -> Any:
    """Who is invited and how far they are (never a link: tokens are not stored)."""
    _, invitations, proposals, roster = store().surveys.get_all(key, round_)
    return {"items": invitation_rows(invitations, proposals, roster)}


@blp.route("/<round_>/invitations", methods=["POST"])
@require_role("editor")
@blp.arguments(InviteSchema)
@blp.response(201, InviteResultSchema)
def invite(data: dict[str, Any], key: str, round_: str) -> Any:
    """Invite actors (by key, or every actor of some kinds); returns each new personal link
    once.  Actors already invited keep their link."""
    actors = list(data["actors"])
    if data["kinds"]:
        _, _, _, roster = store().surveys.get_all(key, round_)
        actors += [a for a, (kind, _) in roster.items() if kind in data["kinds"]]
    made, already = service.invite(store(), key, round_, actors)
    return {
        "created": [{"id": m["id"], "actor": m["actor"], "url": link_of(m["token"])} for m in made],
        "already_invited": already,
    }


@blp.route("/<round_>/invitations/<invitation>", methods=["DELETE"])
@require_role("editor")
@blp.response(204)
def revoke_invitation(key: str, round_: str, invitation: str) -> Any:
    """Revoke an invitation: its link stops working at once."""
    service.revoke(store(), key, round_, invitation)


@blp.route("/<round_>/open-link", methods=["POST"])
@require_role("editor")
@blp.response(201, LinkSchema)
def open_link(key: str, round_: str) -> Any:
    """A new open link for a meeting (people register themselves; an editor reviews them).
    An earlier open link of the round stops working."""
    made = service.open_link(store(), key, round_)
    return {"id": made["id"], "actor": None, "url": link_of(made["token"])}


@blp.route("/<round_>/proposals")
@require_role("analyst")
@blp.response(200, ProposalListSchema)
def list_proposals(key: str, round_: str) -> Any:
    """People proposed by respondents, and the decisions on them."""
    _, _, proposals, _ = store().surveys.get_all(key, round_)
    return {
        "items": [
            {"id": p.id, "name": p.name, "kind": p.kind, "status": p.status, "actor": p.actor}
            for p in proposals
        ]
    }


@blp.route("/<round_>/proposals/<proposal>", methods=["POST"])
@require_role("editor")
@blp.arguments(DecisionSchema)
@blp.response(200, VersionsSchema)
@blp.alt_response(409, description="Already decided, or the new key is taken")
def decide(data: dict[str, Any], key: str, round_: str, proposal: str) -> Any:
    """Accept a proposed person as a new actor, merge them with an existing actor, or
    reject them.  Once the round's answers are ties, theirs follow at once."""
    versions = service.resolve(
        store(),
        key,
        round_,
        proposal,
        data["action"],
        data.get("actor"),
        data.get("new_key"),
        data.get("kind"),
    )
    return {"versions": versions}


@blp.route("/<round_>/apply", methods=["POST"])
@require_role("editor")
@blp.response(200, VersionsSchema)
def apply(key: str, round_: str) -> Any:
    """Make the answers so far ties now (the round stays open)."""
    return {"versions": service.apply(store(), key, round_, dt.date.today(), close=False)}


@blp.route("/<round_>/close", methods=["POST"])
@require_role("editor")
@blp.response(200, VersionsSchema)
def close(key: str, round_: str) -> Any:
    """Close the round: links stop working, answers become ties, and open ties of earlier
    rounds of the same tie types end."""
    return {"versions": service.apply(store(), key, round_, dt.date.today(), close=True)}


@blp.route("/<round_>/results")
@require_role("viewer")
@blp.response(200, ResultsSchema)
def results(key: str, round_: str) -> Any:
    """Response per kind, reciprocity of naming, and per pair of kinds the mean scores with
    their numbers of answers (none shown under 3).  Non-respondents: analysts and up."""
    rnd, invitations, proposals, roster = store().surveys.get_all(key, round_)
    body = survey_results.results(rnd, invitations, proposals, roster, _names_visible())
    return content_response(ResultsSchema().dump(body))
