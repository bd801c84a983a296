"""Render a network as ONE self-contained, offline, bilingual HTML page.

Ties, actors with their metrics, positions, options and a :class:`visualize.theme.MapTheme`
(the caller's kinds, tie types, roles and words) in, one HTML page out.  pyvis builds the
vis-network nodes, edges and options (:mod:`visualize.network`); our own Jinja template
renders them.  pyvis's own templates fetch Bootstrap and other files from the internet
even in ``in_line`` mode, and a facilitator in a village hall often has no internet, so
every script and style the page needs (vis-network as shipped inside the pyvis package,
our scripts and our stylesheet) is inlined, and the page uses system fonts only.

The page receives *all* ties with their dates and filters them in the browser:
a tie is visible at date d when ``since <= d`` and (``until`` is empty or
``until > d``).

Only what the caller passes per actor reaches the page: the name (already
pseudonymised when the viewer may not see names), kind, group and metrics.
Actor keys do not: nodes get opaque ids (``a0``, ``a1``, ...), because keys are
external ids that may themselves identify a person.

The input is checked first (:mod:`visualize.inputs`): bad input is a ValueError naming the
item and field.
"""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from . import groups, i18n, style
from .inputs import (
    as_number,
    check_actors,
    clean_groups,
    clean_introductions,
    clean_ties,
    iso_date,
)
from .network import build_network, vis_assets
from .theme import MapTheme

__all__ = [
    "MapOptions",
    "SIZE_METRICS",
    "actor_ids",
    "inline_code",
    "render_map",
    "render_pyvis_default",
    "vis_assets",
]

#: Metrics the node size can follow (``brokerage`` is the brokerage total).
SIZE_METRICS: tuple[str, ...] = ("degree", "betweenness", "brokerage")


@dataclass
class MapOptions:
    """How a map is rendered.

    Attributes
    ----------
    title : heading of the page (and the name of the PNG download)
    lang : "nl" (default) or "en": the language the page opens in; a button switches
    size_metric : "degree", "betweenness" or "brokerage": what node size follows at first
    at : the date the page opens at (date or "YYYY-MM-DD"); None: the latest start date of a tie
        (an end date is often a planned end, so ties that end later are still shown)
    fictional_notice : say on the page that the data is fictional
    names_visible : whether the viewer sees real names; only changes the notice on the page
    physics : run vis-network's physics; None: only when positions are missing
    metrics_at : the date the caller computed the metrics for, named next to the size control;
        None: the opening date
    broker_share : when an actor's metrics have no ``broker`` flag, the share of actors (with
        the highest brokerage total, and a total above 0) marked as brokers
    meetings : (date, title) of the meetings: marks on the date slider (each a step of it),
        and "since meeting X" highlights the ties begun after it
    titles : the title in every language ({lang: title}), for the page's language switch;
        None: ``title`` in both
    introductions : suggested ties, drawn as dashed lines behind a switch: dicts with
        ``source``, ``target`` (actor keys) and ``reason`` ({lang: text}, a plain sentence)
    groups : groups of actors drawn as clusters (the proeftuinen of a national map): dicts
        with ``key``, ``name``, ``members`` (actor keys; an actor may be in several groups)
        and optionally ``url`` (the group's own page). Each group gets a box and a name on
        the map and a line in the panel; choosing it zooms to its actors. Lay the actors out
        with :func:`visualize.groups.layout_groups` so that the clusters stand apart.
    """

    title: str = "Netwerkkaart"
    lang: str = "nl"
    size_metric: str = "degree"
    at: date | str | None = None
    fictional_notice: bool = False
    names_visible: bool = False
    physics: bool | None = None
    metrics_at: date | str | None = None
    broker_share: float = 0.1
    meetings: Sequence[tuple[date | str, str]] = ()
    introductions: Sequence[Mapping] = ()
    titles: Mapping[str, str] | None = None
    groups: Sequence[Mapping] = ()

    def __post_init__(self) -> None:
        if self.lang not in i18n.LANGS:
            raise ValueError(f"lang must be one of {', '.join(i18n.LANGS)}, not {self.lang!r}")
        if self.size_metric not in SIZE_METRICS:
            raise ValueError(
                f"size_metric must be one of {', '.join(SIZE_METRICS)}, not {self.size_metric!r}"
            )
        if not 0.0 <= self.broker_share <= 1.0:
            raise ValueError("broker_share must lie between 0 and 1")
        self.at = iso_date(self.at, "at") if self.at is not None else None
        self.metrics_at = (
            iso_date(self.metrics_at, "metrics_at") if self.metrics_at is not None else None
        )
        self.meetings = tuple(
            (iso_date(when, f"meetings[{i}]"), str(title))
            for i, (when, title) in enumerate(self.meetings)
        )


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _last_change(ties: Sequence[dict]) -> str | None:
    points = [t["since"] for t in ties] + [t["until"] for t in ties if t["until"]]
    return max(points) if points else None


