"""Imports stop at their limits (rows, unpacked size, time, line length, problems listed)
with the problem that names the limit, and a file mixing encodings is a problem of the row.

Small limits make each case quick; bench/bench_hostile_imports.py measures the full-size
hostile files against the default limits.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl

from graphsvc.transfer.fileformats import Limits, parse_tables, parse_upload, problems_as_json

HEADER = b"key,kind,name,proeftuin\r\n"


def located(result) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in result.problems]


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def actor_rows(n: int, start: int = 1) -> bytes:
    return b"".join(b"a%d,resident,Naam %d,utrecht\r\n" % (i, i) for i in range(start, start + n))


# -- rows ------------------------------------------------------------------------------------


def test_a_file_of_newlines_stops_at_the_blank_row_limit():
    for data in (b"\n" * 50_000, HEADER + b"\n" * 50_000 + actor_rows(1)):
        r = parse_upload([("actors.csv", data)], limits=Limits(max_rows=1000))
        assert located(r) == [("actors.csv", None, None, "too_many_blank_rows")]
        (p,) = r.problems
        assert p.message_en == (
            "actors.csv: more than 1000 empty rows; remove the empty rows or split the file"
        )
        assert p.message_nl.startswith("actors.csv: meer dan 1000 lege rijen")


def test_rows_of_only_separators_count_as_blank_rows_too():
    data = HEADER + b",,,\r\n" * 3000
    r = parse_tables({"actors": ("actors.csv", data)}, limits=Limits(max_rows=2000))
    assert located(r) == [("actors.csv", None, None, "too_many_blank_rows")]


def test_too_many_data_rows_stop_the_table():
    r = parse_tables({"actors": ("actors.csv", HEADER + actor_rows(5000))}, max_rows=1000)
    assert located(r) == [("actors.csv", None, None, "too_many_rows")]
    assert "more than 1000 data rows" in r.problems[0].message_en


def test_a_line_longer_than_the_limit_is_refused_with_its_row():
    data = HEADER + actor_rows(2) + b"a9,resident," + b"x" * 5000 + b",utrecht\r\n"
    r = parse_tables({"actors": ("actors.csv", data)}, limits=Limits(max_line=4096))
    assert located(r) == [("actors.csv", 4, None, "row_too_long")]
    assert r.problems[0].message_en.startswith("actors.csv, row 4: the row is longer than 4096")


# -- unpacked size ---------------------------------------------------------------------------


def test_a_zip_bomb_stops_at_the_real_unpacked_size():
    bomb = zipped({"actors.csv": HEADER + b"\n" * (8 << 20)})
    assert len(bomb) < 64 << 10  # 8 MiB of newlines pack into a few KiB
    r = parse_upload([("bomb.zip", bomb)], limits=Limits(max_unpacked=1 << 20))
    assert located(r) == [("bomb.zip", None, None, "too_large_unpacked")]
    assert r.problems[0].message_en == (
        "bomb.zip: larger than 1 MB when unpacked (stopped at bomb.zip/actors.csv); "
        "send the files unpacked or in smaller parts"
    )


def test_members_that_are_each_small_count_together():
    part = HEADER + actor_rows(8000)  # about 0.27 MiB each
    members = {f"t{i}/actors-{i}.csv": part for i in range(6)}
    r = parse_upload([("parts.zip", zipped(members))], limits=Limits(max_unpacked=1 << 20))
    assert [p.code for p in r.problems] == ["too_large_unpacked"]
    over = next(i for i in range(6) if (i + 1) * len(part) > 1 << 20)
    assert over == 3
    assert f"stopped at parts.zip/t{over}/actors-{over}.csv" in r.problems[0].message_en


def test_a_zip_inside_the_zip_is_not_opened():
    inner = zipped({"actors.csv": HEADER + b"\n" * (4 << 20)})
    r = parse_upload([("nested.zip", zipped({"inner.zip": inner}))])
    assert located(r) == [("nested.zip", None, None, "unsupported_format")]
    assert "zip without .csv files" in r.problems[0].message_en


def test_a_zip_of_very_many_entries_is_refused_before_it_is_listed():
    many = zipped({f"x{i}.txt": b"" for i in range(300)})
    r = parse_upload([("many.zip", many)], limits=Limits(max_zip_members=100))
    assert located(r) == [("many.zip", None, None, "unsupported_format")]
    assert "more than 100 entries" in r.problems[0].message_en


def test_a_workbook_that_unpacks_beyond_the_limit_is_not_opened():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["key", "kind", "name", "proeftuin"])
    for i in range(3000):
        ws.append([f"a{i}", "resident", "n" * 100, "utrecht"])
    wb.create_sheet("ties").append(["source", "target", "type", "since"])
    out = io.BytesIO()
    wb.save(out)
    r = parse_upload([("big.xlsx", out.getvalue())], limits=Limits(max_unpacked=100 << 10))
    assert located(r) == [("big.xlsx", None, None, "too_large_unpacked")]


# -- time --------------------------------------------------------------------------------------


def test_reading_stops_when_the_time_is_up():
    # A budget that is over before reading starts: the clock is looked at every 1024 rows.
    r = parse_tables(
        {"actors": ("actors.csv", HEADER + actor_rows(3000))}, limits=Limits(seconds=1e-9)
    )
    assert located(r) == [("actors.csv", 1024, None, "time_limit")]
    assert r.problems[0].message_en == (
        "actors.csv, row 1024: reading took longer than 1e-09 seconds and stopped here; "
        "split the file into smaller parts"
    )
    doc = {"actors": [{"key": f"a{i}", "kind": "resident", "name": "N"} for i in range(2000)]}
    r = parse_upload(
        [("all.json", json.dumps(doc).encode())],
        default_proeftuin="utrecht",
        limits=Limits(seconds=1e-9),
    )
    assert located(r) == [("all.json", 1024, None, "time_limit")]


# -- problems listed -------------------------------------------------------------------------


def test_the_problem_list_is_capped_and_counts_them_all():
    bad = b"".join(b"a%d,burger,%s,utrecht\r\n" % (i, b"N" * 100_000) for i in range(3000))
    r = parse_tables(
        {"actors": ("actors.csv", HEADER + bad)}, limits=Limits(max_problems=1000, max_rows=5000)
    )
    assert len(r.problems) == 1000
    assert r.problems_total == 3000
    assert {p.code for p in r.problems} == {"unknown_kind"}
    body = json.dumps(problems_as_json(r.problems, "en"))
    assert len(body) < 1_000_000  # about 300 bytes a problem


def test_long_values_and_names_are_shortened_in_problems():
    name = "n" * 100_000
    data = ("key,kind," + name + ",name,proeftuin\r\na1,burger,x,y,utrecht\r\n").encode()
    r = parse_tables({"actors": ("actors.csv", data)})
    assert [p.code for p in r.problems] == ["bad_attribute_name", "unknown_kind"]
    for p in r.problems:
        assert len(p.message_en) < 600 and len(p.value or "") <= 200


# -- encodings -------------------------------------------------------------------------------


def test_a_windows_1252_row_in_a_utf8_file_is_a_problem_of_that_row():
    data = (
        HEADER
        + "a1,resident,Zoë,utrecht\r\n".encode()
        + "a2,resident,Renée,utrecht\r\n".encode("cp1252")
        + b"a3,resident,Piet,utrecht\r\n"
    )
    r = parse_tables({"actors": ("actors.csv", data)})
    assert located(r) == [("actors.csv", 3, None, "mixed_encoding")]
    assert r.problems[0].message_en == (
        "actors.csv, row 3: this row is not valid UTF-8 but Windows-1252, but earlier rows "
        "are UTF-8; the file mixes encodings: save it again as 'CSV UTF-8'"
    )
    assert r.notices == []


def test_a_utf8_row_in_a_windows_1252_file_is_a_problem_of_that_row():
    data = (
        HEADER
        + "a1,resident,Renée,utrecht\r\n".encode("cp1252")
        + b"a2,resident,Piet,utrecht\r\n"
        + "a3,resident,Zoë,utrecht\r\n".encode()
    )
    r = parse_tables({"actors": ("actors.csv", data)})
    assert located(r) == [("actors.csv", 4, None, "mixed_encoding")]
    assert "this row is UTF-8, but earlier rows are Windows-1252" in r.problems[0].message_en
    assert [n.code for n in r.notices] == ["decoded_cp1252"]


def test_a_whole_windows_1252_file_is_still_read_with_a_notice():
    data = HEADER + "a1,resident,Renée € 5,utrecht\r\n".encode("cp1252")
    r = parse_tables({"actors": ("actors.csv", data)})
    assert r.ok, r.problems
    assert r.dataset.actors[0].name == "Renée € 5"
    assert [n.code for n in r.notices] == ["decoded_cp1252"]


def test_rows_split_across_read_chunks_keep_their_numbers():
    # Rows of 100 bytes, so that chunk edges (64 KiB) fall inside rows and between \r and \n.
    rows = b"".join(b"a%05d,resident,%s,utrecht\r\n" % (i, b"x" * 71) for i in range(3000))
    data = HEADER + rows + b"a99999,burger,x,utrecht\r\n"
    r = parse_tables({"actors": ("actors.csv", data)})
    assert located(r) == [("actors.csv", 3002, "kind", "unknown_kind")]
