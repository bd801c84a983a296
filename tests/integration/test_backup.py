"""Backup and restore: `graphsvc export --all`, empty store, `graphsvc import`.

The procedure of docs/backup.md, on the real Neo4j of the test run: the JSON
export of everything, restored into an emptied store, gives the same store:
the export of the restored store is byte for byte the backup, and the counts
of nodes and relationships are the same.  The command as cron runs it (the
installed ``graphsvc`` script, configured by environment variables) writes the
same bytes as the command inside the test.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

from graphsvc.cli.main import cli
from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.transfer.seeding import load_seeds


def add_awkward_values(repo) -> None:
    """A non-fictional proeftuin with values a backup could mangle: typed attributes,
    accents, an end date, a shared funder, a meeting with attendance."""
    repo.proeftuinen.create("eendorp", "Ééndorp aan 't Water", "Súdwest-Fryslân", fictional=False)
    d = dt.date
    ds = Dataset(
        actors=[
            Actor(
                "x-1",
                "resident",
                "Zoë d'Ancona",
                ("eendorp",),
                {"age": 71, "score": 0.125, "active": True, "note": 'a;b,"c"\nd'},
            ),
            Actor("x-2", "initiative", "Buurtkamer 🏠", ("eendorp",), {"active": False}),
            Actor("fonds-fnh", "funder", "Fonds Nabijheid", ("eendorp", "zandwijk")),
        ],
        ties=[
            Tie(
                "x-1",
                "x-2",
                "member_of",
                d(2023, 2, 28),
                d(2024, 2, 29),
                2.5,
                "enquête",
                {"strength": 3, "remark": "sinds de buurtkamer"},
            ),
            Tie("fonds-fnh", "x-2", "funds", d(2023, 1, 1), None, 1000.0, None, {}),
        ],
        meetings=[Meeting("m-x", d(2023, 6, 1), "Buurttafel", "eendorp", {"place": "Kerk"})],
        attendance=[Attendance("m-x", "x-1"), Attendance("m-x", "fonds-fnh")],
    )
    repo.datasets.import_(ds, proeftuin="eendorp")


def summary(repo) -> list[tuple]:
    return [
        (p.key, p.name, p.municipality, p.fictional, p.counts, p.meetings)
        for p in repo.proeftuinen.list()
    ]


def graphsvc_script() -> list[str]:
    """The installed console script next to this Python (as cron or a systemd timer calls it)."""
    script = Path(sys.executable).with_name("graphsvc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphsvc.cli.main"]


def test_export_all_wipe_import_gives_an_identical_store(runner, repo, keys, tmp_path):
    list(load_seeds(repo))
    add_awkward_values(repo)
    backup = tmp_path / "graphsvc-all.json"
    made = runner.invoke(cli, ["export", "--all", "--format", "json", "--output", str(backup)])
    assert made.exit_code == 0, made.output
    original = backup.read_bytes()
    counts, before = repo.count_all(), summary(repo)
    assert len(before) == 9 and counts["relationships"] > 1000
    assert original.count(b'"key": "') > 500  # the actors are in it, not just a header

    wiped = runner.invoke(cli, ["wipe", "--yes"])
    assert wiped.exit_code == 0, wiped.output
    assert repo.proeftuinen.list() == [] and repo.count_all() != counts

    restored = runner.invoke(cli, ["import", "--all", str(backup)])
    assert restored.exit_code == 0, restored.output
    again = tmp_path / "again.json"
    assert runner.invoke(cli, ["export", "--all", "-o", str(again)]).exit_code == 0
    assert again.read_bytes() == original
    assert repo.count_all() == counts  # API keys were never part of it and were kept
    assert summary(repo) == before

    # Restoring the same backup over the restored store changes nothing.
    versions = repo.proeftuinen.list_versions()
    twice = runner.invoke(cli, ["import", "--all", str(backup)])
    assert twice.exit_code == 0, twice.output
    assert repo.proeftuinen.list_versions() == versions and repo.count_all() == counts


def test_the_scheduled_command_writes_the_same_backup(
    runner, repo, neo4j_uri, neo4j_password, tmp_path
):
    list(load_seeds(repo))
    inside = tmp_path / "inside.json"
    assert runner.invoke(cli, ["export", "--all", "-o", str(inside)]).exit_code == 0
    outside = tmp_path / "outside.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_NEO4J_URI=neo4j_uri, GRAPHSVC_NEO4J_PASSWORD=neo4j_password)
    done = subprocess.run(
        [*graphsvc_script(), "export", "--all", "-o", str(outside)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert outside.read_bytes() == inside.read_bytes()
    assert "written" in done.stderr


def test_a_backup_file_is_readable_by_its_owner_only(runner, repo, tmp_path):
    list(load_seeds(repo))
    fresh = tmp_path / "fresh.json"
    old = os.umask(0o022)  # the usual umask, under which files are world-readable
    try:
        assert runner.invoke(cli, ["export", "--all", "-o", str(fresh)]).exit_code == 0
        existing = tmp_path / "existing.json"
        existing.write_text("an older backup")
        existing.chmod(0o644)
        assert runner.invoke(cli, ["export", "--all", "-o", str(existing)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert existing.read_bytes() == fresh.read_bytes()
    assert b'"proeftuinen"' in fresh.read_bytes()
