"""From numbers to decisions on a real Neo4j: signals by name, introductions, meeting effects,
phases, change, charts and CSV; names for analysts, pseudonyms (and no resident keys) for
viewers on every new route and page."""

from __future__ import annotations

import re

import pytest

from graphsvc.transfer.seeding import load_seeds, seed_dataset

SITES = ("zandwijk", "lindehoven")
RESIDENT_KEY = re.compile(r"\b(?:zandwijk|lindehoven)-r\d{3}\b")


@pytest.fixture
def seeded(repo) -> dict[str, str]:
    """Two demo proeftuinen loaded; {resident key: name}."""
    assert len(list(load_seeds(repo, SITES))) == len(SITES)
    return {
        a.key: a.name for key in SITES for a in seed_dataset(key).actors if a.kind == "resident"
    }


def auth(keys, role):
    return {"Authorization": f"Bearer {keys[role]}"}


AT = "2025-06-30"
ROUTES = [
    f"/api/v1/proeftuinen/{{k}}/signals?at={AT}",
    f"/api/v1/proeftuinen/{{k}}/introductions?at={AT}&limit=20",
    f"/api/v1/proeftuinen/{{k}}/introductions?at={AT}&limit=20&format=csv",
    "/api/v1/proeftuinen/{k}/meeting-effects?window=90",
    "/api/v1/proeftuinen/{k}/meeting-effects?format=csv",
    "/api/v1/proeftuinen/{k}/phases",
    f"/api/v1/proeftuinen/{{k}}/changes?from=2022-12-31&to={AT}",
    f"/proeftuinen/{{k}}?at={AT}",
    f"/proeftuinen/{{k}}?at={AT}&lang=en",
    f"/proeftuinen/{{k}}/introductions?at={AT}",
    f"/proeftuinen/{{k}}/introductions?at={AT}&format=csv",
    "/proeftuinen/{k}/meetings-built",
    "/proeftuinen/{k}/meetings-built?lang=en&format=csv",
    f"/proeftuinen/{{k}}/changes?from=2022-12-31&to={AT}",
    f"/proeftuinen/{{k}}/changes?from=2022-12-31&to={AT}&format=csv",
    f"/compare?proeftuinen=zandwijk,lindehoven&at={AT}",
]


def _names_in(text: str, residents: dict[str, str]) -> list[str]:
    return sorted({n for n in residents.values() if n in text})


def test_viewers_see_no_resident_name_or_key_on_any_new_route(client, keys, seeded):
    for key in SITES:
        for route in ROUTES:
            url = route.format(k=key)
            resp = client.get(url, headers=auth(keys, "viewer"))
            assert resp.status_code == 200, (url, resp.get_data(as_text=True)[:300])
            text = resp.get_data(as_text=True)
            assert _names_in(text, seeded) == [], url
            assert RESIDENT_KEY.findall(text) == [], url
    # ... while the pseudonyms are there.
    intro = client.get(
        f"/api/v1/proeftuinen/lindehoven/introductions?at={AT}&limit=20",
        headers=auth(keys, "viewer"),
    ).get_json()
    residents = [
        side
        for i in intro["introductions"]
        for side in (i["a"], i["b"])
        if side["kind"] == "resident"
    ]
    assert residents and all(r["key"] is None for r in residents)
    assert all(re.fullmatch(r"Bewoner \d+", r["name_nl"]) for r in residents)
    assert all(re.fullmatch(r"Resident \d+", r["name_en"]) for r in residents)


def test_analysts_see_names_on_the_new_routes(client, keys, seeded):
    h = auth(keys, "analyst")
    intro = client.get(f"/api/v1/proeftuinen/lindehoven/introductions?at={AT}&limit=20", headers=h)
    assert _names_in(intro.get_data(as_text=True), seeded)
    page = client.get(f"/proeftuinen/lindehoven/introductions?at={AT}", headers=h)
    assert _names_in(page.get_data(as_text=True), seeded)
    effects = client.get("/api/v1/proeftuinen/lindehoven/meeting-effects", headers=h).get_json()
    new_ties = [t for m in effects["meetings"] for t in m["new_ties"]]
    assert new_ties and sum(m["new_ties_count"] for m in effects["meetings"]) == len(new_ties)
    assert any(t["a"]["name_nl"] in seeded.values() for t in new_ties)
    built = client.get("/proeftuinen/lindehoven/meetings-built", headers=h)
    assert _names_in(built.get_data(as_text=True), seeded)
    change = client.get(f"/proeftuinen/lindehoven/changes?from=2022-12-31&to={AT}", headers=h)
    assert _names_in(change.get_data(as_text=True), seeded)
    csv = client.get(
        f"/proeftuinen/lindehoven/changes?from=2022-12-31&to={AT}",
        headers={**h, "Accept": "text/csv"},
    )
    assert csv.mimetype == "text/csv" and _names_in(csv.get_data(as_text=True), seeded)
    # The changes API carries names and kinds beside keys for analysts.
    body = client.get(
        f"/api/v1/proeftuinen/lindehoven/changes?from=2022-12-31&to={AT}", headers=h
    ).get_json()
    tie = body["ties"]["appeared_list"][0]
    assert tie["source_name"] and tie["source_kind"] and tie["target_name"]
    viewer = client.get(
        f"/api/v1/proeftuinen/lindehoven/changes?from=2022-12-31&to={AT}",
        headers=auth(keys, "viewer"),
    ).get_json()
    assert "appeared_list" not in viewer["ties"]


