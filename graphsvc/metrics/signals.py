"""Who is behind each scorecard signal (docs/metrics.md §7): the actors a facilitator can act on.

A scorecard number ("8 actors without a tie") says how much; this module says who:

- ``isolates_share``: the actors without any tie;
- ``cut_points_share``: each cut point (an actor whose departure would split the network) with
  what its departure cuts off: how many actors end up in a part without the largest part, and
  which initiatives lose every path to an official (the municipality) or to a funder;
- ``largest_component_share``: the actors outside the largest connected part;
- ``single_funder_share``: each funded initiative with exactly one funder, and that funder;
- ``initiative_visibility``: the initiatives without a tie to an official or a funder;
- ``reciprocity_initiative_official``: initiatives whose ties to an official are not returned.

Pure: the analysis graph in, plain dicts out (actor keys and kinds; names and pseudonyms are the
caller's business).  Every list is sorted so a repeat gives the same answer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from graphsvc.metrics.views import Structure

__all__ = ["SIGNAL_ACTORS", "cut_point_effects", "signal_actors"]

#: The scorecard indicators that name actors, in scorecard order.
SIGNAL_ACTORS: tuple[str, ...] = (
    "largest_component_share",
    "isolates_share",
    "cut_points_share",
    "reciprocity_initiative_official",
    "single_funder_share",
    "initiative_visibility",
)


def _undirected(G: nx.Graph) -> nx.Graph:
    return nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() else G


def _kind(G: nx.Graph, v: Hashable) -> str:
    return str(G.nodes[v].get("kind", ""))


def _ref(G: nx.Graph, v: Hashable, **extra: Any) -> dict[str, Any]:
    return {"key": v, "kind": _kind(G, v), **extra}


def _reaching(U: nx.Graph, kinds: set[str], parts: Iterable[set[Hashable]] | None = None) -> set:
    """Actors with a path to an actor of ``kinds`` (other than themselves); ``parts``: the
    connected components to look in (default: those of ``U``)."""
    out: set[Hashable] = set()
    for comp in nx.connected_components(U) if parts is None else parts:
        anchors = [v for v in comp if U.nodes[v].get("kind") in kinds]
        if len(anchors) > 1:
            out |= comp
        elif anchors:
            out |= comp - set(anchors)
    return out


def cut_point_effects(G: nx.Graph) -> list[dict[str, Any]]:
    """Each cut point of ``G`` (undirected view) with what its departure cuts off.

    ``cut_off``: actors that, without it, are no longer in a part with the rest of its own
    part's largest piece; ``initiatives_lose_municipality`` / ``initiatives_lose_funder``:
    initiatives that have a path to an official / a funder, and have none without it (not
    counted for an official's / a funder's own departure).
    Sorted by the most initiatives cut from the municipality, then funders, then actors.

    >>> G = nx.Graph([("i", "x"), ("x", "o"), ("o", "r")])
    >>> nx.set_node_attributes(G, {"i": "initiative", "x": "organisation", "o": "official",
    ...                            "r": "resident"}, "kind")
    >>> [(e["key"], e["cut_off"], e["initiatives_lose_municipality"]) for e in cut_point_effects(G)]
    [('x', 1, ['i']), ('o', 1, [])]
    """
    U = _undirected(G)
    initiatives = {v for v in U if _kind(U, v) == "initiative"}
    to_official = _reaching(U, {"official"}) & initiatives
    to_funder = _reaching(U, {"funder"}) & initiatives
    out = []
    structure = Structure(U)
    for v in nx.articulation_points(U):
        parts = structure.parts_without(v)  # the network without v
        pieces = sorted((c for c in parts if c & set(U[v])), key=len, reverse=True)
        cut_off = sum(len(c) for c in pieces[1:])
        # An official's own departure is not "losing the path to the municipality" through it:
        # it is counted only for actors that stand between initiatives and the anchors.
        lose_official, lose_funder = [], []
        if _kind(U, v) != "official":
            lose_official = sorted(to_official - {v} - _reaching(U, {"official"}, parts), key=str)
        if _kind(U, v) != "funder":
            lose_funder = sorted(to_funder - {v} - _reaching(U, {"funder"}, parts), key=str)
        out.append(
            _ref(
                U,
                v,
                cut_off=cut_off,
                initiatives_lose_municipality=lose_official,
                initiatives_lose_funder=lose_funder,
            )
        )
    out.sort(
        key=lambda e: (
            -len(e["initiatives_lose_municipality"]),
            -len(e["initiatives_lose_funder"]),
            -e["cut_off"],
            str(e["key"]),
        )
    )
    return out


def _single_funded(G: nx.Graph) -> list[dict[str, Any]]:
    if not G.is_directed():
        return []
    out = []
    for v in sorted(G, key=str):
        if _kind(G, v) != "initiative":
            continue
        funders = sorted(
            (u for u in G.predecessors(v) if "funds" in G.edges[u, v].get("types", [])), key=str
        )
        if len(funders) == 1:
            out.append(_ref(G, v, funder=funders[0], funder_kind=_kind(G, funders[0])))
    return out


def _not_visible(G: nx.Graph) -> list[dict[str, Any]]:
    U = _undirected(G)
    return [
        _ref(U, v)
        for v in sorted(U, key=str)
        if _kind(U, v) == "initiative"
        and not any(_kind(U, u) in ("official", "funder") for u in U[v])
    ]


def _unreturned(G: nx.Graph) -> list[dict[str, Any]]:
    """Initiatives with directed ties to officials that are not returned, with those officials."""
    directed = set(G.graph.get("directed_types", []))
    if not G.is_directed() or not directed:
        return []
    out = []
    for v in sorted(G, key=str):
        if _kind(G, v) != "initiative":
            continue
        officials = sorted(
            (
                u
                for u in G.successors(v)
                if _kind(G, u) == "official"
                and directed & set(G.edges[v, u].get("types", []))
                and not G.has_edge(u, v)
            ),
            key=str,
        )
        if officials:
            out.append(_ref(G, v, officials=officials))
    return out


def _outside_largest(G: nx.Graph) -> list[dict[str, Any]]:
    U = _undirected(G)
    if U.number_of_nodes() == 0:
        return []
    # The largest part; between parts of equal size, the one holding the smallest key.
    largest = max(
        nx.connected_components(U), key=lambda c: (len(c), [-ord(ch) for ch in min(map(str, c))])
    )
    return [_ref(U, v) for v in sorted(set(U) - largest, key=str)]


def signal_actors(G: nx.Graph) -> dict[str, list[dict[str, Any]]]:
    """{indicator key: the actors behind it} for every key of :data:`SIGNAL_ACTORS`."""
    U = _undirected(G)
    return {
        "largest_component_share": _outside_largest(G),
        "isolates_share": [_ref(U, v) for v in sorted(nx.isolates(U), key=str)],
        "cut_points_share": cut_point_effects(G),
        "reciprocity_initiative_official": _unreturned(G),
        "single_funder_share": _single_funded(G),
        "initiative_visibility": _not_visible(G),
    }
