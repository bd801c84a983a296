"""The Content-Security-Policy and the other security headers, as Chromium applies them.

The app runs on werkzeug's server on a free loopback port (a thread), on the real Neo4j of
the test run with the demo proeftuinen; anonymous visitors browse as viewer, as with
``make run``.  Each page is opened in headless Chromium with a listener for
``securitypolicyviolation`` events in every frame, and its console is read: the map (on its
own and inside its proeftuin page), the other pages and the API docs must run without a
single violation, and a script, style or image that was not in our template (injected
into the served HTML on its way to the browser) must be blocked.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import pytest
from serving import served

from graphsvc.transfer.seeding import load_seeds
from graphsvc.web.app import create_app
from graphsvc.web.headers import NON_HTML_POLICY

pytestmark = pytest.mark.browser

SEEDED = "zandwijk"
READY = "body[data-map-ready='true']"
EVIL = "https://evil.example.invalid"  # .invalid never resolves; the route aborts it anyway

# Collects every CSP violation of a frame (init scripts run in every frame, before its own).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI,
                     sample: e.sample || ''});
});
"""


@pytest.fixture(scope="module")
def base_url(test_settings, _session_repo):
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    app = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"})
    with served(app, "csp-test-server") as base:
        yield base


@dataclass
class Visit:
    page: object
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def violations(self) -> list[dict]:
        """Every frame's violations, plus the console's CSP messages."""
        found = []
        for frame in self.page.frames:
            found += frame.evaluate("window.__csp || []")
        found += [{"console": text} for text in self.console if "Content Security Policy" in text]
        return found


@pytest.fixture
def visit(browser, base_url):
    """Open a path of the test server in a fresh context; other hosts are aborted."""
    contexts = []

    def _open(path: str, transform=None, wait_for: str | None = None) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        context.add_init_script(WATCH)
        page = context.new_page()
        seen = Visit(page)

        def route(route_obj):
            url = route_obj.request.url
            seen.requests.append(url)
            if not url.startswith(base_url + "/"):
                route_obj.abort()
            elif transform is not None and url == base_url + path:
                # The real response, headers (and so the policy) untouched, body changed.
                response = route_obj.fetch()
                route_obj.fulfill(response=response, body=transform(response.text()))
            else:
                route_obj.continue_()

        context.route("**/*", route)
        page.on("console", lambda m: seen.console.append(m.text))
        response = page.goto(base_url + path)
        assert response.status == 200, path
        if wait_for:
            page.wait_for_selector(wait_for, timeout=30_000)
        page.wait_for_load_state("networkidle")
        return seen

    yield _open
    for context in contexts:
        context.close()


def test_the_served_map_runs_under_its_policy(visit):
    seen = visit(f"/proeftuinen/{SEEDED}/map.html?embed=1", wait_for=READY)
    assert seen.violations() == []
    # The map really works: vis-network drew the network on its canvas.
    assert seen.page.evaluate("window.graphMap.network.body.data.nodes.length") > 10
    assert seen.page.locator("canvas").count() >= 1


def test_a_revalidated_map_keeps_running(browser, base_url):
    """Reloading revalidates the map (ETag): the 304 must not replace the page's policy.

    Without request interception (Playwright switches the HTTP cache off while routing),
    so that the browser's own cache revalidates; the page makes no request elsewhere
    (test_map_render.py) and the server is on loopback.
    """
    context = browser.new_context()
    try:
        context.add_init_script(WATCH)
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text))
        conditional = []  # whether each request of the map asked "If-None-Match"
        page.on(
            "response",
            lambda r: (
                conditional.append("if-none-match" in r.request.all_headers())
                if "/map.html" in r.url
                else None
            ),
        )
        page.goto(f"{base_url}/proeftuinen/{SEEDED}/map.html?embed=1")
        page.wait_for_selector(READY, timeout=30_000)
        page.reload()
        page.wait_for_selector(READY, timeout=30_000)
        assert conditional == [False, True]  # the reload revalidated (the server: 304)
        assert page.evaluate("window.__csp") == []
        assert not [text for text in console if "Content Security Policy" in text]
        assert page.evaluate("window.graphMap.network.body.data.nodes.length") > 10
    finally:
        context.close()