def _slider_dates(
    ties: Sequence[dict], initial: str | None, meetings: Sequence[str] = ()
) -> list[str]:
    """The steps of the date slider: the last day of every month the ties span, the meetings
    and the opening date, ending at the last dated change (nothing moves after it)."""
    points = [t["since"] for t in ties] + [t["until"] for t in ties if t["until"]]
    if not points:
        return [initial] if initial else []
    first, last = date.fromisoformat(min(points)), date.fromisoformat(max(points))
    out = set()
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.add(_month_end(date(year, month, 1)).isoformat())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    out = {d for d in out if d <= last.isoformat()} | {last.isoformat()}
    out |= {m for m in meetings if min(points) <= m <= last.isoformat()}
    if initial:
        out.add(min(initial, last.isoformat()))
    return sorted(out)


#: Up to this many actors the page gets every slider step's own betweenness.
STEP_BETWEENNESS_MAX_ACTORS = 600


def _step_metrics(ties: Sequence[dict], keys: Sequence[str], dates: Sequence[str]) -> dict:
    """Per slider step: every actor's degree and betweenness and the articulation points.

    Computed here, on the undirected view of the ties shown at each date (a tie is shown at
    d when ``since <= d`` and ``until`` is empty or later), so the page, offline as well, sizes
    and marks the actors as they were at that date.  Lists follow the actors' order.
    Betweenness costs about a second per step at 2,000 actors: above
    :data:`STEP_BETWEENNESS_MAX_ACTORS` it is left out, and sizing by betweenness keeps the
    caller's values (of its metrics date) at every step.
    """
    import igraph as ig  # the layout's dependency; imported here, rendering alone needs it

    index = {k: i for i, k in enumerate(keys)}
    out: dict[str, dict] = {}
    for d in dates:
        pairs = {
            (
                min(index[t["source"]], index[t["target"]]),
                max(index[t["source"]], index[t["target"]]),
            )
            for t in ties
            if t["since"] <= d and (not t["until"] or t["until"] > d) and t["source"] != t["target"]
        }
        g = ig.Graph(n=len(keys), edges=sorted(pairs))
        step: dict = {"degree": g.degree(), "cut": sorted(g.articulation_points())}
        if len(keys) <= STEP_BETWEENNESS_MAX_ACTORS:
            step["betweenness"] = [round(b, 1) for b in g.betweenness(directed=False)]
        out[d] = step
    return out


def _brokers(actors: Mapping[str, Mapping], share: float, roles: Sequence[str]) -> set[str]:
    """Actors marked as brokers: an explicit ``broker`` flag, else the top ``share`` by total."""
    flagged = {k for k, a in actors.items() if "broker" in (a.get("metrics") or {})}
    if flagged:
        return {k for k in flagged if actors[k]["metrics"]["broker"]}
    totals = {
        k: i18n.brokerage_total((a.get("metrics") or {}).get("brokerage"), roles)
        for k, a in actors.items()
    }
    ranked = sorted((t for t in totals.values() if t > 0), reverse=True)
    if not ranked or share == 0:
        return set()
    threshold = ranked[min(len(ranked), max(1, math.ceil(share * len(actors)))) - 1]
    return {k for k, t in totals.items() if t > 0 and t >= threshold}


