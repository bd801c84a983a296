"""Attacks from the security test, replayed in headless Chromium (the Debian package).

- Cross-site request forgery: an editor signs in on the app's origin; a page served from
  another local origin (another port of 127.0.0.1: the same *site*, so the SameSite=Lax
  cookie goes along) auto-submits forms to an import and to the layout save.  Both are
  refused with 403 and the store is unchanged, while the app's own form and a fetch()
  of its own page with the page's token keep working.
- Script injection through an actor's name (``<script>`` and ``</script><script>``): the
  map shows the name as text, and even a page that forgot to escape it (a view added
  here for the test) does not run it: the policy allows only our own code, while the
  map's scripts run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from serving import served

from graphsvc.dataset import Actor
from graphsvc.transfer.seeding import load_seeds
from graphsvc.web import auth
from graphsvc.web.app import create_app
from graphsvc.web.services import maps, store

pytestmark = pytest.mark.browser

SEEDED = "zandwijk"
READY = "body[data-map-ready='true']"
SCRIPT_TAG = '<script>window.__pwned = "script tag"</script>'
SCRIPT_END = '</script><script>window.__pwned = "script end"</script>'
HANDLER = "<img src=x onerror=\"window.__pwned = 'handler'\">"

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI});
});
"""


@dataclass
class App:
    url: str
    keys: dict[str, str]


@pytest.fixture(scope="module")
def app_server(test_settings, _session_repo) -> Iterator[App]:
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    for key, name in [("xss-1", SCRIPT_TAG), ("xss-2", SCRIPT_END), ("xss-3", HANDLER)]:
        _session_repo.actors.create(SEEDED, Actor(key, "resident", name, (SEEDED,)))
    app = create_app({**test_settings, "ANONYMOUS_ROLE": ""})

    @app.get("/test-only/unescaped-map")
    @auth.require_role("analyst")
    def unescaped_map():
        """The real map with the residents' names written into it unescaped: a template bug."""
        made = maps().proeftuin(SEEDED, dt.date.today(), "nl", True)
        names = "".join(store().actors.get(SEEDED, k).name for k in ("xss-1", "xss-2", "xss-3"))
        return (
            made.html.replace("</body>", f"<p>{names}</p></body>", 1),
            200,
            {"Content-Type": "text/html; charset=utf-8"},
        )

    with app.app_context():
        made = {role: auth.create_key(role, f"websec {role}") for role in ("analyst", "editor")}
    try:
        with served(app, "websec-app") as base:
            yield App(base, {r: k for r, (_, k) in made.items()})
    finally:
        with app.app_context():
            for id_, _ in made.values():
                auth.revoke(id_)


def _attack_page(target: str) -> bytes:
    """Auto-submits a layout save and an actor import into two frames, as the attacker did."""
    return f"""<!doctype html>
<html><body>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<form id="layout" method="post" target="f1" action="{target}/proeftuinen/{SEEDED}/layout">
  <input type="hidden" name="next" value="/proeftuinen/{SEEDED}">
</form>
<form id="import" method="post" target="f2" enctype="multipart/form-data"
      action="{target}/api/v1/proeftuinen/{SEEDED}/imports">
  <textarea name="actors">key;kind;name;proeftuin
forged-1;bewoner;Mallory;{SEEDED}</textarea>
</form>
<script>
  document.getElementById("layout").submit();
  document.getElementById("import").submit();
</script>
</body></html>""".encode()


@pytest.fixture(scope="module")
def attacker(app_server) -> Iterator[str]:
    """Another origin on the same host: 127.0.0.1 on another port."""
    page = _attack_page(app_server.url)

    def attack_site(environ, start_response):
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]

    with served(attack_site, "websec-attacker") as base:
        yield base


@pytest.fixture
def context(browser):
    made = browser.new_context(viewport={"width": 1280, "height": 800})
    made.add_init_script(WATCH)
    yield made
    made.close()


def _sign_in(page, app: App, role: str) -> None:
    page.goto(f"{app.url}/signin")
    page.fill("#key", app.keys[role])
    page.locator("form.signin button[type=submit]").click()
    page.wait_for_url(f"{app.url}/")


def _layout_version(repo) -> int:
    return repo.placements.get_stamp([SEEDED])["layouts"][SEEDED]


