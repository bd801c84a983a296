"""The map as a facilitator sees it: opened from disk in headless Chromium, every request blocked.

State is checked through the page's own vis-network DataSets and DataViews (window.graphMap),
never through pixels; expected values are computed here from the fixture, independently of the
page script.
"""

from __future__ import annotations

import calendar
import json
import re
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest

from graphsvc.vocabulary import KINDS

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------- helpers


def tie_visible(tie: dict, at: str) -> bool:
    """docs/metrics.md §0, written again here so the page's own rule is checked independently."""
    return tie["since"] <= at and (tie["until"] is None or tie["until"] > at)


def ids_by_name(page) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(graphMap.data.actors.map(a => [a.name, a.id]))")


def key_of(page, actors) -> dict[str, str]:
    """Page id -> fixture key, through the names (the page never sees the keys)."""
    by_name = ids_by_name(page)
    return {by_name[a["name"]]: key for key, a in actors.items()}


def visible_tie_indexes(page) -> set[int]:
    return {int(i[1:]) for i in page.evaluate("graphMap.visibleEdgeIds()")}


def expected_tie_indexes(ties, actors, at, kinds_on=None, types_on=None) -> set[int]:
    kind = {key: a["kind"] for key, a in actors.items()}
    return {
        i
        for i, t in enumerate(ties)
        if tie_visible(t, at)
        and (kinds_on is None or (kind[t["source"]] in kinds_on and kind[t["target"]] in kinds_on))
        and (types_on is None or t["type"] in types_on)
    }


def fixture_map_label_size(html: str) -> float:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))["options"]["nodes"]["font"]["size"]


def assert_offline(opened) -> None:
    assert opened.blocked == []
    assert opened.requests == [opened.path.as_uri()]
    assert opened.console_errors == []


def screen_point(page, actor_id: str) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            """id => {
                const p = graphMap.network.canvasToDOM(graphMap.network.getPosition(id));
                const r = document.getElementById('map').getBoundingClientRect();
                return [p.x + r.left, p.y + r.top];
            }""",
            actor_id,
        )
    )


