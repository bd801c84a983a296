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

Single resources (a proeftuin, an actor, a tie, a meeting) get a *strong* ETag
instead, from their content (:func:`resource_etag`; a proeftuin's from its
version), so that a client can make a write conditional: ``If-Match`` on
PUT, PATCH and DELETE (RFC 9110 §13.1.1, strong comparison).
:func:`if_match` turns the header into a check that the store runs inside the
write transaction, with the resource locked, so no other write can slip in
between the check and the write; a failed check is ``412 Precondition
Failed`` and changes nothing.  Without ``If-Match`` a write is unconditional.
:class:`Conditional` bundles the three for one kind of resource (its body, its
ETag, its check), so the actors, ties and meetings blueprints share one way of
doing it; :func:`changed` is the documented 412 answer.

Aggregates that do not follow a proeftuin's version (survey results: answers
come in without a version bump) get a weak ETag from their content instead
(:func:`content_response`): still a 304 for an unchanged answer, after the work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from flask import Response, request
from flask import json as flask_json

__all__ = [
    "VARY",
    "IF_MATCH",
    "ETAG_HEADER",
    "make_etag",
    "not_modified",
    "etag_response",
    "mark",
    "resource_etag",
    "proeftuin_etag",
    "resource_response",
    "content_response",
    "if_match",
    "Conditional",
    "changed",
]

#: OpenAPI description of the If-Match request header of conditional writes.
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The ETag of the resource as last read (GET). The write happens only when the "
        "resource is still exactly that; else 412 and nothing changes. Without it the "
        "write is unconditional. '*' only requires that the resource exists."
    ),
}

#: OpenAPI description of the ETag response header of a single resource.
ETAG_HEADER = {
    "ETag": {
        "description": "Strong validator of this resource: send it back in If-Match to "
        "write only if nobody changed it meanwhile, or in If-None-Match to get 304",
        "schema": {"type": "string"},
    }
}

T = TypeVar("T")

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


def _digest(material: Any) -> str:
    text = json.dumps(material, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def resource_etag(body: Mapping[str, Any]) -> str:
    """The strong ETag (unquoted) of a single resource: a digest of its JSON content."""
    return _digest(body)


def proeftuin_etag(key: str, version: int, generation: str = "") -> str:
    """A proeftuin's strong ETag: every change to it, or in it, raises its version, and the
    store's generation (renewed by a wipe or a restore) keeps a version from coming back."""
    return _digest(["proeftuin", key, version, generation])


def resource_response(body: Any, tag: str, status: int = 200) -> Response:
    """A single resource with its strong ETag; 304 for a GET whose If-None-Match matches."""
    if request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        response = Response(flask_json.dumps(body), status=status, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(VARY)
    return response


def content_response(body: Any, *extra: Any) -> Response:
    """A JSON read whose weak ETag is a digest of its content (and of ``extra``, such as the
    caller's role); 304 when ``If-None-Match`` matches.  For answers that may change without
    any proeftuin version changing, where :func:`etag_response` would pin clients."""
    data = flask_json.dumps(body)
    tag = _digest([request.path, data, [str(e) for e in extra]])
    if request.method in ("GET", "HEAD") and _matches(tag):
        return mark(Response(status=304), tag)
    return mark(Response(data, mimetype="application/json"), tag)


def if_match(tag_of: Callable[[T], str]) -> Callable[[T], bool] | None:
    """The store's check for this request's ``If-Match``, or None when it has none.

    ``tag_of`` computes the ETag of the resource as stored (the same function the
    GET uses), so the check compares exactly what the client was given.  Weak
    tags never match (RFC 9110 §13.1.1 uses the strong comparison).
    """
    if "If-Match" not in request.headers:
        return None
    wanted = request.if_match
    if wanted.star_tag:
        return lambda current: True
    return lambda current: wanted.contains(tag_of(current))


def changed(what: str) -> str:
    """The documented 412 answer of a conditional write on ``what`` ("the actor")."""
    return f"If-Match does not match: {what} changed; GET it again"


class Conditional(Generic[T]):
    """One kind of single resource (an actor, a tie, a meeting) as the API serves it: its body
    (``dump``, what the GET sends), its strong ETag (a digest of that body) and the store's
    check for this request's ``If-Match`` against that same ETag.

    >>> actors = Conditional(lambda actor: {"key": actor})
    >>> actors.tag("a1") == resource_etag({"key": "a1"})
    True
    """

    def __init__(self, dump: Callable[[T], dict[str, Any]]) -> None:
        self.dump = dump

    def tag(self, found: T) -> str:
        """The strong ETag (unquoted) of ``found`` as stored."""
        return resource_etag(self.dump(found))

    def response(self, found: T, status: int = 200) -> Response:
        """``found`` with its ETag (304 for a GET whose If-None-Match matches)."""
        body = self.dump(found)
        return resource_response(body, resource_etag(body), status)

    def expected(self) -> Callable[[T], bool] | None:
        """The check of this request's If-Match, for the store's write (None without one)."""
        return if_match(self.tag)
