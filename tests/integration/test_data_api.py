"""The data API on a real Neo4j: CRUD status codes and bodies, roles, paging, ETag/304."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


@pytest.fixture
def call(client, keys):
    """``call(method, url, role, **kwargs)``: a request with that role's API key (English)."""

    def do(method: str, url: str, role: str = "editor", **kwargs):
        headers = {
            "Authorization": f"Bearer {keys[role]}",
            "Accept-Language": "en",
            **kwargs.pop("headers", {}),
        }
        return client.open(url, method=method, headers=headers, **kwargs)

    return do


@pytest.fixture
def site(call):
    """Proeftuin 'noord' with three actors (a1, a2 residents, i1 an initiative)."""
    assert (
        call(
            "POST",
            "/api/v1/proeftuinen",
            json={"key": "noord", "name": "Noord", "municipality": "Stad"},
        ).status_code
        == 201
    )
    for key, kind, name in (
        ("a1", "resident", "Ünal"),
        ("a2", "resident", "José"),
        ("i1", "initiative", "Moestuin"),
    ):
        resp = call(
            "POST",
            "/api/v1/proeftuinen/noord/actors",
            json={"key": key, "kind": kind, "name": name},
        )
        assert resp.status_code == 201, resp.get_json()
    return "noord"


def _problem(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == PROBLEM
    return resp.get_json()


# -- proeftuinen ---------------------------------------------------------------------------


def test_proeftuin_create_update_delete(call, repo):
    resp = call(
        "POST", "/api/v1/proeftuinen", json={"key": "zuid", "name": "Zuid", "municipality": "Stad"}
    )
    assert resp.status_code == 201
    assert resp.headers["Location"] == "/api/v1/proeftuinen/zuid"
    body = resp.get_json()
    assert body == {
        "key": "zuid",
        "name": "Zuid",
        "municipality": "Stad",
        "fictional": False,
        "version": 1,
        "actors": 0,
        "meetings": 0,
        "counts": {"resident": 0, "initiative": 0, "official": 0, "funder": 0, "organisation": 0},
    }
    again = _problem(call("POST", "/api/v1/proeftuinen", json={"key": "zuid", "name": "Z"}), 409)
    assert again["field"] == "key" and "zuid" in again["detail"]

    bad = _problem(call("POST", "/api/v1/proeftuinen", json={"key": "Den Haag", "name": " "}), 422)
    assert {e["field"] for e in bad["errors"]} == {"key", "name"}
    assert "key" in bad["detail"] and "name" in bad["detail"]

    patched = call("PATCH", "/api/v1/proeftuinen/zuid", json={"municipality": "Dorp"})
    assert patched.status_code == 200
    assert (patched.get_json()["name"], patched.get_json()["municipality"]) == ("Zuid", "Dorp")
    assert patched.get_json()["version"] == 2
    put = call("PUT", "/api/v1/proeftuinen/zuid", json={"name": "Zuidkant"})
    assert put.status_code == 200
    assert (put.get_json()["name"], put.get_json()["municipality"]) == ("Zuidkant", "")
    assert repo.proeftuinen.list_versions(["zuid"]) == {"zuid": 3}
    _problem(call("PUT", "/api/v1/proeftuinen/nergens", json={"name": "X"}), 404)

    assert call("DELETE", "/api/v1/proeftuinen/zuid").status_code == 204
    assert call("DELETE", "/api/v1/proeftuinen/zuid").status_code == 404
    assert _problem(call("GET", "/api/v1/proeftuinen/zuid", "viewer"), 404)["status"] == 404


def test_roles_guard_the_data_api(call, client, site):
    assert call("GET", "/api/v1/proeftuinen", "viewer").status_code == 200
    denied = _problem(call("GET", "/api/v1/proeftuinen/noord/actors", "viewer"), 403)
    assert "analyst" in denied["detail"]
    assert call("GET", "/api/v1/proeftuinen/noord/actors", "analyst").status_code == 200
    _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/actors",
            "analyst",
            json={"key": "x", "kind": "resident", "name": "X"},
        ),
        403,
    )
    _problem(call("GET", "/api/v1/proeftuinen/noord/exports?format=json", "viewer"), 403)
    _problem(call("DELETE", "/api/v1/proeftuinen/noord", "analyst"), 403)
    anonymous = client.get("/api/v1/proeftuinen/noord/ties")
    assert anonymous.status_code == 401 and anonymous.mimetype == PROBLEM