def test_a_same_site_page_cannot_write_with_the_editors_cookie(
    context, app_server, attacker, _session_repo
):
    page = context.new_page()
    _sign_in(page, app_server, "editor")
    before = (_layout_version(_session_repo), _session_repo.count_all())

    answers: list[tuple[str, int, bool]] = []

    def record(response) -> None:
        if response.url.startswith(app_server.url) and response.request.method == "POST":
            sent = response.request.all_headers()
            answers.append((response.url, response.status, "cookie" in sent))

    context.on("response", record)
    attack = context.new_page()
    attack.goto(f"{attacker}/attack.html")
    deadline = time.monotonic() + 30
    while len(answers) < 2 and time.monotonic() < deadline:
        attack.wait_for_timeout(100)
    assert sorted(answers) == [
        (f"{app_server.url}/api/v1/proeftuinen/{SEEDED}/imports", 403, True),
        (f"{app_server.url}/proeftuinen/{SEEDED}/layout", 403, True),
    ]  # the browser did send the sign-in cookie: the CSRF check refused the writes
    assert (_layout_version(_session_repo), _session_repo.count_all()) == before
    assert "forged-1" not in {a.key for a in _session_repo.actors.list(SEEDED, limit=500)[0]}

    # The app's own form still works for the same signed-in editor ...
    page.goto(f"{app_server.url}/proeftuinen/{SEEDED}")
    page.frame_locator("#map-frame").locator(READY).wait_for(timeout=60_000)
    shown = _layout_version(_session_repo)  # drawing the map first placed its actors
    page.click("#layout-button")
    page.wait_for_url(f"{app_server.url}/proeftuinen/{SEEDED}")
    assert _layout_version(_session_repo) == shown + 1
    # ... and so does a fetch() of its own page that sends the page's token; without it, not.
    fetch = """async (token) => {
      const r = await fetch('/api/v1/proeftuinen/SEEDED/actors', {
        method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
        body: JSON.stringify({key: 'own-' + (token ? 'with' : 'without'), kind: 'resident',
                              name: 'Echt'})});
      return r.status;
    }""".replace("SEEDED", SEEDED)
    token = page.evaluate("document.querySelector('meta[name=\"csrf-token\"]').content")
    assert len(token) >= 40
    assert page.evaluate(fetch, token) == 201
    assert page.evaluate(fetch, "") == 403
    assert page.evaluate("window.__csp") == []


def _violations(page) -> list[dict]:
    found = []
    for frame in page.frames:
        found += frame.evaluate("window.__csp || []")
    return found


def test_a_name_with_a_script_is_shown_as_text_on_the_map(context, app_server):
    context.set_extra_http_headers({"Authorization": f"Bearer {app_server.keys['analyst']}"})
    page = context.new_page()
    page.goto(f"{app_server.url}/proeftuinen/{SEEDED}/map.html?embed=1")
    page.wait_for_selector(READY, timeout=60_000)
    assert page.evaluate("window.__pwned") is None
    data = page.evaluate("JSON.stringify(JSON.parse(document.getElementById('map-data').text))")
    assert all(name.replace('"', '\\"') in data for name in (SCRIPT_TAG, SCRIPT_END))
    assert page.evaluate("window.graphMap.network.body.data.nodes.length") > 10
    assert _violations(page) == []  # escaped: no script element was ever made


def test_an_unescaped_name_in_a_page_is_blocked_and_the_pages_own_scripts_run(context, app_server):
    context.set_extra_http_headers({"Authorization": f"Bearer {app_server.keys['analyst']}"})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    response = page.goto(f"{app_server.url}/test-only/unescaped-map")
    assert response.status == 200
    page.wait_for_selector(READY, timeout=60_000)
    html = page.content()
    assert "window.__pwned" in html  # the injection reached the page's markup ...
    assert page.evaluate("window.__pwned") is None  # ... and none of it ran
    directives = [v["directive"] for v in _violations(page)]
    assert directives.count("script-src-elem") == 2  # <script> and </script><script>
    assert "script-src-attr" in directives  # the onerror handler
    assert any("Content Security Policy" in text for text in console)
    # The map's own inline scripts ran under the same policy.
    assert page.evaluate("window.graphMap.network.body.data.nodes.length") > 10
