"""ETags on the decision routes, the CSV answers and the survey results: present, 304 on a
repeat, another tag for another question (parameter, format, role), after a write, and (for
survey results, which follow no version) after an answer.  And a proeftuin's If-Match across
a wipe: the generation is checked inside the write."""

from __future__ import annotations

import datetime as dt

import pytest

from graphsvc.transfer.seeding import load_seeds
from tests.integration.test_survey import (
    ROUND,
    TODAY,
    answer,
    consent,
    high,
    invite,
    make_round,
)

T = "zandwijk"
AT = "2025-06-30"  # a month end: viewers may ask it

URLS = [
    f"/api/v1/proeftuinen/{T}/signals?at={AT}",
    f"/api/v1/proeftuinen/{T}/introductions?at={AT}&limit=5",
    f"/api/v1/proeftuinen/{T}/introductions?at={AT}&limit=5&format=csv",
    f"/api/v1/proeftuinen/{T}/meeting-effects?window=90",
    f"/api/v1/proeftuinen/{T}/meeting-effects?format=csv",
    f"/api/v1/proeftuinen/{T}/meetings/zandwijk-m01/effect",
    f"/api/v1/proeftuinen/{T}/phases",
    f"/api/v1/proeftuinen/{T}/changes?from=2022-12-31&to={AT}&format=csv",
    f"/api/v1/proeftuinen/{T}/metrics/actors?at={AT}&format=csv",
    f"/api/v1/compare?proeftuinen={T},klein&at={AT}&format=csv",
]


@pytest.fixture
def site(repo):
    """zandwijk of the demo data, and an empty proeftuin 'klein' to compare it with."""
    assert len(list(load_seeds(repo, [T]))) == 1
    repo.proeftuinen.create("klein", "Klein", "Testgemeente")
    return repo


def auth(keys, role: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role]}", **headers}


def test_every_decision_and_csv_answer_has_an_etag_and_a_304(client, keys, site):
    tags = set()
    for url in URLS:
        first = client.get(url, headers=auth(keys, "analyst"))
        assert first.status_code == 200, (url, first.get_data(as_text=True)[:300])
        tag = first.headers["ETag"]
        assert tag.startswith('W/"'), url
        assert first.headers["Cache-Control"] == "private, no-cache", url
        assert {"Authorization", "Cookie", "Accept"} <= set(first.vary), url
        again = client.get(url, headers=auth(keys, "analyst", **{"If-None-Match": tag}))
        assert again.status_code == 304, url
        assert again.headers["ETag"] == tag and again.get_data() == b"", url
        tags.add(tag)
    assert len(tags) == len(URLS)  # every question its own tag


def test_the_tag_follows_the_parameters_the_format_and_the_role(client, keys, site):
    def tag(url: str, role: str = "analyst", **headers: str) -> str:
        resp = client.get(url, headers=auth(keys, role, **headers))
        assert resp.status_code == 200, (url, resp.get_data(as_text=True)[:300])
        return resp.headers["ETag"]

    intro = f"/api/v1/proeftuinen/{T}/introductions?at={AT}"
    base = tag(f"{intro}&limit=5")
    assert tag(f"{intro}&limit=6") != base
    assert tag(f"/api/v1/proeftuinen/{T}/introductions?at=2025-05-31&limit=5") != base
    assert tag(f"{intro}&limit=5&format=csv") != base
    as_csv = client.get(f"{intro}&limit=5", headers=auth(keys, "analyst", Accept="text/csv"))
    assert as_csv.mimetype == "text/csv" and as_csv.headers["ETag"] != base
    assert tag(f"{intro}&limit=5", "viewer") != base  # pseudonyms instead of names
    assert tag(f"{intro}&limit=5&lang=en") == base  # lang changes error messages only
    effects = f"/api/v1/proeftuinen/{T}/meeting-effects"
    assert tag(f"{effects}?window=30") != tag(f"{effects}?window=90")
    # A 304 only for the same question: the JSON tag does not match the CSV answer.
    csv = client.get(
        f"{intro}&limit=5&format=csv", headers=auth(keys, "analyst", **{"If-None-Match": base})
    )
    assert csv.status_code == 200 and csv.mimetype == "text/csv"