def _actor_records(
    actors: Mapping[str, Mapping], ids: Mapping[str, str], brokers: set[str], theme: MapTheme
) -> list[dict]:
    """What the page script knows per actor: exactly the given name, kind, group and metrics."""
    out = []
    for key, actor in actors.items():
        metrics = actor.get("metrics") or {}
        name = actor["name"]
        group = str(actor.get("group") or actor["kind"])
        names = actor.get("names") or {}
        out.append(
            {
                "id": ids[key],
                "name": name,
                # the name in each language ("Bewoner 17" / "Resident 17"), for the switch
                "names": {lang: str(names.get(lang) or name) for lang in i18n.LANGS},
                "kind": actor["kind"],
                "group": group,
                "groupLabel": {lang: i18n.group_label(group, lang, theme) for lang in i18n.LANGS},
                "metrics": {
                    "degree": as_number(metrics.get("degree"), f"{name}: degree"),
                    "betweenness": as_number(metrics.get("betweenness"), f"{name}: betweenness"),
                    "brokerage": i18n.brokerage_total(metrics.get("brokerage"), theme.role_keys),
                },
                "broker": key in brokers,
                "articulation": bool(metrics.get("articulation_point")),
                "about": {
                    lang: i18n.about_actor(name, metrics, lang, theme) for lang in i18n.LANGS
                },
            }
        )
    return out


