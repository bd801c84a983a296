"""Imports (docs/architecture.md §5): uploaded files -> checked against the store -> one
transaction.

Two steps, so that nothing is written unless everything is right:

1. :mod:`graphsvc.transfer.fileformats` parses and validates the files, knowing every
   actor and meeting already stored (so key clashes with another proeftuin and
   ties to stored actors are judged with row numbers);
2. ``repo.datasets.import_`` (or, for a whole-store JSON file with its proeftuinen,
   ``repo.datasets.import_with_proeftuinen``; :mod:`graphsvc.store.importing`) checks
   the rest against the store and writes everything in ONE transaction.

Any problem in either step raises :class:`~graphsvc.errors.ImportRejected`
with ``errors``: the problems as ``{file, table, row, column, code, value,
message, message_nl, message_en}`` (the first ``Limits.max_problems`` of them;
``errors_total`` counts them all); the store is then unchanged.  Parsing stops at
the limits of :class:`~graphsvc.transfer.fileformats.Limits` (rows, unpacked size,
time), which the settings set (:func:`limits_from`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from graphsvc.errors import ImportRejected, InvalidInput, NotFound
from graphsvc.store.repository import ImportSummary, ProeftuinInfo, Repository
from graphsvc.transfer.fileformats import (
    PROEFTUIN_KEY_PATTERN,
    TABLES,
    KnownActor,
    Limits,
    ParseResult,
    Problem,
    parse_tables,
    parse_upload,
)

__all__ = [
    "ImportReport",
    "import_files",
    "limits_from",
    "problem_json",
    "proeftuinen_from_json",
]

Progress = Callable[[int, int], None]
Files = Sequence[tuple[str, bytes]]
Tables = Mapping[str, tuple[str, bytes]]

_PROEFTUIN_FIELDS = {"key", "name", "municipality", "fictional"}


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    summary: ImportSummary
    files: list[str]
    notices: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # rows read per table

    def as_json(self) -> dict[str, Any]:
        s = self.summary
        tables = [
            t
            for t in ("proeftuinen", *TABLES)
            if t in s.created or t in s.updated or t in s.unchanged
        ]
        return {
            "dry_run": s.dry_run,
            "changed": s.changed,
            "files": self.files,
            "rows": self.rows,
            "created": {t: s.created.get(t, 0) for t in tables},
            "updated": {t: s.updated.get(t, 0) for t in tables},
            "unchanged": {t: s.unchanged.get(t, 0) for t in tables},
            "versions": dict(sorted(s.versions.items())),
            "notices": self.notices,
        }


def problem_json(
    problem: Problem | Mapping[str, Any], lang: str = "nl", file_of: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One problem (from the parser, or a repository problem dict) in the API's shape.

    A repository problem names only its table; ``file_of`` maps tables (and
    ``""`` for "any table") to the uploaded file they came from.
    """
    if isinstance(problem, Problem):
        item = {
            "file": problem.file,
            "table": problem.table,
            "row": problem.row,
            "column": problem.column,
            "code": problem.code,
            "value": problem.value,
            "message_nl": problem.message_nl,
            "message_en": problem.message_en,
        }
    else:
        table = problem.get("table", problem.get("file"))
        file_of = file_of or {}
        where = file_of.get(table) or file_of.get("") or problem.get("file") or table
        item = {
            "file": where,
            "table": table,
            "row": problem.get("row"),
            "column": problem.get("column"),
            "code": problem["code"],
            "value": None if problem.get("value") is None else str(problem["value"]),
            "message_nl": f"{where}: {problem['message_nl']}",
            "message_en": f"{where}: {problem['message_en']}",
        }
    item["message"] = item["message_nl"] if lang == "nl" else item["message_en"]
    return item


def limits_from(settings: Mapping[str, Any]) -> Limits:
    """The import limits of the settings (``GRAPHSVC_IMPORT_*``, see graphsvc.config)."""
    return Limits(
        max_rows=int(settings["IMPORT_MAX_ROWS"]),
        max_unpacked=int(settings["IMPORT_MAX_UNPACKED_MB"]) << 20,
        seconds=float(settings["IMPORT_TIME_LIMIT"]),
        max_problems=int(settings["IMPORT_MAX_PROBLEMS"]),
    )


