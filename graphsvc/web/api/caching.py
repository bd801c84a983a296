"""ETags from proeftuin versions: conditional GET for every read of the API
(docs/architecture.md §6).

A proeftuin's ``version`` rises in the same transaction as every write that
touches it, so the versions a response depends on, together with what was
asked (path and query string), identify its content without hashing the body.
That lets a view answer ``304 Not Modified`` *before* doing the expensive part
(reading a network, computing metrics, writing an export)::

    versions = store().proeftuinen.list_versions([key])  # cheap; read BEFORE the data
    early = not_modified(versions)
    if early is not None:
        return early                                # 304, nothing computed
    body = expensive(...)
    return etag_response(body, versions)            # 200 with ETag (or 304)

Read the versions *before* the data: a write between the two reads then gives
an ETag older than the body, which costs one extra full response later; the
other order could pin a client to stale data under a current ETag.

The ETags are weak (``W/"..."``): the same versions may give bodies that differ
in bytes only (an XLSX carries its creation time; JSON key order may vary
between releases).  ``Cache-Control: private, no-cache`` makes clients (and
only clients, since responses depend on the caller's key) revalidate every
time, and ``Vary`` names the request headers that change a body.

Functions:

``make_etag(versions, *extra)``
    the tag (without quotes) for the current request.
``not_modified(versions, *extra)``
    a 304 response when ``If-None-Match`` matches, else None.
``etag_response(body_or_response, versions, *extra, status=200)``
    a JSON response (or the given response) with the ETag, or a 304.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask import Response, request
from flask import json as flask_json

__all__ = ["VARY", "make_etag", "not_modified", "etag_response", "mark"]

#: Request headers whose value may change a response body.
VARY = ("Authorization", "Cookie", "Accept-Language")


def make_etag(versions: Mapping[str, int], *extra: Any) -> str:
    """The ETag (unquoted) of the current request's response.

    Parameters
    ----------
    versions
        ``{proeftuin key: version}`` of every proeftuin the response reads
        (``store().proeftuinen.list_versions(keys)``; all of them for store-wide responses).
    extra
        Anything else the body depends on that is not in the URL, such as the
        caller's role when a body is pseudonymised for some roles.

    The query string is taken in sorted order (``?a=1&b=2`` equals ``?b=2&a=1``),
    except ``lang``, which only changes error messages.
    """
    args = sorted((k, v) for k, values in request.args.lists() for v in values if k != "lang")
    # The store's generation (renewed by a wipe or a restore) keeps tags from ever repeating.
    generation = getattr(versions, "generation", "")
    material = [request.path, args, generation, sorted(versions.items()), [str(e) for e in extra]]
    digest = hashlib.sha256(json.dumps(material, ensure_ascii=True).encode("ascii"))
    return digest.hexdigest()[:32]


def mark(response: Response, tag: str) -> Response:
    """Put the weak ETag and the caching headers on ``response``."""
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(VARY)
    return response


def _matches(tag: str) -> bool:
    # RFC 9110 §13.1.2: If-None-Match uses the weak comparison ("*" matches too).
    return request.if_none_match.contains_weak(tag)


def not_modified(versions: Mapping[str, int], *extra: Any) -> Response | None:
    """``304 Not Modified`` (with the ETag) when the client's copy is current, else None.

    Only for GET and HEAD; other methods always get None.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    tag = make_etag(versions, *extra)
    if _matches(tag):
        return mark(Response(status=304), tag)
    return None


def etag_response(
    body_or_response: Any, versions: Mapping[str, int], *extra: Any, status: int = 200
) -> Response:
    """The response of a read, with its ETag; 304 when ``If-None-Match`` matches.

    ``body_or_response`` is either a JSON-ready value (serialised with Flask's
    JSON provider, so dates become ISO text) or a ready :class:`flask.Response`
    such as a file download, which gets the headers added.
    """
    early = not_modified(versions, *extra)
    if early is not None:
        return early
    if isinstance(body_or_response, Response):
        response = body_or_response
    else:
        response = Response(
            flask_json.dumps(body_or_response), status=status, mimetype="application/json"
        )
    return mark(response, make_etag(versions, *extra))
