"""Import/export file formats: real fixture files in tests/unit/files/, exact round trips."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.transfer.fileformats import (
    CODES,
    KnownActor,
    parse_json,
    parse_tables,
    parse_upload,
    parse_xlsx,
    problems_as_json,
    tie_kinds,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
    write_xlsx,
)
from graphsvc.transfer.fileformats.cells import neutralise, unneutralise, xlsx_escape, xlsx_unescape

pytestmark = pytest.mark.unit

FILES = Path(__file__).parent / "files"
D = dt.date


def load_dir(rel: str, **options) -> object:
    """parse_tables on every CSV of a fixture folder (the file stem is the table)."""
    folder = FILES / rel
    tables = {f.stem: (f.name, f.read_bytes()) for f in sorted(folder.glob("*.csv"))}
    return parse_tables(tables, **options)


def located(result) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in result.problems]


# --------------------------------------------------------------------------- good CSV


def test_semicolon_bom_csv_as_dutch_excel_writes_it():
    r = load_dir("good/semicolon_bom", default_proeftuin="utrecht")
    assert r.ok, r.problems
    assert r.notices == []
    assert r.dataset == Dataset(
        actors=[
            Actor("a1", "resident", "Ünal", ("utrecht",), {"buurt": "Noord"}),
            Actor("a2", "resident", "Çelik", ("utrecht",), {"buurt": "Zuid", "Rol": "voorzitter"}),
            Actor("a3", "initiative", "José", ("utrecht", "zwolle")),
            # empty proeftuin -> default; a quoted field holding the delimiter
            Actor("a4", "official", "Anne-Marie 't Hart", ("utrecht",), {"Rol": "beleid; wonen"}),
            Actor("f1", "funder", "Fonds Leefbaarheid", ("deventer", "utrecht", "zwolle")),
            Actor("o1", "organisation", 'Buurtwerk "De Brug"', ("zwolle",)),
        ],
        ties=[
            # "a2 werkt samen met a1" is stored a1-a2 (symmetric), D-M-YYYY, "1,5"
            Tie(
                "a1",
                "a2",
                "collaborates",
                D(2024, 3, 1),
                D(2024, 12, 31),
                1.5,
                "interview",
                {"Toelichting": "samen in het bestuur"},
            ),
            Tie("a1", "a2", "knows", D(2024, 3, 1), None, 1.0, "enquête"),
            Tie("a1", "a3", "member_of", D(2023, 9, 1)),
            Tie("a3", "f1", "contacts", D(2024, 2, 2)),
            Tie("a4", "a3", "advises", D(2024, 2, 1), None, 0.25),
            Tie("f1", "a3", "funds", D(2024, 1, 15), None, 2.0),
        ],
        meetings=[
            Meeting(
                "m1",
                D(2024, 3, 12),
                "Buurtavond Noord",
                "utrecht",
                {"plaats": "Wijkcentrum De Kroon"},
            ),
            Meeting("m2", D(2024, 4, 9), "Fondsentafel", "utrecht"),
        ],
        attendance=[
            Attendance("m1", "a1"),
            Attendance("m1", "a2"),
            Attendance("m1", "a4"),
            Attendance("m2", "a3"),
            Attendance("m2", "f1"),
        ],
    )


def test_comma_csv_without_bom_keeps_formula_like_and_control_characters():
    r = load_dir("good/comma")
    assert r.ok, r.problems
    names = {a.key: a.name for a in r.dataset.actors}
    assert names == {
        "r1": "Jansen, Piet",
        "r2": "=SUM(A1)",  # fine on import; only neutralised on export
        "i1": 'Moestuin "Groen"',
        "u1": "Tab\there",
    }
    assert [a.attributes for a in r.dataset.actors] == [
        {"organisation": "Stichting Groen"},
        {},
        {},
        {"organisation": "Gemeente Deventer"},
    ]
    # the two supports ties are directed, so i1->u1 and u1->i1 are two ties
    assert [(t.source, t.target, t.type, t.until, t.weight) for t in r.dataset.ties] == [
        ("i1", "u1", "supports", None, 1.0),
        ("r1", "r2", "knows", None, 1.0),
        ("r2", "i1", "member_of", D(2024, 6, 30), 1.5),
        ("u1", "i1", "supports", None, 3.0),
    ]


def test_cp1252_csv_is_read_and_a_notice_says_so():
    r = load_dir("good/cp1252")
    assert r.ok, r.problems
    assert [a.name for a in r.dataset.actors] == ["Ünal", "Çelik", "José € Fonds"]
    assert [(n.file, n.code) for n in r.notices] == [("actors.csv", "decoded_cp1252")]
    assert "Windows-1252" in r.notices[0].message_nl


def test_headers_are_case_insensitive_and_trimmed_and_labels_map_to_keys():
    actors = (
        " KEY ;Kind;  NAME;Proeftuinen\n"
        "a;Bewonersinitiatief;A;x\n"
        "b;MUNICIPALITY;B;x\n"
        "c;fondsen;C;x\n"
        "d;Partner Organisation;D;x\n"
    )
    ties = (
        "Source;Target;TYPE;Since\n"
        "a;b;Werkt  Samen;2024-01-01\n"
        "b;a;NEEMT CONTACT OP;2024-01-01\n"
        "c;a;Funds;2024-01-01\n"
        "d;a;member of;2024-01-01\n"
        "a;d;MEMBER_OF;2024-01-01\n"
    )
    r = parse_tables({"actors": ("a.csv", actors.encode()), "ties": ("t.csv", ties.encode())})
    assert r.ok, r.problems
    assert [a.kind for a in r.dataset.actors] == [
        "initiative",
        "official",
        "funder",
        "organisation",
    ]
    assert [t.type for t in r.dataset.ties] == [
        "collaborates",
        "member_of",
        "contacts",
        "funds",
        "member_of",
    ]


def test_excel_sep_line_is_honoured_and_not_counted_as_a_row():
    data = (
        b"sep=,\r\nkey,kind,name,proeftuin\r\na1,resident,Anna;Bert,utrecht\r\na2,x,B,utrecht\r\n"
    )
    r = parse_tables({"actors": ("actors.csv", data)})
    assert located(r) == [("actors.csv", 3, "kind", "unknown_kind")]


def test_blank_lines_between_rows_keep_spreadsheet_row_numbers():
    data = b"key,kind,name,proeftuin\n\na1,resident,A,u\n,,,\n\na2,nobody,B,u\n\n\n"
    r = parse_tables({"actors": ("actors.csv", data)})
    assert located(r) == [("actors.csv", 6, "kind", "unknown_kind")]


# --------------------------------------------------------------------------- one problem each

PROBLEM_CASES = [
    ("unknown_kind", {}, [("actors.csv", 3, "kind", "unknown_kind")]),
    ("unknown_tie_type", {}, [("ties.csv", 3, "type", "unknown_tie_type")]),
    ("missing_key", {}, [("actors.csv", 3, "key", "missing_value")]),
    ("missing_name", {}, [("actors.csv", 2, "name", "missing_value")]),
    ("missing_since", {}, [("ties.csv", 2, "since", "missing_value")]),
    ("missing_proeftuin", {}, [("actors.csv", 3, "proeftuin", "missing_value")]),
    ("duplicate_actor", {}, [("actors.csv", 4, "key", "duplicate_actor")]),
    # a2-knows-a1 on 01-01-2024 repeats a1-knows-a2 on 2024-01-01; funds both ways is fine
    ("duplicate_tie", {}, [("ties.csv", 5, None, "duplicate_tie")]),
    ("duplicate_meeting", {}, [("meetings.csv", 3, "key", "duplicate_meeting")]),
    ("duplicate_attendance", {}, [("attendance.csv", 3, None, "duplicate_attendance")]),
    (
        "unknown_actor_in_tie",
        {},
        [
            ("ties.csv", 2, "target", "unknown_actor"),
            ("ties.csv", 3, "source", "unknown_actor"),
        ],
    ),
    ("unknown_actor_in_attendance", {}, [("attendance.csv", 3, "actor", "unknown_actor")]),
    ("unknown_meeting", {}, [("attendance.csv", 2, "meeting", "unknown_meeting")]),
    ("bad_date", {}, [("ties.csv", 2, "since", "bad_date"), ("ties.csv", 3, "until", "bad_date")]),
    ("until_before_since", {}, [("ties.csv", 2, "until", "until_before_since")]),
    (
        "bad_weight",
        {},
        [
            ("ties.csv", 2, "weight", "bad_weight"),
            ("ties.csv", 3, "weight", "bad_weight"),  # "1.000,5": thousands separators refused
        ],
    ),
    (
        "nonpositive_weight",
        {},
        [
            ("ties.csv", 2, "weight", "nonpositive_weight"),
            ("ties.csv", 3, "weight", "nonpositive_weight"),
        ],
    ),
    ("empty", {}, [("actors.csv", None, None, "empty")]),
    ("empty_bytes", {}, [("actors.csv", None, None, "empty")]),
    ("missing_column", {}, [("ties.csv", 1, "type", "missing_column")]),
    (
        "wrong_header",
        {},
        [
            ("actors.csv", 1, "key", "missing_column"),
            ("actors.csv", 1, "kind", "missing_column"),
            ("actors.csv", 1, "name", "missing_column"),
        ],
    ),
    ("duplicate_column", {}, [("actors.csv", 1, "name", "duplicate_column")]),
    (
        "unnamed_column",
        {},
        [
            ("actors.csv", 3, "F", "unnamed_column"),
            ("actors.csv", 4, "H", "unnamed_column"),
        ],
    ),
    ("self_loop", {}, [("ties.csv", 2, "target", "self_loop")]),
    (
        "bad_proeftuin",
        {},
        [
            ("actors.csv", 2, "proeftuin", "bad_proeftuin"),
            ("actors.csv", 3, "proeftuin", "bad_proeftuin"),
        ],
    ),
    ("key_too_long", {}, [("actors.csv", 2, "key", "bad_key")]),  # 101 chars; 100 is fine
    ("key_control_character", {}, [("actors.csv", 2, "key", "bad_key")]),
    ("too_many_rows", {"max_rows": 3}, [("actors.csv", None, None, "too_many_rows")]),
    ("unreadable_text", {}, [("actors.csv", None, None, "unreadable_text")]),
]


@pytest.mark.parametrize(
    ("case", "options", "expected"), PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES]
)
def test_each_malformed_file_gives_exactly_its_problem(case, options, expected):
    r = load_dir(f"problems/{case}", **options)
    assert not r.ok and r.dataset is None
    assert located(r) == expected
    for p in r.problems:
        assert p.code in CODES
        for message, row_word, col_word in (
            (p.message_nl, "rij", "kolom"),
            (p.message_en, "row", "column"),
        ):
            assert message.startswith(p.file)
            if p.row is not None:
                assert f"{row_word} {p.row}" in message
            if p.column is not None:
                assert f"{col_word} '{p.column}'" in message


def test_problem_messages_in_both_languages_name_the_value():
    r = load_dir("problems/unknown_kind")
    (p,) = r.problems
    assert p.value == "burger"
    assert p.message_nl == (
        "actors.csv, rij 3, kolom 'kind': onbekende soort actor 'burger'; toegestaan: "
        "resident (bewoner), initiative (bewonersinitiatief), official (gemeente), "
        "funder (fonds), organisation (organisatie)"
    )
    assert p.message_en.startswith(
        "actors.csv, row 3, column 'kind': unknown kind of actor 'burger'; allowed: resident, "
    )
    r = load_dir("problems/missing_column")
    assert r.problems[0].message_en == (
        "ties.csv, row 1, column 'type': the required column 'type' is missing; expected "
        "columns: source, target, type, since; optional: until, weight, provenance"
    )


def test_several_problems_are_all_reported_in_file_row_column_order():
    r = load_dir("several_problems")
    assert located(r) == [
        ("actors.csv", 3, "kind", "unknown_kind"),
        ("actors.csv", 4, "key", "missing_value"),
        ("actors.csv", 5, "key", "duplicate_actor"),
        ("actors.csv", 6, "name", "missing_value"),
        ("actors.csv", 6, "proeftuin", "bad_proeftuin"),
        ("actors.csv", 7, "proeftuin", "missing_value"),
        ("attendance.csv", 3, None, "duplicate_attendance"),
        ("attendance.csv", 4, "meeting", "unknown_meeting"),
        ("attendance.csv", 5, "actor", "unknown_actor"),
        ("meetings.csv", 3, "date", "bad_date"),
        ("ties.csv", 3, None, "duplicate_tie"),
        ("ties.csv", 4, "target", "unknown_actor"),
        ("ties.csv", 5, "target", "self_loop"),
        ("ties.csv", 6, "since", "bad_date"),
        ("ties.csv", 7, "until", "until_before_since"),
        ("ties.csv", 7, "weight", "bad_weight"),
        ("ties.csv", 8, "type", "unknown_tie_type"),
        ("ties.csv", 8, "weight", "nonpositive_weight"),
    ]
    dup = r.problems[2]
    assert dup.message_nl == "actors.csv, rij 5, kolom 'key': de sleutel 'a1' staat ook al in rij 2"
    assert dup.message_en == "actors.csv, row 5, column 'key': the key 'a1' is also in row 2"


def test_problems_as_json_for_the_api():
    r = load_dir("problems/self_loop")
    assert problems_as_json(r.problems, "en") == [
        {
            "file": "ties.csv",
            "table": "ties",
            "row": 2,
            "column": "target",
            "code": "self_loop",
            "message": "ties.csv, row 2, column 'target': a tie from 'a1' to itself is not allowed",
            "value": "a1",
        }
    ]
    assert problems_as_json(r.problems, "nl")[0]["message"].endswith(
        "een relatie van 'a1' met zichzelf is niet toegestaan"
    )
    json.dumps(problems_as_json(load_dir("several_problems").problems))  # serialisable


def test_references_to_known_actors_and_meetings_are_accepted():
    ties = b"source,target,type,since\nx1,x2,knows,2024-01-01\nx1,x3,knows,2024-01-01\n"
    attendance = b"meeting,actor\nold,x1\n"
    r = parse_tables(
        {"ties": ("ties.csv", ties), "attendance": ("attendance.csv", attendance)},
        known_actor_keys={"x1", "x2"},
        known_meeting_keys={"old"},
    )
    assert located(r) == [("ties.csv", 3, "target", "unknown_actor")]
    r = parse_tables({"ties": ("ties.csv", ties)}, known_actor_keys={"x1", "x2", "x3"})
    assert r.ok and len(r.dataset.ties) == 2


def test_key_clash_with_an_actor_of_another_proeftuin():
    actors = (
        b"key,kind,name,proeftuin\n"
        b"f1,funder,Fonds X,zwolle\n"  # same funder joins zwolle: fine
        b"p7,resident,Piet,zwolle\n"  # p7 is someone else in utrecht: clash
        b"p8,resident,Nieuwe naam,utrecht\n"
    )  # same proeftuin: an update, fine
    known = {
        "f1": KnownActor("funder", "Fonds X", ("utrecht",)),
        "p7": KnownActor("resident", "Marie", ("utrecht",)),
        "p8": KnownActor("resident", "Oude naam", ("utrecht",)),
    }
    r = parse_tables({"actors": ("actors.csv", actors)}, known_actors=known)
    assert located(r) == [("actors.csv", 3, "name", "key_clash")]
    assert "twee nummeringen" in r.problems[0].message_nl


def test_default_proeftuin_applies_when_column_missing_or_empty():
    data = b"key,kind,name\na1,resident,Anna\n"
    assert located(parse_tables({"actors": ("a.csv", data)})) == [
        ("a.csv", 1, "proeftuin", "missing_column")
    ]
    r = parse_tables({"actors": ("a.csv", data)}, default_proeftuin="zwolle")
    assert r.dataset.actors == [Actor("a1", "resident", "Anna", ("zwolle",))]
    with pytest.raises(ValueError):
        parse_tables({"actors": ("a.csv", data)}, default_proeftuin="Zwolle")


def test_progress_is_reported_while_parsing():
    rows = "".join(f"a{i},resident,N{i},u\n" for i in range(2500))
    calls = []
    r = parse_tables(
        {"actors": ("a.csv", ("key,kind,name,proeftuin\n" + rows).encode())},
        progress=lambda done, total: calls.append((done, total)),
    )
    assert r.ok
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


# --------------------------------------------------------------------------- XLSX


def test_committed_xlsx_fixture():
    path = FILES / "good" / "workbook.xlsx"
    r = parse_xlsx(path.name, path.read_bytes(), "zwolle")
    assert r.ok, r.problems
    assert r.dataset == Dataset(
        actors=[
            Actor("1001", "funder", "Fonds Leefbaarheid", ("utrecht", "zwolle")),
            Actor(
                "a1",
                "resident",
                "Ünal",
                ("zwolle",),
                {"leeftijd": 34, "vrijwilliger": True, "sinds": "2020-05-01"},
            ),
            Actor(
                "a2",
                "resident",
                "Anne-Marie 't Hart",
                ("zwolle",),
                {"leeftijd": 61.5, "vrijwilliger": False},
            ),
            Actor("g1", "official", "Wijkregisseur", ("zwolle",)),
        ],
        ties=[
            Tie("1001", "a1", "funds", D(2024, 1, 15), D(2024, 12, 31), 1.5),
            Tie("a1", "a2", "knows", D(2024, 3, 1), None, 2.0, "enquête"),
            Tie("g1", "a2", "supports", D(2024, 2, 1), None, 0.5),
        ],
        meetings=[Meeting("m1", D(2024, 3, 12), "Buurtavond", "zwolle")],
        attendance=[Attendance("m1", "1001"), Attendance("m1", "a1")],
    )
    assert type(r.dataset.actors[1].attributes["leeftijd"]) is int  # XLSX numbers keep type


def _workbook(**sheets) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_problems_name_sheet_row_and_column():
    data = _workbook(
        actors=[
            ["key", "kind", "name", "proeftuin"],
            ["a1", "bewoner", "Anna", "utrecht"],
            ["a2", "alien", "Bert", "utrecht"],
            [True, "bewoner", "Cor", "utrecht"],
        ],
        ties=[
            ["source", "target", "type", "since", "weight"],
            ["a1", "a2", "kent", dt.datetime(2024, 1, 1), 0],
            ["a1", "a2", "kent", "2024-01-32", "x"],
        ],
    )
    r = parse_xlsx("data.xlsx", data)
    assert located(r) == [
        ("data.xlsx", 3, "kind", "unknown_kind"),
        ("data.xlsx", 4, "key", "bad_type"),
        ("data.xlsx", 2, "weight", "nonpositive_weight"),
        ("data.xlsx", 3, "since", "bad_date"),
        ("data.xlsx", 3, "weight", "bad_weight"),
    ]
    assert [p.table for p in r.problems] == ["actors", "actors", "ties", "ties", "ties"]
    assert r.problems[0].message_nl.startswith("data.xlsx, blad 'actors', rij 3, kolom 'kind'")
    assert r.problems[2].message_en.startswith("data.xlsx, sheet 'ties', row 2, column 'weight'")


def test_xlsx_missing_sheets_and_unreadable_bytes():
    r = parse_xlsx("x.xlsx", _workbook(Blad1=[["key"]]))
    assert located(r) == [("x.xlsx", None, None, "missing_sheet")] * 2
    assert {p.table for p in r.problems} == {"actors", "ties"}
    r = parse_xlsx("x.xlsx", b"PK\x03\x04 not really a zip")
    assert located(r) == [("x.xlsx", None, None, "unreadable_xlsx")]


def test_xlsx_with_empty_sheets_is_empty():
    r = parse_xlsx("x.xlsx", _workbook(actors=[["key", "kind", "name", "proeftuin"]], ties=[]))
    assert located(r) == [("x.xlsx", None, None, "empty")]


# --------------------------------------------------------------------------- round trips


def sample_dataset() -> Dataset:
    """Every field in use, awkward text included."""
    return Dataset(
        actors=[
            Actor(
                "a1",
                "resident",
                "-Anna-",
                ("utrecht",),
                {"buurt": "Noord", "leeftijd": 42, "score": 1.5, "vrijwilliger": True},
            ),
            Actor(
                "a2",
                "funder",
                "=SUM(A1)",
                ("utrecht", "zwolle"),
                {"buurt": "'=al een apostrof", "notitie": "+31 6 1234"},
            ),
            Actor("a3", "initiative", "@home\tbuurt", ("zwolle",), {"leeftijd": -3}),
            Actor("-7", "official", "Ünal Çelik", ("zwolle",), {"notitie": "\tinspringen"}),
            Actor(
                "o1", "organisation", 'Anne-Marie \'t Hart, "De Brug"; regel\nnieuw', ("deventer",)
            ),
        ],
        ties=[
            Tie("a1", "a2", "knows", D(2024, 3, 1), None, 1.5, "survey", {"toelichting": "-x"}),
            Tie("a1", "a2", "funds", D(2024, 3, 1), D(2025, 1, 1), 2.0),
            Tie("a2", "a1", "funds", D(2024, 3, 1)),
            Tie("a3", "-7", "member_of", D(2020, 1, 31), None, 0.1 + 0.2, "interview"),
            Tie("o1", "a3", "supports", D(2024, 2, 29), None, 1e-5),
        ],
        meetings=[
            Meeting("m1", D(2024, 5, 1), "Buurtavond", "utrecht", {"plaats": "=Wijkcentrum"}),
            Meeting("m2", D(2024, 6, 1), "Fondsentafel", "zwolle"),
        ],
        attendance=[Attendance("m1", "a1"), Attendance("m1", "a2"), Attendance("m2", "-7")],
    ).sorted()


def _as_strings(ds: Dataset) -> Dataset:
    """What CSV can carry: attribute values as text (the importer does not guess types)."""

    def text(attrs):
        return {
            k: ("true" if v is True else "false" if v is False else str(v))
            for k, v in attrs.items()
        }

    return Dataset(
        [Actor(a.key, a.kind, a.name, a.proeftuinen, text(a.attributes)) for a in ds.actors],
        [
            Tie(
                t.source,
                t.target,
                t.type,
                t.since,
                t.until,
                t.weight,
                t.provenance,
                text(t.attributes),
            )
            for t in ds.ties
        ],
        [Meeting(m.key, m.date, m.title, m.proeftuin, text(m.attributes)) for m in ds.meetings],
        list(ds.attendance),
    )


def _sixteen_digits(ds: Dataset) -> Dataset:
    """openpyxl writes numbers with 16 significant digits: 0.1 + 0.2 comes back as 0.3."""
    ties = [replace(t, weight=0.3) if t.weight == 0.1 + 0.2 else t for t in ds.ties]
    return Dataset(ds.actors, ties, ds.meetings, ds.attendance)


def test_json_round_trip_is_exact_and_byte_identical():
    ds = sample_dataset()
    data = write_json(ds)
    r = parse_json("export.json", data)
    assert r.ok, r.problems
    assert r.dataset == ds
    assert [type(v) for v in r.dataset.actors[1].attributes.values()] == [str, int, float, bool]
    assert write_json(r.dataset) == data
    doc = json.loads(data)
    assert (doc["format"], doc["version"]) == ("graphsvc", 1)
    assert [(t["since"], t["until"]) for t in doc["ties"][:2]] == [
        ("2024-03-01", "2025-01-01"),
        ("2024-03-01", None),
    ]


def test_committed_json_export_reimports_byte_identically():
    path = FILES / "good" / "export.json"
    r = parse_json(path.name, path.read_bytes())
    assert r.ok, r.problems
    assert r.dataset == sample_dataset()
    assert write_json(r.dataset) == path.read_bytes()


def test_json_round_trip_keeps_empty_and_spaced_optional_text():
    ds = Dataset(
        [Actor("a", "resident", " Anna ", ("u",), {"x": ""})],
        [Tie("a", "b", "knows", D(2024, 1, 1), provenance="")],
    )
    r = parse_json("x.json", write_json(ds), known_actor_keys={"b"})
    assert r.dataset == ds


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_round_trip_is_exact_including_formula_neutralisation(delimiter):
    ds = sample_dataset()
    files = write_csv(ds, delimiter=delimiter)
    assert sorted(files) == ["actors.csv", "attendance.csv", "meetings.csv", "ties.csv"]
    actors_csv = files["actors.csv"].decode("utf-8")
    assert actors_csv.startswith("\ufeffkey" + delimiter + "kind")
    assert "'-Anna-" in actors_csv and "'=SUM(A1)" in actors_csv and "''=al een" in actors_csv
    r = parse_tables({name.removesuffix(".csv"): (name, data) for name, data in files.items()})
    assert r.ok, r.problems
    assert r.dataset == _as_strings(ds)
    assert {a.name for a in r.dataset.actors} >= {"-Anna-", "=SUM(A1)", "@home\tbuurt"}
    assert write_csv(r.dataset, delimiter) == write_csv(_as_strings(ds), delimiter)


def test_csv_semicolon_export_uses_decimal_comma():
    ties = write_csv(sample_dataset(), ";")["ties.csv"].decode("utf-8-sig").splitlines()
    assert ties[0] == "source;target;type;since;until;weight;provenance;toelichting"
    assert "a1;a2;knows;2024-03-01;;1,5;survey;'-x" in ties
    assert "o1;a3;supports;2024-02-29;;1e-05;;" in ties
    assert "a3;'-7;member_of;2020-01-31;;0,30000000000000004;interview;" in ties


def test_xlsx_round_trip_is_exact_including_neutralisation_and_control_characters():
    ds = sample_dataset()
    ds.actors.append(Actor("z1", "resident", "CR\r, bell\x07 and _x0041_", ("u",), {"getal": 3.25}))
    ds = _sixteen_digits(ds)
    data = write_xlsx(ds)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames == ["actors", "ties", "meetings", "attendance"]
    names = [row[2] for row in wb["actors"].iter_rows(min_row=2, values_only=True)]
    assert "'-Anna-" in names and "'=SUM(A1)" in names  # neutralised in the cell itself
    since = next(wb["ties"].iter_rows(min_row=2, max_row=2, values_only=True))[3]
    assert isinstance(since, dt.datetime)  # a real date cell
    wb.close()
    r = parse_upload({"export.xlsx": data})
    assert r.ok, r.problems
    assert r.dataset == ds.sorted()
    assert type(r.dataset.actors[1].attributes["leeftijd"]) is int
    assert type(r.dataset.actors[1].attributes["vrijwilliger"]) is bool


@given(st.text())
def test_neutralise_is_undone_by_the_importer_for_every_string(text):
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert xlsx_unescape(xlsx_escape(text)) == text


def test_unneutralise_strips_one_apostrophe_only_before_a_formula_character():
    assert unneutralise("'=SUM(A1)") == "=SUM(A1)"
    assert unneutralise("''=x") == "'=x"
    assert unneutralise("'t Hart") == "'t Hart"
    assert unneutralise("'") == "'"


# --------------------------------------------------------------------------- JSON problems


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", [("x.json", None, None, "unreadable_json")]),
        (b'{"actors": [{"key": "a", "weight": NaN}]}', [("x.json", None, None, "unreadable_json")]),
        (b"[1, 2]", [("x.json", None, None, "bad_type")]),
        (b'{"format": "gephi"}', [("x.json", None, None, "wrong_format")]),
        (b'{"format": "graphsvc", "version": 2}', [("x.json", None, None, "unsupported_version")]),
        (b'{"actors": {}}', [("x.json", None, None, "bad_type")]),
        (b'{"actors": []}', [("x.json", None, None, "empty")]),
        (b'{"actors": [7]}', [("x.json", 1, None, "bad_type")]),
        (
            b'{"actors": [{"key": "a", "kind": "resident", "name": "A", "proeftuinen": ["u"],'
            b' "buurt": "Noord"}]}',
            [("x.json", 1, "buurt", "unknown_field")],
        ),
        (
            b'{"actors": [{"key": "a", "kind": "resident", "name": "A", "proeftuinen": ["u"],'
            b' "attributes": {"Name": "x", "ok": [1], "big": 99999999999999999999}}]}',
            [
                ("x.json", 1, "attributes", "bad_attribute_name"),
                ("x.json", 1, "attributes.big", "bad_attribute_value"),
                ("x.json", 1, "attributes.ok", "bad_attribute_value"),
            ],
        ),
        (
            b'{"actors": [{"key": "a", "kind": "resident", "name": "\\ud800",'
            b' "proeftuinen": "u"}]}',
            [("x.json", 1, "name", "bad_text")],
        ),
        (
            b'{"actors": [{"key": ["a"], "kind": "resident", "name": "A", "proeftuinen": [1]}]}',
            [("x.json", 1, "key", "bad_type"), ("x.json", 1, "proeftuinen", "bad_type")],
        ),
        (
            b'{"ties": [{"source": "a", "target": "b", "type": "knows", "since": "2024-01-01",'
            b' "weight": true}]}',
            [("x.json", 1, "weight", "bad_weight")],
        ),
    ],
)
def test_json_problems(data, expected):
    r = parse_json("x.json", data, known_actor_keys={"a", "b"})
    assert located(r) == expected
    for p in r.problems:
        if p.row is not None:
            assert f"item {p.row}" in p.message_nl and f"item {p.row}" in p.message_en


def test_json_problem_messages_say_item_and_field():
    r = parse_json(
        "x.json", b'{"actors": [{"key": "a", "kind": "x", "name": "A", "proeftuinen": ["u"]}]}'
    )
    assert r.problems[0].message_nl.startswith("x.json, actors item 1, veld 'kind': ")
    assert r.problems[0].message_en.startswith("x.json, actors item 1, field 'kind': ")


# --------------------------------------------------------------------------- parse_upload


def test_upload_dispatches_on_names_and_contents():
    ds = sample_dataset()
    assert parse_upload([("export.json", write_json(ds))]).dataset == ds
    assert parse_upload([("noname", write_json(ds))]).dataset == ds
    assert parse_upload([("noname", write_xlsx(ds))]).dataset == _sixteen_digits(ds)
    csvs = write_csv(ds, ";")
    named = {
        "utrecht-relaties.csv": csvs["ties.csv"],
        "Actoren.CSV": csvs["actors.csv"],
        "data1.csv": csvs["meetings.csv"],
        "data2.csv": csvs["attendance.csv"],
    }
    assert parse_upload(named).dataset == _as_strings(ds)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in csvs.items():
            archive.writestr(f"export/{name}", data)
    assert parse_upload({"export.zip": buffer.getvalue()}).dataset == _as_strings(ds)


def test_upload_problems_for_files_it_cannot_place():
    csvs = write_csv(sample_dataset())
    r = parse_upload(
        {
            "a.csv": csvs["actors.csv"],
            "b.csv": csvs["actors.csv"],
            "notes.csv": b"wat,is,dit\n1,2,3\n",
            "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "export.json": b"{}",
        }
    )
    assert sorted((p.file, p.code) for p in r.problems) == [
        ("b.csv", "duplicate_table"),
        ("export.json", "unsupported_format"),
        ("notes.csv", "unknown_table"),
        ("old.xls", "unsupported_format"),
    ]


# --------------------------------------------------------------------------- GraphML, GEXF


def _expected_nodes(ds: Dataset) -> dict:
    return {
        a.key: {
            "kind": a.kind,
            "name": a.name,
            "label": a.name,
            "proeftuinen": "|".join(a.proeftuinen),
            **a.attributes,
        }
        for a in ds.actors
    }


def _graph_dataset() -> Dataset:
    return Dataset(
        actors=[
            Actor("a1", "resident", "Ünal", ("utrecht",), {"leeftijd": 34, "actief": True}),
            Actor("a2", "funder", "Fonds", ("utrecht", "zwolle"), {"leeftijd": 2.5}),
            Actor("a3", "initiative", "Moestuin", ("zwolle",), {"buurt": "Noord"}),
        ],
        ties=[
            Tie("a1", "a2", "knows", D(2024, 3, 1), None, 1.5, "survey", {"toelichting": "x"}),
            Tie("a2", "a3", "funds", D(2024, 1, 1), D(2024, 12, 31), 2.0),
            Tie("a2", "a3", "funds", D(2025, 1, 1)),
        ],
    ).sorted()


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes():
    ds = _graph_dataset()
    G = nx.read_graphml(io.BytesIO(write_graphml(ds)), force_multigraph=True)
    assert G.is_directed()
    expected = _expected_nodes(ds)
    expected["a1"]["leeftijd"] = 34.0  # int mixed with float: one GraphML type (double)
    assert dict(G.nodes(data=True)) == expected
    knows = {
        "tie": "t1",
        "type": "knows",
        "symmetric": True,
        "weight": 1.5,
        "since": "2024-03-01",
        "provenance": "survey",
        "toelichting": "x",
    }
    funds = {"type": "funds", "symmetric": False, "reverse": False}
    # A symmetric tie is two arcs (there and back); ids are unique.
    assert sorted(G.edges(keys=True, data=True)) == [
        ("a1", "a2", "t1", {**knows, "reverse": False}),
        ("a2", "a1", "t1r", {**knows, "reverse": True}),
        (
            "a2",
            "a3",
            "t2",
            {**funds, "tie": "t2", "weight": 2.0, "since": "2024-01-01", "until": "2024-12-31"},
        ),
        ("a2", "a3", "t3", {**funds, "tie": "t3", "weight": 1.0, "since": "2025-01-01"}),
    ]


def test_graphml_declares_a_type_for_every_key_and_gephis_kind_on_every_edge():
    root = ET.fromstring(write_graphml(_graph_dataset()))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {
        (k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iterfind("g:key", ns)
    }
    assert keys[("node", "leeftijd")] == "double"
    assert keys[("node", "actief")] == "boolean"
    assert keys[("edge", "weight")] == "double"
    assert keys[("edge", "reverse")] == "boolean"
    assert keys[("edge", "since")] == "string"
    assert None not in keys.values()
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    edges = [(e.get("id"), e.get("label")) for e in graph.iterfind("g:edge", ns)]
    # Gephi keeps one edge per (source, target, kind): the second funds tie gets its own kind.
    assert edges == [
        ("t1", "knows"),
        ("t1r", "knows"),
        ("t2", "funds"),
        ("t3", "funds 2025-01-01"),
    ]


def test_graphml_writes_integers_beyond_64_bits_as_text():
    ds = Dataset([Actor("a", "resident", "A", ("u",), {"groot": 2**70, "klein": 5})])
    G = nx.read_graphml(io.BytesIO(write_graphml(ds)))
    assert (G.nodes["a"]["groot"], G.nodes["a"]["klein"]) == ("1180591620717411303424", 5)


def test_gexf_is_version_1_3_with_one_edge_per_tie_and_inclusive_intervals():
    ds = _graph_dataset()
    root = ET.fromstring(write_gexf(ds))
    ns = {"x": "http://gexf.net/1.3"}
    assert root.get("version") == "1.3"
    graph = root.find("x:graph", ns)
    assert graph.get("timeformat") == "date" and graph.get("mode") == "dynamic"
    # No defaultedgetype: Gephi drops the edges that differ from it.
    assert graph.get("defaultedgetype") is None
    declared = {
        (group.get("class"), a.get("title"), a.get("type"))
        for group in graph.iterfind("x:attributes", ns)
        for a in group.iterfind("x:attribute", ns)
    }
    assert ("node", "leeftijd", "double") in declared
    assert ("node", "actief", "boolean") in declared
    assert ("edge", "tie_type", "string") in declared
    nodes = {
        n.get("id"): (
            n.get("label"),
            {v.get("for"): v.get("value") for v in n.iter(f"{{{ns['x']}}}attvalue")},
        )
        for n in graph.iterfind("x:nodes/x:node", ns)
    }
    assert nodes["a1"] == (
        "Ünal",
        {
            "actief": "true",
            "kind": "resident",
            "leeftijd": "34.0",
            "name": "Ünal",
            "proeftuinen": "utrecht",
        },
    )
    edges = [
        (
            dict(e.attrib),
            {v.get("for"): v.get("value") for v in e.iter(f"{{{ns['x']}}}attvalue")},
        )
        for e in graph.iterfind("x:edges/x:edge", ns)
    ]
    common = {"source": "a2", "target": "a3", "type": "directed", "label": "funds"}
    assert edges == [
        (
            {
                "id": "t1",
                "source": "a1",
                "target": "a2",
                "type": "undirected",
                "kind": "knows",
                "label": "knows",
                "weight": "1.5",
                "start": "2024-03-01",
            },
            {
                "provenance": "survey",
                "since": "2024-03-01",
                "tie_type": "knows",
                "toelichting": "x",
            },
        ),
        (
            # until 2024-12-31 is the first day without the tie; the inclusive end: the day before
            {
                **common,
                "id": "t2",
                "kind": "funds",
                "weight": "2.0",
                "start": "2024-01-01",
                "end": "2024-12-30",
            },
            {"since": "2024-01-01", "tie_type": "funds", "until": "2024-12-31"},
        ),
        (
            {
                **common,
                "id": "t3",
                "kind": "funds 2025-01-01",
                "weight": "1.0",
                "start": "2025-01-01",
            },
            {"since": "2025-01-01", "tie_type": "funds"},
        ),
    ]


def test_gexf_leaves_out_a_tie_that_holds_on_no_day():
    actors = [Actor("a", "resident", "A", ("u",)), Actor("b", "initiative", "B", ("u",))]
    ds = Dataset(
        actors,
        [
            Tie("a", "b", "contacts", D(2024, 1, 1), D(2024, 1, 1)),  # until = since
            Tie("a", "b", "contacts", D(2024, 2, 1), D(2024, 2, 2)),  # one day
        ],
    )
    root = ET.fromstring(write_gexf(ds))
    edges = [dict(e.attrib) for e in root.iter("{http://gexf.net/1.3}edge")]
    assert [(e["id"], e["start"], e["end"]) for e in edges] == [("t2", "2024-02-01", "2024-02-01")]
    G = nx.read_graphml(io.BytesIO(write_graphml(ds)), force_multigraph=True)
    assert G.number_of_edges() == 2  # GraphML keeps both


def test_tie_kinds_are_the_type_made_unique_per_pair():
    ties = [
        Tie("a", "b", "knows", D(2020, 1, 1)),
        Tie("a", "b", "contacts", D(2020, 1, 1)),
        Tie("b", "a", "contacts", D(2020, 1, 1)),  # the other direction: its own edge
        Tie("a", "b", "knows", D(2022, 5, 1)),
        Tie("a", "b", "contacts", D(2023, 1, 1)),
    ]
    assert tie_kinds(ties) == [
        "knows",
        "contacts",
        "contacts",
        "knows 2022-05-01",
        "contacts 2023-01-01",
    ]


def test_graph_exports_coerce_mixed_types_and_rename_clashing_attributes():
    ds = Dataset(
        actors=[
            Actor("a", "resident", "A", ("u",), {"x": 1, "label": "eigen", "id": "zelf"}),
            Actor("b", "resident", "B", ("u",), {"x": "hoog"}),
            Actor("c", "resident", "C", ("u",), {"x": True}),
        ]
    )
    G = nx.read_graphml(io.BytesIO(write_graphml(ds)))
    assert [G.nodes[n]["x"] for n in "abc"] == ["1", "hoog", "True"]
    assert G.nodes["a"]["attr_label"] == "eigen" and G.nodes["a"]["label"] == "A"
    assert G.nodes["a"]["id"] == "zelf"
    H = nx.read_gexf(io.BytesIO(write_gexf(ds)))  # networkx reads a GEXF without edges
    assert sorted(H.nodes) == ["a", "b", "c"]  # "id" did not replace the node id
    assert H.nodes["a"]["attr_id"] == "zelf" and H.nodes["a"]["attr_label"] == "eigen"
    assert [H.nodes[n]["x"] for n in "abc"] == ["1", "hoog", "True"]


def test_graph_export_of_one_proeftuin():
    ds = _graph_dataset()
    G = nx.read_graphml(io.BytesIO(write_graphml(ds, proeftuin="zwolle")), force_multigraph=True)
    assert sorted(G.nodes) == ["a2", "a3"]
    assert sorted(G.edges(keys=True)) == [("a2", "a3", "t1"), ("a2", "a3", "t2")]
    assert G.graph["proeftuin"] == "zwolle"


# --------------------------------------------------------------------------- never an exception


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_actors_csv_parse_or_give_located_problems(data):
    r = parse_tables({"actors": ("actors.csv", data)}, default_proeftuin="utrecht")
    _check_outcome(r)


_cell = st.one_of(
    st.text(alphabet="ab1 ,;\"'=-|\t\r\nÜ\x00", max_size=8),
    st.sampled_from(["bewoner", "kent", "2024-01-01", "31-12-2023", "1,5", "0", "utrecht", ""]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=6), max_size=6), st.sampled_from([",", ";"]))
def test_any_rows_under_a_valid_header_parse_or_give_located_problems(rows, delimiter):
    def line(cells):
        return delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)

    actors = "\r\n".join(
        [line(["key", "kind", "name", "proeftuin", "extra"])] + [line(r) for r in rows]
    )
    ties = "\r\n".join(
        [line(["source", "target", "type", "since", "until", "weight"])] + [line(r) for r in rows]
    )
    r = parse_tables(
        {"actors": ("actors.csv", actors.encode()), "ties": ("ties.csv", ties.encode())}
    )
    _check_outcome(r)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_as_json_or_xlsx_never_raise(data):
    _check_outcome(parse_json("x.json", data))
    _check_outcome(parse_xlsx("x.xlsx", data))
    _check_outcome(parse_upload({"x.bin": data}))


def _check_outcome(r) -> None:
    if r.ok:
        assert isinstance(r.dataset, Dataset) and r.problems == []
        return
    assert r.dataset is None and r.problems
    for p in r.problems:
        # a row, or a problem with the file as a whole (no row, no column)
        assert p.row is not None or p.column is None
        assert p.message_nl and p.message_en and p.code in CODES
