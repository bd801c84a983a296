"""Meetings and their attendance: two aggregates, and the batched writes imports share.

A meeting belongs to one proeftuin (``(:Meeting)-[:IN]->(:Proeftuin)``);
attendance is ``(:Actor)-[:ATTENDED]->(:Meeting)`` of actors of that proeftuin.
Every write bumps the meeting's proeftuin.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from graphsvc.dataset import Attendance, Meeting
from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.store.actors import members
from graphsvc.store.driver import Database, Tx
from graphsvc.store.preconditions import Expected, changed
from graphsvc.store.proeftuinen import bump_versions, find_proeftuin, require_proeftuinen
from graphsvc.store.properties import meeting_from, meeting_props
from graphsvc.store.queries import query

__all__ = [
    "Meetings",
    "Attendances",
    "upsert_meetings",
    "merge_attendance",
    "find_meetings",
    "find_attendance",
]


def _no_meeting(proeftuin: str, key: str) -> NotFound:
    return NotFound(
        f"Bijeenkomst '{key}' bestaat niet in proeftuin '{proeftuin}'.",
        f"Meeting '{key}' does not exist in proeftuin '{proeftuin}'.",
    )


# -- transaction steps shared with imports ------------------------------------------------------


def upsert_meetings(tx: Tx, meetings: list[Meeting]) -> None:
    """Create or replace meetings (properties and proeftuin) in one statement."""
    rows = [{"key": m.key, "proeftuin": m.proeftuin, "props": meeting_props(m)} for m in meetings]
    tx.run(query("meeting_upsert"), rows=rows).consume()


def merge_attendance(tx: Tx, attendance: list[Attendance]) -> None:
    """Record attendances (recording one twice keeps one) in one statement."""
    rows = [{"meeting": a.meeting, "actor": a.actor} for a in attendance]
    tx.run(query("attendance_merge"), rows=rows).consume()


def find_meetings(tx: Tx, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The stored meetings among ``keys``, anywhere: ``{key: {"key", "proeftuin", "props"}}``."""
    return {r["key"]: dict(r) for r in tx.run(query("meeting_find"), keys=keys)}


