"""The national map as a room uses it: proeftuinen as groups, drill-down, a fund's whole focus.

The app serves the eight demo proeftuinen on a real HTTP server (werkzeug, a free loopback
port) from the test run's Neo4j; headless Chromium opens the map at the two beamer sizes with
every CSP violation collected, and the downloaded file offline with every other request
aborted. Expected values come from the store (the proeftuinen, their actors, the fund's ties
at the map's date). Screenshots go to var/screenshots/national/ (not into the guide).
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from serving import served

from graphsvc.analysis.map_content import MAP_TIE_TYPES
from graphsvc.transfer.seeding import load_seeds
from graphsvc.web.app import create_app
from visualize.render import actor_ids

pytestmark = pytest.mark.browser

AT = "2024-06-30"
READY = "body[data-map-ready='true']"
SIZES = [(1024, 768), (1280, 800)]
FADED = 0.15  # map.js: the opacity of actors outside a focus or a chosen group
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "national"

# Collects every CSP violation of a frame (init scripts run in every frame, before its own).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI});
});
"""

# {id: [x, y, radius]} on screen (CSS px in the map) of the given actor ids.
ON_SCREEN = """(ids) => {
  const net = graphMap.network, scale = net.getScale(), out = {};
  ids.forEach(id => {
    const n = net.body.nodes[id], p = net.canvasToDOM({x: n.x, y: n.y});
    out[id] = [p.x, p.y, (n.options.size || 0) * scale];
  });
  return out;
}"""


@pytest.fixture(scope="module")
def store(_session_repo):
    _session_repo.delete_network()
    list(load_seeds(_session_repo))
    return _session_repo


@pytest.fixture(scope="module")
def server_url(test_settings, store):
    app = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"})
    with served(app, "national-map-server") as base:
        yield base


@pytest.fixture(scope="module")
def expected(store):
    """From the store: proeftuin names, members per proeftuin, the best-tied fund's partners."""
    rows = store.network.get(None)
    names = {p.key: p.name for p in store.proeftuinen.list()}
    members = {k: {a.key for a in rows.actors if k in a.proeftuinen} for k in names}
    funds = [a for a in rows.actors if a.kind == "funder"]
    wanted = set(MAP_TIE_TYPES)

    def partners(key: str) -> set[str]:
        out = set()
        for t in rows.ties:
            if (
                t.type in wanted
                and t.since.isoformat() <= AT
                and (t.until is None or t.until.isoformat() > AT)
            ):
                if t.source == key:
                    out.add(t.target)
                elif t.target == key:
                    out.add(t.source)
        return out

    fund = max(funds, key=lambda a: (len(partners(a.key)), a.key))
    shared: dict[tuple[str, str], int] = {}
    for a in rows.actors:
        of = sorted(a.proeftuinen)
        for i, p in enumerate(of):
            for q in of[i + 1 :]:
                shared[(p, q)] = shared.get((p, q), 0) + 1
    return {
        "ids": actor_ids([a.key for a in rows.actors]),
        "names": names,
        "members": members,
        "shared_pairs": shared,
        "home": {k: {a for a in m if len(actor_of(rows, a)) == 1} for k, m in members.items()},
        "fund": fund,
        "partners": partners(fund.key),
        "proeftuinen_of_partners": {p for k in partners(fund.key) for p in actor_of(rows, k)},
    }


def actor_of(rows, key: str) -> tuple[str, ...]:
    return next(a.proeftuinen for a in rows.actors if a.key == key)


def map_rect(page) -> dict:
    return page.evaluate(
        "(() => { const r = document.getElementById('map').getBoundingClientRect();"
        " return {width: r.width, height: r.height}; })()"
    )


