"""Fixtures for the map tests in a real headless Chromium (the Debian package, never a download).

The browser is started once per session. Every page opens a map from disk and aborts any
request that is not that file, counting them: a map for a village hall without internet
must not need one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Fifteen actors of all five kinds, with the names the search must find.
FIXTURE_ACTORS = {
    "r1": ("Çelik", "resident"),
    "r2": ("José", "resident"),
    "r3": ("Anne-Marie 't Hart", "resident"),
    "r4": ("Fatima Bakkali", "resident"),
    "r5": ("Henk de Vries", "resident"),
    "r6": ("Lars Øberg", "resident"),
    "i1": ("Buurtmoestuin De Linde", "initiative"),
    "i2": ("Repair Café Noord", "initiative"),
    "i3": ("Taalcafé Samen", "initiative"),
    "g1": ("Wijkregisseur Pieters", "official"),
    "g2": ("Beleidsmedewerker Smit", "official"),
    "f1": ("Fonds Samen Sterk", "funder"),
    "f2": ("Stichting Buurtgeld", "funder"),
    "o1": ("Welzijn Noord", "organisation"),
    "o2": ("Woningcorporatie Thuis", "organisation"),
}

# Every tie type, dates spread over Nov 2022 .. Nov 2024, three ties that end, one parallel pair.
FIXTURE_TIES = [
    ("r1", "r2", "knows", "2022-11-05", None),
    ("r1", "i1", "member_of", "2022-11-20", None),
    ("r2", "i1", "member_of", "2023-01-10", None),
    ("r3", "i2", "member_of", "2023-02-01", None),
    ("r3", "r1", "knows", "2023-03-15", "2024-03-01"),
    ("i1", "g1", "contacts", "2023-04-01", None),
    ("g1", "i1", "advises", "2023-05-10", None),
    ("f1", "i1", "funds", "2023-06-01", "2024-06-01"),
    ("f1", "i2", "funds", "2023-09-01", None),
    ("o1", "i2", "supports", "2023-02-15", None),
    ("o1", "g1", "collaborates", "2022-12-01", None),
    ("i1", "i2", "collaborates", "2023-10-01", None),
    ("r4", "i3", "member_of", "2023-11-01", None),
    ("i3", "g2", "contacts", "2024-01-15", None),
    ("f2", "i3", "funds", "2024-02-01", None),
    ("g2", "g1", "collaborates", "2022-11-10", None),
    ("r5", "r4", "knows", "2024-04-01", None),
    ("o2", "i3", "supports", "2024-05-01", "2024-10-01"),
    ("r6", "r5", "knows", "2024-08-01", None),
    ("r1", "g1", "contacts", "2024-09-01", None),
    ("r2", "r1", "collaborates", "2024-02-01", None),
    ("f2", "f1", "collaborates", "2024-10-15", None),
    ("o2", "g2", "contacts", "2024-11-20", None),
]

FIXTURE_BROKERAGE = {
    "g1": {"coordinator": 0, "itinerant": 0, "representative": 1, "gatekeeper": 2, "liaison": 4},
    "i1": {"coordinator": 1, "itinerant": 0, "representative": 3, "gatekeeper": 0, "liaison": 0},
    "i3": {"coordinator": 0, "itinerant": 0, "representative": 0, "gatekeeper": 2, "liaison": 1},
    "o1": {"coordinator": 0, "itinerant": 1, "representative": 0, "gatekeeper": 0, "liaison": 0},
}


def fixture_network() -> tuple[list[dict], dict[str, dict]]:
    """Ties and actors (with metrics of the network at its latest start date) for render_map."""
    ties = [
        {"source": s, "target": t, "type": ty, "since": since, "until": until, "weight": 1.0}
        for s, t, ty, since, until in FIXTURE_TIES
    ]
    latest = max(t["since"] for t in ties)
    G = nx.Graph()
    G.add_nodes_from(FIXTURE_ACTORS)
    G.add_edges_from(
        (t["source"], t["target"])
        for t in ties
        if t["since"] <= latest and (t["until"] is None or t["until"] > latest)
    )
    betweenness = nx.betweenness_centrality(G)
    cut = set(nx.articulation_points(G))
    actors = {}
    for key, (name, kind) in FIXTURE_ACTORS.items():
        roles = dict(
            FIXTURE_BROKERAGE.get(
                key,
                dict.fromkeys(
                    ("coordinator", "itinerant", "representative", "gatekeeper", "liaison"), 0
                ),
            )
        )
        roles["total"] = sum(roles.values())
        actors[key] = {
            "name": name,
            "kind": kind,
            "group": kind,
            "metrics": {
                "degree": G.degree(key),
                "betweenness": betweenness[key],
                "brokerage": roles,
                "articulation_point": key in cut,
            },
        }
    return ties, actors


@dataclass
class OpenedMap:
    """A map page opened from disk, with the requests it tried and the console errors it logged."""

    page: object
    path: Path
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed"
    )
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("the Debian chromium package is not installed")  # a failure under CI=true
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_map(browser, tmp_path):
    """Return a function that writes ``html`` to disk and opens it offline at ``viewport``."""
    contexts = []

    def _open(html: str, viewport: dict | None = None, name: str = "map.html") -> OpenedMap:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        url = path.as_uri()
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 800}, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        opened = OpenedMap(page=page, path=path)

        def route(route_obj):
            request_url = route_obj.request.url
            opened.requests.append(request_url)
            if request_url == url:
                route_obj.continue_()
            else:
                opened.blocked.append(request_url)
                route_obj.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
        page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector("body[data-map-ready='true']", timeout=30_000)
        return opened

    yield _open
    for context in contexts:
        context.close()


def fixture_positions(ties: list[dict], actors: dict[str, dict]) -> dict:
    from visualize.layout import compute_layout

    G = nx.Graph()
    # as graphsvc.analysis.map_content.layout_graph: every kind but residents is core
    G.add_nodes_from((k, {"core": a["kind"] != "resident"}) for k, a in actors.items())
    G.add_edges_from((t["source"], t["target"]) for t in ties)
    return compute_layout(G, seed=3)


@dataclass
class RenderedMap:
    ties: list[dict]
    actors: dict[str, dict]
    html: str = field(repr=False)


@pytest.fixture(scope="session")
def fixture_map() -> RenderedMap:
    """The fixture network rendered in Dutch with the fictional notice."""
    from graphsvc.analysis.map_theme import MAP_THEME
    from visualize.render import MapOptions, render_map

    ties, actors = fixture_network()
    html = render_map(
        ties,
        actors,
        fixture_positions(ties, actors),
        MapOptions(title="Proeftuin Noord", fictional_notice=True, names_visible=False),
        MAP_THEME,
    )
    return RenderedMap(ties, actors, html)


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """Where the browser tests save the facilitator's guide screenshots."""
    root = Path(__file__).resolve().parents[2]
    if request.config.getoption("--update-screenshots"):
        folder = root / "docs" / "screenshots"
    else:
        folder = root / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_network(key: str) -> tuple[list[dict], dict[str, dict], list[tuple[str, str]]]:
    """Ties, actors (residents as "Bewoner N", metrics at the latest start date) and meetings
    (date, title) of one demo proeftuin, read from the seed files without a store."""
    import csv
    from importlib import resources

    folder = resources.files("graphsvc.seeds").joinpath(key)

    def rows(name: str) -> list[dict[str, str]]:
        text = folder.joinpath(f"{name}.csv").read_text(encoding="utf-8-sig")
        return list(csv.DictReader(text.splitlines()))

    people = rows("actors")
    ties = [
        {
            "source": r["source"],
            "target": r["target"],
            "type": r["type"],
            "since": r["since"],
            "until": r["until"] or None,
            "weight": float(r["weight"] or 1),
        }
        for r in rows("ties")
    ]
    latest = max(t["since"] for t in ties)
    G = nx.Graph()
    G.add_nodes_from(p["key"] for p in people)
    G.add_edges_from(
        (t["source"], t["target"])
        for t in ties
        if t["since"] <= latest and (t["until"] is None or t["until"] > latest)
    )
    betweenness = nx.betweenness_centrality(G, normalized=False)
    cut = set(nx.articulation_points(G))
    actors, number = {}, 0
    for p in people:
        if p["kind"] == "resident":
            number += 1
            name = f"Bewoner {number}"
        else:
            name = p["name"]
        actors[p["key"]] = {
            "name": name,
            "kind": p["kind"],
            "group": p["kind"],
            "metrics": {
                "degree": G.degree(p["key"]),
                "betweenness": betweenness[p["key"]],
                "brokerage": {"total": 0},
                "articulation_point": p["key"] in cut,
            },
        }
    meetings = sorted((m["date"], m["title"]) for m in rows("meetings"))
    return ties, actors, meetings


def demo_map_html(key: str, **options) -> tuple[list[dict], dict[str, dict], str]:
    """A demo proeftuin rendered as the offline map (names pseudonymised, fictional notice)."""
    from graphsvc.analysis.map_content import _INTRO_REASONS
    from graphsvc.analysis.map_theme import MAP_THEME
    from graphsvc.metrics.weaving import introductions
    from visualize.render import MapOptions, render_map

    ties, actors, meetings = demo_network(key)
    latest = max(t["since"] for t in ties)
    G = nx.Graph()
    G.add_nodes_from((k, {"kind": a["kind"]}) for k, a in actors.items())
    G.add_edges_from(
        (t["source"], t["target"])
        for t in ties
        if t["type"] != "member_of"
        and t["since"] <= latest
        and (t["until"] is None or t["until"] > latest)
    )
    intros = [
        {"source": i.a, "target": i.b, "reason": _INTRO_REASONS[i.reason]} for i in introductions(G)
    ]
    html = render_map(
        ties,
        actors,
        fixture_positions(ties, actors),
        MapOptions(
            title=key.capitalize(),
            fictional_notice=True,
            meetings=meetings,
            introductions=intros,
            **options,
        ),
        MAP_THEME,
    )
    return ties, actors, html
