"""Maps served by the app on a real Neo4j: privacy, stored pseudonyms and layout, caching, pages.

The eight demo proeftuinen are loaded once for this module (about ten seconds); tests that
change data do so in a small proeftuin of their own, made and deleted by the test.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html as html_lib
import json
import logging
import re
import struct
from pathlib import Path

import pytest

from graphsvc.analysis.graph import GraphRequest, Selection, build_graph, tie_valid_at
from graphsvc.analysis.map_content import layout_graph, national_layout
from graphsvc.analysis.maps import NATIONAL_LAYOUT
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.metrics.brokerage import ROLES, describe_role
from graphsvc.metrics.report import actor_report
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen
from graphsvc.web import auth, services
from graphsvc.web.app import create_app
from visualize.layout import LAYOUT_VERSION, compute_layout
from visualize.render import actor_ids

AT = "2024-06-30"
SEEDED = [p["key"] for p in seed_proeftuinen()]
TEST_KEY = "kaarttest"
MAP_DATA = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)
PSEUDONYM_NL = re.compile(r"^Bewoner (\d+)$")


# -- fixtures: the demo data once, an app, one key per role ---------------------------------


@pytest.fixture(scope="module")
def store(_session_repo):
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    return _session_repo


@pytest.fixture(scope="module")
def maps_app(test_settings, store):
    return create_app(test_settings)


@pytest.fixture(scope="module")
def role_keys(maps_app):
    with maps_app.app_context():
        made = {role: auth.create_key(role, f"maps test {role}") for role in auth.ROLES}
    yield {role: key for role, (_, key) in made.items()}
    with maps_app.app_context():
        for id_, _ in made.values():
            auth.revoke(id_)


@pytest.fixture
def http(maps_app):
    return maps_app.test_client()


@pytest.fixture(scope="module")
def residents(store) -> dict[str, str]:
    """{key: real name} of every resident in the demo data."""
    return {a.key: a.name for a in store.network.get(None).actors if a.kind == "resident"}


@pytest.fixture
def small(store):
    """A proeftuin of our own: four residents, each tied to a partner of a unique name."""
    store.proeftuinen.create(TEST_KEY, "Kaarttest", "Testgemeente", fictional=True)
    actors = [
        Actor(f"kt-r{i}", "resident", f"Testbewoner {name}", (TEST_KEY,))
        for i, name in enumerate(("Een", "Twee", "Drie", "Vier"), start=1)
    ]
    actors += [Actor(f"kt-o{i}", "organisation", f"Partner {i}", (TEST_KEY,)) for i in range(1, 5)]
    actors.append(Actor("kt-i1", "initiative", "Testinitiatief", (TEST_KEY,)))
    ties = [Tie(f"kt-r{i}", f"kt-o{i}", "collaborates", dt.date(2023, i, 1)) for i in range(1, 5)]
    ties += [
        Tie("kt-o1", "kt-o2", "supports", dt.date(2023, 5, 1)),
        Tie("kt-o3", "kt-o4", "knows", dt.date(2023, 6, 1), dt.date(2024, 1, 1)),
        Tie("kt-o2", "kt-i1", "funds", dt.date(2023, 7, 1)),
        Tie("kt-r1", "kt-i1", "member_of", dt.date(2023, 8, 1)),
    ]
    store.datasets.import_(Dataset(actors, ties), proeftuin=TEST_KEY)
    yield store
    store.proeftuinen.delete(TEST_KEY)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def fresh_maps(app) -> None:
    """Forget rendered maps (as a restarted server would), so the next request builds anew."""
    services.forget(app, "maps")


def map_data(page: str) -> dict:
    return json.loads(MAP_DATA.search(page).group(1))


def leaked(page: str, names) -> list[str]:
    """Names found in the page as sent, as a browser reads it, or in its embedded data."""
    texts = [page, html_lib.unescape(page)]
    found = MAP_DATA.search(page)
    if found:
        texts.append(json.dumps(json.loads(found.group(1)), ensure_ascii=False))
    return sorted(n for n in set(names) if any(n in t for t in texts))


def get_map(http, key, role_keys, role="viewer", **params):
    query = {"at": AT, **params}
    url = f"/proeftuinen/{key}/map.html" if key else "/national/map.html"
    resp = http.get(url, query_string=query, headers=bearer(role_keys[role]))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp


def names_by_tie_partner(data: dict) -> dict[str, str]:
    """{partner name: shown name of the resident tied to it} over the map's ties."""
    actor = {a["id"]: a for a in data["actors"]}
    out = {}
    for tie in data["ties"]:
        ends = [actor[tie["from"]], actor[tie["to"]]]
        residents = [a for a in ends if a["kind"] == "resident"]
        partners = [a for a in ends if a["name"].startswith("Partner ")]
        if residents and partners:
            out[partners[0]["name"]] = residents[0]["name"]
    return out


