"""A non-editable install carries the Cypher files, the seeds and the Maven file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_cypher_seeds_pom_and_templates(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("graphsvc-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for cypher in (ROOT / "cypher").rglob("*.cypher"):
        assert "graphsvc/cypher/" + cypher.relative_to(ROOT / "cypher").as_posix() in names
    for seed in (ROOT / "seeds").rglob("*.csv"):
        assert "graphsvc/seeds/" + seed.relative_to(ROOT / "seeds").as_posix() in names
    assert "graphsvc/store/server/pom.xml" in names
    assert "graphsvc/web/templates/index.html" in names
