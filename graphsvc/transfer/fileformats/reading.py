"""Bytes -> raw tables: decoding CSV, opening XLSX, loading JSON.

Nothing here judges values; it only finds the rows and columns (and the
problems of the file as a whole or of its header) and hands
:class:`RawTable` objects to :mod:`graphsvc.transfer.fileformats.validation`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from graphsvc.transfer.fileformats.cells import (
    attribute_name_problem,
    unneutralise,
    xlsx_unescape,
)
from graphsvc.transfer.fileformats.columns import SPECS, TableSpec
from graphsvc.transfer.fileformats.row_problems import ProblemLog, Where

__all__ = [
    "Record",
    "RawTable",
    "CsvFile",
    "decode_csv",
    "csv_table",
    "open_workbook",
    "xlsx_tables",
    "json_tables",
    "looks_like_xlsx",
]

#: A workbook whose parts unpack to more than this is refused before openpyxl
#: reads it (a zip bomb would otherwise fill memory with shared strings).
XLSX_MAX_UNPACKED = 1 << 30


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


def _blank(cells: Sequence[Any]) -> bool:
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


def _header_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def tabular_table(
    spec: TableSpec,
    where: Where,
    rows: Iterable[tuple[int, Sequence[Any]]],
    log: ProblemLog,
    *,
    proeftuin_default: bool,
    total: int = 0,
) -> RawTable:
    """Find the header in ``rows`` (the first non-blank row) and read the rest lazily.

    ``rows`` yields (row number as the user sees it, cells) with strings already
    unescaped.  Header problems are logged here; rows are read when the
    returned table's records are iterated.
    """
    it = iter(rows)
    found = next(((row, cells) for row, cells in it if not _blank(cells)), None)
    if found is None:
        return RawTable(spec, where, [], total=0)
    header_row, header = found

    fields: dict[int, str] = {}
    attributes: dict[int, str] = {}
    seen: dict[str, int] = {}
    unnamed: set[int] = set()
    broken = False
    for index, cell in enumerate(header):
        text = _header_text(cell)
        if not text:
            unnamed.add(index)
            continue
        column = spec.canonical(text)
        name = column or text
        if name in seen:
            log.add(where, "duplicate_column", row=header_row, column=name)
            broken = broken or column is not None
            continue
        seen[name] = index
        if column is not None:
            fields[index] = column
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
            attributes[index] = text
    for column in spec.required + (() if proeftuin_default else ("proeftuin",)):
        if column in spec.columns and column not in fields.values():
            log.add(
                where,
                "missing_column",
                row=header_row,
                column=column,
                expected_nl=spec.expected("nl"),
                expected_en=spec.expected("en"),
            )
            broken = True

    def records() -> Iterator[Record]:
        reported: set[int] = set()
        width = len(header)
        for row, cells in it:
            if _blank(cells):
                continue
            # cells under an empty header, or past the header's end
            for index in chain(unnamed, range(width, len(cells))):
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
                {col: cells[i] for i, col in fields.items() if i < len(cells)},
                {name: cells[i] for i, name in attributes.items() if i < len(cells)},
            )

    return RawTable(
        spec,
        where,
        records(),
        total=total,
        broken=broken,
    )


# --------------------------------------------------------------------------- CSV


@dataclass
class CsvFile:
    """A decoded CSV file: its rows with row numbers as a spreadsheet shows them."""

    filename: str
    rows: list[tuple[int, list[str]]]

    def header(self) -> list[str]:
        for _, cells in self.rows:
            if not _blank(cells):
                return [c.strip() for c in cells]
        return []


def _decode(data: bytes, where: Where, log: ProblemLog) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            log.add(where, "unreadable_text")
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Old Dutch Excel ("CSV (gescheiden door lijstscheidingsteken)") writes
    # Windows-1252.  Five byte values are undefined there, so random binary
    # data still fails and is reported rather than read as nonsense.
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("cp1252")
    except UnicodeDecodeError:
        log.add(where, "unreadable_text")
        return None
    log.add(where, "decoded_cp1252", notice=True)
    return text


_SEP_LINE = re.compile(r"sep=(.)\r?\n")
_KNOWN_HEADERS = {c for spec in SPECS.values() for c in spec.columns + tuple(spec.aliases)}


def _delimiter(text: str) -> str:
    """Comma or semicolon, chosen by which one splits the header into known columns.

    csv.Sniffer guesses from character frequencies and fails on short files
    (a header and one row) or raises on a one-column file; the header is a
    better witness because we know the column names we expect.
    """
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next((row for row in reader if not _blank(row)), [])
        except csv.Error:
            continue
        known = sum(1 for h in header if h.strip().casefold() in _KNOWN_HEADERS)
        score = (known, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def decode_csv(
    filename: str, data: bytes, log: ProblemLog, table: str | None = None
) -> CsvFile | None:
    """Decode and split a CSV file; None (with a problem logged) when it cannot be read.

    UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 when the bytes
    are not valid UTF-8 (a notice says so).  Comma or semicolon; Excel's
    ``sep=;`` first line is honoured and, as in Excel, not counted as a row.
    """
    where = Where(filename, table, "csv")
    text = _decode(data, where, log)
    if text is None:
        return None
    if m := _SEP_LINE.match(text):
        delimiter, text = m.group(1), text[m.end() :]
    else:
        delimiter = _delimiter(text)
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            rows.append((row, [unneutralise(c) for c in cells]))
    except csv.Error as exc:  # e.g. a field larger than csv.field_size_limit()
        log.add(where, "unreadable_csv", row=row + 1, detail=str(exc))
        return None
    return CsvFile(filename, rows)


def csv_table(
    csv_file: CsvFile, spec: TableSpec, log: ProblemLog, *, proeftuin_default: bool
) -> RawTable:
    where = Where(csv_file.filename, spec.name, "csv")
    total = sum(1 for _, cells in csv_file.rows if not _blank(cells))
    return tabular_table(
        spec,
        where,
        csv_file.rows,
        log,
        proeftuin_default=proeftuin_default,
        total=max(total - 1, 0),
    )


# --------------------------------------------------------------------------- XLSX


def open_workbook(filename: str, data: bytes, log: ProblemLog) -> Any | None:
    """An openpyxl read-only workbook, or None with a problem logged."""
    import openpyxl

    where = Where(filename, None, "xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > XLSX_MAX_UNPACKED:
            log.add(where, "unreadable_xlsx", detail=f"unpacked size {unpacked} bytes is too large")
            return None
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party parser on user bytes
        log.add(where, "unreadable_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])
        return None


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return unneutralise(xlsx_unescape(value))
    return value


def _sheet_rows(ws: Any, where: Where, log: ProblemLog) -> Iterator[tuple[int, list[Any]]]:
    try:
        for row, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield row, [_xlsx_cell(v) for v in cells]
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet part inside a valid zip
        log.add(where, "unreadable_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])


def xlsx_tables(
    workbook: Any, filename: str, log: ProblemLog, *, proeftuin_default: bool
) -> list[RawTable]:
    """The tables of a workbook: sheets named (case-insensitively) after the tables.

    ``actors`` and ``ties`` must exist (they may be empty); ``meetings`` and
    ``attendance`` are optional; other sheets (notes, lists) are ignored.
    """
    sheets = {name.strip().casefold(): name for name in workbook.sheetnames}
    tables = []
    for spec in SPECS.values():
        name = sheets.get(spec.name)
        if name is None:
            if spec.name in ("actors", "ties"):
                log.add(Where(filename, spec.name, "xlsx"), "missing_sheet", table=spec.name)
            continue
        where = Where(filename, spec.name, "xlsx", sheet=name)
        try:
            ws = workbook[name]
            max_row = ws.max_row
        except Exception as exc:  # noqa: BLE001 - a corrupt sheet part inside a valid zip
            log.add(where, "unreadable_xlsx", detail=f"{type(exc).__name__}: {exc}"[:200])
            continue
        tables.append(
            tabular_table(
                spec,
                where,
                _sheet_rows(ws, where, log),
                log,
                proeftuin_default=proeftuin_default,
                total=max((max_row or 0) - 1, 0),
            )
        )
    return tables


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


def json_tables(filename: str, data: bytes, log: ProblemLog) -> list[RawTable] | None:
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
                _json_records(items, spec, table_where, log),
                labels={"proeftuin": "proeftuinen"} if spec.name == "actors" else {},
                total=len(items),
            )
        )
    return tables


def _json_records(
    items: list[Any], spec: TableSpec, where: Where, log: ProblemLog
) -> Iterator[Record]:
    names = _JSON_FIELDS[spec.name]
    for row, item in enumerate(items, start=1):
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


# --------------------------------------------------------------------------- kinds of file


def looks_like_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # noqa: BLE001 - not a readable zip, so not a workbook
        return False