def _rejected(
    errors: list[dict[str, Any]], total: int | None = None, shown: int | None = None
) -> ImportRejected:
    """The rejection listing the first ``shown`` of ``errors`` (``total`` problems in all)."""
    n = max(total or 0, len(errors))
    shown = min(len(errors), shown if shown is not None else len(errors))
    listed_nl = listed_en = ""
    if shown < n:
        listed_nl = f" De eerste {shown} staan in 'errors'."
        listed_en = f" The first {shown} are listed in 'errors'."
    return ImportRejected(
        f"De import is geweigerd: {n} {'probleem' if n == 1 else 'problemen'}; er is niets "
        f"veranderd. Zie 'errors' voor bestand, rij en kolom.{listed_nl}",
        f"The import was rejected: {n} problem{'' if n == 1 else 's'}; nothing was changed. "
        f"See 'errors' for file, row and column.{listed_en}",
        errors=errors[:shown],
        errors_total=n,
    )


def _proeftuin_problem(
    file: str, row: int | None, column: str | None, code: str, value: Any, nl: str, en: str
) -> dict[str, Any]:
    return {
        "file": file,
        "table": "proeftuinen",
        "row": row,
        "column": column,
        "code": code,
        "value": value,
        "message_nl": nl,
        "message_en": en,
    }


def proeftuinen_from_json(
    filename: str, data: bytes
) -> tuple[list[ProeftuinInfo] | None, list[dict[str, Any]]]:
    """The ``"proeftuinen"`` member of a JSON export, or None when the file has none.

    Returns the proeftuinen and the problems found (as repository-style dicts
    with ``table="proeftuinen"``; ``row`` is the item number).  A file that is
    not JSON at all gives (None, []): the parser reports that.
    """
    try:
        doc = json.loads(data)
    except ValueError:
        return None, []
    if not isinstance(doc, dict) or "proeftuinen" not in doc:
        return None, []
    items = doc["proeftuinen"]
    if not isinstance(items, list):
        return None, [
            _proeftuin_problem(
                filename,
                None,
                None,
                "bad_type",
                None,
                "proeftuinen: verwacht een lijst (array)",
                "proeftuinen: expected a list (array)",
            )
        ]
    found: list[ProeftuinInfo] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, item in enumerate(items, start=1):
        info = _proeftuin_item(item, row, seen, _item_reporter(filename, row, problems))
        if info is not None:
            found.append(info)
    return found, problems


_Report = Callable[[str | None, str, Any, str, str], None]


def _item_reporter(filename: str, row: int, problems: list[dict[str, Any]]) -> _Report:
    """``bad(column, code, value, nl, en)``: adds a problem of item ``row`` to ``problems``."""
    where = f"proeftuinen item {row}"

    def bad(column: str | None, code: str, value: Any, nl: str, en: str) -> None:
        problems.append(
            _proeftuin_problem(
                filename,
                row,
                column,
                code,
                value,
                f"{where}{f', veld {column!r}' if column else ''}: {nl}",
                f"{where}{f', field {column!r}' if column else ''}: {en}",
            )
        )

    return bad