def actor_ids(keys: Sequence[str]) -> dict[str, str]:
    """The opaque id the page gives each actor (``a0``, ``a1``, ... in the given order).

    A caller that links to a map focused on an actor (``map.html#focus=a17`` or
    ``?focus=a17``) finds the id here, from the same order of actors it renders with.
    """
    return {key: f"a{i}" for i, key in enumerate(keys)}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("visualize", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # tojson still escapes < > & ' (so no name can end the script element); names stay
    # readable UTF-8 instead of \u escapes, which also keeps large maps smaller.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


@lru_cache(maxsize=1)
def _own_assets() -> tuple[str, str]:
    folder = Path(__file__).parent / "assets"
    return (
        (folder / "map.js").read_text(encoding="utf-8"),
        (folder / "map.css").read_text(encoding="utf-8"),
    )


@lru_cache(maxsize=1)
def _svg_asset() -> str:
    """The SVG export's script (``window.graphMapSvg``), inlined before map.js."""
    return (Path(__file__).parent / "assets" / "svg.js").read_text(encoding="utf-8")


def inline_code() -> tuple[list[str], list[str]]:
    """The exact bodies of the inline ``<script>`` and ``<style>`` elements of every map.

    ``(scripts, styles)``; the map's data block (``application/json``) does not run and is
    not among them.  A server that sends a map can allow exactly these in its
    Content-Security-Policy (graphsvc.web.headers), whatever the data in the map.
    """
    vis_js, vis_css = vis_assets()
    map_js, map_css = _own_assets()
    return [vis_js, _svg_asset(), map_js], [vis_css, map_css]


def _page_data(
    clean: list[dict],
    records: list[dict],
    ids: Mapping[str, str],
    vis: tuple[list, list, str],
    options: MapOptions,
    physics: bool,
    legend: tuple[list[str], list[str]],
    theme: MapTheme,
) -> dict:
    """The JSON the page script reads (``<script id="map-data">``)."""
    nodes, edges, vis_options_json = vis
    # MapOptions holds ``at`` as "YYYY-MM-DD" once constructed (str() keeps it so)
    initial = str(options.at) if options.at else (max(t["since"] for t in clean) if clean else None)
    meetings = [str(m[0]) for m in options.meetings]  # "YYYY-MM-DD" once constructed
    dates = _slider_dates(clean, initial, meetings)
    last = _last_change(clean)
    if initial and last and initial > last:
        initial = last  # the network looks the same from its last change on
    keys = list(ids)
    return {
        "title": options.title,
        "titles": {lang: (options.titles or {}).get(lang) or options.title for lang in i18n.LANGS},
        "lang": options.lang,
        "i18n": i18n.catalogue(theme),
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(vis_options_json),
        "actors": records,
        "ties": [
            {
                "id": f"t{i}",
                "type": t["type"],
                "since": t["since"],
                "until": t["until"],
                "weight": t["weight"],
                "dashed": t["dashed"],
                "from": ids[t["source"]],
                "to": ids[t["target"]],
            }
            for i, t in enumerate(clean)
        ],
        "dates": dates,
        "steps": _step_metrics(clean, keys, dates),
        "meetings": [{"date": d, "title": title} for d, title in options.meetings],
        "introductions": clean_introductions(options.introductions, set(keys), ids),
        "groups": clean_groups(options.groups, set(keys), ids),
        "groupBox": {"pad": groups.BOX_PAD, "band": groups.LABEL_BAND},
        "initialDate": initial,
        "metricsAt": options.metrics_at or initial,
        "sizeMetric": options.size_metric,
        "sizeMetrics": list(SIZE_METRICS),
        "physics": physics,
        "kinds": legend[0],
        "tieTypes": legend[1],
        "minorKinds": [k.key for k in theme.kinds if k.minor],
        "fictional": options.fictional_notice,
        "namesVisible": options.names_visible,
        "marks": {
            "broker": {"width": style.BROKER_BORDER_WIDTH, "dashes": False},
            "articulation": {
                "width": style.ARTICULATION_BORDER_WIDTH,
                "dashes": list(style.ARTICULATION_DASHES),
            },
            "gap": style.MARK_GAP,
            "colour": style.MARK_COLOUR,
        },
    }


def _legend(
    actors: Mapping[str, Mapping],
    clean: list[dict],
    records: list[dict],
    brokers: set[str],
    theme: MapTheme,
) -> dict:
    """Template values of the legend: present kinds, tie types and marks, with their swatches."""
    kinds = [k for k in theme.kinds if any(a["kind"] == k.key for a in actors.values())]
    types = [t for t in theme.tie_types if any(tie["type"] == t.key for tie in clean)]
    present_marks = (
        ("broker", bool(brokers)),
        ("articulation", any(r["articulation"] for r in records)),
    )
    return {
        "kinds": [
            (
                k.key,
                Markup(style.kind_swatch_svg(k.style)),
                sum(a["kind"] == k.key for a in actors.values()),
            )
            for k in kinds
        ],
        "tie_types": [
            (
                t.key,
                Markup(style.tie_swatch_svg(t.style, t.directed)),
                sum(tie["type"] == t.key for tie in clean),
            )
            for t in types
        ],
        "marks": [(m, Markup(style.mark_swatch_svg(m))) for m, present in present_marks if present],
        # one entry for the dashed line of ties marked ``dashed``, when the map has any
        "dashed": Markup(style.dashed_swatch_svg()) if any(t["dashed"] for t in clean) else None,
    }


def _pack_isolates(
    actors: Mapping[str, Mapping], ties: list[dict], positions: Mapping
) -> dict[str, tuple[float, float]]:
    """Positions with the actors that have no tie at any date packed in a block to the right.

    A force layout pushes unconnected actors out onto a far arc, and "fit all" then shrinks
    the whole network to make room for them.  Here they stand in a tidy grid beside the
    network instead, a square-ish block (no higher than the network) centred on it
    vertically, ``_ISOLATE_STEP`` apart, as :func:`visualize.layout.pack_components` puts
    them.  Actors without a position are left to physics.
    """
    out = {k: (float(x), float(y)) for k, (x, y) in positions.items()}
    tied = {t["source"] for t in ties} | {t["target"] for t in ties}
    alone = [k for k in actors if k not in tied and k in out]
    rest = [out[k] for k in actors if k in tied and k in out]
    if not alone or not rest:
        return out
    xs, ys = [p[0] for p in rest], [p[1] for p in rest]
    step = _ISOLATE_STEP
    rows = max(1, min(math.ceil(math.sqrt(len(alone))), int((max(ys) - min(ys)) // step) + 1))
    cols = math.ceil(len(alone) / rows)
    rows = math.ceil(len(alone) / cols)
    left = max(xs) + 2 * step
    top = (min(ys) + max(ys)) / 2 - (rows - 1) * step / 2
    for i, key in enumerate(alone):
        out[key] = (left + (i % cols) * step, top + (i // cols) * step)
    return out


#: Distance between two actors in the block of actors without ties (map units).
_ISOLATE_STEP = 110.0


def _physics(actors: Mapping[str, Mapping], positions: Mapping, options: MapOptions) -> bool:
    """Whether vis-network lays the map out: as asked, else only when positions are missing."""
    missing = [k for k in actors if k not in positions]
    physics = bool(missing) if options.physics is None else options.physics
    if missing and not physics:
        raise ValueError(
            f"{len(missing)} actor(s) have no position (first: {missing[0]!r}); "
            "place them with visualize.layout.extend_layout or turn physics on"
        )
    return physics


def _page(data: dict, legend: dict, options: MapOptions) -> str:
    """The HTML page: our template with the page data, the legend and every script and style
    inlined."""
    vis_js, vis_css = vis_assets()
    map_js, map_css = _own_assets()
    catalogue = data["i18n"][options.lang]
    return (
        _environment()
        .get_template("map.html.j2")
        .render(
            title=options.title,
            lang=options.lang,
            t=catalogue["ui"],
            kind_labels=catalogue["kinds"],
            tie_labels=catalogue["ties"],
            fictional=options.fictional_notice,
            names_visible=options.names_visible,
            size_metrics=SIZE_METRICS,
            size_metric=options.size_metric,
            has_dates=bool(data["dates"]),
            data=data,
            vis_js=Markup(vis_js),
            vis_css=Markup(vis_css),
            svg_js=Markup(_svg_asset()),
            map_js=Markup(map_js),
            map_css=Markup(map_css),
            **legend,
        )
    )


def render_map(
    ties: list[dict],
    actors: dict[str, dict],
    positions: dict[str, tuple[float, float]],
    options: MapOptions,
    theme: MapTheme,
) -> str:
    """Render the map of a network as one self-contained HTML page.

    Parameters
    ----------
    ties : list of dict
        ALL ties, of every date: ``source``, ``target`` (actor keys), ``type`` (a key of
        ``theme.tie_types``), ``since`` ("YYYY-MM-DD"), ``until`` ("YYYY-MM-DD" or None),
        ``weight`` (> 0, default 1), optionally ``dashed`` (bool: drawn as a dashed line
        whatever its type's line, with a legend entry whose words are the page word
        ``legend_dashed``; the caller decides what a dashed tie means).
    actors : dict of actor key to dict
        ``name`` (already pseudonymised when needed), optionally ``names`` ({lang: name}: the
        name the page shows in each language), ``kind`` (a key of ``theme.kinds``),
        ``group`` and ``metrics`` with ``degree``, ``betweenness``, ``brokerage``
        ({role: count}, roles of ``theme.roles``, optionally ``total``),
        ``articulation_point`` and optionally ``broker`` (bool). Nothing else of an actor is
        put into the page.
    positions : dict of actor key to (x, y)
        Saved vis-network positions (see :mod:`visualize.layout`). With physics off every actor
        needs one.
    options : MapOptions
    theme : MapTheme
        The kinds, tie types and brokerage roles with their words and looks, and page words
        that replace the generic ones.

    Returns
    -------
    str: the HTML page. It makes no network request: every script and style is inline.
    """
    check_actors(actors, theme)
    clean = clean_ties(ties, actors, theme)
    physics = _physics(actors, positions, options)
    ids = actor_ids(list(actors))
    brokers = _brokers(actors, options.broker_share, theme.role_keys)
    if not physics and not options.groups:  # in groups, isolates stay in their group
        positions = _pack_isolates(actors, clean, positions)
    net = build_network(actors, clean, ids, positions, brokers, physics, theme)
    nodes, edges, _heading, _height, _width, vis_options_json = net.get_network_data()
    records = _actor_records(actors, ids, brokers, theme)
    legend = _legend(actors, clean, records, brokers, theme)
    present = ([k for k, _, _ in legend["kinds"]], [t for t, _, _ in legend["tie_types"]])
    vis = (nodes, edges, vis_options_json)
    data = _page_data(clean, records, ids, vis, options, physics, present, theme)
    return _page(data, legend, options)


def render_pyvis_default(ties: list[dict], actors: dict[str, dict], theme: MapTheme) -> str:
    """What plain pyvis makes of the same network: its default template and physics.

    For the benchmark only. ``cdn_resources="in_line"`` inlines vis-network, yet the default
    template still links Bootstrap from a CDN; the page has no positions and stabilises with
    vis-network's physics in the browser.
    """
    clean = clean_ties(ties, actors, theme)
    net = Network(directed=True, cdn_resources="in_line")
    for key, actor in actors.items():
        net.add_node(key, label=actor["name"], title=actor["kind"])
    for tie in clean:
        net.add_edge(tie["source"], tie["target"], title=tie["type"])
    return net.generate_html()
