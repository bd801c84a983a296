"""The local Neo4j launcher: configuration, its password and file modes, and clear messages
when a tool is missing."""

from __future__ import annotations

import os
import stat

import pytest

from graphsvc import config
from graphsvc.errors import LocalServerError
from graphsvc.store import launcher as neo4j_local
from graphsvc.store.launcher import LocalNeo4j, private_dir, write_private


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


def test_authentication_is_on_in_the_generated_configuration(tmp_path):
    conf = LocalNeo4j(home=tmp_path, lib=tmp_path / "lib").config_text().splitlines()
    assert "dbms.security.auth_enabled=true" in conf
    assert "dbms.security.auth_enabled=false" not in conf


def test_the_service_reads_the_local_password_unless_one_is_set(tmp_path):
    home = tmp_path / "neo4j"
    env = {"GRAPHSVC_NEO4J_HOME": str(home)}
    assert config.load(environ=env)["NEO4J_PASSWORD"] == ""  # no server made yet
    home.mkdir()
    write_private(home / config.PASSWORD_FILE_NAME, "s3cret-from-file\n")
    assert config.load(environ=env)["NEO4J_PASSWORD"] == "s3cret-from-file"
    assert LocalNeo4j(home=home, lib=tmp_path).password() == "s3cret-from-file"
    chosen = {**env, "GRAPHSVC_NEO4J_PASSWORD": "from-env"}
    assert config.load(environ=chosen)["NEO4J_PASSWORD"] == "from-env"
    assert config.load({"NEO4J_PASSWORD": "given"}, environ=env)["NEO4J_PASSWORD"] == "given"


def test_private_folders_and_files_are_the_owners_only_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        folder = private_dir(tmp_path / "var" / "neo4j")
        secret = folder / "secret"
        secret.write_text("was world-readable")
        secret.chmod(0o644)
        write_private(secret, "now private")
        fresh = folder / "fresh"
        write_private(fresh, "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700  # made parents too
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert secret.read_text() == "now private"
    (tmp_path / "open").mkdir(mode=0o755)
    private_dir(tmp_path / "open")  # an existing folder is tightened
    assert stat.S_IMODE((tmp_path / "open").stat().st_mode) == 0o700
