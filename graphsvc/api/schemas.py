"""Request and response schemas (marshmallow), shared by the blueprints and the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields

from graphsvc.vocabulary import KIND_KEYS


class ProeftuinSchema(Schema):
    key = fields.String(required=True, metadata={"description": "Stable key of the proeftuin"})
    name = fields.String(required=True)
    municipality = fields.String()
    fictional = fields.Boolean(metadata={"description": "True for the fictional demo data"})
    version = fields.Integer(metadata={"description": "Increases with every change"})
    actors = fields.Integer(metadata={"description": "Number of actors"})
    meetings = fields.Integer()
    counts = fields.Dict(
        keys=fields.String(), values=fields.Integer(),
        metadata={"description": f"Actors per kind ({', '.join(KIND_KEYS)})"},
    )
