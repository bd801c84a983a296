"""Benchmark: coalescing of identical computations, and what a budget-limited client gets.

A local Neo4j 5.26 is started for the run (bench/_serve.py: free ports, a temporary
folder, stopped at the end, also on failure and Ctrl-C).  One generated proeftuin
(default 20,000 actors and 100,000 ties, fixed seed) is imported through the store;
the app is served by werkzeug on loopback and asked over real HTTP by an analyst.

Each figure is printed as soon as it is measured (and the table again at the end),
with a progress line every ``--tick`` seconds while a long step runs, so that an
interrupted run still leaves its figures.  A cold computation of the proeftuin's
network metrics takes minutes at the default size (the network-level indicators
include path lengths and betweenness centralization over the whole graph), so the
run computes it only where a phase needs a cold cache, three times in all:

1. one cold request of the network metrics (``at`` A), then the same request again
   (from the cache);
2. ``--clients`` identical concurrent requests of a date not asked before (``at`` B):
   with coalescing one computation runs and the others wait for it;
3. a client with a compute budget of ``--budget`` seconds (``at`` C, a fresh app): what
   it receives first (503 and Retry-After), what a second identical request receives
   while the computation goes on (503, no second computation), and, after the
   computation finished in the background, what the same request receives then.

``--without-coalescing`` adds the same ``--clients`` requests with coalescing off (each
computes: ``--clients`` more full computations, too long at the default size) and
``--national`` the cold national request (with one proeftuin, the same graph again).

Run:  python bench/bench_coalescing.py [--actors 20000] [--ties 100000] [--clients 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from _serve import get, in_process, local_neo4j, settings

from graphsvc import vocabulary as vocab
from graphsvc.analysis.graph import Analysis
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.store.repository import Repository
from graphsvc.web import auth, services
from graphsvc.web.app import create_app

SEED = 20261130
KEY = "groot"
KINDS = ("resident", "initiative", "official", "funder", "organisation")
WEIGHTS = (70, 12, 8, 3, 7)
FIRST_DAY = dt.date(2022, 11, 1)
PATH = f"/api/v1/proeftuinen/{KEY}/metrics"
TICK = 30.0
LINES: list[str] = []


def say(line: str) -> None:
    """A figure: printed now, and kept for the table at the end."""
    LINES.append(line)
    print("  => " + line, flush=True)


@contextmanager
def ticking(label: str) -> Iterator[None]:
    """A progress line every TICK seconds while the block runs."""
    print(f"- {label} ...", flush=True)
    stop = threading.Event()
    start = time.perf_counter()

    def tick() -> None:
        while not stop.wait(TICK):
            print(f"    ... {label}: {time.perf_counter() - start:.0f} s", flush=True)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()


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


def timing(headers: dict[str, str]) -> str:
    return headers.get("Server-Timing", "")


def make_app(base: dict[str, Any], budget: float, coalesce: bool = True) -> tuple[Any, str]:
    """An app (a fresh process, as far as caches go) and an analyst's key."""
    app = create_app({**base, "COMPUTE_BUDGET": budget})
    with app.app_context():
        _, key = auth.create_key("analyst", "bench")
        if not coalesce:
            app.extensions["graphsvc.services"]["analysis"] = Analysis(
                services.store(), budget=budget or None, coalesce=False
            )
    return app, key


