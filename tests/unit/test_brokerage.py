"""Gould–Fernandez brokerage (docs/metrics.md §1) against known answers, R's sna and a slow loop.

Three independent checks:
- the worked example of docs/metrics.md §1, by hand;
- tests/reference/sna_brokerage.json, written by tests/reference/make_sna_brokerage.R
  from R's sna::brokerage() (regenerate with ``Rscript tests/reference/make_sna_brokerage.R``);
- ``naive_brokerage_roles`` below, a plain loop over two-paths, and ``sna_moments_literal``,
  a line-by-line transcription of sna's moment loops, on random graphs (hypothesis).
"""

from __future__ import annotations

import doctest
import itertools
import json
import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.metrics import brokerage as brokerage_module
from graphsvc.metrics import brokerage_null
from graphsvc.metrics.brokerage import (
    ROLES,
    SNA_COLUMNS,
    brokerage_roles,
    describe_role,
)
from graphsvc.metrics.brokerage_null import brokerage_permutation_z, brokerage_scores

pytestmark = pytest.mark.unit

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "sna_brokerage.json"
TOL = 1e-9


# ----------------------------------------------------------------- independent implementations


def naive_brokerage_roles(G: nx.Graph, group: str = "group") -> dict:
    """Brokerage counts by walking every two-path a -> v -> b (the definition, slowly)."""
    directed = G.is_directed()
    succ = G.successors if directed else G.neighbors
    pred = G.predecessors if directed else G.neighbors
    counts = {}
    for v in G:
        row = dict.fromkeys(ROLES, 0)
        gv = G.nodes[v][group]
        for a in pred(v):
            for b in succ(v):
                if a == b or a == v or b == v or G.has_edge(a, b):
                    continue
                ga, gb = G.nodes[a][group], G.nodes[b][group]
                if ga == gv == gb:
                    role = "coordinator"
                elif ga == gb:
                    role = "itinerant"
                elif ga == gv:
                    role = "representative"
                elif gv == gb:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                row[role] += 1
                row["total"] += 1
        counts[v] = row
    return counts


def sna_moments_literal(n: list[int], d: float) -> tuple[dict, dict, list, list]:
    """sna 2.7 brokerage() moment code, transcribed loop for loop.

    Returns per-group expectation and variance (lists of six) and the network
    expectation and variance.
    """
    N = sum(n)
    c2, c3 = d**2 * (1 - d), d**3 * (1 - d) ** 3
    c4, c5 = d**4 * (1 - d) ** 2, d**5 * (1 - d)

    def choose2(x):
        return x * (x - 1) / 2

    ebr, vbr = {}, {}
    for i, ni in enumerate(n):
        rest = n[:i] + n[i + 1 :]
        e = [0.0] * 6
        v = [0.0] * 6
        e[0] = c2 * (ni - 1) * (ni - 2)
        v[0] = e[0] * (1 - c2) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * c3
        e[1] = c2 * sum(x * (x - 1) for x in rest)
        v[1] = e[1] * (1 - c2) + 2 * sum(x * (x - 1) * (x - 2) for x in rest) * c3
        e[2] = c2 * (N - ni) * (ni - 1)
        v[2] = e[2] * (1 - c2) + 2 * ((ni - 1) * choose2(N - ni) + (N - ni) * choose2(ni - 1)) * c3
        e[3], v[3] = e[2], v[2]
        e[4] = c2 * (sum(x * y for x in rest for y in rest) - sum(x * x for x in rest))
        v[4] = e[4] * (1 - c2) + 4 * sum(x * choose2(N - x - ni) * c3 for x in rest)
        e[5] = c2 * (N - 1) * (N - 2)
        v[5] = e[5] * (1 - c2) + 2 * (N - 1) * (N - 2) * (N - 3) * c3
        ebr[i], vbr[i] = e, v

    eg, vg = [0.0] * 6, [0.0] * 6
    eg[0] = c2 * sum(x * (x - 1) * (x - 2) for x in n)
    vg[0] = eg[0] * (1 - c2) + sum(
        x * (x - 1) * (x - 2) * ((4 * x - 10) * c3 - 4 * (x - 3) * c4 + (x - 3) * c5) for x in n
    )
    eg[1] = c2 * sum(x * (N - x) * (x - 1) for x in n)

    def f(x, y):
        return x * y * (x - 1) * ((2 * x + 2 * y - 6) * c3 + (N - x - 1) * c5)

    vg[1] = eg[1] * (1 - c2) + (sum(f(x, y) for x in n for y in n) - sum(f(x, x) for x in n))
    eg[2] = c2 * sum(x * (N - x) * (x - 1) for x in n)
    vg[2] = eg[2] * (1 - c2) + sum(x * (N - x) * (x - 1) * ((N - 3) * c3 + (x - 2) * c5) for x in n)
    eg[3], vg[3] = eg[2], vg[2]
    eg[4] = c2 * (
        sum(x * y * (N - x - y) for x in n for y in n) - sum(x * x * (N - 2 * x) for x in n)
    )
    vg[4] = eg[4] * (1 - c2)
    K = len(n)
    for i, j, k in itertools.product(range(K), repeat=3):
        if i != j and j != k and i != k:
            a, b, c = n[i], n[j], n[k]
            vg[4] += (
                a
                * b
                * c
                * (
                    (4 * (N - b) - 2 * (a + c + 1)) * c3
                    - (4 * (N - c) - 2 * (a + b + 1)) * c4
                    + (N - (a + c + 1)) * c5
                )
            )
    eg[5] = c2 * N * (N - 1) * (N - 2)
    vg[5] = eg[5] * (1 - c2) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5
    )
    return ebr, vbr, eg, vg


