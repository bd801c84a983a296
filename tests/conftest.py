"""Shared fixtures: a real Neo4j for integration tests, started by the test run and stopped by it.

Tests are marked by folder: tests/unit -> unit, tests/integration -> integration,
tests/browser -> browser.  The Neo4j is started lazily, once per session, the
first time an integration test needs it, on free ports and its own data folder
(var/neo4j-test/<pid>, or --neo4j-home), and stopped and removed at the end of
the session whatever the outcome.  It runs with authentication, as ``graphsvc neo4j
start`` does: the tests connect with the password it made (``neo4j_password``).
``--neo4j-uri`` points the tests at a server that is already running instead (its
password from the settings: GRAPHSVC_NEO4J_PASSWORD or the local server's file).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
from pathlib import Path

import pytest
from ci_policy import pytest_runtest_makereport  # noqa: F401 (the hook: a missing tool fails under CI)

from graphsvc import config
from graphsvc.store.launcher import LocalNeo4j, free_port

ROOT = Path(__file__).resolve().parent.parent


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt("SIGTERM")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--neo4j-uri",
        default=None,
        help="use this running Neo4j instead of starting a throwaway one",
    )
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        help="write the guide's screenshots into docs/screenshots "
        "(default: var/screenshots, so a test run changes no tracked file)",
    )
    parser.addoption(
        "--neo4j-home",
        default=None,
        help="folder of the throwaway Neo4j (default: var/neo4j-test/<pid>)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts and parts[0] in ("unit", "integration", "browser"):
            item.add_marker(getattr(pytest.mark, parts[0]))


@pytest.fixture(scope="session")
def local_neo4j(request: pytest.FixtureRequest):
    """The throwaway local server (None when --neo4j-uri is given)."""
    if request.config.getoption("--neo4j-uri"):
        yield None
        return
    home = request.config.getoption("--neo4j-home")
    server = LocalNeo4j(
        home=Path(home).resolve() if home else ROOT / "var" / "neo4j-test" / str(os.getpid()),
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="512m",
        pagecache="128m",
    )
    server.stop()  # a leftover of an interrupted run on the same folder
    shutil.rmtree(server.home, ignore_errors=True)

    def stop_and_remove() -> None:
        server.stop()
        shutil.rmtree(server.home, ignore_errors=True)

    atexit.register(stop_and_remove)  # also on KeyboardInterrupt / internal errors
    # SIGTERM (a CI timeout, a kill) skips atexit: end the session like Ctrl-C instead,
    # which runs the fixture teardown below.
    signal.signal(signal.SIGTERM, _interrupt)
    server.start(timeout=180)
    try:
        yield server
    finally:
        stop_and_remove()


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest, local_neo4j) -> str:
    return request.config.getoption("--neo4j-uri") or local_neo4j.uri


@pytest.fixture(scope="session")
def neo4j_password(local_neo4j) -> str:
    """The password of the user neo4j on the server the tests use."""
    if local_neo4j is None:
        return config.load()["NEO4J_PASSWORD"]
    return local_neo4j.password()


@pytest.fixture(scope="session")
def test_settings(neo4j_uri: str, neo4j_password: str) -> dict:
    return {
        "NEO4J_URI": neo4j_uri,
        "NEO4J_PASSWORD": neo4j_password,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "ANONYMOUS_ROLE": "",
    }


@pytest.fixture(scope="session")
def _session_repo(test_settings):
    from graphsvc.store import repository

    repo = repository.connect(config.load(test_settings))
    repo.create_schema()
    yield repo
    repo.close()


@pytest.fixture
def repo(_session_repo):
    """A repository on an empty store (all network data wiped before the test)."""
    _session_repo.delete_network()
    return _session_repo


@pytest.fixture
def app(test_settings, repo):
    from graphsvc.web.app import create_app

    return create_app(test_settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def keys(app):
    """One fresh API key per role, as {role: key}; revoked again after the test."""
    from graphsvc.web import auth

    with app.app_context():
        made = {role: auth.create_key(role, f"test {role}") for role in auth.ROLES}
    yield {role: key for role, (_, key) in made.items()}
    with app.app_context():
        for id_, _ in made.values():
            auth.revoke(id_)