# -- privacy -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [*SEEDED, None])
def test_a_viewer_never_gets_a_residents_name(http, role_keys, residents, store, key):
    for lang in ("nl", "en"):
        page = get_map(http, key, role_keys, lang=lang).get_data(as_text=True)
        assert leaked(page, residents.values()) == []
        data = map_data(page)
        kinds = {a["id"]: a["kind"] for a in data["actors"]}
        labels = [a["name"] for a in data["actors"] if kinds[a["id"]] == "resident"]
        word = "Bewoner" if lang == "nl" else "Resident"
        pattern = re.compile(rf"^{word} \d+" + ("$" if key else r" \(.+\)$"))
        assert labels and all(pattern.match(n) for n in labels), labels[:5]
        if key:
            assert len(set(labels)) == len(labels)  # one number per resident
    for url in (
        [f"/proeftuinen/{key}?at={AT}", f"/proeftuinen/{key}?at={AT}&lang=en"]
        if key
        else [f"/national?at={AT}", "/", f"/compare?proeftuinen={','.join(SEEDED)}"]
    ):
        resp = http.get(url, headers=bearer(role_keys["viewer"]))
        assert resp.status_code == 200
        assert leaked(resp.get_data(as_text=True), residents.values()) == []


def test_an_analyst_sees_the_names(http, role_keys, store):
    page = get_map(http, "lindehoven", role_keys, "analyst").get_data(as_text=True)
    data = map_data(page)
    shown = {a["name"] for a in data["actors"]}
    expected = {a.name for a in store.network.get(["lindehoven"]).actors}
    assert shown == expected and "Ayşe Çelik" in shown
    ours = [a.name for a in store.network.get(["lindehoven"]).actors if a.kind == "resident"]
    assert leaked(page, ours) == sorted(set(ours))  # the check that finds none for viewers
    assert "echte namen" in data["i18n"]["nl"]["ui"]["names_visible"]
    viewer = map_data(get_map(http, "lindehoven", role_keys, "viewer").get_data(as_text=True))
    officials = {a.name for a in store.network.get(["lindehoven"]).actors if a.kind != "resident"}
    assert officials <= {a["name"] for a in viewer["actors"]}  # public roles keep their names


def test_pseudonyms_follow_the_page_language(http, role_keys):
    nl = map_data(get_map(http, "zandwijk", role_keys, lang="nl").get_data(as_text=True))
    en = map_data(get_map(http, "zandwijk", role_keys, lang="en").get_data(as_text=True))
    numbers_nl = sorted(
        int(PSEUDONYM_NL.match(a["name"]).group(1)) for a in nl["actors"] if a["kind"] == "resident"
    )
    numbers_en = sorted(
        int(re.match(r"^Resident (\d+)$", a["name"]).group(1))
        for a in en["actors"]
        if a["kind"] == "resident"
    )
    assert numbers_nl == numbers_en
    assert nl["lang"] == "nl" and en["lang"] == "en"


