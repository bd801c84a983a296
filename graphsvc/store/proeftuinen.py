"""Proeftuinen: the aggregate, and the version bump every write of network data makes.

:class:`Proeftuinen` reads and writes proeftuin nodes.  :func:`bump_versions`
and :func:`require_proeftuinen` are the transaction steps that the other
aggregates' writes share: every write bumps the ``version`` of each proeftuin
it touches in its own transaction (caches and ETags key on those versions), so
a failed write bumps nothing.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import neo4j

from graphsvc.errors import Conflict, NotFound
from graphsvc.store.driver import Database, Runner, Tx
from graphsvc.store.preconditions import Expected, changed
from graphsvc.store.properties import problem
from graphsvc.store.queries import query

__all__ = [
    "Proeftuin",
    "ProeftuinInfo",
    "Proeftuinen",
    "Versions",
    "create_generation",
    "renew_generation",
    "version_key",
    "bump_versions",
    "missing_proeftuinen",
    "require_proeftuinen",
    "no_proeftuin",
]


@dataclass(frozen=True)
class Proeftuin:
    key: str
    name: str
    municipality: str
    fictional: bool
    version: int
    counts: dict[str, int]  # actors per kind
    meetings: int
    generation: str = ""  # the store's, read with the version (one read makes the ETag)

    @property
    def actors(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ProeftuinInfo:
    """A proeftuin's own properties, as a whole-store export carries them."""

    key: str
    name: str
    municipality: str = ""
    fictional: bool = False


def no_proeftuin(key: str) -> NotFound:
    return NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")


# -- transaction steps shared by every aggregate's writes ---------------------------------------


def bump_versions(tx: Tx, keys: Iterable[str]) -> dict[str, int]:
    """Increase the version of each proeftuin in ``keys``; returns the new versions."""
    rows = tx.run(query("proeftuin_bump"), keys=sorted(set(keys)))
    return {r["key"]: r["version"] for r in rows}


