"""Benchmark: an all-or-nothing import of 20,000 actors and 100,000 ties into a real Neo4j.

Compares, in the same run, on a local Neo4j 5.26 started for the run (bench/_serve.py:
free ports, a temporary folder, the jars in var/neo4j-lib) and stopped at the end, also
on failure and Ctrl-C:

- batched: ``repo.datasets.import_`` writes everything in ONE transaction
  (UNWIND batches of 5,000 rows), after checking every row against the store;
- again: the same import a second time (every row unchanged: nothing is written);
- per row: the plain way, one transaction per row through the repository's
  single-row methods (``actors.create``, ``ties.create``; each checks, writes and bumps
  the proeftuin version like the batch does).  Timed on a sample (default 1,000
  actors and 1,000 ties) and EXTRAPOLATED to the full size, as the table says.

Goal: batched at least 20x faster than per row, and under 60 s.

Run:  python bench/bench_import.py [--actors 20000] [--ties 100000] [--sample 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import sys
import time
from pathlib import Path

from _serve import local_neo4j

from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.store.repository import Repository
from graphsvc.vocabulary import KIND_KEYS, TIE_TYPE_KEYS, TIE_TYPES

ROOT = Path(__file__).resolve().parents[1]
SEED = 20230915
PROEFTUINEN = (
    "brakelveen",
    "heidebuurt",
    "hoogeland",
    "kerkdorp",
    "lindehoven",
    "molenbeek",
    "waterkant",
    "zandwijk",
)
KIND_WEIGHTS = (0.55, 0.15, 0.12, 0.06, 0.12)
FIRST_DAY = dt.date(2022, 11, 1)


def make_dataset(n_actors: int, n_ties: int, seed: int = SEED, prefix: str = "a") -> Dataset:
    """A synthetic network: actors spread over the eight proeftuinen, funders in several,
    ties of every type between random pairs (no self-loops, no repeated identity)."""
    rng = random.Random(seed)
    actors = []
    for i in range(n_actors):
        kind = rng.choices(KIND_KEYS, KIND_WEIGHTS)[0]
        home = rng.choice(PROEFTUINEN)
        sites = {home} | ({rng.choice(PROEFTUINEN)} if kind == "funder" else set())
        attrs = {
            "neighbourhood": f"wijk-{rng.randrange(12)}",
            "since_year": rng.randrange(1990, 2024),
        }
        actors.append(Actor(f"{prefix}{i:06d}", kind, f"Naam {i}", tuple(sorted(sites)), attrs))
    keys = [a.key for a in actors]
    ties: dict[tuple, Tie] = {}
    while len(ties) < n_ties:
        s, t = rng.sample(keys, 2)
        type_ = rng.choice(TIE_TYPE_KEYS)
        since = FIRST_DAY + dt.timedelta(days=rng.randrange(730))
        until = since + dt.timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.1 else None
        tie = Tie(
            s,
            t,
            type_,
            since,
            until,
            float(rng.choice((1, 1, 1, 2, 3))),
            rng.choice(("survey", "interview", None)),
        ).normalised()
        ties.setdefault(tie.identity, tie)
    return Dataset(actors, list(ties.values())).sorted()


class _Progress:
    """Prints how far the batched write is, at most every two seconds."""

    def __init__(self, label: str) -> None:
        self.label, self.last = label, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= 2 or done == total:
            self.last = now
            print(f"  {self.label}: {done:,}/{total:,} rows written", flush=True)


def _timed(label: str, work) -> tuple[float, object]:
    print(f"- {label} ...", flush=True)
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"  {seconds:.2f} s", flush=True)
    return seconds, result


def per_row(repo: Repository, sample: int) -> tuple[float, float]:
    """Seconds per actor and per tie, one transaction each, on ``sample`` of each."""
    ds = make_dataset(sample, sample, seed=SEED + 1, prefix="s")
    repo.proeftuinen.create("steekproef", "Steekproef", "Benchmark")
    start = time.perf_counter()
    for i, actor in enumerate(ds.actors, 1):
        repo.actors.create(
            "steekproef",
            Actor(actor.key, actor.kind, actor.name, ("steekproef",), actor.attributes),
        )
        if i % 250 == 0:
            print(f"  per-row actors: {i:,}/{len(ds.actors):,}", flush=True)
    actor_s = (time.perf_counter() - start) / len(ds.actors)
    start = time.perf_counter()
    for i, tie in enumerate(ds.ties, 1):
        repo.ties.create("steekproef", tie)
        if i % 250 == 0:
            print(f"  per-row ties: {i:,}/{len(ds.ties):,}", flush=True)
    tie_s = (time.perf_counter() - start) / len(ds.ties)
    return actor_s, tie_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--ties", type=int, default=100_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=1_000,
        help="actors and ties written one per transaction (extrapolated)",
    )
    parser.add_argument("--heap", default="1g")
    args = parser.parse_args()
    # The driver logs every server notification; on a fresh store these are only
    # "relationship type does not exist yet" remarks that would bury the table.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    with local_neo4j(
        heap=args.heap, pagecache="512m", prefix="graphsvc-bench-import-", timeout=240
    ) as server:
        repo = Repository(server.uri, password=server.password(), timeout=30.0)
        try:
            repo.create_schema()
            for key in PROEFTUINEN:
                repo.proeftuinen.create(key, key.title(), "Benchmark", fictional=True)
            print(
                f"Dataset: {args.actors:,} actors, {args.ties:,} ties (seed {SEED}) ...", flush=True
            )
            ds = make_dataset(args.actors, args.ties)
            rows = len(ds.actors) + len(ds.ties)

            batched_s, summary = _timed(
                f"batched: one transaction, {rows:,} rows",
                lambda: repo.datasets.import_(ds, progress=_Progress("batched")),
            )
            assert summary.created == {
                "actors": len(ds.actors),
                "ties": len(ds.ties),
                "meetings": 0,
                "attendance": 0,
            }, summary.created
            again_s, again = _timed(
                "again: the same import, nothing changes", lambda: repo.datasets.import_(ds)
            )
            assert not again.changed
            counts = repo.count_all()
            assert counts["relationships"] >= len(ds.ties), counts

            print(
                f"- per row: one transaction per row, sample of {args.sample:,} actors and "
                f"{args.sample:,} ties ...",
                flush=True,
            )
            actor_s, tie_s = per_row(repo, args.sample)
            per_row_s = actor_s * len(ds.actors) + tie_s * len(ds.ties)
        finally:
            repo.close()

    directed = sum(TIE_TYPES[t.type].directed for t in ds.ties)
    print()
    print(
        f"Import of {len(ds.actors):,} actors and {len(ds.ties):,} ties "
        f"({directed:,} directed), Neo4j 5.26 local, heap {args.heap}"
    )
    print(f"{'path':52} {'seconds':>10} {'rows/s':>10}")
    print(
        f"{'batched: ONE transaction (repo.datasets.import_)':52} "
        f"{batched_s:10.2f} {rows / batched_s:10,.0f}"
    )
    print(f"{'again: same file, nothing changes':52} {again_s:10.2f} {rows / again_s:10,.0f}")
    print(
        f"{'per row: a transaction per row (EXTRAPOLATED)':52} "
        f"{per_row_s:10.2f} {rows / per_row_s:10,.0f}"
    )
    print(
        f"{'  measured: ms per actor / ms per tie':52} {actor_s * 1000:5.2f} / {tie_s * 1000:.2f}"
    )
    ratio = per_row_s / batched_s
    print(
        f"ratio per-row / batched: {ratio:.1f}x "
        f"(goal >= 20x: {'yes' if ratio >= 20 else 'NO'}; "
        f"batched < 60 s: {'yes' if batched_s < 60 else 'NO'})"
    )
    return 0 if ratio >= 20 and batched_s < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
