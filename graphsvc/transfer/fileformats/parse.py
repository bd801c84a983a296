"""Import entry points: uploaded bytes -> :class:`ParseResult`.

One function per way a user hands us data (docs/architecture.md §5): CSV tables, one
XLSX workbook, one JSON file, or :func:`parse_upload` which looks at the file
names and contents and picks one.  None of them raises on bad input: every
problem ends up in ``ParseResult.problems``.  They raise ``ValueError`` only
for a wrong call (an unknown table name, an invalid ``default_proeftuin``).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from graphsvc.dataset import Dataset
from graphsvc.transfer.fileformats.cells import proeftuin_problem
from graphsvc.transfer.fileformats.columns import SPECS, TABLES, spec_for_header
from graphsvc.transfer.fileformats.reading import (
    CsvFile,
    RawTable,
    csv_table,
    decode_csv,
    json_tables,
    looks_like_xlsx,
    open_workbook,
    xlsx_tables,
)
from graphsvc.transfer.fileformats.row_problems import Problem, ProblemLog, Where
from graphsvc.transfer.fileformats.validation import KnownActor, Validator

__all__ = [
    "ParseResult",
    "KnownActor",
    "DEFAULT_MAX_ROWS",
    "parse_tables",
    "parse_xlsx",
    "parse_json",
    "parse_upload",
]

DEFAULT_MAX_ROWS = 200_000
#: A zip of CSV files may not unpack to more than this.
ZIP_MAX_UNPACKED = 1 << 30

Progress = Callable[[int, int], None]


@dataclass
class ParseResult:
    """A validated dataset, or every problem found (sorted by file, sheet, row, column).

    ``notices`` are remarks that do not block the import (for example that a
    CSV file was read as Windows-1252).
    """

    dataset: Dataset | None
    problems: list[Problem]
    notices: list[Problem] = field(default_factory=list)

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


def _options(
    default_proeftuin: str | None,
    known_actor_keys: Collection[str],
    known_meeting_keys: Collection[str],
    known_actors: Mapping[str, KnownActor] | None,
    max_rows: int,
    progress: Progress | None,
) -> _Options:
    if default_proeftuin is not None and proeftuin_problem(default_proeftuin):
        raise ValueError(f"invalid default_proeftuin {default_proeftuin!r}")
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    return _Options(
        default_proeftuin, known_actor_keys, known_meeting_keys, known_actors, max_rows, progress
    )


def _validate(
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
    return ParseResult(
        dataset if not log.problems else None, log.sorted_problems(), log.sorted_notices()
    )


def _csv_tables(files: list[tuple[str, CsvFile]], log: ProblemLog, opts: _Options) -> ParseResult:
    tables = [
        csv_table(f, SPECS[name], log, proeftuin_default=opts.default_proeftuin is not None)
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
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
) -> ParseResult:
    """Parse CSV tables given as ``{"actors": (filename, bytes), "ties": ..., ...}``.

    Any subset of ``actors, ties, meetings, attendance`` may be given; ties and
    attendance may point at actors (and meetings) that are not in the files but
    in ``known_actor_keys`` / ``known_meeting_keys`` (or ``known_actors``, which
    also enables the key-clash rule of docs/architecture.md §4).  ``default_proeftuin`` is
    used for actors and meetings with an empty (or no) ``proeftuin`` column.
    ``progress(rows_done, rows_total)`` is called every 1000 rows and once at
    the end with ``rows_done == rows_total``.
    """
    unknown = set(tables) - set(TABLES)
    if unknown or not tables:
        raise ValueError(f"tables must be a non-empty subset of {TABLES}, got {sorted(tables)}")
    opts = _options(
        default_proeftuin, known_actor_keys, known_meeting_keys, known_actors, max_rows, progress
    )
    log = ProblemLog()
    files = []
    for name in TABLES:
        if name in tables:
            filename, data = tables[name]
            csv_file = decode_csv(filename, data, log, table=name)
            if csv_file is not None:
                files.append((name, csv_file))
    return _csv_tables(files, log, opts)


def parse_xlsx(
    filename: str,
    data: bytes,
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
) -> ParseResult:
    """Parse a workbook with sheets ``actors``, ``ties`` and optional ``meetings``,
    ``attendance`` (names case-insensitive; other sheets are ignored).

    Number and boolean cells in extra columns keep their type; date cells there
    become ISO text.  Options as for :func:`parse_tables`; the progress total
    comes from the sheets' dimension records (Excel writes them) and is 0, for
    unknown, until the last call when a sheet has none.
    """
    opts = _options(
        default_proeftuin, known_actor_keys, known_meeting_keys, known_actors, max_rows, progress
    )
    log = ProblemLog()
    workbook = open_workbook(filename, data, log)
    if workbook is None:
        return ParseResult(None, log.sorted_problems(), log.sorted_notices())
    try:
        tables = xlsx_tables(
            workbook, filename, log, proeftuin_default=opts.default_proeftuin is not None
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
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
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
        default_proeftuin, known_actor_keys, known_meeting_keys, known_actors, max_rows, progress
    )
    log = ProblemLog()
    tables = json_tables(filename, data, log)
    if tables is None:
        return ParseResult(None, log.sorted_problems(), log.sorted_notices())
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


def _unzip_csvs(filename: str, data: bytes, log: ProblemLog) -> list[tuple[str, bytes]]:
    where = Where(filename, None, "upload")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.casefold().endswith(".csv")
                and not info.filename.startswith("__MACOSX/")
            ]
            if sum(info.file_size for info in members) > ZIP_MAX_UNPACKED:
                log.add(where, "unsupported_format", detail="zip too large when unpacked")
                return []
            if not members:
                log.add(where, "unsupported_format", detail="zip without .csv files")
                return []
            return [(f"{filename}/{info.filename}", archive.read(info)) for info in members]
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib on user bytes raise many kinds
        log.add(where, "unsupported_format", detail=f"zip: {exc}"[:200])
        return []


def parse_upload(
    files: Mapping[str, bytes] | Sequence[tuple[str, bytes]],
    default_proeftuin: str | None = None,
    *,
    known_actor_keys: Collection[str] = (),
    known_meeting_keys: Collection[str] = (),
    known_actors: Mapping[str, KnownActor] | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    progress: Progress | None = None,
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
        default_proeftuin, known_actor_keys, known_meeting_keys, known_actors, max_rows, progress
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
            max_rows=max_rows,
            progress=progress,
        )

    log = ProblemLog()
    csv_items: list[tuple[str, bytes]] = []
    for name, data, kind in kinds:
        where = Where(name, None, "upload")
        if kind == "csv":
            csv_items.append((name, data))
        elif kind == "zip":
            csv_items.extend(_unzip_csvs(name, data, log))
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
        csv_file = decode_csv(name, data, log)
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
    return _csv_tables([(t, assigned[t]) for t in TABLES if t in assigned], log, opts)
