"""/api/v1/proeftuinen/{key}/actors: the actors of a proeftuin (with names: analyst and up)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from graphsvc.dataset import Actor
from graphsvc.web.api.caching import ETAG_HEADER, IF_MATCH, Conditional, changed, not_modified
from graphsvc.web.api.common import paged_response, proeftuin_versions, same_key, window
from graphsvc.web.api.schemas import ActorArgs, ActorPageSchema, ActorSchema, ActorUpdateSchema
from graphsvc.web.auth import require_role
from graphsvc.web.services import store

__all__ = ["blp", "actor_dict"]

blp = Blueprint(
    "actors",
    __name__,
    url_prefix="/api/v1/proeftuinen/<key>/actors",
    description="Actors of a proeftuin: residents, initiatives, officials, funds, "
    "organisations. Actors carry names, so reading needs the analyst "
    "role; writing needs editor.",
)


def actor_dict(actor: Actor) -> dict[str, Any]:
    """An actor as ActorSchema dumps it."""
    return {
        "key": actor.key,
        "kind": actor.kind,
        "name": actor.name,
        "proeftuinen": list(actor.proeftuinen),
        "attributes": actor.attributes,
    }


#: An actor as served, its ETag and the If-Match check of a write.
_ACTOR: Conditional[Actor] = Conditional(lambda actor: ActorSchema().dump(actor_dict(actor)))
_CHANGED = changed("the actor")


@blp.route("")
@require_role("analyst")
@blp.arguments(ActorArgs, location="query")
@blp.response(200, ActorPageSchema)
def list_actors(args: dict[str, Any], key: str) -> Any:
    """One page of the actors of a proeftuin, in key order, optionally of one kind.

    The `Link` header and `next`/`prev` point at the neighbouring pages.
    """
    versions = proeftuin_versions(key)
    early = not_modified(versions)
    if early is not None:
        return early
    skip, limit = window(args)
    actors, total = store().actors.list(key, args["kind"], skip, limit)
    items = ActorSchema(many=True).dump([actor_dict(a) for a in actors])
    return paged_response(items, total, args, versions)


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(ActorSchema)
@blp.response(201, ActorSchema, headers=ETAG_HEADER)
@blp.alt_response(
    409,
    description="The key is taken in this proeftuin, or belongs to a "
    "different actor (other kind or name) of another proeftuin",
)
def create_actor(data: dict[str, Any], key: str) -> Any:
    """Add an actor to the proeftuin.

    A key that an actor of *another* proeftuin has, with the same kind and name,
    adds that actor to this proeftuin too (funders often work in several).
    """
    store().actors.create(
        key, Actor(data["key"], data["kind"], data["name"], (key,), data["attributes"])
    )
    actor = store().actors.get(key, data["key"])
    response = _ACTOR.response(actor, 201)
    response.headers["Location"] = url_for("actors.get_actor", key=key, actor=actor.key)
    return response


@blp.route("/<actor>")
@require_role("analyst")
@blp.response(200, ActorSchema, headers=ETAG_HEADER)
def get_actor(key: str, actor: str) -> Any:
    """One actor of the proeftuin, with its ETag (for If-None-Match and If-Match)."""
    return _ACTOR.response(store().actors.get(key, actor))


@blp.route("/<actor>", methods=["PUT"])
@require_role("editor")
@blp.arguments(ActorUpdateSchema)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, ActorSchema, headers=ETAG_HEADER)
@blp.alt_response(412, description=_CHANGED)
def update_actor(data: dict[str, Any], key: str, actor: str) -> Any:
    """Replace an actor's kind, name and attributes (in every proeftuin it belongs to).

    With `If-Match` (the ETag of a GET) only while the actor is unchanged.
    """
    same_key(actor, data)
    store().actors.update(
        key, actor, data["kind"], data["name"], data["attributes"], expected=_ACTOR.expected()
    )
    return _ACTOR.response(store().actors.get(key, actor))


@blp.route("/<actor>", methods=["DELETE"])
@require_role("editor")
@blp.doc(parameters=[IF_MATCH])
@blp.response(204)
@blp.alt_response(412, description=_CHANGED)
def delete_actor(key: str, actor: str) -> Any:
    """Take the actor out of the proeftuin; deleted with its ties when in no other proeftuin.

    With `If-Match` only while the actor is unchanged.
    """
    store().actors.delete(key, actor, expected=_ACTOR.expected())
