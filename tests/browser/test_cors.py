"""CORS in a real browser: a page on another local origin calls the API with fetch().

Two servers on loopback: the service (with ``CORS_ORIGINS`` naming one page origin) and a
plain page server on another port.  Chromium enforces the same-origin policy, so the
page's fetch() succeeds only when the service allows the page's origin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serving import served
from werkzeug.wrappers import Response

from graphsvc.web import auth
from graphsvc.web.app import create_app

PAGE = "<!doctype html><title>dashboard</title><p>another origin</p>"

SCRIPT = """async ([url, key, etagUrl]) => {
  try {
    const list = await fetch(url, {headers: {Authorization: 'Bearer ' + key}});
    const one = await fetch(etagUrl, {headers: {Authorization: 'Bearer ' + key}});
    const put = await fetch(etagUrl, {
      method: 'PUT',
      headers: {Authorization: 'Bearer ' + key, 'Content-Type': 'application/json',
                'If-Match': '"stale"'},
      body: JSON.stringify({name: 'Hacked'}),
    });
    return {ok: true, status: list.status, count: (await list.json()).length,
            etag: one.headers.get('ETag'), putStatus: put.status};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
}"""


def _page_app(environ, start_response):
    return Response(PAGE, mimetype="text/html")(environ, start_response)


@pytest.fixture(scope="module")
def pages() -> Iterator[tuple[str, str]]:
    """Two page servers on other ports: the first will be allowed, the second not."""
    with served(_page_app) as allowed, served(_page_app) as other:
        yield allowed, other


@pytest.fixture(scope="module")
def service(_session_repo, test_settings, pages):
    _session_repo.delete_network()
    _session_repo.proeftuinen.create("cors", "Cors", "Stad")
    app = create_app({**test_settings, "CORS_ORIGINS": pages[0]})
    with app.app_context():
        id_, key = auth.create_key("editor", "cors browser test")
    with served(app) as url:
        yield url, key
    with app.app_context():
        auth.revoke(id_)


def _call(browser, page_origin: str, service_url: str, key: str) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_origin + "/")
        return page.evaluate(
            SCRIPT,
            [
                f"{service_url}/api/v1/proeftuinen",
                key,
                f"{service_url}/api/v1/proeftuinen/cors",
            ],
        )
    finally:
        context.close()


def test_fetch_from_an_allowed_origin_succeeds_and_reads_the_exposed_headers(
    browser, pages, service
):
    url, key = service
    result = _call(browser, pages[0], url, key)
    assert result["ok"], result
    assert result["status"] == 200 and result["count"] == 1
    assert result["etag"] and result["etag"].startswith('"')  # ETag is exposed
    # The PUT needed a preflight (If-Match, JSON); it reached the service, which refused
    # the stale ETag.
    assert result["putStatus"] == 412


def test_fetch_from_another_origin_is_blocked_by_the_browser(browser, pages, service):
    url, key = service
    result = _call(browser, pages[1], url, key)
    assert result["ok"] is False and "Failed to fetch" in result["error"]