def find_attendance(tx: Tx, rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    """Those of the ``{"meeting", "actor"}`` rows that are recorded, as (meeting, actor)."""
    return {(r["meeting"], r["actor"]) for r in tx.run(query("attendance_find"), rows=rows)}


def _stored(tx: Tx, proeftuin: str, key: str) -> tuple[Meeting, list[str]] | None:
    rec = tx.run(query("meeting_get"), proeftuin=proeftuin, key=key).single()
    if rec is None:
        return None
    return meeting_from(rec["props"], proeftuin), sorted(rec["attendees"])


# -- transaction functions of the meetings ------------------------------------------------------


def _list(
    tx: Tx, proeftuin: str, skip: int, limit: int
) -> tuple[list[tuple[Meeting, list[str]]], int]:
    total = tx.run(query("meeting_count"), proeftuin=proeftuin).single(strict=True)["n"]
    rows = tx.run(query("meeting_list"), proeftuin=proeftuin, skip=skip, limit=limit)
    return [(meeting_from(r["props"], proeftuin), sorted(r["attendees"])) for r in rows], total


def _list_keys(tx: Tx) -> set[str]:
    return {r["key"] for r in tx.run(query("meeting_keys"))}


def _create(tx: Tx, meeting: Meeting) -> int:
    require_proeftuinen(tx, [meeting.proeftuin])
    old = find_meetings(tx, [meeting.key]).get(meeting.key)
    if old is not None:
        raise Conflict(
            f"Bijeenkomst '{meeting.key}' bestaat al (proeftuin '{old['proeftuin']}').",
            f"Meeting '{meeting.key}' already exists (proeftuin '{old['proeftuin']}').",
            field="key",
        )
    upsert_meetings(tx, [meeting])
    return bump_versions(tx, [meeting.proeftuin])[meeting.proeftuin]


def _for_write(
    tx: Tx, proeftuin: str, key: str, expected: Expected[tuple[Meeting, list[str]]]
) -> None:
    """NotFound, or PreconditionFailed when ``expected`` rejects the meeting as stored
    (the caller holds the proeftuin's lock, so the check holds until commit)."""
    current = _stored(tx, proeftuin, key)
    if current is None:
        raise _no_meeting(proeftuin, key)
    if expected is not None and not expected(current):
        raise changed(f"Bijeenkomst '{key}'", f"Meeting '{key}'")


def _update(tx: Tx, meeting: Meeting, expected: Expected[tuple[Meeting, list[str]]]) -> int:
    _for_write(tx, meeting.proeftuin, meeting.key, expected)
    upsert_meetings(tx, [meeting])
    return bump_versions(tx, [meeting.proeftuin])[meeting.proeftuin]


def _delete(tx: Tx, proeftuin: str, key: str, expected: Expected[tuple[Meeting, list[str]]]) -> int:
    if expected is not None:
        _for_write(tx, proeftuin, key, expected)
    rec = tx.run(query("meeting_delete"), proeftuin=proeftuin, key=key).single(strict=True)
    if not rec["deleted"]:
        raise _no_meeting(proeftuin, key)
    return bump_versions(tx, [proeftuin])[proeftuin]


class Meetings:
    """The meetings of one database: ``repo.meetings``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(
        self, proeftuin: str, skip: int = 0, limit: int = 100
    ) -> tuple[builtins.list[tuple[Meeting, builtins.list[str]]], int]:
        """One page of a proeftuin's meetings, each with its attendees' keys, and the total."""
        return self._db.read(_list, proeftuin, skip, limit)

    def get(self, proeftuin: str, key: str) -> tuple[Meeting, builtins.list[str]]:
        """One meeting of a proeftuin with its attendees' keys."""
        found = self._db.read(_stored, proeftuin, key)
        if found is None:
            raise _no_meeting(proeftuin, key)
        return found

    def list_keys(self) -> set[str]:
        """The key of every stored meeting."""
        return self._db.read(_list_keys)

    def create(self, meeting: Meeting) -> int:
        """Add a new meeting to its proeftuin; Conflict naming ``key`` when the key is taken."""
        return self._db.write([meeting.proeftuin], _create, meeting)

    def update(
        self,
        meeting: Meeting,
        expected: Expected[tuple[Meeting, builtins.list[str]]] = None,
    ) -> int:
        """Replace the date, title and attributes of a meeting of its proeftuin.

        ``expected`` (If-Match): PreconditionFailed unless ``expected((meeting, attendees))``
        as stored, checked in the write transaction under the proeftuin's lock
        (:mod:`graphsvc.store.preconditions`).
        """
        return self._db.write([meeting.proeftuin], _update, meeting, expected)

    def delete(
        self,
        proeftuin: str,
        key: str,
        expected: Expected[tuple[Meeting, builtins.list[str]]] = None,
    ) -> int:
        """Delete a meeting of a proeftuin with its attendance; returns the version.

        ``expected`` as for :meth:`update`.
        """
        return self._db.write([proeftuin], _delete, proeftuin, key, expected)


# -- transaction functions of attendance --------------------------------------------------------


def _create_attendance(tx: Tx, proeftuin: str, meeting: str, keys: list[str]) -> tuple[int, int]:
    if _stored(tx, proeftuin, meeting) is None:
        raise _no_meeting(proeftuin, meeting)
    found = members(tx, proeftuin, keys)
    missing = [k for k in keys if k not in found]
    if missing:
        names = ", ".join(missing)
        raise InvalidInput(
            f"'actors': geen actor(en) van proeftuin '{proeftuin}': {names}.",
            f"'actors': not actor(s) of proeftuin '{proeftuin}': {names}.",
            field="actors",
        )
    already = find_attendance(tx, [{"meeting": meeting, "actor": k} for k in keys])
    new = [Attendance(meeting, k) for k in keys if (meeting, k) not in already]
    if not new:
        stored = find_proeftuin(tx, proeftuin)
        return 0, 0 if stored is None else stored["version"]
    merge_attendance(tx, new)
    return len(new), bump_versions(tx, [proeftuin])[proeftuin]


def _delete_attendance(tx: Tx, proeftuin: str, meeting: str, keys: list[str]) -> tuple[int, int]:
    if _stored(tx, proeftuin, meeting) is None:
        raise _no_meeting(proeftuin, meeting)
    recorded = find_attendance(tx, [{"meeting": meeting, "actor": k} for k in keys])
    missing = [k for k in keys if (meeting, k) not in recorded]
    if missing:
        names = ", ".join(missing)
        raise NotFound(
            f"Niet als aanwezig bij bijeenkomst '{meeting}' geregistreerd: {names}.",
            f"Not recorded as attending meeting '{meeting}': {names}.",
            field="actors",
        )
    removed = tx.run(
        query("attendance_delete"), proeftuin=proeftuin, meeting=meeting, actors=keys
    ).single(strict=True)["deleted"]
    return removed, bump_versions(tx, [proeftuin])[proeftuin]


class Attendances:
    """Who attended which meeting: ``repo.attendance``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, proeftuin: str, meeting: str, actors: Iterable[str]) -> tuple[int, int]:
        """Record that actors of ``proeftuin`` attended ``meeting``.

        Returns (number newly recorded, proeftuin version); recording what is
        already recorded changes nothing and bumps nothing.  InvalidInput naming
        ``actors`` when one of them is not an actor of the proeftuin.
        """
        keys = sorted(set(actors))
        return self._db.write([proeftuin], _create_attendance, proeftuin, meeting, keys)

    def delete(self, proeftuin: str, meeting: str, actors: Iterable[str]) -> tuple[int, int]:
        """Delete recorded attendances; returns (number removed, proeftuin version).

        NotFound naming the actors that are not recorded as attending (then
        nothing is removed).
        """
        keys = sorted(set(actors))
        return self._db.write([proeftuin], _delete_attendance, proeftuin, meeting, keys)
