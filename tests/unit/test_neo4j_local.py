"""The local Neo4j launcher: configuration and clear messages when a tool is missing."""

from __future__ import annotations

import pytest

from graphsvc.errors import LocalServerError
from graphsvc.store import launcher as neo4j_local
from graphsvc.store.launcher import LocalNeo4j


def test_missing_java_and_maven_are_named(monkeypatch):
    monkeypatch.setattr(neo4j_local.shutil, "which", lambda name: None)
    with pytest.raises(LocalServerError) as err:
        neo4j_local.check_java()
    assert "Java 17" in err.value.message_en and "openjdk-17" in err.value.message_en
    assert "Java 17 ontbreekt" in err.value.message_nl
    with pytest.raises(LocalServerError) as err:
        neo4j_local.check_maven()
    assert (
        "Maven is missing" in err.value.message_en
        and "apt-get install maven" in err.value.message_en
    )


def test_generated_configuration_listens_on_loopback_only(tmp_path):
    server = LocalNeo4j(
        home=tmp_path,
        lib=tmp_path / "lib",
        bolt_port=17001,
        http_port=17002,
        heap="256m",
        pagecache="64m",
    )
    conf = server.config_text().splitlines()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "server.bolt.listen_address=127.0.0.1:17001" in conf
    assert "server.http.listen_address=127.0.0.1:17002" in conf
    assert "server.memory.pagecache.size=64m" in conf
    cmd = server.command("java")
    assert cmd[:3] == ["java", "-Xms256m", "-Xmx256m"]
    assert "org.neo4j.server.CommunityEntryPoint" in cmd
    assert f"--home-dir={tmp_path}" in cmd and "--console-mode" in cmd
    assert server.pid() is None and server.stop() is False  # nothing runs on a fresh folder