def _proeftuin_item(
    item: Any, row: int, seen: dict[str, int], bad: _Report
) -> ProeftuinInfo | None:
    """Item ``row`` of ``"proeftuinen"`` when it is usable, else None; its problems go to
    ``bad`` (an unknown field is a problem but leaves the item usable).  ``seen`` maps the
    keys of earlier items to their item numbers."""
    if not isinstance(item, dict):
        bad(None, "bad_type", None, "verwacht een JSON-object", "expected a JSON object")
        return None
    for name in sorted(set(item) - _PROEFTUIN_FIELDS):
        bad(name, "unknown_field", name, f"onbekend veld '{name}'", f"unknown field '{name}'")
    key, name = item.get("key"), item.get("name")
    municipality = item.get("municipality", "")
    fictional = item.get("fictional", False)
    ok = True
    if not isinstance(key, str) or not re.fullmatch(PROEFTUIN_KEY_PATTERN, key):
        bad(
            "key",
            "bad_proeftuin",
            key,
            "ongeldige proeftuin-sleutel (kleine letters, cijfers, '-' en '_')",
            "invalid proeftuin key (lowercase letters, digits, '-' and '_')",
        )
        ok = False
    elif key in seen:
        bad(
            "key",
            "duplicate_proeftuin",
            key,
            f"de proeftuin '{key}' staat ook in item {seen[key]}",
            f"the proeftuin '{key}' is also in item {seen[key]}",
        )
        ok = False
    else:
        seen[key] = row
    if not isinstance(name, str) or not name.strip():
        bad(
            "name",
            "missing_value",
            name,
            "'name' is verplicht (tekst)",
            "'name' is required (text)",
        )
        ok = False
    if not isinstance(municipality, str):
        bad("municipality", "bad_type", municipality, "verwacht tekst", "expected text")
        ok = False
    if not isinstance(fictional, bool):
        bad("fictional", "bad_type", fictional, "verwacht true of false", "expected true or false")
        ok = False
    return ProeftuinInfo(str(key), str(name), municipality, fictional) if ok else None


def _missing_proeftuinen(
    repo: Repository, parsed: ParseResult, also: Sequence[str]
) -> list[dict[str, Any]]:
    """A problem per proeftuin that rows name but that is neither stored nor created here.

    The repository would refuse them too, but this says which rows use them.
    """
    ds = parsed.dataset
    assert ds is not None
    users: dict[str, list[str]] = {}
    for a in ds.actors:
        for p in a.proeftuinen:
            users.setdefault(p, []).append(f"actor {a.key}")
    for m in ds.meetings:
        users.setdefault(m.proeftuin, []).append(f"meeting {m.key}")
    stored = repo.proeftuinen.list_versions(users)
    out = []
    for key in sorted(set(users) - set(stored) - set(also)):
        names = users[key]
        shown = ", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else "")
        table = "actors" if names[0].startswith("actor") else "meetings"
        out.append(
            {
                "file": table,
                "table": table,
                "row": None,
                "column": "proeftuin",
                "code": "unknown_proeftuin",
                "value": key,
                "message_nl": f"proeftuin '{key}' bestaat niet; maak hem eerst aan "
                f"(gebruikt door {shown})",
                "message_en": f"proeftuin '{key}' does not exist; create it first "
                f"(used by {shown})",
            }
        )
    return out


def _parse(
    repo: Repository,
    files: Files | None,
    tables: Tables | None,
    proeftuin: str | None,
    max_rows: int | None,
    progress: Progress | None,
    limits: Limits,
) -> ParseResult:
    known = {
        key: KnownActor(kind, name, proeftuinen)
        for key, (kind, name, proeftuinen) in repo.actors.list_index().items()
    }
    options: dict[str, Any] = {
        "known_actors": known,
        "known_meeting_keys": repo.meetings.list_keys(),
        "max_rows": max_rows,
        "progress": progress,
        "limits": limits,
    }
    if tables:
        return parse_tables(tables, proeftuin, **options)
    assert files
    return parse_upload(list(files), proeftuin, **options)


def _check_request(
    repo: Repository, files: Files | None, tables: Tables | None, proeftuin: str | None
) -> None:
    if not files and not tables:
        raise InvalidInput(
            "'file': geen bestand ontvangen.", "'file': no file received.", field="file"
        )
    if files and tables:
        raise InvalidInput(
            "'file': stuur de tabellen als velden actors/ties/meetings/attendance, of een "
            "bestand als veld file, niet allebei.",
            "'file': send the tables as fields actors/ties/meetings/attendance, or one "
            "file as field file, not both.",
            field="file",
        )
    if proeftuin is not None and not repo.proeftuinen.list_versions([proeftuin]):
        raise NotFound(
            f"Proeftuin '{proeftuin}' bestaat niet.", f"Proeftuin '{proeftuin}' does not exist."
        )


