"""The map on a beamer in a village hall: the demo proeftuinen at 1024x768 and 1280x800.

Opened from disk in headless Chromium with every request blocked (see conftest.py).  Sizes
on screen are read from vis-network's own state (font size in map units times the view's
scale), never from pixels.
"""

from __future__ import annotations

import math

import pytest
from conftest import demo_map_html, demo_network

pytestmark = pytest.mark.browser

BEAMER = {"width": 1024, "height": 768}
LAPTOP = {"width": 1280, "height": 800}


def assert_offline(opened) -> None:
    assert opened.blocked == []
    assert opened.requests == [opened.path.as_uri()]
    assert opened.console_errors == []


@pytest.fixture(scope="module")
def brakelveen():
    return demo_map_html("brakelveen")


def page_ids(page) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(graphMap.data.actors.map(a => [a.name, a.id]))")


def names_px(page) -> dict[str, float]:
    """On-screen size (CSS px) of every drawn name, by actor name."""
    return page.evaluate(
        """() => { const px = graphMap.labelPx(); const out = {};
             graphMap.data.actors.forEach(a => {
               if (px[a.id] !== undefined) out[a.name] = px[a.id]; });
             return out; }"""
    )


def settle(page) -> None:
    """Wait until the fit or focus animation has ended and the names are placed."""
    page.wait_for_function("!graphMap.state.moving")
    page.evaluate("graphMap.network.redraw()")


def outside_view(page, ids: list[str]) -> list[str]:
    """The ids whose actor (its centre) lies outside the map element on screen."""
    return page.evaluate(
        """ids => { const r = document.getElementById('map').getBoundingClientRect();
             return ids.filter(id => { const p = graphMap.network.canvasToDOM(
                 graphMap.network.getPosition(id));
               return p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height; }); }""",
        ids,
    )


def overlapping_labels(page) -> list[tuple[str, str]]:
    """Pairs of drawn names whose boxes on screen overlap."""
    boxes = page.evaluate("graphMap.labelBoxes()")
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def labels_off_screen(page) -> list[str]:
    """Drawn names whose box reaches outside the map element or the window."""
    return page.evaluate(
        """() => { const r = document.getElementById('map').getBoundingClientRect();
             const w = Math.min(r.width, innerWidth - r.left);
             const h = Math.min(r.height, innerHeight - r.top);
             return graphMap.labelBoxes().filter(b => b[1] < 0 || b[2] < 0 || b[3] > w || b[4] > h)
               .map(b => b[0]); }"""
    )


@pytest.mark.parametrize("viewport", [BEAMER, LAPTOP], ids=["1024x768", "1280x800"])
@pytest.mark.parametrize("presenting", [False, True], ids=["page", "presentation"])
def test_names_drawn_at_fit_are_readable_from_the_back(open_map, brakelveen, viewport, presenting):
    ties, actors, html = brakelveen
    opened = open_map(html, viewport=viewport)
    page = opened.page
    if presenting:
        page.keyboard.press("p")
    page.locator("#btn-fit" if not presenting else "#pb-fit").click()
    settle(page)
    drawn = names_px(page)
    non_residents = {a["name"] for a in actors.values() if a["kind"] != "resident"}
    assert len(non_residents) == 79
    shown = non_residents & set(drawn)
    assert shown == non_residents  # every non-resident is named
    sizes = set(drawn.values())
    assert len(sizes) == 1  # all names at one size
    if presenting and viewport is BEAMER:
        # 18 px names of all 79 do not fit in 1024x768 beside the toolbar and the legend:
        # the names step down (by 2 px) to the largest size at which all 79 fit, never
        # below the readable 14 px
        assert 14 <= min(sizes) < 18
    else:
        assert min(sizes) >= (18 if presenting else 14)
    # residents are named only where room is left, at the same size
    boxes = page.evaluate("graphMap.labelBoxes()")
    assert len(boxes) == len(drawn)
    assert all(all(math.isfinite(v) for v in b[1:]) for b in boxes)
    assert overlapping_labels(page) == []
    assert labels_off_screen(page) == []
    assert_offline(opened)


