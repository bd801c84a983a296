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
  ``neighbourhood`` when the data has one);
- ``single_broker``: a pair of groups (kinds) that hangs on one broker: in the broker's part of
  the network every path between an actor of the one group and an actor of the other runs
  through the broker (each group with at least two actors there).  The pair proposed bypasses
  the broker: the best-connected actor of each group in the two largest pieces left without
  the broker, preferring the broker's own contacts (the broker can introduce them).

Each candidate's gain is **measured** by adding the tie and recomputing, never guessed:

- ``initiatives_within_two_steps``: initiatives newly within two steps of an official or funder;
- ``cut_points_removed``: actors that stop being cut points;
- ``isolates_connected``: 1 when an isolate gets its first tie;
- ``group_pairs_bypassed``: the group pairs that no longer hang on their single broker
  (``{"broker", "groups"}``), with ``second_path``: the actors of those groups that now reach
  the other group on a path that avoids the broker, and ``broker_constraint``: Burt's
  constraint of each bypassed broker before and after (it *rises*: the broker's contacts are
  no longer held apart by it alone; reported, not ranked).

Only candidates with a positive gain are kept.  Ranking: the weighted gain
(3 x initiatives + 2 x cut points + 1 x isolate + 3 per bypassed pair of an initiative group
with officials or funders, 2 per other bypassed group pair), then feasibility (the number of
common neighbours: people who can make the introduction), then the keys (stable order).  The
introducers are named: the common neighbours, or the middle of the shortest path.

Why the bypass needs its own candidates: a network that hangs on one broker often has its
broker split the network into three or more pieces, so one new tie never stops it being a
cut point (``cut_points_removed`` stays empty), and every initiative is already within two
steps of an official *through* the broker (``initiatives_within_two_steps`` stays empty).
Without the group-pair measure such an introduction scores 0 and is dropped.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.metrics.structural_holes import constraint
from graphsvc.metrics.views import Structure

__all__ = ["ANCHOR_KINDS", "Introduction", "introductions"]

ANCHOR_KINDS = frozenset({"official", "funder"})
WEIGHTS = {"initiatives_within_two_steps": 3, "cut_points_removed": 2, "isolates_connected": 1}
#: Weight of a bypassed group pair: 3 for initiatives with officials or funders (the programme's
#: third lesson, as for ``initiatives_within_two_steps``), 2 for any other pair (a single point
#: of failure, as for a cut point).
BYPASS_WEIGHTS = {"anchor": 3, "other": 2}
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
        plain = sum(WEIGHTS[k] * _size(self.gain.get(k, 0)) for k in WEIGHTS)
        return plain + sum(
            BYPASS_WEIGHTS[_pair_kind(p["groups"])]
            for p in self.gain.get("group_pairs_bypassed", [])
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "reason": self.reason,
            "introducers": self.introducers,
            "gain": self.gain,
            "score": self.score,
        }


def _pair_kind(groups: list[str]) -> str:
    a, b = groups
    anchor = (a == "initiative" and b in ANCHOR_KINDS) or (b == "initiative" and a in ANCHOR_KINDS)
    return "anchor" if anchor else "other"


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list | set | tuple) else int(value)


def _undirected(G: nx.Graph) -> nx.Graph:
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return U


def _kind(U: nx.Graph, v: Hashable) -> str:
    return str(U.nodes[v].get("kind", ""))


def _anchors(U: nx.Graph) -> list[Hashable]:
    return [v for v in U if _kind(U, v) in ANCHOR_KINDS]


def _within_two_of_anchor(U: nx.Graph, anchors: list[Hashable]) -> set[Hashable]:
    lengths = nx.multi_source_dijkstra_path_length(U, anchors, cutoff=2) if anchors else {}
    return {v for v in lengths if _kind(U, v) == "initiative"}


@dataclass(frozen=True)
class _Hang:
    """Group pair ``groups`` hangs on ``broker``: in ``pieces`` (the broker's part of the
    network without the broker) no piece holds actors of both groups."""

    broker: Hashable
    groups: tuple[str, str]
    pieces: list[set[Hashable]]


@dataclass(frozen=True)
class _State:
    cut_points: set[Hashable]
    reach: set[Hashable]
    isolates: set[Hashable]
    hanging: list[_Hang]
    anchors: list[Hashable]  # the officials and funders, in U's order


def _pieces_without(U: nx.Graph, x: Hashable) -> list[set[Hashable]]:
    """The connected pieces that x's part of ``U`` falls into without x."""
    part = nx.node_connected_component(U, x) - {x}
    return [set(c) for c in nx.connected_components(U.subgraph(part))]


def _hanging(U: nx.Graph, cut_points: set[Hashable]) -> list[_Hang]:
    """Every (broker, group pair) where the pair hangs on the broker (see the module text)."""
    found = []
    for x in sorted(cut_points, key=str):
        pieces = _pieces_without(U, x)
        members: dict[str, list[int]] = {}  # group -> actors per piece
        for i, piece in enumerate(pieces):
            for v in piece:
                members.setdefault(_kind(U, v), [0] * len(pieces))[i] += 1
        groups = sorted(g for g in members if g and sum(members[g]) >= 2)
        for j, g in enumerate(groups):
            for h in groups[j + 1 :]:
                if not any(m and n for m, n in zip(members[g], members[h], strict=True)):
                    found.append(_Hang(x, (g, h), pieces))
    return found


