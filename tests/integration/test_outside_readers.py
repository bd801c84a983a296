"""Our GraphML and GEXF exports as read by tools nobody here wrote.

For every demo proeftuin (``graphsvc.transfer.seeding``), the exports served by
``GET /api/v1/proeftuinen/{key}/exports`` are read by

* the Gephi toolkit (its own ImportController, as Gephi Desktop opens a file;
  tests/readers/gephi/GephiRead.java), which must keep every actor and every tie
  with its type, direction and days;
* networkx (``nx.read_graphml``) and python-igraph (``Graph.Read_GraphML``), whose
  density and reciprocity, computed the way docs/formats.md tells a user to,
  must equal the API's (``GET /api/v1/proeftuinen/{key}/metrics``);
* R igraph and network/sna (tests/readers/r/metrics.R).

The Gephi jar comes from ``make test`` (tests/readers/gephi/pom.xml), R with igraph and sna
from Debian (``make setup``). Without Java 17 and the jar, or without R, the test is skipped,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest
from ci_policy import MISSING_TOOL

from graphsvc.analysis.graph import tie_valid_at
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.transfer.fileformats import tie_kinds, write_gexf, write_graphml
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen
from graphsvc.vocabulary import ONE_MODE_TIE_TYPES, TIE_TYPES

ROOT = Path(__file__).resolve().parents[2]
READERS = ROOT / "tests" / "readers"
GEPHI_LIB = ROOT / "var" / "gephi-lib"
PROEFTUINEN = [site["key"] for site in seed_proeftuinen()]
# Snapshot dates for the metrics: before and after many ties end (seeds run 2021-2025).
DATES = ("2023-07-01", "2025-01-01")
D = dt.date


def _missing(reason: str) -> None:
    """A missing outside tool: a skip whose reason the test run's CI policy
    (tests/ci_policy.py) turns into a failure under CI=true."""
    pytest.skip(f"{reason}: {MISSING_TOOL}")


@pytest.fixture(scope="module")
def exported(test_settings, _session_repo, tmp_path_factory) -> dict[str, Any]:
    """Seeds loaded once; per proeftuin the GraphML and GEXF files, the rows and the metrics."""
    from graphsvc.web import auth
    from graphsvc.web.app import create_app

    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    app = create_app(test_settings)
    client = app.test_client()
    with app.app_context():
        key_id, key = auth.create_key("analyst", "outside readers")
    headers = {"Authorization": f"Bearer {key}"}
    folder = tmp_path_factory.mktemp("exports")
    result: dict[str, Any] = {}
    try:
        for p in PROEFTUINEN:
            files = {}
            for fmt in ("graphml", "gexf"):
                resp = client.get(f"/api/v1/proeftuinen/{p}/exports?format={fmt}", headers=headers)
                assert resp.status_code == 200, resp.get_data(as_text=True)
                files[fmt] = folder / f"{p}.{fmt}"
                files[fmt].write_bytes(resp.data)
            metrics = {}
            for at in DATES:
                resp = client.get(f"/api/v1/proeftuinen/{p}/metrics?at={at}", headers=headers)
                assert resp.status_code == 200, resp.get_data(as_text=True)
                metrics[at] = resp.get_json()
            rows = _session_repo.network.get([p])
            result[p] = {"files": files, "metrics": metrics, "rows": rows}
    finally:
        with app.app_context():
            auth.revoke(key_id)
    return result


def _ties(rows) -> list[Tie]:
    return sorted(rows.ties, key=lambda t: (t.source, t.target, t.type, t.since))


def _arcs(ties: list[Tie]) -> list[tuple[str, str, str, str]]:
    """(arc id, source, target, type) of the GraphML export: two arcs per symmetric tie."""
    arcs = []
    for n, t in enumerate(ties, 1):
        arcs.append((f"t{n}", t.source, t.target, t.type))
        if not TIE_TYPES[t.type].directed:
            arcs.append((f"t{n}r", t.target, t.source, t.type))
    return arcs


def _api_values(body: dict) -> tuple[float, float, int]:
    """Density, edgewise reciprocity (returned / arcs over all group pairs) and ties used."""
    metrics = body["metrics"]
    recip = metrics["mixing"]["reciprocity"]
    arcs = sum(v for row in recip["arcs"].values() for v in row.values())
    returned = sum(v for row in recip["returned"].values() for v in row.values())
    return metrics["cohesion"]["density"], returned / arcs, metrics["ties_used"]


# --------------------------------------------------------------------------- Gephi


@pytest.fixture(scope="module")
def gephi_read(tmp_path_factory) -> Callable[[list[Path]], dict[str, dict]]:
    """GephiRead compiled once: files -> {file name: Gephi's view as JSON}."""
    jars = sorted(GEPHI_LIB.glob("gephi-toolkit-*-all.jar"))
    java, javac = shutil.which("java"), shutil.which("javac")
    if not (java and javac):
        _missing("Java 17 (java and javac) is needed to read the exports with Gephi")
    if not jars:
        _missing(f"no Gephi toolkit jar in {GEPHI_LIB}: run `make jars`")
    assert java and javac
    version = subprocess.run([javac, "-version"], capture_output=True, text=True)
    major = int((version.stdout + version.stderr).split()[1].split(".")[0])
    if major < 17:
        _missing(f"the Gephi toolkit needs Java 17 or later, javac is {major}")
    classes = tmp_path_factory.mktemp("gephi-classes")
    classpath = f"{classes}{os.pathsep}{jars[-1]}"
    subprocess.run(
        [javac, "-d", str(classes), "-cp", str(jars[-1]), str(READERS / "gephi/GephiRead.java")],
        check=True,
        capture_output=True,
    )

    def read(paths: list[Path]) -> dict[str, dict]:
        proc = subprocess.run(
            [java, "-Djava.awt.headless=true", "-cp", classpath, "GephiRead", *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        return {Path(r["file"]).name: r for r in map(json.loads, proc.stdout.splitlines())}

    return read


@pytest.fixture(scope="module")
def gephi(exported, gephi_read) -> dict[str, dict]:
    """Gephi's view of every export (one Java run for all of them)."""
    return gephi_read([f for p in PROEFTUINEN for f in exported[p]["files"].values()])


def test_gephi_keeps_repeated_ties_of_one_type_and_mixed_directions_apart(gephi_read, tmp_path):
    actors = [
        Actor("a", "resident", "A", ("u",)),
        Actor("b", "initiative", "B", ("u",)),
    ]
    ties = [
        Tie("a", "b", "knows", D(2020, 1, 1), D(2021, 1, 1)),
        Tie("a", "b", "knows", D(2022, 1, 1)),  # the same pair and type again
        Tie("a", "b", "contacts", D(2020, 1, 1)),  # directed, alongside the undirected knows
        Tie("b", "a", "contacts", D(2020, 6, 1), D(2020, 6, 2)),  # one day
        Tie("a", "b", "funds", D(2020, 1, 1), D(2020, 1, 1)),  # holds on no day
    ]
    ds = Dataset(actors, ties)
    (tmp_path / "small.gexf").write_bytes(write_gexf(ds))
    (tmp_path / "small.graphml").write_bytes(write_graphml(ds))
    read = gephi_read([tmp_path / "small.gexf", tmp_path / "small.graphml"])
    gexf, graphml = read["small.gexf"], read["small.graphml"]
    assert (gexf["nodes"], gexf["edges"], gexf["directed"], gexf["undirected"]) == (2, 4, 2, 2)
    assert sorted(
        (e["id"], e["kind"], e["directed"], tuple(map(tuple, e["intervals"])))
        for e in gexf["edge_list"]
    ) == [
        ("t1", "contacts", True, (("2020-01-01", None),)),
        # t2 (funds, until = since) holds on no day: not in the GEXF.
        ("t3", "knows", False, (("2020-01-01", "2020-12-31"),)),
        ("t4", "knows 2022-01-01", False, (("2022-01-01", None),)),
        ("t5", "contacts", True, (("2020-06-01", "2020-06-01"),)),
    ]
    # GraphML: 5 ties, two of them symmetric -> 7 arcs, all kept.
    assert (graphml["edges"], graphml["directed"]) == (7, 7)


@pytest.mark.parametrize("proeftuin", PROEFTUINEN)
def test_gephi_reads_every_tie_of_the_gexf_with_its_type_direction_and_days(
    exported, gephi, proeftuin
):
    rows = exported[proeftuin]["rows"]
    ties = _ties(rows)
    read = gephi[f"{proeftuin}.gexf"]
    assert read["time_format"] == "DATE"
    assert read["nodes"] == len(rows.actors)
    assert {(n["id"], n["label"]) for n in read["node_list"]} == {
        (a.key, a.name) for a in rows.actors
    }
    assert read["edges"] == len(ties)
    assert read["directed"] == sum(TIE_TYPES[t.type].directed for t in ties)
    assert read["undirected"] == sum(not TIE_TYPES[t.type].directed for t in ties)
    edges = {e["id"]: e for e in read["edge_list"]}
    for n, (t, kind) in enumerate(zip(ties, tie_kinds(ties), strict=True), 1):
        e = edges[f"t{n}"]
        directed = TIE_TYPES[t.type].directed
        ends = (e["source"], e["target"])
        assert (ends if directed else tuple(sorted(ends))) == (t.source, t.target), e
        assert (e["directed"], e["label"], e["kind"]) == (directed, t.type, kind), e
        assert e["weight"] == t.weight
        last = None if t.until is None else (t.until - dt.timedelta(days=1)).isoformat()
        assert e["intervals"] == [[t.since.isoformat(), last]], e
        # Gephi's timeline shows the tie on exactly the days the API counts it.
        days = [t.since - dt.timedelta(days=1), t.since]
        if t.until is not None:
            days += [t.until - dt.timedelta(days=1), t.until]
        for day in days:
            shown = t.since <= day and (last is None or day.isoformat() <= last)
            assert shown == tie_valid_at(t, day), (t, day)
    # The ties alive on a date in Gephi's timeline are the ties the API's metrics use.
    for at, metrics in exported[proeftuin]["metrics"].items():
        alive = [
            e
            for e in read["edge_list"]
            if e["label"] in ONE_MODE_TIE_TYPES
            and e["source"] != e["target"]
            and e["intervals"][0][0] <= at
            and (e["intervals"][0][1] is None or at <= e["intervals"][0][1])
        ]
        assert len(alive) == _api_values(metrics)[2], at


@pytest.mark.parametrize("proeftuin", PROEFTUINEN)
def test_gephi_reads_every_arc_of_the_graphml(exported, gephi, proeftuin):
    rows = exported[proeftuin]["rows"]
    ties = _ties(rows)
    read = gephi[f"{proeftuin}.graphml"]
    arcs = _arcs(ties)
    assert read["nodes"] == len(rows.actors)
    assert (read["edges"], read["directed"], read["undirected"]) == (len(arcs), len(arcs), 0)
    kinds = dict(zip((f"t{n}" for n in range(1, len(ties) + 1)), tie_kinds(ties), strict=True))
    assert sorted((e["id"], e["source"], e["target"], e["kind"]) for e in read["edge_list"]) == (
        sorted((arc, s, t, kinds[arc.rstrip("r")]) for arc, s, t, _ in arcs)
    )


# --------------------------------------------------------------------------- networkx, igraph


def _valid(data: dict, at: str) -> bool:
    """What docs/formats.md tells a reader: one-mode types, since <= at < until."""
    until = data.get("until") or None
    return (
        data["type"] != "member_of"
        and data["since"] <= at
        and (until is None or (isinstance(until, str) and at < until))
    )


def _networkx_values(path: Path, at: str) -> tuple[float, float, int]:
    G = nx.read_graphml(path)
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v, d in G.edges(data=True) if _valid(d, at) and u != v)
    ties = sum(1 for _, _, d in G.edges(data=True) if _valid(d, at) and not d["reverse"])
    return nx.density(H), nx.reciprocity(H), ties


def _igraph_values(path: Path, at: str) -> tuple[float, float, int]:
    g = ig.Graph.Read_GraphML(str(path))
    keep = [e.index for e in g.es if _valid(e.attributes(), at)]
    ties = sum(1 for i in keep if not g.es[i]["reverse"])
    h = g.subgraph_edges(keep, delete_vertices=False)
    h.simplify(multiple=True, loops=True)
    return h.density(loops=False), h.reciprocity(ignore_loops=True, mode="default"), ties


@pytest.mark.parametrize("proeftuin", PROEFTUINEN)
def test_networkx_and_igraph_read_the_graphml_with_the_apis_density_and_reciprocity(
    exported, proeftuin
):
    rows = exported[proeftuin]["rows"]
    ties = _ties(rows)
    path = exported[proeftuin]["files"]["graphml"]
    arcs = _arcs(ties)

    G = nx.read_graphml(path)
    assert G.is_directed()
    assert (G.number_of_nodes(), G.number_of_edges()) == (len(rows.actors), len(arcs))
    edges = sorted((d["tie"], u, v, d["type"], d["reverse"]) for u, v, d in G.edges(data=True))
    assert edges == sorted((a.rstrip("r"), s, t, ty, a.endswith("r")) for a, s, t, ty in arcs)

    g = ig.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (len(rows.actors), len(arcs))
    # igraph keeps no GraphML edge ids; the tie id is in the data.
    names = g.vs["id"]
    assert sorted(
        (d["tie"], names[e.source], names[e.target], d["reverse"])
        for e in g.es
        for d in [e.attributes()]
    ) == sorted((a.rstrip("r"), s, t, a.endswith("r")) for a, s, t, _ in arcs)
    assert sorted(g.vs["id"]) == sorted(a.key for a in rows.actors)

    for at, metrics in exported[proeftuin]["metrics"].items():
        density, reciprocity, used = _api_values(metrics)
        for reader in (_networkx_values, _igraph_values):
            got = reader(path, at)
            assert got[2] == used, (reader.__name__, at)
            assert math.isclose(got[0], density, rel_tol=1e-12), (reader.__name__, at, got)
            assert math.isclose(got[1], reciprocity, rel_tol=1e-12), (reader.__name__, at, got)


def test_r_igraph_reads_the_graphml_with_the_apis_density_and_reciprocity(exported):
    rscript = shutil.which("Rscript")
    if rscript is None:
        _missing("R (Debian r-base-core, installed by make setup)")
    for package in ("igraph", "sna"):
        check = subprocess.run(
            [rscript, "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
            capture_output=True,
        )
        if check.returncode != 0:
            _missing(f"R's {package} package (Debian r-cran-{package}, installed by make setup)")
    for p in PROEFTUINEN:
        path = exported[p]["files"]["graphml"]
        for at, metrics in exported[p]["metrics"].items():
            proc = subprocess.run(
                [rscript, str(READERS / "r" / "metrics.R"), str(path), at],
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 0, proc.stderr
            got = json.loads(proc.stdout)
            density, reciprocity, used = _api_values(metrics)
            assert got["ties"] == used, (p, at)
            assert math.isclose(got["density"], density, rel_tol=1e-9), (p, at, got)
            assert math.isclose(got["reciprocity"], reciprocity, rel_tol=1e-9), (p, at, got)
            assert got["sna_actors"] == len(exported[p]["rows"].actors)
            assert math.isclose(got["sna_density"], density, rel_tol=1e-9), (p, at, got)
            assert math.isclose(got["sna_reciprocity"], reciprocity, rel_tol=1e-9), (p, at)
