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
import time
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
from graphsvc.transfer.fileformats.row_problems import LimitReached, ProblemLog, Where

__all__ = [
    "Limits",
    "Budget",
    "open_zip",
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


def filled_rows(
    rows: Iterable[tuple[int, Sequence[Any]]], where: Where, budget: Budget
) -> Iterator[tuple[int, Sequence[Any]]]:
    """The non-blank rows of ``rows``; stops (LimitReached) after too many blank ones or
    when the time is up."""
    blank = 0
    for count, (row, cells) in enumerate(rows, start=1):
        if count % _CLOCK_EVERY == 0:
            budget.check_time(where, row)
        if _blank(cells):
            blank += 1
            if blank > budget.limits.max_rows:
                raise LimitReached(where, "too_many_blank_rows", limit=budget.limits.max_rows)
            continue
        yield row, cells


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
    """A CSV file being read: its non-blank rows, lazily, with row numbers as a
    spreadsheet shows them (the header first)."""

    filename: str
    rows: Iterator[tuple[int, Sequence[Any]]]
    header_cells: Sequence[Any]
    estimate: int = 0  # data rows, counted by line breaks (0 = unknown)

    def header(self) -> list[str]:
        return [_header_text(c) for c in self.header_cells]


_SEP_LINE = re.compile(r"sep=(.)\r?\n")
_KNOWN_HEADERS = {c for spec in SPECS.values() for c in spec.columns + tuple(spec.aliases)}
_EOL = re.compile(r"\r\n|\r|\n")
#: Bytes that are not UTF-8, kept by the decoder's "surrogateescape" as U+DC80-U+DCFF.
_ESCAPED = re.compile("[\udc80-\udcff]")
#: Characters beyond ASCII that did come from valid UTF-8.
_UTF8_BEYOND_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_CHUNK = 1 << 16


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


class _LineTooLong(Exception):
    pass


def _text_lines(data: bytes, utf16: bool, max_line: int) -> Iterator[str]:
    """The lines of ``data`` (with their line ends), decoded 64 KiB at a time.

    Never the whole text at once: a 64 MiB file of non-Latin text would be a
    quarter of a gigabyte as one string.  UTF-16 (with its BOM) decodes strictly
    (UnicodeDecodeError); anything else decodes as UTF-8, its BOM dropped, with
    bytes that are not UTF-8 kept as surrogate escapes for :func:`_csv_rows` to judge.
    A line longer than ``max_line`` characters raises _LineTooLong.
    """
    decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")(
        "strict" if utf16 else "surrogateescape"
    )
    view = memoryview(data)
    carry = ""
    for start in range(0, len(data) + 1, _CHUNK):
        final = start + _CHUNK > len(data)
        text = carry + decoder.decode(view[start : start + _CHUNK], final)
        held = ""
        if not final and text.endswith("\r"):  # maybe half of a "\r\n"
            text, held = text[:-1], "\r"
        pos = 0
        for eol in _EOL.finditer(text):
            if eol.end() - pos > max_line:
                raise _LineTooLong
            yield text[pos : eol.end()]
            pos = eol.end()
        carry = text[pos:] + held
        if len(carry) > max_line:
            raise _LineTooLong
    if len(carry) > max_line:
        raise _LineTooLong
    if carry:
        yield carry


def _blank_line(line: str) -> bool:
    return not line.strip(' \t\r\n,;"')


def _estimate(data: bytes, utf16: bool) -> int:
    """Data rows by counting line breaks (blank and multi-line rows make it approximate)."""
    if utf16 or not data:
        return 0
    lines = data.count(b"\n") or data.count(b"\r")
    if not data.endswith((b"\n", b"\r")):
        lines += 1
    return max(lines - 1, 0)


class _Encoding:
    """Judges each row's bytes: UTF-8, or Windows-1252, the file's choice made by the
    first row beyond ASCII; a row in the other one is a problem of that row.

    Old Dutch Excel ("CSV (gescheiden door lijstscheidingsteken)") writes
    Windows-1252.  Five byte values are undefined there, so random binary data
    still fails (``unreadable_text``) rather than being read as nonsense.
    """

    def __init__(self, where: Where, log: ProblemLog) -> None:
        self.where = where
        self.log = log
        self.file: str | None = None  # "utf-8" or "cp1252" once a row decides

    def cells(self, row: int, cells: list[str]) -> list[str] | None:
        """The row's cells as text; None when the file is not text at all."""
        if all(c.isascii() for c in cells):
            return cells
        escaped = any(_ESCAPED.search(c) for c in cells)
        utf8 = any(_UTF8_BEYOND_ASCII.search(c) for c in cells)
        if not escaped:
            if self.file == "cp1252":
                self._mixed(row, "UTF-8", "Windows-1252")
            self.file = self.file or "utf-8"
            return cells
        if self.file == "utf-8" or utf8:
            self._mixed(row, "Windows-1252", "UTF-8")
            return [_ESCAPED.sub("\ufffd", c) for c in cells]
        try:
            text = [c.encode("utf-8", "surrogateescape").decode("cp1252") for c in cells]
        except UnicodeDecodeError:
            self.log.add(self.where, "unreadable_text")
            return None
        if self.file is None:
            self.file = "cp1252"
            self.log.add(self.where, "decoded_cp1252", notice=True)
        return text

    def _mixed(self, row: int, this: str, other: str) -> None:
        self.log.add(
            self.where,
            "mixed_encoding",
            row=row,
            this_nl=f"geen geldige UTF-8 maar {this}" if this != "UTF-8" else "UTF-8",
            this_en=f"not valid UTF-8 but {this}" if this != "UTF-8" else "UTF-8",
            file_nl=f"eerdere rijen zijn {other}",
            file_en=f"earlier rows are {other}",
        )


