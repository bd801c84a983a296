"""A map of several groups of actors at once: each group its own cluster, shared actors between.

The national map shows every proeftuin together. Drawn as one force layout, about a thousand
actors become one hairball in which nobody can tell the proeftuinen apart. Here each group is
laid out on its own (with :func:`visualize.layout.compute_layout`, the same layout as the
group's own map), the clusters stand in a grid with clear gaps, and the actors that belong to
several groups (national funds, for example) stand in those gaps, as close as possible to the
actors they are tied to, so the ties that cross from one group to another stay short and visible.

- **home group**: an actor that belongs to exactly one group is laid out inside that group's
  cluster; an actor of several groups (or of none) is *shared*;
- **the grid**: ``ceil(sqrt(k))`` columns for ``k`` groups; which group goes into which cell
  is chosen so that groups joined by many shared actors or ties sit side by side (a local
  search over swaps of two cells from the given order; no randomness). Columns are as wide and
  rows as high as their largest cluster, with :data:`GROUP_GAP` between them and a band of
  :data:`LABEL_BAND` above each cluster for its name;
- **shared actors** go, most-tied first, to the free point nearest to the mean position of
  the actors they are tied to (of their groups' centres when they have no ties), on a lattice
  of :data:`~visualize.layout.MIN_SPACING` that leaves out every cluster's box.

No library lays out clustered graphs with pinned clusters and free "bridge" nodes (igraph's
and networkx's layouts place every node by the same forces), so the arrangement is ours; the
clusters themselves are laid out by igraph through :func:`~visualize.layout.compute_layout`,
and the free points are found with SciPy's k-d tree.

Determinism: the same graph, groups, order and seed give the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from .layout import EDGE_LENGTH, MIN_SPACING, Positions, compute_layout

__all__ = [
    "GROUP_GAP",
    "LABEL_BAND",
    "BOX_PAD",
    "GroupLayout",
    "home_groups",
    "group_boxes",
    "layout_groups",
]

#: Free space between two clusters' boxes (map units): room for shared actors and their names.
GROUP_GAP = 3 * EDGE_LENGTH
#: Height kept free above each cluster for the group's name (map units).
LABEL_BAND = 2 * EDGE_LENGTH
#: Margin of a cluster's box around its actors (map units): a name below an actor stays inside.
BOX_PAD = EDGE_LENGTH / 2

Box = tuple[float, float, float, float]  # left, top, right, bottom (y grows downwards)


@dataclass(frozen=True)
class GroupLayout:
    """Positions of every actor and the box of every group's cluster (including its name band)."""

    positions: Positions
    boxes: dict[Hashable, Box]


def home_groups(groups: Mapping[Any, Sequence[Hashable]]) -> dict[Any, Hashable]:
    """{actor: its one group} for the actors that belong to exactly one group."""
    out = {}
    for actor, of in groups.items():
        distinct = set(of)
        if len(distinct) == 1:
            out[actor] = next(iter(distinct))
    return out


def group_boxes(
    positions: Mapping[Any, tuple[float, float]],
    home: Mapping[Any, Hashable],
    *,
    pad: float = BOX_PAD,
    band: float = LABEL_BAND,
) -> dict[Hashable, Box]:
    """The box of each group around its home actors: ``pad`` around them, ``band`` above."""
    spans: dict[Hashable, list[float]] = {}
    for actor, group in home.items():
        if actor not in positions:
            continue
        x, y = positions[actor]
        s = spans.setdefault(group, [x, y, x, y])
        s[0], s[1], s[2], s[3] = min(s[0], x), min(s[1], y), max(s[2], x), max(s[3], y)
    return {g: (s[0] - pad, s[1] - pad - band, s[2] + pad, s[3] + pad) for g, s in spans.items()}


