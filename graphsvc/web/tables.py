"""Tables as CSV for spreadsheets with Dutch settings: ``;`` between cells, UTF-8 with a BOM
(so Excel reads the accents), formulas neutralised as the exports do
(:func:`graphsvc.transfer.fileformats.cells.neutralise`).

A route offers CSV when asked by ``?format=csv`` or ``Accept: text/csv``
(:func:`wants_csv`); :func:`csv_response` writes rows of plain values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, request

from graphsvc.transfer.fileformats.cells import neutralise

__all__ = ["csv_response", "csv_text", "wants_csv"]


def wants_csv() -> bool:
    """Whether the request asks for CSV: ``?format=csv``, or ``text/csv`` preferred over JSON
    and HTML in ``Accept``."""
    if request.args.get("format") == "csv":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html", "text/csv"])
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return neutralise(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV text with a BOM, ``;`` separated, CRLF line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV download; never cached by shared caches (it may hold names for analysts)."""
    resp = Response(csv_text(header, rows).encode("utf-8"), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, no-cache"
    resp.headers["Vary"] = "Accept, Cookie, Authorization"
    return resp
