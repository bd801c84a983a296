"""The store: the only module that imports ``neo4j``.

One driver per process; one session per unit of work; managed transactions
(``execute_read`` / ``execute_write``) with small transaction functions that
consume their results and are safe to retry.  Every write bumps the version of
each proeftuin it touches *in the same transaction*, so a failed write bumps
nothing.  Queries come from ``cypher/`` by name; request values enter only as
parameters; labels and relationship types only from the vocabulary.

Values leave this module as plain Python (``datetime.date``, dicts, the
dataclasses of :mod:`graphsvc.dataset`), never as driver objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Attendance, AttrValue, Dataset, Meeting, Tie
from graphsvc.errors import Conflict, GraphsvcError, ImportRejected, NotFound, StoreUnavailable
from graphsvc.queries import query, schema_statements

__all__ = ["Repository", "Proeftuin", "ImportSummary", "NetworkRows", "ping", "connect"]

_ACTOR_FIELDS = ("key", "kind", "name")
_TIE_FIELDS = ("since", "until", "weight", "provenance")
_MEETING_FIELDS = ("key", "date", "title")
_KIND_LABELS = [k.label for k in vocab.KINDS.values()]
_UNAVAILABLE = (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError)


def _native(value: Any) -> Any:
    """Driver temporal values to the standard library; everything else as is."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _unavailable(exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(
        "De database is tijdelijk niet bereikbaar; probeer het zo opnieuw.",
        "The database is temporarily unavailable; please try again shortly.",
        retry_after=5,
    )


def ping(uri: str, user: str = "neo4j", password: str = "", timeout: float = 2.0) -> bool:
    """True when a Neo4j at ``uri`` answers ``RETURN 1`` within about ``timeout`` seconds."""
    auth = (user, password) if password else None
    try:
        with neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeout, connection_acquisition_timeout=timeout,
            max_transaction_retry_time=0, warn_notification_severity="OFF",
        ) as driver:
            records, _, _ = driver.execute_query(query("ping"), database_="neo4j")
            return records[0]["ok"] == 1
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


@dataclass(frozen=True)
class Proeftuin:
    key: str
    name: str
    municipality: str
    fictional: bool
    version: int
    counts: dict[str, int]  # actors per kind
    meetings: int

    @property
    def actors(self) -> int:
        return sum(self.counts.values())


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


@dataclass(frozen=True)
class NetworkRows:
    """The raw material of an analysis graph, read in plain values."""

    actors: list[Actor]
    ties: list[Tie]
    meetings: list[Meeting]
    attendance: list[Attendance]
    versions: dict[str, int]


# -- conversions between the dataset and stored properties -----------------------


def _actor_props(actor: Actor) -> dict[str, Any]:
    return {**actor.attributes, "key": actor.key, "kind": actor.kind, "name": actor.name}


def _actor_from(key: str, props: dict[str, Any], proeftuinen: Iterable[str]) -> Actor:
    attrs = {k: _native(v) for k, v in props.items() if k not in _ACTOR_FIELDS}
    return Actor(key, props["kind"], props["name"], tuple(sorted(proeftuinen)), attrs)


def _tie_props(tie: Tie) -> dict[str, Any]:
    props: dict[str, Any] = {**tie.attributes, "since": tie.since, "weight": float(tie.weight)}
    if tie.until is not None:
        props["until"] = tie.until
    if tie.provenance is not None:
        props["provenance"] = tie.provenance
    return props


def _tie_from(source: str, target: str, rel: str, props: dict[str, Any]) -> Tie:
    attrs = {k: _native(v) for k, v in props.items() if k not in _TIE_FIELDS}
    return Tie(
        source, target, vocab.tie_type_for_rel(rel).key, _native(props["since"]),
        _native(props.get("until")), float(props.get("weight", 1.0)), props.get("provenance"),
        attrs,
    )


def _meeting_props(meeting: Meeting) -> dict[str, Any]:
    return {**meeting.attributes, "key": meeting.key, "date": meeting.date,
            "title": meeting.title}


def _meeting_from(props: dict[str, Any], proeftuin: str) -> Meeting:
    attrs = {k: _native(v) for k, v in props.items() if k not in _MEETING_FIELDS}
    return Meeting(props["key"], _native(props["date"]), props["title"], proeftuin, attrs)


