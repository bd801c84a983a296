"""The network reader: the rows of an analysis graph and of an export, in one read.

Actors, ties, meetings and attendance of some proeftuinen with the versions
they were read at, as plain values (:class:`NetworkRows`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.errors import NotFound
from graphsvc.store.driver import Database, Tx
from graphsvc.store.proeftuinen import list_versions
from graphsvc.store.properties import actor_from, meeting_from, tie_from
from graphsvc.store.queries import query

__all__ = ["Network", "NetworkRows"]


@dataclass(frozen=True)
class NetworkRows:
    """The raw material of an analysis graph, read in plain values."""

    actors: list[Actor]
    ties: list[Tie]
    meetings: list[Meeting]
    attendance: list[Attendance]
    versions: dict[str, int]

    def dataset(self) -> Dataset:
        """The rows as a (sorted) dataset, as an export writes it."""
        return Dataset(self.actors, self.ties, self.meetings, self.attendance).sorted()


def _read(tx: Tx, keys: list[str] | None) -> NetworkRows:
    versions = list_versions(tx, keys)
    if keys is not None:
        missing = [k for k in keys if k not in versions]
        if missing:
            raise NotFound(
                f"Proeftuin '{missing[0]}' bestaat niet.",
                f"Proeftuin '{missing[0]}' does not exist.",
            )
    actors = [
        actor_from(r["key"], r["props"], r["proeftuinen"])
        for r in tx.run(query("network_actors"), keys=keys)
    ]
    ties = [
        tie_from(r["source"], r["target"], r["rel"], r["props"])
        for r in tx.run(query("network_ties"), keys=keys)
    ]
    meetings, attendance = [], []
    for r in tx.run(query("network_meetings"), keys=keys):
        meetings.append(meeting_from(r["props"], r["proeftuin"]))
        attendance += [Attendance(r["key"], a) for a in r["attendees"]]
    return NetworkRows(actors, ties, meetings, attendance, versions)


class Network:
    """Reads whole networks of one database: ``repo.network``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, proeftuinen: Iterable[str] | None = None) -> NetworkRows:
        """Actors, ties, meetings and attendance of some proeftuinen (all when None).

        Ties are those between two actors of the selection (the induced
        subgraph).  Read in one transaction, so the versions match the data;
        NotFound when a named proeftuin does not exist.
        """
        keys = None if proeftuinen is None else sorted(set(proeftuinen))
        return self._db.read(_read, keys)