def test_the_single_broker_is_named_with_what_its_departure_cuts_off(client, keys, seeded):
    body = client.get(
        f"/api/v1/proeftuinen/zandwijk/signals?at={AT}", headers=auth(keys, "viewer")
    ).get_json()
    first = body["signals"]["cut_points_share"][0]
    assert first["key"] == "zandwijk-o01" and first["kind"] == "organisation"
    assert len(first["initiatives_lose_municipality"]) == 4
    assert first["sentence_en"] == (
        f"Without {first['name_en']}, 4 initiative(s) lose every path to the municipality."
    )
    assert first["map"] == "/proeftuinen/zandwijk?focus=zandwijk-o01"
    assert [a["key"] for a in body["signals"]["initiative_visibility"]] == [
        "zandwijk-i01", "zandwijk-i02", "zandwijk-i03", "zandwijk-i04",
    ]  # fmt: skip
    # Isolated residents are listed by pseudonym, without a key or a map link.
    isolates = body["signals"]["isolates_share"]
    assert len(isolates) == 4
    for a in isolates:
        if a["kind"] == "resident":
            assert a["key"] is None and a["map"] is None
    page = client.get(f"/proeftuinen/zandwijk?at={AT}", headers=auth(keys, "viewer"))
    text = page.get_data(as_text=True)
    assert "verliezen 4 initiatief/initiatieven elke verbinding met de gemeente" in text
    assert "focus=zandwijk-o01" in text


def test_scorecard_signals_are_calibrated(client, keys, seeded):
    signals = {}
    for key in SITES:
        card = client.get(
            f"/api/v1/proeftuinen/{key}/health?at={AT}", headers=auth(keys, "viewer")
        ).get_json()["scorecard"]
        signals[key] = {i["key"]: i["signal"] for g in card["groups"] for i in g["indicators"]}
    assert signals["zandwijk"]["isolates_share"] == "attention"  # 4 of 29
    assert signals["zandwijk"]["cut_points_share"] == "attention"  # 5 of 29
    assert signals["lindehoven"]["isolates_share"] == "ok"  # 8 of 101
    assert signals["lindehoven"]["cut_points_share"] == "ok"  # 8 of 101
    assert signals["lindehoven"]["single_funder_share"] == "attention"  # 73%


def test_meeting_effect_of_one_meeting_and_csv(client, keys, seeded):
    h = auth(keys, "viewer")
    one = client.get("/api/v1/proeftuinen/lindehoven/meetings/lindehoven-m02/effect", headers=h)
    assert one.status_code == 200
    m = one.get_json()["meeting"]
    assert m["key"] == "lindehoven-m02" and "new_ties" not in m
    assert m["rate_ratio"] == pytest.approx(13.99, abs=0.01)
    missing = client.get("/api/v1/proeftuinen/lindehoven/meetings/nope/effect", headers=h)
    assert missing.status_code == 404
    bad = client.get("/api/v1/proeftuinen/lindehoven/meeting-effects?window=0", headers=h)
    assert bad.status_code in (400, 422)
    csv = client.get("/api/v1/proeftuinen/lindehoven/meeting-effects?format=csv", headers=h)
    raw = csv.get_data()
    assert raw.startswith("\ufeff".encode()) and csv.mimetype == "text/csv"
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("bijeenkomst;datum;titel;aanwezigen")
    assert len(lines) == 1 + 5  # five meetings


