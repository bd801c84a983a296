"""Versions and ETags never repeat: the store's generation is part of every key.

A wipe starts versions at 1 again and a restore of everything can bring back the
very versions a client or a worker saw before, with other data.  The store's
generation (renewed by both) is read with the versions, so no ETag taken before
gets a 304 after, and every app object (every worker process) serves the restored
data instead of what it had cached.
"""

from __future__ import annotations

import datetime as dt

from graphsvc.cli.main import cli
from graphsvc.dataset import Actor, Dataset, Tie

D = dt.date
ACTORS = ("a1", "a2", "a3", "b1")


def _network(repo, ties: list[tuple[str, str]]) -> None:
    """Proeftuin p1 at version 2 (created, then one import) with the given ties."""
    repo.proeftuinen.create("p1", "Proeftuin één", "Testgemeente")
    actors = [
        Actor(k, "resident" if k[0] == "a" else "initiative", f"Naam {k}", ("p1",)) for k in ACTORS
    ]
    repo.datasets.import_(
        Dataset(actors, [Tie(s, t, "contacts", D(2023, 1, 1)) for s, t in ties]), proeftuin="p1"
    )


def _edges(client, headers) -> int:
    resp = client.get("/api/v1/proeftuinen/p1/metrics?at=2024-01-01", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["request"]["graph"]["edges"]


URLS = [
    "/api/v1/proeftuinen/p1/metrics?at=2024-01-01",
    "/api/v1/proeftuinen/p1/health?at=2024-01-01",
    "/api/v1/national/metrics?at=2024-01-01",
    "/api/v1/proeftuinen",
    "/api/v1/proeftuinen/p1",
    "/api/v1/proeftuinen/p1/actors",
]


def test_an_etag_of_before_a_restore_never_matches_after_it(
    app, repo, keys, tmp_path, test_settings
):
    from graphsvc.web.app import create_app

    analyst = {"Authorization": f"Bearer {keys['analyst']}"}
    _network(repo, [("a1", "a2"), ("a2", "a3"), ("a3", "b1")])
    backup = tmp_path / "all.json"
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["export", "--all", "-o", str(backup)]).exit_code == 0

    # Other data under the same versions: wipe, and build p1 again the same way.
    assert runner.invoke(cli, ["wipe", "--yes"]).exit_code == 0
    _network(repo, [("a1", "a2")])
    versions = repo.proeftuinen.list_versions()
    first, second = app.test_client(), create_app(test_settings).test_client()  # a 2nd worker
    assert _edges(first, analyst) == _edges(second, analyst) == 1  # both workers cache it
    tags = {}
    for url in URLS:
        resp = first.get(url, headers=analyst)
        assert resp.status_code == 200, url
        tags[url] = resp.headers["ETag"]
        again = first.get(url, headers={**analyst, "If-None-Match": tags[url]})
        assert again.status_code == 304, url

    # The restore procedure: wipe, then import the backup of everything.
    assert runner.invoke(cli, ["wipe", "--yes"]).exit_code == 0
    restored = runner.invoke(cli, ["import", "--all", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert repo.proeftuinen.list_versions() == versions  # the very same versions are back

    for url, tag in tags.items():
        resp = first.get(url, headers={**analyst, "If-None-Match": tag})
        assert resp.status_code == 200, url
        assert resp.headers["ETag"] != tag, url
    # Each worker reads the generation with the versions and drops what it had cached.
    assert _edges(first, analyst) == _edges(second, analyst) == 3


def test_wipe_and_restore_renew_the_generation_and_schema_keeps_it(repo, tmp_path, app):
    runner = app.test_cli_runner()
    _network(repo, [("a1", "a2")])
    one = repo.proeftuinen.list_versions().generation
    assert one and repo.proeftuinen.list_versions().generation == one
    repo.create_schema()  # idempotent: the generation stays
    assert repo.proeftuinen.list_versions(["p1"]).generation == one
    assert repo.placements.get_stamp(["p1"])["generation"] == one
    backup = tmp_path / "all.json"
    assert runner.invoke(cli, ["export", "--all", "-o", str(backup)]).exit_code == 0
    repo.delete_network()
    two = repo.proeftuinen.list_versions().generation
    assert two and two != one
    assert runner.invoke(cli, ["import", "--all", str(backup)]).exit_code == 0
    three = repo.proeftuinen.list_versions().generation
    assert three not in (one, two)
    dry = runner.invoke(cli, ["import", "--all", "--dry-run", str(backup)])
    assert dry.exit_code == 0, dry.output
    assert repo.proeftuinen.list_versions().generation == three
