"""Bytes -> raw tables: the limits of a read, the header of a table, loading JSON.

Nothing here judges values; it only finds the rows and columns (and the
problems of the file as a whole or of its header) and hands
:class:`RawTable` objects to :mod:`graphsvc.transfer.fileformats.validation`.
CSV files are decoded in :mod:`~graphsvc.transfer.fileformats.csv_reading`,
workbooks opened in :mod:`~graphsvc.transfer.fileformats.xlsx_reading`; both
find their header with :func:`tabular_table`.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from graphsvc.transfer.fileformats.cells import (
    attribute_name_problem,
)
from graphsvc.transfer.fileformats.columns import SPECS, TableSpec
from graphsvc.transfer.fileformats.row_problems import LimitReached, ProblemLog, Where

__all__ = [
    "Limits",
    "Budget",
    "open_zip",
    "Record",
    "RawTable",
    "blank_row",
    "header_text",
    "filled_rows",
    "tabular_table",
    "json_tables",
]


@dataclass(frozen=True)
class Limits:
    """How much one import may read before it stops with a problem.

    The defaults are the settings' (``GRAPHSVC_IMPORT_*`` in :mod:`graphsvc.config`).
    """

    max_rows: int = 200_000  # data rows per table; as many empty rows per file
    max_unpacked: int = 64 << 20  # bytes a zip (of CSV files) or a workbook unpacks to
    seconds: float = 60.0  # time to read and check the files
    max_problems: int = 1000  # problems (and notices) listed; all are counted
    max_line: int = 1 << 20  # characters in one line of a CSV file
    max_zip_members: int = 10_000  # entries in a zip or workbook


class Budget:
    """The limits of one parse, with its clock started."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check_time(self, where: Where, row: int | None) -> None:
        if time.monotonic() > self.deadline:
            raise LimitReached(where, "time_limit", row=row, seconds=f"{self.limits.seconds:g}")


#: How often (in rows) the clock is looked at.
_CLOCK_EVERY = 1024


def open_zip(data: bytes, where: Where, budget: Budget) -> zipfile.ZipFile:
    """A zip archive of user bytes, refused (LimitReached) when it has too many entries.

    zipfile reads the whole central directory into ZipInfo objects (some hundreds of
    bytes each) before anything can be checked, so the entries are counted first by
    their signature: an upper bound, as compressed data may hold it by chance.
    """
    entries = data.count(b"PK\x01\x02")
    if entries > budget.limits.max_zip_members:
        raise LimitReached(
            where,
            "unsupported_format",
            detail=f"zip with more than {budget.limits.max_zip_members} entries",
        )
    return zipfile.ZipFile(io.BytesIO(data))


@dataclass
class Record:
    """One data row: fixed columns by canonical name, other columns as attributes."""

    row: int
    fields: dict[str, Any]
    attributes: dict[str, Any]
    bad: bool = False  # the reader already logged a problem for this row
    unusable: bool = False  # not a row at all (a JSON item that is not an object)


@dataclass
class RawTable:
    spec: TableSpec
    where: Where
    records: Iterable[Record]
    labels: dict[str, str] = field(default_factory=dict)  # column -> name in messages
    total: int = 0  # number of data rows (an estimate for XLSX; 0 = unknown)
    broken: bool = False  # header problems: rows are not validated

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


# --------------------------------------------------------------------------- tabular


