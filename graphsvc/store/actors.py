"""Actors: the aggregate, and the batched upsert that imports share.

An actor belongs to one or more proeftuinen through ``(:Actor)-[:IN]->(:Proeftuin)``.
The same key in two proeftuinen is one actor when kind and name agree
(docs/architecture.md §4); otherwise it is a clash of numbering schemes.
"""

from __future__ import annotations

import builtins
from typing import Any

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, AttrValue
from graphsvc.errors import Conflict, NotFound
from graphsvc.store.driver import Database, Tx
from graphsvc.store.preconditions import Expected, changed
from graphsvc.store.proeftuinen import bump_versions, require_proeftuinen
from graphsvc.store.properties import actor_from, actor_props, problem
from graphsvc.store.queries import query

__all__ = ["Actors", "upsert_actors", "check_same_actor", "find_actors", "proeftuinen_of"]

_KIND_LABELS = [k.label for k in vocab.KINDS.values()]


def _no_actor(proeftuin: str, key: str) -> NotFound:
    return NotFound(
        f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
        f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.",
    )


# -- transaction steps shared with ties, meetings and imports -----------------------------------


def upsert_actors(tx: Tx, actors: list[Actor]) -> None:
    """Create or replace actors (properties, kind label, proeftuinen) in one statement."""
    rows = [
        {
            "key": a.key,
            "props": actor_props(a),
            "label": vocab.kind(a.kind).label,
            "proeftuinen": list(a.proeftuinen),
        }
        for a in actors
    ]
    tx.run(query("actor_upsert"), rows=rows, kind_labels=_KIND_LABELS).consume()