def test_small_proeftuin_names_every_non_resident_at_fit(open_map):
    ties, actors, html = demo_map_html("zandwijk")
    opened = open_map(html, viewport=BEAMER)
    page = opened.page
    page.keyboard.press("p")
    settle(page)
    drawn = names_px(page)
    non_residents = {a["name"] for a in actors.values() if a["kind"] != "resident"}
    assert non_residents <= set(drawn)
    assert min(drawn[n] for n in non_residents) >= 18
    assert_offline(opened)


def _neighbours(ties, key: str, at: str) -> set[str]:
    return {
        t["target"] if t["source"] == key else t["source"]
        for t in ties
        if key in (t["source"], t["target"])
        and t["since"] <= at
        and (t["until"] is None or t["until"] > at)
    }


def _core_actors(key: str) -> dict[str, str]:
    """Daan Çelik (a resident), the best-tied funder and the best-tied official: name shown."""
    ties, actors, _ = demo_network(key)
    latest = max(t["since"] for t in ties)
    degree = {k: len(_neighbours(ties, k, latest)) for k in actors}

    def best(kind: str) -> str:
        return max((k for k in actors if actors[k]["kind"] == kind), key=lambda k: degree[k])

    return {
        "brakelveen-r003": actors["brakelveen-r003"]["name"],
        best("funder"): actors[best("funder")]["name"],
        best("official"): actors[best("official")]["name"],
    }


@pytest.mark.parametrize("viewport", [BEAMER, LAPTOP], ids=["1024x768", "1280x800"])
def test_focus_fits_every_neighbour_into_view(open_map, brakelveen, viewport):
    ties, actors, html = brakelveen
    opened = open_map(html, viewport=viewport)
    page = opened.page
    ids = page_ids(page)
    latest = max(t["since"] for t in ties)
    for key, name in _core_actors("brakelveen").items():
        expected = {ids[actors[k]["name"]] for k in _neighbours(ties, key, latest)}
        assert len(expected) >= 3
        page.fill("#search", name)
        page.keyboard.press("Enter")
        settle(page)
        assert page.evaluate("graphMap.state.focus") == ids[name]
        assert set(page.evaluate("graphMap.focusIds()")) == expected | {ids[name]}
        assert outside_view(page, sorted(expected | {ids[name]})) == []
        # the whole focused neighbourhood is named at a readable size, no two names overlap
        drawn = names_px(page)
        assert drawn[name] >= 14
        px = page.evaluate("graphMap.labelPx()")
        assert sorted(px) == sorted(expected | {ids[name]})
        assert min(px.values()) >= 14
        assert overlapping_labels(page) == []
        page.keyboard.press("Escape")
    assert_offline(opened)


def test_focus_from_the_address_and_only_this_neighbourhood(open_map, browser, brakelveen):
    ties, actors, html = brakelveen
    opened = open_map(html, viewport=BEAMER)
    page = opened.page
    ids = page_ids(page)
    daan = actors["brakelveen-r003"]["name"]
    # (the fragment form: the test's request filter admits only the file's own address)
    page.goto(opened.path.as_uri() + "#focus=" + ids[daan] + "&present=1")
    page.reload()
    page.wait_for_selector("body[data-map-ready='true']")
    settle(page)
    assert page.evaluate("graphMap.state.focus") == ids[daan]
    assert page.evaluate("graphMap.state.presenting") is True
    latest = max(t["since"] for t in ties)
    hood = {ids[actors[k]["name"]] for k in _neighbours(ties, "brakelveen-r003", latest)}
    assert outside_view(page, sorted(hood)) == []
    # only this neighbourhood: exactly Daan and his neighbours stay on the map
    page.locator("#pb-hood").click()
    settle(page)
    assert set(page.evaluate("graphMap.visibleNodeIds()")) == hood | {ids[daan]}
    # two steps: the neighbours' neighbours join, and still all fit
    page.evaluate("graphMap.setHops(2)")
    settle(page)
    two = set(hood)
    for k in _neighbours(ties, "brakelveen-r003", latest):
        two |= {ids[actors[j]["name"]] for j in _neighbours(ties, k, latest)}
    assert set(page.evaluate("graphMap.visibleNodeIds()")) == two | {ids[daan]}
    assert outside_view(page, sorted(two)) == []
    page.keyboard.press("Escape")
    assert len(page.evaluate("graphMap.visibleNodeIds()")) == len(actors)
    assert opened.blocked == [] and opened.console_errors == []


