"""CSV bytes -> raw tables: streaming, decoding and the delimiter of a CSV file.

A file is decoded 64 KiB at a time (UTF-8 or UTF-16, and Windows-1252 as old
Dutch Excel writes it), its delimiter (comma or semicolon) is chosen by the
header line and its rows are read lazily by
:func:`~graphsvc.transfer.fileformats.reading.tabular_table`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from graphsvc.transfer.fileformats.cells import unneutralise
from graphsvc.transfer.fileformats.columns import SPECS, TableSpec
from graphsvc.transfer.fileformats.reading import (
    Budget,
    RawTable,
    blank_row,
    filled_rows,
    header_text,
    tabular_table,
)
from graphsvc.transfer.fileformats.row_problems import LimitReached, ProblemLog, Where

__all__ = ["CsvFile", "decode_csv", "csv_table"]


@dataclass
class CsvFile:
    """A CSV file being read: its non-blank rows, lazily, with row numbers as a
    spreadsheet shows them (the header first)."""

    filename: str
    rows: Iterator[tuple[int, Sequence[Any]]]
    header_cells: Sequence[Any]
    estimate: int = 0  # data rows, counted by line breaks (0 = unknown)

    def header(self) -> list[str]:
        return [header_text(c) for c in self.header_cells]


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
            header = next((row for row in reader if not blank_row(row)), [])
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
