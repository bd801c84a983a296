"""What outside clients rely on: strict parameters, content types, titles, ETag/If-Match,
CORS and an OpenAPI document complete enough to generate a typed client from."""

from __future__ import annotations

import pytest

from graphsvc.web.app import create_app

PROBLEM = "application/problem+json"


@pytest.fixture
def call(client, keys):
    def do(method: str, url: str, role: str = "editor", **kwargs):
        headers = {"Authorization": f"Bearer {keys[role]}", **kwargs.pop("headers", {})}
        return client.open(url, method=method, headers=headers, **kwargs)

    return do


@pytest.fixture
def site(call):
    assert call("POST", "/api/v1/proeftuinen", json={"key": "west", "name": "West"}).status_code
    for key, kind, name in (("a1", "resident", "Ana"), ("a2", "resident", "Bo")):
        resp = call(
            "POST", "/api/v1/proeftuinen/west/actors", json={"key": key, "kind": kind, "name": name}
        )
        assert resp.status_code == 201
    tie = {"source": "a1", "target": "a2", "type": "knows", "since": "2024-01-01"}
    assert call("POST", "/api/v1/proeftuinen/west/ties", json=tie).status_code == 201
    meeting = {"key": "m1", "date": "2024-02-01", "title": "Buurtavond"}
    assert call("POST", "/api/v1/proeftuinen/west/meetings", json=meeting).status_code == 201
    return "west"


