"""Imports and exports through the API and the command line, on a real Neo4j.

Round trips are exact (JSON byte for byte), a rejected import lists every
problem with its row and leaves the store as it was, GraphML read back in
networkx holds the same network as the store (Gephi and igraph read the graph
exports in test_outside_readers.py).
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from graphsvc.cli.data import export_command, import_command
from graphsvc.transfer.seeding import load_seeds
from graphsvc.vocabulary import TIE_TYPES

FILES = Path(__file__).resolve().parents[1] / "unit" / "files"
PROBLEM = "application/problem+json"


def _unit_cases() -> list[tuple]:
    """PROBLEM_CASES of the unit tests: one source for what each fixture file is wrong in."""
    spec = importlib.util.spec_from_file_location(
        "fileformats_cases", FILES.parent / "test_fileformats.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PROBLEM_CASES


# The API passes no max_rows: cases that need parser options stay in the unit tests.
CASES = [(case, expected) for case, options, expected in _unit_cases() if not options]


@pytest.fixture
def call(client, keys):
    def do(method: str, url: str, role: str = "editor", **kwargs):
        headers = {
            "Authorization": f"Bearer {keys[role]}",
            "Accept-Language": "en",
            **kwargs.pop("headers", {}),
        }
        return client.open(url, method=method, headers=headers, **kwargs)

    return do


def _tables(folder: Path) -> dict:
    """The CSV files of a fixture folder as multipart table fields (actors=..., ties=...)."""
    return {f.stem: (io.BytesIO(f.read_bytes()), f.name) for f in sorted(folder.glob("*.csv"))}


def _state(repo) -> tuple:
    return repo.count_all(), repo.proeftuinen.list_versions()


def _located(body: dict) -> list[tuple]:
    return [(e["file"], e["row"], e["column"], e["code"]) for e in body["errors"]]


@pytest.fixture
def utrecht(repo):
    """Proeftuin utrecht with one actor, so 'unchanged' means more than an empty store."""
    repo.proeftuinen.create("utrecht", "Utrecht", "Utrecht")
    repo.proeftuinen.create("zwolle", "Zwolle", "Zwolle")
    from graphsvc.dataset import Actor

    repo.actors.create("zwolle", Actor("z9", "official", "Ingrid", ("zwolle",)))
    return "utrecht"


# -- round trips -------------------------------------------------------------------------------


def test_json_export_of_everything_round_trips_byte_for_byte(call, repo, runner, tmp_path):
    list(load_seeds(repo))
    first = call("GET", "/api/v1/exports?format=json", "analyst")
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.headers["Content-Disposition"] == "attachment; filename=graphsvc-all.json"
    data = first.data
    assert data.count(b'"fictional": true') == 8  # the proeftuinen travel with the data
    counts = repo.count_all()

    # API: wipe, import the file (it recreates the proeftuinen), export again.
    repo.delete_network()
    empty = _state(repo)
    dry = call(
        "POST", "/api/v1/imports?dry_run=true", data={"file": (io.BytesIO(data), "alles.json")}
    )
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["created"]["proeftuinen"] == 8 and dry.get_json()["dry_run"] is True
    assert dry.get_json()["created"]["ties"] == dry.get_json()["rows"]["ties"] > 500
    assert _state(repo) == empty  # the dry run's transaction was rolled back
    done = call("POST", "/api/v1/imports", data={"file": (io.BytesIO(data), "alles.json")})
    assert done.status_code == 200, done.get_json()
    report = done.get_json()
    assert report["created"]["proeftuinen"] == 8 and report["updated"]["actors"] == 0
    assert report["created"]["actors"] == report["rows"]["actors"] > 200
    assert repo.count_all() == counts
    assert call("GET", "/api/v1/exports?format=json", "analyst").data == data

    # Command line: the same file, wiped store, import --all, export --all.
    path = tmp_path / "alles.json"
    path.write_bytes(data)
    repo.delete_network()
    result = runner.invoke(import_command, ["--all", str(path)])
    assert result.exit_code == 0, result.output
    assert "Import klaar / import done" in result.output
    out = tmp_path / "again.json"
    result = runner.invoke(export_command, ["--all", "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == data

    # Importing it again changes nothing: no version moves.
    versions = repo.proeftuinen.list_versions()
    again = call("POST", "/api/v1/imports", data={"file": (io.BytesIO(data), "alles.json")})
    assert again.get_json()["changed"] is False and again.get_json()["versions"] == {}
    assert repo.proeftuinen.list_versions() == versions


def test_csv_zip_and_xlsx_exports_import_back_unchanged(call, repo):
    list(load_seeds(repo))
    for fmt, media, name in (
        ("csv", "application/zip", "graphsvc-zandwijk.zip"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "graphsvc-zandwijk.xlsx",
        ),
    ):
        resp = call("GET", f"/api/v1/proeftuinen/zandwijk/exports?format={fmt}", "analyst")
        assert resp.status_code == 200 and resp.mimetype == media
        assert resp.headers["Content-Disposition"] == f"attachment; filename={name}"
        before = _state(repo)
        dry = call(
            "POST",
            "/api/v1/proeftuinen/zandwijk/imports?dry_run=true",
            data={"file": (io.BytesIO(resp.data), name)},
        )
        assert dry.status_code == 200, dry.get_json()
        report = dry.get_json()
        assert report["dry_run"] is True and report["changed"] is False, (fmt, report)
        assert report["unchanged"]["actors"] == report["rows"]["actors"] > 25
        assert report["unchanged"]["ties"] == report["rows"]["ties"] > 0
        assert _state(repo) == before
    archive = zipfile.ZipFile(
        io.BytesIO(
            call(
                "GET", "/api/v1/proeftuinen/zandwijk/exports?format=csv&delimiter=;", "analyst"
            ).data
        )
    )
    assert archive.namelist() == ["actors.csv", "ties.csv", "meetings.csv", "attendance.csv"]
    assert archive.read("actors.csv").startswith("\ufeffkey;kind;name;proeftuin".encode())
    workbook = load_workbook(
        io.BytesIO(call("GET", "/api/v1/proeftuinen/zandwijk/exports?format=xlsx", "analyst").data)
    )
    assert workbook.sheetnames == ["actors", "ties", "meetings", "attendance"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_are_served_as_files(call, repo, fmt):
    list(load_seeds(repo))
    resp = call("GET", f"/api/v1/proeftuinen/lindehoven/exports?format={fmt}", "analyst")
    assert resp.status_code == 200
    assert (
        resp.mimetype == {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}[fmt]
    )
    assert resp.headers["Content-Disposition"] == (
        f"attachment; filename=graphsvc-lindehoven.{fmt}"
    )
    # Gephi's reading of both, and igraph's of GraphML: tests/integration/test_outside_readers.py
    if fmt == "gexf":
        assert b'version="1.3"' in resp.data and b'timeformat="date"' in resp.data
        return
    G = nx.read_graphml(io.BytesIO(resp.data))
    rows = repo.network.get(["lindehoven"])

    assert set(G.nodes) == {a.key for a in rows.actors}
    for actor in rows.actors:
        node = G.nodes[actor.key]
        assert (node["kind"], node["label"]) == (actor.kind, actor.name)
        assert node["proeftuinen"] == "|".join(actor.proeftuinen)
        for name, value in actor.attributes.items():
            assert node[name] == value, (actor.key, name)
    # One arc per directed tie, two (there and back) per symmetric tie.
    edges = sorted(
        (u, v, d["type"], d["since"], float(d["weight"]), d.get("until"))
        for u, v, d in G.edges(data=True)
    )
    expected = sorted(
        (s, t, tie.type, tie.since.isoformat(), tie.weight, tie.until and tie.until.isoformat())
        for tie in rows.ties
        for s, t in (
            [(tie.source, tie.target)]
            + ([(tie.target, tie.source)] if not TIE_TYPES[tie.type].directed else [])
        )
    )
    assert edges == expected and len(expected) > 50


# -- rejected imports --------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_malformed_file_is_refused_with_its_rows_and_changes_nothing(
    call, repo, utrecht, case, expected
):
    before = _state(repo)
    resp = call("POST", "/api/v1/imports", data=_tables(FILES / "problems" / case))
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    body = resp.get_json()
    assert _located(body) == expected
    assert body["title"] == "Unprocessable Content"
    assert f"{len(expected)} problem" in body["detail"]
    for error in body["errors"]:
        assert error["message"] == error["message_en"]
        if error["row"] is not None:
            assert f"row {error['row']}" in error["message_en"]
            assert f"rij {error['row']}" in error["message_nl"]
    assert _state(repo) == before


def test_several_problems_are_all_listed_for_a_proeftuin_import(call, repo, utrecht):
    before = _state(repo)
    resp = call(
        "POST",
        "/api/v1/proeftuinen/utrecht/imports?lang=nl",
        data=_tables(FILES / "several_problems"),
    )
    body = resp.get_json()
    assert resp.status_code == 422
    # Into utrecht, the row without a proeftuin (actors.csv row 7) belongs to it: no problem.
    expected = [
        ("actors.csv", 3, "kind", "unknown_kind"),
        ("actors.csv", 4, "key", "missing_value"),
        ("actors.csv", 5, "key", "duplicate_actor"),
        ("actors.csv", 6, "name", "missing_value"),
        ("actors.csv", 6, "proeftuin", "bad_proeftuin"),
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
    assert _located(body) == expected
    assert body["detail"].startswith("De import is geweigerd: 17 problemen")
    assert body["errors"][0]["message"].startswith("actors.csv, rij 3, kolom 'kind'")
    assert _state(repo) == before


def test_key_clash_with_another_proeftuin_names_the_row(call, repo, utrecht):
    from graphsvc.dataset import Actor

    repo.actors.create("zwolle", Actor("a2", "official", "Bert", ("zwolle",)))
    before = _state(repo)
    actors = b"key,kind,name\r\na1,resident,Anna\r\na2,resident,Bert\r\n"
    resp = call(
        "POST",
        "/api/v1/proeftuinen/utrecht/imports",
        data={"actors": (io.BytesIO(actors), "actors.csv")},
    )
    body = resp.get_json()
    assert resp.status_code == 422
    assert _located(body) == [("actors.csv", 3, "kind", "key_clash")]
    assert "official" in body["errors"][0]["message_en"]
    assert _state(repo) == before
    # The same actor (same kind and name) joins utrecht instead.
    same = b"key,kind,name\r\na1,resident,Anna\r\na2,official,Bert\r\n"
    resp = call(
        "POST",
        "/api/v1/proeftuinen/utrecht/imports",
        data={"actors": (io.BytesIO(same), "actors.csv")},
    )
    assert resp.status_code == 200
    assert resp.get_json()["created"]["actors"] == 1 and resp.get_json()["updated"]["actors"] == 1
    assert repo.actors.get("utrecht", "a2").proeftuinen == ("utrecht", "zwolle")


def test_unknown_proeftuin_in_rows_is_refused_with_the_actors_using_it(call, repo, utrecht):
    before = _state(repo)
    actors = b"key,kind,name,proeftuin\r\nx1,resident,Xandra,nergens\r\nx2,resident,Yuri,\r\n"
    resp = call(
        "POST",
        "/api/v1/proeftuinen/utrecht/imports",
        data={"actors": (io.BytesIO(actors), "actors.csv")},
    )
    body = resp.get_json()
    assert resp.status_code == 422
    assert [(e["file"], e["column"], e["code"], e["value"]) for e in body["errors"]] == [
        ("actors.csv", "proeftuin", "unknown_proeftuin", "nergens")
    ]
    assert "actor x1" in body["errors"][0]["message_en"]
    assert _state(repo) == before
    assert (
        call(
            "POST",
            "/api/v1/proeftuinen/nergens/imports",
            data={"actors": (io.BytesIO(actors), "actors.csv")},
        ).status_code
        == 404
    )
    none = call("POST", "/api/v1/proeftuinen/utrecht/imports", data={})
    assert none.status_code == 422 and none.get_json()["field"] == "file"


def test_command_line_import_lists_every_problem_and_exits_non_zero(repo, runner, utrecht):
    before = _state(repo)
    folder = FILES / "several_problems"
    result = runner.invoke(
        import_command, ["--proeftuin", "utrecht", *map(str, sorted(folder.glob("*.csv")))]
    )
    assert result.exit_code == 1
    assert "17 problemen" in result.output and "17 problems" in result.output
    assert "actors.csv, rij 3, kolom 'kind'" in result.output
    assert "ties.csv, row 8, column 'weight'" in result.output
    assert _state(repo) == before
    usage = runner.invoke(import_command, [str(folder / "actors.csv")])
    assert usage.exit_code == 2 and "--proeftuin KEY or --all" in usage.output


# -- good imports --------------------------------------------------------------------------------


def test_semicolon_csv_with_bom_imports_names_exactly(call, repo, utrecht):
    repo.proeftuinen.create("deventer", "Deventer", "Deventer")
    folder = FILES / "good" / "semicolon_bom"
    before = _state(repo)
    dry = call("POST", "/api/v1/proeftuinen/utrecht/imports?dry_run=true", data=_tables(folder))
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["dry_run"] is True
    assert dry.get_json()["created"] == {"actors": 6, "ties": 6, "meetings": 2, "attendance": 5}
    assert dry.get_json()["versions"] == {}
    assert _state(repo) == before

    done = call("POST", "/api/v1/proeftuinen/utrecht/imports", data=_tables(folder))
    report = done.get_json()
    assert done.status_code == 200 and report["changed"] is True
    assert report["created"] == {"actors": 6, "ties": 6, "meetings": 2, "attendance": 5}
    assert report["files"] == ["actors.csv", "ties.csv", "meetings.csv", "attendance.csv"]
    assert set(report["versions"]) == {"utrecht", "zwolle", "deventer"}

    got = call("GET", "/api/v1/proeftuinen/utrecht/actors", "analyst").get_json()
    assert [(a["key"], a["kind"], a["name"]) for a in got["items"]] == [
        ("a1", "resident", "Ünal"),
        ("a2", "resident", "Çelik"),
        ("a3", "initiative", "José"),
        ("a4", "official", "Anne-Marie 't Hart"),
        ("f1", "funder", "Fonds Leefbaarheid"),
    ]
    assert got["items"][3]["attributes"] == {"Rol": "beleid; wonen"}
    zwolle = call("GET", "/api/v1/proeftuinen/zwolle/actors", "analyst").get_json()
    assert {a["key"]: a["name"] for a in zwolle["items"]}["o1"] == 'Buurtwerk "De Brug"'
    ties = call("GET", "/api/v1/proeftuinen/utrecht/ties?type=collaborates", "analyst").get_json()[
        "items"
    ]
    assert ties == [
        {
            "source": "a1",
            "target": "a2",
            "type": "collaborates",
            "since": "2024-03-01",
            "until": "2024-12-31",
            "weight": 1.5,
            "provenance": "interview",
            "attributes": {"Toelichting": "samen in het bestuur"},
        }
    ]

    again = call("POST", "/api/v1/proeftuinen/utrecht/imports", data=_tables(folder))
    assert again.get_json()["changed"] is False
    assert again.get_json()["unchanged"] == {"actors": 6, "ties": 6, "meetings": 2, "attendance": 5}


def test_too_large_an_upload_is_a_bilingual_413(test_settings, repo, keys, utrecht):
    from graphsvc.web.app import create_app

    small = create_app({**test_settings, "MAX_UPLOAD_MB": 1}).test_client()
    before = _state(repo)
    big = b"key,kind,name\r\n" + b"".join(
        b"k%07d,resident,Naam %07d\r\n" % (i, i) for i in range(50_000)
    )
    assert len(big) > 1024 * 1024
    resp = small.post(
        "/api/v1/proeftuinen/utrecht/imports",
        headers={"Authorization": f"Bearer {keys['editor']}"},
        data={"actors": (io.BytesIO(big), "actors.csv")},
    )
    assert resp.status_code == 413 and resp.mimetype == PROBLEM
    body = resp.get_json()
    assert "1 MB" in body["detail_nl"] and "te groot" in body["detail_nl"]
    assert "1 MB" in body["detail_en"] and "too large" in body["detail_en"]
    assert body["max_upload_mb"] == 1
    assert _state(repo) == before


def test_export_cli_writes_what_the_api_serves(call, repo, runner, tmp_path):
    list(load_seeds(repo))
    api = call("GET", "/api/v1/proeftuinen/kerkdorp/exports?format=json", "analyst").data
    out = tmp_path / "kerkdorp.json"
    result = runner.invoke(export_command, ["--proeftuin", "kerkdorp", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == api
    missing = runner.invoke(export_command, ["--proeftuin", "nergens", "--output", str(out)])
    assert missing.exit_code == 1 and "does not exist" in missing.output


# -- limits ------------------------------------------------------------------------------------


def test_a_huge_list_of_problems_answers_a_small_body(call, repo, utrecht, app):
    """5,000 wrong rows with 2 KiB values: the first IMPORT_MAX_PROBLEMS problems are
    listed, all are counted, and the body stays small; nothing is written."""
    app.config["IMPORT_MAX_PROBLEMS"] = 100
    before = _state(repo)
    rows = "".join(f"a{i},burger,{'N' * 2048},utrecht\n" for i in range(5000))
    resp = call(
        "POST",
        "/api/v1/imports",
        data={"actors": (io.BytesIO(("key,kind,name,proeftuin\n" + rows).encode()), "a.csv")},
    )
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    body = resp.get_json()
    assert len(body["errors"]) == 100 and body["errors_total"] == 5000
    assert {e["code"] for e in body["errors"]} == {"unknown_kind"}
    assert "5000 problems" in body["detail"] and "The first 100 are listed" in body["detail"]
    assert len(resp.data) < 100_000
    assert _state(repo) == before


def test_a_zip_bomb_is_refused_by_its_unpacked_size(call, repo, utrecht, app):
    app.config["IMPORT_MAX_UNPACKED_MB"] = 1
    before = _state(repo)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actors.csv", b"key,kind,name,proeftuin\n" + b"\n" * (16 << 20))
    resp = call("POST", "/api/v1/imports", data={"file": (io.BytesIO(out.getvalue()), "bomb.zip")})
    assert resp.status_code == 422
    assert _located(resp.get_json()) == [("bomb.zip", None, None, "too_large_unpacked")]
    assert _state(repo) == before
