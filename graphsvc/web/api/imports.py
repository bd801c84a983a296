"""POST /api/v1/proeftuinen/{key}/imports and /api/v1/imports: upload files into the store.

All or nothing: the upload is checked whole (every row, and against the
store), then written in one transaction.  A rejected import answers 422 with
``errors`` listing every problem by file, row and column, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.datastructures import FileStorage

from graphsvc.transfer import importer
from graphsvc.transfer.fileformats import TABLES
from graphsvc.web.api.schemas import ImportArgs, ImportFilesSchema, ImportReportSchema
from graphsvc.web.auth import require_role
from graphsvc.web.problem_details import language
from graphsvc.web.services import store

__all__ = ["blp"]

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Imports (editor role): CSV tables as form fields actors, ties, "
    "meetings, attendance, or one XLSX / JSON / zip file as field "
    "file. With dry_run=true nothing is written. Errors (422) list "
    "the problems by file, row and column (the first "
    "GRAPHSVC_IMPORT_MAX_PROBLEMS, with errors_total counting all); too large an "
    "upload is 413.",
)

_REJECTED = (
    "The import was rejected: 'errors' lists the problems (file, table, row, "
    "column, code, value, message, message_nl, message_en), the first "
    "GRAPHSVC_IMPORT_MAX_PROBLEMS of them; 'errors_total' counts them all. Reading "
    "stops at the import limits (rows, unpacked size, time) with a problem saying so. "
    "Nothing was changed."
)


@blp.before_request
def _form_limit() -> None:
    # Werkzeug keeps non-file form fields in memory up to 500 kB by default; a CSV
    # table sent as a plain text field may be as large as a file upload.
    request.max_form_memory_size = current_app.config.get("MAX_CONTENT_LENGTH")


def _read(upload: FileStorage | str, name: str) -> tuple[str, bytes]:
    if isinstance(upload, str):  # a plain form field holding the table's text
        return f"{name}.csv", upload.encode("utf-8")
    return upload.filename or f"{name}.csv", upload.read()


def _uploads(form: dict[str, Any]) -> tuple[list[tuple[str, bytes]], dict[str, tuple[str, bytes]]]:
    """(files, tables) from the parsed multipart form, plus tables sent as text fields."""
    tables = {t: _read(form[t], t) for t in TABLES if form.get(t) is not None}
    for t in TABLES:
        if t not in tables and request.form.get(t):
            tables[t] = _read(request.form[t], t)
    files = [_read(f, "file") for f in form.get("file") or []]
    return files, tables


def _run(form: dict[str, Any], args: dict[str, Any], proeftuin: str | None) -> dict[str, Any]:
    files, tables = _uploads(form)
    report = importer.import_files(
        store(),
        files=files or None,
        tables=tables or None,
        proeftuin=proeftuin,
        dry_run=args["dry_run"],
        lang=language(),
        limits=importer.limits_from(current_app.config),
    )
    return report.as_json()


@blp.route("/proeftuinen/<key>/imports", methods=["POST"])
@require_role("editor")
@blp.arguments(ImportArgs, location="query")
@blp.arguments(ImportFilesSchema, location="files")
@blp.response(200, ImportReportSchema)
@blp.alt_response(422, description=_REJECTED)
@blp.alt_response(413, description="The upload is larger than MAX_UPLOAD_MB")
def import_into_proeftuin(args: dict[str, Any], form: dict[str, Any], key: str) -> Any:
    """Import files into one proeftuin.

    Rows with an empty `proeftuin` column belong to this proeftuin; a row may
    name several (`a|b`), each of which must exist. The answer counts what was
    (or, with `dry_run=true`, would be) created, updated and left unchanged per
    table, and the new versions.
    """
    return _run(form, args, key)


@blp.route("/imports", methods=["POST"])
@require_role("editor")
@blp.arguments(ImportArgs, location="query")
@blp.arguments(ImportFilesSchema, location="files")
@blp.response(200, ImportReportSchema)
@blp.alt_response(422, description=_REJECTED)
@blp.alt_response(413, description="The upload is larger than MAX_UPLOAD_MB")
def import_everything(args: dict[str, Any], form: dict[str, Any]) -> Any:
    """Import files for any proeftuinen: each row's `proeftuin` column decides.

    A JSON export of everything (`GET /api/v1/exports?format=json`) carries its
    proeftuinen and recreates them, so it restores an empty store.
    """
    return _run(form, args, None)
