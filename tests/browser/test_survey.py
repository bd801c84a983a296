"""Answering the survey as people do: on a phone (390x844) and a laptop (1280x800), in
Dutch and English, with the mouse and with the keyboard only.

The app runs on a real HTTP server on the test run's Neo4j with the demo proeftuinen;
every request that does not go to it is aborted.  No console errors and no CSP
violations (Chromium reports those as console errors) may occur.  What was answered is
read back from the store.
"""

from __future__ import annotations

import datetime as dt

import pytest
from serving import served

from graphsvc.survey import service
from graphsvc.transfer.seeding import load_seeds
from graphsvc.web.app import create_app

pytestmark = pytest.mark.browser

T = "zandwijk"
ROUND = "zandwijk-browser"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
G02 = "zandwijk-g02"  # Bram Çelik


@pytest.fixture(scope="module")
def server(test_settings, _session_repo):
    repo = _session_repo
    repo.delete_network()
    list(load_seeds(repo))
    today = dt.date.today()
    service.create_round(
        repo,
        T,
        {
            "key": ROUND,
            "title": "Samenwerking Zandwijk",
            "intro": "",
            "opens": today,
            "closes": today + dt.timedelta(days=7),
            "questions": [
                {"key": "collaborates", "scales": ["trust", "equality"]},
                {"key": "support_received", "scales": []},
            ],
        },
    )
    app = create_app(test_settings)
    with served(app) as base:
        yield base, repo


def _link(repo, actor: str) -> str:
    made, _ = service.invite(repo, T, ROUND, [actor])
    return made[0]["token"]


@pytest.fixture
def open_page(browser, server):
    url, _ = server
    contexts = []

    def _open(viewport):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        blocked: list[str] = []

        def route(route_obj):
            if route_obj.request.url.startswith(url + "/"):
                route_obj.continue_()
            else:
                blocked.append(route_obj.request.url)
                route_obj.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page, errors, blocked

    yield _open
    for context in contexts:
        context.close()


def _answers(repo, actor: str) -> dict:
    _, invitations, _, _ = repo.surveys.get_all(T, ROUND)
    return next(i for i in invitations if i.actor == actor).answers


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    ("viewport", "lang", "actor"),
    [(PHONE, "nl", "zandwijk-i01"), (LAPTOP, "en", "zandwijk-i02"), (PHONE, "en", "zandwijk-i03")],
)
def test_answering_with_the_mouse(open_page, server, viewport, lang, actor):
    url, repo = server
    token = _link(repo, actor)
    page, errors, blocked = open_page(viewport)
    suffix = "?lang=en" if lang == "en" else ""
    page.goto(f"{url}/s/{token}{suffix}")
    assert page.locator("html").get_attribute("lang") == lang
    assert ("GDPR" if lang == "en" else "AVG") in page.content()
    _fits(page, viewport["width"])
    page.get_by_label("I take part" if lang == "en" else "Ik doe mee").check()
    page.locator("form button[type=submit]").click()
    page.locator("ol li a").first.click()
    # Search without accents finds the name with them.
    page.fill("#find", "celik")
    visible = page.locator("#people li:not([hidden])")
    assert visible.count() == 1 and "Çelik" in visible.inner_text()
    page.locator(f"input[value='a:{G02}']").check()
    page.locator("button[value=next]").click()
    # Named people get their scale questions before the next question.
    page.wait_for_selector("input[type=radio]")
    _fits(page, viewport["width"])
    radios = page.locator(f"input[name='s|a:{G02}|equal_partners']")
    radios.nth(3).check()
    page.locator("button[value=next]").click()
    page.wait_for_url(f"**/q/2{suffix}")
    assert _answers(repo, actor)["collaborates"] == [
        {"ref": f"a:{G02}", "scales": {"equal_partners": 4}}
    ]
    assert errors == [] and blocked == []