class Versions(dict[str, int]):
    """``{proeftuin key: version}`` with the store's ``generation`` they were read in.

    Versions count up from 1 again after a wipe, and a restore can bring back
    versions seen before with other data; the generation (a random id, renewed by
    both) makes the pair unique, so every cache key and ETag includes it
    (:func:`version_key`).
    """

    def __init__(
        self,
        items: dict[str, int] | None = None,
        generation: str = "",
        due: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(items or {})
        self.generation = generation
        #: ``(proeftuin, round)`` of the open survey rounds past their closing date, when
        #: asked for (:meth:`Proeftuinen.list_versions` with ``due_on``).
        self.due = due or []


def version_key(versions: dict[str, int]) -> tuple[str, tuple[tuple[str, int], ...]]:
    """A hashable key of ``versions`` and their generation, for caches."""
    return (getattr(versions, "generation", ""), tuple(sorted(versions.items())))


def list_versions(
    runner: Runner, keys: Iterable[str] | None, due_on: dt.date | None = None
) -> Versions:
    """The versions of the proeftuinen in ``keys`` that exist (all when None), with the
    store's generation read in the same query; with ``due_on``, also their open survey
    rounds whose closing date is before that day."""
    wanted = None if keys is None else sorted(set(keys))
    rows = list(runner.run(query("proeftuin_versions"), keys=wanted, due_on=due_on))
    generation = (rows[0]["generation"] if rows else None) or ""
    due = [(r["key"], round_) for r in rows if r["key"] is not None for round_ in r["due"]]
    return Versions({r["key"]: r["version"] for r in rows if r["key"] is not None}, generation, due)


def create_generation(tx: Tx) -> str:
    """The store's generation, made when there is none yet."""
    return str(tx.run(query("store_generation_create")).single(strict=True)["generation"])


def renew_generation(tx: Tx) -> str:
    """A new generation of the store: every cached response and ETag of before is stale."""
    return str(tx.run(query("store_generation_renew")).single(strict=True)["generation"])


def missing_proeftuinen(tx: Tx, keys: Iterable[str]) -> list[dict[str, Any]]:
    """A problem (see :func:`~graphsvc.store.properties.problem`) per proeftuin that is absent."""
    keys = sorted(set(keys))
    found = list_versions(tx, keys)
    return [
        problem(
            "actors",
            None,
            "proeftuin",
            "unknown_proeftuin",
            k,
            f"Proeftuin '{k}' bestaat niet; maak hem eerst aan.",
            f"Proeftuin '{k}' does not exist; create it first.",
        )
        for k in keys
        if k not in found
    ]


def require_proeftuinen(tx: Tx, keys: Iterable[str]) -> None:
    """NotFound for the first of ``keys`` that is not a proeftuin."""
    missing = missing_proeftuinen(tx, keys)
    if missing:
        raise NotFound(missing[0]["message_nl"], missing[0]["message_en"])


def find_proeftuin(tx: Tx, key: str) -> dict[str, Any] | None:
    """A proeftuin's own properties (key, name, municipality, fictional, version), or None."""
    rec = tx.run(query("proeftuin_find"), key=key).single()
    return None if rec is None else dict(rec)


def merge_proeftuin(tx: Tx, info: ProeftuinInfo) -> tuple[int, bool]:
    """Create or update a proeftuin's own properties; returns (version, changed).

    A new proeftuin starts at version 1; a change bumps the version.
    """
    rec = tx.run(
        query("proeftuin_merge"),
        key=info.key,
        name=info.name,
        municipality=info.municipality,
        fictional=info.fictional,
    ).single(strict=True)
    return rec["version"], rec["changed"]


# -- transaction functions of the aggregate -----------------------------------------------------


def _proeftuin_from(r: neo4j.Record) -> Proeftuin:
    return Proeftuin(
        r["key"],
        r["name"],
        r["municipality"] or "",
        r["fictional"],
        r["version"],
        {k: n for k, n in r["kinds"]},
        r["meetings"],
        r.get("generation") or "",
    )


def _list(tx: Tx) -> list[Proeftuin]:
    return [_proeftuin_from(r) for r in tx.run(query("proeftuin_list"))]


def _get(tx: Tx, key: str) -> Proeftuin | None:
    rec = tx.run(query("proeftuin_get"), key=key).single()
    return None if rec is None else _proeftuin_from(rec)


def _create(tx: Tx, info: ProeftuinInfo) -> int:
    def exists() -> Conflict:
        return Conflict(
            f"Proeftuin '{info.key}' bestaat al.",
            f"Proeftuin '{info.key}' already exists.",
            field="key",
        )

    if find_proeftuin(tx, info.key) is not None:
        raise exists()
    version, changed = merge_proeftuin(tx, info)
    # There was no node to lock: a concurrent creator may have committed it between the
    # check and the MERGE (which then waited for it and matched it).  Only the transaction
    # that really created the node sees it new, at version 1.
    if not (changed and version == 1):
        raise exists()
    return version


#: What a conditional write of a proeftuin checks: its version and the store's generation.
State = tuple[int, str]


def _for_write(tx: Tx, key: str, expected: Expected[State]) -> dict[str, Any]:
    """The proeftuin's own properties, for a write: NotFound, or PreconditionFailed when
    ``expected`` rejects its (version, generation), both read here in the transaction (the
    caller holds the proeftuin's lock, so that holds until commit)."""
    old = find_proeftuin(tx, key)
    if old is None:
        raise no_proeftuin(key)
    if expected is not None and not expected((old["version"], old["generation"])):
        raise changed(f"Proeftuin '{key}'")
    return old


def _update(
    tx: Tx,
    key: str,
    name: str | None,
    municipality: str | None,
    fictional: bool | None,
    expected: Expected[State],
) -> int:
    old = _for_write(tx, key, expected)
    info = ProeftuinInfo(
        key,
        old["name"] if name is None else name,
        old["municipality"] if municipality is None else municipality,
        old["fictional"] if fictional is None else fictional,
    )
    return merge_proeftuin(tx, info)[0]


def _delete(tx: Tx, key: str, expected: Expected[State]) -> bool:
    if expected is not None:
        _for_write(tx, key, expected)
    return bool(tx.run(query("proeftuin_delete"), key=key).single(strict=True)["deleted"])


class Proeftuinen:
    """The proeftuinen of one database: ``repo.proeftuinen``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> builtins.list[Proeftuin]:
        """Every proeftuin with its counts, by key."""
        return self._db.read(_list)

    def get(self, key: str) -> Proeftuin:
        """One proeftuin with its counts; NotFound when it does not exist."""
        found = self._db.read(_get, key)
        if found is None:
            raise no_proeftuin(key)
        return found

    def list_versions(
        self, keys: Iterable[str] | None = None, due_on: dt.date | None = None
    ) -> Versions:
        """Versions of the given proeftuinen that exist (all when None); with ``due_on``
        their survey rounds due to be closed on that day too (``Versions.due``).

        Asked before every cached read, so it runs as one auto-commit query (one
        round trip instead of begin, run and commit); a single read needs no
        transaction around it, and a lost connection still becomes a 503.
        """
        return self._db.autocommit(neo4j.READ_ACCESS, list_versions, keys, due_on)

    def create(self, key: str, name: str, municipality: str = "", fictional: bool = False) -> int:
        """Create a new proeftuin (version 1); Conflict naming ``key`` when it exists."""
        return self._db.write([key], _create, ProeftuinInfo(key, name, municipality, fictional))

    def update(
        self,
        key: str,
        name: str | None = None,
        municipality: str | None = None,
        fictional: bool | None = None,
        expected: Expected[State] = None,
    ) -> int:
        """Change a proeftuin's own properties (None keeps one); returns its version.

        The version goes up only when something changed.  ``expected`` (If-Match):
        PreconditionFailed unless ``expected((version, generation))``, checked in the write
        transaction under the proeftuin's lock (:mod:`graphsvc.store.preconditions`).
        """
        return self._db.write([key], _update, key, name, municipality, fictional, expected)

    def delete(self, key: str, expected: Expected[State] = None) -> None:
        """Delete a proeftuin with its meetings and the actors that are in no other one.

        ``expected`` as for :meth:`update`.
        """
        if not self._db.write([key], _delete, key, expected):
            raise no_proeftuin(key)
