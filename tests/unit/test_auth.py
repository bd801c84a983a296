"""graphsvc.web.auth without a store: key format, hashing, the throttle window, roles, the guard."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.views import MethodView

from graphsvc.cli.keys import keys as keys_group
from graphsvc.errors import InvalidInput
from graphsvc.web import auth, sessions
from graphsvc.web import problem_details as problems
from graphsvc.web.throttle import FailureThrottle

pytestmark = pytest.mark.unit

KEY_RE = re.compile(r"gsk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


# -- key format and hashing ------------------------------------------------------------


def test_new_key_has_the_documented_format_and_its_id_is_public():
    seen = set()
    for _ in range(200):
        id_, key = auth.new_key()
        assert KEY_RE.fullmatch(key), key
        assert re.fullmatch(r"[0-9a-f]{8}", id_)
        assert key.startswith(f"gsk_{id_}_")
        assert auth.key_id(key) == id_
        seen.add(key)
    assert len(seen) == 200


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "gsk_",
        "gsk_0123abcd_",
        "GSK_0123abcd_" + "a" * 43,
        "gsk_0123ABCD_" + "a" * 43,
        "gsk_0123abc_" + "a" * 43,
        "gsk_0123abcd_" + "a" * 42,
        "gsk_0123abcd_" + "a" * 44,
        "gsk_0123abcd_" + "a" * 42 + "=",
        "gsk_0123abcd_" + "a" * 43 + "\n",
        " gsk_0123abcd_" + "a" * 43,
        "Bearer gsk_0123abcd_" + "a" * 43,
    ],
)
def test_malformed_keys_have_no_id(bad):
    assert auth.key_id(bad) is None


def test_a_secret_with_underscores_and_dashes_still_parses():
    key = "gsk_0123abcd_" + "_-" * 21 + "x"
    assert auth.key_id(key) == "0123abcd"


def test_hash_is_sha256_hex_of_the_whole_key():
    # FIPS 180-2 test vector for "abc".
    assert auth.hash_key("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    _, key = auth.new_key()
    digest = auth.hash_key(key)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == auth.hash_key(key)
    assert auth.hash_key(key[:-1] + ("A" if key[-1] != "A" else "B")) != digest
    # The secret cannot be read back from what is stored.
    secret = key.split("_", 2)[2]
    assert secret not in digest


def test_names_are_tidied_and_bounded():
    assert auth.clean_name("  Dashboard   Lindehoven ") == "Dashboard Lindehoven"
    with pytest.raises(InvalidInput):
        auth.clean_name("   ")
    with pytest.raises(InvalidInput):
        auth.clean_name("x" * 101)


# -- roles ---------------------------------------------------------------------------------


def test_roles_are_ordered_viewer_analyst_editor_admin():
    assert auth.ROLES == ("viewer", "analyst", "editor", "admin")
    for i, mine in enumerate(auth.ROLES):
        principal = auth.Principal("0123abcd", "x", mine)
        for j, needed in enumerate(auth.ROLES):
            assert principal.allows(needed) is (i >= j), (mine, needed)


def test_unknown_roles_are_refused_everywhere():
    with pytest.raises(InvalidInput) as info:
        auth.check_role("owner")
    assert "viewer, analyst, editor, admin" in info.value.message_en
    with pytest.raises(InvalidInput):
        auth.Principal("0123abcd", "x", "viewer").allows("root")
    with pytest.raises(InvalidInput):
        auth.require_role("superuser")


def test_cli_offers_exactly_the_roles():
    create = keys_group.commands["create"]
    role = next(p for p in create.params if p.name == "role")
    assert tuple(role.type.choices) == auth.ROLES


def test_safe_next_allows_only_local_paths():
    assert sessions.safe_next("/api/v1/docs?lang=en") == "/api/v1/docs?lang=en"
    assert sessions.safe_next("/") == "/"
    for bad in (
        None,
        "",
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "evil.example",
        "javascript:alert(1)",
    ):
        assert sessions.safe_next(bad) == "/", bad


# -- the throttle window ---------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_blocks_after_ten_failures_within_the_window():
    clock = Clock()
    throttle = FailureThrottle(limit=10, window=60.0, clock=clock)
    for i in range(10):
        assert throttle.retry_after("10.0.0.1") == 0.0, f"blocked after {i} failures"
        throttle.failed("10.0.0.1")
        clock.now += 1.0
    # Ten failures at t=1000..1009; now t=1010: the first leaves the window at t=1060.
    assert throttle.retry_after("10.0.0.1") == pytest.approx(50.0)
    assert throttle.retry_after("10.0.0.2") == 0.0
    clock.now = 1059.5
    assert throttle.retry_after("10.0.0.1") == pytest.approx(0.5)
    clock.now = 1060.0
    assert throttle.retry_after("10.0.0.1") == 0.0


def test_throttle_window_slides():
    clock = Clock()
    throttle = FailureThrottle(limit=3, window=10.0, clock=clock)
    for t in (0.0, 4.0, 8.0):
        clock.now = 1000.0 + t
        throttle.failed("a")
    assert throttle.retry_after("a") == pytest.approx(2.0)  # until the t=0 failure expires
    clock.now = 1010.0
    assert throttle.retry_after("a") == 0.0  # two failures left in the window
    throttle.failed("a")  # t=10: three again (4, 8, 10)
    assert throttle.retry_after("a") == pytest.approx(4.0)  # until the t=4 failure expires
    clock.now = 1014.0
    assert throttle.retry_after("a") == 0.0


def test_failures_spread_wider_than_the_window_never_block():
    clock = Clock()
    throttle = FailureThrottle(limit=10, window=60.0, clock=clock)
    for _ in range(100):
        throttle.failed("slow")
        assert throttle.retry_after("slow") == 0.0
        clock.now += 6.7  # any ten consecutive failures span 9 * 6.7 = 60.3 s > 60 s


def test_throttle_counts_remaining_failures_and_the_reset_time():
    clock = Clock()
    throttle = FailureThrottle(limit=3, window=10.0, clock=clock)
    assert (throttle.remaining("a"), throttle.reset("a")) == (3, 0.0)
    throttle.failed("a")
    clock.now += 2.0
    throttle.failed("a")
    assert throttle.remaining("a") == 1
    assert throttle.reset("a") == pytest.approx(8.0)  # the first failure leaves at +10
    throttle.failed("a")
    assert throttle.remaining("a") == 0 and throttle.retry_after("a") == pytest.approx(8.0)
    assert throttle.remaining("b") == 3  # subjects are counted apart
    clock.now += 8.0
    assert throttle.remaining("a") == 1 and throttle.retry_after("a") == 0.0


def test_throttle_forgets_quiet_addresses():
    clock = Clock()
    throttle = FailureThrottle(limit=10, window=60.0, clock=clock)
    for i in range(500):
        throttle.failed(f"10.1.{i // 256}.{i % 256}")
    assert len(throttle) == 500
    clock.now += 61.0
    throttle.failed("10.9.9.9")  # the next failure after a window sweeps stale addresses
    assert len(throttle) == 1


# -- the guard on a small app (anonymous role and malformed keys need no store) -----------------


def _app(anonymous: str = "") -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit", TESTING=True, ANONYMOUS_ROLE=anonymous)
    auth.init_app(app)
    problems.init_app(app)

    @app.get("/api/v1/view")
    @auth.require_role("viewer")
    def view():
        return {"role": auth.current_principal().role}

    @app.get("/api/v1/admin")
    @auth.require_role("admin")
    def admin():
        return {}

    @app.get("/api/v1/open")
    def open_():
        return {}

    class Things(MethodView):
        @auth.require_role("viewer")
        def get(self):
            return {}

        @auth.require_role("editor")
        def post(self):
            return {}

    class Half(MethodView):
        @auth.require_role("viewer")
        def get(self):
            return {}

        def delete(self):
            return {}

    app.add_url_rule("/api/v1/things", view_func=Things.as_view("things"))
    app.add_url_rule("/api/v1/half", view_func=Half.as_view("half"))
    app.add_url_rule("/signin", "signin.signin", lambda: "form")
    return app


def test_registry_lists_guarded_endpoints_only():
    registry = auth.role_registry(_app())
    assert registry == {"view": "viewer", "admin": "admin", "things": "viewer"}
    app = _app()
    assert auth.required_role(app.view_functions["things"], "POST") == "editor"
    assert auth.required_role(app.view_functions["half"], "DELETE") is None


def test_nobody_gets_401_with_a_bearer_challenge_and_a_browser_goes_to_signin():
    client = _app().test_client()
    resp = client.get("/api/v1/view")
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="graphsvc"'
    assert resp.get_json()["detail_en"].startswith("Authentication is required")
    assert client.get("/api/v1/open").status_code == 200


def test_anonymous_role_applies_without_credentials_but_not_beyond_it():
    client = _app("viewer").test_client()
    assert client.get("/api/v1/view").get_json() == {"role": "viewer"}
    resp = client.get("/api/v1/admin")
    assert resp.status_code == 403
    body = resp.get_json()
    assert body["required_role"] == "admin" and body["role"] == "viewer"
    # A presented key is judged as a key: a bad one does not fall back to the anonymous role.
    bad = client.get("/api/v1/view", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert 'error="invalid_token"' in bad.headers["WWW-Authenticate"]


def test_anonymous_role_must_be_a_role():
    app = Flask(__name__)
    app.config.update(ANONYMOUS_ROLE="guest")
    with pytest.raises(ValueError, match="ANONYMOUS_ROLE"):
        auth.init_app(app)


def test_malformed_keys_are_throttled_per_address_with_retry_after():
    client = _app().test_client()
    bad = {"Authorization": "Bearer gsk_not_a_key"}
    for _ in range(10):
        resp = client.get("/api/v1/view", headers=bad, environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert resp.status_code == 401
    resp = client.get("/api/v1/view", headers=bad, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert resp.status_code == 429 and resp.mimetype == "application/problem+json"
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert resp.get_json()["retry_after"] == int(resp.headers["Retry-After"])
    assert "gsk_not_a_key" not in resp.get_data(as_text=True)
    other = client.get("/api/v1/view", headers=bad, environ_base={"REMOTE_ADDR": "10.0.0.8"})
    assert other.status_code == 401


def test_the_presented_key_is_never_logged(caplog):
    client = _app().test_client()
    secret = "gsk_0123abcd_" + "s" * 43
    with caplog.at_level("DEBUG"):
        client.get("/api/v1/view", headers={"Authorization": "Bearer " + secret[:-1]})
        client.get("/api/v1/view", headers={"Authorization": "Basic " + secret})
    assert caplog.records, "expected a warning about the invalid key"
    assert all("s" * 20 not in r.getMessage() for r in caplog.records)


def test_a_browser_asking_for_a_page_is_sent_to_signin_with_next():
    app = _app()

    @app.get("/page")
    @auth.require_role("viewer")
    def page():
        return "secret page"

    client = app.test_client()
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    resp = client.get("/page?lang=en", headers=html)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/signin?next=/page?lang%3Den&lang=en"
    # A script (no Accept, or */*) gets the 401 it can act on.
    assert client.get("/page").status_code == 401
    assert client.get("/page", headers={"Accept": "*/*"}).status_code == 401
    # The API never redirects.
    assert client.get("/api/v1/view", headers=html).status_code == 401
