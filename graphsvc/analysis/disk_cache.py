"""Results and rendered maps kept on disk, shared by the worker processes of one machine.

The in-process caches of :class:`~graphsvc.analysis.graph.Analysis` and
:class:`~graphsvc.analysis.maps.Maps` are lost when a process starts, and each gunicorn
worker has its own.  This cache sits behind them: a result computed by one worker (or by
the previous run of the service) is read back instead of computed again.  Its keys are
the same as theirs and carry the store's generation and the versions of the proeftuinen
(docs/architecture.md §10), so a write, a restore or a wiped store makes old entries
unreachable; they age out by least recent use under a size limit.  Every key also
carries a fingerprint of the code (:func:`code_fingerprint`): after an upgrade, results
and maps made by the code of before are never served.

The store is diskcache (https://grantjenks.com/docs/diskcache/) (SQLite index, values in
files), which is safe for several threads and processes at once.  Values are pickled, so
the folder must be writable by the service's user only: it is made (or narrowed) to mode
0700.  A cache that cannot be read or written never fails a request: it is skipped, with
a warning in the log.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import diskcache

__all__ = ["DiskCache", "SIZE_LIMIT", "code_fingerprint"]

log = logging.getLogger("graphsvc.analysis.disk_cache")

#: Bytes on disk before the least recently used entries go (a large map is ~2.5 MB).
SIZE_LIMIT = 1024 * 1024 * 1024


#: The packages whose files make what the cache keeps: computations, queries, pages, maps.
_CODE_PACKAGES = ("graphsvc", "graphsvc.cypher", "visualize")
_CODE_SUFFIXES = (".py", ".cypher", ".html", ".j2", ".js", ".css", ".json")


def _code_files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in folder.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                found += _code_files(entry, name)
        elif entry.name.endswith(_CODE_SUFFIXES):
            found.append((name, entry))
    return found


@functools.cache
def code_fingerprint() -> str:
    """A digest of the installed code (sources, queries, templates, map assets), the same
    in every worker process of one installation and different after any change to it."""
    digest = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for name, entry in sorted(_code_files(resources.files(package)), key=lambda f: f[0]):
            digest.update(f"{package}{name}\0".encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def _digest(key: tuple) -> str:
    # The keys hold frozen dataclasses, dates, strings and numbers, whose repr is the same
    # in every process (unlike hash(), which is salted per process).
    return hashlib.sha256(repr((code_fingerprint(), key)).encode("utf-8")).hexdigest()


class DiskCache:
    """``get``/``set`` by a tuple key in the folder ``directory`` (made owner-only).

    OSError (PermissionError) when the folder cannot be made, or belongs to another user.
    """

    def __init__(self, directory: str | os.PathLike[str], size_limit: int = SIZE_LIMIT) -> None:
        path = Path(directory)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_uid != os.getuid():
            # Whoever owns the folder could put a pickle there that runs as this service.
            raise PermissionError(f"the cache folder {path} belongs to another user")
        path.chmod(0o700)
        self.directory = path
        self._cache = diskcache.Cache(
            str(path), size_limit=size_limit, eviction_policy="least-recently-used"
        )
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> Any | None:
        """The value stored under ``key``, or None."""
        try:
            value = self._cache.get(_digest(key))
        except Exception:  # a damaged or unreadable entry is a miss, never a failed request
            log.warning("disk cache in %s could not be read; computing instead", self.directory)
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, key: tuple, value: Any) -> None:
        """Store ``value`` under ``key`` (skipped, with a warning, when that fails)."""
        try:
            self._cache.set(_digest(key), value)
        except Exception:  # a full disk or a value that does not pickle: keep serving
            log.warning("disk cache in %s could not be written", self.directory)

    def clear(self) -> None:
        self._cache.clear()

    def close(self) -> None:
        self._cache.close()
