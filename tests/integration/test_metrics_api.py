"""Metrics through the HTTP API on a real Neo4j, compared with values computed directly."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from graphsvc.analysis.graph import GraphRequest, Selection, build_graph
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.metrics.report import actor_report
from graphsvc.transfer.seeding import load_seeds

D = dt.date

# The docs/metrics.md §1 worked example, as contacts ties (directed), groups = kinds.
KIND = {"A": "resident", "B": "initiative", "C": "official"}
ARCS = [
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


def _small_network(repo):
    repo.proeftuinen.create("p1", "Proeftuin één", "Testgemeente")
    actors = [
        Actor(k, KIND[k[0].upper()], f"Naam {k}", ("p1",))
        for k in ("a1", "a2", "a3", "b1", "b2", "c1")
    ]
    actors.append(Actor("z9", "funder", "Fonds Z", ("p1",)))  # an isolate
    ties = [Tie(s, t, "contacts", D(2023, 1, 1)) for s, t in ARCS]
    ties.append(Tie("a1", "a2", "knows", D(2024, 6, 1)))  # only after mid-2024
    repo.datasets.import_(Dataset(actors, ties), proeftuin="p1")


def auth(keys, role):
    return {"Authorization": f"Bearer {keys[role]}"}


def test_actor_metrics_through_the_api_equal_direct_computation(client, repo, keys):
    _small_network(repo)
    resp = client.get(
        "/api/v1/proeftuinen/p1/metrics/actors?at=2024-01-01&types=contacts",
        headers=auth(keys, "analyst"),
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    by_key = {a["key"]: a for a in body["actors"]}
    # docs/metrics.md worked example, through the whole stack.
    assert by_key["b1"]["brokerage"] == {
        "coordinator": 0,
        "itinerant": 1,
        "representative": 0,
        "gatekeeper": 3,
        "liaison": 1,
        "total": 5,
    }
    assert by_key["b1"]["brokerage_z"]["coordinator"] is None
    assert by_key["z9"]["constraint"] is None and by_key["z9"]["degree"] == 0
    assert by_key["a1"]["name"] == "Naam a1"
    # Equal to computing directly on the same rows.
    rows = repo.network.get(["p1"])
    G = build_graph(rows, GraphRequest.parse(Selection.of(["p1"]), D(2024, 1, 1), ["contacts"]))
    direct = {a["key"]: a for a in actor_report(G)}
    for key, row in by_key.items():
        for metric, value in direct[key].items():
            got = row[metric]
            if isinstance(value, float):
                assert got == pytest.approx(value, abs=1e-12), (key, metric)
            else:
                assert got == value, (key, metric)
    assert set(body["metadata"]) >= {"betweenness", "constraint", "brokerage", "brokerage_z"}
    assert body["request"]["directed"] is True


def test_network_metrics_health_and_etag(client, repo, keys):
    _small_network(repo)
    # A month end: viewers may ask only the dates the service precomputes.
    url = "/api/v1/proeftuinen/p1/metrics?at=2023-12-31&types=contacts"
    resp = client.get(url, headers=auth(keys, "viewer"))
    assert resp.status_code == 200
    body = resp.get_json()
    net = body["metrics"]
    assert net["brokerage"]["raw"] == {
        "coordinator": 3,
        "itinerant": 2,
        "representative": 2,
        "gatekeeper": 4,
        "liaison": 1,
        "total": 12,
    }
    # 7 actors now (one isolate), so density = 9 / 42 rather than the worked example's 0.3.
    assert net["cohesion"]["density"] == pytest.approx(9 / 42)
    assert net["cohesion"]["isolates"] == ["z9"]
    assert resp.headers["X-Cache"] == "miss"
    assert "read;dur=" in resp.headers["Server-Timing"]
    assert "compute;dur=" in resp.headers["Server-Timing"]
    etag = resp.headers["ETag"]
    again = client.get(url, headers={**auth(keys, "viewer"), "If-None-Match": etag})
    assert again.status_code == 304
    cached = client.get(url, headers=auth(keys, "viewer"))
    assert cached.headers["X-Cache"] == "hit" and cached.get_json()["metrics"] == net
    assert cached.headers["ETag"] == etag
    # A write moves the version: new ETag, recomputed.
    repo.ties.create("p1", Tie("z9", "b1", "contacts", D(2023, 5, 1)))
    fresh = client.get(url, headers={**auth(keys, "viewer"), "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["X-Cache"] == "miss"
    assert fresh.headers["ETag"] != etag
    assert fresh.get_json()["metrics"]["cohesion"]["isolates"] == []
    health = client.get("/api/v1/proeftuinen/p1/health", headers=auth(keys, "viewer")).get_json()
    groups = [g["key"] for g in health["scorecard"]["groups"]]
    assert groups == ["relationships", "equality", "strong_initiatives"]
    for group in health["scorecard"]["groups"]:
        for ind in group["indicators"]:
            assert ind["explanation_nl"] and ind["explanation_en"]
    # z9 has a tie now: no isolates, so no attention, and the sentence says so.
    entries = {i["key"]: i for g in health["scorecard"]["groups"] for i in g["indicators"]}
    assert entries["isolates_share"] == {
        "key": "isolates_share",
        "value": 0.0,
        "signal": "ok",
        "explanation_nl": "0% van de actoren heeft met niemand een relatie.",
        "explanation_en": "0% of the actors have no tie with anyone.",
        "rule": "attention above 10%",
    }
    assert entries["density"]["rule"] == "context only"


def test_viewer_gets_no_actor_level_data(client, repo, keys):
    _small_network(repo)
    assert (
        client.get(
            "/api/v1/proeftuinen/p1/metrics/actors", headers=auth(keys, "viewer")
        ).status_code
        == 403
    )
    changes = client.get(
        "/api/v1/proeftuinen/p1/changes?from=2023-12-31&to=2024-12-31", headers=auth(keys, "viewer")
    ).get_json()
    assert "actors" not in changes and changes["ties"] == {"appeared": 1, "ended": 0}


def test_changes_between_two_dates(client, repo, keys):
    _small_network(repo)
    body = client.get(
        "/api/v1/proeftuinen/p1/changes?from=2022-12-01&to=2024-01-01",
        headers=auth(keys, "analyst"),
    ).get_json()
    assert body["ties"]["appeared"] == 9 and body["ties"]["ended"] == 0
    ind = {i["indicator"]: i for i in body["indicators"]}
    assert ind["ties"] == {"indicator": "ties", "from": 0, "to": 9, "delta": 9}
    assert ind["isolates"]["from"] == 7 and ind["isolates"]["to"] == 1
    changed = {c["key"]: c for c in body["actors"]["brokerage_role_changed"]}
    assert changed["b1"]["from"] is None and changed["b1"]["to"] == "gatekeeper"


def test_bad_parameters_are_problems_naming_the_parameter(client, repo, keys):
    _small_network(repo)
    h = {**auth(keys, "viewer"), "Accept-Language": "en"}
    resp = client.get("/api/v1/proeftuinen/p1/metrics?types=hates", headers=h)
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    assert "types" in resp.get_json()["detail"]
    resp = client.get("/api/v1/proeftuinen/p1/metrics?at=yesterday", headers=h)
    assert resp.status_code == 422 and "at" in resp.get_json()["detail"]
    resp = client.get("/api/v1/proeftuinen/p1/metrics?group_by=shoe_size", headers=h)
    assert resp.status_code == 422 and "group_by" in resp.get_json()["detail"]
    resp = client.get("/api/v1/proeftuinen/nope/metrics", headers=h)
    assert resp.status_code == 404


def test_compare_and_national_on_the_seeds(client, repo, keys):
    list(load_seeds(repo))
    h = auth(keys, "viewer")
    body = client.get("/api/v1/compare?proeftuinen=zandwijk,molenbeek", headers=h).get_json()
    rows = {r["proeftuin"]: r for r in body["proeftuinen"]}
    assert set(rows) == {"zandwijk", "molenbeek"}
    # The dense proeftuin is denser; the single-broker one has articulation points.
    assert rows["molenbeek"]["indicators"]["density"] > rows["zandwijk"]["indicators"]["density"]
    assert rows["zandwijk"]["indicators"]["articulation_points"] >= 1
    # Cut points are ruled as a share of the actors (docs/metrics.md §7): 5 of 29 in the
    # single-broker proeftuin ask for attention, 3 of 42 in the dense one do not.
    assert rows["zandwijk"]["signals"]["cut_points_share"] == "attention"
    assert rows["molenbeek"]["signals"]["cut_points_share"] == "ok"
    attention = {k for k, v in rows["molenbeek"]["signals"].items() if v == "attention"}
    assert attention != {k for k, v in rows["zandwijk"]["signals"].items() if v == "attention"}
    # The metadata describes every metric behind the compared indicators.
    assert set(body["metadata"]) == {
        "density",
        "components",
        "average_distance",
        "global_efficiency",
        "transitivity",
        "centralization",
        "ei_index_network",
        "assortativity",
        "funder_dependency",
        "brokerage_network",
    }
    national = client.get("/api/v1/national/metrics", headers=h).get_json()
    per_site = sum(p.actors for p in repo.proeftuinen.list())
    shared = per_site - national["metrics"]["actors"]
    assert shared > 0  # funders belong to several proeftuinen
    assert national["request"]["national"] is True
    assert all(not math.isnan(v) for v in [national["metrics"]["cohesion"]["density"]])


def test_approximate_betweenness_only_when_asked_and_within_its_bound(client, repo, keys):
    list(load_seeds(repo))
    h = auth(keys, "analyst")
    base = "/api/v1/proeftuinen/brakelveen/metrics/actors"
    exact = client.get(base, headers=h).get_json()
    assert "betweenness_approximation" not in exact
    approx = client.get(f"{base}?approximate=true&epsilon=0.02&delta=0.1", headers=h).get_json()
    bound = approx["betweenness_approximation"]
    assert bound["approximate"] is True and bound["epsilon"] == 0.02 and bound["delta"] == 0.1
    assert bound["sample_size"] > 0 and "Riondato" in bound["method"]
    exact_b = {a["key"]: a["betweenness"] for a in exact["actors"]}
    errors = [abs(a["betweenness"] - exact_b[a["key"]]) for a in approx["actors"]]
    assert max(errors) <= bound["absolute_error"]
    assert max(errors) > 0  # it really is an estimate
    # Everything else is exact and the same.
    other = {
        a["key"]: {k: v for k, v in a.items() if not k.startswith("betweenness")}
        for a in exact["actors"]
    }
    assert {
        a["key"]: {k: v for k, v in a.items() if not k.startswith("betweenness")}
        for a in approx["actors"]
    } == other
    bad = client.get(f"{base}?approximate=true&epsilon=2", headers=h)
    assert bad.status_code == 422 and "epsilon" in bad.get_json()["detail"]


def test_metrics_on_the_command_line_as_json_and_csv(runner, repo):
    import csv
    import io
    import json

    from graphsvc.cli.main import cli

    _small_network(repo)
    out = runner.invoke(
        cli,
        ["metrics", "--proeftuin", "p1", "--actors", "--at", "2024-01-01", "--types", "contacts"],
    )
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    b1 = next(a for a in body["actors"] if a["key"] == "b1")
    assert b1["brokerage"]["gatekeeper"] == 3 and b1["brokerage"]["total"] == 5
    out = runner.invoke(
        cli,
        [
            "metrics",
            "--proeftuin",
            "p1",
            "--actors",
            "--at",
            "2024-01-01",
            "--types",
            "contacts",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert len(rows) == 7
    b1 = next(r for r in rows if r["key"] == "b1")
    assert b1["brokerage.gatekeeper"] == "3" and b1["brokerage_z.coordinator"] == ""
    out = runner.invoke(cli, ["metrics", "--proeftuin", "p1", "--health", "--format", "csv"])
    assert out.exit_code == 0 and "largest_component_share" in out.output
    same = runner.invoke(cli, ["metrics", "--proeftuin", "p1", "--scorecard", "--format", "csv"])
    assert same.exit_code == 0 and same.output == out.output
    bad = runner.invoke(cli, ["metrics", "--proeftuin", "nope"])
    assert bad.exit_code == 1 and "nope" in bad.output


def _survey_network(repo):
    """Four actors: a knows b (an interview), b and c collaborate (a survey heard it from
    both), c and d collaborate (the survey heard it from c only: unconfirmed)."""
    repo.proeftuinen.create("p2", "Proeftuin twee", "Testgemeente")
    kinds = {"a": "resident", "b": "initiative", "c": "official", "d": "funder"}
    actors = [Actor(k, kind, f"Naam {k}", ("p2",)) for k, kind in kinds.items()]
    since = D(2024, 1, 1)
    ties = [
        Tie("a", "b", "knows", since, provenance="interview"),
        Tie(
            "b", "c", "collaborates", since, provenance="survey:r1", attributes={"confirmed": True}
        ),
        Tie(
            "c", "d", "collaborates", since, provenance="survey:r1", attributes={"confirmed": False}
        ),
    ]
    repo.datasets.import_(Dataset(actors, ties), proeftuin="p2")


def test_confirmed_ties_only_leaves_out_the_unconfirmed_survey_tie(client, repo, keys):
    _survey_network(repo)
    base = "/api/v1/proeftuinen/p2/metrics"
    query = "?at=2025-01-01&types=knows,collaborates"
    every = client.get(base + query, headers=auth(keys, "analyst"))
    confirmed = client.get(base + query + "&ties=confirmed", headers=auth(keys, "analyst"))
    assert every.status_code == confirmed.status_code == 200
    # Undirected, 4 actors, 6 possible pairs: 3 ties -> 0.5; without c-d, 2 -> 1/3.
    assert every.get_json()["metrics"]["cohesion"]["density"] == pytest.approx(3 / 6)
    assert confirmed.get_json()["metrics"]["cohesion"]["density"] == pytest.approx(2 / 6)
    assert every.get_json()["request"]["ties"] == "all"
    assert confirmed.get_json()["request"]["ties"] == "confirmed"
    # The default is all: the same numbers as ties=all.
    explicit = client.get(base + query + "&ties=all", headers=auth(keys, "analyst")).get_json()
    assert explicit["metrics"] == every.get_json()["metrics"]
    # Degrees: d loses its only tie, c one of two.
    degrees = {}
    for choice in ("all", "confirmed"):
        body = client.get(
            f"{base}/actors{query}&ties={choice}", headers=auth(keys, "analyst")
        ).get_json()
        degrees[choice] = {a["key"]: a["degree"] for a in body["actors"]}
    assert degrees == {
        "all": {"a": 1, "b": 2, "c": 2, "d": 1},
        "confirmed": {"a": 1, "b": 2, "c": 1, "d": 0},
    }
    # The choice is part of the ETag and of the response cache's key.
    assert every.headers["ETag"] != confirmed.headers["ETag"]
    cross = client.get(
        base + query + "&ties=confirmed",
        headers={**auth(keys, "analyst"), "If-None-Match": every.headers["ETag"]},
    )
    assert cross.status_code == 200
    assert cross.get_json()["metrics"]["cohesion"]["density"] == pytest.approx(2 / 6)
    again = client.get(base + query + "&ties=confirmed", headers=auth(keys, "analyst"))
    assert again.headers["X-Cache"] == "hit" and again.get_json() == confirmed.get_json()
    # The changes follow the choice too: a-b and b-c appeared, c-d is left out.
    changes = client.get(
        "/api/v1/proeftuinen/p2/changes?from=2023-12-01&to=2025-01-01"
        "&types=knows,collaborates&ties=confirmed",
        headers=auth(keys, "analyst"),
    ).get_json()
    assert changes["ties"]["appeared"] == 2
    # Anything else is refused, naming the parameter.
    bad = client.get(base + query + "&ties=maybe", headers=auth(keys, "analyst"))
    assert bad.status_code == 422 and "ties" in bad.get_data(as_text=True)
