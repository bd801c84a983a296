"""Benchmark: what re-checking the sign-in session against the store costs a cached request.

A local Neo4j 5.26 is started for the run (free ports, a temporary folder, jars in
var/neo4j-lib), loaded with the demo proeftuinen and stopped at the end.  The same
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
import atexit
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphsvc.store.launcher import LocalNeo4j, free_port  # noqa: E402
from graphsvc.store.repository import Repository  # noqa: E402
from graphsvc.transfer.seeding import load_seeds  # noqa: E402
from graphsvc.web import auth  # noqa: E402
from graphsvc.web.app import create_app  # noqa: E402

URL = "/api/v1/proeftuinen/zandwijk/metrics"


def timed(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(server: LocalNeo4j, repeats: int) -> None:
    repo = Repository(server.uri)
    repo.create_schema()
    list(load_seeds(repo))
    app = create_app({"NEO4J_URI": server.uri, "SECRET_KEY": "bench", "ANONYMOUS_ROLE": "viewer"})
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
    home = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    server = LocalNeo4j(
        home=home,
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="512m",
        pagecache="128m",
    )

    def cleanup() -> None:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"starting Neo4j in {home} ...", flush=True)
    server.start(timeout=180)
    try:
        run(server, args.repeats)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
