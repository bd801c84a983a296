"""Every error leaves the service as ``application/problem+json`` (RFC 9457).

Except for a person: a server error (5xx) answers a browser that prefers HTML over
JSON with a small page in Dutch and English (templates/error.html), without a stack
trace either; API clients (``Accept: application/json``, ``*/*``) still get problem+json.

Problems carry ``detail`` in the negotiated language plus ``detail_nl`` and
``detail_en``; validation problems list the offending fields or rows under
``errors``.  4xx are logged as warnings, 5xx as errors with a generic body: no
stack trace and no request values (they may hold residents' names) reach a
user or the log.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException

from graphsvc.errors import GraphsvcError

__all__ = ["TITLES", "init_app", "problem_response", "language", "title", "quiet_driver_log"]

log = logging.getLogger("graphsvc")

_TITLES = {
    500: ("Er ging iets mis", "Something went wrong"),
    503: ("Tijdelijk niet beschikbaar", "Temporarily unavailable"),
}

_GENERIC = {
    400: ("Het verzoek is niet goed opgebouwd.", "The request is malformed."),
    401: ("Aanmelden is nodig.", "Authentication is required."),
    403: ("U heeft geen toegang tot deze gegevens.", "You may not access this resource."),
    404: ("Deze pagina of dit gegeven bestaat niet.", "This resource does not exist."),
    405: ("Deze methode is hier niet toegestaan.", "This method is not allowed here."),
    406: ("Dit formaat kan niet worden geleverd.", "This format cannot be provided."),
    409: ("Dit botst met wat er al is.", "This conflicts with the current state."),
    412: (
        "De gegevens zijn intussen gewijzigd (If-Match klopt niet meer).",
        "The resource has changed meanwhile (If-Match does not match).",
    ),
    413: ("Het bestand is te groot.", "The upload is too large."),
    415: ("Dit soort inhoud wordt niet ondersteund.", "This content type is not supported."),
    422: ("De invoer is ongeldig.", "The input is invalid."),
    429: ("Te veel pogingen; wacht even.", "Too many attempts; please wait."),
    500: ("Er ging iets mis aan onze kant.", "Something went wrong on our side."),
    503: ("De dienst is tijdelijk niet beschikbaar.", "The service is temporarily unavailable."),
}


#: The one title of each status: its reason phrase (RFC 9110 §15), whatever the error.
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def title(status: int) -> str:
    """The title of every problem with this status."""
    if status in TITLES:
        return TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def language() -> str:
    """'nl' or 'en': the ``lang`` query parameter, else Accept-Language, else Dutch."""
    lang = request.args.get("lang")
    if lang in ("nl", "en"):
        return lang
    best = request.accept_languages.best_match(["nl", "en"])
    return best or "nl"


def _wants_html() -> bool:
    """True for a browser that prefers a page: text/html ranks above every JSON type."""
    best = request.accept_mimetypes.best_match(
        ["application/problem+json", "application/json", "text/html"]
    )
    return best == "text/html"


def _html_page(status: int, detail_nl: str, detail_en: str, retry_after: Any) -> Response:
    title_nl, title_en = _TITLES.get(status, _TITLES[500])
    body = render_template(
        "error.html",
        status=status,
        title_nl=title_nl,
        title_en=title_en,
        detail_nl=detail_nl,
        detail_en=detail_en,
        retry_after=retry_after,
    )
    resp = Response(body, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Content-Language"] = "nl, en"
    return resp


def problem_response(status: int, detail_nl: str, detail_en: str, **extra: Any) -> Response:
    """The error as problem+json (its title is the status's, :func:`title`), or as an HTML
    page for a browser when it is a 5xx."""
    if status >= 500 and _wants_html():
        try:
            wait = (extra.get("retry_after") or 5) if status == 503 else None
            resp = _html_page(status, detail_nl, detail_en, wait)
        except Exception as exc:  # the page itself failed: fall back to problem+json
            log.error("error page for %s failed: %s", status, type(exc).__name__)
        else:
            if status == 503:
                resp.headers["Retry-After"] = str(extra.get("retry_after") or 5)
            return resp
    lang = language()
    body = {
        "type": "about:blank",
        "title": title(status),
        "status": status,
        "detail": detail_nl if lang == "nl" else detail_en,
        "detail_nl": detail_nl,
        "detail_en": detail_en,
        "instance": request.path,
        **{k: v for k, v in extra.items() if v is not None},
    }
    resp = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 503:
        resp.headers["Retry-After"] = str(extra.get("retry_after") or 5)
    return resp


def _field_errors(messages: Any) -> list[dict[str, str]]:
    """webargs' nested {location: {field: [msg]}} flattened to [{field, message}]."""
    out: list[dict[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out.append({"field": prefix, "message": "; ".join(value)})
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(f"{prefix}[{i}]", sub)
        else:
            out.append({"field": prefix, "message": str(value)})

    walk("", messages)
    # Drop the location prefix (json., query., files.) for readability but keep it in 'in'.
    for item in out:
        location, _, name = item["field"].partition(".")
        if name and location in {
            "json",
            "query",
            "querystring",
            "form",
            "files",
            "headers",
            "view_args",
            "path",
        }:
            item["field"], item["in"] = name, location
    return out


def _handle_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    nl, en = _GENERIC.get(status, (exc.name, exc.name))
    errors = None
    data = getattr(exc, "data", None) or {}
    extra: dict[str, Any] = {}
    if status == 413:
        limit = current_app.config.get("MAX_UPLOAD_MB")
        nl = (
            f"Het bestand is te groot: een upload mag hoogstens {limit} MB zijn. Splits het "
            "bestand in delen of stuur de CSV-bestanden samen als zip."
        )
        en = (
            f"The upload is too large: at most {limit} MB per upload. Split the file into "
            "parts or send the CSV files together as a zip."
        )
        extra["max_upload_mb"] = limit
    elif status == 422 and data.get("messages"):
        errors = _field_errors(data["messages"])
        names = ", ".join(e["field"] for e in errors)
        nl = f"Ongeldige waarde voor: {names}."
        en = f"Invalid value for: {names}."
    elif exc.description and status not in (404, 405, 500) and not data:
        en = exc.description
    log.warning("%s %s -> %s", request.method, request.path, status)
    return problem_response(status, nl, en, errors=errors, **extra)


def _handle_graphsvc(exc: GraphsvcError) -> Response:
    if exc.status >= 500:
        log.error("%s %s -> %s %s", request.method, request.path, exc.status, type(exc).__name__)
    else:
        log.warning("%s %s -> %s %s", request.method, request.path, exc.status, type(exc).__name__)
    extra = dict(exc.extra)
    return problem_response(exc.status, exc.message_nl, exc.message_en, **extra)


def _handle_unexpected(exc: Exception) -> Response:
    log.error("%s %s -> 500 %s", request.method, request.path, type(exc).__name__, exc_info=exc)
    nl, en = _GENERIC[500]
    return problem_response(500, nl, en)


def quiet_driver_log() -> None:
    """Keep the neo4j driver's log at INFO unless someone set its level on purpose.

    At DEBUG the driver logs every query with its parameters (``C: RUN ...``), and
    parameters hold residents' names: a service run with a DEBUG root logger would
    write them to its log.
    """
    driver_log = logging.getLogger("neo4j")
    if driver_log.level == logging.NOTSET:
        driver_log.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    quiet_driver_log()
    # Registered after flask-smorest's own handler, so these win.
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(GraphsvcError, _handle_graphsvc)
    app.register_error_handler(Exception, _handle_unexpected)
