"""Helpers shared by the data blueprints: a proeftuin's version (or 404) and paged responses.

A page answers ``{items, total, page, page_size, next, prev}`` (``next`` and
``prev`` are relative URLs or null) and the same links in an RFC 8288 ``Link``
header, with an ETag from the proeftuin's version (:mod:`graphsvc.web.api.caching`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.web.api.caching import etag_response
from graphsvc.web.services import store

__all__ = ["proeftuin_versions", "window", "paged_response", "same_key"]


def proeftuin_versions(key: str) -> dict[str, int]:
    """``{key: version}`` of one proeftuin; NotFound (404) when it does not exist."""
    versions = store().proeftuinen.list_versions([key])
    if key not in versions:
        raise NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")
    return versions


def window(args: dict[str, Any]) -> tuple[int, int]:
    """(skip, limit) of the page asked for by ``page`` and ``page_size``."""
    return (args["page"] - 1) * args["page_size"], args["page_size"]


def _page_url(page: int) -> str:
    query = [(k, v) for k, values in request.args.lists() for v in values if k != "page"]
    query.append(("page", str(page)))
    return f"{request.path}?{urlencode(query)}"


def paged_response(
    items: list[Any], total: int, args: dict[str, Any], versions: dict[str, int]
) -> Response:
    """A page of (already serialised) ``items`` with next/prev links and an ETag."""
    page, size = args["page"], args["page_size"]
    last = max(1, -(-total // size))
    body = {
        "items": items,
        "total": total,
        "page": page,
        "page_size": size,
        "next": _page_url(page + 1) if page < last else None,
        "prev": _page_url(min(page, last + 1) - 1) if page > 1 else None,
    }
    response = etag_response(body, versions)
    links = [f'<{body[rel]}>; rel="{rel}"' for rel in ("next", "prev") if body[rel]]
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def same_key(path_key: str, body: dict[str, Any]) -> None:
    """A ``key`` in a PUT body must be the key of the URL (InvalidInput naming ``key``)."""
    if body.get("key") not in (None, path_key):
        raise InvalidInput(
            f"'key': de sleutel in de inhoud ('{body['key']}') is niet die van de URL "
            f"('{path_key}'); een sleutel wijzig je niet.",
            f"'key': the key in the body ('{body['key']}') is not the key of the URL "
            f"('{path_key}'); keys cannot be changed.",
            field="key",
        )