# -- actors ----------------------------------------------------------------------------------


def test_actor_crud_and_key_rules(call, repo, site):
    created = call(
        "POST",
        "/api/v1/proeftuinen/noord/actors",
        json={
            "key": "f1",
            "kind": "funder",
            "name": "Fonds Leefbaarheid",
            "attributes": {"budget": 25000, "landelijk": True, "regio": "Oost"},
        },
    )
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/v1/proeftuinen/noord/actors/f1"
    assert created.get_json() == {
        "key": "f1",
        "kind": "funder",
        "name": "Fonds Leefbaarheid",
        "proeftuinen": ["noord"],
        "attributes": {"budget": 25000, "landelijk": True, "regio": "Oost"},
    }

    taken = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/actors",
            json={"key": "f1", "kind": "funder", "name": "Fonds Leefbaarheid"},
        ),
        409,
    )
    assert taken["field"] == "key" and "already exists" in taken["detail"]

    # The same funder in a second proeftuin: same key, kind and name adds it there too.
    call("POST", "/api/v1/proeftuinen", json={"key": "zuid", "name": "Zuid"})
    shared = call(
        "POST",
        "/api/v1/proeftuinen/zuid/actors",
        json={"key": "f1", "kind": "funder", "name": "Fonds Leefbaarheid"},
    )
    assert shared.status_code == 201 and shared.get_json()["proeftuinen"] == ["noord", "zuid"]
    # ... but a different actor under a key of another proeftuin is two numberings clashing.
    clash = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/zuid/actors",
            json={"key": "a1", "kind": "official", "name": "Ingrid"},
        ),
        409,
    )
    assert clash["field"] == "key" and "numbering" in clash["detail"]
    assert "nummeringen" in clash["detail_nl"]

    bad = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/actors",
            json={
                "key": " a9",
                "kind": "burger",
                "name": "X",
                "attributes": {"kind": "x", "lijst": [1]},
            },
        ),
        422,
    )
    fields = {e["field"] for e in bad["errors"]}
    assert {"key", "kind"} <= fields and any(f.startswith("attributes") for f in fields)
    assert "kind" in bad["detail"]
    kind_error = next(e for e in bad["errors"] if e["field"] == "kind")
    assert "resident" in kind_error["message"]

    got = call("GET", "/api/v1/proeftuinen/noord/actors/a1", "analyst")
    assert got.status_code == 200 and got.get_json()["name"] == "Ünal"
    put = call(
        "PUT",
        "/api/v1/proeftuinen/noord/actors/a1",
        json={"kind": "resident", "name": "Ünal Çelik", "attributes": {"buurt": "Noord"}},
    )
    assert put.status_code == 200
    assert put.get_json() == {
        "key": "a1",
        "kind": "resident",
        "name": "Ünal Çelik",
        "proeftuinen": ["noord"],
        "attributes": {"buurt": "Noord"},
    }
    renamed = _problem(
        call(
            "PUT",
            "/api/v1/proeftuinen/noord/actors/a1",
            json={"key": "a7", "kind": "resident", "name": "X"},
        ),
        422,
    )
    assert renamed["field"] == "key"
    _problem(
        call(
            "PUT", "/api/v1/proeftuinen/noord/actors/nobody", json={"kind": "resident", "name": "X"}
        ),
        404,
    )

    assert call("DELETE", "/api/v1/proeftuinen/noord/actors/a2").status_code == 204
    _problem(call("GET", "/api/v1/proeftuinen/noord/actors/a2", "analyst"), 404)
    _problem(call("DELETE", "/api/v1/proeftuinen/noord/actors/a2"), 404)
    _problem(call("GET", "/api/v1/proeftuinen/nergens/actors", "analyst"), 404)