def png_pixels(data: bytes) -> tuple[int, int, set[tuple[int, ...]]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG with the standard library: (w, h, colours)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    bpp = 4 if colour_type == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[tuple[int, ...]] = set()
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if filter_type == 1:
                line[x] = (line[x] + a) & 0xFF
            elif filter_type == 2:
                line[x] = (line[x] + b) & 0xFF
            elif filter_type == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif filter_type == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        if y % 4 == 0:  # every fourth row is plenty to tell a drawing from a blank
            colours.update(tuple(line[i : i + bpp]) for i in range(0, stride, bpp * 2))
        previous = line
    return width, height, colours


# ---------------------------------------------------------------- tests


def test_renders_every_actor_and_tie_offline_with_a_full_legend(open_map, fixture_map):
    ties, actors, html = fixture_map.ties, fixture_map.actors, fixture_map.html
    opened = open_map(html)
    page = opened.page
    labels = page.evaluate("graphMap.nodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(a["name"] for a in actors.values())
    assert page.evaluate("graphMap.edges.length") == len(ties)
    assert page.evaluate("graphMap.nodesView.length") == len(actors)
    latest = max(t["since"] for t in ties)
    assert page.evaluate("graphMap.state.date") == latest
    assert visible_tie_indexes(page) == expected_tie_indexes(ties, actors, latest)
    # every visible actor was placed and drawn on the canvas
    positions = page.evaluate("graphMap.network.getPositions()")
    assert len(positions) == len(actors)
    legend = page.locator("#legend-kinds [data-kind-label]").all_inner_texts()
    assert legend == [KINDS[k].nl_plural for k in KINDS]
    assert page.locator(".notice-fictional").inner_text().startswith("Fictieve gegevens")
    assert "schuilnamen" in page.locator(".notice-names").inner_text()
    assert_offline(opened)


def test_search_ignores_case_and_diacritics_and_focuses_the_actor(open_map, fixture_map):
    html = fixture_map.html
    opened = open_map(html)
    page = opened.page
    ids = ids_by_name(page)
    page.locator("#map .vis-network").focus()
    page.keyboard.press("/")  # keyboard shortcut to the search box
    page.keyboard.type("celik")
    first = page.locator("#search-results button").first
    assert first.inner_text().startswith("Çelik")
    page.keyboard.press("Enter")
    assert page.evaluate("graphMap.network.getSelectedNodes()") == [ids["Çelik"]]
    assert page.evaluate("graphMap.state.focus") == ids["Çelik"]
    assert page.locator("#details-body h3").inner_text() == "Çelik"
    for query, name in [
        ("JOSE", "José"),
        ("anne marie 't", "Anne-Marie 't Hart"),
        ("oberg", "Lars Øberg"),
        ("cafe noord", "Repair Café Noord"),
    ]:
        found = page.evaluate("q => graphMap.search(q)", query)
        assert found[:1] == [ids[name]], query
    page.fill("#search", "xyzzy")
    assert page.locator("#search-status").inner_text() == "Niemand gevonden met deze naam."
    assert_offline(opened)


def test_kind_filter_hides_exactly_that_kind_and_its_ties(open_map, fixture_map):
    ties, actors, html = fixture_map.ties, fixture_map.actors, fixture_map.html
    opened = open_map(html)
    page = opened.page
    keys = key_of(page, actors)
    page.locator(".kind-filter[value='resident']").uncheck()
    shown = {keys[i] for i in page.evaluate("graphMap.visibleNodeIds()")}
    assert shown == {k for k, a in actors.items() if a["kind"] != "resident"}
    latest = max(t["since"] for t in ties)
    others = set(KINDS) - {"resident"}
    assert visible_tie_indexes(page) == expected_tie_indexes(ties, actors, latest, kinds_on=others)
    page.locator(".tie-filter[value='funds']").uncheck()
    assert visible_tie_indexes(page) == expected_tie_indexes(
        ties, actors, latest, kinds_on=others, types_on={t["type"] for t in ties} - {"funds"}
    )
    page.locator(".kind-filter[value='resident']").check()
    assert len(page.evaluate("graphMap.visibleNodeIds()")) == len(actors)
    assert_offline(opened)


def test_clicking_an_actor_highlights_its_neighbourhood(open_map, fixture_map):
    ties, actors, html = fixture_map.ties, fixture_map.actors, fixture_map.html
    opened = open_map(html)
    page = opened.page
    ids = ids_by_name(page)
    keys = key_of(page, actors)
    target = ids["Wijkregisseur Pieters"]
    page.mouse.click(*screen_point(page, target))
    assert page.evaluate("graphMap.state.focus") == target
    latest = max(t["since"] for t in ties)
    neighbours = {
        t["target"] if t["source"] == "g1" else t["source"]
        for t in ties
        if tie_visible(t, latest) and "g1" in (t["source"], t["target"])
    }
    highlighted = {keys[i] for i in page.evaluate("graphMap.highlightedNodeIds()")}
    assert highlighted == neighbours | {"g1"}
    faded = page.evaluate("graphMap.nodes.get().filter(n => n.opacity < 1).map(n => n.id)")
    assert {keys[i] for i in faded} == set(actors) - highlighted
    # the details panel lists one line per visible tie of the actor
    n_ties = sum(1 for t in ties if tie_visible(t, latest) and "g1" in (t["source"], t["target"]))
    assert page.locator("#details-body .tie-list li").count() == n_ties
    # a click on empty canvas clears the focus
    page.mouse.click(1270, 120 + 10)
    assert page.evaluate("graphMap.state.focus") is None
    assert len(page.evaluate("graphMap.highlightedNodeIds()")) > len(highlighted)
    assert_offline(opened)


def one_decimal(value: float, comma: bool) -> str:
    """A number as the side panel should show it, written out here: whole, or one decimal."""
    if value != 0 and abs(value) < 0.05:
        return "< 0,1" if comma else "< 0.1"
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return text.replace(".", ",") if comma else text


def test_side_panel_uses_plain_words_and_one_decimal(open_map, fixture_map):
    opened = open_map(fixture_map.html)
    page = opened.page
    ids = ids_by_name(page)
    jargon = re.compile(r"betweenness|degree|centrality|articulation|centraliteit", re.I)
    for lang, comma in (("nl", True), ("en", False)):
        page.evaluate(f"graphMap.setLang('{lang}')")
        for key, actor in fixture_map.actors.items():
            page.evaluate(f"graphMap.focusActor('{ids[actor['name']]}', {{zoom: false}})")
            metrics = actor["metrics"]
            shown = page.locator("#details-body .metric-list dd").all_inner_texts()
            assert shown == [
                str(metrics["degree"]),
                one_decimal(metrics["betweenness"], comma),
                str(metrics["brokerage"]["total"]),
            ], (lang, key)
            words = page.locator("#details-body").inner_text()
            assert not jargon.search(words), (lang, key, words)
        # an actor with one tie, in a plain sentence
        page.evaluate(f"graphMap.focusActor('{ids['Lars Øberg']}', {{zoom: false}})")
        sentence = {"nl": "Heeft banden met 1 bewoner.", "en": "Has ties with 1 resident."}[lang]
        assert page.locator("#details-body .plain").inner_text() == sentence
    assert_offline(opened)


def test_date_control_shows_exactly_the_ties_of_each_month(open_map, fixture_map):
    ties, actors, html = fixture_map.ties, fixture_map.actors, fixture_map.html
    opened = open_map(html)
    page = opened.page
    dates = page.evaluate("graphMap.data.dates")
    month_ends = [
        date(y, m, calendar.monthrange(y, m)[1]).isoformat()
        for y, m in [(2022, 11), (2022, 12)] + [(y, m) for y in (2023, 2024) for m in range(1, 13)]
        if (y, m) <= (2024, 10)
    ]
    # the slider ends at the last dated change (2024-11-20), not at the end of its month
    assert dates == sorted(month_ends + ["2024-11-20"])
    slider = page.locator("#date")
    slider.focus()
    page.keyboard.press("Home")
    seen = set()
    for i, at in enumerate(dates):
        if i:
            page.keyboard.press("ArrowRight")
        assert page.evaluate("graphMap.state.date") == at
        visible = visible_tie_indexes(page)
        assert visible == expected_tie_indexes(ties, actors, at), at
        seen.add(frozenset(visible))
    assert len(seen) > 10  # the network really changes over the two years
    assert page.locator("#date-value").inner_text() == "20 november 2024"
    page.locator("#date-prev").click()
    assert page.evaluate("graphMap.state.date") == "2024-10-31"
    assert_offline(opened)


def test_language_switch_changes_every_label_to_english(open_map, fixture_map):
    html = fixture_map.html
    opened = open_map(html)
    page = opened.page
    ids = ids_by_name(page)
    page.locator("#btn-lang").click()
    legend = page.locator("#legend-kinds [data-kind-label]").all_inner_texts()
    assert legend == [KINDS[k].en_plural for k in KINDS]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#btn-lang").inner_text() == "Nederlands"
    assert page.locator("label[for='search']").inner_text() == "Search by name"
    assert page.locator("#date-value").inner_text() == "20 November 2024"
    assert page.locator(".notice-fictional").inner_text().startswith("Fictional data")
    tooltip = page.evaluate(
        "id => graphMap.nodes.get(id).title.textContent", ids["Wijkregisseur Pieters"]
    )
    assert "Mainly a liaison." in tooltip and "municipality" in tooltip
    tie_title = page.evaluate("graphMap.edges.get('t8').title")
    assert tie_title.startswith("Fonds Samen Sterk funds Repair Café Noord (since 1 September 2023")
    page.locator("#btn-lang").click()
    assert page.locator("label[for='search']").inner_text() == "Zoek op naam"
    assert_offline(opened)


def test_size_follows_the_chosen_metric(open_map, fixture_map):
    actors, html = fixture_map.actors, fixture_map.html
    opened = open_map(html)
    page = opened.page
    keys = key_of(page, actors)
    page.locator("#size-metric").select_option("betweenness")
    sizes = {keys[n["id"]]: n["size"] for n in page.evaluate("graphMap.nodes.get()")}
    top = max(actors, key=lambda k: actors[k]["metrics"]["betweenness"])
    assert sizes[top] == max(sizes.values())
    zero = [k for k, a in actors.items() if a["metrics"]["betweenness"] == 0]
    assert zero and all(sizes[k] == min(sizes.values()) for k in zero)
    order = sorted(actors, key=lambda k: actors[k]["metrics"]["betweenness"])
    assert [sizes[k] for k in order] == sorted(sizes.values())
    assert_offline(opened)


def test_presentation_mode_fills_the_screen_and_keeps_search_fit_and_legend(open_map, fixture_map):
    opened = open_map(fixture_map.html, viewport={"width": 1024, "height": 768})
    page = opened.page
    page.locator("#btn-present").click()
    assert page.evaluate("document.body.classList.contains('presenting')")
    # no header, no side panel: the map has the whole window
    assert page.locator(".topbar").is_hidden() and page.locator("#panel").is_hidden()
    box = page.locator("#map").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 1024, 768)
    # a toolbar and a compact legend that L hides and shows again
    assert page.locator("#present-bar").is_visible()
    assert page.locator("#mini-legend").is_visible()
    legend = page.locator("#mini-legend [data-kind-label]").all_inner_texts()
    assert legend == [KINDS[k].nl_plural for k in KINDS]
    page.locator("#map .vis-network").focus()
    page.keyboard.press("l")
    assert page.locator("#mini-legend").is_hidden()
    page.keyboard.press("l")
    assert page.locator("#mini-legend").is_visible()
    # "/" focuses the toolbar's search; Enter focuses the first hit
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "present-search"
    page.keyboard.type("wijkregis")
    page.keyboard.press("Enter")
    ids = ids_by_name(page)
    assert page.evaluate("graphMap.state.focus") == ids["Wijkregisseur Pieters"]
    # F fits everything again, Esc clears the focus and a second Esc leaves presentation
    page.locator("#map .vis-network").focus()
    page.keyboard.press("Escape")
    assert page.evaluate("graphMap.state.focus") is None
    page.keyboard.press("f")
    page.locator("#pb-fit").click()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.body.classList.contains('presenting')")
    assert page.locator(".topbar").is_visible() and page.locator("#present-bar").is_hidden()
    page.keyboard.press("p")
    assert page.evaluate("document.body.classList.contains('presenting')")
    assert_offline(opened)


def test_presentation_follows_quick_keys_and_the_browsers_full_screen_exit(open_map, fixture_map):
    """Full screen comes and goes a moment later: "Esc" then "p" at once ends presenting on."""
    opened = open_map(fixture_map.html, viewport={"width": 1024, "height": 768})
    page = opened.page
    presenting = "document.body.classList.contains('presenting')"
    page.locator("#btn-present").click()
    page.wait_for_timeout(300)
    for _ in range(6):
        page.locator("#map .vis-network").focus()
        page.keyboard.press("Escape")
        page.keyboard.press("p")
        page.wait_for_timeout(300)  # the full-screen change of the Escape has arrived by now
        assert page.evaluate(presenting)
        assert page.locator("#present-bar").is_visible() and page.locator(".topbar").is_hidden()
    # leaving full screen by the browser's own means (its Esc, F11) ends the presentation too
    if page.evaluate("!!document.fullscreenElement"):
        page.evaluate("document.exitFullscreen()")
        page.wait_for_function(f"!({presenting})")
        assert page.locator(".topbar").is_visible() and page.locator("#present-bar").is_hidden()
    assert_offline(opened)


def test_png_download_is_a_real_picture_of_the_map(open_map, fixture_map):
    html = fixture_map.html
    opened = open_map(html)
    page = opened.page
    # the sizes on offer, up to 4K, and the choice between the current view and the whole map
    page.locator("#btn-export-menu").click()
    sizes = page.eval_on_selector_all("#export-size option", "os => os.map(o => o.value)")
    assert sizes == ["1280x720", "1920x1080", "2560x1440", "3840x2160"]
    assert (
        page.locator("#export-current").is_checked()
        and not page.locator("#export-whole").is_checked()
    )
    page.select_option("#export-size", "1280x720")
    with page.expect_download() as info:
        page.locator("#btn-png").click()
    download = info.value
    assert download.suggested_filename == "proeftuin-noord-2024-11-20.png"
    data = Path(download.path()).read_bytes()
    width, height, colours = png_pixels(data)
    assert (width, height) == (1280, 720)  # the chosen size, whatever the window
    assert (255, 255, 255, 255) in colours  # a white background, not a transparent one
    assert len(colours) > 5  # not blank: actors in several colours and ties
    # the view on screen is back as it was
    assert page.locator("#map canvas").bounding_box()["width"] == 1280 - 400
    # 4K of the whole map, chosen in the menu
    view = page.evaluate("[graphMap.network.getScale(), graphMap.network.getViewPosition()]")
    page.select_option("#export-size", "3840x2160")
    page.locator("#export-whole").check()
    with page.expect_download() as info:
        page.locator("#btn-png").click()
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (3840, 2160)
    assert page.evaluate("[graphMap.network.getScale(), graphMap.network.getViewPosition()]") == (
        view
    )
    assert_offline(opened)


SVG = "{http://www.w3.org/2000/svg}"


def test_svg_of_the_current_view_is_what_the_screen_shows(open_map, fixture_map):
    import xml.etree.ElementTree as ET

    opened = open_map(fixture_map.html)
    page = opened.page
    page.evaluate("graphMap.setKindVisible('funder', false)")
    page.evaluate("graphMap.network.moveTo({position: {x: 40, y: -30}, scale: 0.9})")
    page.evaluate("graphMap.placeLabels()")
    screen = page.evaluate(
        """() => { const r = document.getElementById('map').getBoundingClientRect();
             const out = {};
             graphMap.visibleNodeIds().forEach(id => {
               out[id] = graphMap.network.canvasToDOM(graphMap.network.getPosition(id)); });
             return [r.width, r.height, out]; }"""
    )
    text = page.evaluate("graphMap.svgText(1280, 720, false)")
    root = ET.fromstring(text.encode("utf-8"))
    groups = {g.get("class"): [] for g in root.iter(SVG + "g")}
    for g in root.iter(SVG + "g"):
        groups[g.get("class")].append(g)
    # exactly the actors and ties on screen: no funder, none of their ties
    ids = {g.get("data-id") for g in groups["actor"]}
    assert ids == set(page.evaluate("graphMap.visibleNodeIds()"))
    funders = {k for k, a in fixture_map.actors.items() if a["kind"] == "funder"}
    assert len(ids) == len(fixture_map.actors) - len(funders)
    ties = {g.get("data-id") for g in groups["tie"]}
    assert ties == set(page.evaluate("graphMap.visibleEdgeIds()"))
    expected = expected_tie_indexes(
        fixture_map.ties,
        fixture_map.actors,
        "2024-11-20",
        kinds_on={a["kind"] for a in fixture_map.actors.values()} - {"funder"},
    )
    assert ties == {f"t{i}" for i in expected}
    legend = ["".join(g.itertext()) for g in groups["legend-kind"]]
    assert legend == [KINDS[k].nl_plural for k in KINDS if k != "funder"]
    # names as the page has them (escaped: "Anne-Marie 't Hart" comes back whole)
    names = {g.find(SVG + "title").text for g in groups["actor"]}
    assert names == {a["name"] for a in fixture_map.actors.values() if a["kind"] != "funder"}
    # the current view: the screen's centre stays the picture's centre, the view scaled by
    # min(1280 / screen width, map band height / screen height)
    clip = root.find(f"{SVG}defs/{SVG}clipPath/{SVG}rect")
    top, band = float(clip.get("y")), float(clip.get("height"))
    width, height, on_screen = screen
    k = min(1280 / width, band / height)
    move = re.fullmatch(
        r"translate\((\S+) (\S+)\) scale\((\S+)\)", groups["map"][0].get("transform")
    )
    tx, ty, scale = (float(v) for v in move.groups())
    positions = page.evaluate("graphMap.network.getPositions()")
    for node_id, point in on_screen.items():
        x = tx + scale * positions[node_id]["x"]
        y = ty + scale * positions[node_id]["y"]
        assert x - 640 == pytest.approx(k * (point["x"] - width / 2), abs=0.5)
        assert y - (top + band / 2) == pytest.approx(k * (point["y"] - height / 2), abs=0.5)
    assert scale == pytest.approx(0.9 * k, rel=1e-6)
    # the screen is back as it was
    assert page.evaluate("graphMap.network.getScale()") == pytest.approx(0.9)
    assert_offline(opened)


def test_export_4k_of_the_whole_map_in_presentation(open_map, fixture_map):
    import base64

    opened = open_map(fixture_map.html, viewport={"width": 1024, "height": 768})
    page = opened.page
    page.keyboard.press("p")
    page.wait_for_timeout(300)  # full screen has come and the map has been fitted to it again
    view = page.evaluate("[graphMap.network.getScale(), graphMap.network.getViewPosition()]")
    url = page.evaluate("graphMap.pngDataUrl(3840, 2160, true)")
    data = base64.b64decode(url.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (3840, 2160)
    assert page.evaluate("[graphMap.network.getScale(), graphMap.network.getViewPosition()]") == (
        view
    )
    assert page.locator("#pb-png").is_visible()
    assert_offline(opened)


def test_screenshots_for_the_facilitators_guide(open_map, fixture_map, screenshots):
    html = fixture_map.html
    opened = open_map(html, viewport={"width": 1280, "height": 800})
    page = opened.page
    page.screenshot(path=str(screenshots / "map-nl.png"))
    page.locator("#btn-lang").click()
    page.screenshot(path=str(screenshots / "map-en.png"))
    page.locator("#btn-lang").click()
    page.fill("#search", "wijkregisseur")
    page.keyboard.press("Enter")
    page.wait_for_timeout(700)  # the zoom animation, only for the picture
    page.screenshot(path=str(screenshots / "map-focus.png"))
    page.keyboard.press("Escape")
    page.locator("#btn-present").click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "map-presentation.png"))
    for name in ("map-nl", "map-en", "map-focus", "map-presentation"):
        width, height, colours = png_pixels((screenshots / f"{name}.png").read_bytes())
        assert (width, height) == (1280, 800) and len(colours) > 5
    assert_offline(opened)


