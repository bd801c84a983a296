"""Export of graphs: a :class:`~graphsvc.dataset.Dataset` -> GraphML or GEXF bytes.

GraphML and GEXF are for Gephi, R, networkx and igraph (not imported again):
GraphML is a directed graph in which a symmetric tie is two arcs, which every
reader reads alike; GEXF 1.3 is Gephi's mixed graph, one edge per tie with its
kind and its days as an interval.  Both write ``Dataset.sorted()`` order.
docs/formats.md has the whole mapping.

They are written here with ElementTree rather than networkx's writers: networkx
writes GEXF 1.2 only (no ``kind``, open-interval ends) and cannot put the edge
``label`` attribute on a GraphML <edge>, which is how Gephi tells ties of
different types between the same two actors apart.  docs/formats.md says how each
reader (Gephi, networkx, igraph, R) reads the result; tests/integration/
test_outside_readers.py checks it with the readers themselves.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graphsvc.dataset import Actor, AttrValue, Dataset, Tie
from graphsvc.transfer.fileformats.cells import xml_safe
from graphsvc.vocabulary import TIE_TYPES

__all__ = [
    "GRAPHML_NS",
    "GEXF_NS",
    "export_graph",
    "tie_kinds",
    "write_graphml",
    "write_gexf",
]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

_NODE_FIXED = ("kind", "name", "label", "proeftuinen")
_EDGE_FIXED = (
    "tie",
    "type",
    "weight",
    "since",
    "until",
    "provenance",
    "symmetric",
    "reverse",
    "directed",
    "label",
)
# Names Gephi's GEXF importer or its tables take for themselves (id, label, weight,
# time intervals, the edge kind and direction): attributes so named are written as
# attr_<name>, like clashes with the fixed columns.
_GEXF_RESERVED = (
    "id",
    "label",
    "pid",
    "start",
    "end",
    "viz",
    "parents",
    "slices",
    "spells",
    "key",
    "kind",
    "tie_type",
    "type",
    "weight",
    "timeset",
    "interval",
)


def _free_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``attr_name`` (``attr_attr_name``, ...) when it would overwrite a fixed one."""
    taken = set(taken)
    while name in taken:
        name = "attr_" + name
    return name


def _coerce_mixed(items: Iterable[dict[str, Any]]) -> None:
    """Give each attribute one type across all nodes (or edges), in place.

    GraphML declares one type per key, and GEXF readers convert every value to
    the declared type, so a key holding 1 on one node and "hoog" on another
    breaks both.  Ints mixed with floats become floats; any other mix becomes
    text (``str(value)``, so True becomes "True").
    """
    items = list(items)
    types: dict[str, set[type]] = {}
    for data in items:
        for name, value in data.items():
            types.setdefault(name, set()).add(type(value))
    for name, seen in types.items():
        if len(seen) < 2:
            continue
        target = float if seen <= {int, float} else str
        for data in items:
            if name in data:
                data[name] = target(data[name])


def _clean(value: AttrValue) -> AttrValue:
    return xml_safe(value) if isinstance(value, str) else value


def tie_kinds(ties: Iterable[Tie]) -> list[str]:
    """The Gephi edge kind of each tie: its type, made unique per pair of actors.

    Gephi keeps one edge per (source, target, kind) and merges the rest, so a
    second tie of the same type between the same two actors (a tie that ended
    and started again) gets ``"<type> <since>"`` (``"funds 2025-01-01"``); the
    first keeps the plain type.  Pairs are unordered for symmetric types.
    """
    seen: set[tuple[Any, str]] = set()
    kinds = []
    for t in ties:
        pair: Any = (t.source, t.target)
        if not TIE_TYPES[t.type].directed:
            pair = tuple(sorted(pair))
        if (pair, t.type) in seen:
            kinds.append(f"{t.type} {t.since.isoformat()}")
        else:
            seen.add((pair, t.type))
            kinds.append(t.type)
    return kinds


