"""Import entry points: uploaded bytes -> :class:`ParseResult`.

One function per way a user hands us data (docs/architecture.md §5): CSV tables, one
XLSX workbook, one JSON file, or :func:`parse_upload` which looks at the file
names and contents and picks one.  None of them raises on bad input: every
problem ends up in ``ParseResult.problems``.  They raise ``ValueError`` only
for a wrong call (an unknown table name, an invalid ``default_proeftuin``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from graphsvc.dataset import Dataset
from graphsvc.transfer.fileformats.cells import proeftuin_problem
from graphsvc.transfer.fileformats.columns import SPECS, TABLES, spec_for_header
from graphsvc.transfer.fileformats.csv_reading import CsvFile, csv_table, decode_csv
from graphsvc.transfer.fileformats.reading import Budget, Limits, RawTable, json_tables, open_zip
from graphsvc.transfer.fileformats.row_problems import LimitReached, Problem, ProblemLog, Where
from graphsvc.transfer.fileformats.validation import KnownActor, Validator
from graphsvc.transfer.fileformats.xlsx_reading import looks_like_xlsx, open_workbook, xlsx_tables

__all__ = [
    "ParseResult",
    "KnownActor",
    "Limits",
    "DEFAULT_MAX_ROWS",
    "parse_tables",
    "parse_xlsx",
    "parse_json",
    "parse_upload",
]

DEFAULT_MAX_ROWS = Limits.max_rows
#: Zip members are unpacked this much at a time, counting the real size as it grows.
_ZIP_READ = 1 << 20
#: The most of a zip member's name that a file name in a problem keeps.
_NAME_LIMIT = 200

Progress = Callable[[int, int], None]


@dataclass
class ParseResult:
    """A validated dataset, or every problem found (sorted by file, sheet, row, column).

    ``notices`` are remarks that do not block the import (for example that a
    CSV file was read as Windows-1252).  Only the first ``Limits.max_problems``
    of each are listed; ``problems_total`` counts them all.
    """

    dataset: Dataset | None
    problems: list[Problem]
    notices: list[Problem] = field(default_factory=list)
    problems_total: int = -1  # -1: as many as listed

    def __post_init__(self) -> None:
        if self.problems_total < 0:
            self.problems_total = len(self.problems)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems


@dataclass(frozen=True)
class _Options:
    default_proeftuin: str | None
    known_actor_keys: Collection[str]
    known_meeting_keys: Collection[str]
    known_actors: Mapping[str, KnownActor] | None
    max_rows: int
    progress: Progress | None
    limits: Limits

    def start(self) -> tuple[ProblemLog, Budget]:
        """The problem log and the budget (the clock starts now) of one parse."""
        return ProblemLog(limit=self.limits.max_problems), Budget(self.limits)


def _options(
    default_proeftuin: str | None,
    known_actor_keys: Collection[str],
    known_meeting_keys: Collection[str],
    known_actors: Mapping[str, KnownActor] | None,
    max_rows: int | None,
    progress: Progress | None,
    limits: Limits | None,
) -> _Options:
    limits = limits or Limits()
    if max_rows is not None:
        limits = replace(limits, max_rows=max_rows)
    if default_proeftuin is not None and proeftuin_problem(default_proeftuin):
        raise ValueError(f"invalid default_proeftuin {default_proeftuin!r}")
    if limits.max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    if limits.max_problems < 1 or limits.max_unpacked < 1 or limits.seconds <= 0:
        raise ValueError(f"invalid limits {limits}")
    return _Options(
        default_proeftuin,
        known_actor_keys,
        known_meeting_keys,
        known_actors,
        limits.max_rows,
        progress,
        limits,
    )


def _result(dataset: Dataset | None, log: ProblemLog) -> ParseResult:
    return ParseResult(
        dataset if not log.problems else None,
        log.sorted_problems(),
        log.sorted_notices(),
        problems_total=log.total,
    )


def _validate(
    tables: list[RawTable], empty_wheres: list[Where], log: ProblemLog, opts: _Options
) -> ParseResult:
    try:
        return _validate_all(tables, empty_wheres, log, opts)
    except LimitReached as reached:
        log.add_limit(reached)
        return _result(None, log)


def _validate_all(
    tables: list[RawTable], empty_wheres: list[Where], log: ProblemLog, opts: _Options
) -> ParseResult:
    validator = Validator(
        log,
        default_proeftuin=opts.default_proeftuin,
        known_actor_keys=opts.known_actor_keys,
        known_meeting_keys=opts.known_meeting_keys,
        known_actors=opts.known_actors,
        max_rows=opts.max_rows,
        progress=opts.progress,
    )
    dataset = validator.run(tables)
    if validator.rows_seen == 0:
        whole_file_problems = {p.file for p in log.problems if p.row is None}
        for where in empty_wheres:
            if where.file not in whole_file_problems:
                log.add(where, "empty")
        dataset = None
    return _result(dataset, log)


def _csv_tables(
    files: list[tuple[str, CsvFile]], log: ProblemLog, budget: Budget, opts: _Options
) -> ParseResult:
    tables = [
        csv_table(f, SPECS[name], log, budget, proeftuin_default=opts.default_proeftuin is not None)
        for name, f in files
    ]
    wheres = [Where(f.filename, name, "csv") for name, f in files]
    return _validate(tables, wheres, log, opts)


def parse_tables(
    tables: Mapping[str, tuple[str, bytes]],
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ParseResult:
    """Parse CSV tables given as ``{"actors": (filename, bytes), "ties": ..., ...}``.

    Any subset of ``actors, ties, meetings, attendance`` may be given; ties and
    attendance may point at actors (and meetings) that are not in the files but
    in ``known_actor_keys`` / ``known_meeting_keys`` (or ``known_actors``, which
    also enables the key-clash rule of docs/architecture.md §4).  ``default_proeftuin`` is
    used for actors and meetings with an empty (or no) ``proeftuin`` column.
    ``progress(rows_done, rows_total)`` is called every 1000 rows and once at
    the end with ``rows_done == rows_total``.  ``limits`` (default :class:`Limits`)
    stop reading with a problem: ``max_rows`` data rows per table (``max_rows``
    overrides it), as many empty rows per file, ``max_unpacked`` bytes unpacked
    from a zip or workbook, ``seconds`` of reading; only the first
    ``max_problems`` problems are listed.
    """
    unknown = set(tables) - set(TABLES)
    if unknown or not tables:
        raise ValueError(f"tables must be a non-empty subset of {TABLES}, got {sorted(tables)}")
    opts = _options(
        default_proeftuin,
        known_actor_keys,
        known_meeting_keys,
        known_actors,
        max_rows,
        progress,
        limits,
    )
    log, budget = opts.start()
    files = []
    try:
        for name in TABLES:
            if name in tables:
                filename, data = tables[name]
                csv_file = decode_csv(filename, data, log, budget, table=name)
                if csv_file is not None:
                    files.append((name, csv_file))
    except LimitReached as reached:
        log.add_limit(reached)
        return _result(None, log)
    return _csv_tables(files, log, budget, opts)


def parse_xlsx(
    filename: str,
    data: bytes,
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ParseResult:
    """Parse a workbook with sheets ``actors``, ``ties`` and optional ``meetings``,
    ``attendance`` (names case-insensitive; other sheets are ignored).

    Number and boolean cells in extra columns keep their type; date cells there
    become ISO text.  Options as for :func:`parse_tables`; the progress total
    comes from the sheets' dimension records (Excel writes them) and is 0, for
    unknown, until the last call when a sheet has none.
    """
    opts = _options(
        default_proeftuin,
        known_actor_keys,
        known_meeting_keys,
        known_actors,
        max_rows,
        progress,
        limits,
    )
    log, budget = opts.start()
    try:
        workbook = open_workbook(filename, data, log, budget)
    except LimitReached as reached:
        log.add_limit(reached)
        return _result(None, log)
    if workbook is None:
        return _result(None, log)
    try:
        tables = xlsx_tables(
            workbook, filename, log, budget, proeftuin_default=opts.default_proeftuin is not None
        )
        return _validate(tables, [Where(filename, None, "xlsx")], log, opts)
    finally:
        workbook.close()


def parse_json(
    filename: str,
    data: bytes,
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ParseResult:
    """Parse a JSON file shaped like :func:`~graphsvc.transfer.fileformats.writing.write_json`
    writes.

    ``format`` and ``version``, when present, must be ``"graphsvc"`` and ``1``;
    each of ``actors, ties, meetings, attendance`` may be left out, and other
    top-level members are ignored.  Inside an item, unknown fields are problems:
    extra data belongs under ``attributes``.  Values keep
    their JSON types, so ``parse_json(write_json(ds))`` gives ``ds`` back exactly.
    """
    opts = _options(
        default_proeftuin,
        known_actor_keys,
        known_meeting_keys,
        known_actors,
        max_rows,
        progress,
        limits,
    )
    log, budget = opts.start()
    tables = json_tables(filename, data, log, budget)
    if tables is None:
        return _result(None, log)
    return _validate(tables, [Where(filename, None, "json")], log, opts)


# --------------------------------------------------------------------------- upload

_TABLE_FILE_NAMES = {
    **{t: t for t in TABLES},
    # Dutch names a user may well give the files
    "actoren": "actors",
    "relaties": "ties",
    "bijeenkomsten": "meetings",
    "aanwezigheid": "attendance",
}
_TABLE_FROM_STEM = re.compile(r"(?:^|.*[^a-z])(" + "|".join(_TABLE_FILE_NAMES) + r")$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls


def _file_kind(filename: str, data: bytes) -> str:
    suffix = PurePosixPath(filename).suffix.casefold()
    if suffix in (".xlsx", ".xlsm") or looks_like_xlsx(data):
        return "xlsx"
    if suffix == ".json" or data.removeprefix(codecs.BOM_UTF8).lstrip()[:1] in (b"{", b"["):
        return "json"
    if suffix == ".zip" or data.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in (".xls", ".ods", ".numbers") or data.startswith(_OLE_MAGIC):
        return "unsupported"
    return "csv"


def _table_from_name(filename: str) -> str | None:
    stem = PurePosixPath(filename.replace("\\", "/")).stem.casefold()
    m = _TABLE_FROM_STEM.match(stem)
    return _TABLE_FILE_NAMES[m.group(1)] if m else None


def _member_name(filename: str, member: str) -> str:
    name = f"{filename}/{member}"
    return name if len(name) <= _NAME_LIMIT else name[: _NAME_LIMIT - 1] + "…"


def _unzip_csvs(
    filename: str, data: bytes, log: ProblemLog, budget: Budget
) -> list[tuple[str, bytes]]:
    """The .csv members of a zip, unpacked while counting their real size.

    The sizes in the zip's directory are the packer's claim; the bytes are
    counted as they come out of zlib, 1 MiB at a time, and unpacking stops (a
    ``too_large_unpacked`` problem, nothing returned) as soon as all members
    together pass ``max_unpacked``.  Members are not unpacked further: a zip
    inside the zip is no CSV file and is not opened.
    """
    where = Where(filename, None, "upload")
    limit = budget.limits.max_unpacked
    out: list[tuple[str, bytes]] = []
    unpacked = 0
    try:
        with open_zip(data, where, budget) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.casefold().endswith(".csv")
                and not info.filename.startswith("__MACOSX/")
            ]
            if not members:
                log.add(where, "unsupported_format", detail="zip without .csv files")
                return []
            for info in members:
                name = _member_name(filename, info.filename)
                parts = []
                with archive.open(info) as member:
                    while chunk := member.read(_ZIP_READ):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            log.add(where, "too_large_unpacked", limit_mb=limit >> 20, member=name)
                            return []
                        parts.append(chunk)
                        budget.check_time(where, None)
                out.append((name, b"".join(parts)))
    except LimitReached:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib on user bytes raise many kinds
        log.add(where, "unsupported_format", detail=f"zip: {exc}"[:200])
        return []
    return out


def parse_upload(
    files: Mapping[str, bytes] | Sequence[tuple[str, bytes]],
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ParseResult:
    """Parse whatever a user uploaded: one XLSX, one JSON, or CSV files (or a zip of them).

    The kind of file comes from the extension, else from the content.  Which
    table a CSV file holds comes from its name (``actors.csv``,
    ``utrecht-ties.csv``, ``relaties.csv``), else from its header columns.
    Options as for :func:`parse_tables`.
    """
    items = list(files.items()) if isinstance(files, Mapping) else list(files)
    if not items:
        raise ValueError("no files given")
    opts = _options(
        default_proeftuin,
        known_actor_keys,
        known_meeting_keys,
        known_actors,
        max_rows,
        progress,
        limits,
    )
    kinds = [(name, data, _file_kind(name, data)) for name, data in items]
    if len(kinds) == 1 and kinds[0][2] in ("xlsx", "json"):
        name, data, kind = kinds[0]
        parse = parse_xlsx if kind == "xlsx" else parse_json
        return parse(
            name,
            data,
            default_proeftuin,
            known_actor_keys=known_actor_keys,
            known_meeting_keys=known_meeting_keys,
            known_actors=known_actors,
            progress=progress,
            limits=opts.limits,
        )

    log, budget = opts.start()
    try:
        assigned = _assign_csvs(kinds, log, budget)
    except LimitReached as reached:
        log.add_limit(reached)
        return _result(None, log)
    return _csv_tables([(t, assigned[t]) for t in TABLES if t in assigned], log, budget, opts)


def _assign_csvs(
    kinds: list[tuple[str, bytes, str]], log: ProblemLog, budget: Budget
) -> dict[str, CsvFile]:
    """The CSV files of an upload (unzipped) by table: from their names, else headers."""
    csv_items: list[tuple[str, bytes]] = []
    for name, data, kind in kinds:
        where = Where(name, None, "upload")
        if kind == "csv":
            csv_items.append((name, data))
        elif kind == "zip":
            csv_items.extend(_unzip_csvs(name, data, log, budget))
        elif kind == "unsupported":
            log.add(where, "unsupported_format", detail=PurePosixPath(name).suffix or "binary")
        else:
            log.add(
                where,
                "unsupported_format",
                detail=f"{kind.upper()} only on its own, not together with other files",
            )

    assigned: dict[str, CsvFile] = {}
    for name, data in csv_items:
        csv_file = decode_csv(name, data, log, budget)
        if csv_file is None:
            continue
        table = _table_from_name(name)
        if table is None:
            spec = spec_for_header(csv_file.header())
            table = spec.name if spec else None
        if table is None:
            log.add(Where(name, None, "upload"), "unknown_table")
        elif table in assigned:
            log.add(
                Where(name, table, "upload"),
                "duplicate_table",
                table=table,
                other=assigned[table].filename,
            )
        else:
            assigned[table] = csv_file
    return assigned
