"""Introductions worth making: network weaving with measured gains (docs/metrics.md §9).

A network weaver (Krebs & Holley 2002/2006) introduces people who could help each other and
are one or two steps apart, closing the structural holes (Burt 1992) that matter for the
programme.  Link prediction (Liben-Nowell & Kleinberg 2007: common neighbours, Adamic-Adar)
ranks ties that are *likely*; a weaver wants ties that are *useful* and *feasible*.  So:

Candidates (non-adjacent pairs, on the undirected view of the analysis graph):

- ``reach_anchor``: an initiative with no path of length <= 2 to any official or funder,
  paired with an official/funder three steps away, or with someone two steps away who knows
  one;
- ``cut_point``: two contacts of a cut point (an actor whose removal splits the network) that
  lie in different parts once it is gone;
- ``isolate``: an actor without any tie, paired with the most active initiative (sharing its
  ``neighbourhood`` when the data has one).

Each candidate's gain is **measured** by adding the tie and recomputing, never guessed:

- ``initiatives_within_two_steps``: initiatives newly within two steps of an official or funder;
- ``cut_points_removed``: actors that stop being cut points;
- ``isolates_connected``: 1 when an isolate gets its first tie.

Only candidates with a positive gain are kept.  Ranking: the weighted gain
(3 x initiatives + 2 x cut points + 1 x isolate), then feasibility (the number of common
neighbours: people who can make the introduction), then the keys (stable order).  The
introducers are named: the common neighbours, or the middle of the shortest path.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.metrics.views import Structure

__all__ = ["ANCHOR_KINDS", "Introduction", "introductions"]

ANCHOR_KINDS = frozenset({"official", "funder"})
WEIGHTS = {"initiatives_within_two_steps": 3, "cut_points_removed": 2, "isolates_connected": 1}
_MAX_CANDIDATES = 400  # evaluated per request; each evaluation is O(n + m)


@dataclass
class Introduction:
    a: Hashable
    b: Hashable
    reason: str
    introducers: list[Hashable]
    gain: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(WEIGHTS[k] * _size(self.gain.get(k, 0)) for k in WEIGHTS)

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "reason": self.reason,
            "introducers": self.introducers,
            "gain": self.gain,
            "score": self.score,
        }


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list | set | tuple) else int(value)


def _undirected(G: nx.Graph) -> nx.Graph:
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return U


def _kind(U: nx.Graph, v: Hashable) -> str:
    return str(U.nodes[v].get("kind", ""))


def _within_two_of_anchor(U: nx.Graph) -> set[Hashable]:
    anchors = [v for v in U if _kind(U, v) in ANCHOR_KINDS]
    lengths = nx.multi_source_dijkstra_path_length(U, anchors, cutoff=2) if anchors else {}
    return {v for v in lengths if _kind(U, v) == "initiative"}


def _state(U: nx.Graph) -> tuple[set[Hashable], set[Hashable], set[Hashable]]:
    return set(nx.articulation_points(U)), _within_two_of_anchor(U), set(nx.isolates(U))


def _gain(
    U: nx.Graph, structure: Structure, a: Hashable, b: Hashable, before: tuple
) -> dict[str, Any]:
    """What adding the tie a-b changes: computed on ``structure`` (U in igraph) with the tie
    added, the same sets as :func:`_state` of U with it (asked up to _MAX_CANDIDATES times)."""
    cut_before, reach_before, isolates_before = before
    cut_after = structure.cut_points_with(a, b)
    anchors = [v for v in U if _kind(U, v) in ANCHOR_KINDS]
    near = structure.within(anchors, 2, extra=(a, b))
    reach_after = {v for v in near if _kind(U, v) == "initiative"}
    return {
        "initiatives_within_two_steps": sorted(reach_after - reach_before, key=str),
        "cut_points_removed": sorted(cut_before - cut_after, key=str),
        "isolates_connected": sum(1 for v in (a, b) if v in isolates_before),
    }


def _reach_candidates(U: nx.Graph, reach: set[Hashable]) -> Iterable[tuple]:
    for i in sorted((v for v in U if _kind(U, v) == "initiative"), key=str):
        if i in reach or U.degree(i) == 0:
            continue
        lengths = nx.single_source_shortest_path_length(U, i, cutoff=3)
        for v, d in lengths.items():
            if d == 3 and _kind(U, v) in ANCHOR_KINDS:
                yield i, v, "reach_anchor"
            elif d == 2 and any(_kind(U, w) in ANCHOR_KINDS for w in U[v]):
                yield i, v, "reach_anchor"


def _cut_candidates(
    U: nx.Graph, structure: Structure, cut_points: set[Hashable]
) -> Iterable[tuple]:
    for x in sorted(cut_points, key=str):
        part = {v: i for i, comp in enumerate(structure.parts_without(x)) for v in comp}
        best: dict[tuple[int, int], tuple[Hashable, Hashable]] = {}
        neighbours = sorted(U[x], key=lambda v: (-U.degree(v), str(v)))
        for j, u in enumerate(neighbours):
            for v in neighbours[j + 1 :]:
                key = (min(part[u], part[v]), max(part[u], part[v]))
                if part[u] != part[v] and key not in best:
                    best[key] = (u, v)  # the best-connected pair per two parts
        for u, v in best.values():
            yield u, v, "cut_point"


def _isolate_candidates(U: nx.Graph) -> Iterable[tuple]:
    initiatives = [v for v in U if _kind(U, v) == "initiative" and U.degree(v) > 0]
    if not initiatives:
        return
    for s in sorted(nx.isolates(U), key=str):
        place = U.nodes[s].get("neighbourhood")

        def rank(v: Hashable, place: Any = place) -> tuple:
            same = place is not None and U.nodes[v].get("neighbourhood") == place
            return (not same, -U.degree(v), str(v))

        yield s, min(initiatives, key=rank), "isolate"


def _introducers(U: nx.Graph, a: Hashable, b: Hashable) -> list[Hashable]:
    if a not in U or b not in U or U.degree(a) == 0 or U.degree(b) == 0:
        return []
    common = sorted(nx.common_neighbors(U, a, b), key=str)
    if common:
        return common
    try:
        return nx.shortest_path(U, a, b)[1:-1]
    except nx.NetworkXNoPath:
        return []


def introductions(G: nx.Graph, limit: int = 10) -> list[Introduction]:
    """The ``limit`` best introductions for analysis graph ``G`` (node attribute ``kind``).

    Examples
    --------
    A path initiative - X - official: X is a cut point; introducing the initiative to the
    official removes it.

    >>> G = nx.Graph([("i", "x"), ("x", "o")])
    >>> nx.set_node_attributes(G, {"i": "initiative", "x": "resident", "o": "official"}, "kind")
    >>> best = introductions(G)[0]
    >>> (best.a, best.b, best.gain["cut_points_removed"])
    ('i', 'o', ['x'])
    """
    U = _undirected(G)
    structure = Structure(U)
    before = _state(U)
    seen: set[frozenset] = set()
    found: list[Introduction] = []
    sources = (
        _reach_candidates(U, before[1]),
        _cut_candidates(U, structure, before[0]),
        _isolate_candidates(U),
    )
    for a, b, reason in (c for source in sources for c in source):
        pair = frozenset((a, b))
        if a == b or U.has_edge(a, b) or pair in seen:
            continue
        seen.add(pair)
        if len(seen) > _MAX_CANDIDATES:
            break
        gain = _gain(U, structure, a, b, before)
        intro = Introduction(a, b, reason, _introducers(U, a, b), gain)
        if intro.score > 0:
            found.append(intro)
    found.sort(key=lambda i: (-i.score, -len(i.introducers), str(i.a), str(i.b)))
    return found[:limit]
