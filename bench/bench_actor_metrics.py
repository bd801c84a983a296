"""Benchmark: every actor-level metric in one call, ours against the plain networkx way.

Run:  python bench/bench_actor_metrics.py [--actors 5000] [--arcs 25000] [--full]

- ours: graphsvc.metrics.centrality.actor_metrics (igraph for betweenness, closeness,
  cores, cut points and bridges; one vectorised sparse pass for Burt's measures),
  with a per-metric breakdown on one conversion, plus brokerage_roles of
  graphsvc.metrics.brokerage, which the API reports next to them;
- networkx, in the same run on the same graph: nx.betweenness_centrality,
  nx.closeness_centrality, nx.core_number, nx.articulation_points, nx.bridges,
  nx.constraint, nx.effective_size, and degree counts from the adjacency.
  Two of them take minutes at this size, so by default they are timed on a sample
  and extrapolated (marked "extrapolated" in the table):
    betweenness: networkx's own pivot sampling (k sources), time x n / k, since
      Brandes' algorithm costs the same per source;
    effective size: nodes=<sample>, time x n / sample (the nodes= path is the only
      one networkx gets right on a directed weighted graph; docs/metrics.md §2).
  --full runs both in full instead.
The synthetic graph: a DiGraph of 5,000 actors and 25,000 distinct arcs drawn
uniformly, weights 1..3, 5 groups (the actor kinds), fixed seed.
"""

from __future__ import annotations

import argparse
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.metrics import centrality as cm
from graphsvc.metrics.structural_holes import burt_measures
from graphsvc.metrics.views import to_igraph

try:  # written by another module owner; timed only when present
    from graphsvc.metrics.brokerage import brokerage_roles
except ImportError:  # pragma: no cover - depends on the checkout
    brokerage_roles = None

SEED = 20240611
GROUPS = ("resident", "initiative", "official", "funder", "organisation")


# ---------------------------------------------------------------------------------------
# progress and timing
# ---------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


@contextmanager
def step(label: str, every: float = 10.0) -> Iterator[dict[str, float]]:
    """Time a step; while it runs, report its elapsed time every `every` seconds."""
    done = threading.Event()
    start = time.perf_counter()

    def ticker() -> None:
        while not done.wait(every):
            log(f"{label}: still running, {time.perf_counter() - start:.0f} s")

    log(f"{label} ...")
    thread = threading.Thread(target=ticker, daemon=True)
    thread.start()
    box: dict[str, float] = {}
    try:
        yield box
    finally:
        done.set()
        box["seconds"] = time.perf_counter() - start
        log(f"{label}: {box['seconds']:.2f} s")


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


# ---------------------------------------------------------------------------------------
# the graph
# ---------------------------------------------------------------------------------------


def synthetic(actors: int, arcs: int, seed: int) -> nx.DiGraph:
    """`arcs` distinct arcs drawn uniformly, weights 1..3, groups drawn uniformly."""
    rng = np.random.default_rng(seed)
    chosen: set[tuple[int, int]] = set()
    while len(chosen) < arcs:
        need = arcs - len(chosen)
        src = rng.integers(0, actors, size=2 * need).tolist()
        dst = rng.integers(0, actors, size=2 * need).tolist()
        for u, v in zip(src, dst, strict=True):
            if u != v and len(chosen) < arcs:
                chosen.add((u, v))
    G = nx.DiGraph()
    groups = rng.integers(0, len(GROUPS), size=actors)
    for k in range(actors):
        kind = GROUPS[groups[k]]
        G.add_node(f"a{k}", kind=kind, group=kind, name=f"Actor {k}")
    weights = rng.integers(1, 4, size=arcs).tolist()
    for (u, v), w in zip(sorted(chosen), weights, strict=True):
        G.add_edge(f"a{u}", f"a{v}", weight=float(w), types=["contacts"])
    return G


# ---------------------------------------------------------------------------------------
# the two sides
# ---------------------------------------------------------------------------------------