# --------------------------------------------------------------------------- helpers


def build(directed: bool, groups: dict, edges, weight=None) -> nx.Graph:
    G = nx.DiGraph() if directed else nx.Graph()
    for v, g in groups.items():
        G.add_node(v, group=g, kind="resident", name=str(v))
    for u, v in edges:
        G.add_edge(u, v, weight=1.0 if weight is None else weight(u, v), types=["knows"])
    return G


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOL, abs_tol=TOL)


@st.composite
def graphs(draw, max_nodes: int = 12, directed=None):
    n = draw(st.integers(0, max_nodes))
    is_directed = draw(st.booleans()) if directed is None else directed
    labels = draw(st.lists(st.sampled_from("ABCDE"), min_size=n, max_size=n))
    nodes = [f"n{i}" for i in range(n)]
    pairs = [(u, v) for u in nodes for v in nodes if u != v]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return build(is_directed, dict(zip(nodes, labels, strict=True)), edges)


WORKED_GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
WORKED_ARCS = [
    ("a1", "a2"),
    ("a2", "a3"),
    ("a2", "b1"),
    ("b1", "a3"),
    ("a1", "b1"),
    ("b1", "b2"),
    ("c1", "b1"),
    ("b2", "c1"),
    ("a3", "a1"),
]
WORKED_TABLE = {
    "a1": (1, 0, 1, 0, 0, 2),
    "a2": (1, 0, 0, 0, 0, 1),
    "a3": (1, 0, 0, 1, 0, 2),
    "b1": (0, 1, 0, 3, 1, 5),
    "b2": (0, 0, 1, 0, 0, 1),
    "c1": (0, 1, 0, 0, 0, 1),
}


@pytest.fixture
def worked() -> nx.DiGraph:
    return build(True, WORKED_GROUPS, WORKED_ARCS)


# --------------------------------------------------------------------------- worked example


def test_worked_example_per_actor(worked):
    roles = brokerage_roles(worked)
    assert {v: tuple(row[r] for r in ROLES) for v, row in roles.items()} == WORKED_TABLE


