"""The decision pages and charts in headless Chromium: drawn, named, in both languages, at a
laptop and a phone size, with no console errors and no CSP violations."""

from __future__ import annotations

import pytest
from serving import served

from graphsvc.transfer.seeding import load_seeds
from graphsvc.web.app import create_app

pytestmark = pytest.mark.browser

SITES = ("zandwijk", "lindehoven")
AT = "2025-06-30"
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI});
});
"""
VIEWPORTS = [(1280, 800), (1024, 768), (390, 844)]


@pytest.fixture(scope="module")
def base_url(test_settings, _session_repo):
    _session_repo.delete_network()
    assert len(list(load_seeds(_session_repo, SITES))) == len(SITES)
    app = create_app({**test_settings, "ANONYMOUS_ROLE": "viewer"})
    with served(app, "decisions-server") as base:
        yield base


def _visit(browser, base_url, path, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(base_url + path, wait_until="load")
    assert response is not None and response.status == 200, path
    return context, page, errors


def _violations(page) -> list:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # a frame that navigated away meanwhile
            continue
    return found


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_proeftuin_page_shows_its_charts(browser, base_url, size, lang):
    suffix = "&lang=en" if lang == "en" else ""
    context, page, errors = _visit(
        browser, base_url, f"/proeftuinen/zandwijk?at={AT}{suffix}", size
    )
    try:
        charts = (
            "#phases svg.timeline", "#mixing-chart svg", "#reciprocity-chart svg",
            "#roles-chart svg",
        )  # fmt: skip
        for selector in charts:
            box = page.locator(selector).bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 20, selector
            # Never wider than the page: the charts scale down on a phone.
            assert box["x"] + box["width"] <= size[0] + 1, selector
            # A text alternative: named by its title and description.
            svg = page.locator(selector)
            assert svg.get_attribute("role") == "img"
            assert svg.locator(":scope > title").text_content()
            assert svg.locator(":scope > desc").text_content()
        title = page.locator("#mixing-chart svg title").text_content()
        assert title == ("Relaties tussen groepen (dichtheid)" if lang == "nl" else
                         "Ties between groups (density)")  # fmt: skip
        recip = page.locator("#reciprocity-chart svg")
        assert recip.locator(":scope > title").text_content() == (
            "Beantwoorde relaties tussen groepen"
            if lang == "nl"
            else "Returned ties between groups"
        )
        assert "—" in recip.locator("text").all_text_contents()  # no directed tie: not 0
        roles = page.locator("#roles-chart svg")
        legend = roles.locator("text").all_text_contents()[-5:]
        assert legend == (
            ["coördinator", "rondreizend makelaar", "vertegenwoordiger", "poortwachter",
             "verbindingspersoon"] if lang == "nl" else
            ["coordinator", "itinerant broker", "representative", "gatekeeper", "liaison"]
        )  # fmt: skip
        assert roles.locator("rect[data-series]").count() == 5 * 5  # five kinds, five roles
        # The sparklines sit in the scorecard's rows; the separate table is gone.
        assert page.locator("table.sparks").count() == 0
        spark = page.locator("#health-relationships tr[data-indicator=density] td.trend svg")
        assert spark.count() == 1
        box = spark.bounding_box()
        assert box is not None and box["width"] >= 100 and box["x"] + box["width"] <= size[0]
        spark_title = spark.locator("title").text_content()
        assert (" van " if lang == "nl" else " from ") in spark_title and "2024" in spark_title
        rows = page.locator(".scorecard tr[data-indicator] td.trend svg.sparkline").count()
        assert rows >= 8  # every numeric indicator with values over time
        # Nothing sideways: the page is as wide as the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        # The signals that ask for attention are open; the sentences name the single broker.
        assert page.locator("#who details[open]").count() == 3
        who = page.locator("#who details[data-indicator=cut_points_share]").inner_text()
        expected = "verliezen 4" if lang == "nl" else "4 initiative(s) lose every path"
        assert expected in who
        assert page.locator("#introductions li").count() == 5
        assert _violations(page) == [] and errors == []
    finally:
        context.close()


@pytest.mark.parametrize("size", VIEWPORTS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "path, chart",
    [
        ("/proeftuinen/lindehoven/meetings-built", "#ratio-chart svg"),
        (f"/proeftuinen/lindehoven/changes?from=2023-01-01&to={AT}", "#before-after svg"),
        (f"/compare?proeftuinen=zandwijk,lindehoven&at={AT}", "#comparison td svg.sparkline"),
        (f"/national?at={AT}", "#health-relationships td.trend svg.sparkline"),
        (f"/proeftuinen/zandwijk/introductions?at={AT}", "#introductions-table"),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_decision_pages_render_cleanly(browser, base_url, size, path, chart, lang):
    sep = "&" if "?" in path else "?"
    full = path + (f"{sep}lang=en" if lang == "en" else "")
    context, page, errors = _visit(browser, base_url, full, size)
    try:
        box = page.locator(chart).first.bounding_box()
        assert box is not None and box["width"] > 20 and box["height"] > 10, full
        assert page.locator("html").get_attribute("lang") == lang
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0], full
        assert _violations(page) == [] and errors == []
    finally:
        context.close()
