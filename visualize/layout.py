"""Positions of actors on the map, computed once and saved, so the map looks the same next time.

Force-directed layouts from igraph, scaled so that a typical tie is :data:`EDGE_LENGTH`
vis-network units long, and further apart when actors would crowd (in large networks
most ties cross the map, and the median tie says little about how close actors sit):

- up to :data:`KK_MAX_ACTORS` actors, Kamada–Kawai [1]_: ties of even length and few
  overlaps, the readable choice for a proeftuin of tens to hundreds of actors;
- above that, Fruchterman–Reingold [2]_ (its grid variant from 1,000 actors on, which lays
  out 2,000 actors in a fraction of a second and 20,000 in about two seconds);
- ``method="drl"``: igraph's DrL [3]_, made for very large graphs but, on our machines, far
  slower than the grid Fruchterman–Reingold (minutes for 20,000 actors).

Determinism: igraph draws its random numbers from Python's :mod:`random` module
(its documented default). Both functions install a ``random.Random(seed)`` for the
duration of the call, under a lock, and give the module back afterwards, so a fixed
seed gives the same positions and the global random state is left alone.

References
----------
.. [1] Kamada, T. and Kawai, S. (1989). "An algorithm for drawing general undirected
   graphs." Information Processing Letters 31(1): 7–15.
.. [2] Fruchterman, T. M. J. and Reingold, E. M. (1991). "Graph drawing by
   force-directed placement." Software: Practice and Experience 21(11): 1129–1164.
.. [3] Martin, S., Brown, W. M., Klavans, R. and Boyack, K. W. (2011). "OpenOrd: an
   open-source toolbox for large graph layout." Proc. SPIE 7868.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "EDGE_LENGTH",
    "MIN_SPACING",
    "KK_MAX_ACTORS",
    "LAYOUT_VERSION",
    "CORE_STRETCH",
    "compute_layout",
    "extend_layout",
    "pack_components",
]

#: Typical tie length in vis-network units (a node is 28-100 units across, labels are wider).
EDGE_LENGTH = 220.0
#: Smallest median distance from an actor to its nearest other actor, in vis-network units.
MIN_SPACING = 100.0
#: Largest network laid out with Kamada–Kawai by default (its cost grows with n² per step).
KK_MAX_ACTORS = 500

#: Version of what :func:`compute_layout` makes of a network. A stored layout made by an
#: earlier version is laid out anew (graphsvc keeps the version next to the positions);
#: raise it whenever the same network and seed would be placed differently.
LAYOUT_VERSION = 2
#: How much longer, in Kamada–Kawai's eyes, a tie is for each of its ends that is a core
#: actor (see :func:`compute_layout`): core actors end up further apart, so their names fit.
CORE_STRETCH = 3.0
#: Gap between packed components, in tie lengths.
_PACK_GAP = 1.0
#: Distance between isolates in their block, in units of MIN_SPACING (the renderer's
#: block of actors without ties, visualize.render._ISOLATE_STEP, is the same).
_ISOLATE_SPACING = 1.1

_RNG_LOCK = threading.Lock()
_WINDOW = 1.0  # how far (in tie lengths) extend_layout lets a new actor move

Position = tuple[float, float]
#: Positions by actor: the keys are the node ids of the caller's graph, which networkx
#: does not type (actor keys are str in graphsvc, ints in networkx's generators).
Positions = dict[Any, Position]


@contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def _to_igraph(G: nx.Graph, order: list[Hashable]) -> ig.Graph:
    """Undirected, simple igraph graph over ``order``; direction does not matter for placement."""
    index = {key: i for i, key in enumerate(order)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}
    return ig.Graph(n=len(order), edges=sorted(pairs))


def _median_edge_length(coords: np.ndarray, edges: list[tuple[int, int]]) -> float | None:
    if not edges:
        return None
    a, b = np.array(edges).T
    lengths = np.hypot(*(coords[a] - coords[b]).T)
    lengths = lengths[lengths > 0]
    return float(np.median(lengths)) if lengths.size else None


def _as_dict(order: list[Hashable], coords: np.ndarray) -> Positions:
    return {
        key: (round(float(x), 1), round(float(y), 1))
        for key, (x, y) in zip(order, coords, strict=True)
    }


def _layout_component(
    G: nx.Graph, order: list[Hashable], seed: int, method: str, edge_length: float
) -> np.ndarray:
    """Positions of one connected component (two or more actors), centred, in vis units."""
    n = len(order)
    g = _to_igraph(G, order)
    core = [bool(G.nodes[key].get("core")) for key in order]
    edges = g.get_edgelist()
    # Ties at core actors are longer: the core spreads out, residents stay close around it.
    lengths = [1.0 + CORE_STRETCH * (core[a] + core[b]) for a, b in edges]
    rng = np.random.default_rng(seed)
    half = math.sqrt(n) / 2
    start = rng.uniform(-half, half, size=(n, 2))
    if method == "auto":
        method = "kk" if n <= KK_MAX_ACTORS else "fr"
    with _seeded_igraph(seed):
        if method == "drl":
            layout = g.layout_drl(seed=start.tolist())
        elif method == "kk":
            layout = g.layout_kamada_kawai(seed=start.tolist(), weights=lengths)
        else:  # FR's weights pull: a longer tie pulls less
            layout = g.layout_fruchterman_reingold(
                niter=500, seed=start.tolist(), grid="auto", weights=[1 / x for x in lengths]
            )
    coords = np.array(layout.coords, dtype=float)
    coords -= coords.mean(axis=0)
    median = _median_edge_length(coords, edges)
    coords = coords * (edge_length / median if median else 1.0)
    nearest = float(np.median(cKDTree(coords).query(coords, k=2)[0][:, 1]))
    if 0 < nearest < MIN_SPACING:
        coords *= MIN_SPACING / nearest
    return coords


def pack_components(
    parts: list[Positions],
    isolates: list[Hashable] | None = None,
    *,
    gap: float = _PACK_GAP * EDGE_LENGTH,
    spacing: float = _ISOLATE_SPACING * MIN_SPACING,
    aspect: float = 4 / 3,
) -> Positions:
    """Put separately laid-out parts side by side, and isolates in a block beside them.

    The parts (each a dict of positions in its own coordinates) are packed largest first
    (most actors, then largest box) in rows of a rectangle about ``aspect`` times as wide
    as high, each row left to right with ``gap`` between boxes, the rows centred under each
    other. The ``isolates`` (actors without any tie) stand in a square-ish grid, ``spacing``
    apart, right of the packed parts and centred on them vertically. Every part keeps its
    own shape (it is only moved); the result is centred on (0, 0) and deterministic.

    Parameters
    ----------
    parts : list of dict of key to (x, y)
        The laid-out components; their keys must not overlap.
    isolates : list of keys
        Actors placed in the grid block, in the order given (row by row).
    gap, spacing, aspect : float
        Room between parts, between isolates, and the wanted width/height of the packing.

    Returns
    -------
    dict mapping every key of ``parts`` and ``isolates`` to (x, y), rounded to 0.1.

    Examples
    --------
    >>> pos = pack_components([{"a": (0.0, 0.0), "b": (100.0, 0.0)}, {"c": (5.0, 5.0)}], gap=50)
    >>> pos["b"][0] - pos["a"][0], pos["c"][0] - pos["b"][0]
    (100.0, 50.0)
    """
    isolates = list(isolates or [])
    rows = _shelves(parts, gap, aspect)
    out, packed_width, packed_height = _place_shelves(parts, rows, gap)
    if isolates:
        left = packed_width / 2 + (gap if out else 0.0)
        out.update(_isolate_block(isolates, left, packed_height, spacing))
    if not out:
        return {}
    coords = np.array(list(out.values()))
    centre = (coords.min(axis=0) + coords.max(axis=0)) / 2
    return {
        key: (round(float(px - centre[0]), 1), round(float(py - centre[1]), 1))
        for key, (px, py) in out.items()
    }


#: One box on a shelf: the part's index, its lowest corner, its size and its left edge.
_Shelved = tuple[int, np.ndarray, np.ndarray, float]


def _shelves(parts: list[Positions], gap: float, aspect: float) -> list[list[_Shelved]]:
    """The non-empty parts' boxes in rows (shelves), largest first (most actors, then
    largest box), each row filled left to right, ``gap`` apart, up to the width of a
    rectangle about ``aspect`` times as wide as high (or the widest box)."""
    boxes = []
    for i, part in enumerate(parts):
        if not part:
            continue
        xy = np.array(list(part.values()), dtype=float)
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        boxes.append((i, lo, hi - lo))
    boxes.sort(key=lambda b: (-len(parts[b[0]]), -float(b[2][0] * b[2][1]), b[0]))
    total = sum(float((w + gap) * (h + gap)) for _, _, (w, h) in boxes)
    widest = max((float(size[0]) for _, _, size in boxes), default=0.0)
    limit = max(widest, math.sqrt(total * aspect))
    # shelves: rows of boxes, each row as wide as it comes out, centred afterwards
    rows: list[list[_Shelved]] = []
    x = limit + 1.0
    for i, lo, size in boxes:
        if x + size[0] > limit + 1e-6 and (not rows or rows[-1]):
            rows.append([])
            x = 0.0
        rows[-1].append((i, lo, size, x))
        x += float(size[0]) + gap
    return rows


def _place_shelves(
    parts: list[Positions], rows: list[list[_Shelved]], gap: float
) -> tuple[Positions, float, float]:
    """Every part's actors moved onto its shelf (each box centred in its row's height, each
    row centred on x = 0, rows ``gap`` apart), with the width and height of the packing."""
    out: Positions = {}
    y = 0.0
    packed_width = 0.0
    for row in rows:
        height = max(float(size[1]) for _, _, size, _ in row)
        width = row[-1][3] + float(row[-1][2][0])
        packed_width = max(packed_width, width)
        for i, lo, size, x0 in row:
            # centred in the row's height, the row centred on x = 0
            dx = x0 - width / 2 - lo[0]
            dy = y + (height - size[1]) / 2 - lo[1]
            for key, (px, py) in parts[i].items():
                out[key] = (float(px + dx), float(py + dy))
        y += height + gap
    return out, packed_width, max(y - gap, 0.0)


def _isolate_block(
    isolates: list[Hashable], left: float, packed_height: float, spacing: float
) -> Positions:
    """The isolates in a square-ish grid, row by row, ``spacing`` apart, starting at
    ``left`` and centred vertically on a packing ``packed_height`` high."""
    cols = math.ceil(math.sqrt(len(isolates)))
    n_rows = math.ceil(len(isolates) / cols)
    top = (packed_height - (n_rows - 1) * spacing) / 2
    return {
        key: (left + (j % cols) * spacing, top + (j // cols) * spacing)
        for j, key in enumerate(isolates)
    }


def compute_layout(
    G: nx.Graph, seed: int = 0, *, method: str = "auto", edge_length: float = EDGE_LENGTH
) -> Positions:
    """Force-directed positions for every actor of ``G``, in vis-network coordinates.

    Each connected component is laid out on its own and the components are packed by
    :func:`pack_components` (largest first, in a rectangle of about 4:3), with the
    actors that have no tie in a grid block beside them. Actors whose node attribute
    ``core`` is true (graphsvc marks the kinds whose names must be read: everyone but
    residents) are spread further apart: in Kamada–Kawai's eyes each of a tie's core
    ends makes it :data:`CORE_STRETCH` tie lengths longer.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The analysis graph; node ids are actor keys. Direction and weights are ignored
        (placement shows who is tied to whom; line width shows weight).
    seed : int
        The same graph and seed give the same positions.
    method : "auto", "kk", "fr" or "drl"
        Kamada–Kawai, Fruchterman–Reingold (grid variant from 1,000 actors) or DrL;
        "auto" is Kamada–Kawai up to :data:`KK_MAX_ACTORS` actors, else Fruchterman–Reingold.
    edge_length : float
        The median tie length of each component after scaling (longer when the median
        distance from an actor to its nearest neighbour would otherwise fall below
        :data:`MIN_SPACING`).

    Returns
    -------
    dict mapping each actor key to (x, y), the whole picture centred on (0, 0), rounded to
    0.1.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = compute_layout(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2] and pos == compute_layout(nx.path_graph(3), seed=1)
    True
    """
    if method not in ("auto", "kk", "fr", "drl"):
        raise ValueError(f"unknown layout method {method!r}; expected auto, kk, fr or drl")
    order = sorted(G.nodes(), key=str)
    if not order:
        return {}
    if len(order) == 1:
        return {order[0]: (0.0, 0.0)}
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    components = [sorted(c, key=str) for c in nx.connected_components(undirected)]
    components.sort(key=lambda c: (-len(c), str(c[0])))
    parts: list[Positions] = []
    isolates: list[Hashable] = []
    for members in components:
        if len(members) == 1 or undirected.subgraph(members).number_of_edges() == 0:
            isolates.extend(members)
            continue
        coords = _layout_component(undirected.subgraph(members), members, seed, method, edge_length)
        parts.append(
            {key: (float(x), float(y)) for key, (x, y) in zip(members, coords, strict=True)}
        )
    isolates.sort(key=str)
    return pack_components(parts, isolates, gap=_PACK_GAP * edge_length)


def _initial_positions(
    G: nx.Graph,
    order: list[Hashable],
    known: Mapping[Any, Position],
    step: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Known actors where they are; new ones next to their placed neighbours.

    A group of new actors with no tie to any placed actor starts on a ring just outside the
    known map (one point per group), and its members then follow breadth-first.
    """
    pos = {key: np.asarray(known[key], dtype=float) for key in order if key in known}
    placed = np.array(list(pos.values()))
    centre = placed.mean(axis=0)
    radius = max(float(np.max(np.hypot(*(placed - centre).T))), step) + step
    pending = [key for key in order if key not in pos]
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    while pending:
        placed_now = []
        for key in pending:
            anchors = [pos[v] for v in undirected.neighbors(key) if v in pos]
            if anchors:
                jitter = rng.normal(0.0, step / 4, size=2)
                placed_now.append((key, np.mean(anchors, axis=0) + jitter))
        if not placed_now:  # the rest has no tie to a placed actor: seed one on the ring
            angle = rng.uniform(0, 2 * math.pi)
            placed_now = [
                (pending[0], centre + radius * np.array([math.cos(angle), math.sin(angle)]))
            ]
        for key, p in placed_now:  # a whole layer of the breadth-first search at once
            pos[key] = p
        done = {key for key, _ in placed_now}
        pending = [key for key in pending if key not in done]
    return np.array([pos[key] for key in order])


