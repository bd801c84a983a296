"""Network maps as the app serves them: pseudonyms, stored layout, metrics at a date, a cache.

A request for the map of a proeftuin (or of the national network) flows::

    map_stamp (one read) -> cache hit?  -> the same HTML, no recomputation
                         -> rows of the analysis cache (by proeftuin version)
                         -> placements: pseudonyms assigned and positions laid out once,
                            stored in Neo4j, reused (graphsvc.store.repository, "maps" section)
                         -> actor metrics at the map's date (graphsvc.analysis.responses, cached)
                         -> visualize.render.render_map with our theme
                            (graphsvc.analysis.map_theme) -> cached by
                            (versions, layout versions, names visible, language, date)

Privacy: a viewer whose role may not see names gets every resident as "Bewoner N" /
"Resident N", numbered by a pseudonym stored once per proeftuin (so the label is the
same at the next meeting).  The real name of a resident never enters the page built
for such a viewer: names are replaced here, before anything reaches the renderer.
Officials, funders, initiatives and organisations act in public roles and keep their
names.  Nothing in this module logs a name.

The map receives every one-mode tie of the selection with its dates (the page's date
control filters them); membership (``member_of``) ties between a person and a group are
two-mode and never drawn (docs/metrics.md §0.5).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import networkx as nx
from cachetools import LRUCache
from jinja2.utils import htmlsafe_json_dumps

from graphsvc import vocabulary as vocab
from graphsvc.analysis import responses as insights
from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.graph import Analysis, GraphRequest, Selection, build_graph, unconfirmed
from graphsvc.analysis.map_theme import MAP_THEME
from graphsvc.errors import GraphsvcError
from graphsvc.metrics import weaving
from graphsvc.store.proeftuinen import version_key
from graphsvc.store.repository import NetworkRows, Repository
from visualize.groups import layout_groups
from visualize.layout import LAYOUT_VERSION, compute_layout, extend_layout
from visualize.render import MapOptions, actor_ids, render_map

__all__ = [
    "MAP_TIE_TYPES",
    "LAYOUT_SEED",
    "NATIONAL_LAYOUT",
    "MapFile",
    "Maps",
    "pseudonym_label",
    "layout_graph",
    "map_ties",
    "display_names",
    "national_layout",
]

log = logging.getLogger("graphsvc.analysis.maps")

#: Tie types drawn on a map: every one-mode type (member_of is two-mode).
MAP_TIE_TYPES: tuple[str, ...] = vocab.ONE_MODE_TIE_TYPES
#: Seed of every computed layout: recomputing an unchanged network gives the same picture.
LAYOUT_SEED = 0
#: The algorithm of the national map's layout, recorded with its stored positions: a map whose
#: positions were made by another (an older version) is laid out anew at its next view.
#: "groups-1": every proeftuin its own cluster, shared actors between (visualize.groups).
NATIONAL_LAYOUT = "groups-1"
#: Rendered maps kept in memory, by their size in characters (a large map is ~2.5 million).
CACHE_CHARS = 96 * 1024 * 1024

_PSEUDONYM = {"nl": "Bewoner {n}", "en": "Resident {n}"}
_PSEUDONYM_UNNUMBERED = {"nl": "Bewoner", "en": "Resident"}
_TITLE = {"nl": "Netwerkkaart {name}", "en": "Network map {name}"}
_NATIONAL = {"nl": "Landelijk netwerk", "en": "National network"}
_FILE = {"nl": "netwerkkaart", "en": "network-map"}
_NATIONAL_FILE = {"nl": "landelijk", "en": "national"}


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


def _proeftuin_order(rows: NetworkRows, names: dict[str, str]) -> list[str]:
    """The proeftuinen of the rows, by name (as the start page lists them)."""
    keys = {p for a in rows.actors for p in a.proeftuinen} | set(names)
    return sorted(keys, key=lambda k: (str(names.get(k, k)).casefold(), k))


def national_layout(rows: NetworkRows, names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Positions of the national map: each proeftuin its own cluster, actors of several
    proeftuinen (national funds) between the clusters they join (visualize.groups)."""
    return layout_groups(
        layout_graph(rows),
        {a.key: a.proeftuinen for a in rows.actors},
        _proeftuin_order(rows, names),
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


def map_introductions(rows: NetworkRows, selection: Selection, at: dt.date) -> list[dict]:
    """The introductions worth making at ``at`` (metrics.weaving), as the map draws them."""
    G = build_graph(rows, GraphRequest.parse(selection, at))
    return [
        {
            "source": intro.a,
            "target": intro.b,
            "reason": _INTRO_REASONS.get(intro.reason, {"nl": intro.reason, "en": intro.reason}),
        }
        for intro in weaving.introductions(G)
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


@dataclass(frozen=True)
class MapFile:
    """A rendered map: the page, its ETag and the file name it is saved under."""

    html: str
    etag: str
    filename: str


#: Stands for the address the service is reached at in a cached national map's links.
_ORIGIN = "http://origin.graphsvc.invalid"

#: Locks that serialise renders of the same map (a map picks one by its request).
_MAKING_LOCKS = 16


def _tag(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


class Maps:
    """Builds, stores the layout of, and caches the maps of one store (one per process)."""

    def __init__(
        self,
        repo: Repository,
        analysis: Analysis,
        cache_chars: int = CACHE_CHARS,
        disk: DiskCache | None = None,
    ) -> None:
        self.repo = repo
        self.analysis = analysis
        self.disk = disk
        self._cache: LRUCache = LRUCache(maxsize=cache_chars, getsizeof=lambda f: len(f.html))
        self._cache_lock = threading.Lock()
        self._labels: LRUCache = LRUCache(maxsize=64)
        # Two requests for the same map at once (the warm-up and a visitor, or two
        # visitors) render it once: the second waits for the first and takes its result.
        self._making = [threading.Lock() for _ in range(_MAKING_LOCKS)]
        # Placing actors writes to the store: one at a time per process, so two first
        # requests for the same map do not both lay it out.
        self._place_lock = threading.Lock()

    # -- public -------------------------------------------------------------------

    def proeftuin(self, key: str, at: dt.date, lang: str, names_visible: bool) -> MapFile:
        """The map of one proeftuin at ``at`` (NotFound when it does not exist)."""
        return self._map(key, at, lang, names_visible)

    def national(
        self,
        at: dt.date,
        lang: str,
        names_visible: bool,
        proeftuin_url: str | None = None,
        origin: str = "",
    ) -> MapFile:
        """The map of the national network (every proeftuin) at ``at``.

        Each proeftuin is a group on the map, linked to its own page at ``proeftuin_url``
        (a path with ``{key}`` for the proeftuin's key) on ``origin`` (scheme and host, so
        that the link works from a downloaded file too) when given.  The map is made and
        cached without the origin, which is written in as it is sent: one cached map
        serves every address the service is reached at (and the warm-up's).
        """
        if proeftuin_url is None:
            return self._map(None, at, lang, names_visible)
        made = self._map(None, at, lang, names_visible, _ORIGIN + proeftuin_url)
        # In the map's JSON data block (which runs nothing), escaped as the renderer does.
        written = str(htmlsafe_json_dumps(origin.rstrip("/")))[1:-1]
        return MapFile(
            made.html.replace(_ORIGIN, written),
            _tag((made.etag, origin)),
            made.filename,
        )

    def names(self, key: str | None, lang: str, names_visible: bool) -> dict[str, str]:
        """{actor key: shown name} for a proeftuin (None: national), as its map shows them."""
        selection = Selection.of(None if key is None else [key])
        versions = self.analysis.versions(selection)
        rows, _ = self.analysis.rows(selection, versions)
        if names_visible:
            return display_names(rows, {}, True)
        # A resident's number never changes once given, and a new resident is a write (a new
        # version): labels complete for these versions stay right for them.
        found = ("labels", key, lang, version_key(versions))
        with self._cache_lock:
            labels = self._labels.get(found)
        if labels is None and self.disk is not None:
            labels = self.disk.get(found)
            if labels is not None:
                with self._cache_lock:
                    self._labels[found] = labels
        if labels is None:
            with self._place_lock:
                labels = self._pseudonyms(key, rows, lang)
            residents = sum(1 for a in rows.actors if a.kind == "resident")
            if len(labels) == residents and version_key(rows.versions) == found[-1]:
                with self._cache_lock:
                    self._labels[found] = labels
                if self.disk is not None:
                    self.disk.set(found, labels)
        return display_names(rows, labels, False, lang)

    def actor_id(self, key: str, actor_key: str) -> str | None:
        """The opaque id the map of proeftuin ``key`` gives ``actor_key`` (for a link that
        opens the map focused on it), or None when the actor is not in that proeftuin."""
        selection = Selection.of([key])
        rows, _ = self.analysis.rows(selection, self.analysis.versions(selection))
        return actor_ids([a.key for a in rows.actors]).get(actor_key)

    def resident_labels(self, keys: Iterable[str] | None, lang: str) -> dict[str, str]:
        """{resident key: pseudonym label} of the proeftuinen ``keys`` (None: national)."""
        labels: dict[str, str] = {}
        for key in [None] if keys is None else sorted(set(keys)):
            selection = Selection.of(None if key is None else [key])
            rows, _ = self.analysis.rows(selection, self.analysis.versions(selection))
            with self._place_lock:
                found = self._pseudonyms(key, rows, lang)
            unnumbered = pseudonym_label(None, lang)
            labels.update(
                {a.key: found.get(a.key, unnumbered) for a in rows.actors if a.kind == "resident"}
            )
        return labels

    def recompute_layout(self, key: str | None) -> tuple[int, int]:
        """Lay out a proeftuin (None: the national map) anew and store it.

        Returns (number of actors placed, new layout version).  The data version
        stays; cached maps of the old layout are no longer reachable.
        """
        selection = Selection.of(None if key is None else [key])
        rows = self.repo.network.get(selection.proeftuinen)
        if key is None:
            positions = national_layout(rows, self._proeftuin_names())
        else:
            positions = compute_layout(layout_graph(rows), seed=LAYOUT_SEED)
        with self._place_lock:
            layout = self.repo.placements.update_positions(
                key, positions, NATIONAL_LAYOUT if key is None else LAYOUT_VERSION
            )
        log.info("layout of %s recomputed: %d actors", key or "the national map", len(positions))
        return len(positions), layout

    # -- building one map -------------------------------------------------------------

    def _stamp(self, key: str | None) -> tuple:
        return _stamp_key(key, self.repo.placements.get_stamp(None if key is None else [key]))

    def _map(
        self,
        key: str | None,
        at: dt.date,
        lang: str,
        names_visible: bool,
        proeftuin_url: str | None = None,
    ) -> MapFile:
        request = (key, at.isoformat(), lang, bool(names_visible), proeftuin_url)
        stamp = self._stamp(key)
        hit = self._cached((*request, stamp))
        if hit is not None:
            return hit
        with self._making[int(_tag(request), 16) % _MAKING_LOCKS]:
            hit = self._cached((*request, stamp))  # made meanwhile by another request?
            if hit is not None:
                return hit
            return self._make(key, request, at, lang, names_visible, proeftuin_url)

    def _cached(self, parts: tuple) -> MapFile | None:
        with self._cache_lock:
            hit = self._cache.get(parts)
        if hit is None and self.disk is not None:
            hit = self.disk.get(("map", *parts))
            if hit is not None:
                with self._cache_lock:
                    self._cache[parts] = hit
        return hit

    def _make(
        self,
        key: str | None,
        request: tuple,
        at: dt.date,
        lang: str,
        names_visible: bool,
        proeftuin_url: str | None,
    ) -> MapFile:
        start = time.perf_counter()
        selection = Selection.of(None if key is None else [key])
        rows, _ = self.analysis.rows(selection, self.analysis.versions(selection))
        with self._place_lock:
            positions, labels, stamp = self._placements(key, rows)
        html = self._render(key, rows, positions, labels, at, lang, names_visible, proeftuin_url)
        parts = (*request, stamp)
        name = key or _NATIONAL_FILE[lang]
        made = MapFile(html, _tag(parts), f"{_FILE[lang]}-{name}-{at.isoformat()}.html")
        with self._cache_lock:
            self._cache[parts] = made
        if self.disk is not None:
            self.disk.set(("map", *parts), made)
        log.info(
            "map of %s rendered in %.2f s (%d actors)",
            key or "the national network",
            time.perf_counter() - start,
            len(rows.actors),
        )
        return made

    def _render(
        self,
        key: str | None,
        rows: NetworkRows,
        positions: dict,
        labels: dict[str, dict[str, str]],
        at: dt.date,
        lang: str,
        names_visible: bool,
        proeftuin_url: str | None,
    ) -> str:
        selection = Selection.of(None if key is None else [key])
        body, _ = insights.actor_metrics(self.analysis, GraphRequest.parse(selection, at))
        metrics = {row["key"]: row for row in body["actors"]}
        shown_in = {
            code: display_names(rows, labels[code], names_visible, code) for code in ("nl", "en")
        }
        shown = shown_in[lang]
        other = "en" if lang == "nl" else "nl"
        actors = {}
        for actor in rows.actors:
            m = metrics.get(actor.key, {})
            actors[actor.key] = {
                "name": shown[actor.key],
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
        if key is None:
            title = _NATIONAL[lang]
            fictional = any(p.fictional for p in self.repo.proeftuinen.list())
        else:
            proeftuin = self.repo.proeftuinen.get(key)
            title, fictional = _TITLE[lang].format(name=proeftuin.name), proeftuin.fictional
        meetings: list[tuple[dt.date, str]] = []
        introductions: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        if key is None:  # every proeftuin a cluster with its name, to zoom into
            names = self._proeftuin_names()
            groups = [
                {
                    "key": p,
                    "name": names.get(p, p),
                    "url": proeftuin_url.replace("{key}", quote(p, safe=""))
                    if proeftuin_url
                    else None,
                    "members": [a.key for a in rows.actors if p in a.proeftuinen],
                }
                for p in _proeftuin_order(rows, names)
            ]
        if key is not None:  # the national map has too many of both to show
            meetings = [(m.date, m.title) for m in sorted(rows.meetings, key=lambda m: m.date)]
            introductions = map_introductions(rows, selection, at)
        titles = {lang: title}
        if key is None:
            titles[other] = _NATIONAL[other]
        else:
            titles[other] = _TITLE[other].format(name=proeftuin.name)
        options = MapOptions(
            title=title,
            titles=titles,
            lang=lang,
            at=at,
            metrics_at=at,
            physics=False,
            fictional_notice=fictional,
            names_visible=names_visible,
            meetings=meetings,
            introductions=introductions,
            groups=groups,
        )
        try:
            return render_map(map_ties(rows), actors, positions, options, MAP_THEME)
        except ValueError:
            # The renderer names the actor it refuses, and that name may be a resident's:
            # it must reach neither the viewer nor the log, so the cause is dropped.
            raise GraphsvcError(
                "De kaart kon niet worden gemaakt.", "The map could not be made."
            ) from None

    # -- pseudonyms and positions, stored once ----------------------------------------------

    def _proeftuin_names(self) -> dict[str, str]:
        return {p.key: p.name for p in self.repo.proeftuinen.list()}

    def _pseudonyms(self, key: str | None, rows: NetworkRows, lang: str) -> dict[str, str]:
        """{resident key: label}, assigning numbers to residents that have none yet."""
        if key is None:
            return _national_labels(rows, self._national_pseudonyms(rows)[1], lang)
        return _proeftuin_labels(self._proeftuin_placements(key), lang)

    def _national_pseudonyms(
        self, rows: NetworkRows
    ) -> tuple[dict[str, tuple[float, float]], dict[str, list[tuple[str, str, int]]]]:
        """Stored national positions and pseudonyms, numbers given first to residents
        that have none yet."""
        positions, stored = self.repo.placements.get_national()
        if any(a.key not in stored for a in rows.actors if a.kind == "resident"):
            self.repo.placements.create_pseudonyms(
                sorted({p for a in rows.actors if a.kind == "resident" for p in a.proeftuinen})
            )
            positions, stored = self.repo.placements.get_national()
        return positions, stored

    def _proeftuin_placements(self, key: str) -> dict[str, dict[str, Any]]:
        placements = self.repo.placements.list(key)
        if any(p["kind"] == "resident" and p["pseudonym"] is None for p in placements.values()):
            self.repo.placements.create_pseudonyms([key])
            placements = self.repo.placements.list(key)
        return placements

    def _placements(
        self, key: str | None, rows: NetworkRows
    ) -> tuple[dict[str, tuple[float, float]], dict[str, dict[str, str]], tuple]:
        """Stored positions (new actors placed and stored first), the pseudonym labels in
        Dutch and English, and the map stamp that goes with them: one read of the
        placements (and one of the stamp) when nothing needs to be placed.

        A layout stored by an earlier version of the layout algorithm
        (:data:`visualize.layout.LAYOUT_VERSION`) is laid out anew, once.
        """
        stamp = self.repo.placements.get_stamp(None if key is None else [key])
        if key is None:
            known, stored = self._national_pseudonyms(rows)
            labels = {code: _national_labels(rows, stored, code) for code in ("nl", "en")}
            if stamp["national_algorithm"] != NATIONAL_LAYOUT or not any(
                a.key in known for a in rows.actors
            ):
                # positions of an older layout, or none: the whole map is laid out anew
                positions = national_layout(rows, self._proeftuin_names())
                self.repo.placements.update_positions(None, positions, NATIONAL_LAYOUT)
                log.info("national map laid out (%s): %d actors", NATIONAL_LAYOUT, len(positions))
                return positions, labels, self._stamp(key)
        else:
            placements = self._proeftuin_placements(key)
            labels = {code: _proeftuin_labels(placements, code) for code in ("nl", "en")}
            known = {k: p["position"] for k, p in placements.items() if p["position"] is not None}
            # a proeftuin laid out by an earlier layout algorithm is laid out anew (the
            # national map's algorithm is checked above)
            if stamp["algorithms"][key] != LAYOUT_VERSION:
                known = {}
        G = layout_graph(rows)
        missing = [k for k in G if k not in known]
        if not missing:
            return {k: known[k] for k in G}, labels, _stamp_key(key, stamp)
        # Only new actors are placed; everyone the audience saw before keeps their place.
        whole = not any(k in known for k in G)
        placed = (
            compute_layout(G, seed=LAYOUT_SEED)
            if whole
            else extend_layout(G, known, seed=LAYOUT_SEED)
        )
        self.repo.placements.update_positions(
            key,
            {k: placed[k] for k in missing},
            (NATIONAL_LAYOUT if key is None else LAYOUT_VERSION) if whole else None,
        )
        log.info(
            "placed %d new actor(s) on the map of %s", len(missing), key or "the national network"
        )
        # the stamp after the positions were stored
        return {k: known.get(k, placed[k]) for k in G}, labels, self._stamp(key)


def _stamp_key(key: str | None, stamp: dict[str, Any]) -> tuple:
    """The part of a map's cache key that changes with its data and its stored layout."""
    if key is None:
        return (
            stamp["generation"],
            tuple(sorted(stamp["versions"].items())),
            stamp["national_layout"],
        )
    return (stamp["generation"], stamp["versions"][key], stamp["layouts"][key])


def _proeftuin_labels(placements: dict[str, dict[str, Any]], lang: str) -> dict[str, str]:
    return {
        k: pseudonym_label(p["pseudonym"], lang)
        for k, p in placements.items()
        if p["kind"] == "resident" and p["pseudonym"] is not None
    }


def _national_labels(
    rows: NetworkRows, stored: dict[str, list[tuple[str, str, int]]], lang: str
) -> dict[str, str]:
    # A resident of several proeftuinen goes by its number in the first of them.
    return {
        a.key: pseudonym_label(stored[a.key][0][2], lang, stored[a.key][0][1])
        for a in rows.actors
        if a.kind == "resident" and a.key in stored
    }
