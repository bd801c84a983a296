"""docs/api.md's Python example and a client generated from the OpenAPI document, run
against a live server on loopback (a real Neo4j with the demo proeftuinen)."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from serving import served

from graphsvc.transfer.seeding import load_seeds
from graphsvc.web import auth
from graphsvc.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "api.md"


@pytest.fixture(scope="module")
def live(_session_repo, test_settings):
    """A threaded server with the seeds; yields (url, {role: key})."""
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    app = create_app(test_settings)
    with app.app_context():
        made = {role: auth.create_key(role, f"docs {role}") for role in ("viewer", "editor")}
    try:
        with served(app, "api-docs-server") as base:
            yield base, {r: k for r, (_, k) in made.items()}
    finally:
        with app.app_context():
            for id_, _ in made.values():
                auth.revoke(id_)


def _python_block() -> str:
    blocks = re.findall(r"```python\n(.*?)```", API_MD.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/api.md should hold exactly one Python example"
    return blocks[0]


def test_the_python_example_of_the_docs_runs_against_the_service(live, tmp_path):
    url, keys = live
    script = tmp_path / "example.py"
    script.write_text(_python_block(), encoding="utf-8")
    env = {**os.environ, "GRAPHSVC_URL": url, "GRAPHSVC_KEY": keys["editor"]}
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    first, total = re.search(r": (\d+) actors, (\d+) in total", out).groups()
    assert int(first) == int(total) > 20  # all pages were followed
    assert re.search(r"^density 0\.\d+", out, re.M)
    assert re.search(r'^updated \S+ new ETag "[0-9a-f]+"$', out, re.M)
    assert f"actors.csv rows: {total}" in out


def test_a_client_generated_from_the_openapi_document_lists_metrics(live, tmp_path):
    url, keys = live
    generator = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    if generator is None:
        pytest.fail("openapi-python-client is not installed (make setup installs it)")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [
            generator,
            "generate",
            "--url",
            f"{url}/api/v1/openapi.json",
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "graphsvc_client"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every schema was understood
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("graphsvc_client")
        proeftuinen_api = importlib.import_module(
            "graphsvc_client.api.proeftuinen.list_proeftuinen"
        )
        metrics_api = importlib.import_module("graphsvc_client.api.metrics.proeftuin_metrics")
        client = client_module.AuthenticatedClient(base_url=url, token=keys["viewer"])
        proeftuinen = proeftuinen_api.sync(client=client)
        assert len(proeftuinen) >= 2
        key = proeftuinen[0].key
        metrics = metrics_api.sync(client=client, key=key)
        # Typed all the way down: attributes, not dictionaries.
        assert type(metrics).__name__ == "MetricsResponse"
        assert metrics.metrics.actors == proeftuinen[0].actors
        assert metrics.request.proeftuinen == [key] and metrics.request.national is False
        assert isinstance(metrics.metrics.ties_used, int)
        density = metrics.metadata.additional_properties["density"]
        assert density.name_nl and density.name_en == "Density"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("graphsvc_client")]:
            del sys.modules[name]
