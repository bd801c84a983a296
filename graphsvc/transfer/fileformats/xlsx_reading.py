"""Workbook bytes -> raw tables: opening an XLSX file (a zip) and reading its sheets."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from graphsvc.transfer.fileformats.cells import unneutralise, xlsx_unescape
from graphsvc.transfer.fileformats.columns import SPECS
from graphsvc.transfer.fileformats.reading import (
    Budget,
    Limits,
    RawTable,
    open_zip,
    tabular_table,
)
from graphsvc.transfer.fileformats.row_problems import LimitReached, ProblemLog, Where

__all__ = ["open_workbook", "xlsx_tables", "looks_like_xlsx"]


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