def _cluster(G: nx.Graph, seed: int, edge_length: float) -> Positions:
    """One group's positions: its largest connected part laid out by compute_layout, the
    smaller parts (pairs, actors without a tie in the group) in rows underneath.

    A force layout throws unconnected pieces far out, and the group's box would be mostly
    empty; the rows keep the cluster compact. (Shelf packing of a few small pieces.)
    """
    parts = sorted(
        (sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0]))
    )
    if len(parts) <= 1:
        return compute_layout(G, seed=seed, edge_length=edge_length)
    main = compute_layout(G.subgraph(parts[0]), seed=seed, edge_length=edge_length)
    coords = np.array(list(main.values()), dtype=float)
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    width = max(float(hi[0] - lo[0]), 4 * MIN_SPACING)
    out = dict(main)
    x, y, row_height = float(lo[0]), float(hi[1]) + 1.5 * MIN_SPACING, 0.0
    for part in parts[1:]:
        pos = compute_layout(
            G.subgraph(part), seed=seed, edge_length=min(edge_length, 1.2 * MIN_SPACING)
        )
        pc = np.array([pos[a] for a in part], dtype=float)
        pc -= pc.min(axis=0)
        w, h = float(pc[:, 0].max()), float(pc[:, 1].max())
        if x > lo[0] and x + w > lo[0] + width:
            x, y, row_height = float(lo[0]), y + row_height + MIN_SPACING, 0.0
        for a, (px, py) in zip(part, pc, strict=True):
            out[a] = (round(x + float(px), 1), round(y + float(py), 1))
        x += w + MIN_SPACING
        row_height = max(row_height, h)
    return out


def _arrangement(k: int, cols: int, weights: np.ndarray, spread: list[dict[int, float]]) -> list:
    """The cell of each of ``k`` groups in a grid of ``cols`` columns (cells on unit spacing).

    Cost: every pair of groups weighted by the ties between them, times their distance, plus
    every shared actor's weighted distance from its groups to their weighted centre. Starting
    from the given order, the best swap of two cells is taken while one lowers the cost.
    """
    rows = math.ceil(k / cols)
    cells = [(c, r) for r in range(rows) for c in range(cols)]
    centre = np.array(cells, dtype=float)

    def cost(assign: list[int]) -> float:
        at = centre[assign]
        total = 0.0
        for a, b in combinations(range(k), 2):
            if weights[a, b]:
                total += weights[a, b] * float(np.hypot(*(at[a] - at[b])))
        for tied in spread:
            idx = list(tied)
            w = np.array([tied[i] for i in idx])
            mid = (at[idx] * w[:, None]).sum(axis=0) / w.sum()
            total += float((w * np.hypot(*(at[idx] - mid).T)).sum())
        return total

    assign = list(range(k))  # group i in cell i; cells k.. are empty
    best = cost(assign)
    while True:
        found = None
        for i in range(k):
            for cell in range(len(cells)):
                if cell == assign[i]:
                    continue
                trial = assign.copy()
                other = trial.index(cell) if cell in trial else None
                trial[i] = cell
                if other is not None:
                    trial[other] = assign[i]
                c = cost(trial)
                if c < best - 1e-9:
                    best, found = c, trial
        if found is None:
            return [cells[a] for a in assign]
        assign = found


def layout_groups(
    G: nx.Graph,
    groups: Mapping[Any, Sequence[Hashable]],
    order: Sequence[Hashable],
    seed: int = 0,
    *,
    edge_length: float = EDGE_LENGTH,
) -> GroupLayout:
    """Positions for every actor of ``G``: each group a cluster, shared actors in the gaps.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
        Every actor and every tie (of any date); direction and weight are ignored.
    groups : mapping of actor to the groups it belongs to
        An actor missing here, or with several groups, is shared.
    order : the groups, in the order the caller lists them (the first goes top left, unless
        moving it shortens the ties between groups).
    seed : int
        The same inputs and seed give the same positions.

    Returns
    -------
    GroupLayout: positions (centred on (0, 0), rounded to 0.1) and the box of each group
    with at least one home actor, name band included. Boxes do not overlap, and no shared
    actor stands inside a box.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a1", "a2"), ("b1", "b2"), ("a1", "f"), ("b1", "f")])
    >>> out = layout_groups(G, {"a1": ["A"], "a2": ["A"], "b1": ["B"], "b2": ["B"],
    ...                         "f": ["A", "B"]}, ["A", "B"])
    >>> out.boxes["A"][2] < out.positions["f"][0] < out.boxes["B"][0]
    True
    """
    order = list(dict.fromkeys(order))
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    home = {a: g for a, g in home_groups(groups).items() if a in G and g in order}
    shared = sorted((a for a in G if a not in home), key=str)
    index = {g: i for i, g in enumerate(order)}
    k = len(order)

    # 1. each group on its own, the group's own map layout
    members, clusters = _clusters(undirected, home, order, seed, edge_length)

    # 2. which cell each group gets: groups that share actors or ties side by side
    weights, spread = _group_links(undirected, groups, home, shared, index)
    cols = max(1, math.ceil(math.sqrt(k)))
    cells = _arrangement(k, cols, weights, spread) if k else []

    # 3. the grid: columns as wide and rows as high as their largest cluster (box included)
    positions = _grid(clusters, members, cells)
    boxes = group_boxes({a: (float(p[0]), float(p[1])) for a, p in positions.items()}, home)

    # 4. shared actors: the free point nearest to the actors they are tied to
    if shared:
        _place_shared(undirected, shared, groups, positions, boxes, index)
    return _centred(positions, boxes)


