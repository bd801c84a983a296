"""Shared fixtures: a real Neo4j for integration tests, started by the test run and stopped by it.

Tests are marked by folder: tests/unit -> unit, tests/integration -> integration,
tests/browser -> browser.  The Neo4j is started lazily, once per session, the
first time an integration test needs it, on its own ports and data folder
(var/neo4j-test), and stopped at the end of the session whatever the outcome.
``--neo4j-uri`` points the tests at a server that is already running instead.
"""

from __future__ import annotations

import atexit
import shutil
from pathlib import Path

import pytest

from graphsvc import config
from graphsvc.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent
TEST_BOLT_PORT = 17687
TEST_HTTP_PORT = 17474


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--neo4j-uri", default=None,
                     help="use this running Neo4j instead of starting a throwaway one")


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
    server = LocalNeo4j(
        home=ROOT / "var" / "neo4j-test",
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=TEST_BOLT_PORT,
        http_port=TEST_HTTP_PORT,
        heap="512m",
        pagecache="128m",
    )
    server.stop()  # a leftover of an interrupted run
    shutil.rmtree(server.home / "data", ignore_errors=True)
    atexit.register(server.stop)  # also on KeyboardInterrupt / internal errors
    server.start(timeout=180)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest, local_neo4j) -> str:
    return request.config.getoption("--neo4j-uri") or local_neo4j.uri


@pytest.fixture(scope="session")
def test_settings(neo4j_uri: str) -> dict:
    return {"NEO4J_URI": neo4j_uri, "NEO4J_PASSWORD": "", "SECRET_KEY": "test-secret",
            "TESTING": True}


@pytest.fixture(scope="session")
def _session_repo(test_settings):
    from graphsvc import repository
    repo = repository.connect(config.load(test_settings))
    repo.apply_schema()
    yield repo
    repo.close()


@pytest.fixture
def repo(_session_repo):
    """A repository on an empty store (all network data wiped before the test)."""
    _session_repo.wipe()
    return _session_repo


@pytest.fixture
def app(test_settings, repo):
    from graphsvc import create_app
    return create_app(test_settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
