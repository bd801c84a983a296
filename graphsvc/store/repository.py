"""The store's facade: :class:`Repository` owns the database and exposes the aggregates.

``repo.proeftuinen``, ``repo.actors``, ``repo.ties``, ``repo.meetings``,
``repo.attendance``, ``repo.api_keys``, ``repo.placements``, ``repo.network``
``repo.datasets`` and ``repo.surveys`` each read and write one kind of thing with the same verbs
(``get``, ``list``, ``count``, ``create``, ``update``, ``delete``, ``import_``);
``repo.db`` runs the transactions (:mod:`graphsvc.store.driver`).  The
repository itself holds what concerns the whole database: health, schema,
counts and wiping.  The records that leave the store are re-exported here.
"""

from __future__ import annotations

from typing import Any

import neo4j

from graphsvc.store.actors import Actors
from graphsvc.store.api_keys import ApiKeys
from graphsvc.store.driver import TRANSIENT_RETRY_TIME, Database, Tx, ping
from graphsvc.store.importing import Datasets, ImportSummary
from graphsvc.store.meetings import Attendances, Meetings
from graphsvc.store.network import Network, NetworkRows
from graphsvc.store.placements import Placements
from graphsvc.store.proeftuinen import Proeftuin, Proeftuinen, ProeftuinInfo
from graphsvc.store.queries import query, schema_statements
from graphsvc.store.surveys import Surveys
from graphsvc.store.ties import Ties

__all__ = [
    "Repository",
    "Proeftuin",
    "ProeftuinInfo",
    "ImportSummary",
    "NetworkRows",
    "ping",
    "connect",
]


def _count_all(tx: Tx) -> dict[str, int]:
    rec = tx.run(query("store_counts")).single(strict=True)
    return {"nodes": rec["nodes"], "relationships": rec["relationships"]}


def _create_schema(session: neo4j.Session) -> list[str]:
    for statement in schema_statements():
        session.run(statement.text).consume()
    session.run(query("store_generation_create")).consume()
    return [s.name for s in schema_statements()]


def _delete_network(session: neo4j.Session) -> None:
    session.run(query("store_wipe")).consume()
    # Versions start again at 1: a new generation keeps old ETags and cache keys from matching.
    session.run(query("store_generation_renew")).consume()


class Repository:
    """Access to one Neo4j database through one driver."""

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
        timeout: float = 2.0,
        retry_time: float = TRANSIENT_RETRY_TIME,
    ) -> None:
        """See :class:`graphsvc.store.driver.Database` for ``timeout`` and ``retry_time``."""
        self.db = Database(uri, user, password, database, timeout, retry_time)
        self.proeftuinen = Proeftuinen(self.db)
        self.actors = Actors(self.db)
        self.ties = Ties(self.db)
        self.meetings = Meetings(self.db)
        self.attendance = Attendances(self.db)
        self.api_keys = ApiKeys(self.db)
        self.placements = Placements(self.db)
        self.network = Network(self.db)
        self.datasets = Datasets(self.db)
        self.surveys = Surveys(self.db)

    def close(self) -> None:
        self.db.close()

    def ping(self) -> bool:
        """True when Neo4j answers now (always asks: a readiness probe ends fail-fast)."""
        return self.db.ping()

    def create_schema(self) -> list[str]:
        """Create every constraint and index (idempotent), and the store's generation when
        there is none; returns the names of the constraints and indexes."""
        return self.db.autocommit(neo4j.WRITE_ACCESS, _create_schema)

    def count_all(self) -> dict[str, int]:
        """The numbers of nodes and relationships in the database."""
        return self.db.read(_count_all)

    def delete_network(self) -> None:
        """Delete all network data (proeftuinen, actors, ties, meetings); API keys stay.

        The store gets a new generation, so no cache or ETag of before matches again."""
        self.db.autocommit(neo4j.WRITE_ACCESS, _delete_network)


def connect(settings: dict[str, Any]) -> Repository:
    """A repository for the configured database (no network traffic until first use)."""
    return Repository(
        settings["NEO4J_URI"],
        settings["NEO4J_USER"],
        settings["NEO4J_PASSWORD"],
        settings["NEO4J_DATABASE"],
        float(settings["NEO4J_TIMEOUT"]),
    )