def _clusters(
    G: nx.Graph,
    home: Mapping[Any, Hashable],
    order: Sequence[Hashable],
    seed: int,
    edge_length: float,
) -> tuple[list[list[Hashable]], list[np.ndarray]]:
    """Per group of ``order``: its home actors (sorted) and their positions in its own
    cluster (an array of shape (n, 2), in the order of the actors)."""
    clusters: list[np.ndarray] = []
    members: list[list[Hashable]] = []
    for g in order:
        keys = sorted((a for a, h in home.items() if h == g), key=str)
        pos = _cluster(G.subgraph(keys), seed, edge_length)
        members.append(keys)
        clusters.append(np.array([pos[a] for a in keys], dtype=float).reshape(-1, 2))
    return members, clusters


def _group_links(
    G: nx.Graph,
    groups: Mapping[Any, Sequence[Hashable]],
    home: Mapping[Any, Hashable],
    shared: Sequence[Hashable],
    index: Mapping[Hashable, int],
) -> tuple[np.ndarray, list[dict[int, float]]]:
    """What :func:`_arrangement` weighs: the ties between each two groups' home actors
    (a symmetric matrix over ``index``), and for every shared actor tied to several groups
    {group index: its ties into that group} (its own groups when it has no tie to a home
    actor)."""
    k = len(index)
    weights = np.zeros((k, k))
    for u, v in G.edges():
        if u in home and v in home and home[u] != home[v]:
            a, b = index[home[u]], index[home[v]]
            weights[a, b] += 1
            weights[b, a] += 1
    spread = []
    for actor in shared:
        tied: dict[int, float] = {}
        for v in G.neighbors(actor):
            if v in home:
                tied[index[home[v]]] = tied.get(index[home[v]], 0.0) + 1.0
        if not tied:
            tied = {index[g]: 1.0 for g in set(groups.get(actor, ())) if g in index}
        if len(tied) > 1:
            spread.append(tied)
    return weights, spread


def _grid(
    clusters: Sequence[np.ndarray],
    members: Sequence[Sequence[Hashable]],
    cells: Sequence[tuple[int, int]],
) -> dict[Any, np.ndarray]:
    """The home actors' positions with every cluster moved into its cell of the grid.

    Columns are as wide and rows as high as their largest cluster's box (name band
    included), :data:`GROUP_GAP` apart; each box is centred in its cell.
    """
    k = len(clusters)
    sizes = [_box_size(coords) for coords in clusters]
    n_cols = max((c for c, _ in cells), default=-1) + 1
    n_rows = max((r for _, r in cells), default=-1) + 1
    col_w = [
        max([sizes[i][0] for i in range(k) if cells[i][0] == c] or [0.0]) for c in range(n_cols)
    ]
    row_h = [
        max([sizes[i][1] for i in range(k) if cells[i][1] == r] or [0.0]) for r in range(n_rows)
    ]
    col_x = np.concatenate([[0.0], np.cumsum(np.array(col_w) + GROUP_GAP)])
    row_y = np.concatenate([[0.0], np.cumsum(np.array(row_h) + GROUP_GAP)])
    positions: dict[Any, np.ndarray] = {}
    for i in range(k):
        coords = clusters[i]
        if not len(coords):
            continue
        c, r = cells[i]
        w, h = sizes[i]
        # the cluster's box centred in its cell
        left = col_x[c] + (col_w[c] - w) / 2
        top = row_y[r] + (row_h[r] - h) / 2
        shift = np.array([left + BOX_PAD, top + LABEL_BAND + BOX_PAD]) - coords.min(axis=0)
        for actor, p in zip(members[i], coords + shift, strict=True):
            positions[actor] = p
    return positions