def _csv_rows(
    data: bytes, where: Where, log: ProblemLog, budget: Budget
) -> Iterator[tuple[int, list[str]]]:
    """Every row of a CSV file, decoded and split, read as it is consumed.

    Stops with a problem logged at the first row that cannot be read; raises
    LimitReached for a line longer than the limit.
    """
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    lines = _text_lines(data, utf16, budget.limits.max_line)
    encoding = _Encoding(where, log)
    row = 0
    try:
        # Excel's "sep=;" first line names the delimiter and, as in Excel, is no row.
        head: list[str] = []
        for line in lines:
            if not head and (m := _SEP_LINE.fullmatch(line)):
                delimiter = m.group(1)
                break
            head.append(line)
            if not _blank_line(line) or len(head) >= 1000:
                delimiter = _delimiter("".join(head))
                break
        else:
            delimiter = ","
        reader = csv.reader(chain(head, lines), delimiter=delimiter)
        for row, cells in enumerate(reader, start=1):
            text = cells if utf16 else encoding.cells(row, cells)
            if text is None:
                return
            yield row, [unneutralise(c) for c in text]
    except csv.Error as exc:  # e.g. a field larger than csv.field_size_limit()
        log.add(where, "unreadable_csv", row=row + 1, detail=str(exc))
    except UnicodeDecodeError:
        log.add(where, "unreadable_text")
    except _LineTooLong:
        raise LimitReached(
            where, "row_too_long", row=row + 1, limit=budget.limits.max_line
        ) from None


def decode_csv(
    filename: str,
    data: bytes,
    log: ProblemLog,
    budget: Budget,
    table: str | None = None,
) -> CsvFile | None:
    """Start reading a CSV file: None (with a problem logged) when it cannot be read
    up to its header.

    UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 when the bytes
    are not valid UTF-8 (a notice says so; a row in the other encoding is a
    problem of that row).  Comma or semicolon; Excel's ``sep=;`` first line is
    honoured and, as in Excel, not counted as a row.  The rows after the header
    are read as the returned file's ``rows`` are consumed; limits raise
    LimitReached, here or then.
    """
    where = Where(filename, table, "csv")
    before = sum(1 for p in log.problems if p.row is None)
    rows = filled_rows(_csv_rows(data, where, log, budget), where, budget)
    first = next(rows, None)
    if sum(1 for p in log.problems if p.row is None) > before:
        return None  # not text, or not CSV, before the header ended
    header_cells: Sequence[Any] = first[1] if first else []
    return CsvFile(
        filename,
        chain([first], rows) if first else iter(()),
        header_cells,
        _estimate(data, data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))),
    )


def csv_table(
    csv_file: CsvFile, spec: TableSpec, log: ProblemLog, budget: Budget, *, proeftuin_default: bool
) -> RawTable:
    where = Where(csv_file.filename, spec.name, "csv")
    return tabular_table(
        spec,
        where,
        csv_file.rows,
        log,
        budget,
        proeftuin_default=proeftuin_default,
        total=csv_file.estimate,
    )


# --------------------------------------------------------------------------- XLSX


def open_workbook(filename: str, data: bytes, log: ProblemLog, budget: Budget) -> Any | None:
    """An openpyxl read-only workbook, or None with a problem logged.

    openpyxl reads some parts whole (shared strings, styles), so the workbook is
    refused before it is opened when its parts unpack to more than the limit.
    The sizes in the zip's directory bound what is read: zipfile stops each part
    at its stated size (and then fails its CRC check), so a part cannot unpack
    to more than its directory entry says.
    """
    import openpyxl

    where = Where(filename, None, "xlsx")
    try:
        with open_zip(data, where, budget) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > budget.limits.max_unpacked:
            log.add(
                where,
                "too_large_unpacked",
                limit_mb=budget.limits.max_unpacked >> 20,
                member="xl/",
            )
            return None
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitReached:
        raise
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
    workbook: Any, filename: str, log: ProblemLog, budget: Budget, *, proeftuin_default: bool
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
                budget,
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


# --------------------------------------------------------------------------- kinds of file


def looks_like_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    if data.count(b"PK\x01\x02") > Limits.max_zip_members:
        # Too many entries to list safely; the part's name is stored uncompressed.
        return b"xl/workbook.xml" in data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # noqa: BLE001 - not a readable zip, so not a workbook
        return False