def test_actor_paging_filter_and_links(call, site):
    for i in range(7):
        call(
            "POST",
            "/api/v1/proeftuinen/noord/actors",
            json={"key": f"r{i}", "kind": "resident", "name": f"Bewoner {i}"},
        )
    first = call("GET", "/api/v1/proeftuinen/noord/actors?kind=resident&page_size=4", "analyst")
    body = first.get_json()
    assert (body["total"], body["page"], body["page_size"]) == (9, 1, 4)
    assert [a["key"] for a in body["items"]] == ["a1", "a2", "r0", "r1"]
    assert body["prev"] is None
    assert body["next"] == "/api/v1/proeftuinen/noord/actors?kind=resident&page_size=4&page=2"
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'

    last = call("GET", body["next"].replace("page=2", "page=3"), "analyst").get_json()
    assert [a["key"] for a in last["items"]] == ["r6"] and last["next"] is None
    assert last["prev"] == "/api/v1/proeftuinen/noord/actors?kind=resident&page_size=4&page=2"
    beyond = call("GET", "/api/v1/proeftuinen/noord/actors?page=9", "analyst").get_json()
    assert beyond["items"] == [] and beyond["total"] == 10

    initiatives = call(
        "GET", "/api/v1/proeftuinen/noord/actors?kind=initiative", "analyst"
    ).get_json()
    assert [a["key"] for a in initiatives["items"]] == ["i1"] and initiatives["total"] == 1

    too_big = _problem(
        call("GET", "/api/v1/proeftuinen/noord/actors?page_size=501", "analyst"), 422
    )
    assert too_big["errors"][0]["field"] == "page_size" and too_big["errors"][0]["in"] == "query"
    assert "page_size" in too_big["detail"]
    _problem(call("GET", "/api/v1/proeftuinen/noord/actors?kind=burger", "analyst"), 422)


