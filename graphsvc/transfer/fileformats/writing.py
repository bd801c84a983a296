"""Export of tables: a :class:`~graphsvc.dataset.Dataset` -> JSON, CSV or XLSX bytes.

Every writer writes ``Dataset.sorted()`` order.  JSON, CSV and XLSX are the
import format, so an export can be edited and imported again:

* JSON round-trips exactly and byte for byte (sorted keys, fixed layout).
* CSV and XLSX round-trip exactly for what the format can hold: CSV has no
  types, so attribute values come back as text; XLSX has one number type, so
  an integral float attribute (``3.0``) comes back as ``3``; an empty-string
  attribute or provenance is an empty cell and comes back absent.
* String cells a spreadsheet would run as a formula are neutralised with a
  leading apostrophe (OWASP "CSV injection"); the importer removes it again.

GraphML and GEXF, for Gephi, R, networkx and igraph, are written by
:mod:`graphsvc.transfer.fileformats.graph_writing`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from graphsvc.dataset import Actor, Dataset, Meeting, Tie
from graphsvc.transfer.fileformats.cells import (
    format_number,
    neutralise,
    xlsx_escape,
)
from graphsvc.transfer.fileformats.columns import SPECS

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "write_json",
    "write_csv",
    "write_xlsx",
]

FORMAT_NAME = "graphsvc"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------- JSON


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def write_json(ds: Dataset) -> bytes:
    """The JSON export: ``{"format": "graphsvc", "version": 1, "actors": [...], ...}``.

    Deterministic, so export -> import -> export gives the same bytes: canonical
    order, sorted keys within records, UTF-8, one record per line (readable in a diff, and
    written by the C encoder, which ``indent=`` would switch off).  Weights are
    always floats (``1.0``), dates ISO text, an open ``until`` is null.
    """
    ds = ds.sorted()
    tables: dict[str, list[dict[str, Any]]] = {
        "actors": [
            {
                "key": a.key,
                "kind": a.kind,
                "name": a.name,
                "proeftuinen": list(a.proeftuinen),
                "attributes": a.attributes,
            }
            for a in ds.actors
        ],
        "ties": [
            {
                "source": t.source,
                "target": t.target,
                "type": t.type,
                "since": _iso(t.since),
                "until": _iso(t.until),
                "weight": float(t.weight),
                "provenance": t.provenance,
                "attributes": t.attributes,
            }
            for t in ds.ties
        ],
        "meetings": [
            {
                "key": m.key,
                "date": _iso(m.date),
                "title": m.title,
                "proeftuin": m.proeftuin,
                "attributes": m.attributes,
            }
            for m in ds.meetings
        ],
        "attendance": [{"meeting": a.meeting, "actor": a.actor} for a in ds.attendance],
    }
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False).encode
    members = {"format": encode(FORMAT_NAME), "version": encode(FORMAT_VERSION)}
    for name, items in tables.items():  # fixed order: actors, ties, meetings, attendance
        lines = ",\n    ".join(encode(item) for item in items)
        members[name] = f"[\n    {lines}\n  ]" if items else "[]"
    body = ",\n".join(f"  {encode(name)}: {value}" for name, value in members.items())
    return ("{\n" + body + "\n}\n").encode("utf-8")


# --------------------------------------------------------------------------- tables


def _attribute_names(table: str, items: Iterable[Actor | Tie | Meeting]) -> list[str]:
    names = sorted({name for item in items for name in item.attributes})
    spec = SPECS[table]
    for name in names:
        if spec.reserved(name) or not name.strip() or name != name.strip():
            raise ValueError(
                f"attribute {name!r} of {table} cannot be written as a column: it would be "
                "read back as a fixed column or lose its spaces"
            )
    return names


def _rows(ds: Dataset) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Header and rows of each table, with Python values (dates, numbers, text, None)."""
    ds = ds.sorted()
    actor_attrs = _attribute_names("actors", ds.actors)
    tie_attrs = _attribute_names("ties", ds.ties)
    meeting_attrs = _attribute_names("meetings", ds.meetings)
    return {
        "actors": (
            list(SPECS["actors"].columns) + actor_attrs,
            [
                [a.key, a.kind, a.name, "|".join(a.proeftuinen)]
                + [a.attributes.get(n) for n in actor_attrs]
                for a in ds.actors
            ],
        ),
        "ties": (
            list(SPECS["ties"].columns) + tie_attrs,
            [
                [t.source, t.target, t.type, t.since, t.until, float(t.weight), t.provenance]
                + [t.attributes.get(n) for n in tie_attrs]
                for t in ds.ties
            ],
        ),
        "meetings": (
            list(SPECS["meetings"].columns) + meeting_attrs,
            [
                [m.key, m.date, m.title, m.proeftuin] + [m.attributes.get(n) for n in meeting_attrs]
                for m in ds.meetings
            ],
        ),
        "attendance": (
            list(SPECS["attendance"].columns),
            [[a.meeting, a.actor] for a in ds.attendance],
        ),
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def write_csv(ds: Dataset, delimiter: str = ",") -> dict[str, bytes]:
    """``actors.csv``, ``ties.csv``, ``meetings.csv``, ``attendance.csv`` in the import format.

    UTF-8 with BOM and CRLF line ends, as Excel writes and reads them.  With
    ``delimiter=";"`` (Dutch Excel) the weight uses a decimal comma (``1,5``)
    so Excel reads it as a number; attribute values are written as they are.
    Attribute columns: the union of attribute names, sorted.  Tables without
    rows are written with their header only.
    """
    if delimiter not in (",", ";"):
        raise ValueError("delimiter must be ',' or ';'")
    decimal_comma = delimiter == ";"
    weight_column = SPECS["ties"].columns.index("weight")
    files = {}
    for table, (header, rows) in _rows(ds).items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in header])
        for row in rows:
            cells = [_csv_cell(v) for v in row]
            if table == "ties" and decimal_comma:
                cells[weight_column] = format_number(row[weight_column], decimal_comma=True)
            writer.writerow(cells)
        files[f"{table}.csv"] = buffer.getvalue().encode("utf-8-sig")
    return files


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return xlsx_escape(neutralise(value))
    return value


def write_xlsx(ds: Dataset) -> bytes:
    """A workbook with sheets ``actors``, ``ties``, ``meetings``, ``attendance``.

    Dates are real date cells (``yyyy-mm-dd``), weights and numeric attributes
    numbers (openpyxl writes 16 significant digits, so a float that needs 17,
    such as ``0.1 + 0.2``, comes back as its 16-digit neighbour), booleans
    booleans; text is neutralised like CSV, and characters XML cannot hold are
    stored the way Excel stores them (``_x0001_``).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, (header, rows) in _rows(ds).items():
        ws = workbook.create_sheet(table)
        ws.freeze_panes = "A2"
        cells = []
        for name in header:
            cell = WriteOnlyCell(ws, value=_xlsx_value(name))
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            out = []
            for value in row:
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    out.append(cell)
                else:
                    out.append(_xlsx_value(value))
            ws.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
