"""The scorecard: indicators grouped under the three lessons of docs/architecture.md §1.

Relationships (*relaties*), equality (*gelijkwaardigheid*) and strong resident
initiatives (*sterke bewonersinitiatieven*).  Each indicator has a value, a
plain-language sentence in Dutch and English with the value filled in, and a
``signal``: ``attention`` where a facilitator should look closer, ``ok``
otherwise, ``none`` when the value is undefined.  The thresholds are rules of
thumb, stated in ``rule`` so nobody mistakes them for statistics.

Which indicators, their rules and their sentences come from
:mod:`graphsvc.metrics.indicators`; this module computes the few values that are not
in the network report (:data:`COMPUTED`) and assembles the card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphsvc.metrics.indicators import INDICATORS, LESSONS, Indicator, value_at
from graphsvc.metrics.mixing import reciprocity_by_group_pair
from graphsvc.metrics.rules import CONTEXT_ONLY, Signal, format_value

__all__ = ["COMPUTED", "Inputs", "indicator_entry", "initiative_visibility", "network_scorecard"]


@dataclass(frozen=True)
class Inputs:
    """What the scorecard's values are computed from: the analysis graph, its
    network_report and its actor_report (both of graphsvc.metrics.report)."""

    G: nx.Graph
    network: dict[str, Any]
    actors: list[dict[str, Any]]


def initiative_visibility(G: nx.Graph) -> dict[str, Any]:
    """Share of initiatives with a tie from or to an official or a funder (recognition)."""
    initiatives = [v for v, d in G.nodes(data=True) if d.get("kind") == "initiative"]
    seen = []
    for v in initiatives:
        neighbours = (
            set(G.predecessors(v)) | set(G.successors(v))
            if G.is_directed()
            else set(G.neighbors(v))
        )
        if any(G.nodes[u].get("kind") in ("official", "funder") for u in neighbours):
            seen.append(v)
    share = len(seen) / len(initiatives) if initiatives else None
    return {
        "initiatives": len(initiatives),
        "visible": len(seen),
        "share": share,
        "not_visible": sorted(set(initiatives) - set(seen)),
    }


def _reciprocity_initiative_official(inputs: Inputs) -> float | None:
    # Symmetric tie types always count as returned, so reciprocity looks at directed ties only.
    directed = set(inputs.G.graph.get("directed_types", []))
    if not directed:
        return None
    recip = reciprocity_by_group_pair(inputs.G, "group", tie_types=directed)
    return ((recip.get("share") or {}).get("initiative") or {}).get("official")


def _initiatives_brokering(inputs: Inputs) -> int:
    """Initiatives in a brokerage role that links groups (liaison, gatekeeper, representative)."""
    linking = ("liaison", "gatekeeper", "representative")
    return sum(
        1
        for a in inputs.actors
        if a["kind"] == "initiative" and sum(a["brokerage"][r] for r in linking) > 0
    )


def _top_brokers(inputs: Inputs) -> list[dict[str, Any]]:
    """The five actors with the most brokerage (ties by key)."""
    brokers = sorted(
        (a for a in inputs.actors if a["brokerage"]["total"] > 0),
        key=lambda a: (-a["brokerage"]["total"], a["key"]),
    )[:5]
    return [{"key": a["key"], "kind": a["kind"], "total": a["brokerage"]["total"]} for a in brokers]


#: The value of each scorecard indicator that has no path in the network report.
COMPUTED: dict[str, Callable[[Inputs], Any]] = {
    "reciprocity_initiative_official": _reciprocity_initiative_official,
    "initiative_visibility": lambda inputs: initiative_visibility(inputs.G)["share"],
    "initiatives_brokering": _initiatives_brokering,
    "top_brokers": _top_brokers,
}


def _value(ind: Indicator, inputs: Inputs) -> Any:
    if ind.path is not None:
        return value_at(inputs.network, ind.path)
    return COMPUTED[ind.key](inputs)


def indicator_entry(ind: Indicator, value: Any) -> dict[str, Any]:
    """One indicator of the card: its value, signal, sentences and (English) rule."""
    signal: Signal = "none" if value is None else "ok"
    if ind.rule is not None:
        signal = ind.rule.signal(value)
    sentence = ind.sentence
    if sentence is None:
        raise ValueError(f"indicator {ind.key!r} has no scorecard sentence")

    def say(lang: str) -> str:
        reading = ind.reading.get(value, ind.rule, lang) if ind.reading else ""
        shown = format_value(value, ind.fmt, lang)
        return sentence.get(lang).format(value=shown, reading=reading)

    return {
        "key": ind.key,
        "value": value,
        "signal": signal,
        "explanation_nl": say("nl"),
        "explanation_en": say("en"),
        "rule": ind.rule.text("en") if ind.rule is not None else CONTEXT_ONLY,
    }


def network_scorecard(
    G: nx.Graph, network: dict[str, Any], actors: list[dict[str, Any]]
) -> dict[str, Any]:
    """The card of ``G`` from its ``network`` (network_report) and ``actors`` (actor_report)."""
    inputs = Inputs(G, network, actors)
    groups = []
    for lesson in LESSONS:
        entries = [
            indicator_entry(INDICATORS[k], _value(INDICATORS[k], inputs)) for k in lesson.indicators
        ]
        groups.append(
            {
                "key": lesson.key,
                "title_nl": lesson.title.nl,
                "title_en": lesson.title.en,
                "question_nl": lesson.question.nl,
                "question_en": lesson.question.en,
                "indicators": entries,
            }
        )
    return {"actors": network["actors"], "groups": groups}
