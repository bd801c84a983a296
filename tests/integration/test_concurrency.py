"""Concurrency: parallel writers over real HTTP lose nothing.

The app is served by Werkzeug's threaded server on a free loopback port, so
requests really run at the same time in separate threads, each with its own
Neo4j session, against the real Neo4j of the test run.

What is checked: creations with distinct keys all land; writers of the same
actor never tear it (the final actor is exactly one writer's body); a
proeftuin's version only ever rises, by exactly one per successful write;
parallel imports of overlapping files end in the state of a serial order (see
``test_parallel_overlapping_imports_equal_a_serial_order``); and contention is
either ridden out (deadlocks retried) or answered with a clean 409/503, never
a 500.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest
from serving import served

from graphsvc.errors import Conflict, StoreUnavailable
from graphsvc.store.repository import Repository

THREADS = 8
PT = "drukte"


@pytest.fixture
def live(app):
    """The app on Werkzeug's threaded server at a free 127.0.0.1 port; its base URL."""
    with served(app) as base:
        yield base


def multipart(fields: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of file fields {name: (filename, data)}."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, (filename, data) in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def call(base: str, key: str, method: str, path: str, body=None, files=None):
    """(status, parsed JSON body or raw bytes) of one HTTP request."""
    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if files is not None:
        data, headers["Content-Type"] = multipart(files)
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as resp:
            status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        status, raw, ctype = err.code, err.read(), err.headers.get("Content-Type", "")
    return status, (json.loads(raw) if "json" in ctype and raw else raw)


def version(base: str, key: str) -> int:
    status, body = call(base, key, "GET", f"/api/v1/proeftuinen/{PT}")
    assert status == 200, body
    return body["version"]


def run_threads(target, n: int = THREADS) -> list:
    """Run target(i) in n threads released together; their results in thread order."""
    start = threading.Barrier(n)
    results: list = [None] * n
    errors: list = []

    def runner(i: int) -> None:
        try:
            start.wait(timeout=30)
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    return results


def strictly_increasing(values: list[int]) -> bool:
    return all(a < b for a, b in zip(values, values[1:], strict=False))


def test_parallel_creations_with_distinct_keys_all_land(live, keys, repo):
    editor = keys["editor"]
    repo.proeftuinen.create(PT, "Drukte", "Testgemeente")
    initial = version(live, editor)

    def writer(t: int):
        statuses, seen = [], []
        for i in range(25):
            status, body = call(
                live,
                editor,
                "POST",
                f"/api/v1/proeftuinen/{PT}/actors",
                body={"key": f"t{t}-a{i:02d}", "kind": "resident", "name": f"Bewoner {t}.{i}"},
            )
            statuses.append(status)
            seen.append(version(live, editor))
        return statuses, seen

    results = run_threads(writer)
    statuses = [s for st, _ in results for s in st]
    assert Counter(statuses) == {201: THREADS * 25}
    for _, seen in results:
        assert strictly_increasing(seen), seen
    actors, total = repo.actors.list(PT, limit=1000)
    assert total == THREADS * 25
    assert {a.key for a in actors} == {f"t{t}-a{i:02d}" for t in range(THREADS) for i in range(25)}
    assert version(live, editor) == initial + THREADS * 25


def test_parallel_updates_of_one_actor_never_tear_it(live, keys, repo):
    """8 writers read-modify-write one actor; each write is whole, each bumps the version once.

    The API has no ``If-Match`` on PUT, so a read-modify-write through GET+PUT is
    last-writer-wins: increments of a counter can be lost (counted, not asserted).
    What must hold is that no request is lost or torn.
    """
    editor = keys["editor"]
    repo.proeftuinen.create(PT, "Drukte", "Testgemeente")
    path = f"/api/v1/proeftuinen/{PT}/actors/gedeeld"
    status, _ = call(
        live,
        editor,
        "POST",
        f"/api/v1/proeftuinen/{PT}/actors",
        body={
            "key": "gedeeld",
            "kind": "initiative",
            "name": "Buurttuin",
            "attributes": {"counter": 0},
        },
    )
    assert status == 201
    initial = version(live, editor)

    def writer(t: int):
        done, seen = [], []
        for i in range(10):
            status, current = call(live, editor, "GET", path)
            assert status == 200, current
            body = {
                "kind": "initiative",
                "name": f"Buurttuin {t}.{i}",
                "attributes": {
                    "counter": current["attributes"]["counter"] + 1,
                    "writer": t,
                    "seq": i,
                },
            }
            status, answer = call(live, editor, "PUT", path, body=body)
            assert status in (200, 409, 503), (status, answer)
            if status == 200:
                done.append(body)
                seen.append(version(live, editor))
        return done, seen

    results = run_threads(writer)
    written = [body for done, _ in results for body in done]
    for _, seen in results:
        assert strictly_increasing(seen), seen
    assert version(live, editor) == initial + len(written)
    final = repo.actors.get(PT, "gedeeld")
    final_body = {"kind": final.kind, "name": final.name, "attributes": final.attributes}
    assert final_body in written  # exactly one writer's whole body, nothing mixed
    lost = len(written) - final.attributes["counter"]
    print(
        f"read-modify-write without If-Match: {len(written)} writes, counter "
        f"{final.attributes['counter']} ({lost} increments lost to last-writer-wins)"
    )


def test_racing_creations_of_one_key_give_one_201_and_clean_409s(live, keys, repo):
    editor = keys["editor"]
    repo.proeftuinen.create(PT, "Drukte", "Testgemeente")
    initial = version(live, editor)

    def creator(t: int):
        return call(
            live,
            editor,
            "POST",
            f"/api/v1/proeftuinen/{PT}/actors",
            body={"key": "eerste", "kind": "resident", "name": f"Kandidaat {t}"},
        )

    results = run_threads(creator)
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: THREADS - 1}, results
    winner = next(body for status, body in results if status == 201)
    assert repo.actors.get(PT, "eerste").name == winner["name"]
    assert version(live, editor) == initial + 1