def test_pseudonyms_are_stored_stable_and_never_reused(http, maps_app, role_keys, small):
    assert all(p["pseudonym"] is None for p in small.placements.list(TEST_KEY).values())
    first = names_by_tie_partner(
        map_data(get_map(http, TEST_KEY, role_keys).get_data(as_text=True))
    )
    stored = {
        k: p["pseudonym"]
        for k, p in small.placements.list(TEST_KEY).items()
        if p["kind"] == "resident"
    }
    assert sorted(stored.values()) == [1, 2, 3, 4]
    for i in range(1, 5):
        assert first[f"Partner {i}"] == f"Bewoner {stored[f'kt-r{i}']}"
    fresh_maps(maps_app)
    again = names_by_tie_partner(
        map_data(get_map(http, TEST_KEY, role_keys).get_data(as_text=True))
    )
    assert again == first
    # A resident leaves, another joins: the others keep their numbers, the number of the
    # one who left is not given again.
    gone = stored["kt-r4"]
    small.actors.delete(TEST_KEY, "kt-r4")
    small.actors.create(TEST_KEY, Actor("kt-r5", "resident", "Testbewoner Vijf", (TEST_KEY,)))
    small.ties.create(TEST_KEY, Tie("kt-r5", "kt-o4", "collaborates", dt.date(2024, 2, 1)))
    after = names_by_tie_partner(
        map_data(get_map(http, TEST_KEY, role_keys).get_data(as_text=True))
    )
    for i in range(1, 4):
        assert after[f"Partner {i}"] == first[f"Partner {i}"]
    newcomer = small.placements.list(TEST_KEY)["kt-r5"]["pseudonym"]
    assert newcomer == 5 and newcomer != gone
    assert after["Partner 4"] == "Bewoner 5"


# -- stored layout --------------------------------------------------------------------------


def positions_in(page: str) -> dict[str, tuple[float, float]]:
    """{actor name: (x, y)} as the map page places them."""
    data = map_data(page)
    name = {a["id"]: a["name"] for a in data["actors"]}
    return {name[n["id"]]: (n["x"], n["y"]) for n in data["nodes"]}


def stored_positions(store) -> dict[str, tuple[float, float]]:
    return {k: p["position"] for k, p in store.placements.list(TEST_KEY).items()}


def test_positions_are_stored_once_reused_and_extended(http, maps_app, role_keys, small):
    names = {a.key: a.name for a in small.network.get([TEST_KEY]).actors}
    assert all(p is None for p in stored_positions(small).values())
    version = small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY]
    page = get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True)
    stored = stored_positions(small)
    assert all(p is not None for p in stored.values())
    assert positions_in(page) == {names[k]: p for k, p in stored.items()}
    data = map_data(page)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    # storing positions is presentation: the data version stays
    assert small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY] == version
    layout = small.placements.get_stamp([TEST_KEY])["layouts"][TEST_KEY]

    fresh_maps(maps_app)
    again = get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True)
    assert positions_in(again) == positions_in(page)
    assert small.placements.get_stamp([TEST_KEY])["layouts"][TEST_KEY] == layout  # nothing written

    small.actors.create(TEST_KEY, Actor("kt-o5", "organisation", "Partner 5", (TEST_KEY,)))
    small.ties.create(TEST_KEY, Tie("kt-o5", "kt-o1", "advises", dt.date(2024, 3, 1)))
    version = small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY]
    grown = positions_in(get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True))
    assert {n: grown[n] for n in positions_in(page)} == positions_in(page)  # old ones stay
    assert "Partner 5" in grown and stored_positions(small)["kt-o5"] == grown["Partner 5"]
    assert small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY] == version
    assert small.placements.get_stamp([TEST_KEY])["layouts"][TEST_KEY] == layout + 1