def find_actors(tx: Tx, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The stored actors among ``keys``, anywhere: ``{key: {"key", "props", "proeftuinen"}}``."""
    return {r["key"]: dict(r) for r in tx.run(query("actor_find"), keys=keys)}


def proeftuinen_of(tx: Tx, keys: list[str]) -> list[str]:
    """Every proeftuin that one of the actors ``keys`` belongs to."""
    return list(tx.run(query("actor_proeftuinen"), keys=keys).single(strict=True)["keys"])


def members(tx: Tx, proeftuin: str, keys: list[str]) -> set[str]:
    """Those of ``keys`` that are actors of ``proeftuin``."""
    return {r["key"] for r in tx.run(query("actor_members"), proeftuin=proeftuin, keys=keys)}


def check_same_actor(
    actor: Actor, existing: dict[str, Any], row: int | None, collect: bool = False
) -> builtins.list[dict[str, Any]]:
    """A key of another proeftuin must name the same actor (kind and name).

    Conflict naming ``key`` when it does not; with ``collect``, the problem
    (for an import's list) instead.
    """
    props = existing["props"]
    if props.get("kind") == actor.kind and props.get("name") == actor.name:
        return []
    others = ", ".join(sorted(existing["proeftuinen"]))
    nl = (
        f"Sleutel '{actor.key}' hoort al bij een andere actor ({props.get('kind')}) in "
        f"proeftuin {others}: twee nummeringen lopen door elkaar."
    )
    en = (
        f"Key '{actor.key}' already belongs to a different actor ({props.get('kind')}) in "
        f"proeftuin {others}: two numbering schemes clash."
    )
    if collect:
        return [problem("actors", row, "key", "key_clash", actor.key, nl, en)]
    raise Conflict(nl, en, field="key")


# -- transaction functions of the aggregate -----------------------------------------------------


def _get(tx: Tx, proeftuin: str, key: str) -> Actor | None:
    rec = tx.run(query("actor_get"), proeftuin=proeftuin, key=key).single()
    return None if rec is None else actor_from(rec["key"], rec["props"], rec["proeftuinen"])


def _list(
    tx: Tx, proeftuin: str, kind: str | None, skip: int, limit: int
) -> tuple[list[Actor], int]:
    total = tx.run(query("actor_count"), proeftuin=proeftuin, kind=kind).single(strict=True)["n"]
    rows = tx.run(query("actor_list"), proeftuin=proeftuin, kind=kind, skip=skip, limit=limit)
    return [actor_from(r["key"], r["props"], r["proeftuinen"]) for r in rows], total


def _list_index(tx: Tx) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    return {
        r["key"]: (r["kind"], r["name"], tuple(sorted(r["proeftuinen"])))
        for r in tx.run(query("actor_index"))
    }


def _create(tx: Tx, proeftuin: str, actor: Actor) -> int:
    require_proeftuinen(tx, [proeftuin])
    existing = find_actors(tx, [actor.key]).get(actor.key)
    if existing is not None:
        if proeftuin in existing["proeftuinen"]:
            raise Conflict(
                f"Actor '{actor.key}' bestaat al in proeftuin '{proeftuin}'.",
                f"Actor '{actor.key}' already exists in proeftuin '{proeftuin}'.",
                field="key",
            )
        check_same_actor(actor, existing, row=None)
        merged = actor_from(actor.key, existing["props"], [*existing["proeftuinen"], proeftuin])
    else:
        merged = Actor(actor.key, actor.kind, actor.name, (proeftuin,), dict(actor.attributes))
    upsert_actors(tx, [merged])
    return bump_versions(tx, [proeftuin, *merged.proeftuinen])[proeftuin]


def _for_write(tx: Tx, proeftuin: str, key: str, expected: Expected[Actor]) -> Actor:
    """The actor as stored, for a write: NotFound, or PreconditionFailed when ``expected``
    rejects it (the actor is locked first, so the check holds until commit)."""
    if expected is not None:
        # An actor may belong to several proeftuinen: the lock of the one in the URL alone
        # does not keep a writer through another proeftuin out between check and write.
        tx.run(query("actor_lock"), key=key).consume()
    old = _get(tx, proeftuin, key)
    if old is None:
        raise _no_actor(proeftuin, key)
    if expected is not None and not expected(old):
        raise changed(f"Actor '{key}'")
    return old


def _update(
    tx: Tx,
    proeftuin: str,
    key: str,
    kind: str,
    name: str,
    attributes: dict[str, AttrValue],
    expected: Expected[Actor],
) -> int:
    old = _for_write(tx, proeftuin, key, expected)
    actor = Actor(key, kind, name, old.proeftuinen, dict(attributes))
    upsert_actors(tx, [actor])
    return bump_versions(tx, actor.proeftuinen)[proeftuin]


def _delete(tx: Tx, proeftuin: str, key: str, expected: Expected[Actor]) -> int:
    if expected is not None:
        _for_write(tx, proeftuin, key, expected)
    touched = proeftuinen_of(tx, [key])
    if tx.run(query("actor_remove"), proeftuin=proeftuin, key=key).single() is None:
        raise _no_actor(proeftuin, key)
    return bump_versions(tx, touched)[proeftuin]


class Actors:
    """The actors of one database: ``repo.actors``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, proeftuin: str, key: str) -> Actor:
        """One actor of ``proeftuin``; NotFound when it is not there."""
        found = self._db.read(_get, proeftuin, key)
        if found is None:
            raise _no_actor(proeftuin, key)
        return found

    def list(
        self, proeftuin: str, kind: str | None = None, skip: int = 0, limit: int = 100
    ) -> tuple[builtins.list[Actor], int]:
        """One page of a proeftuin's actors (of ``kind``) and their total count."""
        return self._db.read(_list, proeftuin, kind, skip, limit)

    def list_index(self) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        """Every stored actor as ``{key: (kind, name, proeftuinen)}``.

        What an import checks its rows against before anything is written: keys
        that clash with another proeftuin's actor, ties to actors already stored.
        """
        return self._db.read(_list_index)

    def create(self, proeftuin: str, actor: Actor) -> int:
        """Add a new actor to ``proeftuin``; Conflict when its key is taken there.

        The same key with the same kind and name in *another* proeftuin adds that
        actor to this one (docs/architecture.md §4); with another kind or name it
        is a Conflict.  Returns the proeftuin's new version.
        """
        return self._db.write([proeftuin], _create, proeftuin, actor)

    def update(
        self,
        proeftuin: str,
        key: str,
        kind: str,
        name: str,
        attributes: dict[str, AttrValue],
        expected: Expected[Actor] = None,
    ) -> int:
        """Replace an actor's kind, name and attributes; returns the proeftuin's version.

        ``expected`` (If-Match): PreconditionFailed unless ``expected(actor as stored)``,
        checked in the write transaction with the actor locked
        (:mod:`graphsvc.store.preconditions`).
        """
        return self._db.write(
            [proeftuin], _update, proeftuin, key, kind, name, attributes, expected
        )

    def delete(self, proeftuin: str, key: str, expected: Expected[Actor] = None) -> int:
        """Take an actor out of a proeftuin (deleted when in no other); returns the version.

        ``expected`` as for :meth:`update`.
        """
        return self._db.write([proeftuin], _delete, proeftuin, key, expected)