def test_racing_creations_of_one_proeftuin_give_one_201_and_clean_409s(live, keys, repo):
    editor = keys["editor"]

    def creator(t: int):
        return call(
            live,
            editor,
            "POST",
            "/api/v1/proeftuinen",
            body={"key": PT, "name": f"Drukte {t}", "municipality": "Testgemeente"},
        )

    results = run_threads(creator)
    assert Counter(status for status, _ in results) == {201: 1, 409: THREADS - 1}, results
    winner = next(body for status, body in results if status == 201)
    assert winner["version"] == 1
    stored = repo.proeftuinen.get(PT)
    assert (stored.name, stored.version) == (winner["name"], 1)


# -- overlapping imports ------------------------------------------------------------------

SHARED_ACTORS, OWN_ACTORS, SHARED_TIES, OWN_TIES = 150, 100, 300, 200
FILES = "ABCD"


def import_tables(name: str, index: int) -> dict[str, tuple[str, bytes]]:
    """actors.csv and ties.csv of file ``name``: shared rows (other values per file) and own rows.

    Every file writes every shared actor and shared tie, each with values of
    its own (``file`` attribute, name, weight), plus actors and ties only it has.
    """
    actors = ["key,kind,name,proeftuin,file"]
    actors += [f"s{i:03d},resident,Gedeeld {i} ({name}),{PT},{name}" for i in range(SHARED_ACTORS)]
    actors += [
        f"{name.lower()}{i:03d},organisation,Eigen {name}{i},{PT},{name}" for i in range(OWN_ACTORS)
    ]
    ties = ["source,target,type,since,until,weight,provenance"]
    day = dt.date(2023, 3, 1)
    for i in range(SHARED_TIES):
        a, b = i % SHARED_ACTORS, (i * 7 + 1) % SHARED_ACTORS
        if a == b:
            b = (b + 1) % SHARED_ACTORS
        ties.append(f"s{a:03d},s{b:03d},contacts,{day + dt.timedelta(days=i)},,{index + 1},{name}")
    for i in range(OWN_TIES):
        ties.append(
            f"{name.lower()}{i % OWN_ACTORS:03d},s{i % SHARED_ACTORS:03d},supports,"
            f"{day + dt.timedelta(days=i)},,1,{name}"
        )
    return {
        "actors": ("actors.csv", "\n".join(actors).encode()),
        "ties": ("ties.csv", "\n".join(ties).encode()),
    }


