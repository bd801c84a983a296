"""Mixing between groups: who is tied to whom, and on what terms (docs/metrics.md §4).

Every actor of the analysis graph (docs/metrics.md §0) carries a group label in a
node attribute (``group`` by default: the actor's kind, or the attribute the
caller chose with ``group_by``).  The functions here answer the equality
questions of docs/architecture.md §1: are groups tied to each other at all (E-I index,
mixing matrix, assortativity), are their ties returned (reciprocity), who
takes the initiative (``contacts`` ties) and do initiatives hang on a single
funder (``funds`` ties).

Output shape: everything per ordered group pair is a nested dict
``{from_group: {to_group: value}}`` with every group on both levels (pairs
without ties included), groups in sorted order; undefined values are ``None``.
Counts of ties are unweighted (a collapsed edge counts once, whatever its
``weight``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

__all__ = [
    "group_of",
    "ei_index",
    "ei_index_groups",
    "ei_index_actors",
    "mixing_matrix",
    "reciprocity_by_group_pair",
    "contact_initiative",
    "funder_dependency",
    "assortativity",
    "network_mixing",
]

Nested = dict[str, dict[str, Any]]


def group_of(G: nx.Graph, group: str = "group") -> dict[Hashable, str]:
    """Group label of every actor, as a string.

    Raises
    ------
    ValueError
        When an actor lacks the attribute: group-based metrics need every actor
        in a group (docs/metrics.md §0.6), and silently dropping one would bias them.
    """
    labels: dict[Hashable, str] = {}
    for v, data in G.nodes(data=True):
        if data.get(group) is None:
            raise ValueError(f"actor {v!r} has no {group!r} attribute")
        labels[v] = str(data[group])
    return labels


def _groups(labels: dict[Hashable, str]) -> list[str]:
    return sorted(set(labels.values()))


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _ei(external: int, internal: int) -> float | None:
    return _ratio(external - internal, external + internal)


def _pairs(G: nx.Graph) -> Iterable[tuple[Hashable, Hashable]]:
    """Each tied pair once: an arc either way, or both ways, is one tie."""
    return G.to_undirected(as_view=True).edges() if G.is_directed() else G.edges()


def _nested(groups: list[str], value: Any = 0) -> Nested:
    return {g: {h: value for h in groups} for g in groups}


# --------------------------------------------------------------------------- E-I index


def ei_index(G: nx.Graph, group: str = "group") -> float | None:
    """E-I index of the network (Krackhardt & Stern 1988).

    .. math:: EI = \\frac{E - I}{E + I}

    with E the ties between actors of different groups and I the ties within
    a group.  Each tie is counted once: on a DiGraph a pair tied in either or
    both directions is one tie (a symmetric tie type appears there as two
    arcs, so counting arcs would weigh symmetric ties double).

    Returns
    -------
    float or None
        −1 (all ties within groups) to +1 (all ties between groups); None
        without ties.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "group")
    >>> ei_index(G)
    0.0

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123–140.
    """
    labels = group_of(G, group)
    external = internal = 0
    for u, v in _pairs(G):
        if labels[u] == labels[v]:
            internal += 1
        else:
            external += 1
    return _ei(external, internal)


def ei_index_groups(G: nx.Graph, group: str = "group") -> dict[str, float | None]:
    """E-I index of every group: its ties to other groups (E) against its ties within (I).

    A tie between groups g and h counts as external for both g and h; a tie
    within g counts once as internal for g.  None for a group without ties.
    See :func:`ei_index` for the counting of ties.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123–140.
    """
    labels = group_of(G, group)
    external = dict.fromkeys(_groups(labels), 0)
    internal = dict.fromkeys(_groups(labels), 0)
    for u, v in _pairs(G):
        gu, gv = labels[u], labels[v]
        if gu == gv:
            internal[gu] += 1
        else:
            external[gu] += 1
            external[gv] += 1
    return {g: _ei(external[g], internal[g]) for g in external}


def ei_index_actors(G: nx.Graph, group: str = "group") -> dict[Hashable, float | None]:
    """E-I index of every actor over its tied partners (in or out, each once).

    None for an isolate.  See :func:`ei_index`.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123–140.
    """
    labels = group_of(G, group)
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    result: dict[Hashable, float | None] = {}
    for v in G:
        internal = sum(1 for w in U[v] if labels[w] == labels[v])
        result[v] = _ei(len(U[v]) - internal, internal)
    return result


# --------------------------------------------------------------------------- mixing matrix


def mixing_matrix(G: nx.Graph, group: str = "group") -> dict[str, dict[str, Any]]:
    """Ties per ordered group pair, the possible ties, and the density per pair.

    On a DiGraph, ``ties[g][h]`` counts arcs from an actor of g to an actor of
    h; the possible arcs are n_g·n_h for g ≠ h and n_g(n_g − 1) within g.

    On an undirected graph the matrix is symmetric: a tie between g and h
    (g ≠ h) appears in both ``ties[g][h]`` and ``ties[h][g]``, a tie within g
    once in ``ties[g][g]``; the possible ties are n_g·n_h between two groups
    (already unordered pairs) and n_g(n_g − 1)/2 within g (halved).

    Returns
    -------
    dict
        ``group_sizes`` {g: n_g}, ``ties``, ``possible`` and ``density``
        (ties / possible; None where no tie is possible, e.g. within a group of
        one), each nested {from_group: {to_group: value}}.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "group")
    >>> mixing_matrix(G)["density"]["x"]
    {'x': 1.0, 'y': 0.5}

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical
       Review E* 67(2), 026126.
    .. [2] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §8.3
       (densities within and between positions).
    """
    labels = group_of(G, group)
    groups = _groups(labels)
    sizes = dict.fromkeys(groups, 0)
    for g in labels.values():
        sizes[g] += 1
    directed = G.is_directed()
    ties = _nested(groups)
    for u, v in G.edges():
        gu, gv = labels[u], labels[v]
        ties[gu][gv] += 1
        if not directed and gu != gv:
            ties[gv][gu] += 1
    possible = _nested(groups)
    for g in groups:
        for h in groups:
            if g != h:
                possible[g][h] = sizes[g] * sizes[h]
            elif directed:
                possible[g][h] = sizes[g] * (sizes[g] - 1)
            else:
                possible[g][h] = sizes[g] * (sizes[g] - 1) // 2
    density = {g: {h: _ratio(ties[g][h], possible[g][h]) for h in groups} for g in groups}
    return {"group_sizes": sizes, "ties": ties, "possible": possible, "density": density}


# --------------------------------------------------------------------------- equality indicators


def _has_type(data: dict, types: set[str] | None) -> bool:
    return types is None or bool(types.intersection(data.get("types", ())))


def reciprocity_by_group_pair(
    G: nx.Graph, group: str = "group", tie_types: Iterable[str] | None = None
) -> dict[str, Nested]:
    """Edgewise reciprocity per ordered group pair: share of arcs g → h that are returned.

    ``share[g][h]`` = (arcs u → v with u in g, v in h, and an arc v → u) /
    (arcs u → v with u in g, v in h).  So ``share[official][initiative]`` =
    0.2 says one in five ties from officials to initiatives is returned.

    A symmetric tie type (``knows``, ``collaborates``) enters a DiGraph as two
    arcs (docs/metrics.md §0.4) and so is always returned.  Pass ``tie_types`` (for
    instance ``["contacts", "advises", "supports"]``) to count only arcs whose
    ``types`` include one of them, both for the arc and for its return.

    Parameters
    ----------
    G : networkx.DiGraph
        On an undirected graph every tie is mutual by construction and the
        measure is not informative: all shares are None and all counts 0.
    group : str
        Node attribute holding the group label.
    tie_types : iterable of str, optional
        Restrict to arcs carrying one of these tie types.

    Returns
    -------
    dict
        ``arcs`` and ``returned`` (counts) and ``share`` (None where there is
        no arc g → h), each nested {from_group: {to_group: value}}.

    Examples
    --------
    >>> G = nx.DiGraph([("o", "i"), ("i", "o"), ("o", "j")])
    >>> nx.set_node_attributes(G, {"o": "official", "i": "init", "j": "init"}, "group")
    >>> reciprocity_by_group_pair(G)["share"]["official"]["init"]
    0.5

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, §13.2.
    .. [2] Butts, C. T. R package sna, ``grecip(measure = "edgewise")``.
    """
    labels = group_of(G, group)
    groups = _groups(labels)
    types = None if tie_types is None else set(tie_types)
    arcs, returned = _nested(groups), _nested(groups)
    if G.is_directed():
        for u, v, data in G.edges(data=True):
            if not _has_type(data, types):
                continue
            gu, gv = labels[u], labels[v]
            arcs[gu][gv] += 1
            if G.has_edge(v, u) and _has_type(G.edges[v, u], types):
                returned[gu][gv] += 1
        share = {g: {h: _ratio(returned[g][h], arcs[g][h]) for h in groups} for g in groups}
    else:
        share = _nested(groups, None)
    return {"arcs": arcs, "returned": returned, "share": share}


def contact_initiative(G: nx.Graph, group: str = "group") -> dict[str, Nested]:
    """Who takes the initiative: ``contacts`` ties per ordered group pair.

    On a DiGraph an arc u → v whose ``types`` include ``"contacts"`` means u
    contacted v.  ``contacts[g][h]`` counts such arcs from g to h (each arc
    once, whatever its weight: the weight also sums other collapsed tie types).
    ``share_started[g][h]`` = contacts[g][h] / (contacts[g][h] + contacts[h][g]):
    of the contacts between g and h, the share g started; so
    ``share_started[g][h] + share_started[h][g] = 1``.

    Parameters
    ----------
    G : networkx.DiGraph
        On an undirected graph the direction of a contact is unknown: all
        counts are 0 and all shares None.
    group : str

    Returns
    -------
    dict
        ``contacts`` (counts) and ``share_started`` (None within a group and
        for pairs without contacts), nested {from_group: {to_group: value}}.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("i", "o", types=["contacts"]); G.add_edge("j", "o", types=["contacts"])
    >>> G.add_edge("o", "i", types=["contacts", "funds"])
    >>> nx.set_node_attributes(G, {"o": "official", "i": "init", "j": "init"}, "group")
    >>> round(contact_initiative(G)["share_started"]["init"]["official"], 4)
    0.6667
    """
    labels = group_of(G, group)
    groups = _groups(labels)
    contacts = _nested(groups)
    if G.is_directed():
        for u, v, data in G.edges(data=True):
            if "contacts" in data.get("types", ()):
                contacts[labels[u]][labels[v]] += 1
    share = {
        g: {
            h: None
            if g == h or not G.is_directed()
            else _ratio(contacts[g][h], contacts[g][h] + contacts[h][g])
            for h in groups
        }
        for g in groups
    }
    return {"contacts": contacts, "share_started": share}


def funder_dependency(G: nx.Graph) -> dict[str, Any]:
    """How many initiatives depend on a single funder.

    For every actor of kind ``initiative``, its funders are the distinct
    sources of incoming arcs whose ``types`` include ``"funds"`` (whatever the
    funder's kind: a municipality may fund too).

    Parameters
    ----------
    G : networkx.DiGraph
        On an undirected graph the direction of ``funds`` is unknown: only
        ``initiatives`` is filled in, every other value is None.

    Returns
    -------
    dict
        ``initiatives`` (count), ``funded`` (with ≥ 1 funder), ``unfunded``
        (with none), ``single_funder`` (exactly one), ``single_funder_share``
        (single_funder / funded; None when none is funded),
        ``single_funder_initiatives`` (their ids, sorted) and
        ``funders_per_initiative`` {initiative: number of funders}.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from(["i", "j", "k"], kind="initiative")
    >>> G.add_nodes_from(["f", "g"], kind="funder")
    >>> G.add_edge("f", "i", types=["funds"]); G.add_edge("f", "j", types=["funds"])
    >>> G.add_edge("g", "j", types=["funds", "knows"])
    >>> funder_dependency(G)["single_funder_initiatives"]
    ['i']
    """
    initiatives = sorted((v for v, k in G.nodes(data="kind") if k == "initiative"), key=str)
    if not G.is_directed():
        return {
            "initiatives": len(initiatives),
            "funded": None,
            "unfunded": None,
            "single_funder": None,
            "single_funder_share": None,
            "single_funder_initiatives": None,
            "funders_per_initiative": None,
        }
    funders = {
        v: sum(1 for _u, _v, t in G.in_edges(v, data="types") if "funds" in (t or ()))
        for v in initiatives
    }
    single = [v for v in initiatives if funders[v] == 1]
    funded = sum(1 for v in initiatives if funders[v] >= 1)
    return {
        "initiatives": len(initiatives),
        "funded": funded,
        "unfunded": len(initiatives) - funded,
        "single_funder": len(single),
        "single_funder_share": _ratio(len(single), funded),
        "single_funder_initiatives": single,
        "funders_per_initiative": funders,
    }


# --------------------------------------------------------------------------- assortativity


def assortativity(G: nx.Graph, group: str = "group") -> float | None:
    """Attribute assortativity coefficient by group (Newman 2003).

    .. math:: r = \\frac{\\sum_g e_{gg} - \\sum_g a_g b_g}{1 - \\sum_g a_g b_g}

    where e_gh is the share of tie ends running from group g to group h (each
    undirected tie counted in both directions, each arc once), a_g = Σ_h e_gh
    and b_h = Σ_g e_gh.  Computed by ``networkx.attribute_assortativity_coefficient``.

    Returns
    -------
    float or None
        1 when ties stay within groups perfectly, 0 when groups mix at random,
        negative when ties prefer other groups; None without ties or when all
        ties fall in one group (Σ a_g b_g = 1: networkx returns NaN there, and
        0 for a graph without ties).

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical
       Review E* 67(2), 026126.
    """
    group_of(G, group)  # every actor needs a group
    if G.number_of_edges() == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 when one group holds every tie
        r = nx.attribute_assortativity_coefficient(G, group)
    r = float(r)
    return None if math.isnan(r) else r


# --------------------------------------------------------------------------- everything


def network_mixing(G: nx.Graph, group: str = "group") -> dict[str, Any]:
    """All mixing indicators of docs/metrics.md §4 in one JSON-friendly dict.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The analysis graph; every actor needs the ``group`` attribute, and the
        tie types of each edge in ``types``.
    group : str
        Node attribute holding the group label (``group`` by default).

    Returns
    -------
    dict
        ``group_attribute``, ``directed``, ``groups`` (sorted), ``group_sizes``,
        ``ei_index`` {``network``, ``groups``, ``actors``}, ``mixing``
        {``ties``, ``possible``, ``density``}, ``reciprocity`` {``arcs``,
        ``returned``, ``share``}, ``contact_initiative`` {``contacts``,
        ``share_started``}, ``funder_dependency`` and ``assortativity``.
        Pair-wise values are nested {from_group: {to_group: value}}; None where
        undefined.
    """
    mixing = mixing_matrix(G, group)
    sizes = mixing.pop("group_sizes")
    return {
        "group_attribute": group,
        "directed": G.is_directed(),
        "groups": sorted(sizes),
        "group_sizes": sizes,
        "ei_index": {
            "network": ei_index(G, group),
            "groups": ei_index_groups(G, group),
            "actors": ei_index_actors(G, group),
        },
        "mixing": mixing,
        "reciprocity": reciprocity_by_group_pair(G, group),
        "contact_initiative": contact_initiative(G, group),
        "funder_dependency": funder_dependency(G),
        "assortativity": assortativity(G, group),
    }
