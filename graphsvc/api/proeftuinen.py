"""/api/v1/proeftuinen: the pilot sites and their sizes."""

from __future__ import annotations

from flask_smorest import Blueprint

from graphsvc.api.schemas import ProeftuinSchema
from graphsvc.extensions import store
from graphsvc.vocabulary import KIND_KEYS

blp = Blueprint("proeftuinen", __name__, url_prefix="/api/v1/proeftuinen",
                description="Proeftuinen (pilot sites)")


def as_json(p) -> dict:
    return {
        "key": p.key, "name": p.name, "municipality": p.municipality,
        "fictional": p.fictional, "version": p.version, "actors": p.actors,
        "meetings": p.meetings, "counts": {k: p.counts.get(k, 0) for k in KIND_KEYS},
    }


@blp.route("")
@blp.response(200, ProeftuinSchema(many=True))
def list_proeftuinen():
    """All proeftuinen with their number of actors per kind."""
    return [as_json(p) for p in store().list_proeftuinen()]


@blp.route("/<key>")
@blp.response(200, ProeftuinSchema)
def get_proeftuin(key: str):
    """One proeftuin."""
    return as_json(store().get_proeftuin(key))
