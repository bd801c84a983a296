"""The health scorecard: indicators grouped under the three lessons of docs/architecture.md §1.

Relationships (*relaties*), equality (*gelijkwaardigheid*) and strong resident
initiatives (*sterke bewonersinitiatieven*).  Each indicator has a value, a
plain-language sentence in Dutch and English with the value filled in, and a
``signal``: ``attention`` where a facilitator should look closer, ``ok``
otherwise, ``none`` when the value is undefined.  The thresholds are rules of
thumb, stated in ``rule`` so nobody mistakes them for statistics.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graphsvc.metrics.mixing import reciprocity_by_group_pair

__all__ = ["scorecard", "initiative_visibility"]


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _getal(x: float | None, digits: int = 2) -> str:
    """A number as Dutch readers write it (decimal comma)."""
    return _num(x, digits).replace(".", ",")


def _indicator(key: str, value: Any, signal: str, nl: str, en: str, rule: str) -> dict[str, Any]:
    return {
        "key": key,
        "value": value,
        "signal": signal if value is not None else "none",
        "explanation_nl": nl,
        "explanation_en": en,
        "rule": rule,
    }


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


def _pair(nested: dict, a: str, b: str) -> Any:
    return (nested or {}).get(a, {}).get(b)


def scorecard(G: nx.Graph, network: dict[str, Any], actors: list[dict[str, Any]]) -> dict[str, Any]:
    """Group the indicators of ``network`` (network_report) and ``actors`` (actor_report)."""
    coh, mix = network["cohesion"], network["mixing"]
    n = network["actors"]
    largest = coh["components"].get("largest_component_share")
    isolates = len(coh["isolates"])
    cut = len(coh["articulation_points"])
    ei = (mix.get("ei_index") or {}).get("network")
    relationships = [
        _indicator(
            "largest_component_share",
            largest,
            "attention" if largest is not None and largest < 0.8 else "ok",
            f"{_pct(largest)} van de actoren hoort bij het grootste samenhangende deel.",
            f"{_pct(largest)} of the actors belong to the largest connected part.",
            "attention below 80%",
        ),
        _indicator(
            "isolates",
            isolates,
            "attention" if isolates else "ok",
            f"{isolates} actor(en) zonder enige relatie.",
            f"{isolates} actor(s) without any tie.",
            "attention when any",
        ),
        _indicator(
            "density",
            coh["density"],
            "ok",
            f"Dichtheid {_getal(coh['density'], 3)}: dit deel van alle mogelijke relaties bestaat.",
            f"Density {_num(coh['density'], 3)}: this share of all possible ties exists.",
            "context only",
        ),
        _indicator(
            "ei_index",
            ei,
            "attention" if ei is not None and ei < -0.3 else "ok",
            f"E-I-index {_getal(ei)}: "
            + (
                "relaties blijven vooral binnen de eigen groep."
                if ei is not None and ei < 0
                else "relaties lopen vaak tussen groepen."
            ),
            f"E-I index {_num(ei)}: "
            + (
                "ties mostly stay within groups."
                if ei is not None and ei < 0
                else "ties often cross groups."
            ),
            "attention below -0.3",
        ),
        _indicator(
            "articulation_points",
            cut,
            "attention" if cut else "ok",
            f"{cut} actor(en) waarzonder het netwerk uiteenvalt.",
            f"{cut} actor(s) without whom the network falls apart.",
            "attention when any",
        ),
    ]
    central = coh["centralization"].get("degree")
    # Symmetric tie types always count as returned, so reciprocity looks at directed ties only.
    directed = {t for t in G.graph.get("directed_types", [])}
    recip = reciprocity_by_group_pair(G, "group", tie_types=directed) if directed else {}
    rec_io = _pair(recip.get("share", {}), "initiative", "official")
    contact = mix.get("contact_initiative") or {}
    started = _pair(contact.get("share_started", {}), "initiative", "official")
    dep = mix.get("funder_dependency") or {}
    single = dep.get("single_funder_share")
    equality = [
        _indicator(
            "degree_centralization",
            central,
            "attention" if central is not None and central > 0.5 else "ok",
            f"Centralisatie {_getal(central)}: "
            + (
                "een paar spillen domineren het netwerk."
                if central is not None and central > 0.5
                else "relaties zijn redelijk gespreid."
            ),
            f"Centralization {_num(central)}: "
            + (
                "a few hubs dominate the network."
                if central is not None and central > 0.5
                else "ties are fairly spread out."
            ),
            "attention above 0.5",
        ),
        _indicator(
            "reciprocity_initiative_official",
            rec_io,
            "attention" if rec_io is not None and rec_io < 0.3 else "ok",
            f"{_pct(rec_io)} van de relaties van initiatieven naar de gemeente wordt beantwoord.",
            f"{_pct(rec_io)} of ties from initiatives to the municipality are returned.",
            "attention below 30%",
        ),
        _indicator(
            "contact_started_by_initiatives",
            started,
            "attention" if started is not None and started > 0.8 else "ok",
            f"{_pct(started)} van het contact tussen initiatieven en gemeente begint bij "
            "het initiatief.",
            f"{_pct(started)} of contact between initiatives and the municipality is "
            "started by the initiative.",
            "attention above 80%",
        ),
        _indicator(
            "single_funder_share",
            single,
            "attention" if single is not None and single > 0.5 else "ok",
            f"{_pct(single)} van de gefinancierde initiatieven hangt af van één fonds.",
            f"{_pct(single)} of funded initiatives depend on a single funder.",
            "attention above 50%",
        ),
    ]
    vis = initiative_visibility(G)
    brokers = sorted(
        (a for a in actors if a["brokerage"]["total"] > 0),
        key=lambda a: (-a["brokerage"]["total"], a["key"]),
    )[:5]
    initiative_brokers = [
        a["key"]
        for a in actors
        if a["kind"] == "initiative"
        and a["brokerage"]["liaison"]
        + a["brokerage"]["gatekeeper"]
        + a["brokerage"]["representative"]
        > 0
    ]
    strong = [
        _indicator(
            "initiative_visibility",
            vis["share"],
            "attention" if vis["share"] is not None and vis["share"] < 0.7 else "ok",
            f"{_pct(vis['share'])} van de initiatieven heeft een relatie met gemeente of fonds.",
            f"{_pct(vis['share'])} of initiatives have a tie with the municipality or a fund.",
            "attention below 70%",
        ),
        _indicator(
            "initiatives_brokering",
            len(initiative_brokers),
            "ok",
            f"{len(initiative_brokers)} initiatief/initiatieven verbindt andere groepen.",
            f"{len(initiative_brokers)} initiative(s) connect other groups.",
            "context only",
        ),
        _indicator(
            "top_brokers",
            [
                {"key": a["key"], "kind": a["kind"], "total": a["brokerage"]["total"]}
                for a in brokers
            ],
            "ok",
            "De actoren die het vaakst anderen verbinden.",
            "The actors who most often connect others.",
            "context only",
        ),
    ]
    return {
        "actors": n,
        "groups": [
            {
                "key": "relationships",
                "title_nl": "Relaties",
                "title_en": "Relationships",
                "question_nl": "Zijn mensen verbonden, ook tussen sectoren?",
                "question_en": "Are people connected, also across sectors?",
                "indicators": relationships,
            },
            {
                "key": "equality",
                "title_nl": "Gelijkwaardigheid",
                "title_en": "Equality",
                "question_nl": "Wordt het netwerk gedomineerd door een paar spillen, en is contact "
                "wederzijds?",
                "question_en": "Is the network dominated by a few hubs, and is contact mutual?",
                "indicators": equality,
            },
            {
                "key": "strong_initiatives",
                "title_nl": "Sterke bewonersinitiatieven",
                "title_en": "Strong resident initiatives",
                "question_nl": "Zijn initiatieven zichtbaar voor gemeente en fondsen, en wie "
                "verbindt ze?",
                "question_en": "Are initiatives visible to municipality and funds, and who "
                "connects them?",
                "indicators": strong,
            },
        ],
    }