def test_etag_and_conditional_get(call, site):
    url = "/api/v1/proeftuinen/noord/actors?page_size=2"
    first = call("GET", url, "analyst")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first.headers["Vary"]

    cached = call("GET", url, "analyst", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b"" and cached.headers["ETag"] == etag
    # The query string is part of the tag (in any order) ...
    assert call("GET", url + "&page=2", "analyst").headers["ETag"] != etag
    assert (
        call("GET", "/api/v1/proeftuinen/noord/actors?page=1&page_size=2", "analyst").headers[
            "ETag"
        ]
        == call("GET", url + "&page=1", "analyst").headers["ETag"]
    )
    # ... and any write to the proeftuin changes it.
    call(
        "POST",
        "/api/v1/proeftuinen/noord/actors",
        json={"key": "a0", "kind": "resident", "name": "Nieuw"},
    )
    fresh = call("GET", url, "analyst", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert [a["key"] for a in fresh.get_json()["items"]] == ["a0", "a1"]

    for path in (
        "/api/v1/proeftuinen",
        "/api/v1/proeftuinen/noord",
        "/api/v1/proeftuinen/noord/ties",
        "/api/v1/proeftuinen/noord/meetings",
        "/api/v1/proeftuinen/noord/actors/a1",
        "/api/v1/proeftuinen/noord/exports?format=csv",
        "/api/v1/exports",
    ):
        got = call("GET", path, "analyst")
        assert got.status_code == 200, path
        again = call("GET", path, "analyst", headers={"If-None-Match": got.headers["ETag"]})
        assert again.status_code == 304, path


# -- ties --------------------------------------------------------------------------------------


def test_tie_create_list_delete(call, repo, site):
    tie = {
        "source": "a2",
        "target": "a1",
        "type": "knows",
        "since": "2024-03-01",
        "weight": 2.5,
        "provenance": "enquête",
        "attributes": {"waar": "buurthuis"},
    }
    created = call("POST", "/api/v1/proeftuinen/noord/ties", json=tie)
    assert created.status_code == 201
    # Symmetric: stored with the smaller key as source.
    assert created.get_json() == {**tie, "source": "a1", "target": "a2", "until": None}
    assert repo.proeftuinen.list_versions(["noord"]) == {"noord": 5}

    again = _problem(
        call(
            "POST", "/api/v1/proeftuinen/noord/ties", json={**tie, "source": "a1", "target": "a2"}
        ),
        409,
    )
    assert "already exists" in again["detail"]
    for body in (
        {"source": "a1", "target": "i1", "type": "member_of", "since": "2023-09-01"},
        {
            "source": "i1",
            "target": "a1",
            "type": "supports",
            "since": "2024-01-15",
            "until": "2024-12-31",
        },
    ):
        assert call("POST", "/api/v1/proeftuinen/noord/ties", json=body).status_code == 201

    unknown = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/ties",
            json={"source": "a1", "target": "zz", "type": "knows", "since": "2024-01-01"},
        ),
        422,
    )
    assert unknown["field"] == "target" and "'zz'" in unknown["detail"]
    bad = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/ties",
            json={
                "source": "a1",
                "target": "a1",
                "type": "houdt van",
                "since": "01-03-2024",
                "until": "2020-01-01",
                "weight": 0,
            },
        ),
        422,
    )
    assert {e["field"] for e in bad["errors"]} == {"type", "since", "weight"}
    loop = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/ties",
            json={
                "source": "a1",
                "target": "a1",
                "type": "knows",
                "since": "2024-03-01",
                "until": "2024-01-01",
            },
        ),
        422,
    )
    assert {e["field"] for e in loop["errors"]} == {"target", "until"}

    listed = call("GET", "/api/v1/proeftuinen/noord/ties?page_size=2", "analyst").get_json()
    assert listed["total"] == 3 and len(listed["items"]) == 2 and listed["next"]
    some = call("GET", "/api/v1/proeftuinen/noord/ties?type=knows,supports", "analyst").get_json()
    assert [(t["source"], t["type"]) for t in some["items"]] == [
        ("a1", "knows"),
        ("i1", "supports"),
    ]
    assert some["items"][1]["until"] == "2024-12-31"
    _problem(call("GET", "/api/v1/proeftuinen/noord/ties?type=houdt", "analyst"), 422)

    missing = _problem(call("DELETE", "/api/v1/proeftuinen/noord/ties?source=a1&target=a2"), 422)
    assert {e["field"] for e in missing["errors"]} == {"type", "since"}
    gone = call(
        "DELETE", "/api/v1/proeftuinen/noord/ties?source=a2&target=a1&type=knows&since=2024-03-01"
    )
    assert gone.status_code == 204
    by_body = call(
        "DELETE",
        "/api/v1/proeftuinen/noord/ties",
        json={"source": "a1", "target": "i1", "type": "member_of", "since": "2023-09-01"},
    )
    assert by_body.status_code == 204
    _problem(
        call(
            "DELETE",
            "/api/v1/proeftuinen/noord/ties",
            json={"source": "a1", "target": "i1", "type": "member_of", "since": "2023-09-01"},
        ),
        404,
    )
    assert call("GET", "/api/v1/proeftuinen/noord/ties", "analyst").get_json()["total"] == 1


def test_ties_only_between_actors_of_the_proeftuin(call, site):
    call("POST", "/api/v1/proeftuinen", json={"key": "zuid", "name": "Zuid"})
    call(
        "POST",
        "/api/v1/proeftuinen/zuid/actors",
        json={"key": "z1", "kind": "official", "name": "Ingrid"},
    )
    other = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/ties",
            json={"source": "z1", "target": "a1", "type": "advises", "since": "2024-01-01"},
        ),
        422,
    )
    assert other["field"] == "source" and "noord" in other["detail"]


# -- meetings and attendance -------------------------------------------------------------------


