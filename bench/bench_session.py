"""Benchmark: what re-checking the sign-in session against the store costs a cached request.

A local Neo4j 5.26 is started for the run (bench/_serve.py: free ports, a temporary
folder, jars in var/neo4j-lib), loaded with the demo proeftuinen and stopped at the end,
also on failure and Ctrl-C.  The same
cached metrics request (``/api/v1/proeftuinen/zandwijk/metrics``, after one warm-up)
is made through Flask's test client, in turn:

- anonymously (no key: the floor),
- with a Bearer key (one store read of the key by hash, as always),
- with a sign-in cookie: since sessions are re-checked on every request, one store
  read of the key by id; before that change the cookie was trusted for 60 s.

and the key read on its own.  Medians over ``--repeats`` rounds, in milliseconds.

Run:  python bench/bench_session.py [--repeats 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _serve import local_neo4j, settings

from graphsvc.store.launcher import LocalNeo4j
from graphsvc.store.repository import Repository
from graphsvc.transfer.seeding import load_seeds
from graphsvc.web import auth
from graphsvc.web.app import create_app

URL = "/api/v1/proeftuinen/zandwijk/metrics"


def timed(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(server: LocalNeo4j, repeats: int) -> None:
    repo = Repository(server.uri, password=server.password())
    repo.create_schema()
    list(load_seeds(repo))
    app = create_app(settings(server, ANONYMOUS_ROLE="viewer"))
    with app.app_context():
        id_, key = auth.create_key("viewer", "bench session")
    anonymous = app.test_client()
    scripted = app.test_client()
    person = app.test_client()
    assert person.post("/signin", data={"key": key}).status_code == 303
    bearer = {"Authorization": f"Bearer {key}"}

    def get(client, **kwargs):
        def call():
            assert client.get(URL, **kwargs).status_code == 200

        return call

    for client, kwargs in ((anonymous, {}), (scripted, {"headers": bearer}), (person, {})):
        get(client, **kwargs)()  # warm: the analysis is cached from here on
    rows = [
        ("cached metrics, anonymous (no key)", timed(get(anonymous), repeats)),
        ("cached metrics, Bearer key", timed(get(scripted, headers=bearer), repeats)),
        ("cached metrics, sign-in cookie", timed(get(person), repeats)),
        ("the key read alone (api_keys.get)", timed(lambda: repo.api_keys.get(id_), repeats)),
    ]
    print(f"\n{'request':<40} {'median ms':>10}   ({repeats} rounds)")
    for name, ms in rows:
        print(f"{name:<40} {ms:>10.2f}")
    repo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    with local_neo4j(heap="512m", pagecache="128m") as server:
        run(server, args.repeats)


if __name__ == "__main__":
    main()
