"""docker-compose.yml and the Dockerfile serve the app as make run does (no Docker engine
here: the files are checked as text and YAML)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _make_run_gunicorn_options() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"\$\(BIN\)/gunicorn (.*?) --bind", makefile)
    assert found is not None
    return found.group(1).split()


def test_compose_runs_the_official_neo4j_and_the_app_as_make_run_does():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j, app = compose["services"]["neo4j"], compose["services"]["app"]
    assert neo4j["image"] == "neo4j:5.26-community"
    # no default password anywhere: compose refuses to start without one
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert app["environment"]["GRAPHSVC_NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")
    assert app["environment"]["GRAPHSVC_SECRET_KEY"].startswith("${GRAPHSVC_SECRET_KEY:?")
    command = app["command"]
    assert command[0] == "gunicorn" and command[-1] == "graphsvc.web.app:create_app()"
    options = command[1 : command.index("--bind")]
    assert options == _make_run_gunicorn_options() == ["--workers", "2", "--threads", "4"]
    # the disk cache on a volume of its own, where the image gives it to the app's user
    assert app["environment"]["GRAPHSVC_CACHE_DIR"] == "/cache"
    assert "app-cache:/cache" in app["volumes"] and "app-cache" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "chown graphsvc /cache" in dockerfile and "USER graphsvc" in dockerfile
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd is not None and yaml.safe_load(cmd.group(1)) == command
