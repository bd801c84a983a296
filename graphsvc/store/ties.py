"""Ties: the aggregate, and the batched upsert that imports share.

A tie is a relationship between two actors whose type comes from the vocabulary
(one static branch per type in ``tie_upsert.cypher``); its identity is
(source, target, type, since), with the ends of an undirected type in
normalised order (:meth:`graphsvc.dataset.Tie.normalised`).  A tie "of" a
proeftuin is one between two of its actors; writing it bumps every proeftuin
its two actors belong to.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable
from typing import Any

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Tie
from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, NotFound
from graphsvc.store.actors import members, proeftuinen_of
from graphsvc.store.driver import Database, Tx
from graphsvc.store.preconditions import Expected, changed
from graphsvc.store.proeftuinen import bump_versions, require_proeftuinen
from graphsvc.store.properties import tie_from, tie_identity, tie_props
from graphsvc.store.queries import query

__all__ = ["Ties", "upsert_ties"]


def _rels(types: Iterable[str] | None) -> list[str]:
    return [vocab.tie_type(t).rel for t in (types or vocab.TIE_TYPE_KEYS)]


def _no_tie(proeftuin: str) -> NotFound:
    return NotFound(
        f"Deze relatie bestaat niet in proeftuin '{proeftuin}'.",
        f"This tie does not exist in proeftuin '{proeftuin}'.",
    )


# -- transaction steps shared with imports ------------------------------------------------------


def upsert_ties(tx: Tx, ties: list[Tie]) -> None:
    """Create or replace (normalised) ties in one statement; all of them or an error."""
    rows = [{**tie_identity(t), "props": tie_props(t)} for t in ties]
    written = tx.run(query("tie_upsert"), rows=rows).single(strict=True)["ties"]
    if written != len(rows):  # a type without its branch in tie_upsert.cypher, say
        raise GraphsvcError(
            "Niet elke relatie kon worden geschreven; er is niets veranderd.",
            f"Only {written} of {len(rows)} ties could be written; nothing was changed.",
        )


# -- transaction functions of the aggregate -----------------------------------------------------


def _list(
    tx: Tx, proeftuin: str, rels: list[str], skip: int, limit: int, confirmed: bool | None
) -> list[Tie]:
    rows = tx.run(
        query("tie_list"),
        proeftuin=proeftuin,
        rels=rels,
        skip=skip,
        limit=limit,
        confirmed=confirmed,
    )
    return [tie_from(r["source"], r["target"], r["rel"], r["props"]) for r in rows]


def _count(tx: Tx, proeftuin: str, rels: list[str], confirmed: bool | None) -> int:
    rec = tx.run(query("tie_count"), proeftuin=proeftuin, rels=rels, confirmed=confirmed)
    return int(rec.single(strict=True)["n"])


def _find(tx: Tx, proeftuin: str, tie: Tie, lock: bool = False) -> Tie | None:
    """The stored (normalised) ``tie`` between two actors of ``proeftuin``, or None.

    With ``lock`` the tie's write lock is taken first, so that it stays as read until commit.
    """
    identity: dict[str, Any] = {
        "source": tie.source,
        "target": tie.target,
        "rel": vocab.tie_type(tie.type).rel,
        "since": tie.since,
    }
    if lock:
        tx.run(query("tie_lock"), **identity).consume()
    rec = tx.run(query("tie_get_in"), proeftuin=proeftuin, **identity).single()
    return None if rec is None else tie_from(rec["source"], rec["target"], rec["rel"], rec["props"])


def _create(tx: Tx, proeftuin: str, tie: Tie) -> dict[str, int]:
    require_proeftuinen(tx, [proeftuin])
    found = members(tx, proeftuin, [tie.source, tie.target])
    for end in ("source", "target"):
        key = getattr(tie, end)
        if key not in found:
            raise InvalidInput(
                f"'{end}': actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                f"'{end}': actor '{key}' does not exist in proeftuin '{proeftuin}'.",
                field=end,
            )
    stored = tie.normalised()
    if tx.run(query("tie_find"), rows=[tie_identity(stored)]).single() is not None:
        raise Conflict(
            "Deze relatie (source, target, type, since) bestaat al.",
            "This tie (source, target, type, since) already exists.",
            field="since",
        )
    upsert_ties(tx, [stored])
    return bump_versions(tx, proeftuinen_of(tx, [tie.source, tie.target]))


def _delete(tx: Tx, proeftuin: str, tie: Tie, expected: Expected[Tie]) -> dict[str, int]:
    require_proeftuinen(tx, [proeftuin])
    if expected is not None:
        stored = _find(tx, proeftuin, tie, lock=True)
        if stored is None:
            raise _no_tie(proeftuin)
        if not expected(stored):
            raise changed("Deze relatie", "This tie")
    deleted = tx.run(
        query("tie_delete_in"),
        proeftuin=proeftuin,
        source=tie.source,
        target=tie.target,
        rel=vocab.tie_type(tie.type).rel,
        since=tie.since,
    ).single(strict=True)["deleted"]
    if not deleted:
        raise _no_tie(proeftuin)
    return bump_versions(tx, proeftuinen_of(tx, [tie.source, tie.target]))


class Ties:
    """The ties of one database: ``repo.ties``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(
        self,
        proeftuin: str,
        types: Iterable[str] | None = None,
        skip: int = 0,
        limit: int = 100,
        confirmed: bool | None = None,
    ) -> builtins.list[Tie]:
        """One page of the ties between actors of ``proeftuin`` (of the given types).

        ``confirmed``: True leaves out ties a survey reported from one side only (their
        ``confirmed`` attribute is false), False keeps only those; None keeps all.
        """
        return self._db.read(_list, proeftuin, _rels(types), skip, limit, confirmed)

    def get(self, proeftuin: str, source: str, target: str, type_: str, since: dt.date) -> Tie:
        """One tie between two actors of ``proeftuin`` by identity; NotFound when none.

        The ends of an undirected type may come in either order.
        """
        found = self._db.read(_find, proeftuin, Tie(source, target, type_, since).normalised())
        if found is None:
            raise _no_tie(proeftuin)
        return found

    def count(
        self, proeftuin: str, types: Iterable[str] | None = None, confirmed: bool | None = None
    ) -> int:
        """Number of ties between actors of ``proeftuin`` (of the given types)."""
        return self._db.read(_count, proeftuin, _rels(types), confirmed)

    def create(self, proeftuin: str, tie: Tie) -> dict[str, int]:
        """Add a new tie between two actors of ``proeftuin``; returns the new versions.

        NotFound for an unknown proeftuin; InvalidInput naming ``source`` or
        ``target`` when that actor is not in the proeftuin; Conflict when a tie
        with the same identity (source, target, type, since) exists.
        """
        return self._db.write([proeftuin], _create, proeftuin, tie)

    def delete(
        self,
        proeftuin: str,
        source: str,
        target: str,
        type_: str,
        since: dt.date,
        expected: Expected[Tie] = None,
    ) -> dict[str, int]:
        """Delete a tie between two actors of ``proeftuin``; returns the new versions.

        ``expected`` (If-Match): PreconditionFailed unless ``expected(tie as stored)``,
        checked in the write transaction with the tie locked
        (:mod:`graphsvc.store.preconditions`).
        """
        tie = Tie(source, target, type_, since).normalised()
        return self._db.write([proeftuin], _delete, proeftuin, tie, expected)