def _box_size(coords: np.ndarray) -> tuple[float, float]:
    """Width and height of a cluster's box: its actors' span, the margins and the name band."""
    if len(coords):
        w = float(np.ptp(coords[:, 0])) + 2 * BOX_PAD
        h = float(np.ptp(coords[:, 1])) + 2 * BOX_PAD + LABEL_BAND
    else:
        w, h = 2 * BOX_PAD, 2 * BOX_PAD + LABEL_BAND
    return w, h


def _centred(positions: Mapping[Any, np.ndarray], boxes: Mapping[Hashable, Box]) -> GroupLayout:
    """Positions and boxes moved so the picture is centred on (0, 0), as compute_layout's;
    positions rounded to 0.1."""
    if positions:
        everyone = np.array(list(positions.values()))
        middle = (everyone.min(axis=0) + everyone.max(axis=0)) / 2
    else:
        middle = np.zeros(2)
    mx, my = float(middle[0]), float(middle[1])
    out = {
        a: (round(float(p[0]) - mx, 1), round(float(p[1]) - my, 1)) for a, p in positions.items()
    }
    return GroupLayout(
        out, {g: (b[0] - mx, b[1] - my, b[2] - mx, b[3] - my) for g, b in boxes.items()}
    )


def _place_shared(
    G: nx.Graph,
    shared: list[Hashable],
    groups: Mapping[Any, Sequence[Hashable]],
    positions: dict[Any, np.ndarray],
    boxes: Mapping[Hashable, Box],
    index: Mapping[Hashable, int],
) -> None:
    """Put every shared actor on the free lattice point nearest to its target (in place)."""
    step = MIN_SPACING * 1.2
    if positions:
        everyone = np.array(list(positions.values()))
        lo, hi = everyone.min(axis=0), everyone.max(axis=0)
    else:
        lo, hi = np.zeros(2), np.zeros(2)
    margin = GROUP_GAP + step * math.ceil(math.sqrt(len(shared)))
    xs = np.arange(lo[0] - margin, hi[0] + margin + step, step)
    ys = np.arange(lo[1] - margin, hi[1] + margin + step, step)
    grid = np.array([(x, y) for y in ys for x in xs])
    keep = np.ones(len(grid), dtype=bool)
    clear = MIN_SPACING / 2  # a shared actor's shape stays out of every box
    for left, top, right, bottom in boxes.values():
        inside = (
            (grid[:, 0] > left - clear)
            & (grid[:, 0] < right + clear)
            & (grid[:, 1] > top - clear)
            & (grid[:, 1] < bottom + clear)
        )
        keep &= ~inside
    free = grid[keep]
    taken = np.zeros(len(free), dtype=bool)
    tree = cKDTree(free)
    centres = {}
    for g, i in index.items():
        if g in boxes:
            b = boxes[g]
            centres[i] = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])

    def target(a: Hashable) -> np.ndarray:
        tied = [positions[v] for v in G.neighbors(a) if v in positions]
        if tied:
            return np.mean(tied, axis=0)
        mine = [
            centres[index[g]] for g in set(groups.get(a, ())) if g in index and index[g] in centres
        ]
        return np.mean(mine, axis=0) if mine else (lo + hi) / 2

    # most-tied first: the best places go to the actors with the most ties to show
    for a in sorted(shared, key=lambda a: (-G.degree(a), str(a))):
        want = target(a)
        k = 16
        while True:
            _, near = tree.query(want, k=min(k, len(free)))
            near = np.atleast_1d(near)
            hit = next((int(j) for j in near if not taken[j]), None)
            if hit is not None or k >= len(free):
                break
            k *= 4
        if hit is None:  # every lattice point taken: cannot happen with the margin above
            raise RuntimeError("no free place left for a shared actor")
        positions[a] = free[hit]
        for j in tree.query_ball_point(free[hit], MIN_SPACING * 1.1):
            taken[j] = True