def test_meetings_and_attendance(call, repo, site):
    created = call(
        "POST",
        "/api/v1/proeftuinen/noord/meetings",
        json={
            "key": "m1",
            "date": "2024-03-12",
            "title": "Buurtavond",
            "attributes": {"plaats": "Wijkcentrum"},
        },
    )
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/v1/proeftuinen/noord/meetings/m1"
    assert created.get_json() == {
        "key": "m1",
        "date": "2024-03-12",
        "title": "Buurtavond",
        "proeftuin": "noord",
        "attendees": [],
        "attributes": {"plaats": "Wijkcentrum"},
    }
    dup = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/meetings",
            json={"key": "m1", "date": "2024-04-01", "title": "Nog een"},
        ),
        409,
    )
    assert dup["field"] == "key"
    bad = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/meetings",
            json={"key": "m2", "date": "12-03-2024", "title": ""},
        ),
        422,
    )
    assert {e["field"] for e in bad["errors"]} == {"date", "title"}

    version = repo.proeftuinen.list_versions(["noord"])["noord"]
    attended = call(
        "POST",
        "/api/v1/proeftuinen/noord/meetings/m1/attendance",
        json={"actors": ["a1", "i1", "a1"]},
    )
    assert attended.status_code == 200
    assert attended.get_json()["recorded"] == 2
    assert attended.get_json()["meeting"]["attendees"] == ["a1", "i1"]
    assert attended.get_json()["version"] == version + 1
    twice = call(
        "POST", "/api/v1/proeftuinen/noord/meetings/m1/attendance", json={"actors": ["a1"]}
    ).get_json()
    assert twice["recorded"] == 0 and twice["version"] == version + 1  # nothing changed
    stranger = _problem(
        call(
            "POST",
            "/api/v1/proeftuinen/noord/meetings/m1/attendance",
            json={"actors": ["a2", "zz"]},
        ),
        422,
    )
    assert stranger["field"] == "actors" and "zz" in stranger["detail"]
    _problem(
        call("POST", "/api/v1/proeftuinen/noord/meetings/m9/attendance", json={"actors": ["a1"]}),
        404,
    )

    removed = call("DELETE", "/api/v1/proeftuinen/noord/meetings/m1/attendance?actor=a1")
    assert removed.status_code == 200 and removed.get_json()["meeting"]["attendees"] == ["i1"]
    _problem(
        call("DELETE", "/api/v1/proeftuinen/noord/meetings/m1/attendance", json={"actors": ["a1"]}),
        404,
    )
    _problem(call("DELETE", "/api/v1/proeftuinen/noord/meetings/m1/attendance"), 422)

    put = call(
        "PUT",
        "/api/v1/proeftuinen/noord/meetings/m1",
        json={"date": "2024-03-13", "title": "Buurtavond (verzet)"},
    )
    assert put.status_code == 200
    assert put.get_json()["date"] == "2024-03-13" and put.get_json()["attendees"] == ["i1"]
    page = call("GET", "/api/v1/proeftuinen/noord/meetings", "analyst").get_json()
    assert page["total"] == 1 and page["items"][0]["title"] == "Buurtavond (verzet)"
    assert call("GET", "/api/v1/proeftuinen/noord/meetings/m1", "analyst").status_code == 200
    assert call("DELETE", "/api/v1/proeftuinen/noord/meetings/m1").status_code == 204
    _problem(call("GET", "/api/v1/proeftuinen/noord/meetings/m1", "analyst"), 404)
    assert repo.count_all()["relationships"] == 3  # the three IN ties of the actors


def test_openapi_documents_the_data_api(client, repo):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert set(paths["/api/v1/proeftuinen"]) >= {"get", "post"}
    assert set(paths["/api/v1/proeftuinen/{key}"]) >= {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/proeftuinen/{key}/ties"]) >= {"get", "post", "delete"}
    assert set(paths["/api/v1/proeftuinen/{key}/meetings/{meeting}/attendance"]) == {
        "post",
        "delete",
        "parameters",
    }
    export = paths["/api/v1/proeftuinen/{key}/exports"]["get"]
    assert export["x-minimum-role"] == "analyst" and "names" in export["description"]
    assert "application/gexf+xml" in export["responses"]["200"]["content"]
    upload = paths["/api/v1/proeftuinen/{key}/imports"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert upload["x-minimum-role"] == "editor"
    kinds = spec["components"]["schemas"]["Actor"]["properties"]["kind"]["enum"]
    assert kinds == ["resident", "initiative", "official", "funder", "organisation"]
