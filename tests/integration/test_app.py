"""The app on a real Neo4j: start page and the proeftuinen API."""

from __future__ import annotations

from graphsvc.transfer.seeding import load_seeds


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_start_page_lists_the_eight_proeftuinen_with_counts(client, repo, keys):
    list(load_seeds(repo))
    page = client.get("/", headers=bearer(keys["viewer"]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<ul class="sizes"') == 8
    assert "Fictieve demogegevens" in html
    zandwijk = next(p for p in repo.proeftuinen.list() if p.key == "zandwijk")
    assert f'data-kind="resident">{zandwijk.counts["resident"]}</strong>' in html
    english = client.get("/?lang=en", headers=bearer(keys["viewer"])).get_data(as_text=True)
    assert "Fictional demo data" in english


def test_api_lists_proeftuinen_as_json(client, repo, keys):
    list(load_seeds(repo))
    resp = client.get("/api/v1/proeftuinen", headers=bearer(keys["viewer"]))
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert [p["key"] for p in body] == sorted(p["key"] for p in body)
    assert len(body) == 8
    lind = next(p for p in body if p["key"] == "lindehoven")
    assert set(lind["counts"]) == {"resident", "initiative", "official", "funder", "organisation"}
    assert lind["actors"] == sum(lind["counts"].values())
    assert lind["fictional"] is True and lind["version"] >= 1


def test_unknown_proeftuin_is_a_problem_json_404(client, repo, keys):
    resp = client.get(
        "/api/v1/proeftuinen/nope", headers={"Accept-Language": "en", **bearer(keys["viewer"])}
    )
    assert resp.status_code == 404
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert (
        body["status"] == 404 and "nope" in body["detail"] and "bestaat niet" in body["detail_nl"]
    )


def test_openapi_document_and_offline_docs_page(client, repo):
    # Public: no key needed for the document, the docs page and its assets.
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/proeftuinen" in spec["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs-assets/swagger-ui-bundle.js" in page
    assert client.get("/api/v1/docs-assets/swagger-ui-bundle.js").status_code == 200
