"""No resident's real name reaches a viewer, nor any log; nor does a resident's key.

With the eight demo proeftuinen loaded, every GET route is called as viewer (pages, maps
in both languages, the API, a few invalid requests) on a real werkzeug server, so that
its request log is part of what is read; every response (status line, headers, body)
and every log record at DEBUG (graphsvc, werkzeug, the neo4j driver, everything) is then
searched for every resident name of the seeds: zero hits.  Viewers get aggregates only, so
the same responses are searched for every resident KEY too (only a URL that names the key
itself may have it echoed): zero hits.  The same for the logs of
analysts and editors, whose responses do hold names, through the test client and through
gunicorn with its access and error logs at debug level: we never log request bodies,
answers or names.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from serving import served

from graphsvc.store.launcher import free_port
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen

ROOT = Path(__file__).resolve().parents[2]
SEEDED = [p["key"] for p in seed_proeftuinen()]
NEW_NAME = "Geertruida Zwanenburg-Oosterhout"  # a resident added during the test


@pytest.fixture
def residents(repo) -> dict[str, str]:
    """{key: name} of every resident of the seeds (loaded into the store)."""
    list(load_seeds(repo))
    found = {}
    for key in SEEDED:
        actors, total = repo.actors.list(key, "resident", 0, 10_000)
        assert len(actors) == total
        found.update({a.key: a.name for a in actors})
    assert len(found) > 500 and all(" " in name for name in found.values())
    return found


def _readable(text: str) -> str:
    r"""``text`` plus its HTML-unescaped and JSON-unescaped (``\u00e7``) readings."""
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return "\n".join([text, html.unescape(text), unescaped, html.unescape(unescaped)])


def _hits(text: str, names) -> list[str]:
    """The names that occur in ``text`` (in any of its readings)."""
    readable = _readable(text)
    words = set(re.findall(r"\w+", readable))
    # Only names whose every word occurs are searched as a whole: a map is a megabyte.
    return sorted(
        {name for name in names if words.issuperset(re.findall(r"\w+", name)) and name in readable}
    )


def _key_hits(text: str, keys) -> list[str]:
    """The resident keys that occur in ``text`` as whole tokens (in any of its readings)."""
    tokens = set(re.findall(r"[\w-]+", _readable(text)))
    return sorted(tokens & set(keys))


def _log_text(records: list[logging.LogRecord]) -> str:
    lines = []
    for record in records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            lines.append(record.stack_info)
    return "\n".join(lines)


def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    """Status and everything the client receives: status line, headers, body (loopback)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, head, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, error.headers, error.read()
    return status, f"{status}\n{head}\n{body.decode('utf-8', 'replace')}"


