"""/api/v1/proeftuinen: the pilot sites and their sizes; create, rename, delete (editor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from graphsvc.vocabulary import KIND_KEYS
from graphsvc.web.api.caching import (
    ETAG_HEADER,
    IF_MATCH,
    changed,
    etag_response,
    if_match,
    not_modified,
    proeftuin_etag,
    resource_response,
)
from graphsvc.web.api.schemas import (
    ProeftuinCreateSchema,
    ProeftuinPatchSchema,
    ProeftuinSchema,
    ProeftuinUpdateSchema,
)
from graphsvc.web.auth import require_role
from graphsvc.web.services import store

blp = Blueprint(
    "proeftuinen",
    __name__,
    url_prefix="/api/v1/proeftuinen",
    description="Proeftuinen (pilot sites)",
)


def as_json(p: Any) -> dict:
    return {
        "key": p.key,
        "name": p.name,
        "municipality": p.municipality,
        "fictional": p.fictional,
        "version": p.version,
        "actors": p.actors,
        "meetings": p.meetings,
        "counts": {k: p.counts.get(k, 0) for k in KIND_KEYS},
    }


@blp.route("")
@require_role("viewer")
@blp.response(200, ProeftuinSchema(many=True))
def list_proeftuinen() -> Any:
    """All proeftuinen with their number of actors per kind."""
    versions = store().proeftuinen.list_versions()
    early = not_modified(versions)
    if early is not None:
        return early
    body = ProeftuinSchema(many=True).dump([as_json(p) for p in store().proeftuinen.list()])
    return etag_response(body, versions)


@blp.route("/<key>")
@require_role("viewer")
@blp.response(200, ProeftuinSchema, headers=ETAG_HEADER)
def get_proeftuin(key: str) -> Any:
    """One proeftuin, with its ETag (for If-None-Match and If-Match)."""
    return _answer(key)


def _answer(key: str, status: int = 200) -> Any:
    """The proeftuin with its strong ETag, from one read (the version and the store's
    generation come with the proeftuin)."""
    proeftuin = store().proeftuinen.get(key)
    body = ProeftuinSchema().dump(as_json(proeftuin))
    tag = proeftuin_etag(key, proeftuin.version, proeftuin.generation)
    return resource_response(body, tag, status)


def _expected(key: str) -> Callable[[tuple[int, str]], bool] | None:
    """The If-Match check of a write: the store calls it in the write transaction with the
    proeftuin's version and the store's generation as they are there, so no extra read."""
    return if_match(lambda state: proeftuin_etag(key, *state))


_CHANGED = changed("the proeftuin, or something in it,")


# -- writes (editor) ------------------------------------------------------------------------


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(ProeftuinCreateSchema)
@blp.response(201, ProeftuinSchema, headers=ETAG_HEADER)
@blp.alt_response(409, description="A proeftuin with this key exists")
def create_proeftuin(data: dict[str, Any]) -> Any:
    """Create a proeftuin (empty, version 1)."""
    store().proeftuinen.create(data["key"], data["name"], data["municipality"], data["fictional"])
    response = _answer(data["key"], 201)
    response.headers["Location"] = url_for("proeftuinen.get_proeftuin", key=data["key"])
    return response


def _update(key: str, data: dict[str, Any]) -> Any:
    store().proeftuinen.update(
        key, data.get("name"), data.get("municipality"), expected=_expected(key)
    )
    return _answer(key)


@blp.route("/<key>", methods=["PUT"])
@require_role("editor")
@blp.arguments(ProeftuinUpdateSchema)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, ProeftuinSchema, headers=ETAG_HEADER)
@blp.alt_response(412, description=_CHANGED)
def replace_proeftuin(data: dict[str, Any], key: str) -> Any:
    """Set a proeftuin's name and municipality (an absent municipality becomes empty).

    With `If-Match` (the ETag of a GET) only while the proeftuin is unchanged.
    """
    return _update(key, data)


@blp.route("/<key>", methods=["PATCH"])
@require_role("editor")
@blp.arguments(ProeftuinPatchSchema)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, ProeftuinSchema, headers=ETAG_HEADER)
@blp.alt_response(412, description=_CHANGED)
def patch_proeftuin(data: dict[str, Any], key: str) -> Any:
    """Change a proeftuin's name and/or municipality (with `If-Match`: only while unchanged)."""
    return _update(key, data)


@blp.route("/<key>", methods=["DELETE"])
@require_role("editor")
@blp.doc(parameters=[IF_MATCH])
@blp.response(204)
@blp.alt_response(412, description=_CHANGED)
def delete_proeftuin(key: str) -> Any:
    """Delete a proeftuin with its meetings; its actors go too unless in another proeftuin.

    With `If-Match` only while the proeftuin is unchanged.
    """
    store().proeftuinen.delete(key, expected=_expected(key))
