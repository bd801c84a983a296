"""The pages and maps as people use them: the app on a real HTTP server, headless Chromium.

The app runs with werkzeug's server on a free loopback port in a thread, on the real Neo4j
of the test run with the eight demo proeftuinen (loaded once for this module), and
anonymous visitors browse as viewer, as with ``make run``.  Every request that does not go
to that server is aborted and counted.  State is read through the map's own
``window.graphMap`` (as in test_map_render.py); expected values come from the store.
The screenshots of the facilitator's guide are made here (into docs/screenshots/ with
--update-screenshots; elsewhere into var/screenshots/).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest
from serving import served

from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen
from graphsvc.vocabulary import KINDS, TIE_TYPES
from graphsvc.web import auth
from graphsvc.web.app import create_app

pytestmark = pytest.mark.browser

AT = "2024-06-30"
SEEDED = [p["key"] for p in seed_proeftuinen()]
READY = "body[data-map-ready='true']"


# -- the server and the browser --------------------------------------------------------------


@dataclass
class Server:
    url: str
    keys: dict[str, str]


@pytest.fixture(scope="module")
def store(_session_repo):
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    return _session_repo


@pytest.fixture(scope="module")
def server(test_settings, store):
    app = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"})
    with app.app_context():
        made = {role: auth.create_key(role, f"browser {role}") for role in ("analyst", "editor")}
    try:
        with served(app, "graphsvc-test-server") as base:
            yield Server(base, {role: key for role, (_, key) in made.items()})
    finally:
        with app.app_context():
            for id_, _ in made.values():
                auth.revoke(id_)


@dataclass
class Visit:
    """A browser context on the test server, with what it tried to fetch elsewhere."""

    page: object
    context: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser, server):
    """Return a function that opens a fresh context (1280x800) allowed to reach only the
    test server (``allowed`` overrides that: a list of exact URLs)."""
    contexts = []

    def _open(allowed: list[str] | None = None) -> Visit:
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page, context)

        def route(route_obj):
            url = route_obj.request.url
            seen.requests.append(url)
            ok = url in allowed if allowed is not None else url.startswith(server.url + "/")
            if ok:
                route_obj.continue_()
            else:
                seen.blocked.append(url)
                route_obj.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and seen.console_errors.append(m.text))
        page.on("pageerror", lambda e: seen.console_errors.append(str(e)))
        return seen

    yield _open
    for context in contexts:
        context.close()


def sign_in(seen: Visit, server: Server, role: str) -> None:
    page = seen.page
    page.goto(f"{server.url}/signin")
    page.fill("#key", server.keys[role])
    page.locator("form.signin button[type=submit]").click()
    page.wait_for_url(f"{server.url}/")


def map_frame(page):
    """The map inside a page, once it is drawn."""
    page.frame_locator("#map-frame").locator(READY).wait_for(timeout=60_000)
    return page.frame_locator("#map-frame")


def frame_eval(page, script: str):
    return page.locator("#map-frame").element_handle().content_frame().evaluate(script)


def tie_visible(tie: dict, at: str) -> bool:
    """docs/metrics.md §0, written again here to check the page independently."""
    return tie["since"] <= at and (tie["until"] is None or tie["until"] > at)


def shot(page, folder, name: str) -> None:
    page.screenshot(path=str(folder / name))


# -- maps ------------------------------------------------------------------------------------


def test_every_demo_map_renders_all_its_actors_and_ties(visit, server, store):
    residents = {a.name for a in store.network.get(None).actors if a.kind == "resident"}
    seen = visit()
    page = seen.page
    for key in SEEDED:
        rows = store.network.get([key])
        ties = [t for t in rows.ties if t.type != "member_of"]
        page.goto(f"{server.url}/proeftuinen/{key}/map.html?embed=1&at={AT}")
        page.wait_for_selector(READY, timeout=60_000)
        assert page.evaluate("graphMap.nodes.length") == len(rows.actors), key
        assert page.evaluate("graphMap.nodesView.length") == len(rows.actors), key
        # (the suggested introductions are edges too, ids "n..", hidden behind their switch)
        drawn = "graphMap.edges.getIds().filter(id => id.startsWith('t')).length"
        assert page.evaluate(drawn) == len(ties), key
        data_ties = page.evaluate("graphMap.data.ties")
        expected = {t["id"] for t in data_ties if tie_visible(t, AT)}
        assert set(page.evaluate("graphMap.visibleEdgeIds()")) == expected, key
        assert len(expected) == sum(
            1
            for t in ties
            if t.since.isoformat() <= AT and (t.until is None or t.until.isoformat() > AT)
        ), key
        assert page.evaluate("graphMap.state.date") == AT
        assert len(page.evaluate("graphMap.network.getPositions()")) == len(rows.actors)
        assert page.evaluate("graphMap.network.physics.options.enabled") is False
        present = {a.kind for a in rows.actors}
        legend = page.locator("#legend-kinds [data-kind-label]").all_inner_texts()
        assert legend == [k.nl_plural for k in KINDS.values() if k.key in present], key
        # an anonymous visitor is a viewer: residents only under their pseudonym
        labels = page.evaluate(
            "graphMap.data.actors.filter(a => a.kind === 'resident').map(a => a.name)"
        )
        assert labels and all(re.fullmatch(r"Bewoner \d+", n) for n in labels), key
        html = page.evaluate("document.documentElement.outerHTML")
        assert [n for n in residents if n in html] == [], key
    assert seen.console_errors == [] and seen.blocked == []


def test_search_finds_celik_on_the_lindehoven_map_for_an_analyst(visit, server):
    seen = visit()
    page = seen.page
    sign_in(seen, server, "analyst")
    page.goto(f"{server.url}/proeftuinen/lindehoven?at={AT}")
    frame = map_frame(page)
    assert "echte namen" in page.locator(".notice-names").inner_text()
    frame.locator("#search").fill("celik")
    found = frame.locator("#search-results button").all_inner_texts()
    assert "Ayşe Çelik (bewoner)" in found
    assert all("Çelik" in hit for hit in found)  # and nobody else
    frame.locator("#search").fill("ayse celik")
    frame.locator("#search").press("Enter")
    assert frame.locator("#details-body h3").inner_text() == "Ayşe Çelik"
    assert seen.console_errors == [] and seen.blocked == []


def test_the_downloaded_file_renders_offline_without_any_request(
    visit, server, tmp_path, screenshots
):
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        query = f"at={AT}" + ("&lang=en" if lang == "en" else "")
        page.goto(f"{server.url}/proeftuinen/lindehoven?{query}")
        map_frame(page)
        shown = sorted(frame_eval(page, "graphMap.data.actors.map(a => a.name)"))
        page.locator("#download").scroll_into_view_if_needed()
        shot(page, screenshots, f"download.{lang}.png")
        with page.expect_download() as info:
            page.locator("#download").click()
        download = info.value
        word = "netwerkkaart" if lang == "nl" else "network-map"
        assert download.suggested_filename == f"{word}-lindehoven-{AT}.html"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert seen.console_errors == [] and seen.blocked == []

        offline = visit(allowed=[path.as_uri()])
        offline.page.goto(path.as_uri())
        offline.page.wait_for_selector(READY, timeout=60_000)
        names = sorted(offline.page.evaluate("graphMap.data.actors.map(a => a.name)"))
        assert names == shown
        assert offline.page.evaluate("graphMap.nodesView.length") == len(shown)
        assert offline.page.evaluate("graphMap.state.date") == AT
        # zero network requests: the file itself is the only thing the browser loaded
        assert offline.requests == [path.as_uri()] and offline.blocked == []
        assert offline.console_errors == []
        shot(offline.page, screenshots, f"offline.{lang}.png")


def test_roles_and_presentation_on_the_map(visit, server, screenshots):
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        page.goto(f"{server.url}/proeftuinen/zandwijk/map.html?embed=1&at={AT}&lang={lang}")
        page.wait_for_selector(READY, timeout=60_000)
        broker = page.evaluate(
            "graphMap.data.actors.slice().sort((a, b) => b.metrics.brokerage - "
            "a.metrics.brokerage)[0].id"
        )
        page.evaluate("id => graphMap.focusActor(id)", broker)
        page.wait_for_timeout(600)  # the zoom animation, for the picture only
        details = page.locator("#details-body").inner_text()
        assert ("Vooral" if lang == "nl" else "Mainly") in details
        shot(page, screenshots, f"map-roles.{lang}.png")
        page.keyboard.press("Escape")
        page.locator("#map .vis-network").focus()
        page.keyboard.press("p")
        assert page.evaluate("document.body.classList.contains('presenting')")
        page.wait_for_timeout(300)
        shot(page, screenshots, f"map-present.{lang}.png")
        assert seen.console_errors == [] and seen.blocked == []


# -- pages -------------------------------------------------------------------------------------


def test_start_page_cards(visit, server, store, screenshots):
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        page.goto(f"{server.url}/" + ("?lang=en" if lang == "en" else ""))
        cards = page.locator("li.card")
        assert cards.count() == 8
        for i in range(8):
            assert cards.nth(i).locator("[data-signal]").count() == 4
        lindehoven = page.locator("li.card[data-proeftuin='lindehoven']")
        assert lindehoven.locator("h2").inner_text() == "Lindehoven-Oost"
        counts = store.proeftuinen.get("lindehoven").counts
        assert lindehoven.locator("[data-kind='resident']").inner_text() == str(counts["resident"])
        notice = "Fictieve demogegevens" if lang == "nl" else "Fictional demo data"
        assert notice in page.locator(".notice").inner_text()
        assert page.locator("#guide-link").get_attribute("href") == (
            "/guide/" if lang == "nl" else "/guide/?lang=en"
        )
        shot(page, screenshots, f"start.{lang}.png")
        assert seen.console_errors == [] and seen.blocked == []


def test_proeftuin_page_with_map_and_scorecard_in_dutch_and_english(visit, server, screenshots):
    words = {
        "nl": ("Relaties", "Gelijkwaardigheid", "Let op"),
        "en": ("Relationships", "Equality", "Attention"),
    }
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        page.goto(
            f"{server.url}/proeftuinen/zandwijk?at={AT}" + ("&lang=en" if lang == "en" else "")
        )
        map_frame(page)
        assert page.evaluate("document.documentElement.lang") == lang
        assert frame_eval(page, "graphMap.state.lang") == lang
        captions = page.locator(".scorecard caption").all_inner_texts()
        assert captions[0].startswith(words[lang][0]) and captions[1].startswith(words[lang][1])
        assert page.locator(".scorecard tbody:not(.survey-rows) tr").count() == 12
        # the survey's block under the equality lesson, without a signal
        survey = page.locator("#health-equality #health-survey")
        assert (
            survey.locator("th")
            .first.inner_text()
            .startswith("Gelijkwaardigheid (enquête)" if lang == "nl" else "Equality (survey)")
        )
        assert survey.locator(".signal").count() == 0
        assert words[lang][2] in page.locator(".scorecard").inner_text()
        page.locator("#map-heading").scroll_into_view_if_needed()
        shot(page, screenshots, f"proeftuin-map.{lang}.png")
        assert seen.console_errors == [] and seen.blocked == []
    # the date choice reloads the page at another date
    page.fill("#at", "2023-06-30")
    page.locator("#date-submit").click()
    page.wait_for_url(re.compile(r"at=2023-06-30"))
    assert frame_eval_when_ready(page, "graphMap.state.date") == "2023-06-30"


def frame_eval_when_ready(page, script: str):
    map_frame(page)
    return frame_eval(page, script)


def test_compare_page_by_its_form(visit, server, screenshots):
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        page.goto(f"{server.url}/compare?at={AT}" + ("&lang=en" if lang == "en" else ""))
        for key in ("zandwijk", "molenbeek", "kerkdorp", "lindehoven"):
            page.locator(f"input[name=proeftuinen][value={key}]").check()
        page.locator("#compare-submit").click()
        page.wait_for_selector("#comparison")
        columns = page.locator("#comparison thead th[data-proeftuin]").all_inner_texts()
        assert columns == ["Kerkdorp", "Lindehoven-Oost", "Molenbeek-Noord", "Zandwijk"]
        assert page.locator("#comparison tbody:not(#compare-survey) tr").count() == 19
        survey = page.locator("#compare-survey tr[data-indicator=survey_equality] td")
        assert survey.count() == 4
        assert page.locator("#comparison td[data-signal]").count() >= 4 * 5
        page.locator("#comparison").scroll_into_view_if_needed()
        shot(page, screenshots, f"compare.{lang}.png")
        assert seen.console_errors == [] and seen.blocked == []


def test_national_page(visit, server, store, screenshots):
    rows = store.network.get(None)
    for lang in ("nl", "en"):
        seen = visit()
        page = seen.page
        page.goto(f"{server.url}/national?at={AT}" + ("&lang=en" if lang == "en" else ""))
        map_frame(page)
        assert frame_eval(page, "graphMap.nodes.length") == len(rows.actors)
        assert frame_eval(page, "graphMap.edges.length") == sum(
            1 for t in rows.ties if t.type != "member_of"
        )
        labels = frame_eval(
            page, "graphMap.data.actors.filter(a => a.kind === 'resident').map(a => a.name)"
        )
        word = "Bewoner" if lang == "nl" else "Resident"
        assert all(re.fullmatch(rf"{word} \d+ \(.+\)", n) for n in labels)
        first = "Relaties" if lang == "nl" else "Relationships"
        assert page.locator(".scorecard caption").first.inner_text().startswith(first)
        page.evaluate("document.getElementById('map-heading').scrollIntoView()")
        shot(page, screenshots, f"national.{lang}.png")
        assert seen.console_errors == [] and seen.blocked == []


def test_keyboard_reaches_the_date_the_map_search_and_the_download(visit, server):
    seen = visit()
    page = seen.page
    page.goto(f"{server.url}/proeftuinen/kerkdorp?at={AT}")
    map_frame(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        where = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        if where == "map-frame":
            where = "map:" + frame_eval(
                page, "document.activeElement.id || document.activeElement.className"
            )
        reached.append(where)
        if where == "at":  # keyboard focus is clearly visible
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
            assert float(outline.rstrip("px")) >= 3
        if where == "date-submit":
            break
    # the map comes first on the page, then the date form
    order = ["map:btn-present", "map:search", "map:size-metric", "download", "at", "date-submit"]
    # a date field has a stop per part (day, month, year): count each control once
    stops = [w for i, w in enumerate(reached) if i == 0 or reached[i - 1] != w]
    assert [w for w in stops if w in order] == order, reached
    assert seen.console_errors == [] and seen.blocked == []


# -- the meeting view: first screen, widths, sign-in, language, focus -----------------------

WIDTHS = [(1024, 768), (1280, 800), (390, 844)]


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", ["/proeftuinen/brakelveen", "/national", "/"])
def test_no_horizontal_scroll_and_the_map_on_the_first_screen(visit, server, path, size, tmp_path):
    seen = visit()
    page = seen.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server.url}{path}?at={AT}")
    if path != "/":
        map_frame(page)
    page.screenshot(path=str(tmp_path / "page.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0], f"page {width} px wide at {size[0]}"
    if path != "/" and size[0] >= 1024:
        box = page.locator("#map-frame").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]  # the whole map in view
        assert box["height"] >= 0.6 * size[1]
    if size[0] < 1024:  # a phone: the heading is on screen, whole
        h1 = page.locator("h1").bounding_box()
        assert h1["x"] >= 0 and h1["x"] + h1["width"] <= size[0] and h1["y"] < size[1]
    assert seen.console_errors == [] and seen.blocked == []


def test_header_links_to_sign_in_and_shows_who_is_signed_in(visit, server):
    seen = visit()
    page = seen.page
    page.goto(f"{server.url}/proeftuinen/zandwijk?at={AT}")
    link = page.locator("#signin-link")
    assert link.inner_text() == "Aanmelden"
    assert "next=/proeftuinen/zandwijk" in link.get_attribute("href").replace("%2F", "/")
    sign_in(seen, server, "analyst")
    page.goto(f"{server.url}/proeftuinen/zandwijk?at={AT}&lang=en")
    assert page.locator("#signin-link").count() == 0
    assert page.locator("#whoami").inner_text() == "Signed in as analyst"
    assert page.locator("form.signout button").inner_text() == "Sign out"


def test_map_language_switch_covers_the_title_and_the_pseudonyms(visit, server):
    seen = visit()
    page = seen.page
    page.goto(f"{server.url}/proeftuinen/zandwijk/map.html?embed=1&at={AT}")
    page.wait_for_selector(READY, timeout=60_000)
    dutch = page.evaluate("graphMap.data.actors.filter(a => a.kind === 'resident')[0].name")
    assert re.fullmatch(r"Bewoner \d+", dutch)
    title = page.locator("#map-title").inner_text()
    page.locator("#btn-lang").click()
    english = page.evaluate("graphMap.data.actors.filter(a => a.kind === 'resident')[0].name")
    assert english == dutch.replace("Bewoner", "Resident")
    label = page.evaluate(
        "graphMap.nodes.get(graphMap.data.actors.filter(a => a.kind === 'resident')[0].id).label"
    )
    assert label == english
    assert page.locator("#map-title").inner_text() != title
    assert page.evaluate("graphMap.search('resident').length") > 0
    assert seen.console_errors == [] and seen.blocked == []


def test_proeftuin_page_opens_the_map_focused_on_an_actor_key(visit, server, store):
    seen = visit()
    page = seen.page
    rows = store.network.get(["brakelveen"])
    keys = [a.key for a in rows.actors]
    official = next(a.key for a in rows.actors if a.kind == "official")
    page.goto(f"{server.url}/proeftuinen/brakelveen?at={AT}&focus={official}")
    map_frame(page)
    assert (
        page.locator("#map-frame").get_attribute("src").endswith(f"#focus=a{keys.index(official)}")
    )
    frame = page.locator("#map-frame").element_handle().content_frame()
    frame.wait_for_function("graphMap.state.focus !== null && !graphMap.state.moving")
    assert frame.evaluate("graphMap.state.focus") == f"a{keys.index(official)}"
    outside = frame.evaluate(
        """() => { const r = document.getElementById('map').getBoundingClientRect();
             return graphMap.focusIds().filter(id => { const p = graphMap.network.canvasToDOM(
               graphMap.network.getPosition(id));
               return p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height; }); }"""
    )
    assert outside == []
    # an unknown key opens the map as usual
    page.goto(f"{server.url}/proeftuinen/brakelveen?at={AT}&focus=nobody")
    map_frame(page)
    assert "#focus" not in page.locator("#map-frame").get_attribute("src")
    assert seen.console_errors == [] and seen.blocked == []


# -- the map as SVG, for a report or a wall ---------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
GENERIC_FONTS = ("serif", "sans-serif", "monospace")


def svg_texts(root, cls: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(SVG + "text") if e.get("class") == cls]


def svg_groups(root, cls: str) -> list:
    return [g for g in root.iter(SVG + "g") if g.get("class") == cls]


@pytest.mark.parametrize(
    ("role", "lang"), [("viewer", "nl"), ("viewer", "en"), ("analyst", "nl")], ids="-".join
)
def test_svg_export_of_the_whole_map_with_title_legend_and_pseudonyms(
    visit, server, store, screenshots, role, lang, tmp_path
):
    rows = store.network.get(["brakelveen"])
    residents = {a.name for a in rows.actors if a.kind == "resident"}
    shown = [
        t
        for t in rows.ties
        if t.type != "member_of"
        and t.since.isoformat() <= AT
        and (t.until is None or t.until.isoformat() > AT)
    ]
    seen = visit()
    page = seen.page
    if role != "viewer":
        sign_in(seen, server, role)
    page.goto(f"{server.url}/proeftuinen/brakelveen/map.html?embed=1&at={AT}")
    page.wait_for_selector(READY, timeout=60_000)
    if lang == "en":
        page.locator("#btn-lang").click()  # the switch on the map, as a facilitator does it
    # the export menu of the toolbar: the whole map at Full HD, as SVG
    page.locator("#btn-export-menu").click()
    assert page.locator("#export-menu").is_visible()
    page.locator("#export-whole").check()
    with page.expect_download() as info:
        page.locator("#btn-svg").click()
    download = info.value
    prefix = "netwerkkaart" if lang == "nl" else "network-map"
    assert download.suggested_filename == f"{prefix}-brakelveen-{AT}.svg"
    text = open(download.path(), encoding="utf-8").read()
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML, or this raises
    assert root.tag == SVG + "svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "1920",
        "1080",
        "0 0 1920 1080",
    )
    assert "<script" not in text and "href" not in text  # standalone: nothing to run or fetch
    fonts = [e.get("font-family") for e in root.iter() if e.get("font-family")]
    assert fonts and all(f.replace(" ", "").split(",")[-1] in GENERIC_FONTS for f in fonts)
    # one shape per actor and one line per tie shown at the date
    actors = svg_groups(root, "actor")
    assert len(actors) == len(rows.actors) == page.evaluate("graphMap.nodesView.length")
    assert (
        len(svg_groups(root, "tie"))
        == len(shown)
        == len(page.evaluate("graphMap.visibleEdgeIds()"))
    )
    # title (with the proeftuin), date, legend and the notes, as text
    month = "juni" if lang == "nl" else "June"
    title = {"nl": "Netwerkkaart Brakelveen", "en": "Network map Brakelveen"}[lang]
    assert svg_texts(root, "title") == [title]
    assert svg_texts(root, "subtitle") == [
        f"{'Netwerk op' if lang == 'nl' else 'Network on'} 30 {month} 2024"
    ]
    kinds = [g for g in root.iter(SVG + "g") if g.get("class") == "legend-kind"]
    present = {a.kind for a in rows.actors}
    plural = "nl_plural" if lang == "nl" else "en_plural"
    assert ["".join(g.itertext()) for g in kinds] == [
        getattr(k, plural) for k in KINDS.values() if k.key in present
    ]
    ties = ["".join(g.itertext()) for g in svg_groups(root, "legend-tie")]
    assert ties == [
        getattr(t, lang) for t in TIE_TYPES.values() if t.key in {x.type for x in shown}
    ]
    notes = " ".join(svg_texts(root, "notes"))
    fictional = "Fictieve gegevens" if lang == "nl" else "Fictional data"
    assert fictional in notes
    # names exactly as the role may see them: one <title> per actor
    names = {g.find(SVG + "title").text for g in actors}
    resident_names = {
        n for n in names if n not in {a.name for a in rows.actors if a.kind != "resident"}
    }
    if role == "viewer":
        word = "Bewoner" if lang == "nl" else "Resident"
        assert resident_names and all(re.fullmatch(word + r" \d+", n) for n in resident_names)
        assert [n for n in residents if n in text] == []
    else:
        assert residents <= names
    # it renders: every actor inside the picture's map band (the whole map was asked for)
    path = tmp_path / "map.svg"
    path.write_text(text, encoding="utf-8")
    view = visit(allowed=[path.as_uri()]).page
    view.set_viewport_size({"width": 1920, "height": 1080})
    view.goto(path.as_uri())
    band = view.evaluate(
        """() => { const title = document.querySelector('.title').getBBox();
             const legend = document.querySelector('.legend').getBBox();
             return [title.y + title.height, legend.y]; }"""
    )
    boxes = view.evaluate(
        "[...document.querySelectorAll('g.actor')].map(g => { const r = g.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) == len(rows.actors)
    assert all(b[0] >= 0 and b[2] <= 1920 and b[1] >= band[0] and b[3] <= band[1] for b in boxes)
    if role == "viewer":
        view.screenshot(path=str(screenshots / f"map-export-svg.{lang}.png"))
    assert seen.console_errors == [] and seen.blocked == []


TOOLBAR_ROW = """() => {
  const bar = document.getElementById('map-toolbar').getBoundingClientRect();
  const h1 = document.getElementById('map-title').getBoundingClientRect();
  const buttons = [...document.querySelectorAll(
    '#map-toolbar > button, #map-toolbar > .menu-wrap > button')]
    .map(b => b.getBoundingClientRect());
  return {bar: [bar.top, bar.bottom, bar.left, bar.right], h1: [h1.top, h1.bottom, h1.right],
          tops: buttons.map(b => b.top), heights: buttons.map(b => b.height),
          width: document.documentElement.scrollWidth, inner: innerWidth};
}"""


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_map_toolbar_is_one_row_beside_the_title(visit, server, size, lang):
    """The longest title of the demo (Lindehoven-Oost), in the page's frame and as a file."""
    seen = visit()
    page = seen.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{server.url}/proeftuinen/lindehoven?at={AT}{suffix}")
    map_frame(page)
    rows = [page.locator("#map-frame").element_handle().content_frame().evaluate(TOOLBAR_ROW)]
    page.goto(f"{server.url}/proeftuinen/lindehoven/map.html?embed=1&at={AT}{suffix}")
    page.wait_for_selector(READY, timeout=60_000)
    rows.append(page.evaluate(TOOLBAR_ROW))
    for row in rows:
        assert len(row["tops"]) == 4  # fit, export menu, presentation, language
        # one row: every button at the same height, the toolbar as high as one button
        assert max(row["tops"]) - min(row["tops"]) < 1, row
        assert abs((row["bar"][1] - row["bar"][0]) - max(row["heights"])) < 1, row
        # beside the title, not under it, and inside the window
        assert row["bar"][0] < row["h1"][1] and row["bar"][2] > row["h1"][2], row
        assert row["bar"][3] <= row["inner"] and row["width"] <= row["inner"], row
    # the export menu by keyboard: Enter opens it on the size choice, Esc closes it
    page.locator("#btn-export-menu").focus()
    page.keyboard.press("Enter")
    assert page.locator("#export-menu").is_visible()
    assert page.evaluate("document.activeElement.id") == "export-size"
    page.keyboard.press("Escape")
    assert page.locator("#export-menu").is_hidden()
    assert page.evaluate("document.activeElement.id") == "btn-export-menu"
    # the fit button is an icon with a name for screen readers and a tooltip in the language
    fit = page.locator("#btn-fit")
    label = {"nl": "Alles in beeld", "en": "Show everything"}[lang]
    assert fit.get_attribute("aria-label") == label and fit.get_attribute("title") == f"{label} (F)"
    # presentation: its floating toolbar (search, fit, date, export, legend, stop) is one row too
    page.keyboard.press("p")
    tops = page.evaluate(
        """() => [...document.querySelectorAll('#present-bar > *')]
            .filter((e) => e.getClientRects().length)
            .map((e) => e.getBoundingClientRect().top)"""
    )
    assert len(tops) >= 5 and max(tops) - min(tops) < 1, tops
    page.keyboard.press("Escape")
    assert seen.console_errors == [] and seen.blocked == []


def test_map_file_on_a_phone_has_no_sideways_scroll(visit, server):
    seen = visit()
    page = seen.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/proeftuinen/lindehoven/map.html?embed=1&at={AT}")
    page.wait_for_selector(READY, timeout=60_000)
    row = page.evaluate(TOOLBAR_ROW)
    assert row["width"] <= 390 and row["bar"][3] <= 390, row
    page.locator("#btn-export-menu").click()
    box = page.locator("#export-menu").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert seen.console_errors == [] and seen.blocked == []