def _viewer_urls(app, resident_key: str) -> list[str]:
    """Every GET route for every seeded proeftuin (both languages), and invalid requests."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "docs_assets"):
            continue
        if rule.arguments - {"key", "actor", "meeting", "name"}:
            continue
        for key in SEEDED if "key" in rule.arguments else [None]:
            values = {
                "key": key,
                "actor": resident_key,
                "meeting": "zandwijk-m01",
                "name": "start.nl.png",
            }
            path = re.sub(
                r"<(?:[^:<>]+:)?([^<>]+)>",
                lambda m, values=values: quote(values[m.group(1)]),
                rule.rule,
            )
            urls.append(path)
            if not path.startswith("/api/"):
                urls.append(f"{path}?lang=en")
    urls += [
        "/proeftuinen/zandwijk/map.html?embed=1&lang=en&at=2024-06-30",
        "/api/v1/compare?proeftuinen=" + ",".join(SEEDED),
        "/api/v1/proeftuinen/zandwijk/changes?from=2022-12-31&to=2024-12-31",
        "/compare?proeftuinen=" + "&proeftuinen=".join(SEEDED),
        # invalid requests: their problems must not name anybody either
        "/api/v1/proeftuinen/zandwijk/metrics?at=gisteren",
        "/api/v1/proeftuinen/zandwijk/metrics?types=vriendschap",
        "/api/v1/proeftuinen/zandwijk/metrics?group_by=huisnummer",
        "/api/v1/proeftuinen/bestaat-niet/health",
        f"/api/v1/proeftuinen/zandwijk/actors/{quote(resident_key)}",
        "/api/v1/proeftuinen/zandwijk/exports?format=csv",
        "/proeftuinen/zandwijk/map.html?at=31-02-2024",
    ]
    return urls


def test_a_viewer_never_gets_a_resident_name_and_nothing_logs_one(app, keys, residents, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: graphsvc, werkzeug, neo4j, ...
    names = set(residents.values())
    resident_key = next(k for k in sorted(residents) if k.startswith("zandwijk"))
    viewer = {"Authorization": f"Bearer {keys['viewer']}", "Accept-Language": "nl"}
    statuses, leaks, key_leaks = {}, [], []
    with served(app, "privacy-server") as base:
        for url in _viewer_urls(app, resident_key):
            status, received = _get(base + url, viewer)
            statuses[status] = statuses.get(status, 0) + 1
            if hits := _hits(received, names):
                leaks.append(f"{url} -> {status}: {hits[:3]}")
            if resident_key not in url and (found := _key_hits(received, residents)):
                key_leaks.append(f"{url} -> {status}: {found[:3]} ({len(found)} keys)")
    print(f"\nviewer: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert not leaks, "names reached a viewer:\n" + "\n".join(leaks)
    assert not key_leaks, "resident keys reached a viewer:\n" + "\n".join(key_leaks)
    assert statuses[200] >= 60 and statuses.get(403, 0) >= 20 and statuses.get(422, 0) >= 3
    logged = _log_text(caplog.records)
    assert any(r.name == "werkzeug" for r in caplog.records)  # the request log was read
    assert len(caplog.records) > 100
    assert _hits(logged, names) == []
    # The search finds names where they are allowed: the same map for an analyst.
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    with app.test_client() as client:
        shown = client.get("/proeftuinen/zandwijk/map.html", headers=analyst)
    assert len(_hits(shown.get_data(as_text=True), names)) >= 5
    # ... and keys where they are allowed: the actor metrics of an analyst.
    with app.test_client() as client:
        shown = client.get("/api/v1/national/metrics", headers=analyst)
    assert len(_key_hits(shown.get_data(as_text=True), residents)) >= 500


def _analyst_and_editor_requests(client, keys, residents) -> None:
    """Reads and writes that carry names, valid and invalid (answers do hold names)."""
    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    some = sorted(k for k in residents if k.startswith("zandwijk"))[:2]
    for url in [
        "/api/v1/proeftuinen/zandwijk/actors?kind=resident",
        f"/api/v1/proeftuinen/zandwijk/actors/{quote(some[0])}",
        "/api/v1/proeftuinen/zandwijk/metrics/actors",
        "/api/v1/proeftuinen/zandwijk/exports?format=json",
        "/api/v1/proeftuinen/zandwijk/changes?from=2023-01-01&to=2024-12-31",
        "/proeftuinen/zandwijk/map.html",
        "/proeftuinen/zandwijk",
    ]:
        resp = client.get(url, headers=analyst)
        assert resp.status_code == 200, url
    # a new resident, renamed, a clash, invalid bodies that hold names
    created = client.post(
        "/api/v1/proeftuinen/zandwijk/actors",
        headers=editor,
        json={"key": "privacy-1", "kind": "resident", "name": NEW_NAME},
    )
    assert created.status_code == 201
    renamed = client.put(
        "/api/v1/proeftuinen/zandwijk/actors/privacy-1",
        headers=editor,
        json={"kind": "resident", "name": residents[some[1]]},
    )
    assert renamed.status_code == 200
    clash = client.post(
        "/api/v1/proeftuinen/molenbeek/actors",
        headers=editor,
        json={"key": some[0], "kind": "resident", "name": NEW_NAME},
    )
    assert clash.status_code == 409
    invalid = client.post(
        "/api/v1/proeftuinen/zandwijk/actors",
        headers=editor,
        json={"key": "privacy-2", "kind": "bewoner", "name": NEW_NAME},
    )
    assert invalid.status_code == 422
    rows = (
        f"key,kind,name\nprivacy-3,resident,{NEW_NAME}\nprivacy-4,onbekend,{residents[some[0]]}\n"
    )
    rejected = client.post(
        "/api/v1/proeftuinen/zandwijk/imports",
        headers=editor,
        data={"actors": rows},
        content_type="multipart/form-data",
    )
    assert rejected.status_code == 422
    imported = client.post(
        "/api/v1/proeftuinen/zandwijk/imports",
        headers=editor,
        data={"actors": rows.splitlines(keepends=True)[0] + rows.splitlines(keepends=True)[1]},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)
    assert (
        client.delete("/api/v1/proeftuinen/zandwijk/actors/privacy-1", headers=editor).status_code
        == 204
    )


def test_analysts_and_editors_requests_log_no_names(app, client, keys, residents, caplog):
    caplog.set_level(logging.DEBUG)
    _analyst_and_editor_requests(client, keys, residents)
    logged = _log_text(caplog.records)
    assert len(caplog.records) >= 3  # the warnings of the refused requests, at least
    assert _hits(logged, set(residents.values()) | {NEW_NAME}) == []


def test_gunicorn_logs_at_debug_hold_no_names(neo4j_uri, neo4j_password, keys, residents, tmp_path):
    """The production server's access and error logs, and the app's own at DEBUG."""
    port = free_port()
    log_file = tmp_path / "gunicorn.log"
    config = tmp_path / "logging.json"
    config.write_text(
        json.dumps(
            {
                "version": 1,
                "disable_existing_loggers": False,
                "formatters": {
                    "plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}
                },
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "filename": str(log_file),
                        "formatter": "plain",
                    }
                },
                "root": {"level": "DEBUG", "handlers": ["file"]},
                "loggers": {
                    "gunicorn.error": {"level": "DEBUG", "handlers": ["file"], "propagate": False},
                    "gunicorn.access": {"level": "DEBUG", "handlers": ["file"], "propagate": False},
                },
            }
        )
    )
    env = {
        **os.environ,
        "GRAPHSVC_NEO4J_URI": neo4j_uri,
        "GRAPHSVC_NEO4J_PASSWORD": neo4j_password,
        "GRAPHSVC_SECRET_KEY": "privacy-test",
        "GRAPHSVC_ANONYMOUS_ROLE": "",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            "1",
            "--threads",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "debug",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--log-config-json",
            str(config),
            "graphsvc.web.app:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz", {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        viewer = {"Authorization": f"Bearer {keys['viewer']}"}
        analyst = {"Authorization": f"Bearer {keys['analyst']}"}
        for url, who in [
            ("/proeftuinen/zandwijk/map.html", viewer),
            ("/", viewer),
            ("/api/v1/proeftuinen/zandwijk/health", viewer),
            ("/api/v1/proeftuinen/zandwijk/actors", viewer),
            ("/api/v1/proeftuinen/zandwijk/actors?page_size=500", analyst),
            ("/proeftuinen/zandwijk/map.html?lang=en", analyst),
            ("/api/v1/proeftuinen/zandwijk/exports?format=csv", analyst),
        ]:
            status, received = _get(base + url, who)
            assert status in (200, 403), (url, status)
            if who is viewer:
                assert _hits(received, set(residents.values())) == [], url
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    logged = output.decode("utf-8", "replace") + log_file.read_text(encoding="utf-8")
    assert "GET /api/v1/proeftuinen/zandwijk/actors" in logged  # the access log was read
    assert "DEBUG" in logged
    assert _hits(logged, set(residents.values())) == []
