"""The store: the only module that imports ``neo4j``.

One driver per process; one session per unit of work; small transaction
functions that consume their results and are safe to retry, run by
:meth:`Repository._transact` (see "Failures and retries" below).  Every write
bumps the version of each proeftuin it touches *in the same transaction*, so a
failed write bumps nothing.  Queries come from ``cypher/`` by name; request values enter only as
parameters; labels and relationship types only from the vocabulary.

Values leave this module as plain Python (``datetime.date``, dicts, the
dataclasses of :mod:`graphsvc.dataset`), never as driver objects.

Failures and retries
--------------------
The driver's managed transactions (``execute_read`` / ``execute_write``) retry
every retryable error with one budget and a back-off that starts at 1 s, so
against a stopped Neo4j each unit of work took about 3 s and a request of three
units about 10 s.  A service should say "unavailable" at once and yet ride out
the deadlocks of concurrent writers, so :meth:`Repository._transact` runs the
same transaction functions in explicit transactions with its own policy (the
custom retry policy the driver documents for ``is_retryable()``):

- a transient error (a deadlock between concurrent writers, a lock timeout) is
  retried with a short jittered back-off for up to ``retry_time`` seconds, then
  answered as :class:`~graphsvc.errors.StoreUnavailable` ("busy", 503);
- a lost or refused connection is retried once at once (a pooled connection
  that a restarted server closed fails immediately and a fresh one works), then
  answered as StoreUnavailable (503 with ``Retry-After``); for
  :data:`FAIL_FAST_SECONDS` after that, further units of work fail without
  trying, so a request that needs the store several times (key check, version,
  data) still answers within about one connection timeout;
- a commit whose outcome is unknown (the connection died during COMMIT) is
  never retried: StoreUnavailable says the change may or may not have been saved;
- a unique constraint broken by a concurrent writer (both saw "absent", the
  second commit lost) is a :class:`~graphsvc.errors.Conflict` (409): try again;
- anything else is a bug and leaves as a 500 (logged, with a generic body).

Concurrent writers
------------------
Neo4j reads committed data, so a write that checks before it writes ("this key
is free", "this actor exists", an import's plan) could act on a check that a
concurrent writer has just made stale: two "created" answers for one key, an
update that brings a deleted actor back.  ``_write(work, lock=keys)`` therefore
takes the write locks of the proeftuinen it writes to first (in key order);
writers of one proeftuin then run one after the other, while reads and writers
of other proeftuinen go on.  Deadlocks that remain (a write that also bumps a
proeftuin it did not lock first) are transient errors, retried as above.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Attendance, AttrValue, Dataset, Meeting, Tie
from graphsvc.errors import (
    Conflict,
    GraphsvcError,
    ImportRejected,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    StoreUnavailable,
)
from graphsvc.store.queries import query, schema_statements

_T = TypeVar("_T")
#: A conditional write's check (If-Match): called in the write transaction with the resource
#: as stored; False makes the write a PreconditionFailed that changes nothing. None: no check.
Expected = Callable[[_T], bool] | None

__all__ = [
    "Repository",
    "Proeftuin",
    "ProeftuinInfo",
    "ImportSummary",
    "NetworkRows",
    "ping",
    "connect",
]

_ACTOR_FIELDS = ("key", "kind", "name")
_TIE_FIELDS = ("since", "until", "weight", "provenance")
_MEETING_FIELDS = ("key", "date", "title")
_KIND_LABELS = [k.label for k in vocab.KINDS.values()]

log = logging.getLogger("graphsvc.store")

#: Seconds a unit of work is retried while Neo4j answers with a transient error.
TRANSIENT_RETRY_TIME = 15.0
#: After Neo4j was found unreachable, units of work fail at once for this long.
FAIL_FAST_SECONDS = 1.0
#: The seconds a 503 asks a client to wait (``Retry-After``).
RETRY_AFTER = 5

# Errors that mean "Neo4j cannot be used right now" rather than "this query is wrong".
_UNAVAILABLE = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    neo4j_errors.ConnectionPoolError,
    neo4j_errors.DatabaseUnavailable,
    neo4j_errors.AuthError,
    OSError,
)
# Of those, the ones that mean "the server is gone" (not "busy", not "misconfigured").
_LOST = (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError)


def _native(value: Any) -> Any:
    """Driver temporal values to the standard library; everything else as is."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _unavailable(exc: Exception | None) -> StoreUnavailable:
    """The 503 for a driver error (None: Neo4j was found unreachable a moment ago)."""
    if exc is not None:
        # The cause goes to the log only (for whoever runs the service: a wrong password, a
        # refused port); the answer is the same for every client.
        log.warning("Neo4j unavailable: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, neo4j_errors.IncompleteCommit):
        return StoreUnavailable(
            "De verbinding met de database viel weg tijdens het opslaan: de wijziging is "
            "misschien wel, misschien niet bewaard. Kijk het na en probeer het zo nodig opnieuw.",
            "The connection to the database was lost while saving: the change may or may not "
            "have been stored. Check, and try again if needed.",
            retry_after=RETRY_AFTER,
            outcome="unknown",
        )
    if isinstance(exc, neo4j_errors.TransientError) and not isinstance(
        exc, neo4j_errors.DatabaseUnavailable
    ):
        return StoreUnavailable(
            "De database is druk (gelijktijdige wijzigingen); probeer het zo opnieuw.",
            "The database is busy (concurrent changes); please try again shortly.",
            retry_after=1,
        )
    return StoreUnavailable(
        "De database is tijdelijk niet bereikbaar; probeer het zo opnieuw.",
        "The database is temporarily unavailable; please try again shortly.",
        retry_after=RETRY_AFTER,
    )


def _concurrent_conflict(exc: Exception) -> Conflict:
    return Conflict(
        "Een gelijktijdige wijziging kwam er net tussen; probeer het opnieuw.",
        "A simultaneous change got in first; please try again.",
    )


def _backoff(attempt: int) -> float:
    """Seconds to wait before retry ``attempt`` (1, 2, ...) after a transient error.

    Short and jittered (50 ms doubling to at most 1 s, times 0.5-1.5): writers
    that deadlocked each other then come back at different moments.
    """
    return min(1.0, 0.05 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)


def ping(uri: str, user: str = "neo4j", password: str = "", timeout: float = 2.0) -> bool:
    """True when a Neo4j at ``uri`` answers ``RETURN 1`` within about ``timeout`` seconds."""
    auth = (user, password) if password else None
    try:
        with neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=0,
            notifications_min_severity="OFF",
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
        source,
        target,
        vocab.tie_type_for_rel(rel).key,
        _native(props["since"]),
        _native(props.get("until")),
        float(props.get("weight", 1.0)),
        props.get("provenance"),
        attrs,
    )


