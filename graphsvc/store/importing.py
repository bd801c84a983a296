"""The import writer: plan a validated dataset against the store, then write it in batches.

An import runs in ONE write transaction: every row lands or none does.  The
plan counts what would be created, updated or left unchanged, and collects
every conflict with the store (a key that belongs to a different actor of
another proeftuin, an unknown proeftuin, a tie to an actor that exists nowhere)
to reject the whole import with all of them listed.  The write then sends the
rows in batches of ``batch_size`` (one statement per batch) and bumps every
proeftuin the rows touch.  Nothing is written, and no version bumped, when
nothing would change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphsvc.dataset import Dataset
from graphsvc.errors import ImportRejected
from graphsvc.store.actors import check_same_actor, find_actors, proeftuinen_of, upsert_actors
from graphsvc.store.driver import Database, Tx
from graphsvc.store.meetings import find_meetings, merge_attendance, upsert_meetings
from graphsvc.store.proeftuinen import (
    ProeftuinInfo,
    bump_versions,
    find_proeftuin,
    list_versions,
    merge_proeftuin,
    missing_proeftuinen,
    renew_generation,
)
from graphsvc.store.properties import (
    actor_props,
    meeting_props,
    problem,
    same,
    tie_identity,
    tie_props,
)
from graphsvc.store.queries import query
from graphsvc.store.ties import upsert_ties

__all__ = ["Datasets", "ImportSummary"]

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do), per table."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # proeftuin -> new version
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def count(self, table: str, created: int, updated: int, unchanged: int) -> None:
        self.created[table], self.updated[table], self.unchanged[table] = (
            created,
            updated,
            unchanged,
        )


class _RolledBack(Exception):
    """Ends a dry-run transaction (rolled back) and carries its summary out."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


# -- the plan -----------------------------------------------------------------------------------


def _plan_actors(tx: Tx, ds: Dataset, summary: ImportSummary) -> tuple[set[str], list[Any]]:
    """Count the actors' rows; returns the keys already stored and the problems."""
    problems: list[dict[str, Any]] = []
    existing = find_actors(tx, [a.key for a in ds.actors])
    created = updated = unchanged = 0
    for row, actor in enumerate(ds.actors, start=2):
        old = existing.get(actor.key)
        if old is None:
            created += 1
            continue
        if not set(old["proeftuinen"]) & set(actor.proeftuinen):
            problems += check_same_actor(actor, old, row=row, collect=True)
        if same(old["props"], actor_props(actor)) and set(actor.proeftuinen) <= set(
            old["proeftuinen"]
        ):
            unchanged += 1
        else:
            updated += 1
    summary.count("actors", created, updated, unchanged)
    return set(existing), problems


def _plan_ties(
    tx: Tx, ds: Dataset, stored_actors: set[str], summary: ImportSummary
) -> list[dict[str, Any]]:
    """Count the ties' rows; returns the problems (ends that exist nowhere)."""
    problems = []
    in_file = {a.key for a in ds.actors}
    outside = sorted(
        {k for t in ds.ties for k in (t.source, t.target)} - in_file
        | {a.actor for a in ds.attendance} - in_file
    )
    found: set[str] = set()
    if outside:
        found = set(find_actors(tx, outside))
        for key in outside:
            if key not in found:
                problems.append(
                    problem(
                        "ties",
                        None,
                        "source/target",
                        "unknown_actor",
                        key,
                        f"Actor '{key}' staat niet in het bestand en ook niet in de database.",
                        f"Actor '{key}' is neither in the file nor in the database.",
                    )
                )
    # A tie can only be stored already when both its actors are: look up only those
    # (a first import of a proeftuin then looks up none).
    stored = stored_actors | found
    rows = [
        tie_identity(t, i)
        for i, t in enumerate(ds.ties)
        if t.source in stored and t.target in stored
    ]
    old_ties = {r["idx"]: r["props"] for r in tx.run(query("tie_find"), rows=rows)}
    unchanged = sum(1 for i, props in old_ties.items() if same(props, tie_props(ds.ties[i])))
    summary.count("ties", len(ds.ties) - len(old_ties), len(old_ties) - unchanged, unchanged)
    return problems


def _plan_meetings(tx: Tx, ds: Dataset, summary: ImportSummary) -> list[dict[str, Any]]:
    """Count the meetings' and attendance's rows; returns the problems (unknown meetings)."""
    problems = []
    old = find_meetings(tx, [m.key for m in ds.meetings])
    unchanged = sum(
        1
        for m in ds.meetings
        if m.key in old
        and old[m.key]["proeftuin"] == m.proeftuin
        and same(old[m.key]["props"], meeting_props(m))
    )
    summary.count("meetings", len(ds.meetings) - len(old), len(old) - unchanged, unchanged)
    missing = sorted({a.meeting for a in ds.attendance} - {m.key for m in ds.meetings})
    if missing:
        found = set(find_meetings(tx, missing))
        for key in missing:
            if key not in found:
                problems.append(
                    problem(
                        "attendance",
                        None,
                        "meeting",
                        "unknown_meeting",
                        key,
                        f"Bijeenkomst '{key}' staat niet in het bestand "
                        "en ook niet in de database.",
                        f"Meeting '{key}' is neither in the file nor in the database.",
                    )
                )
    rows = [{"meeting": a.meeting, "actor": a.actor} for a in ds.attendance]
    recorded = len(tx.run(query("attendance_find"), rows=rows).data())
    summary.count("attendance", len(rows) - recorded, 0, recorded)
    return problems


