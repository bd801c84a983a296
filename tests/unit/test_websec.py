"""The session secret rule, the CSP built from our templates, the key grammar and the HTML
error pages, on apps that need no Neo4j (the driver connects lazily)."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import DictLoader, Environment

from graphsvc.transfer.fileformats.cells import KEY_RULE, key_problem
from graphsvc.web import auth, headers, sessions
from graphsvc.web import problem_details as problems
from graphsvc.web.app import create_app
from visualize.render import inline_code as map_inline_code

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# -- the secret ----------------------------------------------------------------------------------


def test_serving_without_a_secret_is_refused_with_the_rule():
    with pytest.raises(sessions.MissingSecret) as caught:
        create_app({"SECRET_KEY": None, "TESTING": False})
    message = str(caught.value)
    assert "graphsvc start niet zonder geheime sleutel" in message
    assert "graphsvc does not start without a secret key" in message
    assert message.count("GRAPHSVC_SECRET_KEY") == 2
    assert "TESTING" in message and "make dev" in message and "var/secret_key" in message


def test_gunicorn_without_a_secret_does_not_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GRAPHSVC_SECRET_KEY"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    done = subprocess.run(
        [str(gunicorn), "-w", "2", "-b", "127.0.0.1:0", "graphsvc.web.app:create_app()"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "graphsvc does not start without a secret key" in done.stderr
    assert "Worker failed to boot" in done.stderr


@pytest.mark.parametrize("setting", ["TESTING", "COMMAND_LINE"])
def test_one_process_settings_make_a_secret_of_their_own(setting):
    first = create_app({"SECRET_KEY": None, setting: True})
    second = create_app({"SECRET_KEY": None, setting: True})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]


def test_a_configured_secret_is_kept():
    assert create_app({"SECRET_KEY": "configured"}).config["SECRET_KEY"] == "configured"


# -- cross-site checks that need no session --------------------------------------------------------


def _open_app() -> Flask:
    """Anonymous editors (a configuration some intranets use): nothing to authenticate."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit", TESTING=True, ANONYMOUS_ROLE="editor")
    auth.init_app(app)
    problems.init_app(app)

    @app.post("/api/v1/write")
    @auth.require_role("editor")
    def write():
        return {"written": True}

    return app


@pytest.mark.parametrize(
    "sent, status",
    [
        ({}, 200),  # curl, a script: not a browser
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "http://localhost"}, 200),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}, 403),
        ({"Sec-Fetch-Site": "none"}, 403),
        ({"Origin": "http://localhost:8123"}, 403),
        ({"Origin": "https://localhost"}, 403),
        ({"Origin": "null"}, 403),
    ],
)
def test_a_write_from_another_origin_is_refused_even_without_a_session(sent, status):
    resp = _open_app().test_client().post("/api/v1/write", headers=sent)
    assert resp.status_code == status
    if status == 403:
        body = resp.get_json()
        # one title per status; the detail names the cause
        assert body["title"] == "Forbidden" and "andere" not in body["detail_en"]
        assert "niet van een pagina van deze dienst" in body["detail_nl"]


def test_no_token_is_made_for_a_visitor_without_a_session():
    app = _open_app()
    with app.test_request_context("/"):
        assert sessions.csrf_token() == ""
        from flask import session

        assert "csrf" not in session


# -- the Content-Security-Policy from template source ----------------------------------------------


def test_template_hashes_come_from_the_source_not_from_a_page():
    loader = DictLoader(
        {
            "a.html": "<p>{{ name }}</p><script>start();</script><style>p { color: red; }</style>",
            "b.html": '<script type="application/json">{{ data|tojson }}</script>'
            "<script>start();</script>",
        }
    )
    code = headers.template_inline_code(loader, Environment())
    assert code.scripts == (sha("start();"),)  # once, although two templates have it
    assert code.styles == (sha("p { color: red; }"),)


@pytest.mark.parametrize(
    "body",
    ["<script>var name = '{{ name }}';</script>", "<style>{% if x %}p{}{% endif %}</style>"],
)
def test_an_inline_script_with_template_syntax_is_refused_at_start_up(body):
    loader = DictLoader({"bad.html": body})
    with pytest.raises(RuntimeError, match="template bad.html: an inline <script> or <style>"):
        headers.template_inline_code(loader, Environment())


