"""One exception tree for graphsvc; every user-facing error says what is wrong in Dutch and English.

::

    GraphsvcError                      500, generic
    ├── NotFound                       404  a proeftuin, actor, tie or meeting that does not exist
    ├── Conflict                       409  a key that already exists / a clashing numbering scheme
    ├── PreconditionFailed             412  a conditional write (If-Match) on a changed resource
    ├── InvalidInput                   422  a request value or field that breaks a rule (names it)
    │   └── ImportRejected             422  an import file with problems (lists every one)
    ├── Unauthorized / Forbidden       401 / 403
    │   └── DateNotServed              400  a viewer's date that the service does not precompute
    ├── StoreUnavailable               503  Neo4j cannot be reached (with Retry-After)
    ├── ComputeBusy                    503  a computation ran out of its time budget (Retry-After)
    └── LocalServerError               the local Neo4j could not be fetched, started or stopped

Errors from libraries (the neo4j driver, parsers) are translated at the boundary
with ``raise ... from exc`` so that no stack trace reaches a user.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "GraphsvcError",
    "NotFound",
    "Conflict",
    "PreconditionFailed",
    "InvalidInput",
    "ImportRejected",
    "Unauthorized",
    "Forbidden",
    "StoreUnavailable",
    "ComputeBusy",
    "DateNotServed",
    "LocalServerError",
]


class GraphsvcError(Exception):
    """Base class: a message in Dutch and English, an HTTP status and extra problem fields."""

    status = 500
    title_nl = "Interne fout"
    title_en = "Internal error"

    def __init__(self, message_nl: str, message_en: str | None = None, **extra: Any) -> None:
        self.message_nl = message_nl
        self.message_en = message_en or message_nl
        self.extra = extra
        super().__init__(self.message_en)

    def message(self, lang: str = "en") -> str:
        return self.message_nl if lang == "nl" else self.message_en

    def title(self, lang: str = "en") -> str:
        return self.title_nl if lang == "nl" else self.title_en


class NotFound(GraphsvcError):
    status = 404
    title_nl, title_en = "Niet gevonden", "Not found"


class Conflict(GraphsvcError):
    status = 409
    title_nl, title_en = "Conflict", "Conflict"


class PreconditionFailed(GraphsvcError):
    status = 412
    title_nl, title_en = "Voorwaarde niet vervuld", "Precondition failed"


class InvalidInput(GraphsvcError):
    status = 422
    title_nl, title_en = "Ongeldige invoer", "Invalid input"


class DateNotServed(InvalidInput):
    """A date that anonymous visitors and viewers may not ask (it names ``at`` and the rule)."""

    status = 400
    title_nl, title_en = "Datum niet beschikbaar", "Date not available"


class ImportRejected(InvalidInput):
    title_nl, title_en = "Import geweigerd", "Import rejected"


class Unauthorized(GraphsvcError):
    status = 401
    title_nl, title_en = "Niet aangemeld", "Not authenticated"


class Forbidden(GraphsvcError):
    status = 403
    title_nl, title_en = "Geen toegang", "Forbidden"


class StoreUnavailable(GraphsvcError):
    status = 503
    title_nl, title_en = "Database niet bereikbaar", "Database unavailable"


class ComputeBusy(GraphsvcError):
    """A computation did not finish within its time budget; it goes on in the background
    and its result is cached, so the same request a little later gets it."""

    status = 503
    title_nl, title_en = "Berekening loopt nog", "Computation still running"


class LocalServerError(GraphsvcError):
    """The local Neo4j server could not be fetched, started or stopped."""

    status = 500
    title_nl, title_en = "Lokale Neo4j-server", "Local Neo4j server"