def _selection(ds: Dataset, proeftuin: str | None) -> tuple[list[Actor], list[Tie]]:
    """The actors (of ``proeftuin``) and the ties between them, in canonical order."""
    ds = ds.sorted()
    actors = [a for a in ds.actors if proeftuin is None or proeftuin in a.proeftuinen]
    keys = {a.key for a in actors}
    ties = [t for t in ds.ties if t.source in keys and t.target in keys]
    return actors, ties


def _node_records(actors: list[Actor], reserved: tuple[str, ...]) -> list[dict[str, Any]]:
    taken = _NODE_FIXED + reserved
    records = []
    for a in actors:
        data: dict[str, Any] = {_free_name(n, taken): _clean(v) for n, v in a.attributes.items()}
        data.update(kind=a.kind, name=xml_safe(a.name), proeftuinen="|".join(a.proeftuinen))
        records.append(data)
    _coerce_mixed(records)
    return records


def _tie_records(ties: list[Tie], reserved: tuple[str, ...]) -> list[dict[str, Any]]:
    """Per tie: its attributes (renamed where they clash) and the fixed values."""
    taken = _EDGE_FIXED + reserved
    records = []
    for t in ties:
        data: dict[str, Any] = {_free_name(n, taken): _clean(v) for n, v in t.attributes.items()}
        data.update(weight=float(t.weight), since=t.since.isoformat())
        if t.until is not None:
            data["until"] = t.until.isoformat()
        if t.provenance:
            data["provenance"] = xml_safe(t.provenance)
        records.append(data)
    _coerce_mixed(records)
    return records


def export_graph(ds: Dataset, proeftuin: str | None = None) -> nx.MultiDiGraph:
    """The GraphML export as a networkx MultiDiGraph: what ``nx.read_graphml`` gives back.

    Nodes: actor key, with ``kind``, ``name``, ``label`` (= name, which Gephi
    shows), ``proeftuinen`` ("a|b") and the actor's attributes.  Arcs: one per
    directed tie and two per symmetric tie (``knows``, ``collaborates``: source ->
    target and back), keyed by arc id (``t<n>``, and ``t<n>r`` for the way back,
    where n counts the ties in canonical order from 1), with ``tie`` (``t<n>``),
    ``type``, ``symmetric``, ``reverse`` (True on the way back), ``weight``,
    ``since``, ``until`` (ISO text, left out when open; the first day the tie no
    longer holds), ``provenance`` (left out when empty), the tie's attributes, and
    ``kind`` (:func:`tie_kinds`), which the file holds as the ``label`` XML attribute
    of the ``<edge>``, so ``nx.read_graphml`` does not give it back.
    An attribute whose name is taken by a fixed one is written as ``attr_<name>``.
    With ``proeftuin``, only that proeftuin's actors and the ties between them.
    Meetings are left out (they are not actors).

    Why arcs and not an undirected edge per symmetric tie: networkx refuses a
    GraphML edge whose ``directed`` differs from ``edgedefault`` and igraph
    ignores it, so a mixed graph is read by neither; two arcs are read the same
    way by all of them, and are what the analysis graph makes of a symmetric tie
    (docs/formats.md).
    """
    actors, ties = _selection(ds, proeftuin)
    G = nx.MultiDiGraph()
    if proeftuin is not None:
        G.graph["proeftuin"] = proeftuin
    for a, data in zip(actors, _node_records(actors, ()), strict=True):
        G.add_node(a.key, **{**data, "label": data["name"]})
    records = _tie_records(ties, ())
    for n, (t, data, kind) in enumerate(zip(ties, records, tie_kinds(ties), strict=True), 1):
        symmetric = not TIE_TYPES[t.type].directed
        fixed = {"tie": f"t{n}", "type": t.type, "symmetric": symmetric, "kind": kind}
        G.add_edge(t.source, t.target, key=f"t{n}", **fixed, reverse=False, **data)
        if symmetric:
            G.add_edge(t.target, t.source, key=f"t{n}r", **fixed, reverse=True, **data)
    return G


