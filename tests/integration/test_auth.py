"""API keys, roles and sign-in on the real Neo4j (docs/architecture.md §6 "Auth")."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from graphsvc.cli.main import cli
from graphsvc.transfer.seeding import load_seeds
from graphsvc.web import auth
from graphsvc.web.app import create_app

KEY_RE = re.compile(r"gsk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}")
SEEDED = "zandwijk"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

# Routes anyone may reach: endpoint names, plus health checks wherever they are registered.
PUBLIC_ENDPOINTS = {
    "static",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "docs_assets",
    "signin.signin",
    "signin.signout",
    # Survey answering: authenticated by the personal link itself (graphsvc.web.survey_pages).
    "survey.start",
    "survey.give_consent",
    "survey.register",
    "survey.question",
    "survey.answer",
    "survey.withdraw_page",
    "survey.withdraw",
}
PUBLIC_NAMES = {"healthz", "readyz"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.rsplit(".", 1)[-1] in PUBLIC_NAMES


# -- bearer keys ------------------------------------------------------------------------------


def test_no_key_is_401_problem_with_a_bearer_challenge(client, repo):
    resp = client.get("/api/v1/proeftuinen", headers={"Accept-Language": "en"})
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="graphsvc"'
    body = resp.get_json()
    assert body["status"] == 401 and "Authorization: Bearer" in body["detail"]
    assert body["detail_nl"].startswith("Aanmelden is nodig")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer gsk_0123abcd_" + "x" * 43,  # well-formed, not in the store
        "Bearer gsk_0123abcd_short",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_wrong_key_is_401_invalid_token(client, keys, header):
    resp = client.get("/api/v1/proeftuinen", headers={"Authorization": header})
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="graphsvc", error="invalid_token"'
    assert "invalid" in resp.get_json()["detail_en"]


def test_a_key_from_another_key_with_the_id_swapped_fails(client, keys):
    viewer = keys["viewer"]
    admin_id = KEY_RE.fullmatch(keys["admin"]).group(1)
    forged = f"gsk_{admin_id}_{viewer.split('_', 2)[2]}"
    assert client.get("/api/v1/proeftuinen", headers=bearer(forged)).status_code == 401


def test_viewer_on_an_admin_endpoint_is_403(client, keys):
    resp = client.get("/api/v1/keys", headers=bearer(keys["viewer"]))
    assert resp.status_code == 403 and resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["required_role"] == "admin" and body["role"] == "viewer"
    assert client.get("/api/v1/keys", headers=bearer(keys["editor"])).status_code == 403
    assert client.get("/api/v1/keys", headers=bearer(keys["admin"])).status_code == 200


def test_admin_creates_lists_and_revokes_a_key(client, keys, repo):
    admin = bearer(keys["admin"])
    resp = client.post(
        "/api/v1/keys", json={"name": " Dashboard  Lindehoven ", "role": "analyst"}, headers=admin
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.headers["Cache-Control"] == "no-store"
    created = resp.get_json()
    assert created["name"] == "Dashboard Lindehoven" and created["role"] == "analyst"
    match = KEY_RE.fullmatch(created["key"])
    assert match and match.group(1) == created["id"]
    new = bearer(created["key"])
    assert client.get("/api/v1/proeftuinen", headers=new).status_code == 200
    assert client.get("/api/v1/keys", headers=new).status_code == 403

    listing = client.get("/api/v1/keys", headers=admin)
    text = listing.get_data(as_text=True)
    assert created["key"] not in text and auth.hash_key(created["key"]) not in text
    row = next(k for k in listing.get_json() if k["id"] == created["id"])
    assert row == {
        "id": created["id"],
        "name": "Dashboard Lindehoven",
        "role": "analyst",
        "created": row["created"],
        "revoked": False,
    }
    assert re.match(r"\d{4}-\d\d-\d\dT", row["created"])

    assert client.delete(f"/api/v1/keys/{created['id']}", headers=admin).status_code == 204
    revoked = client.get("/api/v1/proeftuinen", headers=new)
    assert revoked.status_code == 401
    row = next(
        k for k in client.get("/api/v1/keys", headers=admin).get_json() if k["id"] == created["id"]
    )
    assert row["revoked"] is True
    assert client.delete("/api/v1/keys/0000zzzz", headers=admin).status_code == 404


def test_key_creation_validates_role_and_name(client, keys):
    admin = bearer(keys["admin"])
    resp = client.post("/api/v1/keys", json={"name": "x", "role": "owner"}, headers=admin)
    assert resp.status_code == 422
    assert [e["field"] for e in resp.get_json()["errors"]] == ["role"]
    resp = client.post("/api/v1/keys", json={"name": "   ", "role": "viewer"}, headers=admin)
    assert resp.status_code == 422 and resp.get_json()["field"] == "name"
    # Unauthenticated creation is refused before the body is even looked at.
    assert client.post("/api/v1/keys", json={"role": "owner"}).status_code == 401


def test_only_the_hash_is_stored(app, repo):
    with app.app_context():
        id_, key = auth.create_key("viewer", "hash check")
    stored = repo.api_keys.get(id_)
    assert stored["hash"] == auth.hash_key(key)
    assert key not in repr(stored) and key.split("_", 2)[2] not in repr(stored)
    assert repo.api_keys.get_by_hash(auth.hash_key(key))["id"] == id_
    assert all("hash" not in row for row in repo.api_keys.list())
    with app.app_context():
        auth.revoke(id_)
    assert repo.api_keys.get_by_hash(auth.hash_key(key)) is None


# -- throttling -------------------------------------------------------------------------------


def test_ten_bad_keys_then_429_with_rate_limit_headers_but_good_keys_still_served(client, keys):
    """One broken script behind a NAT must not lock out the others behind it."""
    shared = {"REMOTE_ADDR": "10.0.0.66"}
    wrong = bearer("gsk_0123abcd_" + "y" * 43)
    for n in range(10):
        resp = client.get("/api/v1/proeftuinen", headers=wrong, environ_base=shared)
        assert resp.status_code == 401
        assert resp.headers["RateLimit-Limit"] == "10"
        assert resp.headers["RateLimit-Remaining"] == str(9 - n)
    resp = client.get("/api/v1/proeftuinen", headers=wrong, environ_base=shared)
    assert resp.status_code == 429 and resp.mimetype == "application/problem+json"
    retry = int(resp.headers["Retry-After"])
    assert 1 <= retry <= 60 and resp.get_json()["retry_after"] == retry
    assert resp.headers["RateLimit-Limit"] == "10"
    assert resp.headers["RateLimit-Remaining"] == "0"
    assert 1 <= int(resp.headers["RateLimit-Reset"]) <= 60
    assert resp.headers["RateLimit-Policy"] == "10;w=60"
    # A valid key from the same address is served, and carries no rate-limit headers ...
    good = client.get("/api/v1/proeftuinen", headers=bearer(keys["viewer"]), environ_base=shared)
    assert good.status_code == 200 and "RateLimit-Remaining" not in good.headers
    # ... also through the sign-in form ...
    form = client.post("/signin", data={"key": keys["viewer"]}, environ_base=shared)
    assert form.status_code == 303
    # ... while another bad key from there is still refused with 429.
    other_bad = bearer("gsk_89abcdef_" + "z" * 43)
    assert (
        client.get("/api/v1/proeftuinen", headers=other_bad, environ_base=shared).status_code == 429
    )


def test_bad_secrets_for_one_key_id_are_throttled_across_addresses(client, keys):
    """Guessing the secret of a known key id from many addresses is throttled by the id."""
    id_ = auth.key_id(keys["viewer"])
    for n in range(10):
        wrong = bearer(f"gsk_{id_}_" + "w" * 42 + str(n))
        resp = client.get(
            "/api/v1/proeftuinen", headers=wrong, environ_base={"REMOTE_ADDR": f"10.2.0.{n}"}
        )
        assert resp.status_code == 401
    wrong = bearer(f"gsk_{id_}_" + "v" * 43)
    fresh_address = {"REMOTE_ADDR": "10.2.0.99"}
    blocked = client.get("/api/v1/proeftuinen", headers=wrong, environ_base=fresh_address)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    # The key of that id itself still works, from anywhere.
    good = client.get(
        "/api/v1/proeftuinen", headers=bearer(keys["viewer"]), environ_base=fresh_address
    )
    assert good.status_code == 200


def test_trusted_proxy_address_is_used_only_when_configured(test_settings, keys):
    """X-Forwarded-For decides the throttled address only with TRUSTED_PROXIES set."""
    wrong = bearer("gsk_0123abcd_" + "x" * 43)
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    for proxies, blocked_client in ((0, "proxy"), (1, "forwarded")):
        app = create_app({**test_settings, "TRUSTED_PROXIES": proxies})
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.3.0.1"}
        for _ in range(10):
            client.get("/api/v1/proeftuinen", headers={**wrong, **forwarded}, environ_base=proxy)
        # Another client forwarded by the same proxy, with a bad key of another id:
        other = {**bearer("gsk_fedcba98_" + "x" * 43), "X-Forwarded-For": "203.0.113.8"}
        status = client.get("/api/v1/proeftuinen", headers=other, environ_base=proxy).status_code
        # Untrusted: every client behind the proxy is one address, so it is blocked too.
        assert status == (429 if blocked_client == "proxy" else 401), proxies


# -- sign-in for people -----------------------------------------------------------------------


def test_signin_page_in_dutch_and_english(client, repo):
    page = client.get("/signin")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html and "Aanmelden" in html
    assert 'name="key"' in html and 'type="password"' in html
    english = client.get("/signin?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Sign in with your API key" in english


def test_a_browser_is_sent_to_signin_and_back(client, keys, repo):
    list(load_seeds(repo))
    resp = client.get("/?lang=en", headers=HTML)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/signin?next=/?lang%3Den&lang=en"
    form = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/?lang=en"' in form

    resp = client.post("/signin?lang=en", data={"key": keys["viewer"], "next": "/?lang=en"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/?lang=en"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    content = cookie_content(client.application, cookie)
    # The key id, the check tied to this key and the CSRF token; never the role or the key.
    assert set(content) == {"key_id", "check", "csrf"}
    assert content["key_id"] == auth.key_id(keys["viewer"])
    assert keys["viewer"] not in repr(content)
    assert auth.hash_key(keys["viewer"]) not in repr(content)

    page = client.get("/?lang=en", headers=HTML)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<ul class="sizes"') == 8 and "Sign out" in html
    token = form_token(html)
    assert token == content["csrf"] and len(token) >= 40
    # A signed-in viewer is still only a viewer.
    assert client.get("/api/v1/keys").status_code == 403

    # Signing out is a write like any other: without the page's token it is refused.
    assert client.post("/signout?lang=en").status_code == 403
    assert client.get("/", headers=HTML).status_code == 200
    out = client.post("/signout?lang=en", data={"csrf_token": token})
    assert out.status_code == 303
    assert client.get("/", headers=HTML).status_code == 302


def cookie_content(app, set_cookie: str) -> dict:
    value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    return app.session_interface.get_signing_serializer(app).loads(value)


def form_token(html: str) -> str:
    """The CSRF token of the first form of a page (every form carries the same one)."""
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def signed_cookie(app, content: dict) -> str:
    """A session cookie value as someone who knows the app's secret could sign it."""
    return app.session_interface.get_signing_serializer(app).dumps(content)


