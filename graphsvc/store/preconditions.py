"""Conditional writes (HTTP ``If-Match``): the check a write makes before it changes anything.

A write of a proeftuin, actor, tie or meeting may take an ``expected`` callable
(:data:`Expected`).  The aggregate calls it inside its write transaction with
the resource as stored, after taking the locks that keep other writers out
(the proeftuin's, and the actor's or tie's own where it may be written through
another proeftuin), so the check holds until the commit.  When it returns
False the write raises :func:`changed` (412) and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from graphsvc.errors import PreconditionFailed

__all__ = ["Expected", "changed"]

_T = TypeVar("_T")

#: A conditional write's check (If-Match): called in the write transaction with the resource
#: as stored; False makes the write a PreconditionFailed that changes nothing. None: no check.
Expected = Callable[[_T], bool] | None


def changed(what_nl: str, what_en: str | None = None) -> PreconditionFailed:
    """A conditional write found the resource changed since the client read it."""
    what_en = what_en or what_nl
    return PreconditionFailed(
        f"{what_nl} is gewijzigd sinds u het las (If-Match klopt niet). Haal het opnieuw op "
        "met GET, neem de nieuwe ETag over in If-Match en probeer het dan opnieuw; er is "
        "niets veranderd.",
        f"{what_en} has changed since you read it (If-Match does not match). Fetch it again "
        "with GET, send its new ETag in If-Match and try again; nothing was changed.",
    )