def test_a_layout_of_an_earlier_layout_algorithm_is_laid_out_anew(http, maps_app, role_keys, small):
    keys = sorted(stored_positions(small))
    # positions stored before the algorithm's version was kept: a line, far apart
    old = {k: (1000.0 * i, 0.0) for i, k in enumerate(keys)}
    layout = small.placements.update_positions(TEST_KEY, old)
    assert small.placements.get_stamp([TEST_KEY])["algorithms"][TEST_KEY] == 0
    fresh_maps(maps_app)  # an earlier test's map of the same key and stamps may be cached
    names = {a.key: a.name for a in small.network.get([TEST_KEY]).actors}
    page = get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True)
    expected = compute_layout(layout_graph(small.network.get([TEST_KEY])), seed=0)
    assert expected != old
    assert stored_positions(small) == expected
    assert positions_in(page) == {names[k]: p for k, p in expected.items()}
    stamp = small.placements.get_stamp([TEST_KEY])
    assert stamp["algorithms"][TEST_KEY] == LAYOUT_VERSION
    assert stamp["layouts"][TEST_KEY] == layout + 1
    # a layout of this version is kept as it is, however it looks
    small.placements.update_positions(TEST_KEY, old)
    assert small.placements.get_stamp([TEST_KEY])["algorithms"][TEST_KEY] == LAYOUT_VERSION
    fresh_maps(maps_app)
    again = get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True)
    assert positions_in(again) == {names[k]: p for k, p in old.items()}