def test_a_wrong_key_in_the_form_shows_the_form_again(client, repo):
    resp = client.post("/signin", data={"key": "gsk_0123abcd_" + "z" * 43})
    assert resp.status_code == 401
    html = resp.get_data(as_text=True)
    assert "ongeldig of ingetrokken" in html and 'name="key"' in html
    assert "Set-Cookie" not in resp.headers


def test_signin_never_redirects_off_site(client, keys):
    resp = client.post("/signin", data={"key": keys["viewer"], "next": "//evil.example/"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/"


def test_revocation_ends_a_session_at_once(app, client, repo):
    with app.app_context():
        id_, key = auth.create_key("viewer", "session revocation")
    assert client.post("/signin", data={"key": key}).status_code == 303
    assert client.get("/api/v1/proeftuinen").status_code == 200
    with app.app_context():
        auth.revoke(id_)
    # The very next request reads the key from the store and finds it revoked.
    assert client.get("/api/v1/proeftuinen").status_code == 401
    assert client.get("/", headers=HTML).status_code == 302
    with client.session_transaction() as session:
        assert "key_id" not in session


def test_a_cookie_signed_with_the_secret_is_no_authority_of_its_own(app, client, keys, repo):
    """The attack: a cookie signed with a known secret that names an admin key and role.

    Without the check tied to the stored key it is refused; a role written into a genuine
    viewer's cookie changes nothing; nothing is created.
    """
    admin_id = auth.key_id(keys["admin"])
    with app.app_context():
        before = {k["id"] for k in auth.list_keys()}
    forged = signed_cookie(app, {"key_id": admin_id, "role": "admin", "check": "0" * 32})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    assert client.get("/api/v1/keys").status_code == 401
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    created = client.post(
        "/api/v1/keys", json={"role": "admin", "name": "forged"}, headers={"X-CSRF-Token": "x"}
    )
    assert created.status_code in (401, 403)
    # A cookie without any check at all, as the old cookie format allowed.
    client.set_cookie(
        app.config["SESSION_COOKIE_NAME"],
        signed_cookie(app, {"key_id": admin_id, "role": "admin", "checked": 1e12}),
    )
    assert client.get("/api/v1/keys").status_code == 401

    # A real viewer's session, with "admin" written into it: still the stored role.
    assert client.post("/signin", data={"key": keys["viewer"]}).status_code == 303
    with client.session_transaction() as session:
        session["role"] = "admin"
        token = session["csrf"]
    assert client.get("/api/v1/keys").status_code == 403
    refused = client.post(
        "/api/v1/keys", json={"role": "admin", "name": "forged"}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403
    with app.app_context():
        assert {k["id"] for k in auth.list_keys()} == before


def test_the_stored_name_and_role_are_the_sessions(app, client, keys):
    assert client.post("/signin", data={"key": keys["analyst"]}).status_code == 303
    with client:
        assert client.get("/api/v1/proeftuinen").status_code == 200
        principal = auth.current_principal()
        assert principal is not None
        assert (principal.id, principal.name, principal.role) == (
            auth.key_id(keys["analyst"]),
            "test analyst",
            "analyst",
        )


def test_a_tampered_session_check_is_refused(client, keys):
    assert client.post("/signin", data={"key": keys["admin"]}).status_code == 303
    with client.session_transaction() as session:
        session["check"] = "0" * 32
    assert client.get("/api/v1/keys").status_code == 401


def test_secure_cookie_is_configurable(test_settings, repo, keys):
    app = create_app({**test_settings, "SESSION_COOKIE_SECURE": True})
    resp = app.test_client().post("/signin", data={"key": keys["viewer"]})
    assert resp.status_code == 303 and "Secure" in resp.headers["Set-Cookie"]


def test_the_cookie_is_secure_over_https(client, keys):
    resp = client.post("/signin", data={"key": keys["viewer"]}, base_url="https://localhost")
    assert resp.status_code == 303 and "; Secure" in resp.headers["Set-Cookie"]
    plain = client.application.test_client().post("/signin", data={"key": keys["viewer"]})
    assert plain.status_code == 303 and "Secure" not in plain.headers["Set-Cookie"]


# -- cross-site request forgery ----------------------------------------------------------------


def signed_in_editor(client, keys) -> str:
    """Sign ``client`` in as editor; the CSRF token of its pages."""
    assert client.post("/signin", data={"key": keys["editor"]}).status_code == 303
    return form_token(client.get(f"/proeftuinen/{SEEDED}", headers=HTML).get_data(as_text=True))


def layout_version(repo) -> int:
    return repo.placements.get_stamp([SEEDED])["layouts"][SEEDED]


@pytest.mark.parametrize(
    "headers, data",
    [
        ({}, {}),  # no token at all
        ({}, {"csrf_token": "wrong"}),
        ({"X-CSRF-Token": ""}, {}),
        ({"Sec-Fetch-Site": "same-site"}, "TOKEN"),  # another port of the same host
        ({"Sec-Fetch-Site": "cross-site"}, "TOKEN"),
        ({"Origin": "http://127.0.0.1:8123"}, "TOKEN"),  # a browser without Sec-Fetch-*
        ({"Origin": "null"}, "TOKEN"),
    ],
)
def test_a_forged_write_with_the_cookie_is_403_and_changes_nothing(
    client, keys, repo, headers, data
):
    list(load_seeds(repo))
    token = signed_in_editor(client, keys)
    before = layout_version(repo)
    data = {"csrf_token": token} if data == "TOKEN" else data
    resp = client.post(
        f"/proeftuinen/{SEEDED}/layout",
        data={"next": f"/proeftuinen/{SEEDED}", **data},
        headers={**HTML, **headers},
    )
    assert resp.status_code == 403 and resp.mimetype == "application/problem+json"
    # one title per status; the detail names the cause
    assert resp.get_json()["title"] == "Forbidden"
    assert "komt niet van" in resp.get_json()["detail_nl"]  # a CSRF refusal, in its words
    assert layout_version(repo) == before
    actor = client.post(
        f"/api/v1/proeftuinen/{SEEDED}/actors",
        json={"key": "csrf-1", "kind": "resident", "name": "Vervalst"},
        headers={**headers, **({"X-CSRF-Token": data["csrf_token"]} if data else {})},
    )
    assert actor.status_code == 403
    assert client.get(f"/api/v1/proeftuinen/{SEEDED}/actors/csrf-1").status_code == 404


def test_our_own_forms_and_fetches_pass(client, keys, repo):
    list(load_seeds(repo))
    token = signed_in_editor(client, keys)
    before = layout_version(repo)
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
    resp = client.post(
        f"/proeftuinen/{SEEDED}/layout",
        data={"next": f"/proeftuinen/{SEEDED}", "csrf_token": token},
        headers={**HTML, **same},
    )
    assert resp.status_code == 303 and resp.headers["Location"] == f"/proeftuinen/{SEEDED}"
    assert layout_version(repo) != before
    # A fetch() of our pages (the API docs' "Try it out") sends the token as a header.
    actor = client.post(
        f"/api/v1/proeftuinen/{SEEDED}/actors",
        json={"key": "csrf-2", "kind": "resident", "name": "Echt"},
        headers={"X-CSRF-Token": token, "Origin": "http://localhost"},
    )
    assert actor.status_code == 201, actor.get_data(as_text=True)


def test_bearer_writes_need_no_token(client, keys, repo):
    list(load_seeds(repo))
    resp = client.post(
        f"/api/v1/proeftuinen/{SEEDED}/actors",
        json={"key": "script-1", "kind": "resident", "name": "Uit een script"},
        headers=bearer(keys["editor"]),
    )
    assert resp.status_code == 201


def test_signing_in_from_another_site_is_refused(client, keys):
    resp = client.post(
        "/signin", data={"key": keys["viewer"]}, headers={"Sec-Fetch-Site": "same-site"}
    )
    assert resp.status_code == 403 and "Set-Cookie" not in resp.headers


def test_anonymous_role_from_config(test_settings, repo):
    app = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"})
    client = app.test_client()
    assert client.get("/api/v1/proeftuinen").status_code == 200
    assert client.get("/", headers=HTML).status_code == 200
    assert client.get("/api/v1/keys").status_code == 403


# -- command line ------------------------------------------------------------------------------


def test_cli_create_list_revoke(runner, client, repo):
    result = runner.invoke(cli, ["keys", "create", "--role", "editor", "--name", "Import script"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    match = KEY_RE.fullmatch(key)
    assert match, result.stdout
    id_ = match.group(1)
    assert "maar één keer getoond" in result.stderr and "shown only once" in result.stderr
    assert client.get("/api/v1/proeftuinen", headers=bearer(key)).status_code == 200

    listing = runner.invoke(cli, ["keys", "list"])
    assert listing.exit_code == 0
    line = next(x for x in listing.output.splitlines() if x.startswith(id_))
    assert "editor" in line and "Import script" in line and "ja/yes" not in line
    assert key not in listing.output and auth.hash_key(key) not in listing.output

    revoked = runner.invoke(cli, ["keys", "revoke", id_])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/proeftuinen", headers=bearer(key)).status_code == 401
    listing = runner.invoke(cli, ["keys", "list"])
    assert "ja/yes" in next(x for x in listing.output.splitlines() if x.startswith(id_))


def test_cli_refuses_unknown_roles_and_ids(runner, repo):
    bad_role = runner.invoke(cli, ["keys", "create", "--role", "owner", "--name", "x"])
    assert bad_role.exit_code == 2
    missing = runner.invoke(cli, ["keys", "revoke", "ffffffff"])
    assert missing.exit_code == 1
    assert "Er is geen API-sleutel" in missing.stderr and "There is no API key" in missing.stderr


# -- the OpenAPI document ----------------------------------------------------------------------


def test_openapi_declares_the_bearer_scheme_and_each_operations_role(client, repo):
    spec = client.get("/api/v1/openapi.json").get_json()
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    listing = spec["paths"]["/api/v1/proeftuinen"]["get"]
    assert listing["security"] == [{"bearerAuth": []}]
    assert listing["x-minimum-role"] == "viewer" and "401" in listing["responses"]
    keys_path = spec["paths"]["/api/v1/keys"]
    assert keys_path["post"]["x-minimum-role"] == "admin"
    assert keys_path["get"]["x-minimum-role"] == "admin"
    assert spec["paths"]["/api/v1/keys/{key_id}"]["delete"]["x-minimum-role"] == "admin"


# -- the role matrix ---------------------------------------------------------------------------


def test_every_route_declares_a_minimum_role(app):
    registry = auth.role_registry(app)
    missing = sorted(
        f"{rule.endpoint:<40} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'})):<12} "
        f"{rule.rule}"
        for rule in app.url_map.iter_rules()
        if not is_public(rule.endpoint) and rule.endpoint not in registry
    )
    assert not missing, (
        "These routes have no @require_role(...) (put it right under the route decorator), "
        "or belong in PUBLIC_ENDPOINTS of tests/integration/test_auth.py:\n  "
        + "\n  ".join(missing)
    )


def test_role_matrix(app, client, keys, repo):
    list(load_seeds(repo))
    registry = auth.role_registry(app)
    checked, failures = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "GET" not in rule.methods
            or is_public(rule.endpoint)
            or rule.endpoint not in registry
            or not set(rule.arguments) <= {"key"}
        ):
            continue
        role = auth.required_role(app.view_functions[rule.endpoint], "GET")
        with app.test_request_context():
            url = url_for(rule.endpoint, **({"key": SEEDED} if "key" in rule.arguments else {}))
        checked.append(url)
        status = client.get(url).status_code
        if status != 401:
            failures.append(f"{url}: no key -> {status}, expected 401")
        for lower in auth.ROLES[: auth.ROLES.index(role)]:
            status = client.get(url, headers=bearer(keys[lower])).status_code
            if status != 403:
                failures.append(f"{url}: {lower} -> {status}, expected 403 (needs {role})")
        status = client.get(url, headers=bearer(keys[role])).status_code
        if status in (401, 403):
            failures.append(f"{url}: {role} -> {status}, expected access")
    assert {"/", "/api/v1/proeftuinen", f"/api/v1/proeftuinen/{SEEDED}", "/api/v1/keys"} <= set(
        checked
    )
    assert not failures, "\n".join(failures)
