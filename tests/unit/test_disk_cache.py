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