def run_ours(G: nx.DiGraph, repeat: int) -> dict[str, Any]:
    rows: dict[str, float] = {}
    with step(f"ours: actor_metrics(G), best of {repeat}"):
        total, result = best_of(lambda: cm.actor_metrics(G), repeat)
    with step("ours: per-metric breakdown on one conversion"):
        rows["conversion (to_igraph)"], view = best_of(lambda: to_igraph(G), repeat)
        rows["degree, in, out"], _ = best_of(lambda: cm._degrees(view), repeat)
        rows["betweenness (raw + normalised)"], _ = best_of(lambda: cm._betweenness(view), repeat)
        rows["closeness"], _ = best_of(lambda: cm._closeness(view), repeat)
        rows["core number"], _ = best_of(lambda: cm._core_numbers(view), repeat)
        rows["articulation points + bridges"], _ = best_of(
            lambda: (cm._articulation_indices(view), cm._bridge_pairs(view)), repeat
        )
        rows["constraint, eff. size, efficiency"], _ = best_of(
            lambda: burt_measures(view.adjacency, view.nodes), repeat
        )
        rows["hierarchy"] = 0.0  # part of the same pass as the row above
    brokerage = None
    if brokerage_roles is not None:
        with step("ours: brokerage_roles(G)"):
            brokerage, _ = best_of(lambda: brokerage_roles(G, group="group"), repeat)
    return {"total": total, "rows": rows, "result": result, "brokerage": brokerage}


def run_networkx(G: nx.DiGraph, full: bool, pivots: int, sample: int) -> dict[str, Any]:
    n = len(G)
    rng = np.random.default_rng(SEED)
    nodes = list(G)
    rows: dict[str, tuple[float, str]] = {}
    out: dict[str, Any] = {}

    with step("networkx: degree counts from the adjacency") as t:
        out["degree"] = {v: len(set(G.pred[v]) | set(G.succ[v])) for v in G}
        out["in_degree"] = dict(G.in_degree())
        out["out_degree"] = dict(G.out_degree())
    rows["degree, in, out"] = (t["seconds"], "measured")

    if full:
        with step("networkx: betweenness_centrality(G), all sources") as t:
            out["betweenness"] = nx.betweenness_centrality(G, normalized=False)
        rows["betweenness (raw + normalised)"] = (t["seconds"], "measured")
    else:
        with step(f"networkx: betweenness_centrality(G, k={pivots}) (sample)") as t:
            nx.betweenness_centrality(G, k=pivots, normalized=False, seed=SEED)
        rows["betweenness (raw + normalised)"] = (
            t["seconds"] * n / pivots,
            f"extrapolated: {pivots} of {n} sources",
        )

    with step("networkx: closeness_centrality(G)") as t:
        out["closeness"] = nx.closeness_centrality(G)
    rows["closeness"] = (t["seconds"], "measured")

    with step("networkx: core_number(G.to_undirected())") as t:
        out["core_number"] = nx.core_number(G.to_undirected())
    rows["core number"] = (t["seconds"], "measured")

    with step("networkx: articulation_points + bridges (undirected)") as t:
        U = G.to_undirected()
        out["articulation"] = set(nx.articulation_points(U))
        out["bridges"] = {frozenset(e) for e in nx.bridges(U)}
    rows["articulation points + bridges"] = (t["seconds"], "measured")

    with step("networkx: constraint(G, weight='weight')") as t:
        out["constraint"] = nx.constraint(G, weight="weight")
    seconds_c = t["seconds"]
    picked = nodes if full else [nodes[k] for k in rng.choice(n, size=sample, replace=False)]
    with step(f"networkx: effective_size(G, nodes=<{len(picked)} actors>)") as t:
        out["effective_size"] = nx.effective_size(G, nodes=picked, weight="weight")
        deg = out["degree"]
        out["efficiency"] = {v: e / deg[v] for v, e in out["effective_size"].items() if deg[v]}
    seconds_e = t["seconds"] * n / len(picked)
    how = "measured" if full else f"c measured; e.s. extrapolated: {len(picked)} of {n}"
    rows["constraint, eff. size, efficiency"] = (seconds_c + seconds_e, how)
    rows["hierarchy"] = (math.nan, "not in networkx")
    return {"rows": rows, "values": out}


# ---------------------------------------------------------------------------------------
# agreement and the table
# ---------------------------------------------------------------------------------------