def _state(U: nx.Graph) -> _State:
    cut = set(nx.articulation_points(U))
    anchors = _anchors(U)
    return _State(
        cut, _within_two_of_anchor(U, anchors), set(nx.isolates(U)), _hanging(U, cut), anchors
    )


def _second_paths(U: nx.Graph, hang: _Hang) -> set[Hashable]:
    """Actors of ``hang.groups`` that hung on the broker and now reach an actor of the other
    group that hung on it too, in ``U`` without the broker (newcomers to the broker's part,
    such as an isolate given its first tie, are not counted)."""
    g, h = hang.groups
    hung = {v for piece in hang.pieces for v in piece if _kind(U, v) in (g, h)}
    found: set[Hashable] = set()
    for piece in _pieces_without(U, hang.broker):
        members = piece & hung
        if {_kind(U, v) for v in members} == {g, h}:
            found |= members
    return found


def _constraint_of(U: nx.Graph, x: Hashable) -> float | None:
    """Burt's constraint of x alone: it depends on x's contacts and all of their ties only,
    which the radius-2 neighbourhood of x holds (unweighted: the undirected view has none)."""
    return constraint(nx.ego_graph(U, x, radius=2), weight=None)[x]


def _gain(
    U: nx.Graph, structure: Structure, a: Hashable, b: Hashable, before: _State
) -> dict[str, Any]:
    """What adding the tie a-b changes: cut points and reach computed on ``structure`` (U in
    igraph) with the tie added, the same sets as :func:`_state` of U with it (asked up to
    _MAX_CANDIDATES times); the bypasses of brokers on U with the tie added."""
    cut_after = structure.cut_points_with(a, b)
    near = structure.within(before.anchors, 2, extra=(a, b))
    reach_after = {v for v in near if _kind(U, v) == "initiative"}
    bypassed: list[tuple[_Hang, set[Hashable]]] = []
    brokers: list[Hashable] = []
    after_constraint: dict[Hashable, float | None] = {}
    if before.hanging:
        U.add_edge(a, b)
        try:
            # A new tie never makes a pair hang on a broker; it may free one that did.
            freed = [(k, _second_paths(U, k)) for k in before.hanging]
            bypassed = [(k, second) for k, second in freed if second]
            brokers = sorted({k.broker for k, _ in bypassed}, key=str)
            after_constraint = {x: _constraint_of(U, x) for x in brokers}
        finally:
            U.remove_edge(a, b)
    return {
        "initiatives_within_two_steps": sorted(reach_after - before.reach, key=str),
        "cut_points_removed": sorted(before.cut_points - cut_after, key=str),
        "isolates_connected": sum(1 for v in (a, b) if v in before.isolates),
        "group_pairs_bypassed": [
            {"broker": k.broker, "groups": list(k.groups)} for k, _ in bypassed
        ],
        "second_path": sorted(set().union(*(second for _, second in bypassed)), key=str),
        "broker_constraint": {
            x: {"before": _constraint_of(U, x), "after": after_constraint[x]} for x in brokers
        },
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


def _contact_first(U: nx.Graph, x: Hashable) -> Any:
    """Sort key: the broker's own contacts first, then the most ties, then the key."""
    return lambda v: (not U.has_edge(x, v), -U.degree(v), str(v))


def _bypass_candidates(U: nx.Graph, hanging: list[_Hang]) -> Iterable[tuple]:
    for hang in hanging:
        pieces = sorted(hang.pieces, key=lambda p: min(map(str, p)))  # a stable order
        best = []
        for g in hang.groups:
            # the piece with the most actors of group g (the first of equals), then its
            # best-placed actor of g
            counts = [sum(1 for v in p if _kind(U, v) == g) for p in pieces]
            piece = pieces[counts.index(max(counts))]
            members = (v for v in piece if _kind(U, v) == g)
            best.append(min(members, key=_contact_first(U, hang.broker)))
        yield best[0], best[1], "single_broker"


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


def introductions(G: nx.Graph, limit: int | None = 10) -> list[Introduction]:
    """The ``limit`` best introductions for analysis graph ``G`` (node attribute ``kind``;
    every one found with ``limit=None``).

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
        _bypass_candidates(U, before.hanging),
        _reach_candidates(U, before.reach),
        _cut_candidates(U, structure, before.cut_points),
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
        if gain["group_pairs_bypassed"] and not any(_size(gain[k]) for k in WEIGHTS):
            reason = "single_broker"  # a pair found otherwise whose only gain is the bypass
        intro = Introduction(a, b, reason, _introducers(U, a, b), gain)
        if intro.score > 0:
            found.append(intro)
    found.sort(key=lambda i: (-i.score, -len(i.introducers), str(i.a), str(i.b)))
    return found[:limit]