def test_slider_has_meeting_marks_and_sizes_and_marks_follow_its_date(open_map, brakelveen):
    ties, actors, html = brakelveen
    _, _, meetings = demo_network("brakelveen")
    opened = open_map(html, viewport=LAPTOP)
    page = opened.page
    data_dates = page.evaluate("graphMap.data.dates")
    last_change = max([t["since"] for t in ties] + [t["until"] for t in ties if t["until"]])
    assert data_dates[-1] == last_change
    marks = page.locator("#meeting-marks .meeting-mark")
    assert marks.count() == len(meetings)
    first_date, first_title = meetings[0]
    assert first_title in marks.nth(0).get_attribute("title")
    marks.nth(0).click()
    assert page.evaluate("graphMap.state.date") == first_date
    # sizes and articulation marks are those of the chosen date: the degree counted here
    ids = page_ids(page)
    sizes_then = page.evaluate("Object.fromEntries(graphMap.nodes.get().map(n => [n.id, n.size]))")
    degree = {ids[a["name"]]: len(_neighbours(ties, k, first_date)) for k, a in actors.items()}
    order = sorted(degree, key=lambda i: degree[i])
    assert [sizes_then[i] for i in order] == sorted(sizes_then.values())
    page.evaluate(f"graphMap.setDateIndex({len(data_dates) - 1})")
    sizes_now = page.evaluate("Object.fromEntries(graphMap.nodes.get().map(n => [n.id, n.size]))")
    assert sizes_now != sizes_then
    # since the first meeting: ties begun after it are drawn wider
    page.evaluate(f"graphMap.setSinceMeeting('{first_date}')")
    widths = page.evaluate("Object.fromEntries(graphMap.edges.get().map(e => [e.id, e.width]))")
    base = page.evaluate("Object.fromEntries(graphMap.data.edges.map(e => [e.id, e.width]))")
    for i, tie in enumerate(ties):
        if tie["since"] > first_date and (tie["until"] is None or tie["until"] > last_change):
            assert widths[f"t{i}"] > base[f"t{i}"]
        elif tie["since"] <= first_date:
            assert widths[f"t{i}"] == base[f"t{i}"]
    # suggested introductions: dashed lines that appear behind the switch
    intros = page.evaluate("graphMap.data.introductions.length")
    assert intros > 0
    assert not any(i.startswith("n") for i in page.evaluate("graphMap.visibleEdgeIds()"))
    page.locator("#show-intros").check()
    shown = [i for i in page.evaluate("graphMap.visibleEdgeIds()") if i.startswith("n")]
    assert len(shown) == intros
    assert_offline(opened)


def test_screenshots_for_the_meeting_guide(open_map, screenshots):
    """The pictures of the facilitator's guide: Brakelveen on a 1024x768 beamer."""
    import base64

    for lang in ("nl", "en"):
        ties, actors, html = demo_map_html("brakelveen", lang=lang)
        opened = open_map(html, viewport=BEAMER, name=f"brakelveen-{lang}.html")
        page = opened.page
        page.keyboard.press("p")
        settle(page)
        page.screenshot(path=str(screenshots / f"meeting-present.{lang}.png"))
        daan = actors["brakelveen-r003"]["name"]
        page.keyboard.press("/")
        page.keyboard.type(daan)
        page.keyboard.press("Enter")
        settle(page)
        assert page.evaluate("graphMap.state.focus") == page_ids(page)[daan]
        page.screenshot(path=str(screenshots / f"meeting-focus.{lang}.png"))
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        first_meeting = demo_network("brakelveen")[2][0][0]
        page.evaluate(f"graphMap.setSinceMeeting('{first_meeting}')")
        page.evaluate("graphMap.setIntroductions(true)")
        page.screenshot(path=str(screenshots / f"meeting-time.{lang}.png"))
        url = page.evaluate("graphMap.pngDataUrl(1280, 720, true)")
        (screenshots / f"meeting-export.{lang}.png").write_bytes(
            base64.b64decode(url.split(",", 1)[1])
        )
        assert_offline(opened)