def test_worked_example_network(worked):
    r = brokerage_scores(worked)
    assert tuple(r.network_raw[x] for x in ROLES) == (3, 2, 2, 4, 1, 12)
    assert r.density == pytest.approx(0.3, abs=1e-15)
    expected = (0.378, 1.638, 1.638, 1.638, 2.268, 7.560)
    assert tuple(r.network_expected[x] for x in ROLES) == pytest.approx(expected, abs=1e-12)
    # Group B has two members: no coordinator role possible for b1 or b2.
    assert r.z["b1"]["coordinator"] is None
    assert r.expected["b1"]["coordinator"] == 0
    assert r.sd["b1"]["coordinator"] == 0
    # c1 is alone in C: it cannot be a representative, gatekeeper or coordinator.
    assert [r.z["c1"][x] for x in ("coordinator", "representative", "gatekeeper")] == [None] * 3
    assert r.z["a1"]["coordinator"] == pytest.approx((1 - 0.126) / math.sqrt(0.126 * (1 - 0.063)))
    assert r.group_sizes == {"A": 3, "B": 2, "C": 1}
    assert r.directed is True


def test_to_dict_is_strict_json(worked):
    text = json.dumps(brokerage_scores(worked).to_dict(), allow_nan=False)
    data = json.loads(text)
    assert data["actors"]["b1"]["z"]["coordinator"] is None
    assert data["network"]["raw"]["total"] == 12


# --------------------------------------------------------------------------- R sna reference


def _reference_cases() -> list[dict]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]


def test_reference_covers_directed_undirected_and_small_groups():
    cases = _reference_cases()
    assert {c["directed"] for c in cases} == {True, False}
    sizes = [
        {g: c["groups"].count(g) for g in c["groups"]}.values()
        for c in cases
        if len(set(c["groups"])) >= 3
    ]
    assert any(1 in s and 2 in s for s in sizes)
    assert any(c["name"] == "worked_example" for c in cases)
    assert any(len(c["nodes"]) >= 40 for c in cases)
    assert json.loads(REFERENCE.read_text())["columns"] == list(SNA_COLUMNS.values())


@pytest.mark.parametrize("case", _reference_cases(), ids=lambda c: c["name"])
def test_matches_r_sna(case):
    groups = dict(zip(case["nodes"], case["groups"], strict=True))
    G = build(case["directed"], groups, [tuple(e) for e in case["edges"]])
    r = brokerage_scores(G)
    assert close(r.density, case["density"])
    for i, v in enumerate(case["nodes"]):
        for j, role in enumerate(ROLES):
            assert r.raw[v][role] == case["raw_nli"][i][j], (v, role)
            assert close(r.expected[v][role], case["exp_nli"][i][j]), (v, role)
            assert close(r.sd[v][role], case["sd_nli"][i][j]), (v, role)
            assert close(r.z[v][role], case["z_nli"][i][j]), (v, role)
    for j, role in enumerate(ROLES):
        assert r.network_raw[role] == case["raw_gli"][j], role
        assert close(r.network_expected[role], case["exp_gli"][j]), role
        assert close(r.network_sd[role], case["sd_gli"][j]), role
        assert close(r.network_z[role], case["z_gli"][j]), role


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_equals_naive_loop(G):
    assert brokerage_roles(G) == naive_brokerage_roles(G)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_relabelling_actors_changes_nothing(G, rnd):
    names = list(G)
    new_names = [f"x{i}" for i in range(len(names))]
    rnd.shuffle(new_names)
    mapping = dict(zip(names, new_names, strict=True))
    order = names[:]
    rnd.shuffle(order)  # a different node order too
    H = G.__class__()
    H.add_nodes_from((mapping[v], G.nodes[v]) for v in order)
    H.add_edges_from((mapping[u], mapping[v], d) for u, v, d in G.edges(data=True))
    a, b = brokerage_scores(G), brokerage_scores(H)
    assert b.network_raw == a.network_raw
    assert b.network_z == a.network_z
    for v in names:
        assert b.raw[mapping[v]] == a.raw[v]
        assert b.z[mapping[v]] == a.z[v]


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_roles_sum_to_total(G):
    r = brokerage_scores(G)
    for row in r.raw.values():
        assert sum(row[x] for x in ROLES[:5]) == row["total"]
    assert sum(r.network_raw[x] for x in ROLES[:5]) == r.network_raw["total"]
    for x in ROLES:
        assert sum(row[x] for row in r.raw.values()) == r.network_raw[x]
        assert sum(row[x] for row in r.expected.values()) == pytest.approx(
            r.network_expected[x], rel=1e-9, abs=1e-12
        )


