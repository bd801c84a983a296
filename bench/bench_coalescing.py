"""Benchmark: coalescing of identical computations, and what a budget-limited client gets.

A local Neo4j 5.26 is started for the run (free ports, a temporary folder, jars in
var/neo4j-lib) and stopped at the end, also on failure.  One generated proeftuin
(default 20,000 actors and 100,000 ties, fixed seed) is imported through the store;
the app is served by werkzeug on loopback and asked over real HTTP:

1. one cold request of the proeftuin's network metrics, and one of the national ones;
2. 8 concurrent identical cold requests (a date not asked before), with coalescing
   (one computation, the others wait for it) and without (each computes);
3. a client with a compute budget of ``--budget`` seconds: what it receives first
   (503 and Retry-After, or the result) and, after the computation finished in the
   background, what the same request receives then.

Run:  python bench/bench_coalescing.py [--actors 20000] [--ties 100000] [--clients 8]
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import http.client
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from graphsvc import vocabulary as vocab
from graphsvc.analysis.graph import Analysis
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.store.launcher import LocalNeo4j, free_port
from graphsvc.store.repository import Repository
from graphsvc.web import auth, services
from graphsvc.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261130
KEY = "groot"
KINDS = ("resident", "initiative", "official", "funder", "organisation")
WEIGHTS = (70, 12, 8, 3, 7)
FIRST_DAY = dt.date(2022, 11, 1)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def make_dataset(n_actors: int, n_ties: int, seed: int = SEED) -> Dataset:
    """One proeftuin: actors of every kind, one-mode ties between random pairs."""
    rng = random.Random(seed)
    actors = [
        Actor(f"g{i:06d}", rng.choices(KINDS, WEIGHTS)[0], f"Naam {i}", (KEY,))
        for i in range(n_actors)
    ]
    keys = [a.key for a in actors]
    types = vocab.ONE_MODE_TIE_TYPES
    ties: dict[tuple, Tie] = {}
    while len(ties) < n_ties:
        s, t = rng.sample(keys, 2)
        since = FIRST_DAY + dt.timedelta(days=rng.randrange(730))
        tie = Tie(s, t, rng.choice(types), since).normalised()
        ties.setdefault(tie.identity, tie)
    return Dataset(actors, list(ties.values()))


def get(port: int, path: str, key: str) -> tuple[float, int, dict[str, str]]:
    """(seconds, status, headers) of one GET over a fresh loopback connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}"})
    resp = conn.getresponse()
    resp.read()
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, resp.status, dict(resp.getheaders())


def serve(settings: dict, coalesce: bool = True):
    """An app (a fresh process, as far as caches go) on a loopback port, and its key."""
    app = create_app(settings)
    with app.app_context():
        _, key = auth.create_key("analyst", "bench")
        if not coalesce:
            budget = float(app.config["COMPUTE_BUDGET"]) or None
            app.extensions["graphsvc.services"]["analysis"] = Analysis(
                services.store(), budget=budget, coalesce=False
            )
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return app, httpd, port, key


def concurrent(port: int, path: str, key: str, clients: int) -> tuple[float, list[int]]:
    """Wall time of ``clients`` identical requests sent at once, and their statuses."""
    statuses: list[int] = []
    start_together = threading.Barrier(clients)

    def one() -> None:
        start_together.wait()
        statuses.append(get(port, path, key)[1])

    threads = [threading.Thread(target=one) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, statuses


def run(server: LocalNeo4j, args: argparse.Namespace) -> None:
    repo = Repository(server.uri, password=server.password())
    repo.create_schema()
    repo.proeftuinen.create(KEY, "Grote proeftuin", "Benchgemeente")
    print(f"loading {args.actors} actors and {args.ties} ties ...", flush=True)
    t0 = time.perf_counter()
    repo.datasets.import_(make_dataset(args.actors, args.ties), proeftuin=KEY)
    print(f"  loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    base = {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": server.password(), "SECRET_KEY": "bench"}
    proeftuin = f"/api/v1/proeftuinen/{KEY}/metrics"
    lines = []

    # 1. cold requests, no budget
    app, httpd, port, key = serve({**base, "COMPUTE_BUDGET": 0})
    for label, path in (("proeftuin", proeftuin), ("national", "/api/v1/national/metrics")):
        print(f"  cold {label} ...", flush=True)
        seconds, status, headers = get(port, path + "?at=2024-10-31", key)
        lines.append(
            f"cold {label} network metrics: {seconds:.2f} s (status {status}; "
            f"{headers.get('Server-Timing', '')})"
        )
    httpd.shutdown()

    # 2. concurrent identical cold requests, with and without coalescing
    for coalesce in (True, False):
        app, httpd, port, key = serve({**base, "COMPUTE_BUDGET": 0}, coalesce=coalesce)
        print(f"  {args.clients} concurrent, coalescing {'on' if coalesce else 'off'} ...")
        seconds, statuses = concurrent(port, proeftuin + "?at=2024-09-30", key, args.clients)
        with app.app_context():
            made = services.analysis().computations
        lines.append(
            f"{args.clients} concurrent identical cold requests, coalescing "
            f"{'on ' if coalesce else 'off'}: {seconds:.2f} s wall, {made} computation(s), "
            f"statuses {sorted(statuses)}"
        )
        httpd.shutdown()

    # 3. a budget-limited client
    app, httpd, port, key = serve({**base, "COMPUTE_BUDGET": args.budget})
    path = proeftuin + "?at=2024-08-31"
    seconds, status, headers = get(port, path, key)
    lines.append(
        f"budget {args.budget:g} s, first request: {status} after {seconds:.2f} s "
        f"(Retry-After: {headers.get('Retry-After', '-')})"
    )
    t0 = time.perf_counter()
    with app.app_context():
        services.analysis().drain()
    waited = time.perf_counter() - t0
    seconds, status, headers = get(port, path, key)
    lines.append(
        f"budget {args.budget:g} s, same request after the background computation "
        f"(finished {waited:.2f} s later): {status} in {seconds * 1000:.1f} ms "
        f"(X-Cache: {headers.get('X-Cache')}; {headers.get('Server-Timing', '')})"
    )
    httpd.shutdown()
    repo.close()

    print()
    print(f"Coalescing and budgets ({args.actors} actors, {args.ties} ties, one proeftuin)")
    for line in lines:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--ties", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--budget", type=float, default=1.0)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    server = LocalNeo4j(
        home=home,
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="1g",
        pagecache="256m",
    )

    def cleanup() -> None:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so atexit runs on kill too
    print(f"starting Neo4j in {home} ...", flush=True)
    server.start(timeout=180)
    try:
        run(server, args)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
