"""/api/v1/proeftuinen/{key}/ties: ties between actors of a proeftuin (analyst reads)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from graphsvc.dataset import Tie
from graphsvc.web.api.caching import ETAG_HEADER, IF_MATCH, Conditional, changed, not_modified
from graphsvc.web.api.common import paged_response, proeftuin_versions, window
from graphsvc.web.api.schemas import TieArgs, TiePageSchema, TieRefSchema, TieSchema
from graphsvc.web.auth import require_role
from graphsvc.web.services import store

__all__ = ["blp", "tie_dict"]

blp = Blueprint(
    "ties",
    __name__,
    url_prefix="/api/v1/proeftuinen/<key>/ties",
    description="Ties between actors of a proeftuin. A tie is identified by "
    "(source, target, type, since); for the symmetric types knows and "
    "collaborates the order of source and target does not matter.",
)

_IDENTITY = ("source", "target", "type", "since")
_ONE = "/<source>/<target>/<type>/<since>"
_CHANGED = changed("the tie")


def _identity(source: str, target: str, type: str, since: str) -> dict[str, Any]:
    """The tie identity of the URL, validated like a query (422 naming the field)."""
    try:
        return TieRefSchema().load(
            {"source": source, "target": target, "type": type, "since": since}
        )
    except ValidationError as exc:
        abort(422, messages={"path": exc.messages})
        raise  # not reached: abort raises


def tie_dict(tie: Tie) -> dict[str, Any]:
    """A tie as TieSchema dumps it (dates still dates)."""
    return {
        "source": tie.source,
        "target": tie.target,
        "type": tie.type,
        "since": tie.since,
        "until": tie.until,
        "weight": tie.weight,
        "provenance": tie.provenance,
        "attributes": tie.attributes,
    }


#: A tie as served, its ETag and the If-Match check of a write.
_TIE: Conditional[Tie] = Conditional(lambda tie: TieSchema().dump(tie_dict(tie)))


@blp.route("")
@require_role("analyst")
@blp.arguments(TieArgs, location="query")
@blp.response(200, TiePageSchema)
def list_ties(args: dict[str, Any], key: str) -> Any:
    """One page of the ties between actors of the proeftuin, optionally of some types."""
    versions = proeftuin_versions(key)
    early = not_modified(versions)
    if early is not None:
        return early
    skip, limit = window(args)
    types, confirmed = args.get("type"), args.get("confirmed")
    ties = store().ties.list(key, types, skip, limit, confirmed)
    total = store().ties.count(key, types, confirmed)
    items = TieSchema(many=True).dump([tie_dict(t) for t in ties])
    return paged_response(items, total, args, versions)


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(TieSchema)
@blp.response(201, TieSchema)
@blp.alt_response(409, description="A tie with this identity exists")
def create_tie(data: dict[str, Any], key: str) -> Any:
    """Add a tie between two actors of the proeftuin.

    An actor that is not in the proeftuin is a 422 problem naming `source` or
    `target`. The answer is the tie as stored (symmetric ties with the smaller
    key as source).
    """
    tie = Tie(
        data["source"],
        data["target"],
        data["type"],
        data["since"],
        data["until"],
        data["weight"],
        data["provenance"],
        data["attributes"],
    )
    store().ties.create(key, tie)
    return tie_dict(tie.normalised())


@blp.route(_ONE)
@require_role("analyst")
@blp.response(200, TieSchema, headers=ETAG_HEADER)
def get_tie(key: str, source: str, target: str, type: str, since: str) -> Any:
    """One tie by its identity (symmetric types: either order), with its ETag."""
    ident = _identity(source, target, type, since)
    tie = store().ties.get(key, ident["source"], ident["target"], ident["type"], ident["since"])
    return _TIE.response(tie)


@blp.route(_ONE, methods=["DELETE"])
@require_role("editor")
@blp.doc(parameters=[IF_MATCH])
@blp.response(204)
@blp.alt_response(412, description=_CHANGED)
def delete_one_tie(key: str, source: str, target: str, type: str, since: str) -> Any:
    """Delete one tie by its identity (with `If-Match`: only while it is unchanged)."""
    ident = _identity(source, target, type, since)
    store().ties.delete(
        key,
        ident["source"],
        ident["target"],
        ident["type"],
        ident["since"],
        expected=_TIE.expected(),
    )


@blp.route("", methods=["DELETE"])
@require_role("editor")
@blp.arguments(TieRefSchema, location="query")
@blp.arguments(TieRefSchema, location="json", required=False)
@blp.response(204)
def delete_tie(in_query: dict[str, Any], in_body: dict[str, Any], key: str) -> Any:
    """Delete one tie, identified by source, target, type and since (query or JSON body)."""
    identity = {**in_query, **in_body}
    missing = [name for name in _IDENTITY if name not in identity]
    if missing:
        abort(
            422,
            messages={"query": {name: ["Missing data for required field."] for name in missing}},
        )
    store().ties.delete(
        key, identity["source"], identity["target"], identity["type"], identity["since"]
    )