def test_phases_and_introductions_api(client, keys, seeded):
    h = auth(keys, "viewer")
    phases = client.get("/api/v1/proeftuinen/zandwijk/phases", headers=h).get_json()
    dates = [p["date"] for p in phases["phases"]]
    assert dates == sorted(dates) and len(dates) == 28
    assert phases["phases"][0]["phase"] == "scattered"
    assert {p["meeting"] for p in phases["phases"]} >= {"zandwijk-m02", "zandwijk-m03"}
    intro = client.get(
        f"/api/v1/proeftuinen/zandwijk/introductions?at={AT}&limit=3", headers=h
    ).get_json()["introductions"]
    assert [i["rank"] for i in intro] == [1, 2, 3]
    # Zandwijk hangs on one broker: the best introductions bypass it (docs/metrics.md §9).
    assert [(i["a"]["key"], i["b"]["key"], i["reason"]) for i in intro] == [
        ("fonds-fnh", "zandwijk-i01", "single_broker"),
        ("zandwijk-g04", "zandwijk-i03", "single_broker"),
        ("zandwijk-i01", "zandwijk-g04", "single_broker"),
    ]
    first = intro[0]
    assert [(p["broker"]["key"], p["groups"]) for p in first["gain"]["group_pairs_bypassed"]] == [
        ("zandwijk-o01", ["funder", "initiative"]),
        ("zandwijk-o01", ["initiative", "official"]),
    ]
    assert [r["key"] for r in first["gain"]["second_path"]] == [
        "fonds-fnh", "zandwijk-f01", "zandwijk-g01", "zandwijk-g02", "zandwijk-g03",
        "zandwijk-g04", "zandwijk-i01", "zandwijk-i02",
    ]  # fmt: skip
    (c,) = first["gain"]["broker_constraint"]
    assert c["broker"]["key"] == "zandwijk-o01" and c["after"] > c["before"]
    assert first["introducers"][0]["key"] == "zandwijk-o01" and first["score"] == 6
    broker = first["introducers"][0]["name_nl"]
    assert first["reason_nl"] == (
        "Alle verbindingen tussen fondsen en bewonersinitiatieven en tussen "
        "bewonersinitiatieven en gemeente-medewerkers lopen nu via "
        f"{broker}; als {first['a']['name_nl']} en {first['b']['name_nl']} elkaar kennen, "
        f"hebben 8 actor(en) een tweede weg die niet via {broker} loopt."
    )
    # the CSV carries the bypass: which broker, and how many actors get a second path
    table = client.get(
        f"/api/v1/proeftuinen/zandwijk/introductions?at={AT}&limit=3&format=csv", headers=h
    ).get_data(as_text=True)
    header, first_row = (line.split(";") for line in table.lstrip("\ufeff").splitlines()[:2])
    assert header[-3:] == ["verbinder_omzeild", "tweede_pad", "score"]
    assert first_row[-3:] == [broker, "8", "6"]


def test_pages_draw_charts_with_text_alternatives(client, keys, seeded):
    h = auth(keys, "viewer")
    text = client.get(f"/proeftuinen/zandwijk?at={AT}&lang=en", headers=h).get_data(as_text=True)
    # timeline, two heat maps, roles, and a sparkline in eight scorecard rows: Zandwijk has no
    # initiative-official reciprocity, contact or funder share at any date, top brokers are names
    assert text.count("<svg") == 4 + 8
    assert text.count('<td class="trend"><svg') == 8 and 'class="sparks"' not in text
    assert "<title" in text and "<desc" in text and "Ties between groups (density)" in text
    assert "Returned ties between groups" in text and "Brokerage roles by group" in text
    # The density sparkline's text alternative: first and last value with their dates (the
    # first month end after the first tie, and the last change).
    row = re.search(r'<tr data-indicator="density".*?</tr>', text, re.S).group(0)
    assert re.search(r"<title [^>]*>Density: from 0\.\d{3} \(\d+ \w+ 2023\) to 0\.084 \(", row)
    assert 'id="meetings-built-link"' in text
    compare = client.get(f"/compare?proeftuinen=zandwijk,lindehoven&at={AT}", headers=h).get_data(
        as_text=True
    )
    assert 'id="compare-phases"' in compare
    table = re.search(r'<table id="comparison">.*?</table>', compare, re.S).group(0)
    # 15 of the 19 headline rows have a trend (docs/metrics.md §12); Zandwijk's funder share
    # is undefined at every date, so it has none
    assert table.count("sparkline") == 15 + 14
    national = client.get(f"/national?at={AT}", headers=h).get_data(as_text=True)
    assert national.count('<td class="trend"><svg') >= 8


def test_csv_for_actor_metrics_changes_and_compare(client, keys, seeded):
    analyst, viewer = auth(keys, "analyst"), auth(keys, "viewer")
    actors = client.get(
        f"/api/v1/proeftuinen/lindehoven/metrics/actors?at={AT}&format=csv", headers=analyst
    )
    assert actors.status_code == 200 and actors.mimetype == "text/csv"
    lines = actors.get_data().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("key;name;kind;group;degree")
    assert len(lines) == 1 + 101 and _names_in("\n".join(lines), seeded)
    # Viewers may not have actor metrics at all, in CSV neither.
    denied = client.get(
        f"/api/v1/proeftuinen/lindehoven/metrics/actors?at={AT}&format=csv", headers=viewer
    )
    assert denied.status_code == 403
    for who, names in ((viewer, False), (analyst, True)):
        change = client.get(
            f"/api/v1/proeftuinen/lindehoven/changes?from=2022-12-31&to={AT}",
            headers={**who, "Accept": "text/csv"},
        )
        text = change.get_data().decode("utf-8-sig")
        assert change.mimetype == "text/csv" and text.startswith("what;key;name;kind")
        assert bool(_names_in(text, seeded)) is names
        assert bool(RESIDENT_KEY.findall(text)) is names
    compare = client.get(
        f"/api/v1/compare?proeftuinen=zandwijk,lindehoven&at={AT}&format=csv", headers=viewer
    )
    rows = [line.split(";") for line in compare.get_data().decode("utf-8-sig").splitlines()]
    assert rows[0] == [
        "indicator",
        "zandwijk",
        "lindehoven",
        "signal_zandwijk",
        "signal_lindehoven",
    ]  # fmt: skip  (in the order asked for)
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["actors"][1:3] == ["29", "101"]
    assert by_name["density"][1].startswith("0,08")  # a Dutch decimal comma
