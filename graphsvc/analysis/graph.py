"""From the store to the analysis graph (docs/metrics.md §0), cached by proeftuin version.

A request names a selection (one proeftuin, several, or the national network),
a date ``at``, the tie ``types`` and how actors are grouped (``group_by``).
:func:`build_graph` is pure: rows in, a simple networkx graph out.
:class:`Analysis` reads rows through the repository, builds graphs and keeps
them, and every result computed on them, in an LRU cache keyed by the request
and the versions of the proeftuinen involved; a repeated request costs one
small version query.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from cachetools import LRUCache

from graphsvc import vocabulary as vocab
from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.pool import DaemonPool
from graphsvc.dataset import Tie
from graphsvc.errors import ComputeBusy, DateNotServed, InvalidInput
from graphsvc.store.proeftuinen import version_key
from graphsvc.store.repository import NetworkRows, Repository

__all__ = [
    "Selection",
    "GraphRequest",
    "TIE_CHOICES",
    "build_graph",
    "tie_valid_at",
    "unconfirmed",
    "Analysis",
    "UNKNOWN_GROUP",
]

UNKNOWN_GROUP = "unknown"
#: Seconds a client is told to wait (``Retry-After``) when a computation outlasts its budget.
RETRY_AFTER = 5
DEFAULT_TYPES: tuple[str, ...] = vocab.ONE_MODE_TIE_TYPES
#: Which ties enter the graph: ``all``, or ``confirmed`` (without the ties a survey heard
#: from one side only; docs/metrics.md §11).
TIE_CHOICES: tuple[str, ...] = ("all", "confirmed")


@dataclass(frozen=True)
class Selection:
    """Which proeftuinen: a sorted tuple of keys, or None for the national network."""

    proeftuinen: tuple[str, ...] | None

    @classmethod
    def of(cls, keys: Iterable[str] | None) -> Selection:
        return cls(None if keys is None else tuple(sorted(set(keys))))

    @property
    def national(self) -> bool:
        return self.proeftuinen is None


@dataclass(frozen=True)
class GraphRequest:
    selection: Selection
    at: dt.date
    types: tuple[str, ...] = DEFAULT_TYPES
    group_by: str = "kind"
    ties: str = "all"  # one of TIE_CHOICES

    @classmethod
    def parse(
        cls,
        selection: Selection,
        at: dt.date | None = None,
        types: Iterable[str] | None = None,
        group_by: str | None = None,
        today: dt.date | None = None,
        ties: str | None = None,
    ) -> GraphRequest:
        """Validate request values; InvalidInput names the parameter."""
        if ties is not None and ties not in TIE_CHOICES:
            raise InvalidInput(
                f"Parameter 'ties': kies {' of '.join(TIE_CHOICES)} (niet {ties!r}).",
                f"Parameter 'ties': choose {' or '.join(TIE_CHOICES)} (not {ties!r}).",
                errors=[{"field": "ties", "message": f"one of {', '.join(TIE_CHOICES)}"}],
            )
        chosen = tuple(sorted(set(types))) if types else DEFAULT_TYPES
        unknown = [t for t in chosen if t not in vocab.TIE_TYPES]
        if unknown:
            allowed = ", ".join(vocab.TIE_TYPE_KEYS)
            raise InvalidInput(
                f"Parameter 'types': onbekend relatietype {unknown[0]!r}; kies uit {allowed}.",
                f"Parameter 'types': unknown tie type {unknown[0]!r}; choose from {allowed}.",
                errors=[{"field": "types", "message": f"unknown tie type {unknown[0]!r}"}],
            )
        two_mode = [t for t in chosen if vocab.TIE_TYPES[t].two_mode]
        if two_mode:
            raise InvalidInput(
                f"Parameter 'types': {two_mode[0]} is een lidmaatschap (twee-modaal) en hoort niet "
                "in een netwerk tussen actoren.",
                f"Parameter 'types': {two_mode[0]} is a membership (two-mode) tie and cannot enter "
                "a one-mode network of actors (docs/metrics.md §0.5).",
                errors=[{"field": "types", "message": f"{two_mode[0]} is two-mode"}],
            )
        return cls(
            selection, at or today or dt.date.today(), chosen, group_by or "kind", ties or "all"
        )

    @property
    def directed(self) -> bool:
        return any(vocab.TIE_TYPES[t].directed for t in self.types)


def tie_valid_at(tie: Tie, at: dt.date) -> bool:
    """A tie exists at ``at`` when ``since <= at`` and (no ``until`` or ``until > at``)."""
    return tie.since <= at and (tie.until is None or tie.until > at)


def unconfirmed(tie: Tie) -> bool:
    """A tie a survey heard from one of its ends only (attribute ``confirmed`` false).

    The same rule as the ties listing's ``confirmed=true`` (cypher/tie_list.cypher):
    ties from other sources carry no ``confirmed`` attribute and count as confirmed.
    """
    return tie.attributes.get("confirmed") is False


def build_graph(rows: NetworkRows, request: GraphRequest) -> nx.Graph:
    """The analysis graph of docs/metrics.md §0 from rows read out of the store.

    1. every actor of the selection (isolates kept), ties of ``request.types``
       valid at ``request.at``;
    2. parallel ties between the same pair collapsed into one edge whose
       ``weight`` is the sum, with ``types`` (sorted) and ``ties`` (how many);
    3. self-loops removed;
    4. a DiGraph when any selected type is directed (a symmetric tie becomes two
       arcs), otherwise a Graph;
    5. two-mode ties (``member_of``) are never included (GraphRequest refuses them);
    6. with ``request.ties == "confirmed"``, ties a survey heard from one side only
       (:func:`unconfirmed`) are left out;
    7. node attribute ``group``: the kind, or the attribute ``group_by``
       (``"unknown"`` where an actor lacks it).

    ``G.graph`` records the request, the number of collapsed ties and counts of
    ties per type.
    """
    G: nx.Graph = nx.DiGraph() if request.directed else nx.Graph()
    for actor in rows.actors:
        if request.group_by == "kind":
            group = actor.kind
        else:
            value = actor.attributes.get(request.group_by)
            group = UNKNOWN_GROUP if value is None or value == "" else str(value)
        G.add_node(
            actor.key,
            kind=actor.kind,
            name=actor.name,
            group=group,
            proeftuinen=list(actor.proeftuinen),
            **_safe_attrs(actor.attributes),
        )
    wanted = set(request.types)
    confirmed_only = request.ties == "confirmed"
    per_type: Counter[str] = Counter()
    used = collapsed = self_loops = unconfirmed_left_out = 0
    for tie in rows.ties:
        if tie.type not in wanted or not tie_valid_at(tie, request.at):
            continue
        if confirmed_only and unconfirmed(tie):
            unconfirmed_left_out += 1
            continue
        if tie.source == tie.target:
            self_loops += 1
            continue
        if tie.source not in G or tie.target not in G:
            continue
        used += 1
        per_type[tie.type] += 1
        arcs = [(tie.source, tie.target)]
        if G.is_directed() and not vocab.TIE_TYPES[tie.type].directed:
            arcs.append((tie.target, tie.source))
        for u, v in arcs:
            if G.has_edge(u, v):
                data = G.edges[u, v]
                data["weight"] += tie.weight
                data["ties"] += 1
                if tie.type not in data["types"]:
                    data["types"] = sorted([*data["types"], tie.type])
                collapsed += 1
            else:
                G.add_edge(u, v, weight=float(tie.weight), types=[tie.type], ties=1)
    G.graph.update(
        at=request.at.isoformat(),
        types=list(request.types),
        group_by=request.group_by,
        directed_types=[t for t in request.types if vocab.TIE_TYPES[t].directed],
        ties_used=used,
        ties_per_type={t: per_type.get(t, 0) for t in request.types},
        parallel_ties_collapsed=collapsed,
        self_loops_removed=self_loops,
        ties=request.ties,
        unconfirmed_left_out=unconfirmed_left_out,
        proeftuinen=(
            None if request.selection.proeftuinen is None else list(request.selection.proeftuinen)
        ),
    )
    return G


_RESERVED = {"kind", "name", "group", "proeftuinen"}


def _safe_attrs(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attributes.items() if k not in _RESERVED}


@dataclass
class _Entry:
    value: Any
    seconds: float


@dataclass
class Timing:
    """How a result was obtained: from the cache or by reading and computing."""

    cached: bool
    read_seconds: float = 0.0
    compute_seconds: float = 0.0
    versions: dict[str, int] = field(default_factory=dict)


#: The versions read so far in a :meth:`Analysis.same_versions` block, by selection.
_PINNED: contextvars.ContextVar[dict[Selection, dict[str, int]] | None] = contextvars.ContextVar(
    "graphsvc_pinned_versions", default=None
)


class Analysis:
    """Reads, builds and caches analysis graphs and the results computed on them.

    Heavy work cannot starve the service:

    - identical concurrent computations are coalesced: the first request of a result
      starts it, every other request of the same result waits for that one
      (``computations`` counts how many were really started);
    - computations run on a small pool of ``workers`` daemon threads (a stopping process
      does not wait for them: :mod:`graphsvc.analysis.pool`), and a request waits at
      most ``budget`` seconds (None: no limit) for its result: then it gets
      :class:`~graphsvc.errors.ComputeBusy` (503 with ``Retry-After``) while the
      computation finishes in the background and is cached for the next request.

    With a ``disk`` cache (:class:`~graphsvc.analysis.disk_cache.DiskCache`) a result
    missing in memory is looked for there first, by the same key, and a computed one is
    stored there too: the other worker processes, and the next run of the service,
    read it instead of computing it again.
    """

    def __init__(
        self,
        repo: Repository,
        maxsize: int = 256,
        budget: float | None = None,
        workers: int = 2,
        coalesce: bool = True,
        disk: DiskCache | None = None,
    ) -> None:
        self.repo = repo
        self.disk = disk
        self.budget = budget
        self.coalesce = coalesce
        self.computations = 0  # computations started
        self.coalesced = 0  # requests that waited for a computation another one started
        self._cache: LRUCache = LRUCache(maxsize=maxsize)
        self._rows: LRUCache = LRUCache(maxsize=32)
        self._graphs: LRUCache = LRUCache(maxsize=64)
        # Reentrant: a computation that is already done runs its done-callback at once.
        self._lock = threading.RLock()
        self._running: dict[tuple, Future] = {}
        # Daemon threads: a stopping process does not wait for a running computation.
        self._pool = DaemonPool(workers, name="analysis")

    @contextmanager
    def same_versions(self) -> Iterator[None]:
        """Within the block, each selection's versions are read once and then reused.

        A page asks for a dozen results of one proeftuin; with this they all come from
        one snapshot of its versions (one small query instead of one per result).  The
        block belongs to the calling context (thread) only; inside an open block it
        simply goes on using that block's snapshot.
        """
        if _PINNED.get() is not None:
            yield
            return
        token = _PINNED.set({})
        try:
            yield
        finally:
            _PINNED.reset(token)

    def pin(self, selection: Selection, versions: dict[str, int]) -> None:
        """Use ``versions``, read by the caller just now, for ``selection`` in the open
        :meth:`same_versions` block (nothing happens outside one)."""
        pinned = _PINNED.get()
        if pinned is not None:
            pinned[selection] = versions

    def versions(self, selection: Selection) -> dict[str, int]:
        """Current versions of the selection (raises NotFound for an unknown proeftuin)."""
        pinned = _PINNED.get()
        if pinned is not None and selection in pinned:
            versions = pinned[selection]
        else:
            versions = self.repo.proeftuinen.list_versions(selection.proeftuinen)
            if pinned is not None:
                pinned[selection] = versions
        if selection.proeftuinen is not None:
            missing = [k for k in selection.proeftuinen if k not in versions]
            if missing:
                from graphsvc.errors import NotFound

                raise NotFound(
                    f"Proeftuin '{missing[0]}' bestaat niet.",
                    f"Proeftuin '{missing[0]}' does not exist.",
                )
        return versions

    def check_served_date(
        self, selection: Selection, at: dt.date | None, field: str = "at"
    ) -> None:
        """DateNotServed unless ``at`` is a date the service precomputes for viewers:
        today, the last day of a month, or the date of a meeting of the selection."""
        today = dt.date.today()
        if at is None or at == today or (at + dt.timedelta(days=1)).day == 1:
            return
        rows, _ = self.rows(selection, self.versions(selection))
        if any(m.date == at for m in rows.meetings):
            return
        raise DateNotServed(
            f"Parameter '{field}': zonder analistenrol kunt u alleen vandaag, het einde van "
            "een maand of de datum van een bijeenkomst van deze proeftuin opvragen "
            f"(niet {at.isoformat()}).",
            f"Parameter '{field}': without the analyst role you can ask only today, the last "
            "day of a month or the date of a meeting of this proeftuin "
            f"(not {at.isoformat()}).",
            errors=[
                {
                    "field": field,
                    "message": "viewers may ask today, a month end or a meeting date",
                }
            ],
        )

    def rows(self, selection: Selection, versions: dict[str, int]) -> tuple[NetworkRows, float]:
        key = (selection, version_key(versions))
        with self._lock:
            hit = self._rows.get(key)
        if hit is not None:
            return hit, 0.0
        start = time.perf_counter()
        if self.disk is not None:
            hit = self.disk.get(("rows", *key))
            if hit is not None:
                with self._lock:
                    self._rows[key] = hit
                return hit, time.perf_counter() - start
        rows = self.repo.network.get(selection.proeftuinen)
        seconds = time.perf_counter() - start
        # Store under the versions actually read (a write may have happened in between).
        key = (selection, version_key(rows.versions))
        with self._lock:
            self._rows[key] = rows
        if self.disk is not None:
            self.disk.set(("rows", *key), rows)
        return rows, seconds

    def result(
        self,
        name: str,
        request: GraphRequest,
        compute: Callable[[nx.Graph, NetworkRows], Any],
        extra_key: tuple = (),
    ) -> tuple[Any, Timing]:
        """``compute(graph, rows)`` for ``request``, cached by name, request and versions.

        A computation of the same key that is already running is waited for, not
        repeated; ComputeBusy when the result is not there within the budget.
        """
        versions = self.versions(request.selection)
        key = (name, request, extra_key, version_key(versions))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                return hit.value, Timing(True, versions=versions)
            running: Future | None = self._running.get(key) if self.coalesce else None
            if running is not None:
                self.coalesced += 1
            else:
                self.computations += 1
                running = self._pool.submit(
                    self._compute, name, request, compute, extra_key, versions
                )
                if self.coalesce:
                    self._running[key] = running
                    running.add_done_callback(lambda _f: self._done(key))
        try:
            return running.result(timeout=self.budget)
        except FutureTimeout:
            raise ComputeBusy(
                "Deze berekening duurt langer dan de tijd die een verzoek mag wachten; "
                f"ze loopt door. Vraag het over {RETRY_AFTER} seconden opnieuw.",
                "This computation takes longer than a request may wait; it goes on. "
                f"Ask again in {RETRY_AFTER} seconds.",
                retry_after=RETRY_AFTER,
            ) from None

    def _graph(self, rows: NetworkRows, request: GraphRequest) -> nx.Graph:
        """The analysis graph of ``request``, built once for every result asked of it (a
        page asks for a dozen at one date, and for the phase and the sparkline at each of
        many dates).  Frozen: a computation that tried to change it would fail, not change
        the graph of the next one."""
        key = (request, version_key(rows.versions))
        with self._lock:
            graph: nx.Graph | None = self._graphs.get(key)
        if graph is None:
            graph = nx.freeze(build_graph(rows, request))
            with self._lock:
                self._graphs[key] = graph
        return graph

    def drain(self) -> None:
        """Wait until every computation that is running now has finished (tests, benchmarks)."""
        with self._lock:
            running = list(self._running.values())
        for future in running:
            future.exception()

    def _done(self, key: tuple) -> None:
        with self._lock:
            self._running.pop(key, None)

    def _compute(
        self,
        name: str,
        request: GraphRequest,
        compute: Callable[[nx.Graph, NetworkRows], Any],
        extra_key: tuple,
        versions: dict[str, int],
    ) -> tuple[Any, Timing]:
        key = (name, request, extra_key, version_key(versions))
        if self.disk is not None:
            start = time.perf_counter()
            stored = self.disk.get(key)
            if stored is not None:
                with self._lock:
                    self._cache[key] = _Entry(stored, time.perf_counter() - start)
                return stored, Timing(True, versions=versions)
        rows, read_seconds = self.rows(request.selection, versions)
        start = time.perf_counter()
        graph = self._graph(rows, request)
        value = compute(graph, rows)
        seconds = time.perf_counter() - start
        key = (name, request, extra_key, version_key(rows.versions))
        with self._lock:
            self._cache[key] = _Entry(value, seconds)
        if self.disk is not None:
            self.disk.set(key, value)
        return value, Timing(False, read_seconds, seconds, rows.versions)
