"""The analysis graph of docs/metrics.md §0, built from plain rows."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from graphsvc.analysis.graph import GraphRequest, Selection, build_graph, tie_valid_at
from graphsvc.dataset import Actor, Tie
from graphsvc.errors import InvalidInput
from graphsvc.store.repository import NetworkRows

D = dt.date


def rows(actors, ties):
    return NetworkRows(actors, ties, [], [], {"p": 1})


ACTORS = [
    Actor("a", "resident", "Ayşe", ("p",), {"neighbourhood": "Noord"}),
    Actor("b", "initiative", "Buurttuin", ("p",), {"neighbourhood": "Zuid"}),
    Actor("c", "official", "Carla", ("p",)),
    Actor("d", "funder", "Fonds", ("p",)),
    Actor("e", "resident", "Eef", ("p",)),  # isolate
]


def req(at=None, types=None, group_by="kind"):
    at = D(2024, 1, 1) if at is None else at
    return GraphRequest.parse(Selection.of(["p"]), at, types, group_by)


def test_tie_validity_window():
    t = Tie("a", "b", "knows", D(2023, 1, 1), D(2023, 6, 1))
    assert not tie_valid_at(t, D(2022, 12, 31))
    assert tie_valid_at(t, D(2023, 1, 1))
    assert tie_valid_at(t, D(2023, 5, 31))
    assert not tie_valid_at(t, D(2023, 6, 1))  # until is exclusive


def test_collapse_direction_isolates_and_dates():
    ties = [
        Tie("a", "b", "knows", D(2023, 1, 1), weight=2),
        Tie("a", "b", "contacts", D(2023, 2, 1), weight=1.5),
        Tie("b", "c", "contacts", D(2023, 3, 1)),
        Tie("d", "b", "funds", D(2025, 1, 1)),  # not yet at the snapshot
        Tie("c", "d", "collaborates", D(2022, 1, 1), D(2023, 1, 1)),  # ended
        Tie("a", "b", "member_of", D(2023, 1, 1)),  # two-mode: never included
        Tie("c", "c", "advises", D(2023, 1, 1)),  # self-loop
    ]
    G = build_graph(rows(ACTORS, ties), req())
    assert isinstance(G, nx.DiGraph)
    assert set(G.nodes) == {"a", "b", "c", "d", "e"}  # isolates kept
    assert G.edges["a", "b"] == {"weight": 3.5, "types": ["contacts", "knows"], "ties": 2}
    assert G.edges["b", "a"] == {
        "weight": 2.0,
        "types": ["knows"],
        "ties": 1,
    }  # symmetric -> two arcs
    assert set(G.edges) == {("a", "b"), ("b", "a"), ("b", "c")}
    assert G.graph["parallel_ties_collapsed"] == 1
    assert G.graph["self_loops_removed"] == 1
    assert G.graph["ties_per_type"]["knows"] == 1 and G.graph["ties_per_type"]["funds"] == 0
    assert G.nodes["a"]["group"] == "resident" and G.nodes["a"]["name"] == "Ayşe"


def test_symmetric_types_only_give_an_undirected_graph():
    ties = [Tie("a", "b", "knows", D(2023, 1, 1)), Tie("a", "b", "collaborates", D(2023, 1, 1))]
    G = build_graph(rows(ACTORS, ties), req(types=["knows", "collaborates"]))
    assert not G.is_directed()
    assert G.edges["a", "b"] == {"weight": 2.0, "types": ["collaborates", "knows"], "ties": 2}


def test_group_by_attribute_marks_missing_as_unknown():
    G = build_graph(rows(ACTORS, []), req(group_by="neighbourhood"))
    assert G.nodes["a"]["group"] == "Noord" and G.nodes["c"]["group"] == "unknown"


def test_bad_parameters_name_themselves():
    with pytest.raises(InvalidInput) as err:
        req(types=["knows", "hates"])
    assert "types" in err.value.message_en and "hates" in err.value.message_en
    with pytest.raises(InvalidInput) as err:
        req(types=["member_of"])
    assert "two-mode" in err.value.message_en


def test_confirmed_only_leaves_out_ties_a_survey_heard_from_one_side():
    since = D(2023, 1, 1)
    ties = [
        Tie("a", "b", "knows", since),  # not from a survey: no attribute, kept
        Tie("b", "c", "collaborates", since, provenance="survey:r", attributes={"confirmed": True}),
        Tie(
            "c", "d", "collaborates", since, provenance="survey:r", attributes={"confirmed": False}
        ),
    ]
    types = ["knows", "collaborates"]
    every = build_graph(rows(ACTORS, ties), req(types=types))
    confirmed = build_graph(
        rows(ACTORS, ties),
        GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1), types, ties="confirmed"),
    )
    assert sorted(every.edges()) == [("a", "b"), ("b", "c"), ("c", "d")]
    assert sorted(confirmed.edges()) == [("a", "b"), ("b", "c")]
    # 5 actors, 10 pairs: 3 ties -> 0.3, 2 -> 0.2
    assert nx.density(every) == pytest.approx(0.3)
    assert nx.density(confirmed) == pytest.approx(0.2)
    assert (every.graph["ties"], every.graph["unconfirmed_left_out"]) == ("all", 0)
    assert (confirmed.graph["ties"], confirmed.graph["unconfirmed_left_out"]) == ("confirmed", 1)
    assert every.degree("d") == 1 and confirmed.degree("d") == 0


def test_the_ties_choice_is_checked_and_part_of_the_request_key():
    with pytest.raises(InvalidInput) as refused:
        GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1), ties="some")
    assert "'ties'" in refused.value.message("nl") and "'ties'" in refused.value.message("en")
    a = GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1))
    b = GraphRequest.parse(Selection.of(["p"]), D(2024, 1, 1), ties="confirmed")
    assert a.ties == "all" and a != b and hash(a) != hash(b)