def test_post_layout_recomputes_for_editors_only(http, maps_app, role_keys, small):
    get_map(http, TEST_KEY, role_keys)  # lays the map out
    small.actors.create(TEST_KEY, Actor("kt-o5", "organisation", "Partner 5", (TEST_KEY,)))
    small.ties.create(TEST_KEY, Tie("kt-o5", "kt-r2", "advises", dt.date(2024, 3, 1)))
    get_map(http, TEST_KEY, role_keys)  # places the newcomer only
    version = small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY]
    url = f"/proeftuinen/{TEST_KEY}/layout"
    assert http.post(url).status_code == 401
    assert http.post(url, headers=bearer(role_keys["viewer"])).status_code == 403
    assert http.post(url, headers=bearer(role_keys["analyst"])).status_code == 403
    resp = http.post(url, headers=bearer(role_keys["editor"]))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["actors"] == 10
    expected = compute_layout(layout_graph(small.network.get([TEST_KEY])), seed=0)
    assert stored_positions(small) == expected
    assert small.proeftuinen.list_versions([TEST_KEY])[TEST_KEY] == version
    names = {a.key: a.name for a in small.network.get([TEST_KEY]).actors}
    page = get_map(http, TEST_KEY, role_keys, "analyst").get_data(as_text=True)
    assert positions_in(page) == {names[k]: p for k, p in expected.items()}
    # a form on the page comes back to the page
    resp = http.post(
        url, data={"next": f"/proeftuinen/{TEST_KEY}?lang=en"}, headers=bearer(role_keys["editor"])
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith(
        f"/proeftuinen/{TEST_KEY}?lang=en"
    )
    assert (
        http.post("/proeftuinen/nergens/layout", headers=bearer(role_keys["editor"])).status_code
        == 404
    )


# -- the national map: every proeftuin its own cluster ---------------------------------------


def national_boxes(data: dict) -> dict[str, tuple[float, float, float, float]]:
    """{group key: box} as the page draws it: the home actors' span, padded, name band above."""
    at = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    pad, band = data["groupBox"]["pad"], data["groupBox"]["band"]
    out = {}
    for g in data["groups"]:
        xs = [at[i][0] for i in g["home"]]
        ys = [at[i][1] for i in g["home"]]
        out[g["key"]] = (min(xs) - pad, min(ys) - pad - band, max(xs) + pad, max(ys) + pad)
    return out


def test_one_national_map_serves_every_address_with_its_own_links(
    http, maps_app, role_keys, caplog
):
    """The national map is made once; its proeftuin links name the address it was asked at
    (also a hostile Host header stays inside the JSON string), and each gets its own ETag."""
    fresh_maps(maps_app)
    caplog.set_level(logging.INFO, logger="graphsvc.analysis.maps")
    pages = {}
    for host in ("localhost", "graphsvc.example:8443", 'evil"</script>'):
        resp = http.get(
            "/national/map.html",
            query_string={"at": AT},
            headers={**bearer(role_keys["viewer"]), "Host": host},
        )
        assert resp.status_code == 200
        pages[host] = resp
    renders = [r for r in caplog.messages if r.startswith("map of the national network rendered")]
    assert len(renders) == 1
    for host, resp in pages.items():
        data = map_data(resp.get_data(as_text=True))
        urls = {g["url"] for g in data["groups"]}
        assert "origin.graphsvc.invalid" not in resp.get_data(as_text=True)
        if host.startswith("evil"):  # werkzeug drops a host it cannot use
            assert not any("evil" in u or "<" in u for u in urls)
            continue
        assert urls == {f"http://{host}/proeftuinen/{g['key']}" for g in data["groups"]}
    assert (
        "</script>"
        not in pages['evil"</script>']
        .get_data(as_text=True)
        .split('id="map-data"')[1]
        .split("</script>")[0]
    )
    assert len({resp.headers["ETag"] for resp in pages.values()}) == 3


def test_the_national_map_groups_every_actor_by_proeftuin_in_clusters_apart(
    http, maps_app, role_keys, store
):
    fresh_maps(maps_app)
    page = get_map(http, None, role_keys).get_data(as_text=True)
    data = map_data(page)
    rows = store.network.get(None)
    ids = actor_ids([a.key for a in rows.actors])
    proeftuinen = {p.key: p.name for p in store.proeftuinen.list()}
    # one group per proeftuin, by name, each linking to the proeftuin's page on this site
    assert [g["key"] for g in data["groups"]] == sorted(
        proeftuinen, key=lambda k: proeftuinen[k].casefold()
    )
    for g in data["groups"]:
        assert g["name"] == proeftuinen[g["key"]]
        assert g["url"] == f"http://localhost/proeftuinen/{g['key']}"
    # every actor is in the group of each of its proeftuinen, and only there
    member_of: dict[str, set[str]] = {}
    home_of: dict[str, set[str]] = {}
    for g in data["groups"]:
        for i in g["members"]:
            member_of.setdefault(i, set()).add(g["key"])
        for i in g["home"]:
            home_of.setdefault(i, set()).add(g["key"])
    for actor in rows.actors:
        assert member_of[ids[actor.key]] == set(actor.proeftuinen)
        # an actor of one proeftuin stands in its cluster; the three shared funds between
        expected_home = set(actor.proeftuinen) if len(actor.proeftuinen) == 1 else None
        assert home_of.get(ids[actor.key]) == expected_home
    shared = [a for a in rows.actors if len(a.proeftuinen) > 1]
    assert len(shared) == 3 and {a.kind for a in shared} == {"funder"}
    # the clusters' boxes do not overlap, and no shared actor stands inside one
    boxes = national_boxes(data)
    assert len(boxes) == len(proeftuinen) == 8
    keys = sorted(boxes)
    for i, g in enumerate(keys):
        for h in keys[i + 1 :]:
            a, b = boxes[g], boxes[h]
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (g, h)
    at = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    for actor in shared:
        x, y = at[ids[actor.key]]
        assert not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes.values())
    # the layout that made the positions is recorded with them
    assert store.placements.get_stamp()["national_algorithm"] == NATIONAL_LAYOUT


