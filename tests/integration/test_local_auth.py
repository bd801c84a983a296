"""The local Neo4j of the test run (started like ``graphsvc neo4j start``) requires its
password, and keeps its files to the service's user."""

from __future__ import annotations

import base64
import json
import os
import stat
import urllib.error
import urllib.request

import neo4j
import pytest

from graphsvc import config
from graphsvc.store import repository


@pytest.fixture
def server(local_neo4j):
    if local_neo4j is None:
        pytest.skip("--neo4j-uri: the tests did not start this server")
    return local_neo4j


def _login(uri: str, password: str | None) -> None:
    auth = None if password is None else ("neo4j", password)
    with neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=5) as driver:
        driver.execute_query("RETURN 1", database_="neo4j")


def _http_query(server, auth: str | None) -> int:
    body = json.dumps({"statements": [{"statement": "MATCH (a:Actor) RETURN a.name"}]})
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.http_port}/db/neo4j/tx/commit",
        data=body.encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_server_refuses_a_missing_wrong_or_empty_password(server, repo):
    password = server.password()
    assert len(password) >= 32
    # Over HTTP, where the attacker read names: no credentials and wrong ones are refused.
    assert _http_query(server, None) == 401
    assert _http_query(server, "neo4j:neo4j") == 401
    assert _http_query(server, f"neo4j:{password}") == 200
    # Over Bolt: without authentication, with a wrong and with an empty password.
    with pytest.raises(neo4j.exceptions.AuthError):
        _login(server.uri, None)
    with pytest.raises(neo4j.exceptions.AuthError):
        _login(server.uri, "neo4j")
    _login(server.uri, password)  # a good login resets Neo4j's count of failed ones
    with pytest.raises(neo4j.exceptions.AuthError):
        _login(server.uri, "")
    _login(server.uri, password)
    assert repository.ping(server.uri, password=password)
    assert not repository.ping(server.uri, password="wrong")
    _login(server.uri, password)


def test_the_service_finds_the_password_in_the_servers_folder(server, repo):
    settings = config.load(
        environ={
            "GRAPHSVC_NEO4J_HOME": str(server.home),
            "GRAPHSVC_NEO4J_BOLT_PORT": str(server.bolt_port),
        }
    )
    assert settings["NEO4J_PASSWORD"] == server.password()
    store = repository.connect(settings)
    try:
        assert store.ping()
    finally:
        store.close()


def test_the_servers_folder_is_the_owners_only(server, repo):
    assert stat.S_IMODE(server.home.stat().st_mode) == 0o700
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    shared = []
    for root, folders, files in os.walk(server.home):
        for name in folders + files:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                shared.append((path, oct(stat.S_IMODE(mode))))
    assert shared == []
    names = {p.name for p in (server.home / "data").rglob("*")}
    assert "neostore" in names or any(n.startswith("neostore") for n in names)  # real store