def _plan(tx: Tx, ds: Dataset, proeftuin: str | None) -> ImportSummary:
    """What the import would do; ImportRejected listing every problem with the store."""
    wanted = {p for a in ds.actors for p in a.proeftuinen} | {m.proeftuin for m in ds.meetings}
    if proeftuin:
        wanted.add(proeftuin)
    problems = missing_proeftuinen(tx, wanted)
    summary = ImportSummary()
    stored_actors, actor_problems = _plan_actors(tx, ds, summary)
    problems += actor_problems
    problems += _plan_ties(tx, ds, stored_actors, summary)
    problems += _plan_meetings(tx, ds, summary)
    if problems:
        raise ImportRejected(
            f"De import is geweigerd: {len(problems)} probleem/problemen met de database.",
            f"The import was rejected: {len(problems)} problem(s) with the database.",
            problems=problems,
        )
    return summary


# -- the write ----------------------------------------------------------------------------------


def _write_batches(tx: Tx, ds: Dataset, batch_size: int, progress: Progress | None) -> None:
    total = len(ds.actors) + len(ds.ties) + len(ds.meetings) + len(ds.attendance)
    done = 0
    steps: tuple[tuple[list[Any], Callable[[Tx, list[Any]], None]], ...] = (
        (ds.actors, upsert_actors),
        (ds.ties, upsert_ties),
        (ds.meetings, upsert_meetings),
        (ds.attendance, merge_attendance),
    )
    for items, write in steps:
        for start in range(0, len(items), batch_size):
            chunk = items[start : start + batch_size]
            write(tx, chunk)
            done += len(chunk)
            if progress:
                progress(done, total)


def _apply(
    tx: Tx, ds: Dataset, proeftuin: str | None, batch_size: int, progress: Progress | None
) -> dict[str, int]:
    """Write a planned import and bump every proeftuin it touches; returns their versions."""
    _write_batches(tx, ds, batch_size, progress)
    touched = {proeftuin} if proeftuin else set()
    touched |= {p for a in ds.actors for p in a.proeftuinen}
    touched |= {m.proeftuin for m in ds.meetings}
    endpoints = sorted({k for t in ds.ties for k in (t.source, t.target)})
    touched |= set(proeftuinen_of(tx, endpoints))
    return bump_versions(tx, touched)


def _import(
    tx: Tx,
    ds: Dataset,
    proeftuin: str | None,
    dry_run: bool,
    batch_size: int,
    progress: Progress | None,
) -> ImportSummary:
    summary = _plan(tx, ds, proeftuin)
    summary.dry_run = dry_run
    if dry_run or not summary.changed:
        return summary
    summary.versions = _apply(tx, ds, proeftuin, batch_size, progress)
    return summary


def _import_with_proeftuinen(
    tx: Tx,
    ds: Dataset,
    infos: list[ProeftuinInfo],
    dry_run: bool,
    batch_size: int,
    progress: Progress | None,
) -> ImportSummary:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for info in infos:
        existed = find_proeftuin(tx, info.key) is not None
        _, changed = merge_proeftuin(tx, info)
        counts["updated" if existed and changed else "unchanged" if existed else "created"] += 1
    summary = _plan(tx, ds, None)
    data_changed = summary.changed
    for what, n in counts.items():
        getattr(summary, what)["proeftuinen"] = n
    summary.dry_run = dry_run
    if dry_run:
        raise _RolledBack(summary)
    if data_changed:
        summary.versions = _apply(tx, ds, None, batch_size, progress)
    if counts["created"] or counts["updated"]:
        summary.versions = list_versions(tx, [p.key for p in infos])
    # A restore of everything may bring back versions seen before with other data.
    renew_generation(tx)
    return summary


def _locks(ds: Dataset, proeftuin: str | None, also: Iterable[str] = ()) -> set[str]:
    """The proeftuinen an import writes to, as far as its rows say (for ``Database.write``)."""
    keys = {proeftuin} if proeftuin else set()
    keys |= {p for a in ds.actors for p in a.proeftuinen}
    keys |= {m.proeftuin for m in ds.meetings}
    return keys | set(also)


class Datasets:
    """Imports of whole datasets into one database: ``repo.datasets``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def import_(
        self,
        dataset: Dataset,
        proeftuin: str | None = None,
        dry_run: bool = False,
        batch_size: int = 5000,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Write a validated dataset in ONE transaction: every row lands or none does.

        ``proeftuin`` is also bumped when given (the proeftuin the import is for).
        ImportRejected lists every conflict with the store (see the module
        docstring); a dry run plans and writes nothing.
        """
        ds = dataset.sorted()
        return self._db.write(
            _locks(ds, proeftuin), _import, ds, proeftuin, dry_run, batch_size, progress
        )

    def import_with_proeftuinen(
        self,
        dataset: Dataset,
        proeftuinen: Iterable[ProeftuinInfo],
        dry_run: bool = False,
        batch_size: int = 5000,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Like :meth:`import_`, creating or updating the proeftuinen themselves first.

        For a whole-store import (the JSON export of everything carries its
        proeftuinen): the proeftuinen and the data are written in ONE
        transaction.  The summary counts proeftuinen under ``"proeftuinen"``.
        A dry run does the work in a transaction that is rolled back, so it
        checks the rows against proeftuinen that the file itself creates.
        """
        ds = dataset.sorted()
        infos = sorted(proeftuinen, key=lambda p: p.key)
        locks = _locks(ds, None, [p.key for p in infos])
        try:
            return self._db.write(
                locks, _import_with_proeftuinen, ds, infos, dry_run, batch_size, progress
            )
        except _RolledBack as done:
            return done.summary