_LONG = range(-(2**63), 2**63)


def _xml_type(values: Iterable[Any]) -> str:
    """The declared type of a key: boolean, long, double or string (after _coerce_mixed).

    Integers beyond 64 bits, which Java readers (Gephi) cannot hold as a long, are text.
    """
    values = list(values)
    seen = {type(v) for v in values}
    if seen == {bool}:
        return "boolean"
    if seen == {int}:
        return "long" if all(v in _LONG for v in values) else "string"
    if seen <= {int, float}:
        return "double"
    return "string"


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _declare(items: list[dict[str, Any]]) -> dict[str, str]:
    """Attribute name -> declared type, names sorted."""
    names = sorted({name for data in items for name in data})
    return {name: _xml_type(data[name] for data in items if name in data) for name in names}


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    buffer.write(b"\n")
    return buffer.getvalue()


def write_graphml(ds: Dataset, proeftuin: str | None = None) -> bytes:
    """GraphML (UTF-8) of :func:`export_graph`: a directed graph, symmetric ties as two arcs.

    Every key has an ``attr.type`` (boolean, long, double, string); every arc has
    a unique id.  Each ``<edge>`` also carries ``label="<kind>"`` (see
    :func:`tie_kinds`): Gephi reads that XML attribute as the edge kind and so
    keeps ties of different types between the same actors apart; networkx and
    igraph ignore it.
    """
    G = export_graph(ds, proeftuin)
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(
        f"{{{GRAPHML_NS}}}graphml",
        {
            f"{{{_XSI}}}schemaLocation": GRAPHML_NS
            + " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
        },
    )
    keys: dict[tuple[str, str], str] = {}

    def declare(domain: str, types: dict[str, str]) -> None:
        for name, xml_type in types.items():
            key_id = f"d{len(keys)}"
            keys[(domain, name)] = key_id
            ET.SubElement(
                root,
                f"{{{GRAPHML_NS}}}key",
                {"id": key_id, "for": domain, "attr.name": name, "attr.type": xml_type},
            )

    node_items = [dict(data) for _, data in G.nodes(data=True)]
    edge_items = [
        {n: v for n, v in data.items() if n != "kind"} for _, _, data in G.edges(data=True)
    ]
    declare("graph", {"proeftuin": "string"} if "proeftuin" in G.graph else {})
    declare("node", _declare(node_items))
    declare("edge", _declare(edge_items))
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "G", "edgedefault": "directed"})
    if "proeftuin" in G.graph:
        ET.SubElement(
            graph, f"{{{GRAPHML_NS}}}data", {"key": keys[("graph", "proeftuin")]}
        ).text = G.graph["proeftuin"]

    def add_data(element: ET.Element, domain: str, data: dict[str, Any]) -> None:
        for name in sorted(data):
            ET.SubElement(
                element, f"{{{GRAPHML_NS}}}data", {"key": keys[(domain, name)]}
            ).text = _xml_text(data[name])

    for (key, _), data in zip(G.nodes(data=True), node_items, strict=True):
        add_data(ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": key}), "node", data)
    for (u, v, arc, full), data in zip(G.edges(keys=True, data=True), edge_items, strict=True):
        edge = ET.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": arc, "source": u, "target": v, "label": full["kind"]},
        )
        add_data(edge, "edge", data)
    return _serialise(root)


