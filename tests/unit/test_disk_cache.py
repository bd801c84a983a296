"""The disk cache: values back by their key, an owner-only folder, never another user's."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.graph import GraphRequest, Selection


def test_a_value_comes_back_by_an_equal_key_only(tmp_path):
    cache = DiskCache(tmp_path / "cache")
    request = GraphRequest.parse(Selection.of(["p1"]), dt.date(2024, 1, 31))
    key = ("size", request, (), ("generation-1", (("p1", 3),)))
    cache.set(key, {"actors": 5, "arcs": 4})
    same = ("size", GraphRequest.parse(Selection.of(["p1"]), dt.date(2024, 1, 31)), (), key[3])
    assert DiskCache(tmp_path / "cache").get(same) == {"actors": 5, "arcs": 4}
    assert cache.get(("size", request, (), ("generation-1", (("p1", 4),)))) is None
    assert cache.get(("size", request, (), ("generation-2", (("p1", 3),)))) is None
    assert (cache.hits, cache.misses) == (0, 2)


def test_what_other_code_made_is_never_served(tmp_path, monkeypatch):
    from graphsvc.analysis import disk_cache

    cache = DiskCache(tmp_path / "cache")
    cache.set(("map", "p1", 3), "<html>made by this code</html>")
    assert cache.get(("map", "p1", 3)) == "<html>made by this code</html>"
    # After an upgrade the same key finds nothing: the map is made again by the new code.
    monkeypatch.setattr(disk_cache, "code_fingerprint", lambda: "another-version")
    assert cache.get(("map", "p1", 3)) is None


def test_the_code_fingerprint_follows_every_kind_of_source(tmp_path, monkeypatch):
    from importlib import resources

    from graphsvc.analysis import disk_cache

    mine = disk_cache.code_fingerprint()
    assert len(mine) == 16 and mine == disk_cache.code_fingerprint()
    names = {
        name
        for package in disk_cache._CODE_PACKAGES
        for name, _ in disk_cache._code_files(resources.files(package))
    }
    # the computations, the queries, the page templates and the map's own script
    assert {
        "/analysis/graph.py",
        "/proeftuin_versions.cypher",
        "/assets/map.js",
        "/templates/map.html.j2",
    } <= names
    assert any(n.endswith(".html") for n in names)
    assert not any("__pycache__" in n for n in names)
    # a changed file gives another fingerprint
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(disk_cache, "_CODE_PACKAGES", ("pkg",))
    monkeypatch.syspath_prepend(str(tmp_path))
    disk_cache.code_fingerprint.cache_clear()
    first = disk_cache.code_fingerprint()
    (package / "a.py").write_text("x = 2\n")
    disk_cache.code_fingerprint.cache_clear()
    assert disk_cache.code_fingerprint() != first
    disk_cache.code_fingerprint.cache_clear()


def test_the_folder_is_made_owner_only(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    DiskCache(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_folder_of_another_user_is_refused(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    os.chown(folder, 65534, 65534)
    with pytest.raises(PermissionError, match="another user"):
        DiskCache(folder)
