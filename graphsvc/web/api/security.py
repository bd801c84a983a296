"""The OpenAPI document's security and errors: the bearer scheme, each operation's minimum
role, and the ``application/problem+json`` body of every error response.

An apispec plugin rather than a ``@blp.doc(security=...)`` on every view: the
role is already declared once by ``graphsvc.web.auth.require_role``, and the plugin
reads it from the registered view, so the document cannot disagree with the code.

Errors: every error leaves the service as ``application/problem+json``
(graphsvc.web.problem_details), not as flask-smorest's own ``application/json`` error
schema.  The plugin rewrites flask-smorest's error response components
(``DEFAULT_ERROR``, ``UNPROCESSABLE_ENTITY``, ...) to the :data:`PROBLEM`
schema, and gives every error response of an operation that has no body yet
(``alt_response(409, ...)``, the auth errors) that same body, so a client (or a
fuzzer checking conformance) reads the truth: status, content type and body.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask

from graphsvc.web.api.strict import COMMON_QUERY
from graphsvc.web.auth import ROLES, required_role

__all__ = ["SCHEME", "PROBLEM", "PROBLEM_MEDIA_TYPE", "RolesPlugin", "add_scheme"]

SCHEME = "bearerAuth"
PROBLEM_MEDIA_TYPE = "application/problem+json"
_PROBLEM_NAME = "Problem"
_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_NAME}}
_SMOREST_ERROR = {"$ref": "#/components/schemas/Error"}

_TEXT = {"type": "string"}

#: JSON Schema of the problem bodies that graphsvc.web.problem_details.problem_response writes.
PROBLEM: dict[str, Any] = {
    "type": "object",
    "description": (
        "An error as RFC 9457 problem details. 'detail' is in the language asked for "
        "(query parameter lang=nl|en, else Accept-Language, else Dutch); 'detail_nl' and "
        "'detail_en' always hold both. Further members depend on the error."
    ),
    "required": ["type", "title", "status", "detail", "detail_nl", "detail_en", "instance"],
    "properties": {
        "type": {**_TEXT, "description": "Always 'about:blank': the status says what happened"},
        "title": {**_TEXT, "description": "Short summary of the kind of error (English)"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {**_TEXT, "description": "What is wrong and what to do about it"},
        "detail_nl": {**_TEXT, "description": "'detail' in Dutch"},
        "detail_en": {**_TEXT, "description": "'detail' in English"},
        "instance": {**_TEXT, "description": "The path of the request"},
        "errors": {
            "type": "array",
            "description": (
                "Invalid fields ({field, message, in}) or, for a rejected import, "
                "every problem ({file, table, row, column, code, value, message})"
            ),
            "items": {
                "type": "object",
                "properties": {
                    "field": {**_TEXT, "description": "The parameter or field"},
                    "in": {**_TEXT, "description": "Where: query, json, form, path, header"},
                    "message": {**_TEXT, "description": "What is wrong"},
                    "file": {**_TEXT, "nullable": True},
                    "table": {**_TEXT, "nullable": True},
                    "row": {"type": "integer", "nullable": True},
                    "column": {**_TEXT, "nullable": True},
                    "code": _TEXT,
                    "value": {**_TEXT, "nullable": True},
                    "message_nl": _TEXT,
                    "message_en": _TEXT,
                },
                "additionalProperties": True,
            },
        },
        "field": {**_TEXT, "description": "The one field that is wrong"},
        "required_role": {**_TEXT, "enum": list(ROLES), "description": "403: the role needed"},
        "role": {**_TEXT, "enum": list(ROLES), "description": "403: the caller's role"},
        "retry_after": {
            "type": "integer",
            "description": "429/503: seconds to wait (also in Retry-After)",
        },
        "max_upload_mb": {"type": "integer", "description": "413: the upload limit in MB"},
    },
    "additionalProperties": True,
}


#: Descriptions of the path parameters (flask-smorest names them from the URL rule only).
PATH_PARAMETERS = {
    "key": "Key of the proeftuin (see GET /api/v1/proeftuinen)",
    "actor": "Key of the actor",
    "meeting": "Key of the meeting",
    "key_id": "Public id of the API key (8 hex characters)",
    "source": "Key of the tie's source actor",
    "target": "Key of the tie's target actor",
    "type": "Tie type",
    "since": "Start date of the tie (YYYY-MM-DD)",
    "filename": "File of the documentation page",
    "round": "Key of the survey round",
    "round_": "Key of the survey round",
    "invitation": "Public id of the survey invitation (never its token)",
    "proposal": "Id of a person proposed by a respondent",
    "token": "The personal or open survey link's token",
}

_BODY_LOCATIONS = ("requestBody",)


def _is_error(status: str) -> bool:
    return status == "default" or (status.isdigit() and int(status) >= 400)


class RolesPlugin(BasePlugin):
    """Marks every operation guarded by ``require_role`` with the bearer scheme and its role,
    and documents every error response as problem+json."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._operation_ids: dict[str, str] = {}

    def response_helper(self, response: dict, **kwargs: Any) -> dict:
        """flask-smorest's error response components: problem+json instead of its Error."""
        content = response.get("content") or {}
        if any(media.get("schema") == _SMOREST_ERROR for media in content.values()):
            response["content"] = dict(_PROBLEM_CONTENT)
        return response

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = self.app.view_functions.get(rule.endpoint)
        anonymous = self.app.config.get("ANONYMOUS_ROLE") or ""
        for method, operation in operations.items():
            self._name(operation, rule.endpoint, method, len(operations))
            self._describe_parameters(operation, rule.arguments)
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "400",
                {
                    "description": "A query parameter this operation does not take, or a "
                    "single-valued one given twice (problem+json naming it in 'field')"
                },
            )
            if "requestBody" in operation:
                responses.setdefault(
                    "415", {"description": "The body is not of the content type described"}
                )
            if rule.arguments:
                responses.setdefault(
                    "404",
                    {
                        "description": (
                            "No such " + ", ".join(sorted(rule.arguments)) + " (problem+json)"
                        )
                    },
                )
            role = required_role(view, method)
            if role is not None:
                open_to_anonymous = bool(anonymous) and ROLES.index(anonymous) >= ROLES.index(role)
                # `{}` in the list: no credentials needed (this server gives anonymous
                # callers the role ANONYMOUS_ROLE, which suffices here).
                operation["security"] = [{SCHEME: []}] + ([{}] if open_to_anonymous else [])
                operation["x-minimum-role"] = role
                note = f"Minimum role: `{role}`." + (
                    f" This server lets anonymous callers act as `{anonymous}`, so no key "
                    "is needed here."
                    if open_to_anonymous
                    else ""
                )
                operation["description"] = (
                    f"{operation['description']}\n\n{note}"
                    if operation.get("description")
                    else note
                )
                responses.setdefault("401", {"description": "No valid API key (problem+json)."})
                responses.setdefault(
                    "403", {"description": f"The key's role is below {role} (problem+json)."}
                )
                responses.setdefault(
                    "429",
                    {
                        "description": "The key is invalid and its address or key id sent "
                        "too many invalid keys lately; see Retry-After and the RateLimit "
                        "headers. A valid key is never refused this way.",
                        "headers": RATE_LIMIT_HEADERS,
                    },
                )
                responses.setdefault(
                    "503", {"description": "The database cannot be reached now; see Retry-After."}
                )
            for status, response in responses.items():
                # String values are references to components, rewritten by response_helper.
                if (
                    _is_error(str(status))
                    and isinstance(response, dict)
                    and "$ref" not in response
                    and not response.get("content")
                ):
                    response["content"] = {
                        PROBLEM_MEDIA_TYPE: {
                            "schema": {"$ref": f"#/components/schemas/{_PROBLEM_NAME}"}
                        }
                    }

    def path_helper(
        self,
        path: str | None = None,
        operations: dict | None = None,
        parameters: list[dict] | None = None,
        **kwargs: Any,
    ) -> str | None:
        """Describe the path parameters (flask-smorest lists them at the path level)."""
        for parameter in parameters or []:
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                parameter.setdefault("description", PATH_PARAMETERS.get(parameter["name"], ""))
        return path

    def _name(self, operation: dict, endpoint: str, method: str, methods: int) -> None:
        """operationId: the view function's name (unique; checked here), e.g. list_actors."""
        name = endpoint.rsplit(".", 1)[-1]
        if methods > 1:  # a MethodView: one endpoint, several operations
            name = f"{name}_{method.lower()}"
        owner = self._operation_ids.setdefault(name, f"{endpoint} {method}")
        if owner != f"{endpoint} {method}":
            raise ValueError(f"operationId {name!r} of {endpoint} {method} is taken by {owner}")
        operation.setdefault("operationId", name)

    @staticmethod
    def _describe_parameters(operation: dict, path_arguments: Any) -> None:
        parameters = operation.setdefault("parameters", [])
        for parameter in parameters:
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                parameter.setdefault("description", PATH_PARAMETERS.get(parameter["name"], ""))
        names = {p.get("name") for p in parameters if isinstance(p, dict)}
        for name, description in COMMON_QUERY.items():
            if name not in names:
                parameters.append(
                    {
                        "in": "query",
                        "name": name,
                        "required": False,
                        "description": description,
                        "schema": {"type": "string", "enum": ["nl", "en"]},
                    }
                )