def test_without_saved_positions_physics_lays_out_once_and_then_stops(open_map, fixture_map):
    from graphsvc.analysis.map_theme import MAP_THEME
    from visualize.render import MapOptions, render_map

    html = render_map(fixture_map.ties, fixture_map.actors, {}, MapOptions(), MAP_THEME)
    opened = open_map(html)
    page = opened.page
    assert page.evaluate("graphMap.data.physics") is True
    assert page.evaluate("graphMap.network.physics.options.enabled") is False  # stopped
    positions = page.evaluate("Object.values(graphMap.network.getPositions())")
    assert len({(round(p["x"]), round(p["y"])) for p in positions}) == len(fixture_map.actors)
    assert_offline(opened)


def test_map_is_usable_by_keyboard(open_map, fixture_map):
    opened = open_map(fixture_map.html)
    page = opened.page
    ids = ids_by_name(page)
    # search, pick the second hit with the arrow keys, and the actor is focused
    page.locator("#search").focus()
    page.keyboard.type("samen")
    hits = page.locator("#search-results button").all_inner_texts()
    assert len(hits) >= 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    second = hits[1].rsplit(" (", 1)[0]
    assert page.evaluate("graphMap.state.focus") == ids[second]
    page.keyboard.press("Escape")
    assert page.evaluate("graphMap.state.focus") is None
    # the map frame is a labelled tab stop; held keys zoom and pan it
    frame = page.locator("#map .vis-network")
    assert frame.get_attribute("role") == "application"
    assert frame.get_attribute("aria-label").startswith("Netwerkkaart")
    frame.focus()
    scale = page.evaluate("graphMap.network.getScale()")
    page.keyboard.down("+")
    page.wait_for_timeout(300)
    page.keyboard.up("+")
    assert page.evaluate("graphMap.network.getScale()") > scale
    before = page.evaluate("graphMap.network.getViewPosition()")
    page.keyboard.down("ArrowLeft")
    page.wait_for_timeout(300)
    page.keyboard.up("ArrowLeft")
    assert page.evaluate("graphMap.network.getViewPosition()") != before
    assert_offline(opened)