def test_national_positions_of_an_older_layout_are_laid_out_anew(http, maps_app, role_keys, store):
    get_map(http, None, role_keys)
    grouped = store.placements.get_national()[0]
    rows = store.network.get(None)
    names = {p.key: p.name for p in store.proeftuinen.list()}
    assert {k: grouped[k] for k in (a.key for a in rows.actors)} == national_layout(rows, names)
    # positions stored by the layout before groups (one force layout, nothing recorded)
    old = compute_layout(layout_graph(rows), seed=0)
    store.placements.update_positions(None, old, "")
    assert store.placements.get_stamp()["national_algorithm"] == ""
    fresh_maps(maps_app)
    data = map_data(get_map(http, None, role_keys).get_data(as_text=True))
    assert store.placements.get_stamp()["national_algorithm"] == NATIONAL_LAYOUT
    ids = actor_ids([a.key for a in rows.actors])
    at = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert {k: at[ids[k]] for k in ids} == national_layout(rows, names)
    # the same algorithm again: positions are reused, nothing is written
    layout = store.placements.get_stamp()["national_layout"]
    fresh_maps(maps_app)
    get_map(http, None, role_keys)
    assert store.placements.get_stamp()["national_layout"] == layout


def test_post_national_layout_stores_the_grouped_layout(http, maps_app, role_keys, store):
    resp = http.post("/national/layout", headers=bearer(role_keys["editor"]))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    rows = store.network.get(None)
    names = {p.key: p.name for p in store.proeftuinen.list()}
    expected = national_layout(rows, names)
    assert resp.get_json()["actors"] == len(expected) == len(rows.actors)
    stored = store.placements.get_national()[0]
    assert {k: stored[k] for k in expected} == expected
    assert store.placements.get_stamp()["national_algorithm"] == NATIONAL_LAYOUT


# -- what the map holds ------------------------------------------------------------------------


def test_the_map_gets_every_one_mode_tie_with_dates_and_metrics_at_its_date(http, role_keys, store):
    rows = store.network.get(["lindehoven"])
    one_mode = [t for t in rows.ties if t.type != "member_of"]
    assert len(one_mode) < len(rows.ties)  # the demo data has memberships
    data = map_data(get_map(http, "lindehoven", role_keys, "analyst").get_data(as_text=True))
    assert len(data["ties"]) == len(one_mode)
    assert {t["type"] for t in data["ties"]} == {t.type for t in one_mode}
    assert sum(1 for t in data["ties"] if t["until"]) == sum(1 for t in one_mode if t.until)
    assert data["initialDate"] == AT and data["metricsAt"] == AT
    at = dt.date.fromisoformat(AT)
    valid = [t for t in data["ties"] if t["since"] <= AT and (not t["until"] or t["until"] > AT)]
    assert len(valid) == sum(1 for t in one_mode if tie_valid_at(t, at))
    G = build_graph(rows, GraphRequest.parse(Selection.of(["lindehoven"]), at))
    report = {G.nodes[r["key"]]["name"]: r for r in actor_report(G)}
    for actor in data["actors"]:
        expected = report[actor["name"]]
        assert actor["metrics"]["degree"] == expected["degree"]
        assert actor["metrics"]["betweenness"] == pytest.approx(expected["betweenness"])
        assert actor["metrics"]["brokerage"] == expected["brokerage"]["total"]
        assert actor["articulation"] == expected["articulation_point"]


def test_download_and_embed_headers_etag_and_cache(http, maps_app, role_keys, monkeypatch):
    import graphsvc.analysis.maps as maps_module

    calls = []
    real = maps_module.render_map
    monkeypatch.setattr(
        maps_module, "render_map", lambda *a, **kw: calls.append(1) or real(*a, **kw)
    )
    fresh_maps(maps_app)
    download = get_map(http, "molenbeek", role_keys)
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="netwerkkaart-molenbeek-{AT}.html"'
    )
    assert "default-src 'none'" in download.headers["Content-Security-Policy"]
    assert download.headers["Cache-Control"] == "private, no-cache"
    embed = get_map(http, "molenbeek", role_keys, embed="1")
    assert embed.headers["Content-Disposition"].startswith("inline;")
    assert embed.get_data() == download.get_data() and len(calls) == 1  # one rendering
    again = http.get(
        "/proeftuinen/molenbeek/map.html",
        query_string={"at": AT},
        headers={**bearer(role_keys["viewer"]), "If-None-Match": download.headers["ETag"]},
    )
    assert again.status_code == 304 and len(calls) == 1
    analyst = get_map(http, "molenbeek", role_keys, "analyst")
    english = get_map(http, "molenbeek", role_keys, lang="en")
    assert len(calls) == 3  # who may see names and the language are part of the cache key
    assert analyst.headers["ETag"] != download.headers["ETag"] != english.headers["ETag"]
    assert english.headers["Content-Disposition"] == (
        f'attachment; filename="network-map-molenbeek-{AT}.html"'
    )
    national = get_map(http, None, role_keys)
    assert national.headers["Content-Disposition"] == (
        f'attachment; filename="netwerkkaart-landelijk-{AT}.html"'
    )