def _same(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return {k: _native(v) for k, v in stored.items()} == wanted


# -- the repository ------------------------------------------------------------------


class Repository:
    """Access to one Neo4j database through one driver."""

    def __init__(self, uri: str, user: str = "neo4j", password: str = "",
                 database: str = "neo4j", timeout: float = 2.0) -> None:
        self.uri = uri
        self.database = database
        auth = (user, password) if password else None
        self._driver = neo4j.GraphDatabase.driver(
            uri, auth=auth,
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=timeout,
            warn_notification_severity="OFF",
        )

    def close(self) -> None:
        self._driver.close()

    # -- plumbing ------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        try:
            with self._driver.session(database=self.database) as session:
                yield session
        except GraphsvcError:
            raise
        except _UNAVAILABLE as exc:
            raise _unavailable(exc) from exc
        except neo4j_errors.DriverError as exc:
            raise _unavailable(exc) from exc

    def _read(self, work: Callable[[neo4j.ManagedTransaction], Any]) -> Any:
        with self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], Any]) -> Any:
        with self._session() as session:
            return session.execute_write(work)

    @staticmethod
    def _bump(tx: neo4j.ManagedTransaction, keys: Iterable[str]) -> dict[str, int]:
        rows = tx.run(query("proeftuin_bump"), keys=sorted(set(keys)))
        return {r["key"]: r["version"] for r in rows}

    # -- health and schema -------------------------------------------------------

    def ping(self) -> bool:
        try:
            return self._read(lambda tx: tx.run(query("ping")).single()["ok"] == 1)
        except StoreUnavailable:
            return False

    def apply_schema(self) -> list[str]:
        """Create every constraint and index (idempotent); returns their names."""
        with self._session() as session:
            for statement in schema_statements():
                session.run(statement.text).consume()
        return [s.name for s in schema_statements()]

    def counts(self) -> dict[str, int]:
        def work(tx):
            rec = tx.run(query("store_counts")).single()
            return {"nodes": rec["nodes"], "relationships": rec["relationships"]}

        return self._read(work)

    def wipe(self) -> None:
        """Delete all network data (proeftuinen, actors, ties, meetings); keys stay."""
        with self._session() as session:
            session.run(query("store_wipe")).consume()

    # -- proeftuinen -------------------------------------------------------------

    def save_proeftuin(self, key: str, name: str, municipality: str = "",
                       fictional: bool = False) -> int:
        """Create or update a proeftuin; returns its version."""
        def work(tx):
            rec = tx.run(query("proeftuin_merge"), key=key, name=name,
                         municipality=municipality, fictional=fictional).single()
            return rec["version"]

        return self._write(work)

    def list_proeftuinen(self) -> list[Proeftuin]:
        def work(tx):
            return [
                Proeftuin(r["key"], r["name"], r["municipality"] or "", r["fictional"],
                          r["version"], {k: n for k, n in r["kinds"]}, r["meetings"])
                for r in tx.run(query("proeftuin_list"))
            ]

        return self._read(work)

    def get_proeftuin(self, key: str) -> Proeftuin:
        for p in self.list_proeftuinen():
            if p.key == key:
                return p
        raise NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")

    def versions(self, keys: Iterable[str] | None = None) -> dict[str, int]:
        """Versions of the given proeftuinen (all when None)."""
        wanted = None if keys is None else sorted(set(keys))

        def work(tx):
            return {r["key"]: r["version"] for r in tx.run(query("proeftuin_versions"),
                                                           keys=wanted)}

        return self._read(work)

    def delete_proeftuin(self, key: str) -> None:
        def work(tx):
            return tx.run(query("proeftuin_delete"), key=key).single()["deleted"]

        if not self._write(work):
            raise NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")

    # -- actors ------------------------------------------------------------------

    def get_actor(self, proeftuin: str, key: str) -> Actor:
        def work(tx):
            return tx.run(query("actor_get"), proeftuin=proeftuin, key=key).single()

        rec = self._read(work)
        if rec is None:
            raise NotFound(f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                           f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.")
        return _actor_from(rec["key"], rec["props"], rec["proeftuinen"])

    def list_actors(self, proeftuin: str, kind: str | None = None, skip: int = 0,
                    limit: int = 100) -> tuple[list[Actor], int]:
        """One page of a proeftuin's actors and the total count."""
        def work(tx):
            total = tx.run(query("actor_count"), proeftuin=proeftuin, kind=kind).single()["n"]
            rows = tx.run(query("actor_list"), proeftuin=proeftuin, kind=kind, skip=skip,
                          limit=limit)
            return [_actor_from(r["key"], r["props"], r["proeftuinen"]) for r in rows], total

        return self._read(work)

    def create_actor(self, proeftuin: str, actor: Actor) -> int:
        """Add a new actor to ``proeftuin``; Conflict when its key is taken there.

        The same key with the same kind and name in *another* proeftuin adds that
        actor to this one (DESIGN.md §4); with another kind or name it is a Conflict.
        Returns the proeftuin's new version.
        """
        def work(tx):
            self._require_proeftuinen(tx, [proeftuin])
            existing = tx.run(query("actor_find"), keys=[actor.key]).single()
            if existing is not None:
                if proeftuin in existing["proeftuinen"]:
                    raise Conflict(
                        f"Actor '{actor.key}' bestaat al in proeftuin '{proeftuin}'.",
                        f"Actor '{actor.key}' already exists in proeftuin '{proeftuin}'.",
                        field="key",
                    )
                self._check_same_actor(actor, existing, row=None)
                merged = _actor_from(actor.key, existing["props"],
                                     [*existing["proeftuinen"], proeftuin])
            else:
                merged = Actor(actor.key, actor.kind, actor.name, (proeftuin,),
                               dict(actor.attributes))
            self._upsert_actors(tx, [merged])
            return self._bump(tx, [proeftuin, *merged.proeftuinen])[proeftuin]

        return self._write(work)

    def update_actor(self, proeftuin: str, key: str, kind: str, name: str,
                     attributes: dict[str, AttrValue]) -> int:
        """Replace an actor's kind, name and attributes; returns the proeftuin's version."""
        def work(tx):
            rec = tx.run(query("actor_get"), proeftuin=proeftuin, key=key).single()
            if rec is None:
                raise NotFound(f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                               f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.")
            actor = Actor(key, kind, name, tuple(rec["proeftuinen"]), dict(attributes))
            self._upsert_actors(tx, [actor])
            return self._bump(tx, actor.proeftuinen)[proeftuin]

        return self._write(work)

    def remove_actor(self, proeftuin: str, key: str) -> int:
        """Take an actor out of a proeftuin (deleted when in no other); returns the version."""
        def work(tx):
            touched = tx.run(query("actor_proeftuinen"), keys=[key]).single()["keys"]
            rec = tx.run(query("actor_remove"), proeftuin=proeftuin, key=key).single()
            if rec is None:
                raise NotFound(f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                               f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.")
            return self._bump(tx, touched)[proeftuin]

        return self._write(work)

    # -- ties --------------------------------------------------------------------

    def list_ties(self, proeftuin: str, types: Iterable[str] | None = None, skip: int = 0,
                  limit: int = 100) -> list[Tie]:
        rels = [vocab.tie_type(t).rel for t in (types or vocab.TIE_TYPE_KEYS)]

        def work(tx):
            rows = tx.run(query("tie_list"), proeftuin=proeftuin, rels=rels, skip=skip,
                          limit=limit)
            return [_tie_from(r["source"], r["target"], r["rel"], r["props"]) for r in rows]

        return self._read(work)

    def save_tie(self, tie: Tie) -> dict[str, int]:
        """Create or update one tie (identity: source, target, type, since)."""
        tie = tie.normalised()

        def work(tx):
            found = tx.run(query("actor_find"), keys=[tie.source, tie.target]).data()
            missing = {tie.source, tie.target} - {r["key"] for r in found}
            if missing:
                raise NotFound(f"Onbekende actor(en): {', '.join(sorted(missing))}.",
                               f"Unknown actor(s): {', '.join(sorted(missing))}.")
            self._upsert_ties(tx, [tie])
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work)

    def delete_tie(self, source: str, target: str, type_: str, since: dt.date) -> dict[str, int]:
        tie = Tie(source, target, type_, since).normalised()

        def work(tx):
            deleted = tx.run(query("tie_delete"), source=tie.source, target=tie.target,
                             rel=vocab.tie_type(tie.type).rel, since=tie.since).single()["deleted"]
            if not deleted:
                raise NotFound("Deze relatie bestaat niet.", "This tie does not exist.")
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work)

    # -- import ------------------------------------------------------------------

    def import_dataset(self, dataset: Dataset, proeftuin: str | None = None,
                       dry_run: bool = False, batch_size: int = 5000,
                       progress: Callable[[int, int], None] | None = None) -> ImportSummary:
        """Write a validated dataset in ONE transaction: every row lands or none does.

        Conflicts with the store (a key that belongs to a different actor of
        another proeftuin, an unknown proeftuin, a tie to an actor that exists
        nowhere) reject the whole import with every problem listed.  Nothing is
        written, and no version bumped, when nothing would change.
        """
        ds = dataset.sorted()

        def work(tx):
            summary = self._plan_import(tx, ds, proeftuin)
            summary.dry_run = dry_run
            if dry_run or not summary.changed:
                return summary
            self._write_dataset(tx, ds, batch_size, progress)
            touched = {proeftuin} if proeftuin else set()
            touched |= {p for a in ds.actors for p in a.proeftuinen}
            touched |= {m.proeftuin for m in ds.meetings}
            endpoints = sorted({k for t in ds.ties for k in (t.source, t.target)})
            touched |= set(tx.run(query("actor_proeftuinen"), keys=endpoints).single()["keys"])
            summary.versions = self._bump(tx, touched)
            return summary

        return self._write(work)

    def _plan_import(self, tx, ds: Dataset, proeftuin: str | None) -> ImportSummary:
        problems: list[dict[str, Any]] = []
        wanted_proeftuinen = {p for a in ds.actors for p in a.proeftuinen}
        wanted_proeftuinen |= {m.proeftuin for m in ds.meetings}
        if proeftuin:
            wanted_proeftuinen.add(proeftuin)
        problems += self._missing_proeftuinen(tx, wanted_proeftuinen)

        summary = ImportSummary()
        existing = {r["key"]: r for r in tx.run(query("actor_find"),
                                                   keys=[a.key for a in ds.actors])}
        created = updated = unchanged = 0
        for row, actor in enumerate(ds.actors, start=2):
            old = existing.get(actor.key)
            if old is None:
                created += 1
                continue
            if not set(old["proeftuinen"]) & set(actor.proeftuinen):
                problems += self._check_same_actor(actor, old, row=row, collect=True)
            stored = {k: _native(v) for k, v in old["props"].items()}
            if stored == _actor_props(actor) and set(actor.proeftuinen) <= set(old["proeftuinen"]):
                unchanged += 1
            else:
                updated += 1
        summary.created["actors"], summary.updated["actors"] = created, updated
        summary.unchanged["actors"] = unchanged

        in_file = {a.key for a in ds.actors}
        outside = sorted({k for t in ds.ties for k in (t.source, t.target)} - in_file
                         | {a.actor for a in ds.attendance} - in_file)
        if outside:
            found = {r["key"] for r in tx.run(query("actor_find"), keys=outside)}
            for key in outside:
                if key not in found:
                    problems.append(_problem(
                        "ties", None, "source/target", "unknown_actor", key,
                        f"Actor '{key}' staat niet in het bestand en ook niet in de database.",
                        f"Actor '{key}' is neither in the file nor in the database."))

        rows = [{"idx": i, "source": t.source, "target": t.target,
                 "rel": vocab.tie_type(t.type).rel, "since": t.since}
                for i, t in enumerate(ds.ties)]
        old_ties = {r["idx"]: r["props"] for r in tx.run(query("tie_find"), rows=rows)}
        summary.created["ties"] = len(ds.ties) - len(old_ties)
        same = sum(1 for i, props in old_ties.items() if _same(props, _tie_props(ds.ties[i])))
        summary.unchanged["ties"] = same
        summary.updated["ties"] = len(old_ties) - same

        old_meetings = {r["key"]: r for r in tx.run(query("meeting_find"),
                                                     keys=[m.key for m in ds.meetings])}
        m_same = sum(1 for m in ds.meetings if m.key in old_meetings
                     and old_meetings[m.key]["proeftuin"] == m.proeftuin
                     and _same(old_meetings[m.key]["props"], _meeting_props(m)))
        summary.created["meetings"] = len(ds.meetings) - len(old_meetings)
        summary.unchanged["meetings"] = m_same
        summary.updated["meetings"] = len(old_meetings) - m_same
        known_meetings = set(old_meetings) | {m.key for m in ds.meetings}
        missing_meetings = sorted({a.meeting for a in ds.attendance} - {m.key for m in ds.meetings})
        if missing_meetings:
            found = {r["key"] for r in tx.run(query("meeting_find"), keys=missing_meetings)}
            known_meetings |= found
            for key in missing_meetings:
                if key not in found:
                    problems.append(_problem(
                        "attendance", None, "meeting", "unknown_meeting", key,
                        f"Bijeenkomst '{key}' staat niet in het bestand en ook niet in de database.",
                        f"Meeting '{key}' is neither in the file nor in the database."))
        att_rows = [{"meeting": a.meeting, "actor": a.actor} for a in ds.attendance]
        att_old = len(tx.run(query("attendance_find"), rows=att_rows).data())
        summary.created["attendance"] = len(att_rows) - att_old
        summary.unchanged["attendance"] = att_old
        summary.updated["attendance"] = 0
        if problems:
            raise ImportRejected(
                f"De import is geweigerd: {len(problems)} probleem/problemen met de database.",
                f"The import was rejected: {len(problems)} problem(s) with the database.",
                problems=problems,
            )
        return summary

    def _write_dataset(self, tx, ds: Dataset, batch_size: int,
                       progress: Callable[[int, int], None] | None) -> None:
        total = len(ds.actors) + len(ds.ties) + len(ds.meetings) + len(ds.attendance)
        done = 0
        steps = (
            (ds.actors, self._upsert_actors),
            (ds.ties, self._upsert_ties),
            (ds.meetings, self._upsert_meetings),
            (ds.attendance, self._merge_attendance),
        )
        for items, write in steps:
            for start in range(0, len(items), batch_size):
                chunk = items[start:start + batch_size]
                write(tx, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)

    @staticmethod
    def _upsert_actors(tx, actors: list[Actor]) -> None:
        rows = [{"key": a.key, "props": _actor_props(a), "label": vocab.kind(a.kind).label,
                 "proeftuinen": list(a.proeftuinen)} for a in actors]
        tx.run(query("actor_upsert"), rows=rows, kind_labels=_KIND_LABELS).consume()

    @staticmethod
    def _upsert_ties(tx, ties: list[Tie]) -> None:
        rows = [{"source": t.source, "target": t.target, "rel": vocab.tie_type(t.type).rel,
                 "since": t.since, "props": _tie_props(t)} for t in ties]
        tx.run(query("tie_upsert"), rows=rows).consume()

    @staticmethod
    def _upsert_meetings(tx, meetings: list[Meeting]) -> None:
        rows = [{"key": m.key, "proeftuin": m.proeftuin, "props": _meeting_props(m)}
                for m in meetings]
        tx.run(query("meeting_upsert"), rows=rows).consume()

    @staticmethod
    def _merge_attendance(tx, attendance: list[Attendance]) -> None:
        rows = [{"meeting": a.meeting, "actor": a.actor} for a in attendance]
        tx.run(query("attendance_merge"), rows=rows).consume()

    @staticmethod
    def _missing_proeftuinen(tx, keys: Iterable[str]) -> list[dict[str, Any]]:
        keys = sorted(set(keys))
        found = {r["key"] for r in tx.run(query("proeftuin_versions"), keys=keys)}
        return [
            _problem("actors", None, "proeftuin", "unknown_proeftuin", k,
                     f"Proeftuin '{k}' bestaat niet; maak hem eerst aan.",
                     f"Proeftuin '{k}' does not exist; create it first.")
            for k in keys if k not in found
        ]

    def _require_proeftuinen(self, tx, keys: Iterable[str]) -> None:
        missing = self._missing_proeftuinen(tx, keys)
        if missing:
            raise NotFound(missing[0]["message_nl"], missing[0]["message_en"])

    @staticmethod
    def _check_same_actor(actor: Actor, existing, row: int | None,
                          collect: bool = False) -> list[dict[str, Any]]:
        """A key of another proeftuin must name the same actor (kind and name)."""
        props = existing["props"]
        if props.get("kind") == actor.kind and props.get("name") == actor.name:
            return []
        others = ", ".join(sorted(existing["proeftuinen"]))
        nl = (f"Sleutel '{actor.key}' hoort al bij een andere actor ({props.get('kind')}) in "
              f"proeftuin {others}: twee nummeringen lopen door elkaar.")
        en = (f"Key '{actor.key}' already belongs to a different actor ({props.get('kind')}) in "
              f"proeftuin {others}: two numbering schemes clash.")
        if collect:
            return [_problem("actors", row, "key", "key_clash", actor.key, nl, en)]
        raise Conflict(nl, en, field="key")

    # -- API keys ----------------------------------------------------------------

    def create_api_key(self, id_: str, hash_: str, name: str, role: str) -> None:
        """Store a key by its hash (graphsvc.auth makes the key and the hash)."""
        self._write(lambda tx: tx.run(query("apikey_create"), id=id_, hash=hash_, name=name,
                                      role=role).consume())

    def find_api_key(self, hash_: str) -> dict[str, str] | None:
        """The live key with this hash as {id, name, role}, else None."""
        def work(tx):
            rec = tx.run(query("apikey_find"), hash=hash_).single()
            return None if rec is None else dict(rec)

        return self._read(work)

    def list_api_keys(self) -> list[dict[str, Any]]:
        return self._read(lambda tx: tx.run(query("apikey_list")).data())

    def revoke_api_key(self, id_: str) -> bool:
        return bool(self._write(
            lambda tx: tx.run(query("apikey_revoke"), id=id_).single()["revoked"]))

    # -- reading networks and exports ---------------------------------------------

    def read_network(self, proeftuinen: Iterable[str] | None = None) -> NetworkRows:
        """Actors, ties, meetings and attendance of some proeftuinen (all when None).

        Ties are those between two actors of the selection (the induced subgraph).
        Read in one transaction, so the versions match the data.
        """
        keys = None if proeftuinen is None else sorted(set(proeftuinen))

        def work(tx):
            versions = {r["key"]: r["version"]
                        for r in tx.run(query("proeftuin_versions"), keys=keys)}
            if keys is not None:
                missing = [k for k in keys if k not in versions]
                if missing:
                    raise NotFound(f"Proeftuin '{missing[0]}' bestaat niet.",
                                   f"Proeftuin '{missing[0]}' does not exist.")
            actors = [_actor_from(r["key"], r["props"], r["proeftuinen"])
                      for r in tx.run(query("network_actors"), keys=keys)]
            actor_keys = [a.key for a in actors]
            ties = [_tie_from(r["source"], r["target"], r["rel"], r["props"])
                    for r in tx.run(query("network_ties"), keys=actor_keys)]
            meetings, attendance = [], []
            for r in tx.run(query("network_meetings"), keys=keys):
                meetings.append(_meeting_from(r["props"], r["proeftuin"]))
                attendance += [Attendance(r["key"], a) for a in r["attendees"]]
            return NetworkRows(actors, ties, meetings, attendance, versions)

        return self._read(work)

    def export_dataset(self, proeftuinen: Iterable[str] | None = None) -> Dataset:
        rows = self.read_network(proeftuinen)
        return Dataset(rows.actors, rows.ties, rows.meetings, rows.attendance).sorted()


def _problem(file: str, row: int | None, column: str, code: str, value: Any,
             message_nl: str, message_en: str) -> dict[str, Any]:
    return {"file": file, "row": row, "column": column, "code": code, "value": value,
            "message_nl": message_nl, "message_en": message_en}


def connect(settings: dict[str, Any]) -> Repository:
    """A repository for the configured database (no network traffic until first use)."""
    return Repository(settings["NEO4J_URI"], settings["NEO4J_USER"], settings["NEO4J_PASSWORD"],
                      settings["NEO4J_DATABASE"], float(settings["NEO4J_TIMEOUT"]))