#: The rate-limit response headers of refused keys (draft-ietf-httpapi-ratelimit-headers).
RATE_LIMIT_HEADERS = {
    "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}},
    "RateLimit-Limit": {
        "description": "Invalid keys allowed per window",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Invalid keys left in this window",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window resets",
        "schema": {"type": "integer"},
    },
}


def add_scheme(spec: APISpec, anonymous_role: str = "") -> None:
    """The bearer scheme and the Problem schema (call once the Api has made its components)."""
    spec.components.security_scheme(
        SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "gsk_<id>_<secret>",
            "description": (
                "An API key as 'Authorization: Bearer gsk_...'. Roles, each including the ones "
                f"before it: {' < '.join(ROLES)}. Admins create keys with POST /api/v1/keys or "
                "'graphsvc keys create'. A server may let callers without a key act in one "
                "role (configuration GRAPHSVC_ANONYMOUS_ROLE); the operations that role "
                "allows then list an empty security requirement. "
                + (
                    f"This server: anonymous callers act as '{anonymous_role}'."
                    if anonymous_role
                    else "This server: every operation needs a key."
                )
            ),
        },
    )
    spec.components.schema(_PROBLEM_NAME, PROBLEM)
    # flask-smorest registered its own error schema for its error responses, which the
    # plugin above has all pointed at Problem: our handlers (graphsvc.web.problem_details) answer
    # every error, so that schema describes nothing this API sends.
    spec.components.schemas.pop("Error", None)