def test_a_write_to_the_proeftuin_changes_every_tag(client, keys, site):
    before = {}
    for url in URLS:
        before[url] = client.get(url, headers=auth(keys, "analyst")).headers["ETag"]
    new = {"key": "zandwijk-r999", "kind": "resident", "name": "Nieuwe Buur"}
    made = client.post(f"/api/v1/proeftuinen/{T}/actors", json=new, headers=auth(keys, "editor"))
    assert made.status_code == 201
    for url, tag in before.items():
        resp = client.get(url, headers=auth(keys, "analyst", **{"If-None-Match": tag}))
        assert resp.status_code == 200, url
        assert resp.headers["ETag"] != tag, url
    # The new resident is an isolate: the signals name it now.
    signals = client.get(URLS[0], headers=auth(keys, "analyst")).get_json()["signals"]
    assert "zandwijk-r999" in {a["key"] for a in signals["isolates_share"]}


def test_an_unknown_proeftuin_is_a_404_not_an_etag(client, keys, site):
    resp = client.get("/api/v1/proeftuinen/nergens/phases", headers=auth(keys, "analyst"))
    assert resp.status_code == 404 and "ETag" not in resp.headers


def test_survey_results_change_their_tag_with_an_answer_though_no_version_rises(
    app, client, keys, site
):
    make_round(client, keys)
    tokens = invite(client, keys, ["zandwijk-i01", "zandwijk-i02"])
    url = f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/results"
    first = client.get(url, headers=auth(keys, "viewer"))
    assert first.status_code == 200 and first.get_json()["answered"] == 0
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    assert (
        client.get(url, headers=auth(keys, "viewer", **{"If-None-Match": tag})).status_code == 304
    )
    version = site.proeftuinen.list_versions([T])[T]

    respondent = app.test_client()  # a phone, without a key
    consent(respondent, tokens["zandwijk-i01"])
    answer(respondent, tokens["zandwijk-i01"], 1, {"a:zandwijk-i02": high(4, 4)})
    assert site.proeftuinen.list_versions([T])[T] == version  # answers raise no version
    after = client.get(url, headers=auth(keys, "viewer", **{"If-None-Match": tag}))
    assert after.status_code == 200 and after.get_json()["answered"] == 1
    assert after.headers["ETag"] != tag
    # The analyst's body differs (non-respondents by name), so does the tag.
    analyst = client.get(url, headers=auth(keys, "analyst"))
    assert (
        analyst.get_json()["non_respondents"] and analyst.headers["ETag"] != after.headers["ETag"]
    )
    rounds = f"/api/v1/proeftuinen/{T}/surveys"
    listed = client.get(rounds, headers=auth(keys, "viewer"))
    opens = (TODAY - dt.timedelta(days=1)).isoformat()
    assert listed.status_code == 200 and listed.get_json()["items"][0]["opens"] == opens
    again = client.get(
        rounds, headers=auth(keys, "viewer", **{"If-None-Match": listed.headers["ETag"]})
    )
    assert again.status_code == 304


def test_a_proeftuin_etag_of_before_a_wipe_fails_if_match_after_it(client, keys, repo):
    repo.proeftuinen.create("p1", "Eén")
    url = "/api/v1/proeftuinen/p1"
    old = client.get(url, headers=auth(keys, "viewer")).headers["ETag"]
    repo.delete_network()  # a new generation; versions start again
    repo.proeftuinen.create("p1", "Eén")
    assert repo.proeftuinen.list_versions(["p1"])["p1"] == 1
    stale = client.patch(
        url, json={"name": "Twee"}, headers=auth(keys, "editor", **{"If-Match": old})
    )
    assert stale.status_code == 412
    assert client.get(url, headers=auth(keys, "viewer")).get_json()["name"] == "Eén"
    fresh = client.get(url, headers=auth(keys, "viewer")).headers["ETag"]
    assert fresh != old
    done = client.patch(
        url, json={"name": "Twee"}, headers=auth(keys, "editor", **{"If-Match": fresh})
    )
    assert done.status_code == 200 and done.headers["ETag"] not in (old, fresh)
