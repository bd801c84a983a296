"""/api/v1/keys: API keys, for admins (list, create, revoke).

A new key is in the response of its creation only; the store keeps its hash.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from graphsvc.web import auth

blp = Blueprint("keys", __name__, url_prefix="/api/v1/keys", description="API keys (admin only)")

_ID = {"description": "Public id of the key (8 hex characters), for listing and revoking"}
_NAME = {"description": "Who or what uses the key"}
_ROLE = {"description": f"Role, each including the ones before it: {' < '.join(auth.ROLES)}"}


class KeySchema(Schema):
    id = fields.String(required=True, metadata=_ID)
    name = fields.String(required=True, metadata=_NAME)
    role = fields.String(required=True, metadata=_ROLE)
    created = fields.String(metadata={"description": "When the key was made (ISO 8601)"})
    revoked = fields.Boolean(metadata={"description": "True once revoked; it then never works"})


class KeyCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata=_NAME)
    role = fields.String(required=True, validate=validate.OneOf(auth.ROLES), metadata=_ROLE)


class CreatedKeySchema(Schema):
    id = fields.String(required=True, metadata=_ID)
    name = fields.String(required=True, metadata=_NAME)
    role = fields.String(required=True, metadata=_ROLE)
    key = fields.String(
        required=True,
        metadata={
            "description": "The key itself, shown only in this response: store it safely now"
        },
    )


@blp.route("")
@auth.require_role("admin")
@blp.response(200, KeySchema(many=True))
def list_keys() -> Any:
    """Every key, newest first (never the key or its hash)."""
    return auth.list_keys()


@blp.route("", methods=["POST"])
@auth.require_role("admin")
@blp.arguments(KeyCreateSchema)
@blp.response(
    201,
    CreatedKeySchema,
    headers={
        "Cache-Control": {
            "description": "no-store: the response holds the key",
            "schema": {"type": "string"},
        }
    },
)
def create_key(body: dict[str, Any]) -> Any:
    """Create a key; the response shows it once."""
    id_, key = auth.create_key(body["role"], body["name"])
    return (
        {"id": id_, "name": auth.clean_name(body["name"]), "role": body["role"], "key": key},
        201,
        {"Cache-Control": "no-store"},
    )


@blp.route("/<key_id>", methods=["DELETE"])
@auth.require_role("admin")
@blp.response(204)
def revoke_key(key_id: str) -> Any:
    """Revoke a key by its id; it stops working at once (sessions within a minute)."""
    auth.revoke(key_id)