def test_answering_with_the_keyboard_only(open_page, server):
    url, repo = server
    actor = "zandwijk-o01"
    token = _link(repo, actor)
    page, errors, _ = open_page(LAPTOP)
    page.goto(f"{url}/s/{token}")

    def tab_to(selector: str, limit: int = 200) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#agree")
    page.keyboard.press("Space")
    tab_to("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol li a")
    tab_to("ol li a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#find")
    tab_to("#find")
    page.keyboard.type("Çelik")
    page.keyboard.press("Enter")  # filters, does not submit
    tab_to(f"input[value='a:{G02}']")
    page.keyboard.press("Space")
    tab_to("button[value=save]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".saved")
    assert _answers(repo, actor)["collaborates"] == [{"ref": f"a:{G02}"}]
    # The focus outline is visible (WCAG 2.4.7).
    tab_to("input[type=radio]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert errors == []


# -- the editor's forms --------------------------------------------------------------------


@pytest.fixture(scope="module")
def editor_key(test_settings, server):
    from graphsvc.web import auth

    app = create_app(test_settings)
    with app.app_context():
        id_, key = auth.create_key("editor", "browser survey editor")
    yield key
    with app.app_context():
        auth.revoke(id_)


def _sign_in(page, url: str, key: str, target: str) -> None:
    page.goto(f"{url}/signin?next={target}")
    page.fill("#key", key)
    page.locator("form.signin button[type=submit]").click()
    page.wait_for_url(f"{url}{target}")


@pytest.mark.parametrize(
    ("viewport", "lang"), [(LAPTOP, "nl"), (LAPTOP, "en"), (PHONE, "nl"), (PHONE, "en")]
)
def test_an_editor_creates_a_round_with_the_form(open_page, server, editor_key, viewport, lang):
    url, repo = server
    key = f"zandwijk-form-{lang}-{viewport['width']}"
    page, errors, blocked = open_page(viewport)
    target = f"/proeftuinen/{T}/surveys" + ("?lang=en" if lang == "en" else "")
    _sign_in(page, url, editor_key, target)
    _fits(page, viewport["width"])
    today = dt.date.today()
    page.fill("#f-title", f"Formulier {lang} {viewport['width']}")
    page.fill("#f-key", key)
    page.fill("#f-opens", today.isoformat())
    page.fill("#f-closes", (today - dt.timedelta(days=1)).isoformat())
    page.locator("input[name=question][value=collaborates]").check()
    page.locator("input[name=scales_collaborates][value=equality]").check()
    page.locator("#create-round").click()
    # A close before the open: the error at the field, in the page's language; nothing stored.
    error = page.locator("#err-closes")
    error.wait_for()
    expected = (
        "de sluitdatum ligt voor de openingsdatum"
        if lang == "nl"
        else "the closing date is before the opening date"
    )
    assert expected in error.inner_text()
    assert page.locator("#f-closes").get_attribute("aria-invalid") == "true"
    assert key not in {r.key for r in repo.surveys.list(T)}
    _fits(page, viewport["width"])
    # What was typed and ticked stays; a good date makes the round, listed on the page.
    assert page.locator("#f-key").input_value() == key
    assert page.locator("input[name=scales_collaborates][value=equality]").is_checked()
    page.fill("#f-closes", (today + dt.timedelta(days=10)).isoformat())
    page.locator("#create-round").click()
    page.wait_for_url(f"**/surveys/{key}**")
    assert page.locator("#invite-form").is_visible()
    _fits(page, viewport["width"])
    page.goto(url + target)
    assert page.locator(f"li[data-round='{key}']").is_visible()
    made = repo.surveys.get(T, key)
    assert [(q["key"], q["scales"]) for q in made.questions] == [("collaborates", ["equality"])]
    # Chromium reports the refused form's status (422) in the console; nothing else may be there.
    assert [e for e in errors if "status of 422" not in e] == [] and blocked == []
    assert len(errors) == 1


def test_an_unconfirmed_tie_is_dashed_on_the_live_map(open_page, server, editor_key):
    """A round closed with one answer: the tie it names is unconfirmed, dashed on the map."""
    url, repo = server
    key = "zandwijk-live-map"
    today = dt.date.today()
    service.create_round(
        repo,
        T,
        {
            "key": key,
            "title": "Kaart",
            "intro": "",
            "opens": today,
            "closes": today + dt.timedelta(days=7),
            "questions": [{"key": "collaborates", "scales": []}],
        },
    )
    made, _ = service.invite(repo, T, key, ["zandwijk-i01"])
    inv, rnd = service.find(repo, made[0]["token"], today)
    service.consent(repo, inv, rnd, False, today)
    inv, rnd = service.find(repo, made[0]["token"], today)
    service.save_answer(repo, inv, rnd, "collaborates", [f"a:{G02}"], {}, [], [f"a:{G02}"], today)
    service.apply(repo, T, key, today, close=True)
    page, errors, blocked = open_page(LAPTOP)
    target = f"/proeftuinen/{T}/surveys"
    _sign_in(page, url, editor_key, target)
    page.goto(f"{url}/proeftuinen/{T}/map.html?embed=1")
    page.wait_for_selector("body[data-map-ready='true']", timeout=60_000)
    dashed = page.evaluate(
        "graphMap.data.ties.filter(t => t.dashed)"
        ".map(t => JSON.stringify(graphMap.edges.get(t.id).dashes))"
    )
    assert dashed == ["[4,4]"]
    assert page.locator("#legend-dashed").inner_text().strip() == (
        "onbevestigd — door één kant genoemd"
    )
    assert errors == [] and blocked == []