def _bounds(
    start: np.ndarray, known_idx: np.ndarray, known_xy: np.ndarray, step: float
) -> tuple[list[float], list[float], list[float], list[float]]:
    """igraph's per-actor bounds (minx, maxx, miny, maxy) for :func:`extend_layout`, in tie
    lengths (``step`` map units).

    Known actors are pinned (lower bound == upper bound); a new actor may move at most
    _WINDOW tie lengths from its starting point: enough to get out of the way of the
    actors around it, not enough to drift off: the saved layout's scale is not the one
    at which Fruchterman-Reingold's forces balance, so unbounded it would push new
    actors out of crowded parts of the map.
    """
    lo_x, hi_x = start[:, 0] - _WINDOW, start[:, 0] + _WINDOW
    lo_y, hi_y = start[:, 1] - _WINDOW, start[:, 1] + _WINDOW
    lo_x[known_idx] = hi_x[known_idx] = known_xy[:, 0] / step
    lo_y[known_idx] = hi_y[known_idx] = known_xy[:, 1] / step
    return lo_x.tolist(), hi_x.tolist(), lo_y.tolist(), hi_y.tolist()


def extend_layout(
    G: nx.Graph,
    known_positions: Mapping[Any, Position],
    seed: int = 0,
    *,
    edge_length: float = EDGE_LENGTH,
) -> Positions:
    """Keep the saved positions and place only the actors that have none yet.

    A new actor starts at the centre of its already placed neighbours (actors reached
    only through other new actors follow in breadth-first order; actors with no path to
    a placed one start on a ring around the map), then Fruchterman–Reingold moves the
    new actors only, each within about one tie length of its start: the known actors are
    pinned through igraph's per-vertex bounds (``minx == maxx``), so the map the audience
    saw last time does not change.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        The analysis graph now.
    known_positions : mapping of actor key to (x, y)
        Saved positions; keys that are no longer in ``G`` are ignored.
    seed : int
        The same inputs and seed give the same positions.
    edge_length : float
        Typical tie length used when the known actors have no ties among themselves.

    Returns
    -------
    dict mapping every actor of ``G`` to (x, y); known actors keep their exact positions.
    """
    order = sorted(G.nodes(), key=str)
    known = {key: known_positions[key] for key in order if key in known_positions}
    if len(known) == len(order):
        return {key: (float(known[key][0]), float(known[key][1])) for key in order}
    if not known:
        return compute_layout(G, seed=seed, edge_length=edge_length)
    g = _to_igraph(G, order)
    index = {key: i for i, key in enumerate(order)}
    known_idx = np.array([index[key] for key in known])
    known_edges = [(a, b) for a, b in g.get_edgelist() if order[a] in known and order[b] in known]
    all_known = np.array([known[order[i]] for i in known_idx], dtype=float)
    step = (
        _median_edge_length(
            np.array([known.get(key, (0.0, 0.0)) for key in order], dtype=float), known_edges
        )
        or edge_length
    )
    rng = np.random.default_rng(seed)
    start = _initial_positions(G, order, known, step, rng) / step  # one tie ~ one unit for FR
    minx, maxx, miny, maxy = _bounds(start, known_idx, all_known, step)
    with _seeded_igraph(seed):
        layout = g.layout_fruchterman_reingold(
            niter=200,
            seed=start.tolist(),
            start_temp=_WINDOW,
            minx=minx,
            maxx=maxx,
            miny=miny,
            maxy=maxy,
            grid="auto",
        )
    coords = np.array(layout.coords, dtype=float) * step
    out = _as_dict(order, coords)
    for key, (x, y) in known.items():
        out[key] = (float(x), float(y))
    return out