def test_an_unconfirmed_survey_tie_is_dashed_with_a_legend_entry_offline(open_map):
    from graphsvc.analysis.map_content import map_ties
    from graphsvc.analysis.map_theme import MAP_THEME
    from graphsvc.dataset import Actor, Tie
    from graphsvc.store.repository import NetworkRows
    from visualize.layout import compute_layout
    from visualize.render import MapOptions, render_map
    from visualize.style import DASHED_TIE

    day = date(2024, 5, 1)
    kinds = {"i1": "initiative", "i2": "initiative", "g1": "official"}
    actors = [Actor(k, kind, f"Naam {k}", ("p",)) for k, kind in kinds.items()]
    rows = NetworkRows(
        actors,
        [
            Tie(
                "i1",
                "i2",
                "collaborates",
                day,
                provenance="survey:r",
                attributes={"confirmed": True},
            ),
            Tie(
                "g1",
                "i1",
                "collaborates",
                day,
                provenance="survey:r",
                attributes={"confirmed": False},
            ),
        ],
        [],
        [],
        {"p": 1},
    )
    ties = map_ties(rows)
    records = {
        a.key: {"name": a.name, "kind": a.kind, "group": a.kind, "metrics": {}} for a in actors
    }
    from graphsvc.analysis.map_content import layout_graph

    positions = compute_layout(layout_graph(rows), seed=3)
    html = render_map(ties, records, positions, MapOptions(), MAP_THEME)
    opened = open_map(html)
    page = opened.page
    # The vis-network DataSet holds the dashes of the unconfirmed tie only.
    dashes = page.evaluate(
        "graphMap.data.ties.map(t => [t.from, t.to, graphMap.edges.get(t.id).dashes])"
    )
    assert [d[2] for d in dashes] == [DASHED_TIE if t["dashed"] else False for t in ties]
    assert sum(1 for t in ties if t["dashed"]) == 1
    entry = page.locator("#legend-dashed")
    assert entry.is_visible()
    assert entry.inner_text().strip() == "onbevestigd — door één kant genoemd"
    page.evaluate("graphMap.setLang('en')")
    assert entry.inner_text().strip() == "unconfirmed — named by one side"
    assert opened.console_errors == []
    assert_offline(opened)