def _meeting_props(meeting: Meeting) -> dict[str, Any]:
    return {**meeting.attributes, "key": meeting.key, "date": meeting.date, "title": meeting.title}


def _meeting_from(props: dict[str, Any], proeftuin: str) -> Meeting:
    attrs = {k: _native(v) for k, v in props.items() if k not in _MEETING_FIELDS}
    return Meeting(props["key"], _native(props["date"]), props["title"], proeftuin, attrs)


def _same(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return {k: _native(v) for k, v in stored.items()} == wanted


# -- the repository ------------------------------------------------------------------


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
        """``timeout``: the most a unit of work waits for an unreachable Neo4j (seconds).

        A connection attempt may take half of it, so the one immediate retry
        fits too; waiting for a free pooled connection may take all of it.
        ``retry_time``: how long transient errors (deadlocks) are retried.
        """
        self.uri = uri
        self.database = database
        self.retry_time = retry_time
        self._unreachable_at = float("-inf")  # time.monotonic() of the last failure to connect
        auth = (user, password) if password else None
        self._driver = neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=timeout / 2,
            connection_acquisition_timeout=timeout,
            # Retries are ours (_transact); this only bounds the driver's execute_query.
            max_transaction_retry_time=0,
            notifications_min_severity="OFF",
        )

    def close(self) -> None:
        self._driver.close()

    # -- plumbing ------------------------------------------------------------

    @contextmanager
    def _session(self, access_mode: str = neo4j.WRITE_ACCESS) -> Iterator[neo4j.Session]:
        """A session whose driver errors leave as our errors (auto-commit work: no retry)."""
        self._fail_fast()
        try:
            with self._driver.session(
                database=self.database, default_access_mode=access_mode
            ) as session:
                yield session
        except GraphsvcError:
            raise
        except neo4j_errors.ConstraintError as exc:
            raise _concurrent_conflict(exc) from exc
        except _UNAVAILABLE as exc:
            if isinstance(exc, _LOST):
                self._unreachable_at = time.monotonic()
            raise _unavailable(exc) from exc
        except neo4j_errors.TransientError as exc:
            raise _unavailable(exc) from exc

    def _fail_fast(self) -> None:
        if time.monotonic() - self._unreachable_at < FAIL_FAST_SECONDS:
            raise _unavailable(None)

    def _transact(
        self, access_mode: str, work: Callable[[neo4j.Transaction], Any], fail_fast: bool = True
    ) -> Any:
        """Run ``work(tx)`` in one transaction, retried as the module docstring says."""
        if fail_fast:
            self._fail_fast()
        started = time.monotonic()
        attempt = 0
        reconnected = False
        while True:
            attempt += 1
            try:
                with self._driver.session(
                    database=self.database, default_access_mode=access_mode
                ) as session:
                    with session.begin_transaction() as tx:
                        result = work(tx)
                        tx.commit()
                        return result
            except GraphsvcError:
                raise
            except neo4j_errors.ConstraintError as exc:
                raise _concurrent_conflict(exc) from exc
            except _UNAVAILABLE as exc:
                lost = isinstance(exc, _LOST)
                if lost and not reconnected and getattr(exc, "is_retryable", bool)():
                    reconnected = True  # maybe a pooled connection of a restarted server
                    continue
                if lost:
                    self._unreachable_at = time.monotonic()
                raise _unavailable(exc) from exc
            except neo4j_errors.TransientError as exc:
                if not exc.is_retryable() or time.monotonic() - started > self.retry_time:
                    log.warning(
                        "transient error, giving up after %d attempts: %s", attempt, exc.code
                    )
                    raise _unavailable(exc) from exc
                time.sleep(_backoff(attempt))

    def _read(self, work: Callable[[neo4j.Transaction], Any]) -> Any:
        return self._transact(neo4j.READ_ACCESS, work)

    def _write(self, work: Callable[[neo4j.Transaction], Any], lock: Iterable[str] = ()) -> Any:
        """Run ``work`` in a write transaction that first locks the proeftuinen in ``lock``.

        Every write that checks something before it writes (a free key, an
        existing actor, an import's plan) names the proeftuinen it writes to, so
        that concurrent writers of a proeftuin are serialised and none of them
        acts on a check that another one made stale (a second "created" for one
        key, an update that brings a deleted actor back).
        """
        keys = sorted(set(lock))
        if not keys:
            return self._transact(neo4j.WRITE_ACCESS, work)

        def locked(tx):
            tx.run(query("proeftuin_lock"), keys=keys).consume()
            return work(tx)

        return self._transact(neo4j.WRITE_ACCESS, locked)

    @staticmethod
    def _bump(tx: neo4j.Transaction, keys: Iterable[str]) -> dict[str, int]:
        rows = tx.run(query("proeftuin_bump"), keys=sorted(set(keys)))
        return {r["key"]: r["version"] for r in rows}

    # -- health and schema -------------------------------------------------------

    def ping(self) -> bool:
        """True when Neo4j answers now (always asks: a readiness probe ends fail-fast)."""
        try:
            ok = self._transact(
                neo4j.READ_ACCESS,
                lambda tx: tx.run(query("ping")).single()["ok"] == 1,
                fail_fast=False,
            )
        except StoreUnavailable:
            return False
        self._unreachable_at = float("-inf")
        return ok

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

    def save_proeftuin(
        self, key: str, name: str, municipality: str = "", fictional: bool = False
    ) -> int:
        """Create or update a proeftuin; returns its version."""

        def work(tx):
            rec = tx.run(
                query("proeftuin_merge"),
                key=key,
                name=name,
                municipality=municipality,
                fictional=fictional,
            ).single()
            return rec["version"]

        return self._write(work, lock=[key])

    def list_proeftuinen(self) -> list[Proeftuin]:
        def work(tx):
            return [
                Proeftuin(
                    r["key"],
                    r["name"],
                    r["municipality"] or "",
                    r["fictional"],
                    r["version"],
                    {k: n for k, n in r["kinds"]},
                    r["meetings"],
                )
                for r in tx.run(query("proeftuin_list"))
            ]

        return self._read(work)

    def get_proeftuin(self, key: str) -> Proeftuin:
        for p in self.list_proeftuinen():
            if p.key == key:
                return p
        raise NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")

    def versions(self, keys: Iterable[str] | None = None) -> dict[str, int]:
        """Versions of the given proeftuinen (all when None).

        Asked before every cached read, so it runs as one auto-commit query (one
        round trip instead of begin, run and commit); a single read needs no
        transaction around it, and a lost connection still becomes a 503.
        """
        wanted = None if keys is None else sorted(set(keys))
        with self._session(neo4j.READ_ACCESS) as session:
            rows = session.run(query("proeftuin_versions"), keys=wanted)
            return {r["key"]: r["version"] for r in rows}

    def delete_proeftuin(self, key: str, expected: Expected[int] = None) -> None:
        """Delete a proeftuin; ``expected`` (If-Match) is checked against its version."""

        def work(tx):
            if expected is not None:
                self._proeftuin_for_write(tx, key, expected)
            return tx.run(query("proeftuin_delete"), key=key).single()["deleted"]

        if not self._write(work, lock=[key]):
            raise NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")

    # -- actors ------------------------------------------------------------------

    def get_actor(self, proeftuin: str, key: str) -> Actor:
        def work(tx):
            return tx.run(query("actor_get"), proeftuin=proeftuin, key=key).single()

        rec = self._read(work)
        if rec is None:
            raise NotFound(
                f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.",
            )
        return _actor_from(rec["key"], rec["props"], rec["proeftuinen"])

    def list_actors(
        self, proeftuin: str, kind: str | None = None, skip: int = 0, limit: int = 100
    ) -> tuple[list[Actor], int]:
        """One page of a proeftuin's actors and the total count."""

        def work(tx):
            total = tx.run(query("actor_count"), proeftuin=proeftuin, kind=kind).single()["n"]
            rows = tx.run(
                query("actor_list"), proeftuin=proeftuin, kind=kind, skip=skip, limit=limit
            )
            return [_actor_from(r["key"], r["props"], r["proeftuinen"]) for r in rows], total

        return self._read(work)

    def create_actor(self, proeftuin: str, actor: Actor) -> int:
        """Add a new actor to ``proeftuin``; Conflict when its key is taken there.

        The same key with the same kind and name in *another* proeftuin adds that
        actor to this one (docs/architecture.md §4); with another kind or name it is a Conflict.
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
                merged = _actor_from(
                    actor.key, existing["props"], [*existing["proeftuinen"], proeftuin]
                )
            else:
                merged = Actor(
                    actor.key, actor.kind, actor.name, (proeftuin,), dict(actor.attributes)
                )
            self._upsert_actors(tx, [merged])
            return self._bump(tx, [proeftuin, *merged.proeftuinen])[proeftuin]

        return self._write(work, lock=[proeftuin])

    def update_actor(
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
        checked in the write transaction with the actor locked.
        """

        def work(tx):
            rec = self._actor_for_write(tx, proeftuin, key, expected)
            actor = Actor(key, kind, name, tuple(rec["proeftuinen"]), dict(attributes))
            self._upsert_actors(tx, [actor])
            return self._bump(tx, actor.proeftuinen)[proeftuin]

        return self._write(work, lock=[proeftuin])

    def remove_actor(self, proeftuin: str, key: str, expected: Expected[Actor] = None) -> int:
        """Take an actor out of a proeftuin (deleted when in no other); returns the version.

        ``expected`` as for :meth:`update_actor`.
        """

        def work(tx):
            if expected is not None:
                self._actor_for_write(tx, proeftuin, key, expected)
            touched = tx.run(query("actor_proeftuinen"), keys=[key]).single()["keys"]
            rec = tx.run(query("actor_remove"), proeftuin=proeftuin, key=key).single()
            if rec is None:
                raise NotFound(
                    f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                    f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.",
                )
            return self._bump(tx, touched)[proeftuin]

        return self._write(work, lock=[proeftuin])

    def _actor_for_write(
        self, tx: neo4j.Transaction, proeftuin: str, key: str, expected: Expected[Actor]
    ) -> Any:
        """The actor's record for a write: NotFound, or PreconditionFailed when ``expected``
        rejects it (the actor is locked first, so the check holds until commit)."""
        if expected is not None:
            tx.run(query("actor_lock"), key=key).consume()
        rec = tx.run(query("actor_get"), proeftuin=proeftuin, key=key).single()
        if rec is None:
            raise NotFound(
                f"Actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                f"Actor '{key}' does not exist in proeftuin '{proeftuin}'.",
            )
        if expected is not None and not expected(
            _actor_from(rec["key"], rec["props"], rec["proeftuinen"])
        ):
            raise _changed(f"Actor '{key}'")
        return rec

    # -- ties --------------------------------------------------------------------

    def list_ties(
        self, proeftuin: str, types: Iterable[str] | None = None, skip: int = 0, limit: int = 100
    ) -> list[Tie]:
        rels = [vocab.tie_type(t).rel for t in (types or vocab.TIE_TYPE_KEYS)]

        def work(tx):
            rows = tx.run(query("tie_list"), proeftuin=proeftuin, rels=rels, skip=skip, limit=limit)
            return [_tie_from(r["source"], r["target"], r["rel"], r["props"]) for r in rows]

        return self._read(work)

    def save_tie(self, tie: Tie) -> dict[str, int]:
        """Create or update one tie (identity: source, target, type, since)."""
        tie = tie.normalised()

        def work(tx):
            found = tx.run(query("actor_find"), keys=[tie.source, tie.target]).data()
            missing = {tie.source, tie.target} - {r["key"] for r in found}
            if missing:
                raise NotFound(
                    f"Onbekende actor(en): {', '.join(sorted(missing))}.",
                    f"Unknown actor(s): {', '.join(sorted(missing))}.",
                )
            self._upsert_ties(tx, [tie])
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work)

    def delete_tie(self, source: str, target: str, type_: str, since: dt.date) -> dict[str, int]:
        tie = Tie(source, target, type_, since).normalised()

        def work(tx):
            deleted = tx.run(
                query("tie_delete"),
                source=tie.source,
                target=tie.target,
                rel=vocab.tie_type(tie.type).rel,
                since=tie.since,
            ).single()["deleted"]
            if not deleted:
                raise NotFound("Deze relatie bestaat niet.", "This tie does not exist.")
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work)

    # -- import ------------------------------------------------------------------

    def import_dataset(
        self,
        dataset: Dataset,
        proeftuin: str | None = None,
        dry_run: bool = False,
        batch_size: int = 5000,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportSummary:
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
            summary.versions = self._apply_import(tx, ds, proeftuin, batch_size, progress)
            return summary

        return self._write(work, lock=_import_locks(ds, proeftuin))

    def _apply_import(
        self,
        tx,
        ds: Dataset,
        proeftuin: str | None,
        batch_size: int,
        progress: Callable[[int, int], None] | None,
    ) -> dict[str, int]:
        """Write a planned import and bump every proeftuin it touches; returns their versions."""
        self._write_dataset(tx, ds, batch_size, progress)
        touched = {proeftuin} if proeftuin else set()
        touched |= {p for a in ds.actors for p in a.proeftuinen}
        touched |= {m.proeftuin for m in ds.meetings}
        endpoints = sorted({k for t in ds.ties for k in (t.source, t.target)})
        touched |= set(tx.run(query("actor_proeftuinen"), keys=endpoints).single()["keys"])
        return self._bump(tx, touched)

    def _plan_import(self, tx, ds: Dataset, proeftuin: str | None) -> ImportSummary:
        problems: list[dict[str, Any]] = []
        wanted_proeftuinen = {p for a in ds.actors for p in a.proeftuinen}
        wanted_proeftuinen |= {m.proeftuin for m in ds.meetings}
        if proeftuin:
            wanted_proeftuinen.add(proeftuin)
        problems += self._missing_proeftuinen(tx, wanted_proeftuinen)

        summary = ImportSummary()
        existing = {
            r["key"]: r for r in tx.run(query("actor_find"), keys=[a.key for a in ds.actors])
        }
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
        outside = sorted(
            {k for t in ds.ties for k in (t.source, t.target)} - in_file
            | {a.actor for a in ds.attendance} - in_file
        )
        found: set[str] = set()
        if outside:
            found = {r["key"] for r in tx.run(query("actor_find"), keys=outside)}
            for key in outside:
                if key not in found:
                    problems.append(
                        _problem(
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
        stored = set(existing) | found
        rows = [
            {
                "idx": i,
                "source": t.source,
                "target": t.target,
                "rel": vocab.tie_type(t.type).rel,
                "since": t.since,
            }
            for i, t in enumerate(ds.ties)
            if t.source in stored and t.target in stored
        ]
        old_ties = {r["idx"]: r["props"] for r in tx.run(query("tie_find"), rows=rows)}
        summary.created["ties"] = len(ds.ties) - len(old_ties)
        same = sum(1 for i, props in old_ties.items() if _same(props, _tie_props(ds.ties[i])))
        summary.unchanged["ties"] = same
        summary.updated["ties"] = len(old_ties) - same

        old_meetings = {
            r["key"]: r for r in tx.run(query("meeting_find"), keys=[m.key for m in ds.meetings])
        }
        m_same = sum(
            1
            for m in ds.meetings
            if m.key in old_meetings
            and old_meetings[m.key]["proeftuin"] == m.proeftuin
            and _same(old_meetings[m.key]["props"], _meeting_props(m))
        )
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
                    problems.append(
                        _problem(
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

    def _write_dataset(
        self, tx, ds: Dataset, batch_size: int, progress: Callable[[int, int], None] | None
    ) -> None:
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
                chunk = items[start : start + batch_size]
                write(tx, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)

    @staticmethod
    def _upsert_actors(tx, actors: list[Actor]) -> None:
        rows = [
            {
                "key": a.key,
                "props": _actor_props(a),
                "label": vocab.kind(a.kind).label,
                "proeftuinen": list(a.proeftuinen),
            }
            for a in actors
        ]
        tx.run(query("actor_upsert"), rows=rows, kind_labels=_KIND_LABELS).consume()

    @staticmethod
    def _upsert_ties(tx, ties: list[Tie]) -> None:
        rows = [
            {
                "source": t.source,
                "target": t.target,
                "rel": vocab.tie_type(t.type).rel,
                "since": t.since,
                "props": _tie_props(t),
            }
            for t in ties
        ]
        written = tx.run(query("tie_upsert"), rows=rows).single()["ties"]
        if written != len(rows):  # a type without its branch in tie_upsert.cypher, say
            raise GraphsvcError(
                "Niet elke relatie kon worden geschreven; er is niets veranderd.",
                f"Only {written} of {len(rows)} ties could be written; nothing was changed.",
            )

    @staticmethod
    def _upsert_meetings(tx, meetings: list[Meeting]) -> None:
        rows = [
            {"key": m.key, "proeftuin": m.proeftuin, "props": _meeting_props(m)} for m in meetings
        ]
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
            _problem(
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

    def _require_proeftuinen(self, tx, keys: Iterable[str]) -> None:
        missing = self._missing_proeftuinen(tx, keys)
        if missing:
            raise NotFound(missing[0]["message_nl"], missing[0]["message_en"])

    @staticmethod
    def _check_same_actor(
        actor: Actor, existing, row: int | None, collect: bool = False
    ) -> list[dict[str, Any]]:
        """A key of another proeftuin must name the same actor (kind and name)."""
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
            return [_problem("actors", row, "key", "key_clash", actor.key, nl, en)]
        raise Conflict(nl, en, field="key")

    # -- API keys ----------------------------------------------------------------

    def create_api_key(self, id_: str, hash_: str, name: str, role: str) -> None:
        """Store a key by its hash (graphsvc.web.auth makes the key and the hash)."""
        self._write(
            lambda tx: tx.run(
                query("apikey_create"), id=id_, hash=hash_, name=name, role=role
            ).consume()
        )

    def find_api_key(self, hash_: str) -> dict[str, str] | None:
        """The live key with this hash as {id, name, role}, else None.

        Checked on every request with a bearer key: one auto-commit query, like
        :meth:`versions`.
        """
        with self._session(neo4j.READ_ACCESS) as session:
            rec = session.run(query("apikey_find"), hash=hash_).single()
            return None if rec is None else dict(rec)

    def get_api_key(self, id_: str) -> dict[str, Any] | None:
        """The key with this id as {id, name, role, hash, revoked} (revoked too), else None."""

        def work(tx):
            rec = tx.run(query("apikey_get"), id=id_).single()
            return None if rec is None else dict(rec)

        return self._read(work)

    def list_api_keys(self) -> list[dict[str, Any]]:
        return self._read(lambda tx: tx.run(query("apikey_list")).data())

    def revoke_api_key(self, id_: str) -> bool:
        return bool(
            self._write(lambda tx: tx.run(query("apikey_revoke"), id=id_).single()["revoked"])
        )

    # -- reading networks and exports ---------------------------------------------

    def read_network(self, proeftuinen: Iterable[str] | None = None) -> NetworkRows:
        """Actors, ties, meetings and attendance of some proeftuinen (all when None).

        Ties are those between two actors of the selection (the induced subgraph).
        Read in one transaction, so the versions match the data.
        """
        keys = None if proeftuinen is None else sorted(set(proeftuinen))

        def work(tx):
            versions = {
                r["key"]: r["version"] for r in tx.run(query("proeftuin_versions"), keys=keys)
            }
            if keys is not None:
                missing = [k for k in keys if k not in versions]
                if missing:
                    raise NotFound(
                        f"Proeftuin '{missing[0]}' bestaat niet.",
                        f"Proeftuin '{missing[0]}' does not exist.",
                    )
            actors = [
                _actor_from(r["key"], r["props"], r["proeftuinen"])
                for r in tx.run(query("network_actors"), keys=keys)
            ]
            ties = [
                _tie_from(r["source"], r["target"], r["rel"], r["props"])
                for r in tx.run(query("network_ties"), keys=keys)
            ]
            meetings, attendance = [], []
            for r in tx.run(query("network_meetings"), keys=keys):
                meetings.append(_meeting_from(r["props"], r["proeftuin"]))
                attendance += [Attendance(r["key"], a) for a in r["attendees"]]
            return NetworkRows(actors, ties, meetings, attendance, versions)

        return self._read(work)

    def export_dataset(self, proeftuinen: Iterable[str] | None = None) -> Dataset:
        rows = self.read_network(proeftuinen)
        return Dataset(rows.actors, rows.ties, rows.meetings, rows.attendance).sorted()

    # -- data API: proeftuinen, ties, meetings, attendance, whole-store imports ----------
    #
    # Added for the HTTP data API.  Same rules as above: one managed
    # transaction per call, every write bumps the versions it touches in that
    # transaction, errors name the offending field (``field=``) for the API.

    def create_proeftuin(
        self, key: str, name: str, municipality: str = "", fictional: bool = False
    ) -> int:
        """Create a new proeftuin (version 1); Conflict naming ``key`` when it exists."""

        def exists() -> Conflict:
            return Conflict(
                f"Proeftuin '{key}' bestaat al.", f"Proeftuin '{key}' already exists.", field="key"
            )

        def work(tx):
            if tx.run(query("proeftuin_get"), key=key).single() is not None:
                raise exists()
            rec = tx.run(
                query("proeftuin_merge"),
                key=key,
                name=name,
                municipality=municipality,
                fictional=fictional,
            ).single()
            # There was no node to lock: a concurrent creator may have committed it between
            # the check and the MERGE (which then waited for it and matched it).  Only the
            # transaction that really created the node sees it new, at version 1.
            if not (rec["changed"] and rec["version"] == 1):
                raise exists()
            return rec["version"]

        return self._write(work, lock=[key])

    def update_proeftuin(
        self,
        key: str,
        name: str | None = None,
        municipality: str | None = None,
        expected: Expected[int] = None,
    ) -> int:
        """Change a proeftuin's name and/or municipality (None keeps it); returns its version.

        ``expected`` (If-Match): PreconditionFailed unless ``expected(version)``, checked
        in the write transaction under the proeftuin's lock.
        """

        def work(tx):
            rec = self._proeftuin_for_write(tx, key, expected)
            return tx.run(
                query("proeftuin_merge"),
                key=key,
                name=rec["name"] if name is None else name,
                municipality=rec["municipality"] if municipality is None else municipality,
                fictional=rec["fictional"],
            ).single()["version"]

        return self._write(work, lock=[key])

    @staticmethod
    def _proeftuin_for_write(tx: neo4j.Transaction, key: str, expected: Expected[int]) -> Any:
        rec = tx.run(query("proeftuin_get"), key=key).single()
        if rec is None:
            raise _no_proeftuin(key)
        if expected is not None and not expected(rec["version"]):
            raise _changed(f"Proeftuin '{key}'")
        return rec

    def actor_index(self) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        """Every stored actor as ``{key: (kind, name, proeftuinen)}``.

        What an import checks its rows against before anything is written: keys
        that clash with another proeftuin's actor, ties to actors already stored.
        """

        def work(tx):
            return {
                r["key"]: (r["kind"], r["name"], tuple(sorted(r["proeftuinen"])))
                for r in tx.run(query("actor_index"))
            }

        return self._read(work)

    def meeting_keys(self) -> set[str]:
        """The key of every stored meeting."""
        return self._read(lambda tx: {r["key"] for r in tx.run(query("meeting_keys"))})

    def count_ties(self, proeftuin: str, types: Iterable[str] | None = None) -> int:
        """Number of ties between actors of ``proeftuin`` (of the given types)."""
        rels = [vocab.tie_type(t).rel for t in (types or vocab.TIE_TYPE_KEYS)]
        return self._read(
            lambda tx: tx.run(query("tie_count"), proeftuin=proeftuin, rels=rels).single()["n"]
        )

    def create_tie(self, proeftuin: str, tie: Tie) -> dict[str, int]:
        """Add a new tie between two actors of ``proeftuin``; returns the new versions.

        NotFound for an unknown proeftuin; InvalidInput naming ``source`` or
        ``target`` when that actor is not in the proeftuin; Conflict when a tie
        with the same identity (source, target, type, since) exists.
        """

        def work(tx):
            self._require_proeftuinen(tx, [proeftuin])
            members = {
                r["key"]
                for r in tx.run(
                    query("actor_members"), proeftuin=proeftuin, keys=[tie.source, tie.target]
                )
            }
            for name in ("source", "target"):
                key = getattr(tie, name)
                if key not in members:
                    raise InvalidInput(
                        f"'{name}': actor '{key}' bestaat niet in proeftuin '{proeftuin}'.",
                        f"'{name}': actor '{key}' does not exist in proeftuin '{proeftuin}'.",
                        field=name,
                    )
            stored = tie.normalised()
            row = {
                "idx": 0,
                "source": stored.source,
                "target": stored.target,
                "rel": vocab.tie_type(stored.type).rel,
                "since": stored.since,
            }
            if tx.run(query("tie_find"), rows=[row]).single() is not None:
                raise Conflict(
                    "Deze relatie (source, target, type, since) bestaat al.",
                    "This tie (source, target, type, since) already exists.",
                    field="since",
                )
            self._upsert_ties(tx, [stored])
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work, lock=[proeftuin])

    def get_tie(self, proeftuin: str, source: str, target: str, type_: str, since: dt.date) -> Tie:
        """One tie between two actors of ``proeftuin`` by identity; NotFound when none."""
        rec = self._read(lambda tx: self._find_tie(tx, proeftuin, source, target, type_, since))
        if rec is None:
            raise _no_tie(proeftuin)
        return _tie_from(rec["source"], rec["target"], rec["rel"], rec["props"])

    @staticmethod
    def _find_tie(
        tx: neo4j.Transaction,
        proeftuin: str,
        source: str,
        target: str,
        type_: str,
        since: dt.date,
        lock: bool = False,
    ) -> Any:
        tie = Tie(source, target, type_, since).normalised()
        identity = {
            "source": tie.source,
            "target": tie.target,
            "rel": vocab.tie_type(tie.type).rel,
            "since": tie.since,
        }
        if lock:
            tx.run(query("tie_lock"), **identity).consume()
        return tx.run(query("tie_get_in"), proeftuin=proeftuin, **identity).single()

    def remove_tie(
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
        checked in the write transaction with the tie locked.
        """
        tie = Tie(source, target, type_, since).normalised()

        def work(tx):
            self._require_proeftuinen(tx, [proeftuin])
            if expected is not None:
                rec = self._find_tie(tx, proeftuin, source, target, type_, since, lock=True)
                if rec is None:
                    raise _no_tie(proeftuin)
                if not expected(_tie_from(rec["source"], rec["target"], rec["rel"], rec["props"])):
                    raise _changed("Deze relatie", "This tie")
            deleted = tx.run(
                query("tie_delete_in"),
                proeftuin=proeftuin,
                source=tie.source,
                target=tie.target,
                rel=vocab.tie_type(tie.type).rel,
                since=tie.since,
            ).single()["deleted"]
            if not deleted:
                raise NotFound(
                    f"Deze relatie bestaat niet in proeftuin '{proeftuin}'.",
                    f"This tie does not exist in proeftuin '{proeftuin}'.",
                )
            touched = tx.run(query("actor_proeftuinen"), keys=[tie.source, tie.target])
            return self._bump(tx, touched.single()["keys"])

        return self._write(work, lock=[proeftuin])

    def list_meetings(
        self, proeftuin: str, skip: int = 0, limit: int = 100
    ) -> tuple[list[tuple[Meeting, list[str]]], int]:
        """One page of a proeftuin's meetings, each with its attendees' keys, and the total."""

        def work(tx):
            total = tx.run(query("meeting_count"), proeftuin=proeftuin).single()["n"]
            rows = tx.run(query("meeting_list"), proeftuin=proeftuin, skip=skip, limit=limit)
            return [
                (_meeting_from(r["props"], proeftuin), sorted(r["attendees"])) for r in rows
            ], total

        return self._read(work)

    def get_meeting(self, proeftuin: str, key: str) -> tuple[Meeting, list[str]]:
        """One meeting of a proeftuin with its attendees' keys."""
        rec = self._read(
            lambda tx: tx.run(query("meeting_get"), proeftuin=proeftuin, key=key).single()
        )
        if rec is None:
            raise _no_meeting(proeftuin, key)
        return _meeting_from(rec["props"], proeftuin), sorted(rec["attendees"])

    def create_meeting(self, meeting: Meeting) -> int:
        """Add a new meeting to its proeftuin; Conflict naming ``key`` when the key is taken."""

        def work(tx):
            self._require_proeftuinen(tx, [meeting.proeftuin])
            old = tx.run(query("meeting_find"), keys=[meeting.key]).single()
            if old is not None:
                raise Conflict(
                    f"Bijeenkomst '{meeting.key}' bestaat al (proeftuin '{old['proeftuin']}').",
                    f"Meeting '{meeting.key}' already exists (proeftuin '{old['proeftuin']}').",
                    field="key",
                )
            self._upsert_meetings(tx, [meeting])
            return self._bump(tx, [meeting.proeftuin])[meeting.proeftuin]

        return self._write(work, lock=[meeting.proeftuin])

    def update_meeting(
        self, meeting: Meeting, expected: Expected[tuple[Meeting, list[str]]] = None
    ) -> int:
        """Replace the date, title and attributes of a meeting of its proeftuin.

        ``expected`` (If-Match): PreconditionFailed unless ``expected((meeting, attendees))``
        as stored, checked in the write transaction under the proeftuin's lock.
        """

        def work(tx):
            self._meeting_for_write(tx, meeting.proeftuin, meeting.key, expected)
            self._upsert_meetings(tx, [meeting])
            return self._bump(tx, [meeting.proeftuin])[meeting.proeftuin]

        return self._write(work, lock=[meeting.proeftuin])

    def delete_meeting(
        self, proeftuin: str, key: str, expected: Expected[tuple[Meeting, list[str]]] = None
    ) -> int:
        """Delete a meeting of a proeftuin with its attendance; returns the version.

        ``expected`` as for :meth:`update_meeting`.
        """

        def work(tx):
            if expected is not None:
                self._meeting_for_write(tx, proeftuin, key, expected)
            if not tx.run(query("meeting_delete"), proeftuin=proeftuin, key=key).single()[
                "deleted"
            ]:
                raise _no_meeting(proeftuin, key)
            return self._bump(tx, [proeftuin])[proeftuin]

        return self._write(work, lock=[proeftuin])

    @staticmethod
    def _meeting_for_write(
        tx: neo4j.Transaction,
        proeftuin: str,
        key: str,
        expected: Expected[tuple[Meeting, list[str]]],
    ) -> None:
        rec = tx.run(query("meeting_get"), proeftuin=proeftuin, key=key).single()
        if rec is None:
            raise _no_meeting(proeftuin, key)
        current = (_meeting_from(rec["props"], proeftuin), sorted(rec["attendees"]))
        if expected is not None and not expected(current):
            raise _changed(f"Bijeenkomst '{key}'", f"Meeting '{key}'")

    def add_attendance(
        self, proeftuin: str, meeting: str, actors: Iterable[str]
    ) -> tuple[int, int]:
        """Record that actors of ``proeftuin`` attended ``meeting``.

        Returns (number newly recorded, proeftuin version); recording what is
        already recorded changes nothing and bumps nothing.  InvalidInput naming
        ``actors`` when one of them is not an actor of the proeftuin.
        """
        keys = sorted(set(actors))

        def work(tx):
            if tx.run(query("meeting_get"), proeftuin=proeftuin, key=meeting).single() is None:
                raise _no_meeting(proeftuin, meeting)
            members = {
                r["key"] for r in tx.run(query("actor_members"), proeftuin=proeftuin, keys=keys)
            }
            missing = [k for k in keys if k not in members]
            if missing:
                names = ", ".join(missing)
                raise InvalidInput(
                    f"'actors': geen actor(en) van proeftuin '{proeftuin}': {names}.",
                    f"'actors': not actor(s) of proeftuin '{proeftuin}': {names}.",
                    field="actors",
                )
            rows = [{"meeting": meeting, "actor": k} for k in keys]
            already = {r["actor"] for r in tx.run(query("attendance_find"), rows=rows)}
            new = [Attendance(meeting, k) for k in keys if k not in already]
            if not new:
                return 0, tx.run(query("proeftuin_get"), key=proeftuin).single()["version"]
            self._merge_attendance(tx, new)
            return len(new), self._bump(tx, [proeftuin])[proeftuin]

        return self._write(work, lock=[proeftuin])

    def remove_attendance(
        self, proeftuin: str, meeting: str, actors: Iterable[str]
    ) -> tuple[int, int]:
        """Delete recorded attendances; returns (number removed, proeftuin version).

        NotFound naming the actors that are not recorded as attending (then
        nothing is removed).
        """
        keys = sorted(set(actors))

        def work(tx):
            if tx.run(query("meeting_get"), proeftuin=proeftuin, key=meeting).single() is None:
                raise _no_meeting(proeftuin, meeting)
            rows = [{"meeting": meeting, "actor": k} for k in keys]
            recorded = {r["actor"] for r in tx.run(query("attendance_find"), rows=rows)}
            missing = [k for k in keys if k not in recorded]
            if missing:
                names = ", ".join(missing)
                raise NotFound(
                    f"Niet als aanwezig bij bijeenkomst '{meeting}' geregistreerd: {names}.",
                    f"Not recorded as attending meeting '{meeting}': {names}.",
                    field="actors",
                )
            removed = tx.run(
                query("attendance_delete"), proeftuin=proeftuin, meeting=meeting, actors=keys
            ).single()["deleted"]
            return removed, self._bump(tx, [proeftuin])[proeftuin]

        return self._write(work, lock=[proeftuin])

    def import_with_proeftuinen(
        self,
        dataset: Dataset,
        proeftuinen: Iterable[ProeftuinInfo],
        dry_run: bool = False,
        batch_size: int = 5000,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportSummary:
        """Like :meth:`import_dataset`, creating or updating the proeftuinen themselves first.

        For a whole-store import (the JSON export of everything carries its
        proeftuinen): the proeftuinen and the data are written in ONE
        transaction.  The summary counts proeftuinen under ``"proeftuinen"``.
        A dry run does the work in a transaction that is rolled back, so it
        checks the rows against proeftuinen that the file itself creates.
        """
        ds = dataset.sorted()
        infos = sorted(proeftuinen, key=lambda p: p.key)

        def work(tx):
            counts = {"created": 0, "updated": 0, "unchanged": 0}
            for p in infos:
                existed = tx.run(query("proeftuin_get"), key=p.key).single() is not None
                changed = tx.run(
                    query("proeftuin_merge"),
                    key=p.key,
                    name=p.name,
                    municipality=p.municipality,
                    fictional=p.fictional,
                ).single()["changed"]
                counts[
                    "updated" if existed and changed else "unchanged" if existed else "created"
                ] += 1
            summary = self._plan_import(tx, ds, None)
            data_changed = summary.changed
            for what, n in counts.items():
                getattr(summary, what)["proeftuinen"] = n
            summary.dry_run = dry_run
            if dry_run:
                raise _RolledBack(summary)
            if data_changed:
                summary.versions = self._apply_import(tx, ds, None, batch_size, progress)
            if counts["created"] or counts["updated"]:
                keys = [p.key for p in infos]
                summary.versions = {
                    r["key"]: r["version"] for r in tx.run(query("proeftuin_versions"), keys=keys)
                }
            return summary

        try:
            return self._write(work, lock=_import_locks(ds, None, [p.key for p in infos]))
        except _RolledBack as done:
            return done.summary

    # -- maps: pseudonyms and stored layout ---------------------------------------
    #
    # What a map needs besides the data is kept beside it: a resident's pseudonym and each
    # actor's position live on its (:Actor)-[:IN]->(:Proeftuin) relationship, positions on
    # the national map on (:Actor)-[:PLACED_IN]->(:Layout {key: 'national'}).  None of these
    # writes bumps a proeftuin's ``version``.  Pseudonyms and positions are presentation, not
    # data: no metric, export or data ETag changes with them, and a bump would throw away
    # every cached analysis the first time a map is drawn.  Rendered maps are cached on the
    # separate ``layout_version`` (per proeftuin, and ``version`` of the national Layout node).

    def map_stamp(self, proeftuinen: Iterable[str] | None = None) -> dict[str, Any]:
        """What a rendered map depends on, in one read.

        Returns ``{"versions": {key: version}, "layouts": {key: layout_version},
        "national_layout": int}`` for the given proeftuinen (all when None);
        NotFound when a named one does not exist.
        """
        keys = None if proeftuinen is None else sorted(set(proeftuinen))

        def work(tx):
            return tx.run(query("map_stamp"), keys=keys).data()

        rows = self._read(work)
        found = {r["key"] for r in rows}
        for key in keys or ():
            if key not in found:
                raise _no_proeftuin(key)
        national = rows[0]["national"] if rows else 0
        return {
            "versions": {r["key"]: r["version"] for r in rows},
            "layouts": {r["key"]: r["layout"] for r in rows},
            "national_layout": national,
        }

    def map_placements(self, proeftuin: str) -> dict[str, dict[str, Any]]:
        """Every actor of ``proeftuin`` as ``{key: {"kind", "pseudonym", "position"}}``.

        ``pseudonym`` is the stored number (None until assigned, and for
        non-residents); ``position`` is the stored ``(x, y)`` or None.
        """

        def work(tx):
            return {
                r["key"]: {
                    "kind": r["kind"],
                    "pseudonym": r["pseudonym"],
                    "position": None
                    if r["x"] is None or r["y"] is None
                    else (float(r["x"]), float(r["y"])),
                }
                for r in tx.run(query("map_placements"), proeftuin=proeftuin)
            }

        return self._read(work)

    def national_placements(
        self,
    ) -> tuple[dict[str, tuple[float, float]], dict[str, list[tuple[str, str, int]]]]:
        """Stored national positions ``{key: (x, y)}`` and each resident's pseudonyms
        ``{key: [(proeftuin key, proeftuin name, number), ...]}`` (sorted by proeftuin)."""

        def work(tx):
            positions = {
                r["key"]: (float(r["x"]), float(r["y"]))
                for r in tx.run(query("map_national_positions"))
            }
            pseudonyms: dict[str, list[tuple[str, str, int]]] = {}
            for r in tx.run(query("map_national_pseudonyms")):
                pseudonyms.setdefault(r["key"], []).append(
                    (r["proeftuin"], r["name"], r["pseudonym"])
                )
            return positions, pseudonyms

        return self._read(work)

    def assign_pseudonyms(self, proeftuinen: Iterable[str]) -> int:
        """Give every resident of the proeftuinen that has none a pseudonym number.

        Numbers count up per proeftuin from a counter on the proeftuin node and
        are never given twice, not even after an actor has left.  The counters
        are locked first, so two concurrent calls cannot hand out one number
        twice.  Within one batch the numbers go out in random order: in key or
        name order, "Bewoner 1" would point at the first key or the first name.
        Returns how many were assigned.
        """
        keys = sorted(set(proeftuinen))

        def work(tx):
            counters = {r["key"]: r["next"] for r in tx.run(query("pseudonym_lock"), keys=keys)}
            missing: dict[str, list[str]] = {}
            for r in tx.run(query("pseudonym_missing"), keys=keys):
                missing.setdefault(r["proeftuin"], []).append(r["key"])
            rows = []
            for proeftuin, actors in missing.items():
                random.SystemRandom().shuffle(actors)
                first = counters[proeftuin]
                rows += [
                    {"key": a, "proeftuin": proeftuin, "pseudonym": first + i}
                    for i, a in enumerate(actors)
                ]
                counters[proeftuin] = first + len(actors)
            if not rows:
                return 0
            tx.run(query("pseudonym_assign"), rows=rows).consume()
            tx.run(
                query("pseudonym_counter"),
                counters=[{"key": k, "next": counters[k]} for k in missing],
            ).consume()
            return len(rows)

        return self._write(work)

    def save_positions(
        self, proeftuin: str | None, positions: dict[str, tuple[float, float]]
    ) -> int:
        """Store map positions of a proeftuin (None: the national map); returns the new
        layout version.  The proeftuin's data ``version`` is left alone (see above)."""
        rows = [{"key": k, "x": float(x), "y": float(y)} for k, (x, y) in positions.items()]

        def work(tx):
            if proeftuin is None:
                return tx.run(query("layout_save_national"), rows=rows).single()["layout"]
            rec = tx.run(query("layout_save"), proeftuin=proeftuin, rows=rows).single()
            if rec is None:
                raise _no_proeftuin(proeftuin)
            return rec["layout"]

        return self._write(work)


@dataclass(frozen=True)
class ProeftuinInfo:
    """A proeftuin's own properties, as a whole-store export carries them."""

    key: str
    name: str
    municipality: str = ""
    fictional: bool = False


class _RolledBack(Exception):
    """Ends a dry-run transaction (rolled back) and carries its summary out."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def _import_locks(ds: Dataset, proeftuin: str | None, also: Iterable[str] = ()) -> set[str]:
    """The proeftuinen an import writes to, as far as its rows say (for ``_write(lock=)``)."""
    keys = {proeftuin} if proeftuin else set()
    keys |= {p for a in ds.actors for p in a.proeftuinen}
    keys |= {m.proeftuin for m in ds.meetings}
    return keys | set(also)


def _no_proeftuin(key: str) -> NotFound:
    return NotFound(f"Proeftuin '{key}' bestaat niet.", f"Proeftuin '{key}' does not exist.")


def _no_tie(proeftuin: str) -> NotFound:
    return NotFound(
        f"Deze relatie bestaat niet in proeftuin '{proeftuin}'.",
        f"This tie does not exist in proeftuin '{proeftuin}'.",
    )


def _changed(what_nl: str, what_en: str | None = None) -> PreconditionFailed:
    """A conditional write found the resource changed since the client read it."""
    what_en = what_en or what_nl
    return PreconditionFailed(
        f"{what_nl} is gewijzigd sinds u het las (If-Match klopt niet). Haal het opnieuw op "
        "met GET, neem de nieuwe ETag over in If-Match en probeer het dan opnieuw; er is "
        "niets veranderd.",
        f"{what_en} has changed since you read it (If-Match does not match). Fetch it again "
        "with GET, send its new ETag in If-Match and try again; nothing was changed.",
    )


def _no_meeting(proeftuin: str, key: str) -> NotFound:
    return NotFound(
        f"Bijeenkomst '{key}' bestaat niet in proeftuin '{proeftuin}'.",
        f"Meeting '{key}' does not exist in proeftuin '{proeftuin}'.",
    )


def _problem(
    file: str, row: int | None, column: str, code: str, value: Any, message_nl: str, message_en: str
) -> dict[str, Any]:
    return {
        "file": file,
        "row": row,
        "column": column,
        "code": code,
        "value": value,
        "message_nl": message_nl,
        "message_en": message_en,
    }


def connect(settings: dict[str, Any]) -> Repository:
    """A repository for the configured database (no network traffic until first use)."""
    return Repository(
        settings["NEO4J_URI"],
        settings["NEO4J_USER"],
        settings["NEO4J_PASSWORD"],
        settings["NEO4J_DATABASE"],
        float(settings["NEO4J_TIMEOUT"]),
    )