def settled(page) -> None:
    """Wait until a fit or focus animation has ended (polled: the page's policy forbids the
    eval that wait_for_function needs)."""
    for _ in range(200):
        if not page.evaluate("graphMap.state.moving"):
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(150)  # the names follow the last drawing


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drill_down_and_the_whole_focus_of_a_fund(browser, server_url, store, expected, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(server_url + "/"):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(f"{server_url}/national/map.html?at={AT}&embed=1")
        page.wait_for_selector(READY, timeout=60_000)
        page.wait_for_timeout(200)
        rect = map_rect(page)
        tag = f"{size[0]}x{size[1]}"

        # fit-all: every proeftuin's name on the map, readable and inside the map
        labels = page.evaluate(
            """() => Array.from(document.querySelectorAll('#group-labels .group-label')).map(b => {
              const r = b.getBoundingClientRect(), m = document.getElementById('map')
                .getBoundingClientRect();
              return {key: b.dataset.group, text: b.textContent,
                      px: parseFloat(getComputedStyle(b).fontSize),
                      left: r.left - m.left, top: r.top - m.top, right: r.right - m.left,
                      bottom: r.bottom - m.top,
                      hidden: getComputedStyle(b).visibility === 'hidden'};
            })"""
        )
        assert sorted(lab["key"] for lab in labels) == sorted(expected["names"])
        for lab in labels:
            assert lab["text"] == expected["names"][lab["key"]]
            assert lab["px"] >= 14 and not lab["hidden"]
            assert 0 <= lab["left"] and lab["right"] <= rect["width"] + 0.5
            assert 0 <= lab["top"] and lab["bottom"] <= rect["height"] + 0.5
        page.screenshot(path=str(SHOTS / f"fit-{tag}.png"))
        fit_scale = page.evaluate("graphMap.network.getScale()")

        # drill-down by the name on the map: the proeftuin's actors fill the view
        key = "hoogeland"
        page.click(f"#group-labels .group-label[data-group={key}]")
        settled(page)
        assert page.evaluate("graphMap.state.group") == key
        group = page.evaluate(f"graphMap.groups().find(g => g.key === '{key}')")
        assert len(group["members"]) == len(expected["members"][key])
        # its own actors (the funds it shares stand between the clusters)
        assert len(group["home"]) == len(expected["home"][key])
        on_screen = page.evaluate(ON_SCREEN, group["home"])
        xs = [p[0] for p in on_screen.values()]
        ys = [p[1] for p in on_screen.values()]
        assert min(xs) >= 0 and max(xs) <= rect["width"]
        assert min(ys) >= 0 and max(ys) <= rect["height"]
        # they fill it: their span covers most of the map's width or height
        assert max(max(xs) - min(xs), 0) >= 0.6 * rect["width"] or (
            max(ys) - min(ys) >= 0.6 * rect["height"]
        )
        assert page.evaluate("graphMap.network.getScale()") > 2 * fit_scale
        # everyone else is faded or off screen
        others = page.evaluate(
            """(members) => graphMap.data.actors.map(a => a.id)
              .filter(id => !members.includes(id))""",
            group["members"],
        )
        look = page.evaluate("(ids) => ids.map(id => graphMap.nodes.get(id).opacity)", others)
        where = page.evaluate(ON_SCREEN, others)
        for id_, opacity in zip(others, look, strict=True):
            x, y, _ = where[id_]
            off = x < 0 or y < 0 or x > rect["width"] or y > rect["height"]
            assert off or opacity == FADED, id_
        # the panel names the proeftuin and links to its page on the site
        link = page.locator("#group-page")
        assert link.get_attribute("href") == f"{server_url}/proeftuinen/{key}"
        assert expected["names"][key] in link.inner_text()
        page.screenshot(path=str(SHOTS / f"drill-{tag}.png"))

        # Esc goes back to everything
        page.keyboard.press("Escape")
        settled(page)
        assert page.evaluate("graphMap.state.group") is None
        assert page.evaluate("graphMap.network.getScale()") == pytest.approx(fit_scale, rel=0.02)
        assert page.evaluate(f"graphMap.nodes.get('{others[0]}').opacity") in (None, 1, 0.4)

        # the fund with the most ties: all of them in view, across the clusters
        ids = expected["ids"]
        fund_id = ids[expected["fund"].key]
        page.evaluate(f"graphMap.focusActor('{fund_id}')")
        settled(page)
        focus = page.evaluate("graphMap.focusIds()")
        assert set(focus) == {fund_id} | {ids[k] for k in expected["partners"]}
        assert len(focus) - 1 >= 25
        assert len(expected["proeftuinen_of_partners"]) >= 3  # its ties cross the country
        where = page.evaluate(ON_SCREEN, focus)
        for id_, (x, y, r) in where.items():
            assert r <= x <= rect["width"] - r and r <= y <= rect["height"] - r, id_
        page.screenshot(path=str(SHOTS / f"fund-{tag}.png"))

        assert errors == [] and elsewhere == []
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_the_downloaded_national_map_drills_down_offline(open_map, server_url, expected):
    with urllib.request.urlopen(f"{server_url}/national/map.html?at={AT}") as resp:
        html = resp.read().decode("utf-8")
    opened = open_map(html, viewport={"width": 1024, "height": 768}, name="landelijk.html")
    page = opened.page
    # from the panel this time
    page.click("#group-list .group-choice[data-group=kerkdorp]")
    settled(page)
    assert page.evaluate("graphMap.state.group") == "kerkdorp"
    members = page.evaluate("graphMap.groups().find(g => g.key === 'kerkdorp').home")
    assert len(members) == len(expected["home"]["kerkdorp"])
    rect = map_rect(page)
    for x, y, _ in page.evaluate(ON_SCREEN, members).values():
        assert 0 <= x <= rect["width"] and 0 <= y <= rect["height"]
    # the link points at the live site; following it is the user's choice, not a request
    assert page.locator("#group-page").get_attribute("href") == (
        f"{server_url}/proeftuinen/kerkdorp"
    )
    page.click("#group-back")
    settled(page)
    assert page.evaluate("graphMap.state.group") is None
    # in English, the link opens the English page
    page.evaluate("graphMap.setLang('en')")
    assert page.locator("#groups-heading").inner_text() == "Proeftuinen (pilot sites)"
    page.keyboard.press("Escape")
    page.evaluate("graphMap.drillDown('zandwijk', {animate: false})")
    assert page.locator("#group-page").get_attribute("href") == (
        f"{server_url}/proeftuinen/zandwijk?lang=en"
    )
    assert page.locator("#group-page").inner_text() == "Open the page of Zandwijk"
    page.keyboard.press("Escape")

    # the overview: each proeftuin one circle, lines for the funds they share
    page.click("#group-overview")
    assert page.get_attribute("#group-overview", "aria-pressed") == "true"
    shown = page.evaluate("graphMap.overview()")
    names, members = expected["names"], expected["members"]
    assert sorted(n["id"] for n in shown["nodes"]) == sorted(names)
    for n in shown["nodes"]:
        assert n["label"] == f"{names[n['id']]} ({len(members[n['id']])})"
    by_size = sorted(shown["nodes"], key=lambda n: n["size"])
    assert [len(members[n["id"]]) for n in by_size] == sorted(len(m) for m in members.values())
    lines = {tuple(sorted((e["from"], e["to"]))): int(e["label"]) for e in shown["edges"]}
    assert lines == expected["shared_pairs"]
    # three funds in five proeftuinen each: 3 x 10 pairs, some pairs shared twice or more
    assert sum(lines.values()) == 30
    # choosing a circle zooms to that proeftuin on the map
    point = page.evaluate(
        """() => { const o = graphMap.overviewNetwork();
          return o.canvasToDOM(o.getPosition('zandwijk')); }"""
    )
    box = page.locator("#overview").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    settled(page)
    assert page.evaluate("graphMap.state.group") == "zandwijk"
    assert page.locator("#overview").is_hidden()
    page.screenshot(path=str(SHOTS / "after-overview-1024x768.png"))
    assert opened.blocked == [] and opened.requests == [opened.path.as_uri()]
    assert opened.console_errors == []


def test_exports_of_the_national_map_carry_each_proeftuins_box_and_name(
    open_map, server_url, expected
):
    """The SVG and PNG of the whole national map draw every proeftuin's box and name (the
    names are buttons on the page, so an export must draw them itself)."""
    import xml.etree.ElementTree as ET

    with urllib.request.urlopen(f"{server_url}/national/map.html?at={AT}") as resp:
        html = resp.read().decode("utf-8")
    opened = open_map(html, viewport={"width": 1280, "height": 800}, name="landelijk.html")
    page = opened.page
    root = ET.fromstring(page.evaluate("graphMap.svgText(1920, 1080, true)"))
    svg = "{http://www.w3.org/2000/svg}"
    boxes = {r.get("data-group") for r in root.iter(f"{svg}rect") if r.get("class") == "group"}
    names = [g for g in root.iter(f"{svg}g") if g.get("class") == "group-name"]
    assert boxes == set(expected["names"])
    assert {g.get("data-group"): g.find(f"{svg}text").text for g in names} == expected["names"]
    for g in names:
        plate, text = g.find(f"{svg}rect"), g.find(f"{svg}text")
        assert float(text.get("font-size")) >= 14 * 1920 / 1280
        x, y = float(plate.get("x")), float(plate.get("y"))
        assert 0 <= x and x + float(plate.get("width")) <= 1920 and 86 <= y < 1080
    # The PNG at the same size: every name drawn in, as dark text on its light plate.
    dark = page.evaluate(
        """() => { const ctx = graphMap.exportCanvas(1920, 1080, true).getContext('2d');
          return graphMap.lastExportNames().map(g => {
            const px = ctx.getImageData(g.x, g.y, g.width, g.height).data; let n = 0;
            for (let i = 0; i < px.length; i += 4) {
              if (0.3 * px[i] + 0.59 * px[i + 1] + 0.11 * px[i + 2] < 80) n++;
            }
            return [g.key, g.name, g.size, n]; }); }"""
    )
    assert {key: name for key, name, _, _ in dark} == expected["names"]
    for key, _, size, n in dark:
        assert size >= 14 * 1920 / 1280 and n >= 3 * size, (key, n)
    # The actors' names keep clear of the proeftuinen's names in the picture too.
    plates = page.evaluate(
        "graphMap.lastExportNames().map(g => [g.x, g.y, g.x + g.width, g.y + g.height])"
    )
    labels = page.evaluate("graphMap.lastExportLabels()")
    assert len(labels) >= 50
    for _, left, top, right, bottom in labels:
        for x0, y0, x1, y1 in plates:
            assert not (left < x1 and x0 < right and top < y1 and y0 < bottom)
    assert opened.blocked == [] and opened.console_errors == []