@settings(max_examples=80, deadline=None)
@given(graphs(directed=False))
def test_undirected_representative_equals_gatekeeper(G):
    r = brokerage_scores(G)
    for v, row in r.raw.items():
        assert row["representative"] == row["gatekeeper"]
        assert r.z[v]["representative"] == r.z[v]["gatekeeper"]
    # Each undirected open path counts once in each direction.
    assert r.network_raw == {
        role: sum(row[role] for row in naive_brokerage_roles(G.to_directed()).values())
        for role in ROLES
    }


@settings(max_examples=40, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_weights_are_ignored(G, rnd):
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["weight"] = rnd.choice([0.5, 2.0, 7.0])
    assert brokerage_scores(H) == brokerage_scores(G)


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_moments_equal_sna_loops(G):
    """Our closed forms equal sna's own loops for every group configuration."""
    r = brokerage_scores(G)
    labels = list(r.group_sizes)
    sizes = [r.group_sizes[g] for g in labels]
    d = r.density or 0.0
    ebr, vbr, eg, vg = sna_moments_literal(sizes, d)
    for v in G:
        i = labels.index(G.nodes[v]["group"])
        for j, role in enumerate(ROLES):
            assert close(r.expected[v][role], ebr[i][j])
            assert close(r.sd[v][role], math.sqrt(vbr[i][j]))
    for j, role in enumerate(ROLES):
        assert close(r.network_expected[role], eg[j])
        if vg[j] >= 0:
            assert close(r.network_sd[role], math.sqrt(vg[j]))
        else:
            assert r.network_sd[role] is None and r.network_z[role] is None


@pytest.mark.parametrize("sizes", [[1], [2], [1, 1, 1], [1, 2, 3, 4], [5, 5], [9, 1, 1, 2, 30]])
@pytest.mark.parametrize("d", [0.01, 0.3, 0.77, 0.999])
def test_network_moments_equal_sna_loops(sizes, d):
    _, _, eg, vg = sna_moments_literal(sizes, d)
    exp, var = brokerage_null._network_moments(np.array(sizes), d)
    assert exp == pytest.approx(eg, rel=1e-9, abs=1e-12)
    assert var == pytest.approx(vg, rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- edge cases


def test_undefined_z_is_none_never_nan_or_zero():
    # A complete digraph: density 1, every two-path is closed, nothing is random.
    G = build(True, {v: "AB"[v % 2] for v in range(5)}, itertools.permutations(range(5), 2))
    r = brokerage_scores(G)
    assert r.density == 1.0
    assert all(x == 0 for row in r.raw.values() for x in row.values())
    assert all(z is None for row in r.z.values() for z in row.values())
    assert all(z is None for z in r.network_z.values())


def test_isolates_and_tiny_graphs():
    G = build(True, {"p": "A", "q": "B", "s": "A", "lonely": "C"}, [("p", "q"), ("q", "s")])
    roles = brokerage_roles(G)
    assert roles["lonely"] == dict.fromkeys(ROLES, 0)
    assert roles["q"]["itinerant"] == 1
    empty = brokerage_scores(nx.DiGraph())
    assert empty.raw == {} and empty.density is None
    assert empty.network_raw == dict.fromkeys(ROLES, 0)
    one = brokerage_scores(build(False, {"x": "A"}, []))
    assert one.density is None and one.z == {"x": dict.fromkeys(ROLES, None)}


def test_missing_group_is_an_error():
    G = nx.DiGraph([("a", "b")])
    G.nodes["a"]["group"] = "A"
    with pytest.raises(ValueError, match="'b' has no 'group' attribute"):
        brokerage_roles(G)


def test_group_attribute_can_be_chosen(worked):
    for v in worked:
        worked.nodes[v]["neighbourhood"] = "same"
    roles = brokerage_roles(worked, group="neighbourhood")
    assert roles["b1"] == {**dict.fromkeys(ROLES, 0), "coordinator": 5, "total": 5}


def test_self_loops_and_multigraph_edges_are_ignored(worked):
    M = nx.MultiDiGraph(worked)
    M.add_edge("a1", "a2")
    M.add_edge("b1", "b1")
    assert brokerage_roles(M) == brokerage_roles(worked)


def test_hub_processed_in_small_blocks(monkeypatch):
    rnd = random.Random(7)
    nodes = list(range(60))
    edges = {(0, v) for v in nodes[1:]} | {(v, 0) for v in nodes[1:40]}
    edges |= {(u, v) for u in nodes for v in nodes if u != v and rnd.random() < 0.05}
    G = build(True, {v: rnd.choice("ABC") for v in nodes}, edges)
    monkeypatch.setattr(brokerage_module, "_BLOCK_FLOPS", 7)
    assert brokerage_roles(G) == naive_brokerage_roles(G)


# --------------------------------------------------------------------------- permutation test


def _small_random_graph(seed: int, n: int = 25, p: float = 0.12) -> nx.DiGraph:
    rnd = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    nx.set_node_attributes(G, {v: rnd.choice(["res", "off", "fund", "ini"]) for v in G}, "group")
    return G


def test_permutation_matches_slow_replay():
    G = _small_random_graph(3)
    n, seed = 40, 11
    res = brokerage_permutation_z(G, n=n, seed=seed)
    # Replay the documented procedure with the slow loop.
    labels = np.array([G.nodes[v]["group"] for v in G], dtype=object)
    rng = np.random.default_rng(seed)
    observed = naive_brokerage_roles(G)
    draws = {v: {r: [] for r in ROLES} for v in G}
    for _ in range(n):
        H = G.copy()
        nx.set_node_attributes(H, dict(zip(G, rng.permutation(labels), strict=True)), "group")
        for v, row in naive_brokerage_roles(H).items():
            for r in ROLES:
                draws[v][r].append(row[r])
    for v in G:
        for r in ROLES:
            xs = np.array(draws[v][r], dtype=float)
            assert res.raw[v][r] == observed[v][r]
            assert res.mean[v][r] == pytest.approx(xs.mean(), abs=1e-9)
            assert res.sd[v][r] == pytest.approx(xs.std(), abs=1e-9)
            assert res.p_greater[v][r] == pytest.approx(
                (1 + (xs >= observed[v][r]).sum()) / (n + 1)
            )
            if xs.std() == 0:
                assert res.z[v][r] is None
            else:
                assert res.z[v][r] == pytest.approx((observed[v][r] - xs.mean()) / xs.std())
    # The total does not depend on the labels.
    assert res.network_sd["total"] == 0 and res.network_z["total"] is None
    assert res.n_permutations == n and res.seed == seed


def test_permutation_matrix_fallback_agrees(monkeypatch):
    G = _small_random_graph(5, n=30)
    listed = brokerage_permutation_z(G, n=25, seed=2)
    monkeypatch.setattr(brokerage_null, "_MAX_LISTED_PATHS", -1)
    assert brokerage_permutation_z(G, n=25, seed=2) == listed


def test_permutation_rejects_zero_draws(worked):
    with pytest.raises(ValueError):
        brokerage_permutation_z(worked, n=0)


# --------------------------------------------------------------------------- docs


@pytest.mark.parametrize("module", [brokerage_module, brokerage_null], ids=lambda m: m.__name__)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module, extraglobs={"nx": nx})
    assert result.attempted >= 2
    assert result.failed == 0


# --------------------------------------------------------------------------- descriptions


def test_describe_role():
    assert describe_role("gatekeeper", "nl") == (
        "Deze persoon laat contacten van buiten de eigen groep binnen."
    )
    assert (
        describe_role("gatekeeper", "en")
        == "This actor lets contacts from outside into its own group."
    )
    assert describe_role("liaison") == describe_role("liaison", "nl")
    texts = [describe_role(r, lang) for r in ROLES for lang in ("nl", "en")]
    assert len(set(texts)) == len(texts)
    with pytest.raises(ValueError):
        describe_role("broker")
    with pytest.raises(ValueError):
        describe_role("gatekeeper", "de")