def test_every_page_gets_one_policy_of_our_own_code():
    app = create_app({"SECRET_KEY": "unit", "TESTING": True})
    client = app.test_client()
    signin = client.get("/signin").headers["Content-Security-Policy"]
    docs = client.get("/api/v1/docs").headers["Content-Security-Policy"]
    assert signin == docs
    directives = dict(d.strip().split(" ", 1) for d in signin.split(";"))
    scripts = directives["script-src"].split()
    styles = directives["style-src"].split()
    # Exactly the scripts of our templates' source (the API docs page's among them) and the
    # map's two scripts ...
    docs_html = client.get("/api/v1/docs").get_data(as_text=True)
    docs_scripts, _ = headers.inline_code(docs_html)
    map_scripts, map_styles = map_inline_code()
    ours = headers.template_inline_code(app.jinja_loader, app.jinja_env)
    assert {sha(s) for s in docs_scripts} <= set(ours.scripts)
    assert scripts == ["'self'", *dict.fromkeys([*ours.scripts, *map(sha, map_scripts)])]
    # ... and every style of our templates (base.html's first) and of the map.
    _, base_styles = headers.inline_code(client.get("/signin").get_data(as_text=True))
    assert set(map(sha, base_styles + map_styles)) <= set(styles)
    assert "'unsafe-inline'" not in signin


def test_a_script_in_a_finished_page_gets_no_hash():
    """What the old policy did (hash the page about to be sent) would let this run."""
    app = create_app({"SECRET_KEY": "unit", "TESTING": True})

    @app.get("/echo")
    def echo():  # a view that forgot to escape what it was given
        from flask import request

        return f"<!doctype html><p>{request.args['name']}</p>", 200, {"Content-Type": "text/html"}

    injected = "</script><script>window.__pwned = 1</script>"
    resp = app.test_client().get("/echo", query_string={"name": injected})
    assert injected in resp.get_data(as_text=True)
    assert sha("window.__pwned = 1") not in resp.headers["Content-Security-Policy"]
    assert (
        resp.headers["Content-Security-Policy"]
        == app.test_client().get("/signin").headers["Content-Security-Policy"]
    )


# -- the key grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a/b", "/", "a\\b", ".", "..", "r1/../admin"])
def test_keys_that_cannot_be_addressed_are_refused_with_the_rule(key):
    assert key_problem(key) == KEY_RULE
    nl, en = KEY_RULE
    assert "'/'" in en and "'\\'" in en and "'.' or '..'" in en
    assert "'/'" in nl and "'.' of '..'" in nl


@pytest.mark.parametrize("key", ["r1", "a.b", "...", "Anne-Marie 't Hart", "x?y#z", "100%"])
def test_other_keys_stay_valid(key):
    assert key_problem(key) is None


# -- error pages for people ------------------------------------------------------------------------


def _failing_app() -> Flask:
    app = create_app({"SECRET_KEY": "unit", "TESTING": True, "ANONYMOUS_ROLE": "viewer"})

    @app.get("/fails")
    def fails():  # an unexpected error in a view, with a value a trace would show
        raise RuntimeError("secret detail: Fatima Bakkali")

    return app


def test_a_500_is_a_page_for_a_browser_and_a_problem_for_a_client():
    client = _failing_app().test_client()
    page = client.get("/fails", headers=HTML)
    assert page.status_code == 500 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Er ging iets mis" in html and "Something went wrong" in html
    assert "Er ging iets mis aan onze kant." in html and "Something went wrong on our side." in html
    assert "Traceback" not in html and "RuntimeError" not in html and "Fatima" not in html
    assert "seconden" not in html  # no "try again in" for a 500
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    for accept in ("application/json", "*/*", "application/problem+json, text/html;q=0.5"):
        problem = client.get("/fails", headers={"Accept": accept})
        assert problem.status_code == 500 and problem.mimetype == "application/problem+json"
        assert "Fatima" not in problem.get_data(as_text=True)


def test_a_503_is_a_page_with_retry_after_for_a_browser():
    # Nothing listens on port 9 of the loopback: the store is down.
    app = create_app(
        {
            "SECRET_KEY": "unit",
            "TESTING": True,
            "ANONYMOUS_ROLE": "viewer",
            "NEO4J_URI": "bolt://127.0.0.1:9",
            "NEO4J_TIMEOUT": 0.5,
        }
    )
    client = app.test_client()
    page = client.get("/", headers=HTML)
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert int(page.headers["Retry-After"]) >= 1
    html = page.get_data(as_text=True)
    assert "Tijdelijk niet beschikbaar" in html and "Temporarily unavailable" in html
    assert f"over {page.headers['Retry-After']} seconden" in html
    assert "bolt://" not in html and "Traceback" not in html
    problem = client.get("/api/v1/proeftuinen", headers={"Accept": "application/json"})
    assert problem.status_code == 503 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["detail_en"]