def write_gexf(ds: Dataset, proeftuin: str | None = None) -> bytes:
    """GEXF 1.3 (UTF-8), Gephi's own format: one edge per tie, symmetric ties undirected.

    Nodes: actor key as id, name as label, attributes ``kind``, ``name``,
    ``proeftuinen`` and the actor's own.  Edges: id ``t<n>`` (as in GraphML),
    ``type="undirected"`` for symmetric ties, ``label`` = tie type, ``kind`` from
    :func:`tie_kinds` (Gephi merges edges of one kind between the same actors),
    ``weight``, and attributes ``tie_type``, ``since``, ``until`` (the API's
    exclusive end), ``provenance`` and the tie's own.

    Time (``timeformat="date"``): GEXF 1.3 intervals include both ends, so a tie
    runs from ``start`` = since to ``end`` = the day before ``until``; Gephi's
    timeline then shows it on exactly the days the API counts it (since <= day <
    until).  A tie whose ``until`` equals its ``since`` holds on no day: GEXF
    cannot express that, so it is left out of this file (GraphML and JSON keep
    it).  Attributes named like the GEXF/Gephi fixed ones are written as
    ``attr_<name>``.  Meetings are left out.
    """
    actors, ties = _selection(ds, proeftuin)
    kinds = tie_kinds(ties)
    kept = [
        (n, t, kind)
        for n, (t, kind) in enumerate(zip(ties, kinds, strict=True), 1)
        if t.until is None or t.until > t.since
    ]
    node_items = _node_records(actors, _GEXF_RESERVED)
    edge_items = _tie_records([t for _, t, _ in kept], _GEXF_RESERVED)
    for (_, t, _), data in zip(kept, edge_items, strict=True):
        data["tie_type"] = t.type
        data.pop("weight")
    root, graph = _gexf_graph(proeftuin)
    for domain, items in (("node", node_items), ("edge", edge_items)):
        _gexf_declare(graph, domain, items)
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for a, data in zip(actors, node_items, strict=True):
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": a.key, "label": data["name"]})
        _gexf_values(node, data)
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for (n, t, kind), data in zip(kept, edge_items, strict=True):
        _gexf_values(ET.SubElement(edges, f"{{{GEXF_NS}}}edge", _gexf_edge(n, t, kind)), data)
    return _serialise(root)


def _gexf_graph(proeftuin: str | None) -> tuple[ET.Element, ET.Element]:
    """The ``<gexf>`` root with its ``<meta>``, and its empty dynamic ``<graph>``."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(
        f"{{{GEXF_NS}}}gexf",
        {
            f"{{{_XSI}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
            "version": "1.3",
        },
    )
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "graphsvc"
    what = f"proeftuin {proeftuin}" if proeftuin is not None else "all proeftuinen"
    ET.SubElement(
        meta, f"{{{GEXF_NS}}}description"
    ).text = f"Network of {what}: actors and ties (since/until as a timeline)"
    graph = ET.SubElement(
        root,
        f"{{{GEXF_NS}}}graph",
        # No defaultedgetype: every edge says its own type.  With defaultedgetype="directed"
        # Gephi drops the undirected edges, and "undirected" drops the directed ones.
        {
            "mode": "dynamic",
            "timeformat": "date",
            "timerepresentation": "interval",
        },
    )
    return root, graph


def _gexf_declare(graph: ET.Element, domain: str, items: list[dict[str, Any]]) -> None:
    """The ``<attributes>`` of the nodes or edges (``domain``), each with its type."""
    attributes = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": domain})
    for name, xml_type in _declare(items).items():
        ET.SubElement(
            attributes,
            f"{{{GEXF_NS}}}attribute",
            {"id": name, "title": name, "type": xml_type},
        )


def _gexf_values(element: ET.Element, data: dict[str, Any]) -> None:
    """The ``<attvalues>`` of a node or edge, names sorted."""
    values = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for name in sorted(data):
        ET.SubElement(
            values, f"{{{GEXF_NS}}}attvalue", {"for": name, "value": _xml_text(data[name])}
        )


def _gexf_edge(n: int, t: Tie, kind: str) -> dict[str, str]:
    """The XML attributes of the ``<edge>`` of tie number ``n``; its days as an interval
    that includes both ends."""
    attrs = {
        "id": f"t{n}",
        "source": t.source,
        "target": t.target,
        "type": "directed" if TIE_TYPES[t.type].directed else "undirected",
        "kind": kind,
        "label": t.type,
        "weight": repr(float(t.weight)),
        "start": t.since.isoformat(),
    }
    if t.until is not None:
        attrs["end"] = (t.until - dt.timedelta(days=1)).isoformat()
    return attrs