def _problem(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == PROBLEM
    return resp.get_json()


# -- strict parameters ------------------------------------------------------------------------


def test_an_unknown_query_parameter_is_a_400_naming_it_in_dutch_and_english(call, site):
    body = _problem(call("GET", "/api/v1/proeftuinen/west/ties?types=knows,funds", "analyst"), 400)
    assert body["title"] == "Bad Request" and body["field"] == "types"
    assert "'types'" in body["detail_nl"] and "Onbekende" in body["detail_nl"]
    assert "'types'" in body["detail_en"] and "Unknown" in body["detail_en"]
    assert body["errors"] == [{"field": "types", "in": "query", "message": "Unknown parameter."}]
    # Also on operations that take no query parameters at all; lang is always allowed.
    assert _problem(call("GET", "/api/v1/proeftuinen/west?x=1", "viewer"), 400)["field"] == "x"
    assert call("GET", "/api/v1/proeftuinen/west?lang=en", "viewer").status_code == 200


def test_a_repeated_single_valued_parameter_is_a_400(call, site):
    body = _problem(
        call("GET", "/api/v1/proeftuinen/west/ties?type=knows&type=funds", "analyst"), 400
    )
    assert body["field"] == "type" and "more than once" in body["detail_en"]
    both = call("GET", "/api/v1/proeftuinen/west/ties?type=knows,funds", "analyst")
    assert both.status_code == 200 and both.get_json()["total"] == 1
    page = _problem(call("GET", "/api/v1/proeftuinen/west/actors?page=1&page=2", "analyst"), 400)
    assert page["field"] == "page"


def test_a_body_of_the_wrong_content_type_is_415(call, site):
    resp = call(
        "POST",
        "/api/v1/proeftuinen/west/actors",
        data='{"key": "a3", "kind": "resident", "name": "Cy"}',
        headers={"Content-Type": "text/plain"},
    )
    body = _problem(resp, 415)
    assert body["title"] == "Unsupported Media Type" and "text/plain" in body["detail_en"]
    imports = call(
        "POST", "/api/v1/imports", data="a,b", headers={"Content-Type": "text/csv"}, role="editor"
    )
    assert _problem(imports, 415)["field"] == "Content-Type"
    # Nothing was written.
    assert call("GET", "/api/v1/proeftuinen/west/actors/a3", "analyst").status_code == 404


def test_one_title_per_status(call, site):
    titles = {
        422: [
            call("POST", "/api/v1/proeftuinen/west/actors", json={"key": "x"}),  # webargs
            call("POST", "/api/v1/imports", data={"actors": "key,kind\n"}),  # an import
        ],
        404: [
            call("GET", "/api/v1/proeftuinen/nope", "viewer"),  # the store
            call("GET", "/api/v1/nothing-here", "viewer"),  # werkzeug
        ],
    }
    for status, responses in titles.items():
        assert {_problem(r, status)["title"] for r in responses} == {
            {422: "Unprocessable Content", 404: "Not Found"}[status]
        }


# -- ETag and If-Match ------------------------------------------------------------------------


def test_if_match_on_an_actor_put_and_delete(call, site):
    url = "/api/v1/proeftuinen/west/actors/a1"
    got = call("GET", url, "analyst")
    etag = got.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong: usable in If-Match
    assert call("GET", url, "analyst", headers={"If-None-Match": etag}).status_code == 304

    body = {"kind": "resident", "name": "Ana B.", "attributes": {"age": 40}}
    first = call("PUT", url, json=body, headers={"If-Match": etag})
    assert first.status_code == 200 and first.get_json()["name"] == "Ana B."
    new_etag = first.headers["ETag"]
    assert new_etag != etag and call("GET", url, "analyst").headers["ETag"] == new_etag

    # The second editor still holds the old ETag: refused, nothing changed.
    stale = _problem(
        call("PUT", url, json={**body, "name": "Overwritten"}, headers={"If-Match": etag}), 412
    )
    assert stale["title"] == "Precondition Failed"
    assert "GET" in stale["detail_en"] and "If-Match" in stale["detail_en"]
    assert "opnieuw op" in stale["detail_nl"]
    assert call("GET", url, "analyst").get_json()["name"] == "Ana B."
    # A weak tag never matches (strong comparison), '*' matches any existing actor.
    weak = call("PUT", url, json=body, headers={"If-Match": "W/" + new_etag})
    assert weak.status_code == 412
    assert call("PUT", url, json=body, headers={"If-Match": "*"}).status_code == 200
    # Without If-Match a write is unconditional, as before.
    assert call("PUT", url, json={**body, "name": "Ana"}).status_code == 200

    assert _problem(call("DELETE", url, headers={"If-Match": new_etag}), 412)
    current = call("GET", url, "analyst").headers["ETag"]
    assert call("DELETE", url, headers={"If-Match": current}).status_code == 204
    assert call("GET", url, "analyst").status_code == 404


def test_an_actor_etag_changes_when_it_joins_another_proeftuin(call, site):
    url = "/api/v1/proeftuinen/west/actors/a2"
    etag = call("GET", url, "analyst").headers["ETag"]
    call("POST", "/api/v1/proeftuinen", json={"key": "oost", "name": "Oost"})
    joined = call(
        "POST",
        "/api/v1/proeftuinen/oost/actors",
        json={"key": "a2", "kind": "resident", "name": "Bo"},
    )
    assert joined.status_code == 201
    assert call("GET", url, "analyst").headers["ETag"] != etag
    body = {"kind": "resident", "name": "Bo"}
    assert call("PUT", url, json=body, headers={"If-Match": etag}).status_code == 412


def test_if_match_on_a_proeftuin_patch_put_and_delete(call, site):
    url = "/api/v1/proeftuinen/west"
    etag = call("GET", url, "viewer").headers["ETag"]
    patched = call("PATCH", url, json={"municipality": "Stad"}, headers={"If-Match": etag})
    assert patched.status_code == 200 and patched.get_json()["municipality"] == "Stad"
    # Any write inside the proeftuin changes its ETag (its counts and version change).
    etag = patched.headers["ETag"]
    call(
        "POST", "/api/v1/proeftuinen/west/actors", json={"key": "a9", "kind": "funder", "name": "F"}
    )
    assert _problem(call("PUT", url, json={"name": "W"}, headers={"If-Match": etag}), 412)
    assert call("GET", url, "viewer").get_json()["name"] == "West"
    assert _problem(call("DELETE", url, headers={"If-Match": etag}), 412)
    fresh = call("GET", url, "viewer").headers["ETag"]
    assert call("DELETE", url, headers={"If-Match": fresh}).status_code == 204


def test_a_single_tie_and_a_meeting_have_etags_and_take_if_match(call, site):
    tie_url = "/api/v1/proeftuinen/west/ties/a2/a1/knows/2024-01-01"  # either order
    tie = call("GET", tie_url, "analyst")
    assert tie.status_code == 200 and tie.get_json()["source"] == "a1"
    bad = _problem(call("GET", "/api/v1/proeftuinen/west/ties/a1/a2/likes/2024-01-01"), 422)
    assert bad["errors"][0]["field"] == "type"
    assert _problem(call("DELETE", tie_url, headers={"If-Match": '"stale"'}), 412)
    assert call("GET", tie_url, "analyst").status_code == 200
    assert call("DELETE", tie_url, headers={"If-Match": tie.headers["ETag"]}).status_code == 204
    assert call("GET", tie_url, "analyst").status_code == 404

    url = "/api/v1/proeftuinen/west/meetings/m1"
    etag = call("GET", url, "analyst").headers["ETag"]
    added = call("POST", url + "/attendance", json={"actors": ["a1"]})
    assert added.status_code == 200
    body = {"date": "2024-02-02", "title": "Verzet"}
    # Recorded attendance changed the meeting: the old ETag no longer matches.
    assert _problem(call("PUT", url, json=body, headers={"If-Match": etag}), 412)
    etag = call("GET", url, "analyst").headers["ETag"]
    updated = call("PUT", url, json=body, headers={"If-Match": etag})
    assert updated.status_code == 200 and updated.get_json()["title"] == "Verzet"
    assert call("DELETE", url, headers={"If-Match": updated.headers["ETag"]}).status_code == 204


# -- CORS -------------------------------------------------------------------------------------


def test_cors_is_off_by_default_and_follows_the_allow_list(test_settings, repo, keys):
    origin = {"Origin": "http://127.0.0.1:8765"}
    off = create_app(test_settings).test_client()
    assert (
        "Access-Control-Allow-Origin" not in off.get("/api/v1/openapi.json", headers=origin).headers
    )

    app = create_app({**test_settings, "CORS_ORIGINS": "http://127.0.0.1:8765, https://x.example"})
    client = app.test_client()
    preflight = client.options(
        "/api/v1/proeftuinen/west/actors/a1",
        headers={
            **origin,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8765"
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "if-match", "content-type"} <= {h.strip() for h in allowed.split(",")}
    got = client.get(
        "/api/v1/proeftuinen", headers={**origin, "Authorization": f"Bearer {keys['viewer']}"}
    )
    assert got.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8765"
    exposed = {h.strip() for h in got.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "RateLimit-Remaining", "Retry-After", "Link"} <= exposed
    assert "Access-Control-Allow-Credentials" not in got.headers
    other = client.get("/api/v1/proeftuinen", headers={"Origin": "http://127.0.0.1:9999"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_malformed_cors_origin_stops_the_app_with_a_message(test_settings):
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        create_app({**test_settings, "CORS_ORIGINS": "https://x.example/path"})


# -- the OpenAPI document ---------------------------------------------------------------------


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                yield path, method, operation, item.get("parameters", [])


def test_every_operation_has_an_operation_id_and_every_parameter_a_description(client, repo):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = list(_operations(spec))
    assert len(operations) >= 38
    ids = [operation.get("operationId") for _, _, operation, _ in operations]
    assert all(ids) and len(set(ids)) == len(ids)
    for path, method, operation, shared in operations:
        for parameter in operation.get("parameters", []) + shared:
            assert parameter.get("description"), (path, method, parameter.get("name"))
        assert "400" in operation["responses"], (path, method)
        if "requestBody" in operation:
            assert "415" in operation["responses"], (path, method)
    changes = spec["paths"]["/api/v1/proeftuinen/{key}/changes"]["get"]["parameters"]
    assert {p["name"] for p in changes} >= {"from", "to"}


def test_metric_responses_have_typed_schemas(client, repo):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    metrics = schemas["MetricsResponse"]
    assert set(metrics["required"]) == {"request", "metrics", "metadata"}
    request = schemas["RequestInfo"]["properties"]
    assert request["proeftuinen"]["nullable"] is True and request["national"]["type"] == "boolean"
    report = schemas["NetworkReport"]
    assert report["properties"]["actors"]["type"] == "integer"
    assert report["additionalProperties"] is True  # room for new metrics
    row = schemas["ActorRow"]["properties"]
    assert row["ei_index"] == {"type": "number", "nullable": True}
    assert schemas["MetricMetadata"]["additionalProperties"] is False


def test_anonymous_access_is_documented_as_configured(test_settings, repo):
    closed = create_app(test_settings).test_client().get("/api/v1/openapi.json").get_json()
    viewer_op = closed["paths"]["/api/v1/proeftuinen"]["get"]
    assert viewer_op["security"] == [{"bearerAuth": []}]
    open_ = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"}).test_client()
    spec = open_.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/api/v1/proeftuinen"]["get"]["security"] == [{"bearerAuth": []}, {}]
    assert "anonymous" in spec["paths"]["/api/v1/proeftuinen"]["get"]["description"]
    # Operations above the anonymous role still need a key.
    assert spec["paths"]["/api/v1/keys"]["get"]["security"] == [{"bearerAuth": []}]
    assert (
        "anonymous callers act as 'viewer'"
        in (spec["components"]["securitySchemes"]["bearerAuth"]["description"])
    )
