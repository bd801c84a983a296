"""Exports (docs/architecture.md §5): the store -> one downloadable file, per proeftuin or
for everything.

The formats come from :mod:`graphsvc.transfer.fileformats`; this module reads the store,
picks the writer, and names the file.  The JSON export also carries the
proeftuinen themselves (key, name, municipality, fictional) in a member
``"proeftuinen"``, so that ``graphsvc import --all`` can rebuild an empty store
from it; the JSON parser ignores that member, so the file stays a valid import
file for one proeftuin too.

Every export holds residents' names: the API serves them to analysts and up.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.dataset import Dataset
from graphsvc.store.repository import ProeftuinInfo, Repository
from graphsvc.transfer.fileformats import (
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
    write_xlsx,
)

__all__ = ["FORMATS", "ExportFormat", "Export", "export", "write_json_export", "csv_zip"]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    description: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "json",
            "application/json",
            "json",
            "graphsvc JSON: the import format, round-trips exactly",
        ),
        ExportFormat(
            "csv",
            "application/zip",
            "zip",
            "a zip of actors.csv, ties.csv, meetings.csv, attendance.csv (UTF-8 "
            "with BOM, as Excel reads them)",
        ),
        ExportFormat(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            "an Excel workbook with the four tables as sheets",
        ),
        ExportFormat(
            "graphml",
            "application/graphml+xml",
            "graphml",
            "GraphML for R igraph, networkx, Gephi, yEd (a symmetric tie as two arcs)",
        ),
        ExportFormat(
            "gexf",
            "application/gexf+xml",
            "gexf",
            "GEXF 1.3, Gephi's own format (one edge per tie, since/until as a timeline)",
        ),
    )
}

# Every entry of a CSV zip gets this timestamp, so an unchanged store exports the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# The layout write_json starts with; the proeftuinen member goes right after it.
_JSON_HEAD = b'{\n  "format": "graphsvc",\n  "version": 1,\n'


@dataclass(frozen=True)
class Export:
    """One export file and what it was made from."""

    data: bytes
    format: ExportFormat
    filename: str
    versions: dict[str, int]  # the versions of the proeftuinen read, from the same transaction

    @property
    def media_type(self) -> str:
        return self.format.media_type


def write_json_export(ds: Dataset, proeftuinen: Iterable[ProeftuinInfo]) -> bytes:
    """:func:`~graphsvc.transfer.fileformats.write_json` with a ``"proeftuinen"`` member after
    ``version``.

    Deterministic like ``write_json`` itself: the proeftuinen in key order, one
    per line, keys sorted.  Raises RuntimeError when ``write_json`` no longer
    starts with the layout this relies on (a test catches that at once).
    """
    body = write_json(ds)
    if not body.startswith(_JSON_HEAD):
        raise RuntimeError("write_json changed its layout; update graphsvc.transfer.exporter")
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False).encode
    items = [
        encode(
            {"key": p.key, "name": p.name, "municipality": p.municipality, "fictional": p.fictional}
        )
        for p in sorted(proeftuinen, key=lambda p: p.key)
    ]
    value = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
    member = f'  "proeftuinen": {value},\n'.encode()
    return _JSON_HEAD + member + body[len(_JSON_HEAD) :]


def csv_zip(ds: Dataset, delimiter: str = ",") -> bytes:
    """The four CSV tables of :func:`~graphsvc.transfer.fileformats.write_csv` in one zip
    (fixed order)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in write_csv(ds, delimiter=delimiter).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _proeftuin_infos(repo: Repository, ds: Dataset, proeftuin: str | None) -> list[ProeftuinInfo]:
    """Every proeftuin for a whole export; else the one exported and those its rows name."""
    wanted = None
    if proeftuin is not None:
        wanted = {proeftuin} | {p for a in ds.actors for p in a.proeftuinen}
        wanted |= {m.proeftuin for m in ds.meetings}
    return [
        ProeftuinInfo(p.key, p.name, p.municipality, p.fictional)
        for p in repo.proeftuinen.list()
        if wanted is None or p.key in wanted
    ]


def filename(fmt: str, proeftuin: str | None) -> str:
    """``graphsvc-<proeftuin>.<ext>`` or ``graphsvc-all.<ext>`` (proeftuin keys are ASCII)."""
    return f"graphsvc-{proeftuin or 'all'}.{FORMATS[fmt].extension}"


def export(
    repo: Repository, fmt: str, proeftuin: str | None = None, delimiter: str = ","
) -> Export:
    """Export one proeftuin (or everything, when None) in format ``fmt`` (a key of FORMATS).

    One proeftuin: its actors, the ties between them, its meetings and their
    attendance (the induced subgraph).  NotFound for an unknown proeftuin,
    ValueError for an unknown format.  ``delimiter`` (``,`` or ``;``) is for CSV.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = repo.network.get(None if proeftuin is None else [proeftuin])
    ds = Dataset(rows.actors, rows.ties, rows.meetings, rows.attendance).sorted()
    if fmt == "json":
        data = write_json_export(ds, _proeftuin_infos(repo, ds, proeftuin))
    elif fmt == "csv":
        data = csv_zip(ds, delimiter)
    elif fmt == "xlsx":
        data = write_xlsx(ds)
    elif fmt == "graphml":
        data = write_graphml(ds, proeftuin)
    else:
        data = write_gexf(ds, proeftuin)
    return Export(data, FORMATS[fmt], filename(fmt, proeftuin), dict(rows.versions))