def concurrent(port: int, path: str, headers: dict[str, str], clients: int):
    """Wall time of ``clients`` identical requests sent at once, and their statuses."""
    statuses: list[int] = []
    start_together = threading.Barrier(clients)

    def one() -> None:
        start_together.wait()
        statuses.append(get(port, path, headers)[1])

    threads = [threading.Thread(target=one) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, sorted(statuses)


def counted(app: Any) -> tuple[int, int]:
    with app.app_context():
        analysis = services.analysis()
        return analysis.computations, analysis.coalesced


def import_proeftuin(repo: Repository, args: argparse.Namespace) -> None:
    repo.create_schema()
    repo.proeftuinen.create(KEY, "Grote proeftuin", "Benchgemeente")
    t0 = time.perf_counter()
    dataset = make_dataset(args.actors, args.ties)
    say(f"generated {args.actors} actors and {args.ties} ties in {time.perf_counter() - t0:.1f} s")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 10 or done == total:
            last[0] = now
            print(f"    ... import: {done:,}/{total:,} rows written", flush=True)

    t0 = time.perf_counter()
    with ticking("importing through the store (one transaction)"):
        repo.datasets.import_(dataset, proeftuin=KEY, progress=progress)
    say(f"import: {time.perf_counter() - t0:.1f} s")


def cold_and_coalesced(base: dict[str, Any], args: argparse.Namespace) -> None:
    app, key = make_app(base, 0)
    auth_header = {"Authorization": f"Bearer {key}"}
    with in_process(app) as port:
        # 1. cold, then the same again
        with ticking("cold network metrics (at A)"):
            seconds, status, headers, _ = get(port, PATH + "?at=2024-10-31", auth_header)
        say(f"cold network metrics: {seconds:.2f} s (status {status}; {timing(headers)})")
        seconds, status, headers, _ = get(port, PATH + "?at=2024-10-31", auth_header)
        say(
            f"same request again: {seconds * 1000:.1f} ms (status {status}; "
            f"X-Cache {headers.get('X-Cache')})"
        )
        if args.national:
            with ticking("cold national metrics"):
                seconds, status, headers, _ = get(
                    port, "/api/v1/national/metrics?at=2024-10-31", auth_header
                )
            say(f"cold national metrics: {seconds:.2f} s (status {status}; {timing(headers)})")

        # 2. N identical concurrent cold requests, coalesced
        made_before, waited_before = counted(app)
        with ticking(f"{args.clients} concurrent identical cold requests (at B), coalescing on"):
            seconds, statuses = concurrent(port, PATH + "?at=2024-09-30", auth_header, args.clients)
        made, waited = counted(app)
        say(
            f"{args.clients} concurrent identical cold requests, coalescing on: {seconds:.2f} s "
            f"wall, {made - made_before} computation(s), {waited - waited_before} request(s) "
            f"waited for it, statuses {statuses}"
        )


def without_coalescing(base: dict[str, Any], args: argparse.Namespace) -> None:
    app, key = make_app(base, 0, coalesce=False)
    with in_process(app) as port:
        label = f"{args.clients} concurrent identical cold requests, coalescing off"
        with ticking(label):
            seconds, statuses = concurrent(
                port, PATH + "?at=2024-09-30", {"Authorization": f"Bearer {key}"}, args.clients
            )
        say(f"{label}: {seconds:.2f} s wall, {counted(app)[0]} computation(s), statuses {statuses}")


def budget_case(base: dict[str, Any], args: argparse.Namespace) -> None:
    app, key = make_app(base, args.budget)
    auth_header = {"Authorization": f"Bearer {key}"}
    path = PATH + "?at=2024-08-31"
    with in_process(app) as port:
        seconds, status, headers, _ = get(port, path, auth_header)
        say(
            f"budget {args.budget:g} s, first request: {status} after {seconds:.2f} s "
            f"(Retry-After: {headers.get('Retry-After', '-')})"
        )
        t0 = time.perf_counter()
        seconds, status, headers, _ = get(port, path, auth_header)
        made, waited = counted(app)
        say(
            f"budget {args.budget:g} s, identical request while it computes: {status} after "
            f"{seconds:.2f} s; {made} computation(s) started, {waited} request(s) coalesced"
        )
        with ticking("the computation finishing in the background"), app.app_context():
            services.analysis().drain()
        waited_s = time.perf_counter() - t0
        seconds, status, headers, _ = get(port, path, auth_header)
        say(
            f"budget {args.budget:g} s, same request after the background computation "
            f"(finished {waited_s:.1f} s after the second request): {status} in "
            f"{seconds * 1000:.1f} ms (X-Cache: {headers.get('X-Cache')}; {timing(headers)})"
        )


def main() -> None:
    global TICK
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--ties", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--budget", type=float, default=1.0)
    parser.add_argument("--tick", type=float, default=TICK, help="seconds between progress lines")
    parser.add_argument("--national", action="store_true", help="also the cold national request")
    parser.add_argument(
        "--without-coalescing",
        action="store_true",
        help="also the concurrent requests with coalescing off (each computes)",
    )
    args = parser.parse_args()
    TICK = args.tick
    started = time.perf_counter()
    print(f"Coalescing and budgets ({args.actors} actors, {args.ties} ties, one proeftuin)")
    phases: list[Callable[[dict[str, Any], argparse.Namespace], None]] = [cold_and_coalesced]
    if args.without_coalescing:
        phases.append(without_coalescing)
    phases.append(budget_case)
    with local_neo4j(heap="1g", pagecache="256m") as server:
        base = settings(server)
        repo = Repository(server.uri, password=server.password())
        try:
            import_proeftuin(repo, args)
        finally:
            repo.close()
        for phase in phases:
            phase(base, args)
    print()
    print(
        f"Coalescing and budgets ({args.actors} actors, {args.ties} ties, one proeftuin; "
        f"whole run {time.perf_counter() - started:.0f} s)"
    )
    for line in LINES:
        print("  " + line)


if __name__ == "__main__":
    main()
