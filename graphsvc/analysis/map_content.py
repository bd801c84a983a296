"""What goes into a map, from the network rows: the shown names (pseudonyms for viewers),
the ties with their dates, the introductions, the actors with their metrics, the national
map's groups, and the graph and order its positions are laid out from.

Pure functions of the rows (no store, no cache): :mod:`graphsvc.analysis.maps` reads,
places, renders and caches with them.  Nothing here logs a name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import networkx as nx

from graphsvc import vocabulary as vocab
from graphsvc.analysis.graph import unconfirmed
from graphsvc.analysis.map_theme import MAP_THEME
from graphsvc.store.repository import NetworkRows
from visualize.groups import layout_groups

__all__ = [
    "MAP_TIE_TYPES",
    "LAYOUT_SEED",
    "display_names",
    "layout_graph",
    "map_actors",
    "map_groups",
    "map_introductions",
    "map_ties",
    "national_labels",
    "national_layout",
    "proeftuin_labels",
    "proeftuin_order",
    "pseudonym_label",
]

#: Tie types drawn on a map: every one-mode type (member_of is two-mode).
MAP_TIE_TYPES: tuple[str, ...] = vocab.ONE_MODE_TIE_TYPES
#: Seed of every computed layout: recomputing an unchanged network gives the same picture.
LAYOUT_SEED = 0

_PSEUDONYM = {"nl": "Bewoner {n}", "en": "Resident {n}"}
_PSEUDONYM_UNNUMBERED = {"nl": "Bewoner", "en": "Resident"}


def pseudonym_label(number: int | None, lang: str, proeftuin_name: str | None = None) -> str:
    """ "Bewoner 17" / "Resident 17" (with the proeftuin's name on the national map).

    A resident whose number is not (yet) known is plainly "Bewoner": never the name.
    """
    label = _PSEUDONYM[lang].format(n=number) if number is not None else _PSEUDONYM_UNNUMBERED[lang]
    return f"{label} ({proeftuin_name})" if proeftuin_name else label


def layout_graph(rows: NetworkRows) -> nx.Graph:
    """Every actor and every one-mode tie of any date, undirected: what positions follow.

    Ties of all dates, so that an actor keeps its place while the date control
    moves; direction and weight do not matter for placement.  Actors of a kind that is
    not minor (everyone but residents) carry ``core=True``: the layout gives them room
    for their names (see :func:`visualize.layout.compute_layout`).
    """
    minor = {k.key for k in MAP_THEME.kinds if k.minor}
    G = nx.Graph()
    G.add_nodes_from((a.key, {"core": a.kind not in minor}) for a in rows.actors)
    wanted = set(MAP_TIE_TYPES)
    G.add_edges_from(
        (t.source, t.target)
        for t in rows.ties
        if t.type in wanted and t.source != t.target and t.source in G and t.target in G
    )
    return G


def proeftuin_order(rows: NetworkRows, names: dict[str, str]) -> list[str]:
    """The proeftuinen of the rows, by name (as the start page lists them)."""
    keys = {p for a in rows.actors for p in a.proeftuinen} | set(names)
    return sorted(keys, key=lambda k: (str(names.get(k, k)).casefold(), k))


def national_layout(rows: NetworkRows, names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Positions of the national map: each proeftuin its own cluster, actors of several
    proeftuinen (national funds) between the clusters they join (visualize.groups)."""
    return layout_groups(
        layout_graph(rows),
        {a.key: a.proeftuinen for a in rows.actors},
        proeftuin_order(rows, names),
        seed=LAYOUT_SEED,
    ).positions


def map_ties(rows: NetworkRows) -> list[dict[str, Any]]:
    """Every one-mode tie of the rows with its dates, as render_map takes them.

    A tie of a symmetric type that a survey heard from one side only (docs/metrics.md §11)
    is ``dashed``; the theme's legend calls it "unconfirmed — named by one side".
    Directed types keep their own line patterns (they tell the types apart), so their
    unconfirmed survey ties are not drawn differently.
    """
    wanted = set(MAP_TIE_TYPES)
    keys = {a.key for a in rows.actors}
    return [
        {
            "source": t.source,
            "target": t.target,
            "type": t.type,
            "since": t.since.isoformat(),
            "until": t.until.isoformat() if t.until else None,
            "weight": float(t.weight),
            "dashed": unconfirmed(t) and not vocab.TIE_TYPES[t.type].directed,
        }
        for t in sorted(rows.ties, key=lambda t: (t.since, t.source, t.target, t.type))
        if t.type in wanted and t.source != t.target and t.source in keys and t.target in keys
    ]


#: Why an introduction is suggested, in plain words (the reasons of metrics.weaving).
_INTRO_REASONS = {
    "reach_anchor": {
        "nl": "Zo komt een initiatief binnen twee stappen van de gemeente of een fonds.",
        "en": "This brings an initiative within two steps of the municipality or a fund.",
    },
    "cut_point": {
        "nl": "Zo hangt het netwerk minder af van één actor.",
        "en": "This makes the network depend less on a single actor.",
    },
    "isolate": {
        "nl": "Zo krijgt iemand zonder banden een eerste verbinding.",
        "en": "This gives someone without ties a first connection.",
    },
    "single_broker": {
        "nl": "Zo hangen twee groepen niet langer aan één verbinder.",
        "en": "This way two groups no longer hang on a single broker.",
    },
}


#: Introductions a map draws at most (the best ones).
MAP_INTRODUCTIONS = 10


def map_introductions(ranked: list[dict[str, Any]]) -> list[dict]:
    """The best introductions worth making (``ranked``: graphsvc.metrics.weaving as JSON,
    best first, as :func:`graphsvc.analysis.decisions.ranked_introductions` gives them), as
    the map draws them."""
    return [
        {
            "source": intro["a"],
            "target": intro["b"],
            "reason": _INTRO_REASONS.get(
                intro["reason"], {"nl": intro["reason"], "en": intro["reason"]}
            ),
        }
        for intro in ranked[:MAP_INTRODUCTIONS]
    ]


def display_names(
    rows: NetworkRows, pseudonyms: dict[str, str], names_visible: bool, lang: str = "nl"
) -> dict[str, str]:
    """The name each actor is shown under: residents by pseudonym unless names are visible.

    ``pseudonyms`` maps resident keys to their label; a resident missing from it is
    shown as the unnumbered label, never by name.
    """
    out = {}
    for actor in rows.actors:
        if actor.kind == "resident" and not names_visible:
            out[actor.key] = pseudonyms.get(actor.key) or pseudonym_label(None, lang)
        else:
            out[actor.key] = actor.name
    return out


def map_actors(
    rows: NetworkRows,
    metrics: dict[str, dict[str, Any]],
    shown_in: dict[str, dict[str, str]],
    lang: str,
) -> dict[str, dict[str, Any]]:
    """Each actor as the renderer takes it: shown name (in both languages), kind, metrics."""
    actors = {}
    for actor in rows.actors:
        m = metrics.get(actor.key, {})
        actors[actor.key] = {
            "name": shown_in[lang][actor.key],
            "names": {code: names[actor.key] for code, names in shown_in.items()},
            "kind": actor.kind,
            "group": actor.kind,
            "metrics": {
                "degree": m.get("degree"),
                "betweenness": m.get("betweenness"),
                "brokerage": m.get("brokerage"),
                "articulation_point": bool(m.get("articulation_point")),
            },
        }
    return actors


def map_groups(
    rows: NetworkRows, names: dict[str, str], proeftuin_url: str | None
) -> list[dict[str, Any]]:
    """Every proeftuin of the national map as a group: its name, members and page link."""
    return [
        {
            "key": p,
            "name": names.get(p, p),
            "url": proeftuin_url.replace("{key}", quote(p, safe="")) if proeftuin_url else None,
            "members": [a.key for a in rows.actors if p in a.proeftuinen],
        }
        for p in proeftuin_order(rows, names)
    ]


def proeftuin_labels(placements: dict[str, dict[str, Any]], lang: str) -> dict[str, str]:
    return {
        k: pseudonym_label(p["pseudonym"], lang)
        for k, p in placements.items()
        if p["kind"] == "resident" and p["pseudonym"] is not None
    }


def national_labels(
    rows: NetworkRows, stored: dict[str, list[tuple[str, str, int]]], lang: str
) -> dict[str, str]:
    # A resident of several proeftuinen goes by its number in the first of them.
    return {
        a.key: pseudonym_label(stored[a.key][0][2], lang, stored[a.key][0][1])
        for a in rows.actors
        if a.kind == "resident" and a.key in stored
    }
