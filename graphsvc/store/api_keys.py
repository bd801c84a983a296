"""API keys: stored by their hash (graphsvc.web.auth makes keys and hashes).

Revoking a key keeps its node (marked ``revoked``), so the list still shows it.
"""

from __future__ import annotations

import builtins
from typing import Any

import neo4j

from graphsvc.store.driver import Database, Runner, Tx
from graphsvc.store.queries import query

__all__ = ["ApiKeys"]


def _create(tx: Tx, id_: str, hash_: str, name: str, role: str) -> None:
    tx.run(query("apikey_create"), id=id_, hash=hash_, name=name, role=role).consume()


def _get_by_hash(runner: Runner, hash_: str) -> dict[str, str] | None:
    rec = runner.run(query("apikey_find"), hash=hash_).single()
    return None if rec is None else dict(rec)


def _get(tx: Tx, id_: str) -> dict[str, Any] | None:
    rec = tx.run(query("apikey_get"), id=id_).single()
    return None if rec is None else dict(rec)


def _list(tx: Tx) -> list[dict[str, Any]]:
    return tx.run(query("apikey_list")).data()


def _revoke(tx: Tx, id_: str) -> bool:
    return bool(tx.run(query("apikey_revoke"), id=id_).single(strict=True)["revoked"])


class ApiKeys:
    """The API keys of one database: ``repo.api_keys``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, id_: str, hash_: str, name: str, role: str) -> None:
        """Store a key by its hash."""
        self._db.write((), _create, id_, hash_, name, role)

    def get(self, id_: str) -> dict[str, Any] | None:
        """The key with this id as {id, name, role, hash, revoked} (revoked too), else None."""
        return self._db.read(_get, id_)

    def get_by_hash(self, hash_: str) -> dict[str, str] | None:
        """The live key with this hash as {id, name, role}, else None.

        Checked on every request with a bearer key: one auto-commit query, like
        :meth:`graphsvc.store.proeftuinen.Proeftuinen.list_versions`.
        """
        return self._db.autocommit(neo4j.READ_ACCESS, _get_by_hash, hash_)

    def list(self) -> builtins.list[dict[str, Any]]:
        """Every key as {id, name, role, created, revoked} (no hashes), newest first."""
        return self._db.read(_list)

    def revoke(self, id_: str) -> bool:
        """Mark a key revoked (it stops working at once); False when there is no such key."""
        return self._db.write((), _revoke, id_)