def _sha256_source(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@pytest.mark.parametrize("embed", [None, "1"])
def test_the_served_map_gets_the_hash_policy_of_its_own_inline_code(http, role_keys, embed):
    """The policy the browser receives for the map: its own inline code by hash, nothing else."""
    resp = get_map(http, "molenbeek", role_keys, **({"embed": embed} if embed else {}))
    page = resp.get_data(as_text=True)
    policy = resp.headers["Content-Security-Policy"]
    assert resp.headers.getlist("Content-Security-Policy") == [policy]  # one policy, no second
    # one policy for every page: our templates' and the map's inline code, by hash
    assert policy == http.get("/signin").headers["Content-Security-Policy"]
    directives = {d.strip().split(" ")[0]: d.strip().split(" ")[1:] for d in policy.split(";")}
    assert directives["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # Hashed here without graphsvc.web.headers: vis-network, our SVG export and map scripts,
    # and both styles.
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 3 and len(styles) == 2
    assert {_sha256_source(t) for t in scripts} <= set(directives["script-src"])
    assert {_sha256_source(t) for t in styles} <= set(directives["style-src"])
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"


def test_anonymous_and_bad_requests(http, role_keys):
    assert http.get("/proeftuinen/lindehoven/map.html").status_code == 401
    assert http.get("/proeftuinen/lindehoven").status_code == 401
    resp = http.get(
        "/proeftuinen/lindehoven/map.html?at=30-06-2024", headers=bearer(role_keys["viewer"])
    )
    assert resp.status_code == 422 and "YYYY-MM-DD" in resp.get_json()["detail_en"]
    resp = http.get("/proeftuinen/nergens/map.html", headers=bearer(role_keys["viewer"]))
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_logs_never_hold_a_residents_name(http, maps_app, role_keys, residents, caplog):
    caplog.set_level(logging.INFO)
    fresh_maps(maps_app)
    for key in ("lindehoven", "kerkdorp"):
        get_map(http, key, role_keys)
        get_map(http, key, role_keys, "analyst")
        http.get(f"/proeftuinen/{key}", headers=bearer(role_keys["viewer"]))
    http.get("/proeftuinen/nergens/map.html", headers=bearer(role_keys["viewer"]))
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "map of lindehoven rendered" in messages
    assert [n for n in residents.values() if n in messages] == []


# -- pages -------------------------------------------------------------------------------------


def test_start_page_has_a_card_per_proeftuin_with_health_signals(http, role_keys):
    page = http.get("/", headers=bearer(role_keys["viewer"])).get_data(as_text=True)
    assert page.count('class="card" data-proeftuin=') == 8
    assert page.count('data-indicator="largest_component_share" data-signal=') == 8
    assert len(re.findall(r'data-signal="(ok|attention|none)"', page)) == 8 * 4
    assert "Fictieve demogegevens" in page and 'href="/guide/"' in page
    english = http.get("/?lang=en", headers=bearer(role_keys["viewer"])).get_data(as_text=True)
    assert "Fictional demo data" in english and 'href="/guide/?lang=en"' in english
    assert 'href="/proeftuinen/lindehoven?lang=en"' in english


def test_proeftuin_page_in_dutch_and_english(http, role_keys):
    nl = http.get(f"/proeftuinen/zandwijk?at={AT}", headers=bearer(role_keys["viewer"])).get_data(
        as_text=True
    )
    assert "Gezondheid van het netwerk op 30 juni 2024" in nl
    for title in ("Relaties", "Gelijkwaardigheid", "Sterke bewonersinitiatieven"):
        assert f"<caption>{title} " in nl
    assert f'src="/proeftuinen/zandwijk/map.html?at={AT}&amp;embed=1"' in nl
    assert f'href="/proeftuinen/zandwijk/map.html?at={AT}"' in nl and " download " in nl
    assert "Lidmaatschap (is lid van)" in nl  # membership is not on the map, and it says so
    assert 'id="layout-button"' not in nl  # editors only
    en = http.get(
        f"/proeftuinen/zandwijk?at={AT}&lang=en", headers=bearer(role_keys["editor"])
    ).get_data(as_text=True)
    assert "Health of the network on 30 June 2024" in en
    for title in ("Relationships", "Equality", "Strong resident initiatives"):
        assert f"<caption>{title} " in en
    assert "of the actors belong to the largest connected part" in en
    assert f"map.html?at={AT}&amp;embed=1&amp;lang=en" in en
    assert 'id="layout-button"' in en


def test_compare_and_national_pages(http, role_keys):
    headers = bearer(role_keys["viewer"])
    form = http.get("/compare", headers=headers).get_data(as_text=True)
    assert form.count('type="checkbox" name="proeftuinen"') == 8 and 'id="comparison"' not in form
    one = http.get("/compare?proeftuinen=zandwijk", headers=headers).get_data(as_text=True)
    assert "Kies er minstens twee." in one
    page = http.get(
        f"/compare?proeftuinen=zandwijk&proeftuinen=molenbeek,kerkdorp&at={AT}", headers=headers
    ).get_data(as_text=True)
    assert page.count('<th scope="col" class="num" data-proeftuin=') == 3
    # one row per headline indicator in the comparison table (other tables follow it)
    table = page.split('id="comparison"', 1)[1].split("</table>", 1)[0]
    survey = '<tr data-indicator="survey_equality">'  # the survey's own row, apart
    assert table.count("<tr data-indicator=") - table.count(survey) == 19
    assert table.count(survey) == 1
    assert 'data-signal="attention"' in page or 'data-signal="ok"' in page
    assert http.get("/compare?proeftuinen=zandwijk,nergens", headers=headers).status_code == 404
    national = http.get(f"/national?at={AT}", headers=headers).get_data(as_text=True)
    assert f'src="/national/map.html?at={AT}&amp;embed=1"' in national
    assert "<caption>Relaties " in national


# -- the facilitator's guide ---------------------------------------------------------------------


DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_guide_explains_every_role_and_its_pictures_exist(http, role_keys, lang):
    text = (DOCS / f"guide.{lang}.md").read_text(encoding="utf-8")
    for role in ROLES:
        if role != "total":
            assert describe_role(role, lang) in text, role
    pictures = re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+\.png)\)", text)
    assert len(pictures) >= 8
    for picture in pictures:
        data = (DOCS / picture).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        # IHDR width, height: a laptop, the beamer of the meeting pictures, or an exported
        # 1280x720 map
        assert struct.unpack(">II", data[16:24]) in {(1280, 800), (1024, 768), (1280, 720)}, picture
    page = http.get(
        "/guide/" + ("?lang=en" if lang == "en" else ""), headers=bearer(role_keys["viewer"])
    )
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.count("<h1>") == 1 and '<img alt="' in body
    assert f'src="{pictures[0]}"' in body
    other = "en" if lang == "nl" else "nl"
    assert f'href="?lang={other}"' in body and 'href="guide.' not in body
    image = http.get(f"/guide/{pictures[0]}", headers=bearer(role_keys["viewer"]))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert http.get("/guide/").status_code == 401
