"""Real answers of the metric and decision routes against the OpenAPI document, so the typed
schemas cannot drift from what the service sends.

A demo proeftuin (as analyst and as viewer) gives realistic bodies; a tiny proeftuin of two
actors without ties gives the undefined values (null) the schemas must allow.  schemathesis
validates each body against the document's schema of that status and media type (OpenAPI 3.0
``nullable`` included: a null where the schema does not allow it fails).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from graphsvc.dataset import Actor, Attendance, Dataset, Meeting
from graphsvc.transfer.seeding import load_seeds

schemathesis = pytest.importorskip("schemathesis")

SITES = ("zandwijk",)
AT = "2025-06-30"  # a month end: viewers may ask it


@pytest.fixture
def loaded(repo):
    """A demo proeftuin and 'klein' (a resident and an initiative, no tie, one meeting)."""
    assert len(list(load_seeds(repo, SITES))) == len(SITES)
    repo.proeftuinen.create("klein", "Klein", "Testgemeente")
    actors = [
        Actor("k-r1", "resident", "Ria", ("klein",)),
        Actor("k-i1", "initiative", "Buurttuin", ("klein",)),
    ]
    meeting = Meeting("k-m1", dt.date(2024, 3, 1), "Kennismaking", "klein")
    attended = [Attendance("k-m1", "k-r1"), Attendance("k-m1", "k-i1")]
    repo.datasets.import_(Dataset(actors, [], [meeting], attended), proeftuin="klein")
    return repo


@pytest.fixture
def spec(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _routes(key: str, at: str | None) -> list[tuple[str, str]]:
    """(operation path, URL) of every metric and decision route of proeftuin ``key``."""
    q = f"at={at}" if at else ""
    both = f"{q}&" if q else ""
    base = "/api/v1/proeftuinen/{key}"
    meeting = {"zandwijk": "zandwijk-m01", "klein": "k-m1"}[key]
    return [
        (f"{base}/metrics", f"/api/v1/proeftuinen/{key}/metrics?{q}"),
        (f"{base}/metrics/actors", f"/api/v1/proeftuinen/{key}/metrics/actors?{q}"),
        (f"{base}/health", f"/api/v1/proeftuinen/{key}/health?{q}"),
        (
            f"{base}/changes",
            f"/api/v1/proeftuinen/{key}/changes?from=2022-12-31&to={at or dt.date.today()}",
        ),
        (f"{base}/signals", f"/api/v1/proeftuinen/{key}/signals?{q}"),
        (f"{base}/introductions", f"/api/v1/proeftuinen/{key}/introductions?{both}limit=50"),
        (f"{base}/meeting-effects", f"/api/v1/proeftuinen/{key}/meeting-effects"),
        (
            f"{base}/meetings/{{meeting}}/effect",
            f"/api/v1/proeftuinen/{key}/meetings/{meeting}/effect?window=365",
        ),
        (f"{base}/phases", f"/api/v1/proeftuinen/{key}/phases"),
    ]


NATIONAL = [
    ("/api/v1/national/metrics", f"/api/v1/national/metrics?at={AT}"),
    ("/api/v1/national/health", f"/api/v1/national/health?at={AT}"),
    ("/api/v1/national/metrics/actors", f"/api/v1/national/metrics/actors?at={AT}&approximate=1"),
    ("/api/v1/compare", f"/api/v1/compare?proeftuinen=zandwijk,klein&at={AT}"),
]


def _failures(operation, resp) -> list[str]:
    try:
        operation.validate_response(resp)
    except BaseExceptionGroup as group:  # one failure per failed check
        return [str(f)[:800] for f in group.exceptions]
    except AssertionError as failure:
        return [str(failure)[:800]]
    return []


def test_every_metric_and_decision_answer_matches_its_schema(client, keys, loaded, spec):
    checked, failures = 0, []
    for role in ("analyst", "viewer"):
        headers = {"Authorization": f"Bearer {keys[role]}"}
        routes = [r for key in SITES for r in _routes(key, AT)] + _routes("klein", None)
        # An undirected graph (symmetric tie types only) has other nulls than a directed one.
        routes += [
            (p, f"{u}{'&' if '?' in u else '?'}types=knows,collaborates")
            for p, u in _routes("klein", None)[:4]
        ]
        routes += NATIONAL
        for path, url in routes:
            if role == "viewer" and "/metrics/actors" in path:
                continue  # analyst-only
            resp = client.get(url, headers=headers)
            assert resp.status_code == 200, (role, url, resp.get_data(as_text=True)[:300])
            found = _failures(spec[path]["GET"], resp)
            failures += [f"{role} {url}: {f}" for f in found]
            checked += 1
    assert not failures, "\n\n".join(failures[:10])
    assert checked >= 40


def test_the_tiny_proeftuin_answers_null_where_a_metric_is_undefined(client, keys, loaded):
    """The cases that exercise ``allow_none``: if these were numbers, the test above would not
    prove that the schemas allow null."""
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    metrics = client.get("/api/v1/proeftuinen/klein/metrics", headers=analyst).get_json()
    cohesion = metrics["metrics"]["cohesion"]
    assert cohesion["density"] == 0.0 and cohesion["actors"] == 2  # 0 ties of 2 possible (1 pair)
    assert cohesion["transitivity"] is None and cohesion["diameter"] is None
    assert cohesion["centralization"]["degree"] is None  # fewer than 3 actors
    assert cohesion["average_distance"] is None
    assert metrics["metrics"]["mixing"]["funder_dependency"]["funded"] == 0
    # Symmetric tie types only: an undirected graph, where funding has no direction.
    knows = client.get("/api/v1/proeftuinen/klein/metrics?types=knows", headers=analyst)
    assert knows.get_json()["request"]["directed"] is False
    dependency = knows.get_json()["metrics"]["mixing"]["funder_dependency"]
    assert dependency["initiatives"] == 1
    assert dependency["funded"] is None and dependency["funders_per_initiative"] is None
    phases = client.get("/api/v1/proeftuinen/klein/phases", headers=analyst).get_json()
    assert phases["phases"][-1]["phase"] == "scattered"
    assert phases["phases"][-1]["measures"]["core_share"] is None
    effect = client.get(
        "/api/v1/proeftuinen/klein/meetings/k-m1/effect", headers=analyst
    ).get_json()["meeting"]
    # One pair, both at the meeting, no tie formed: rate 0/1; no other pairs: rate null.
    assert effect["co_attending"] == {"pairs": 1, "formed": 0, "rate": 0.0}
    assert effect["comparison"] == {"pairs": 0, "formed": 0, "rate": None}
    assert effect["rate_ratio"] is None


def _served(resp, body) -> TestResponse:
    """``resp`` with another JSON body."""
    return TestResponse(
        [json.dumps(body).encode()],
        "200 OK",
        Headers({"Content-Type": "application/json"}),
        request=resp.request,
    )


def test_the_validation_catches_a_null_or_a_member_where_the_schema_has_none(
    client, keys, loaded, spec
):
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    operation = spec["/api/v1/proeftuinen/{key}/metrics"]["GET"]
    resp = client.get("/api/v1/proeftuinen/klein/metrics", headers=analyst)
    body = resp.get_json()
    assert _failures(operation, _served(resp, body)) == []

    body["metrics"]["cohesion"]["actors"] = None  # a count is never null
    assert _failures(operation, _served(resp, body))
    body["metrics"]["cohesion"]["actors"] = 2
    body["metrics"]["cohesion"]["density"] = None  # but a density may be
    assert _failures(operation, _served(resp, body)) == []
    body["metrics"]["mixing"]["reciprocity"]["share"]["resident"]["initiative"] = "half"
    assert _failures(operation, _served(resp, body))

    phases = spec["/api/v1/proeftuinen/{key}/phases"]["GET"]
    resp = client.get("/api/v1/proeftuinen/klein/phases", headers=analyst)
    body = resp.get_json()
    assert _failures(phases, _served(resp, body)) == []
    body["phases"][0]["phase"] = "unknown"  # not one of the four phases
    assert _failures(phases, _served(resp, body))
    del body["phases"][0]["measures"]["hubs"]  # a required member
    body["phases"][0]["phase"] = "scattered"
    assert _failures(phases, _served(resp, body))