def _file_names(files: Files | None, tables: Tables | None) -> tuple[list[str], dict[str, str]]:
    """The uploaded file names, and the file each table came from ("" = the only file)."""
    if tables:
        file_of = {t: tables[t][0] for t in TABLES if t in tables}
        return list(file_of.values()), file_of
    names = [n for n, _ in files or ()]
    return names, ({"": names[0]} if len(names) == 1 else {})


def _proeftuinen_of(
    files: Files | None, proeftuin: str | None, lang: str
) -> tuple[list[ProeftuinInfo] | None, list[dict[str, Any]]]:
    """For a whole-store import of one JSON file: its proeftuinen and their problems."""
    if proeftuin is not None or not files or len(files) != 1:
        return None, []
    name, data = files[0]
    if PurePosixPath(name).suffix.casefold() != ".json" and data.lstrip()[:1] != b"{":
        return None, []
    infos, problems = proeftuinen_from_json(name, data)
    return infos, [problem_json(p, lang) for p in problems]


def import_files(
    repo: Repository,
    *,
    files: Files | None = None,
    tables: Tables | None = None,
    proeftuin: str | None = None,
    dry_run: bool = False,
    lang: str = "nl",
    max_rows: int | None = None,
    parse_progress: Progress | None = None,
    write_progress: Progress | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Import uploaded files into ``proeftuin`` (or by each row's proeftuin, when None).

    Give either ``files`` (``[(filename, bytes)]``: one XLSX, one JSON, or CSV
    files / a zip of them, recognised by name and header) or ``tables``
    (``{"actors": (filename, bytes), ...}``).  With ``proeftuin``, rows with an
    empty proeftuin column belong to it; it must exist (NotFound).  Without it,
    a JSON file's ``"proeftuinen"`` member creates or updates the proeftuinen
    in the same transaction.  ``dry_run`` checks everything and writes nothing.
    Messages are in ``lang`` under ``message`` (and always under ``message_nl``,
    ``message_en``).

    Raises ImportRejected (``errors``: the first ``limits.max_problems`` problems,
    ``errors_total``: how many) when anything is wrong, InvalidInput naming ``file``
    when no file was given.  ``limits`` default to :class:`Limits` (``max_rows``
    overrides its row limit).
    """
    limits = limits or Limits()
    _check_request(repo, files, tables, proeftuin)
    names, file_of = _file_names(files, tables)
    infos, errors = _proeftuinen_of(files, proeftuin, lang)
    total = len(errors)
    errors = errors[: limits.max_problems]
    parsed = _parse(repo, files, tables, proeftuin, max_rows, parse_progress, limits)
    total += parsed.problems_total
    errors = [problem_json(p, lang) for p in parsed.problems] + errors
    if not errors and parsed.ok:
        created_here = [p.key for p in infos or ()]
        errors += [
            problem_json(p, lang, file_of) for p in _missing_proeftuinen(repo, parsed, created_here)
        ]
        total = len(errors)
    if errors or parsed.dataset is None:
        raise _rejected(errors, total, limits.max_problems)
    ds = parsed.dataset
    try:
        if infos is not None:
            summary = repo.datasets.import_with_proeftuinen(
                ds, infos, dry_run=dry_run, progress=write_progress
            )
        else:
            summary = repo.datasets.import_(
                ds, proeftuin=proeftuin, dry_run=dry_run, progress=write_progress
            )
    except ImportRejected as exc:  # what only the store can tell (a concurrent change)
        problems = exc.extra.get("problems") or []
        raise _rejected([problem_json(p, lang, file_of) for p in problems]) from exc
    rows = {
        "actors": len(ds.actors),
        "ties": len(ds.ties),
        "meetings": len(ds.meetings),
        "attendance": len(ds.attendance),
    }
    if infos is not None:
        rows = {"proeftuinen": len(infos), **rows}
    return ImportReport(summary, names, [problem_json(p, lang) for p in parsed.notices], rows)
