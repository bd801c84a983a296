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

from cachetools import LRUCache
from jinja2.utils import htmlsafe_json_dumps

from graphsvc.analysis import decisions
from graphsvc.analysis import responses as insights
from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.graph import Analysis, GraphRequest, Selection
from graphsvc.analysis.map_content import (
    LAYOUT_SEED,
    display_names,
    layout_graph,
    map_actors,
    map_groups,
    map_introductions,
    map_ties,
    national_labels,
    national_layout,
    proeftuin_labels,
    pseudonym_label,
)
from graphsvc.analysis.map_theme import MAP_THEME
from graphsvc.errors import GraphsvcError
from graphsvc.store.proeftuinen import version_key
from graphsvc.store.repository import NetworkRows, Repository
from visualize.layout import LAYOUT_VERSION, compute_layout, extend_layout
from visualize.render import MapOptions, actor_ids, render_map

__all__ = ["NATIONAL_LAYOUT", "MapFile", "Maps"]

log = logging.getLogger("graphsvc.analysis.maps")

#: The algorithm of the national map's layout, recorded with its stored positions: a map whose
#: positions were made by another (an older version) is laid out anew at its next view.
#: "groups-1": every proeftuin its own cluster, shared actors between (visualize.groups).
NATIONAL_LAYOUT = "groups-1"
#: Rendered maps kept in memory, by their size in characters (a large map is ~2.5 million).
CACHE_CHARS = 96 * 1024 * 1024

_TITLE = {"nl": "Netwerkkaart {name}", "en": "Network map {name}"}
_NATIONAL = {"nl": "Landelijk netwerk", "en": "National network"}
_FILE = {"nl": "netwerkkaart", "en": "network-map"}
_NATIONAL_FILE = {"nl": "landelijk", "en": "national"}


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
        shown_in = {
            code: display_names(rows, labels[code], names_visible, code) for code in ("nl", "en")
        }
        actors = map_actors(rows, {row["key"]: row for row in body["actors"]}, shown_in, lang)
        meetings: list[tuple[dt.date, str]] = []
        introductions: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        if key is None:  # every proeftuin a cluster with its name, to zoom into
            proeftuinen = self.repo.proeftuinen.list()
            titles = dict(_NATIONAL)
            fictional = any(p.fictional for p in proeftuinen)
            groups = map_groups(rows, {p.key: p.name for p in proeftuinen}, proeftuin_url)
        else:  # the national map has too many meetings and introductions to show
            proeftuin = self.repo.proeftuinen.get(key)
            titles = {code: _TITLE[code].format(name=proeftuin.name) for code in ("nl", "en")}
            fictional = proeftuin.fictional
            meetings = [(m.date, m.title) for m in sorted(rows.meetings, key=lambda m: m.date)]
            introductions = map_introductions(
                decisions.ranked_introductions(self.analysis, GraphRequest.parse(selection, at))
            )
        options = MapOptions(
            title=titles[lang],
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
            return national_labels(rows, self._national_pseudonyms(rows)[1], lang)
        return proeftuin_labels(self._proeftuin_placements(key), lang)

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
            labels = {code: national_labels(rows, stored, code) for code in ("nl", "en")}
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
            labels = {code: proeftuin_labels(placements, code) for code in ("nl", "en")}
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
