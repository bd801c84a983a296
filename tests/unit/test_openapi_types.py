"""The OpenAPI document types every response: no free-form object is left for a generated
client to guess at (docs/api.md, "Typed responses")."""

from __future__ import annotations

from typing import Any

from graphsvc.web.app import create_app

METHODS = ("get", "put", "post", "patch", "delete")
#: Members that say nothing about the shape of a value.
_ANNOTATIONS = {"description", "title", "nullable", "readOnly", "writeOnly", "example", "default"}


def _free_form(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` admits any object (or any value) without saying what is in it."""
    if not set(schema) - _ANNOTATIONS:
        return True  # {}: any value at all (marshmallow's fields.Raw)
    if schema.get("type") == "object" or (
        "additionalProperties" in schema and "type" not in schema
    ):
        extra = schema.get("additionalProperties", True)
        return "properties" not in schema and (extra is True or extra == {})
    return False


def free_form_objects(spec: dict[str, Any]) -> list[str]:
    """Where a response schema of ``spec`` (OpenAPI 3.0) holds a free-form object: each as
    ``METHOD path status media-type`` or ``Component.member[items]...``."""
    components = spec.get("components", {})
    found: list[str] = []
    seen: set[str] = set()

    def walk(schema: Any, where: str) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(components["schemas"][name], name)
            return
        if _free_form(schema):
            found.append(where)
        for name, member in schema.get("properties", {}).items():
            walk(member, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), f"{where}[{key}]")
        for key in ("allOf", "anyOf", "oneOf"):
            for i, part in enumerate(schema.get(key, [])):
                walk(part, f"{where}.{key}[{i}]")

    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[-1]]
                for media, content in response.get("content", {}).items():
                    walk(content.get("schema"), f"{method.upper()} {path} {status} {media}")
    return found


def _spec() -> dict[str, Any]:
    return create_app({"SECRET_KEY": "doc"}).test_client().get("/api/v1/openapi.json").get_json()


def test_no_response_of_the_api_holds_a_free_form_object():
    spec = _spec()
    operations = [op for item in spec["paths"].values() for m, op in item.items() if m in METHODS]
    assert len(operations) >= 56
    assert free_form_objects(spec) == []


def test_the_decision_and_metric_bodies_are_named_schemas():
    spec = _spec()
    schemas = spec["components"]["schemas"]
    for name in (
        "Cohesion", "Mixing", "Scorecard", "ActorChanges", "SignalsResponse",
        "IntroductionsResponse", "MeetingEffectsResponse", "MeetingEffectResponse",
        "PhasesResponse",
    ):  # fmt: skip
        assert name in schemas, name
    cohesion = schemas["Cohesion"]["properties"]
    assert cohesion["density"] == {"type": "number", "nullable": True, **_described(cohesion)}
    assert "nullable" not in cohesion["actors"] and cohesion["actors"]["type"] == "integer"
    matrix = schemas["GroupReciprocity"]["properties"]["share"]
    assert matrix["additionalProperties"]["additionalProperties"] == {
        "type": "number",
        "nullable": True,
    }
    signals = schemas["Signals"]["properties"]
    assert set(signals) == {
        "largest_component_share", "isolates_share", "cut_points_share",
        "reciprocity_initiative_official", "single_funder_share", "initiative_visibility",
    }  # fmt: skip
    ok = spec["paths"]["/api/v1/proeftuinen/{key}/introductions"]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"application/json", "text/csv"}
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/IntroductionsResponse"
    }


def _described(properties: dict[str, Any]) -> dict[str, Any]:
    return {"description": properties["density"]["description"]}


def test_the_check_finds_each_kind_of_free_form_object():
    def spec(schema: dict[str, Any]) -> dict[str, Any]:
        content = {"application/json": {"schema": schema}}
        return {"paths": {"/x": {"get": {"responses": {"200": {"content": content}}}}}}

    where = "GET /x 200 application/json"
    assert free_form_objects(spec({"type": "object"})) == [where]
    assert free_form_objects(spec({"description": "anything"})) == [where]
    # A map of anything: the map and its values.
    assert free_form_objects(spec({"type": "object", "additionalProperties": {}})) == [
        where,
        f"{where}[additionalProperties]",
    ]
    nested = {"type": "object", "properties": {"a": {"type": "array", "items": {}}}}
    assert free_form_objects(spec(nested)) == [f"{where}.a[items]"]
    typed_map = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert free_form_objects(spec(typed_map)) == []
    assert (
        free_form_objects(spec({"type": "object", "properties": {"a": {"type": "string"}}})) == []
    )
    scalar = {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}
    assert free_form_objects(spec(scalar)) == []
    via_ref = {
        **spec({"$ref": "#/components/schemas/Loose"}),
        "components": {"schemas": {"Loose": {"type": "object"}}},
    }
    assert free_form_objects(via_ref) == ["Loose"]
