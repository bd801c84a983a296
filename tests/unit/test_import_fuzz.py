"""Property-based tests of every import route through ``parse_upload``.

Whatever a user uploads (any bytes under any name, CSV tables of any shape, workbooks
with any cells, damaged workbooks, any JSON, zips of anything), ``parse_upload``

- never raises;
- either parses it, and then the dataset written with ``write_json`` and parsed again is
  the same dataset, written to the same bytes ("imported exactly");
- or rejects it with problems that each name an uploaded file (or a file inside an
  uploaded zip) and a row of it, or the file as a whole.

Generated values mix meaningful ones (keys, kinds, tie types and dates of the vocabulary,
Dutch and ISO dates, decimal commas) with arbitrary text, so that a good share of the
examples is accepted and the round trip is exercised, not only the error paths.
Deterministic (``derandomize``): every run makes the same examples.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from graphsvc.transfer.fileformats import CODES, parse_json, parse_upload, write_json
from graphsvc.vocabulary import KINDS, TIE_TYPES

pytestmark = pytest.mark.unit

FILES = Path(__file__).parent / "files"
PROEFTUIN = "utrecht"
KNOWN_ACTORS = ("k1", "k2", "k3")  # already in the store (ties may point at them)
KNOWN_MEETINGS = ("km1",)

FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def parse(files):
    return parse_upload(
        files, PROEFTUIN, known_actor_keys=KNOWN_ACTORS, known_meeting_keys=KNOWN_MEETINGS
    )


def check(result, uploaded: list[str]) -> str:
    """The outcome rules of the module docstring; returns 'parsed' or 'rejected'."""
    if result.ok:
        ds = result.dataset
        written = write_json(ds)
        again = parse_json(
            "roundtrip.json",
            written,
            known_actor_keys=KNOWN_ACTORS,
            known_meeting_keys=KNOWN_MEETINGS,
        )
        assert again.ok, again.problems
        assert again.dataset == ds.sorted()
        assert write_json(again.dataset) == written
        return "parsed"
    assert result.dataset is None and result.problems
    for p in result.problems:
        assert p.code in CODES
        assert any(p.file == name or p.file.startswith(name + "/") for name in uploaded), p
        assert p.message_nl.startswith(p.file) and p.message_en.startswith(p.file), p
        if p.row is None:
            assert p.column is None, p  # a whole-file problem names no column
        else:
            assert p.row >= 1
            assert f"row {p.row}" in p.message_en or f"item {p.row}" in p.message_en, p
    return "rejected"


# -- any bytes under any name -----------------------------------------------------------------

NAMES = [
    "actors.csv",
    "ties.csv",
    "meetings.csv",
    "attendance.csv",
    "relaties.csv",
    "utrecht-actoren.csv",
    "upload.xlsx",
    "upload.json",
    "upload.zip",
    "data.txt",
    "oud.xls",
    "x",
]


@FUZZ
@given(st.sampled_from(NAMES), st.binary(max_size=600))
def test_any_bytes_under_any_name(name, data):
    check(parse({name: data}), [name])


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.binary(max_size=200)), min_size=1, max_size=4))
def test_several_files_of_any_bytes(files):
    check(parse(files), [name for name, _ in files])


# -- CSV tables ---------------------------------------------------------------------------------

_KEYS = st.sampled_from(["a1", "a2", "a3", "k1", "k2", "m1", "km1", " a1", "A1", ""])
_VOCAB = st.sampled_from(
    list(KINDS)
    + [k.nl for k in KINDS.values()]
    + list(TIE_TYPES)
    + [t.nl for t in TIE_TYPES.values()]
    + ["Bewoner", "KENT", "friend"]
)
_DATES = st.sampled_from(
    [
        "2024-01-01",
        "2024-2-29",
        "31-12-2023",
        "1-3-2024",
        "2023-02-29",
        "2024-13-01",
        "01/02/2024",
        "0001-01-01",
        "9999-12-31",
        "",
    ]
)
_NUMBERS = st.sampled_from(
    ["1", "2.5", "2,5", "0", "-1", "1e3", "inf", "nan", "1e400", "1.000,5", " 3 ", ""]
)
_PROEFTUINEN = st.sampled_from(["utrecht", "zwolle", "utrecht|zwolle", "Utrecht", "a b", ""])
_FREE = st.text(max_size=8)
_CELL = st.one_of(
    _KEYS,
    _VOCAB,
    _DATES,
    _NUMBERS,
    _PROEFTUINEN,
    _FREE,
    st.sampled_from(["=SUM(A1)", "'=x", "@cmd", '"quoted, text"', "a\nb"]),
)

HEADERS = {
    "actors": ["key", "kind", "name", "proeftuin", "buurt", "Leeftijd"],
    "ties": ["source", "target", "type", "since", "until", "weight", "provenance", "notitie"],
    "meetings": ["key", "date", "title", "proeftuin", "plek"],
    "attendance": ["meeting", "actor"],
}


@st.composite
def csv_table(draw, table: str) -> bytes:
    columns = list(HEADERS[table])
    columns = draw(st.permutations(columns))[: draw(st.integers(len(columns) - 3, len(columns)))]
    columns += draw(st.lists(st.sampled_from(["", "key", "KEY", " extra ", "kind"]), max_size=2))
    rows = draw(
        st.lists(st.lists(_CELL, min_size=len(columns), max_size=len(columns) + 1), max_size=6)
    )
    delimiter = draw(st.sampled_from([",", ";"]))

    def line(cells):
        return delimiter.join('"' + str(c).replace('"', '""') + '"' for c in cells)

    text = "\r\n".join([line(columns)] + [line(r) for r in rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


@st.composite
def well_formed_rows(draw, table: str) -> bytes:
    """A table that is often valid: the right header, values from the vocabulary."""
    n = draw(st.integers(1, 4))
    if table == "actors":
        rows = [
            [
                f"a{i}",
                draw(st.sampled_from(list(KINDS))),
                draw(st.text(min_size=1, max_size=6)),
                draw(st.sampled_from(["", "utrecht", "utrecht|zwolle"])),
                draw(st.sampled_from(["", "Noord", "12", "ja"])),
            ]
            for i in range(1, n + 1)
        ]
        header = ["key", "kind", "name", "proeftuin", "buurt"]
    else:
        rows = [
            [
                draw(st.sampled_from(["a1", "a2", "k1"])),
                draw(st.sampled_from(["a3", "k2"])),
                draw(st.sampled_from(list(TIE_TYPES))),
                draw(_DATES.filter(bool)),
                draw(st.sampled_from(["", "2025-01-01"])),
                draw(_NUMBERS),
            ]
            for _ in range(n)
        ]
        header = ["source", "target", "type", "since", "until", "weight"]
    delimiter = draw(st.sampled_from([",", ";"]))
    lines = [delimiter.join(header)] + [
        delimiter.join('"' + c.replace('"', '""') + '"' for c in r) for r in rows
    ]
    return "\n".join(lines).encode("utf-8")


@FUZZ
@given(csv_table("actors"), csv_table("ties"))
def test_csv_actors_and_ties_of_any_shape(actors, ties):
    check(parse([("actors.csv", actors), ("ties.csv", ties)]), ["actors.csv", "ties.csv"])


@FUZZ
@given(st.sampled_from(list(HEADERS)), st.data())
def test_one_csv_table_named_by_its_header_only(table, data):
    body = data.draw(csv_table(table))
    check(parse({"upload.csv": body}), ["upload.csv"])


@FUZZ
@given(well_formed_rows("actors"), well_formed_rows("ties"))
def test_mostly_valid_csv_tables_round_trip(actors, ties):
    check(parse([("actoren.csv", actors), ("relaties.csv", ties)]), ["actoren.csv", "relaties.csv"])


def test_the_generators_reach_both_outcomes():
    """The properties above are worth something only if examples are accepted too."""
    outcomes = set()

    @settings(max_examples=60, derandomize=True, deadline=None, database=None)
    @given(well_formed_rows("actors"), well_formed_rows("ties"))
    def run(actors, ties):
        outcomes.add(
            check(parse([("actors.csv", actors), ("ties.csv", ties)]), ["actors.csv", "ties.csv"])
        )

    run()
    assert outcomes == {"parsed", "rejected"}


# -- one generated dataset, written in every format ------------------------------------------
#
# Tables that are valid more often than not (vocabulary kinds and types, real dates,
# positive weights, typed attributes), half of them with one cell spoiled, written as CSV
# (comma or semicolon, with or without BOM), as a workbook with typed cells, as JSON in the
# export's shape and as a zip of CSV files: the round trip runs on many accepted uploads.

_NAME = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=10)
_ATTR = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=6),
    st.integers(-(10**9), 10**9),
    st.booleans(),
    st.floats(-1e9, 1e9, allow_nan=False).filter(lambda x: not x.is_integer()),
)
_DATE = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def dataset_tables(draw) -> dict[str, list[dict]]:
    keys = [f"a{i}" for i in range(1, draw(st.integers(1, 5)) + 1)]
    actors = [
        {
            "key": k,
            "kind": draw(st.sampled_from(list(KINDS))),
            "name": draw(_NAME),
            "proeftuin": draw(st.sampled_from(["", "utrecht", "utrecht|zwolle"])),
            "buurt": draw(_ATTR),
        }
        for k in keys
    ]
    ends = keys + list(KNOWN_ACTORS)
    ties = []
    for _ in range(draw(st.integers(0, 5))):
        source, target = draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2, unique=True))
        since = draw(_DATE)
        until = draw(st.one_of(st.none(), _DATE.filter(lambda d, s=since: d >= s)))
        ties.append(
            {
                "source": source,
                "target": target,
                "type": draw(st.sampled_from(list(TIE_TYPES))),
                "since": since,
                "until": until,
                "weight": draw(st.floats(0.01, 100, allow_nan=False)),
                "provenance": draw(st.sampled_from(["", "survey", "interview"])),
                "notitie": draw(_ATTR),
            }
        )
    meetings = [
        {
            "key": f"m{i}",
            "date": draw(_DATE),
            "title": draw(_NAME),
            "proeftuin": draw(st.sampled_from(["", "utrecht"])),
        }
        for i in range(1, draw(st.integers(0, 2)) + 1)
    ]
    attendance = [
        {"meeting": m, "actor": a}
        for m, a in draw(
            st.lists(
                st.tuples(
                    st.sampled_from([m["key"] for m in meetings] + list(KNOWN_MEETINGS)),
                    st.sampled_from(ends),
                ),
                max_size=4,
                unique=True,
            )
        )
    ]
    tables = {"actors": actors, "ties": ties, "meetings": meetings, "attendance": attendance}
    if draw(st.booleans()):  # spoil one cell (which may still leave it valid)
        rows = [row for rows in tables.values() for row in rows]
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(sorted(row)))] = draw(_CELL)
    return {name: rows for name, rows in tables.items() if rows}


def _text(value, dutch: bool, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if dutch else value.isoformat()
    if isinstance(value, float) and delimiter == ";":
        return repr(value).replace(".", ",")  # Dutch Excel's decimal comma
    return str(value)


def as_csv(rows: list[dict], delimiter: str, dutch: bool, bom: bool) -> str:
    columns = list(rows[0])
    lines = [delimiter.join(columns)] + [
        delimiter.join(
            '"' + _text(r.get(c), dutch, delimiter).replace('"', '""') + '"' for c in columns
        )
        for r in rows
    ]
    return ("\ufeff" if bom else "") + "\r\n".join(lines)


def as_xlsx(tables: dict[str, list[dict]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        columns = list(rows[0])
        ws.append(columns)
        for r in rows:
            ws.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                    for v in (r.get(c) for c in columns)
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_FIXED = {
    "actors": ("key", "kind", "name"),
    "ties": ("source", "target", "type", "since", "until", "weight", "provenance"),
    "meetings": ("key", "date", "title", "proeftuin"),
    "attendance": ("meeting", "actor"),
}


def as_json(tables: dict[str, list[dict]]) -> bytes:
    def item(table: str, row: dict) -> dict:
        out = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in row.items()
            if k in _FIXED[table]
        }
        if table == "actors" and isinstance(row["proeftuin"], str) and row["proeftuin"]:
            out["proeftuinen"] = row["proeftuin"].split("|")
        extra = {k: v for k, v in row.items() if k not in _FIXED[table] and k != "proeftuin"}
        if extra and table != "attendance":
            out["attributes"] = {
                k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in extra.items()
            }
        if table == "ties" and out.get("provenance") == "":
            out["provenance"] = None
        return out

    doc = {
        "format": "graphsvc",
        "version": 1,
        **{t: [item(t, r) for r in rows] for t, rows in tables.items()},
    }
    return json.dumps(doc, default=str).encode("utf-8")


ROUTES = ["csv", "xlsx", "json", "zip"]


@st.composite
def upload(draw) -> tuple[str, list[tuple[str, bytes]]]:
    tables = draw(dataset_tables())
    route = draw(st.sampled_from(ROUTES))
    if route == "xlsx":
        return route, [("upload.xlsx", as_xlsx(tables))]
    if route == "json":
        return route, [("upload.json", as_json(tables))]
    delimiter, dutch = draw(st.sampled_from([",", ";"])), draw(st.booleans())
    # Excel writes "CSV UTF-8" with a BOM, and old Windows-1252 CSV without one.
    encoding = draw(st.sampled_from(["utf-8", "utf-8-bom", "cp1252"]))
    files = [
        (
            f"{t}.csv",
            as_csv(rows, delimiter, dutch, encoding == "utf-8-bom").encode(
                encoding.removesuffix("-bom"), errors="replace"
            ),
        )
        for t, rows in tables.items()
    ]
    if route == "zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files:
                archive.writestr(f"export/{name}", data)
        return route, [("tabellen.zip", out.getvalue())]
    return route, files


def test_generated_datasets_in_every_format_parse_exactly_or_are_located():
    outcomes: dict[str, set[str]] = {route: set() for route in ROUTES}

    @settings(
        max_examples=400,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(upload())
    def run(made):
        route, files = made
        outcomes[route].add(check(parse(files), [name for name, _ in files]))

    run()
    # Every route both accepted uploads (so the round trip ran) and rejected some.
    assert outcomes == {route: {"parsed", "rejected"} for route in ROUTES}


# -- XLSX -------------------------------------------------------------------------------------

_XLSX_VALUE = st.one_of(
    st.none(),
    _CELL.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


@st.composite
def workbook(draw) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = draw(
        st.lists(
            st.sampled_from(["actors", "ties", "Meetings", "attendance", "Blad1", "ACTORS"]),
            min_size=0,
            max_size=4,
            unique=True,
        )
    )
    for name in sheets:
        ws = wb.create_sheet(name)
        table = name.lower() if name.lower() in HEADERS else "actors"
        header = draw(st.permutations(HEADERS[table]))
        if draw(st.booleans()):
            ws.append(list(header))
        for row in draw(st.lists(st.lists(_XLSX_VALUE, max_size=len(header) + 1), max_size=5)):
            ws.append(row)
    if not sheets:
        wb.create_sheet("leeg")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@FUZZ
@given(workbook())
def test_workbooks_with_any_cells(data):
    check(parse({"upload.xlsx": data}), ["upload.xlsx"])


def _damaged(data: bytes, draw) -> bytes:
    """``data`` truncated, or with a few bytes overwritten (zip headers, XML, deflate data)."""
    if draw(st.booleans()):
        return data[: draw(st.integers(0, len(data)))]
    damaged = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        damaged[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(damaged)


@FUZZ
@given(st.data())
def test_damaged_workbooks(data):
    good = (FILES / "good" / "workbook.xlsx").read_bytes()
    check(parse({"upload.xlsx": _damaged(good, data.draw)}), ["upload.xlsx"])


# -- JSON -------------------------------------------------------------------------------------

_JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _CELL,
)
_JSON = st.recursive(
    _JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)

FIELDS = {
    "actors": ["key", "kind", "name", "proeftuinen", "attributes"],
    "ties": ["source", "target", "type", "since", "until", "weight", "provenance", "attributes"],
    "meetings": ["key", "date", "title", "proeftuin", "attributes"],
    "attendance": ["meeting", "actor"],
}
_FIELD_VALUE = st.one_of(
    _CELL,
    _JSON,
    st.lists(_PROEFTUINEN, max_size=2),
    st.dictionaries(st.sampled_from(["buurt", "", "key", "x y"]), _JSON_SCALAR, max_size=2),
)


@st.composite
def export_like(draw) -> dict:
    doc = {}
    if draw(st.booleans()):
        doc["format"] = draw(st.sampled_from(["graphsvc", "gephi", 1]))
    if draw(st.booleans()):
        doc["version"] = draw(st.sampled_from([1, 2, "1", None]))
    for table, fields in FIELDS.items():
        if draw(st.booleans()):
            items = []
            for _ in range(draw(st.integers(0, 3))):
                chosen = draw(st.lists(st.sampled_from(fields + ["extra"]), unique=True))
                items.append({f: draw(_FIELD_VALUE) for f in chosen})
            doc[table] = items if draw(st.integers(0, 9)) else draw(_JSON)
    return doc


@FUZZ
@given(export_like())
def test_json_shaped_like_an_export(doc):
    check(parse({"upload.json": json.dumps(doc).encode()}), ["upload.json"])


@FUZZ
@given(_JSON, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_json_value(value, encoding):
    check(parse({"upload.json": json.dumps(value).encode(encoding)}), ["upload.json"])


def test_json_nan_and_infinity_are_refused():
    for text in [
        '{"ties": [{"source": "k1", "target": "k2", "type": "knows", '
        '"since": "2024-01-01", "weight": Infinity}]}',
        '{"actors": [{"key": "a", "kind": "resident", "name": "x", "attributes": {"n": NaN}}]}',
    ]:
        assert check(parse({"upload.json": text.encode()}), ["upload.json"]) == "rejected"


def test_json_numbers_that_overflow_to_infinity_are_refused():
    text = '{"actors": [{"key": "a", "kind": "resident", "name": "x", "attributes": {"n": 1e400}}]}'
    assert check(parse({"upload.json": text.encode()}), ["upload.json"]) == "rejected"


# -- zip ----------------------------------------------------------------------------------------

MEMBERS = [
    "actors.csv",
    "ties.csv",
    "data/relaties.csv",
    "__MACOSX/actors.csv",
    "meetings.csv",
    "readme.txt",
    "map/",
    "../actors.csv",
    "leeg.csv",
]


@st.composite
def zip_upload(draw) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(
        out, "w", compression=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    ) as archive:
        for name in draw(st.lists(st.sampled_from(MEMBERS), max_size=4, unique=True)):
            table = next((t for t in HEADERS if t in name), None)
            content = draw(st.one_of(st.binary(max_size=100), csv_table(table or "actors")))
            archive.writestr(name, content)
    return out.getvalue()


@FUZZ
@given(zip_upload())
def test_zips_of_anything(data):
    check(parse({"tabellen.zip": data}), ["tabellen.zip"])


@FUZZ
@given(zip_upload(), st.data())
def test_damaged_zips(data, more):
    if not data:
        return
    check(parse({"tabellen.zip": _damaged(data, more.draw)}), ["tabellen.zip"])