def blank_row(cells: Sequence[Any]) -> bool:
    """True when no cell of ``cells`` holds anything but whitespace."""
    for c in cells:
        if c is not None and (c.strip() if isinstance(c, str) else True):
            return False
    return True


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_text(cell: Any) -> str:
    """A header cell as text: stripped, a whole float without its '.0', '' for None."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def filled_rows(
    rows: Iterable[tuple[int, Sequence[Any]]], where: Where, budget: Budget
) -> Iterator[tuple[int, Sequence[Any]]]:
    """The non-blank rows of ``rows``; stops (LimitReached) after too many blank ones or
    when the time is up."""
    blank = 0
    for count, (row, cells) in enumerate(rows, start=1):
        if count % _CLOCK_EVERY == 0:
            budget.check_time(where, row)
        if blank_row(cells):
            blank += 1
            if blank > budget.limits.max_rows:
                raise LimitReached(where, "too_many_blank_rows", limit=budget.limits.max_rows)
            continue
        yield row, cells


@dataclass
class _Header:
    """What a header row says: column index -> fixed column or attribute name."""

    width: int
    fields: dict[int, str] = field(default_factory=dict)
    attributes: dict[int, str] = field(default_factory=dict)
    unnamed: set[int] = field(default_factory=set)
    broken: bool = False  # a fixed column is missing or given twice


def _read_header(
    spec: TableSpec,
    where: Where,
    header_row: int,
    header: Sequence[Any],
    log: ProblemLog,
    *,
    proeftuin_default: bool,
) -> _Header:
    """The columns of ``header``, with its problems logged."""
    found = _Header(len(header))
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = header_text(cell)
        if not text:
            found.unnamed.add(index)
            continue
        column = spec.canonical(text)
        name = column or text
        if name in seen:
            log.add(where, "duplicate_column", row=header_row, column=name)
            found.broken = found.broken or column is not None
            continue
        seen[name] = index
        if column is not None:
            found.fields[index] = column
        elif not spec.has_attributes:
            log.add(where, "ignored_column", row=header_row, column=text, notice=True)
        elif reason := attribute_name_problem(text):
            log.add(
                where,
                "bad_attribute_name",
                row=header_row,
                column=_column_letter(index),
                value=text,
                reason_nl=reason[0],
                reason_en=reason[1],
            )
        else:
            found.attributes[index] = text
    for column in spec.required + (() if proeftuin_default else ("proeftuin",)):
        if column in spec.columns and column not in found.fields.values():
            log.add(
                where,
                "missing_column",
                row=header_row,
                column=column,
                expected_nl=spec.expected("nl"),
                expected_en=spec.expected("en"),
            )
            found.broken = True
    return found


def _records(
    rows: Iterator[tuple[int, Sequence[Any]]], header: _Header, where: Where, log: ProblemLog
) -> Iterator[Record]:
    """The data rows under ``header`` as records; a value without a column name is logged
    once per column."""
    reported: set[int] = set()
    for row, cells in rows:
        # cells under an empty header, or past the header's end
        for index in chain(header.unnamed, range(header.width, len(cells))):
            if index < len(cells) and index not in reported:
                value = cells[index]
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    reported.add(index)
                    log.add(
                        where,
                        "unnamed_column",
                        row=row,
                        column=_column_letter(index),
                        value=value,
                    )
        yield Record(
            row,
            {col: cells[i] for i, col in header.fields.items() if i < len(cells)},
            {name: cells[i] for i, name in header.attributes.items() if i < len(cells)},
        )


def tabular_table(
    spec: TableSpec,
    where: Where,
    rows: Iterable[tuple[int, Sequence[Any]]],
    log: ProblemLog,
    budget: Budget,
    *,
    proeftuin_default: bool,
    total: int = 0,
) -> RawTable:
    """Find the header in ``rows`` (the first non-blank row) and read the rest lazily.

    ``rows`` yields (row number as the user sees it, cells) with strings already
    unescaped.  Header problems are logged here; rows are read when the
    returned table's records are iterated (and stop at the limits of ``budget``:
    LimitReached).
    """
    it = filled_rows(rows, where, budget)
    found = next(it, None)
    if found is None:
        return RawTable(spec, where, [], total=0)
    header_row, cells = found
    header = _read_header(spec, where, header_row, cells, log, proeftuin_default=proeftuin_default)
    return RawTable(
        spec,
        where,
        _records(it, header, where, log),
        total=total,
        broken=header.broken,
    )


# --------------------------------------------------------------------------- JSON

# JSON field name -> column, per table.
_JSON_FIELDS: dict[str, dict[str, str]] = {
    "actors": {
        "key": "key",
        "kind": "kind",
        "name": "name",
        "proeftuinen": "proeftuin",
        "proeftuin": "proeftuin",
    },
    "ties": {c: c for c in SPECS["ties"].columns},
    "meetings": {c: c for c in SPECS["meetings"].columns},
    "attendance": {c: c for c in SPECS["attendance"].columns},
}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_type(value: Any) -> str:
    return {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        type(None): "null",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


def json_tables(
    filename: str, data: bytes, log: ProblemLog, budget: Budget
) -> list[RawTable] | None:
    """The tables of a JSON file shaped like the JSON export, or None if unreadable."""
    where = Where(filename, None, "json")
    try:
        doc = json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        log.add(where, "unreadable_json", detail=str(exc)[:200])
        return None
    if not isinstance(doc, dict):
        log.add(
            where,
            "bad_type",
            value=_json_type(doc),
            expected_nl="een JSON-object",
            expected_en="a JSON object",
        )
        return None
    if doc.get("format", "graphsvc") != "graphsvc":
        log.add(where, "wrong_format", value=doc["format"])
        return None
    if doc.get("version", 1) != 1 or isinstance(doc.get("version"), bool):
        log.add(where, "unsupported_version", value=doc["version"])
        return None
    tables = []
    for spec in SPECS.values():
        items = doc.get(spec.name)
        if items is None:
            continue
        table_where = Where(filename, spec.name, "json")
        if not isinstance(items, list):
            log.add(
                table_where,
                "bad_type",
                value=_json_type(items),
                expected_nl="een lijst (array)",
                expected_en="a list (array)",
            )
            continue
        tables.append(
            RawTable(
                spec,
                table_where,
                _json_records(items, spec, table_where, log, budget),
                labels={"proeftuin": "proeftuinen"} if spec.name == "actors" else {},
                total=len(items),
            )
        )
    return tables


def _json_records(
    items: list[Any], spec: TableSpec, where: Where, log: ProblemLog, budget: Budget
) -> Iterator[Record]:
    names = _JSON_FIELDS[spec.name]
    for row, item in enumerate(items, start=1):
        if row % _CLOCK_EVERY == 0:
            budget.check_time(where, row)
        if not isinstance(item, dict):
            log.add(
                where,
                "bad_type",
                row=row,
                value=_json_type(item),
                expected_nl="een JSON-object",
                expected_en="a JSON object",
            )
            yield Record(row, {}, {}, bad=True, unusable=True)
            continue
        record = Record(row, {}, {})
        for name, value in item.items():
            if name == "attributes" and spec.has_attributes:
                record.attributes = _json_attributes(value, spec, where, log, record)
            elif name in names:
                record.fields[names[name]] = value
            else:
                log.add(where, "unknown_field", row=row, column=name)
                record.bad = True
        yield record


def _json_attributes(
    value: Any, spec: TableSpec, where: Where, log: ProblemLog, record: Record
) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        log.add(
            where,
            "bad_type",
            row=record.row,
            column="attributes",
            value=_json_type(value),
            expected_nl="een JSON-object",
            expected_en="a JSON object",
        )
        record.bad = True
        return {}
    out = {}
    for name, item in value.items():
        reason = attribute_name_problem(name)
        if reason is None and spec.reserved(name):
            reason = ("is de naam van een vaste kolom", "is the name of a fixed column")
        if reason is not None:
            log.add(
                where,
                "bad_attribute_name",
                row=record.row,
                column="attributes",
                value=name,
                reason_nl=reason[0],
                reason_en=reason[1],
            )
            record.bad = True
            continue
        out[name] = item
    return out
