"""Each network phase on a constructed graph of that shape (docs/metrics.md §10)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graphsvc.metrics.phases import core_periphery_fit, network_phase


def scattered() -> nx.Graph:
    G = nx.Graph()
    for i in range(5):
        nx.add_cycle(G, [f"c{i}a", f"c{i}b", f"c{i}c"])
    G.add_node("alone")
    return G


def hub_and_spoke() -> nx.Graph:
    G = nx.star_graph(20)
    G.add_edges_from([(1, 2), (5, 6)])
    return G


def multi_hub() -> nx.Graph:
    """Four hubs in a ring, each with its own cluster of five members tied in a path."""
    G = nx.Graph()
    hubs = [f"h{i}" for i in range(4)]
    nx.add_cycle(G, hubs)
    for hub in hubs:
        members = [f"{hub}m{j}" for j in range(5)]
        nx.add_path(G, members)
        G.add_edges_from((hub, m) for m in members)
    return G


def core_periphery() -> nx.Graph:
    rng = random.Random(1)
    G = nx.complete_graph([f"core{i}" for i in range(5)])
    for j in range(15):
        for c in rng.sample(range(5), 2):
            G.add_edge(f"p{j}", f"core{c}")
    return G


@pytest.mark.parametrize(
    ("build", "phase"),
    [
        (scattered, "scattered"),
        (hub_and_spoke, "hub_and_spoke"),
        (multi_hub, "multi_hub"),
        (core_periphery, "core_periphery"),
    ],
)
def test_each_phase_on_its_own_shape(build, phase):
    result = network_phase(build())
    assert result["phase"] == phase, result["measures"]


def test_the_measures_behind_the_labels():
    m = network_phase(scattered())["measures"]
    assert m["largest_share"] == pytest.approx(3 / 16) and m["components"] == 5
    m = network_phase(hub_and_spoke())["measures"]
    assert m["largest_share"] == 1.0 and m["degree_centralization"] > 0.8
    m = network_phase(multi_hub())["measures"]
    assert m["hubs"] == 4 and m["clustering_ratio"] > 2
    assert m["top_betweenness_share"] < 0.5
    m = network_phase(core_periphery())["measures"]
    assert m["core_periphery_fit"] == pytest.approx(1.0)
    assert m["core_share"] == pytest.approx(0.25)


def test_core_periphery_fit_finds_the_core():
    fit, core = core_periphery_fit(core_periphery())
    assert fit == pytest.approx(1.0)
    assert core == {f"core{i}" for i in range(5)}
    assert core_periphery_fit(nx.path_graph(3)) == (None, set())


def test_no_ties_is_scattered_and_directed_graphs_are_read_undirected():
    assert network_phase(nx.empty_graph(4))["phase"] == "scattered"
    assert network_phase(nx.DiGraph(hub_and_spoke()))["phase"] == "hub_and_spoke"