def agreement(ours: dict[str, dict[str, Any]], ref: dict[str, Any]) -> dict[str, str]:
    """Largest difference between ours and networkx where networkx computed a value."""

    def worst(key: str) -> str:
        diffs = [
            abs(ours[v][key] - x)
            for v, x in ref[key].items()
            if ours[v][key] is not None and not math.isnan(x)
        ]
        return f"max|diff| {max(diffs):.1e}" if diffs else "-"

    checks = {
        "degree, in, out": "equal"
        if all(ours[v][k] == ref[k][v] for k in ("degree", "in_degree", "out_degree") for v in ours)
        else "DIFFERENT",
        "closeness": worst("closeness"),
        "core number": "equal"
        if all(ours[v]["core_number"] == ref["core_number"][v] for v in ours)
        else "DIFFERENT",
        "articulation points + bridges": "equal"
        if {v for v in ours if ours[v]["articulation_point"]} == ref["articulation"]
        else "DIFFERENT",
        "constraint, eff. size, efficiency": f"c {worst('constraint')}; "
        f"e.s. {worst('effective_size')}",
    }
    if "betweenness" in ref:
        checks["betweenness (raw + normalised)"] = worst("betweenness")
    nan_es = sum(1 for x in ref["effective_size"].values() if math.isnan(x))
    if nan_es:
        checks["constraint, eff. size, efficiency"] += f"; networkx NaN for {nan_es} receivers"
    return checks


def fmt(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds:9.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--arcs", type=int, default=25000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for our side")
    parser.add_argument("--pivots", type=int, default=250, help="networkx betweenness sample")
    parser.add_argument("--sample", type=int, default=250, help="networkx effective-size sample")
    parser.add_argument("--full", action="store_true", help="run networkx in full, no sampling")
    args = parser.parse_args()

    with step(f"building the synthetic DiGraph ({args.actors} actors, {args.arcs} arcs)"):
        G = synthetic(args.actors, args.arcs, SEED)
    ours = run_ours(G, args.repeat)
    theirs = run_networkx(G, args.full, min(args.pivots, len(G)), min(args.sample, len(G)))
    checks = agreement(ours["result"], theirs["values"])

    print()
    print(
        f"Actor metrics: DiGraph, {G.number_of_nodes()} actors, {G.number_of_edges()} arcs, "
        f"{len(GROUPS)} groups, seed {SEED}; ours best of {args.repeat}"
    )
    print()
    header = (
        f"{'metric':36} {'ours s':>9} {'networkx s':>10} {'speed-up':>9}  networkx timing; check"
    )
    print(header)
    print("-" * len(header))
    nx_total = 0.0
    for name, ours_s in ours["rows"].items():
        if name == "conversion (to_igraph)":
            print(f"{name:36} {fmt(ours_s)} {'-':>10} {'-':>9}  (ours only: done once)")
            continue
        nx_s, how = theirs["rows"][name]
        if not math.isnan(nx_s):
            nx_total += nx_s
        speed = "-" if math.isnan(nx_s) or ours_s <= 0 else f"{nx_s / ours_s:8.0f}x"
        if name == "hierarchy":
            print(f"{name:36} {'(above)':>9} {'-':>10} {'-':>9}  {how}")
            continue
        check = checks.get(name, "not compared (sampled)")
        print(f"{name:36} {fmt(ours_s)} {nx_s:10.3f} {speed:>9}  {how}; {check}")
    print("-" * len(header))
    total = ours["total"]
    print(f"{'total: actor_metrics(G)':36} {fmt(total)} {nx_total:10.3f} {nx_total / total:8.1f}x")
    if ours["brokerage"] is not None:
        with_b = total + ours["brokerage"]
        print(
            f"{'brokerage_roles(G) (not in networkx)':36} {fmt(ours['brokerage'])} {'-':>10} "
            f"{'-':>9}  ours only"
        )
        print(
            f"{'total incl. brokerage':36} {fmt(with_b)} {nx_total:10.3f} "
            f"{nx_total / with_b:8.1f}x  networkx side has no brokerage"
        )
    else:
        print("brokerage: graphsvc.metrics.brokerage not present, left out of the timing")
    goal = "met" if nx_total / total >= 20 else "NOT met"
    burt = "constraint, eff. size, efficiency"
    rest_nx = nx_total - theirs["rows"][burt][0]
    rest_ours = total - ours["rows"][burt]
    print()
    print(f"goal >= 20x overall: {goal} ({nx_total / total:.1f}x)")
    print(
        f"without the structural-hole row (networkx's correct effective size is its slowest "
        f"part): {rest_nx:.3f} s vs {rest_ours:.3f} s, {rest_nx / rest_ours:.1f}x"
    )


if __name__ == "__main__":
    main()
