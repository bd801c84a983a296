"""The driver's lifecycle, read and write transactions, retries, and error translation.

:class:`Database` owns the one ``neo4j`` driver of a process.  Units of work are
small transaction functions ``work(tx, *args)`` that consume their results and
are safe to retry; :meth:`Database.read` runs them with ``session.execute_read``
(READ access: against a ``neo4j://`` cluster address they go to a secondary)
and :meth:`Database.write` with ``session.execute_write`` (WRITE access, the
leader).  :meth:`Database.translated` is the one place where driver errors
become our errors (:mod:`graphsvc.errors`).

Failures and retries
--------------------
The driver's own retry of managed transactions has one budget and a back-off
that starts at 1 s, so against a stopped Neo4j each unit of work took about 3 s
and a request of three units about 10 s.  A service should say "unavailable" at
once and yet ride out the deadlocks of concurrent writers, so the driver is
made with ``max_transaction_retry_time=0`` (one attempt per ``execute_*``
call) and :meth:`Database.read` / :meth:`Database.write` retry around it with
their own policy (the custom retry policy the driver documents for
``is_retryable()``):

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
update that brings a deleted actor back.  :meth:`Database.write` therefore
takes the write locks of the proeftuinen it is given first (in key order);
writers of one proeftuin then run one after the other, while reads and writers
of other proeftuinen go on.  Deadlocks that remain (a write that also bumps a
proeftuin it did not lock first) are transient errors, retried as above.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from graphsvc.errors import Conflict, GraphsvcError, StoreUnavailable
from graphsvc.store.queries import query

__all__ = [
    "Database",
    "Tx",
    "Runner",
    "ping",
    "FAIL_FAST_SECONDS",
    "RETRY_AFTER",
    "TRANSIENT_RETRY_TIME",
]

#: What a transaction function gets: a managed transaction of ``execute_read``/``execute_write``.
Tx = neo4j.ManagedTransaction
#: What a function that may also run as an auto-commit query gets (:meth:`Database.autocommit`).
Runner = neo4j.ManagedTransaction | neo4j.Session

P = ParamSpec("P")
T = TypeVar("T")

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


def _unavailable(exc: BaseException | None) -> StoreUnavailable:
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


def _backoff(attempt: int) -> float:
    """Seconds to wait before retry ``attempt`` (1, 2, ...) after a transient error.

    Short and jittered (50 ms doubling to at most 1 s, times 0.5-1.5): writers
    that deadlocked each other then come back at different moments.
    """
    return float(min(1.0, 0.05 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5))


def _lock_proeftuinen(tx: Tx, keys: list[str]) -> None:
    tx.run(query("proeftuin_lock"), keys=keys).consume()


def ping(uri: str, user: str = "neo4j", password: str = "", timeout: float = 2.0) -> bool:
    """True when a Neo4j at ``uri`` answers ``RETURN 1`` within about ``timeout`` seconds.

    For the local launcher, before any :class:`Database` exists.
    """
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
            records, _, _ = driver.execute_query(
                query("ping"), database_="neo4j", routing_=neo4j.RoutingControl.READ
            )
            return bool(records[0]["ok"] == 1)
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


class Database:
    """One driver to one Neo4j database, and the units of work run through it."""

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
            # One attempt per execute_read/execute_write (the driver gives up once more than
            # 0 s have passed since the first failure): the retries are ours (_retrying).
            max_transaction_retry_time=0,
            notifications_min_severity="OFF",
        )

    def close(self) -> None:
        self._driver.close()

    # -- the one translation of driver errors ---------------------------------------------

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Driver errors raised inside leave as :mod:`graphsvc.errors` (see the module docstring).

        The only place where they are translated.
        """
        try:
            yield
        except GraphsvcError:
            raise
        except neo4j_errors.ConstraintError as exc:
            raise Conflict(
                "Een gelijktijdige wijziging kwam er net tussen; probeer het opnieuw.",
                "A simultaneous change got in first; please try again.",
            ) from exc
        except _UNAVAILABLE as exc:
            if isinstance(exc, _LOST):
                self._unreachable_at = time.monotonic()
            raise _unavailable(exc) from exc
        except neo4j_errors.TransientError as exc:
            raise _unavailable(exc) from exc

    def _fail_fast(self) -> None:
        if time.monotonic() - self._unreachable_at < FAIL_FAST_SECONDS:
            raise _unavailable(None)

    # -- units of work --------------------------------------------------------------------

    def read(self, work: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(tx, *args, **kwargs)`` in one READ transaction, retried as documented above."""
        self._fail_fast()
        with self.translated():
            return self._retrying(neo4j.READ_ACCESS, lambda tx: work(tx, *args, **kwargs))

    def write(
        self,
        lock: Iterable[str],
        work: Callable[Concatenate[Tx, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``work(tx, *args, **kwargs)`` in one WRITE transaction that first locks ``lock``.

        ``lock`` names the proeftuinen the write changes.  Every write that
        checks something before it writes (a free key, an existing actor, an
        import's plan) names them, so that concurrent writers of a proeftuin are
        serialised and none of them acts on a check that another one made stale
        (a second "created" for one key, an update that brings a deleted actor back).
        """
        keys = sorted(set(lock))

        def locked(tx: Tx) -> T:
            if keys:
                _lock_proeftuinen(tx, keys)
            return work(tx, *args, **kwargs)

        self._fail_fast()
        with self.translated():
            return self._retrying(neo4j.WRITE_ACCESS, locked)

    def autocommit(
        self,
        access_mode: str,
        work: Callable[Concatenate[neo4j.Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``work(session, ...)`` as auto-commit queries: no transaction, no retry.

        For a single read asked on every request (one round trip instead of
        begin, run and commit), and for statements that cannot run inside a
        transaction (schema, ``CALL {...} IN TRANSACTIONS``).
        """
        self._fail_fast()
        with self.translated():
            with self._driver.session(
                database=self.database, default_access_mode=access_mode
            ) as session:
                return work(session, *args, **kwargs)

    def ping(self) -> bool:
        """True when Neo4j answers now (always asks: a readiness probe ends fail-fast)."""
        try:
            with self.translated():
                ok = self._retrying(
                    neo4j.READ_ACCESS, lambda tx: tx.run(query("ping")).single(strict=True)["ok"]
                )
        except StoreUnavailable:
            return False
        self._unreachable_at = float("-inf")
        return bool(ok == 1)

    def _retrying(self, access_mode: str, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in a managed transaction of ``access_mode``, retried as documented.

        Raises driver errors as they are; :meth:`translated` around it turns them into ours.
        """
        started = time.monotonic()
        attempt = 0
        reconnected = False
        while True:
            attempt += 1
            try:
                with self._driver.session(
                    database=self.database, default_access_mode=access_mode
                ) as session:
                    if access_mode == neo4j.READ_ACCESS:
                        return session.execute_read(work)
                    return session.execute_write(work)
            except _UNAVAILABLE as exc:
                lost = isinstance(exc, _LOST)
                if lost and not reconnected and _retryable(exc):
                    reconnected = True  # maybe a pooled connection of a restarted server
                    continue
                raise
            except neo4j_errors.TransientError as exc:
                if not exc.is_retryable() or time.monotonic() - started > self.retry_time:
                    log.warning(
                        "transient error, giving up after %d attempts: %s", attempt, exc.code
                    )
                    raise
                time.sleep(_backoff(attempt))


def _retryable(exc: BaseException) -> bool:
    is_retryable: Any = getattr(exc, "is_retryable", None)
    return bool(is_retryable()) if callable(is_retryable) else False
