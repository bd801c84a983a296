"""Crash safety: Neo4j killed (SIGKILL) in the middle of a large import.

A dedicated local Neo4j (its own temporary folder and free ports, so the shared
server of the test run is untouched) receives an import of 20,000 actors and
60,000 ties through ``repo.datasets.import_`` in a thread: one
transaction.  When every actor and a quarter of the ties are written, another connection confirms
with ``SHOW TRANSACTIONS`` that the write transaction is running, and the
server is killed hard.  The importer gets a clear StoreUnavailable; after a
restart (Neo4j recovers from its transaction log) the store holds the import
whole or not at all: counts, versions and the full export are compared.  Finally
part of the same import runs on the recovered store and creates every row of it.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import threading
import time
from pathlib import Path

import neo4j  # an independent observer of the server (SHOW TRANSACTIONS), not the code under test
import pytest

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.errors import StoreUnavailable
from graphsvc.store.launcher import LocalNeo4j, free_port
from graphsvc.store.repository import Repository

ROOT = Path(__file__).resolve().parents[2]
N_ACTORS, N_TIES = 20_000, 60_000
PT = "crashtuin"


def synthetic(n_actors: int, n_ties: int, prefix: str, seed: int) -> Dataset:
    """Actors of every kind in PT and distinct ties of every type between them.

    Source before target (in key order), so symmetric ties are already in their
    stored form and every generated identity is one stored tie.
    """
    rng = random.Random(seed)
    keys = [f"{prefix}{i:05d}" for i in range(n_actors)]
    actors = [
        Actor(
            key,
            rng.choice(vocab.KIND_KEYS),
            f"Actor {key}",
            (PT,),
            {"wijk": f"wijk-{rng.randrange(12)}"},
        )
        for key in keys
    ]
    first = dt.date(2023, 1, 1)
    identities: set[tuple[int, int, str, int]] = set()
    while len(identities) < n_ties:
        a, b = sorted(rng.sample(range(n_actors), 2))
        identities.add((a, b, rng.choice(vocab.TIE_TYPE_KEYS), rng.randrange(600)))
    ties = [
        Tie(keys[a], keys[b], type_, first + dt.timedelta(days=day))
        for a, b, type_, day in sorted(identities)
    ]
    return Dataset(actors, ties)


def running_writes(uri: str, password: str) -> list[dict]:
    """Transactions of other connections that run a query now (seen from a fresh driver)."""
    with (
        neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver,
        driver.session() as session,
    ):
        rows = session.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status, "
            "elapsedTime, activeLockCount"
        ).data()
    return [
        r
        for r in rows
        if "SHOW TRANSACTIONS" not in (r["currentQuery"] or "") and r["activeLockCount"] > 0
    ]


@pytest.fixture
def own_neo4j(tmp_path):
    server = LocalNeo4j(
        home=tmp_path / "neo4j",
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="512m",
        pagecache="128m",
    )
    try:
        server.start(timeout=180)
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)


def state(repo: Repository) -> tuple:
    return repo.count_all(), repo.proeftuinen.list_versions(), repo.network.get().dataset()


def test_kill_during_a_large_import_leaves_all_or_nothing(own_neo4j):
    repo = Repository(own_neo4j.uri, password=own_neo4j.password())
    try:
        repo.create_schema()
        repo.proeftuinen.create(PT, "Crashtuin", "Testgemeente")
        # Something already stored, which the import must leave as it is either way.
        repo.datasets.import_(synthetic(200, 400, "old", seed=1), proeftuin=PT)
        before = state(repo)
        big = synthetic(N_ACTORS, N_TIES, "new", seed=2)
        total = N_ACTORS + N_TIES

        into_ties, written, outcome = threading.Event(), [0], {}

        def progress(done: int, _total: int) -> None:
            written[0] = done
            if done >= N_ACTORS + N_TIES // 4:  # every actor and some ties are written
                into_ties.set()

        def run_import() -> None:
            try:
                outcome["summary"] = repo.datasets.import_(
                    big, proeftuin=PT, batch_size=2_000, progress=progress
                )
            except Exception as exc:  # noqa: BLE001 - the test inspects what came out
                outcome["error"] = exc

        importer = threading.Thread(target=run_import, daemon=True)
        importer.start()
        assert into_ties.wait(timeout=240), "the import did not get to the ties"
        deadline = time.monotonic() + 10
        seen = running_writes(own_neo4j.uri, own_neo4j.password())
        while not seen and time.monotonic() < deadline:
            seen = running_writes(own_neo4j.uri, own_neo4j.password())
        assert seen, "no running write transaction to kill"
        assert own_neo4j.kill()
        at_kill = written[0]
        importer.join(timeout=60)
        assert not importer.is_alive()
        assert N_ACTORS < at_kill < total, at_kill  # killed while writing the ties

        error = outcome.get("error")
        assert isinstance(error, StoreUnavailable), outcome
        assert error.status == 503 and error.extra["retry_after"] >= 1
        assert "niet bereikbaar" in error.message_nl or "misschien" in error.message_nl

        own_neo4j.start(timeout=180)  # recovery from the transaction log
        after = state(repo)
        full_counts = {
            "nodes": before[0]["nodes"] + N_ACTORS,
            "relationships": before[0]["relationships"] + N_TIES + N_ACTORS,
        }
        assert after == before or (
            after[0] == full_counts and after[1] == {PT: before[1][PT] + 1}
        ), (
            f"partial import after the crash: counts {after[0]} (before {before[0]}, "
            f"whole import {full_counts}), versions {after[1]} (before {before[1]})"
        )
        # A kill before the commit (the transaction was still writing) must mean: none of it.
        assert after == before

        # The recovered store takes new writes, and nothing of the lost transaction is left
        # behind (no key of it is taken): a slice of the same import creates all its rows.
        part = Dataset(
            big.actors[:1_000], [t for t in big.ties if t.target < big.actors[1_000].key]
        )
        summary = repo.datasets.import_(part, proeftuin=PT)
        assert summary.created["actors"] == 1_000 and summary.unchanged["actors"] == 0
        assert summary.created["ties"] == len(part.ties) > 0
        assert repo.count_all() == {
            "nodes": before[0]["nodes"] + 1_000,
            "relationships": before[0]["relationships"] + 1_000 + len(part.ties),
        }
        assert repo.proeftuinen.list_versions() == {PT: before[1][PT] + 1}
    finally:
        repo.close()
