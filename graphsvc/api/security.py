"""The API keys in the OpenAPI document: the bearer scheme and, per operation, its minimum role.

An apispec plugin rather than a ``@blp.doc(security=...)`` on every view: the
role is already declared once by ``graphsvc.auth.require_role``, and the plugin
reads it from the registered view, so the document cannot disagree with the code.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask

from graphsvc.auth import ROLES, required_role

__all__ = ["SCHEME", "RolesPlugin", "add_scheme"]

SCHEME = "bearerAuth"


class RolesPlugin(BasePlugin):
    """Marks every operation guarded by ``require_role`` with the bearer scheme and its role."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def operation_helper(self, path: str | None = None, operations: dict | None = None,
                         **kwargs: Any) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = self.app.view_functions.get(rule.endpoint)
        for method, operation in operations.items():
            role = required_role(view, method)
            if role is None:
                continue
            operation["security"] = [{SCHEME: []}]
            operation["x-minimum-role"] = role
            note = f"Minimum role: `{role}`."
            operation["description"] = (
                f"{operation['description']}\n\n{note}" if operation.get("description") else note)
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", {"description": "No valid API key (problem+json)."})
            responses.setdefault("403", {"description": f"The key's role is below {role} "
                                                        "(problem+json)."})
            responses.setdefault("429", {"description": "Too many invalid keys from this "
                                                        "address; see Retry-After."})


def add_scheme(spec: APISpec) -> None:
    spec.components.security_scheme(SCHEME, {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "gsk_<id>_<secret>",
        "description": (
            "An API key as 'Authorization: Bearer gsk_...'. Roles, each including the ones "
            f"before it: {' < '.join(ROLES)}. Admins create keys with POST /api/v1/keys or "
            "'graphsvc keys create'."
        ),
    })
