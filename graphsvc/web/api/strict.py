"""Strict requests: unknown or repeated query parameters are 400, a body of the wrong type 415.

webargs ignores query parameters that no schema declares and keeps the first
value of a repeated one, so ``/ties?types=knows`` (the parameter is ``type``)
would silently answer every tie.  Before a view of the API runs,
:func:`check_request` compares the request with what the view *declares*
through ``@blp.arguments`` (flask-smorest keeps that in the view's
``_apidoc``, which also makes the OpenAPI document), so the check cannot
disagree with the document:

* a query parameter that the view does not declare -> 400 naming it;
* a declared single-valued parameter given more than once -> 400 naming it
  (list parameters such as ``type`` take comma-separated values instead);
* a body sent to a view that reads JSON, with another content type -> 415;
  likewise a body that is not a form (multipart or urlencoded) sent to an import.

``lang`` (the language of error messages) is accepted everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request
from marshmallow import Schema, fields

from graphsvc.errors import GraphsvcError

__all__ = [
    "COMMON_QUERY",
    "BadParameter",
    "UnsupportedMediaType",
    "check_request",
    "init_strict",
    "query_fields",
]

#: Query parameters every operation takes, with their description.
COMMON_QUERY = {
    "lang": "Language of error messages: 'nl' or 'en' (default: Accept-Language, else Dutch)",
}

_JSON_TYPES = ("application/json",)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BadParameter(GraphsvcError):
    """400: a query parameter that the operation does not take, or one given twice."""

    status = 400
    title_nl, title_en = "Ongeldig verzoek", "Bad Request"


class UnsupportedMediaType(GraphsvcError):
    """415: a request body of a content type that the operation does not read."""

    status = 415
    title_nl, title_en = "Niet ondersteund type inhoud", "Unsupported Media Type"


def _schema(schema: Any) -> Schema:
    return schema() if isinstance(schema, type) else schema


def _parameters(view: Callable[..., Any]) -> list[dict[str, Any]]:
    return list(getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []))


def query_fields(view: Callable[..., Any]) -> dict[str, fields.Field]:
    """``{query parameter name: field}`` that ``view`` declares (by their data keys)."""
    out: dict[str, fields.Field] = {}
    for parameter in _parameters(view):
        if parameter["in"] != "query":
            continue
        for name, field in _schema(parameter["schema"]).fields.items():
            if not field.dump_only:
                out[field.data_key or name] = field
    return out


def _locations(view: Callable[..., Any]) -> set[str]:
    return {parameter["in"] for parameter in _parameters(view)}


def _unknown(name: str, allowed: Iterable[str]) -> BadParameter:
    choices = ", ".join(sorted(allowed))
    return BadParameter(
        f"Onbekende queryparameter '{name}'. Deze bewerking kent: {choices}.",
        f"Unknown query parameter '{name}'. This operation takes: {choices}.",
        field=name,
        errors=[{"field": name, "in": "query", "message": "Unknown parameter."}],
    )


def _repeated(name: str) -> BadParameter:
    return BadParameter(
        f"Queryparameter '{name}' staat er meer dan eens in; geef hem één keer "
        "(een lijst als waarden gescheiden door komma's).",
        f"Query parameter '{name}' is given more than once; give it once "
        "(a list as comma-separated values).",
        field=name,
        errors=[{"field": name, "in": "query", "message": "Given more than once."}],
    )


def _media_type_problem(accepted: tuple[str, ...]) -> UnsupportedMediaType:
    sent = request.mimetype or "(none)"
    wanted = " or ".join(accepted)
    return UnsupportedMediaType(
        f"Inhoud van het type '{sent}' wordt hier niet gelezen; stuur {wanted}.",
        f"A body of type '{sent}' is not read here; send {wanted}.",
        field="Content-Type",
    )


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


def check_request() -> None:
    """Raise BadParameter or UnsupportedMediaType when the request breaks the view's contract."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or request.method == "OPTIONS":
        return
    declared = query_fields(view)
    allowed = {*declared, *COMMON_QUERY}
    for name, values in request.args.lists():
        if name not in allowed:
            raise _unknown(name, allowed)
        field = declared.get(name)
        if len(values) > 1 and not (field is not None and getattr(field, "is_multiple", False)):
            raise _repeated(name)
    if request.method in ("GET", "HEAD") or not _has_body():
        return
    locations = _locations(view)
    if "json" in locations and not request.is_json:
        raise _media_type_problem(_JSON_TYPES)
    if "files" in locations and request.mimetype not in _FORM_TYPES:
        raise _media_type_problem(_FORM_TYPES)


def init_strict(app: Flask, blueprints: Iterable[str]) -> None:
    """Check every request to the named blueprints before its view runs."""
    names = set(blueprints)

    def hook() -> None:
        if request.blueprint in names:
            check_request()

    app.before_request(hook)