def test_the_proeftuin_page_shows_its_map_in_an_iframe_without_violations(visit):
    seen = visit(f"/proeftuinen/{SEEDED}")
    frame = next(f for f in seen.page.frames if "/map.html" in f.url)
    frame.wait_for_selector(READY, timeout=30_000)
    assert seen.violations() == []


@pytest.mark.parametrize(
    "path, ready",
    [
        ("/", "main h1"),
        ("/signin", "form"),
        ("/compare?proeftuinen=zandwijk,molenbeek", "table"),
        ("/api/v1/docs", ".swagger-ui .opblock"),  # its own assets from 'self', openapi.json
    ],
)
def test_pages_and_the_api_docs_run_without_violations(visit, path, ready):
    seen = visit(path, wait_for=ready)
    assert seen.violations() == []


def test_an_injected_script_style_and_image_are_blocked(visit, base_url):
    injected = (
        f'<script src="{EVIL}/steal.js"></script>'
        '<script>window.__injected = "inline ran";</script>'
        "<style>body { background: rgb(255, 0, 0) !important; }</style>"
        f'<img id="pixel" src="{EVIL}/pixel.png" alt="">'
        '<a id="evil-link" href="#" onclick="window.__injected = \'handler ran\'">x</a>'
    )

    def inject(html: str) -> str:
        return html.replace("</body>", injected + "</body>", 1)

    path = f"/proeftuinen/{SEEDED}/map.html?embed=1"
    seen = visit(path, transform=inject, wait_for=READY)
    page = seen.page
    page.click("#evil-link")
    assert page.evaluate("window.__injected") is None  # neither the script nor the handler ran
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    # Blocked before any request was made: the external URLs never reached the network.
    assert not [url for url in seen.requests if url.startswith(EVIL)]
    violations = page.evaluate("window.__csp")
    directives = {(v["directive"], v["blocked"]) for v in violations}
    assert ("script-src-elem", f"{EVIL}/steal.js") in directives
    assert ("script-src-elem", "inline") in directives
    assert ("style-src-elem", "inline") in directives
    assert ("img-src", f"{EVIL}/pixel.png") in directives
    assert ("script-src-attr", "inline") in directives
    # ... while the map's own scripts still ran.
    assert page.evaluate("window.graphMap.network.body.data.nodes.length") > 10


def _headers(url: str | urllib.request.Request) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


@pytest.mark.parametrize(
    "path, status, html",
    [
        ("/", 200, True),
        (f"/proeftuinen/{SEEDED}/map.html?embed=1", 200, True),
        ("/api/v1/docs", 200, True),
        ("/api/v1/proeftuinen", 200, False),
        ("/api/v1/openapi.json", 200, False),
        ("/api/v1/docs-assets/swagger-ui-bundle.js", 200, False),
        ("/api/v1/keys", 403, False),  # a problem+json error
        ("/api/v1/no-such-thing", 404, False),
        ("/healthz", 200, False),
    ],
)
def test_every_response_carries_the_security_headers(base_url, path, status, html):
    code, headers = _headers(base_url + path)
    assert code == status
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    policy = headers["content-security-policy"]
    if not html:
        assert policy == NON_HTML_POLICY
        return
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'" and directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data: blob:"
    # No other origin anywhere, and inline code only by hash.
    assert not re.search(r"https?:|\*|'unsafe-inline'|'unsafe-eval'", policy)
    assert directives["script-src"].startswith("'self'")


def test_a_304_carries_no_policy_of_its_own(base_url):
    """A 304 has no body to hash: it must not bring a policy that could replace the page's."""
    url = f"{base_url}/proeftuinen/{SEEDED}/map.html?embed=1"
    status, headers = _headers(url)
    assert status == 200 and "sha256-" in headers["content-security-policy"]
    request = urllib.request.Request(url, headers={"If-None-Match": headers["etag"]})
    status, again = _headers(request)
    assert status == 304
    assert "content-security-policy" not in again
    assert again["x-content-type-options"] == "nosniff"