def export_json(base: str, key: str) -> bytes:
    status, body = call(base, key, "GET", f"/api/v1/proeftuinen/{PT}/exports?format=json")
    assert status == 200
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def test_parallel_overlapping_imports_equal_a_serial_order(live, keys, repo):
    """Four imports that all rewrite the same 150 actors and 300 ties, at once.

    The argument, instead of trying all 24 serial orders: every file writes every
    shared row, so in ANY serial order the shared rows carry the values of the
    last file, and the rest is the union of all files.  So the concurrent result
    equals a serial order exactly when all shared rows carry one and the same
    file's values (no mix, which interleaved batches would leave) and the export
    equals, byte for byte, the export of the four files imported one after the
    other on a wiped store, ending with that file.
    """
    editor = keys["editor"]
    repo.proeftuinen.create(PT, "Drukte", "Testgemeente")
    initial = version(live, editor)
    path = f"/api/v1/proeftuinen/{PT}/imports"

    def importer(i: int):
        started = time.monotonic()
        status, report = call(live, editor, "POST", path, files=import_tables(FILES[i], i))
        return status, report, started, time.monotonic()

    results = run_threads(importer, n=len(FILES))
    assert [status for status, *_ in results] == [200] * len(FILES), results
    spans = [(s, e) for *_, s, e in results]
    assert any(
        s1 < e2 and s2 < e1 for i, (s1, e1) in enumerate(spans) for s2, e2 in spans[i + 1 :]
    ), "the imports did not overlap"
    reports = [report for _, report, *_ in results]
    # Each row was created by exactly one import; the others updated it.
    assert sum(r["created"]["actors"] for r in reports) == SHARED_ACTORS + 4 * OWN_ACTORS
    assert sum(r["created"]["ties"] for r in reports) == SHARED_TIES + 4 * OWN_TIES
    assert version(live, editor) == initial + len(FILES)

    network = repo.network.get([PT])
    shared_files = {a.attributes["file"] for a in network.actors if a.key.startswith("s")}
    shared_weights = {t.weight for t in network.ties if t.type == "contacts"}
    assert len(shared_files) == 1, f"shared actors mix files: {shared_files}"
    last = shared_files.pop()
    assert shared_weights == {FILES.index(last) + 1.0}
    concurrent = export_json(live, editor)

    repo.delete_network()
    repo.proeftuinen.create(PT, "Drukte", "Testgemeente")
    for name in [f for f in FILES if f != last] + [last]:
        status, report = call(
            live, editor, "POST", path, files=import_tables(name, FILES.index(name))
        )
        assert status == 200, report
    assert export_json(live, editor) == concurrent
    assert version(live, editor) == initial + len(FILES)


# -- transient errors and conflicts inside the repository --------------------------------------

LOCK = "MATCH (p:Proeftuin {key: $key}) SET p.touched_by = $who"


def deadlocking_pair(repo_a: Repository, repo_b: Repository):
    """Two writers taking the locks of p1 and p2 in opposite order: Neo4j sees a deadlock.

    Each transaction function waits for the other to hold its first lock (first
    attempt only), so the deadlock happens every time.  Returns each writer's
    outcome (attempts made, or the exception) and its attempt count.
    """
    both_hold_one = threading.Barrier(2)
    attempts = Counter()

    def work_for(who: str, first: str, second: str):
        def work(tx):
            attempts[who] += 1
            tx.run(LOCK, key=first, who=who).consume()
            if attempts[who] == 1:
                both_hold_one.wait(timeout=10)
            tx.run(LOCK, key=second, who=who).consume()
            return attempts[who]

        return work

    outcome: dict[str, object] = {}

    def run(who: str, repo: Repository, first: str, second: str) -> None:
        try:
            outcome[who] = repo.db.write((), work_for(who, first, second))
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            outcome[who] = exc

    threads = [
        threading.Thread(target=run, args=("a", repo_a, "p1", "p2")),
        threading.Thread(target=run, args=("b", repo_b, "p2", "p1")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome, attempts


def test_a_deadlock_is_retried_and_both_writers_succeed(repo):
    repo.proeftuinen.create("p1", "P1", "G")
    repo.proeftuinen.create("p2", "P2", "G")
    outcome, attempts = deadlocking_pair(repo, repo)
    # One writer ran once; Neo4j chose the other as the deadlock's victim, and it ran again.
    assert sorted(attempts.values()) == [1, 2], (outcome, attempts)
    assert sorted(outcome.values()) == [1, 2]


def test_a_deadlock_not_retried_is_a_clean_503(repo, test_settings):
    repo.proeftuinen.create("p1", "P1", "G")
    repo.proeftuinen.create("p2", "P2", "G")
    impatient = Repository(
        test_settings["NEO4J_URI"], password=test_settings["NEO4J_PASSWORD"], retry_time=0
    )
    try:
        outcome, attempts = deadlocking_pair(impatient, impatient)
    finally:
        impatient.close()
    assert sorted(attempts.values()) == [1, 1]
    errors = [v for v in outcome.values() if isinstance(v, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], StoreUnavailable), outcome
    assert errors[0].status == 503 and errors[0].extra["retry_after"] == 1
    assert "busy" in errors[0].message_en and "druk" in errors[0].message_nl


def test_a_unique_constraint_broken_by_a_concurrent_writer_is_a_409(repo):
    repo.proeftuinen.create("p1", "P1", "G")
    with pytest.raises(Conflict) as err:
        repo.db.write(
            (), lambda tx: tx.run("CREATE (:Proeftuin {key: 'p1', version: 1})").consume()
        )
    assert err.value.status == 409 and "try again" in err.value.message_en
    assert repo.proeftuinen.list_versions() == {"p1": 1}
