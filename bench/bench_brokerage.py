"""Benchmark: Gould–Fernandez brokerage, ours against R's sna and a plain Python loop.

Run:  python bench/bench_brokerage.py [--actors 5000] [--arcs 25000] [--repeat 3]

- ours: graphsvc.metrics.brokerage (roles only, and roles + sna's z-scores) on a
  synthetic directed graph (default 5,000 actors, 25,000 arcs, 5 groups, fixed seed);
- R: sna::brokerage() on the same graph through Rscript when it is installed; only
  the brokerage() call is timed (system.time inside R), and R's network totals
  and z-scores are checked against ours;
- plain networkx: the slow reference loop of tests/unit/test_brokerage.py, which
  walks every two-path over the networkx adjacency, on a smaller graph (default
  1,000 actors, 5,000 arcs), and, since that graph family is sparse enough for
  it, on the full graph too;
- the permutation test (shuffled group labels) on the full graph.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

from graphsvc.metrics.brokerage import ROLES, brokerage_roles
from graphsvc.metrics.brokerage_null import brokerage_permutation_z, brokerage_scores

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240611
GROUPS = ("resident", "initiative", "official", "funder", "organisation")

R_SCRIPT = r"""
suppressPackageStartupMessages(library(sna))
a <- commandArgs(trailingOnly = TRUE)
arcs <- as.matrix(read.table(a[1], header = FALSE))
cl <- readLines(a[2])
N <- length(cl)
el <- cbind(arcs[, 1], arcs[, 2], 1)
colnames(el) <- c("snd", "rec", "val")
attr(el, "n") <- N
repeat_n <- as.integer(a[3])
times <- numeric(repeat_n)
for (i in seq_len(repeat_n)) {
  times[i] <- system.time(b <- brokerage(el, cl))[["elapsed"]]
}
cat("seconds", times, "\n")
cat("raw_gli", format(b$raw.gli, digits = 17), "\n")
cat("z_gli", format(b$z.gli, digits = 17), "\n")
cat("z_first", format(b$z.nli[1, ], digits = 17), "\n")
"""


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def synthetic(actors: int, arcs: int, seed: int) -> nx.DiGraph:
    """Directed graph with `arcs` distinct arcs drawn uniformly, groups drawn uniformly."""
    rng = np.random.default_rng(seed)
    chosen: set[tuple[int, int]] = set()
    while len(chosen) < arcs:
        need = arcs - len(chosen)
        src = rng.integers(0, actors, size=2 * need)
        dst = rng.integers(0, actors, size=2 * need)
        for u, v in zip(src.tolist(), dst.tolist(), strict=True):
            if u != v and len(chosen) < arcs:
                chosen.add((u, v))
    G = nx.DiGraph()
    labels = rng.choice(GROUPS, size=actors)
    G.add_nodes_from((f"v{i}", {"group": str(g), "kind": str(g)}) for i, g in enumerate(labels))
    G.add_edges_from((f"v{u}", f"v{v}", {"weight": 1.0}) for u, v in sorted(chosen))
    return G


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_naive() -> Callable[[nx.Graph], dict]:
    """The independent slow implementation lives with the tests; load it from there."""
    path = ROOT / "tests" / "unit" / "test_brokerage.py"
    spec = importlib.util.spec_from_file_location("_brokerage_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.naive_brokerage_roles


def run_r(G: nx.DiGraph, repeat: int) -> dict | None:
    if shutil.which("Rscript") is None:
        return None
    index = {v: i + 1 for i, v in enumerate(G)}  # R is 1-based
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "arcs.tsv").write_text(
            "".join(f"{index[u]}\t{index[v]}\n" for u, v in G.edges()), encoding="utf-8"
        )
        (tmp_path / "groups.txt").write_text(
            "".join(f"{G.nodes[v]['group']}\n" for v in G), encoding="utf-8"
        )
        (tmp_path / "bench.R").write_text(R_SCRIPT, encoding="utf-8")
        proc = subprocess.run(
            [
                "Rscript",
                str(tmp_path / "bench.R"),
                str(tmp_path / "arcs.tsv"),
                str(tmp_path / "groups.txt"),
                str(repeat),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        log(f"Rscript failed: {proc.stderr.strip()[-300:]}")
        return None
    out = {}
    for line in proc.stdout.splitlines():
        key, *values = line.split()
        out[key] = [float(x) if x != "NaN" else None for x in values]
    return out


def agree(ours: list, theirs: list) -> bool:
    return all(
        (a is None and b is None)
        or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))
        for a, b in zip(ours, theirs, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--arcs", type=int, default=25000)
    parser.add_argument("--small-actors", type=int, default=1000)
    parser.add_argument("--small-arcs", type=int, default=5000)
    parser.add_argument("--permutations", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows: list[tuple[str, str, float | None, str]] = []
    big = f"{args.actors} actors, {args.arcs} arcs"
    small = f"{args.small_actors} actors, {args.small_arcs} arcs"

    log(f"building the synthetic graph ({big}, seed {SEED})")
    G = synthetic(args.actors, args.arcs, SEED)
    log("ours: roles")
    t_roles, _ = best_of(lambda: brokerage_roles(G), args.repeat)
    rows.append(("ours: brokerage_roles", big, t_roles, ""))
    log("ours: roles + z-scores")
    t_scores, scores = best_of(lambda: brokerage_scores(G), args.repeat)
    rows.append(("ours: brokerage_scores", big, t_scores, ""))

    log("R sna::brokerage() via Rscript (only the brokerage() call is timed)")
    r = run_r(G, args.repeat)
    if r is None:
        rows.append(("R sna::brokerage", big, None, "Rscript or sna not available"))
    else:
        first = next(iter(G))
        checks = [
            agree([scores.network_raw[x] for x in ROLES], r["raw_gli"]),
            agree([scores.network_z[x] for x in ROLES], r["z_gli"]),
            agree([scores.z[first][x] for x in ROLES], r["z_first"]),
        ]
        same = "same values" if all(checks) else "VALUES DIFFER"
        rows.append(("R sna::brokerage", big, min(r["seconds"]), same))

    log(f"ours: permutation test, {args.permutations} permutations")
    t_perm, _ = best_of(lambda: brokerage_permutation_z(G, n=args.permutations, seed=1), 1)
    rows.append((f"ours: permutation z, n={args.permutations}", big, t_perm, ""))

    log(f"smaller graph for the slow loop ({small})")
    H = synthetic(args.small_actors, args.small_arcs, SEED + 1)
    naive = load_naive()
    t_small, ours_small = best_of(lambda: brokerage_roles(H), args.repeat)
    rows.append(("ours: brokerage_roles", small, t_small, ""))
    log("plain networkx loop over two-paths")
    t_naive, naive_small = best_of(lambda: naive(H), 1)
    same = "same values" if naive_small == ours_small else "VALUES DIFFER"
    rows.append(("plain networkx loop (reference)", small, t_naive, same))

    # On a sparse graph the loop is cheap enough to run at full size as well.
    log(f"plain networkx loop on the full graph ({big})")
    t_naive_big, naive_big = best_of(lambda: naive(G), 1)
    same = "same values" if naive_big == scores.raw else "VALUES DIFFER"
    rows.append(("plain networkx loop (reference)", big, t_naive_big, same))

    print()
    print(
        f"Gould-Fernandez brokerage benchmark (seed {SEED}, best of {args.repeat} where repeated)"
    )
    print(f"{'implementation':<34} {'graph':<26} {'seconds':>9}  note")
    print("-" * 90)
    for name, graph, seconds, note in rows:
        shown = f"{seconds:9.3f}" if seconds is not None else f"{'-':>9}"
        print(f"{name:<34} {graph:<26} {shown}  {note}")
    print("-" * 90)
    if r is not None:
        print(f"R / ours (roles + z-scores): {min(r['seconds']) / t_scores:.1f}x")
    print(
        f"plain loop / ours (roles): {t_naive / t_small:.1f}x on {small}, "
        f"{t_naive_big / t_roles:.1f}x on {big}"
    )


if __name__ == "__main__":
    main()
