"""/api/v1/proeftuinen: the pilot sites and their sizes; create, rename, delete (editor)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from graphsvc.vocabulary import KIND_KEYS
from graphsvc.web.api.caching import etag_response, not_modified
from graphsvc.web.api.common import proeftuin_versions
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


def as_json(p) -> dict:
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
def list_proeftuinen():
    """All proeftuinen with their number of actors per kind."""
    versions = store().proeftuinen.list_versions()
    early = not_modified(versions)
    if early is not None:
        return early
    body = ProeftuinSchema(many=True).dump([as_json(p) for p in store().proeftuinen.list()])
    return etag_response(body, versions)


@blp.route("/<key>")
@require_role("viewer")
@blp.response(200, ProeftuinSchema)
def get_proeftuin(key: str):
    """One proeftuin."""
    versions = proeftuin_versions(key)
    early = not_modified(versions)
    if early is not None:
        return early
    return etag_response(ProeftuinSchema().dump(as_json(store().proeftuinen.get(key))), versions)


# -- writes (editor) ------------------------------------------------------------------------


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(ProeftuinCreateSchema)
@blp.response(201, ProeftuinSchema)
@blp.alt_response(409, description="A proeftuin with this key exists")
def create_proeftuin(data: dict[str, Any]):
    """Create a proeftuin (empty, version 1)."""
    store().proeftuinen.create(data["key"], data["name"], data["municipality"], data["fictional"])
    location = url_for("proeftuinen.get_proeftuin", key=data["key"])
    return as_json(store().proeftuinen.get(data["key"])), {"Location": location}


def _update(key: str, data: dict[str, Any]) -> dict:
    store().proeftuinen.update(key, data.get("name"), data.get("municipality"))
    return as_json(store().proeftuinen.get(key))


@blp.route("/<key>", methods=["PUT"])
@require_role("editor")
@blp.arguments(ProeftuinUpdateSchema)
@blp.response(200, ProeftuinSchema)
def replace_proeftuin(data: dict[str, Any], key: str):
    """Set a proeftuin's name and municipality (an absent municipality becomes empty)."""
    return _update(key, data)


@blp.route("/<key>", methods=["PATCH"])
@require_role("editor")
@blp.arguments(ProeftuinPatchSchema)
@blp.response(200, ProeftuinSchema)
def patch_proeftuin(data: dict[str, Any], key: str):
    """Change a proeftuin's name and/or municipality."""
    return _update(key, data)


@blp.route("/<key>", methods=["DELETE"])
@require_role("editor")
@blp.response(204)
def delete_proeftuin(key: str):
    """Delete a proeftuin with its meetings; its actors go too unless in another proeftuin."""
    store().proeftuinen.delete(key)
