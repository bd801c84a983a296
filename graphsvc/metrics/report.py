"""Every metric of an analysis graph in one JSON-ready report, with its metadata.

:func:`actor_report` gives one object per actor (docs/metrics.md §1–§3, §5),
:func:`network_report` the network-level indicators (§1, §3, §4), and
:data:`METADATA` says for each metric what it is: name, range, normalisation,
whether it uses direction, its reference and a plain-language explanation in
Dutch and English (§6).  Values are None where undefined, never NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

from graphsvc import vocabulary as vocab
from graphsvc.metrics.brokerage import ROLES, brokerage_scores
from graphsvc.metrics.centrality import ApproximateBetweenness, actor_metrics
from graphsvc.metrics.cohesion import network_cohesion
from graphsvc.metrics.mixing import ei_index_actors, network_mixing

__all__ = ["ACTOR_METRICS", "METADATA", "actor_report", "network_report", "clean", "metadata_for"]


def clean(value: Any) -> Any:
    """Recursively replace NaN/inf by None and tuples/sets by lists (strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return clean(value.item())
    return value


def _meta(
    name_en: str,
    name_nl: str,
    range_: str,
    normalisation: str,
    directed: str,
    reference: str,
    en: str,
    nl: str,
) -> dict[str, str]:
    return {
        "name_en": name_en,
        "name_nl": name_nl,
        "range": range_,
        "normalisation": normalisation,
        "directed": directed,
        "reference": reference,
        "explanation_en": en,
        "explanation_nl": nl,
    }


_GF = "Gould & Fernandez (1989), Sociological Methodology 19:89-126; as R sna::brokerage"
_BURT = "Burt (1992), Structural Holes; Borgatti (1997), Connections 20(1)"

METADATA: dict[str, dict[str, str]] = {
    # -- actor level --------------------------------------------------------------
    "degree": _meta(
        "Degree",
        "Aantal relaties",
        "0 .. n-1",
        "none: count of distinct neighbours",
        "no: in and out together",
        "Freeman (1979)",
        "How many others this actor has a tie with.",
        "Met hoeveel anderen deze actor een relatie heeft.",
    ),
    "in_degree": _meta(
        "In-degree",
        "Inkomende relaties",
        "0 .. n-1",
        "none",
        "yes",
        "Freeman (1979)",
        "How many others have a tie towards this actor.",
        "Hoeveel anderen een relatie naar deze actor hebben.",
    ),
    "out_degree": _meta(
        "Out-degree",
        "Uitgaande relaties",
        "0 .. n-1",
        "none",
        "yes",
        "Freeman (1979)",
        "How many others this actor has a tie towards.",
        "Naar hoeveel anderen deze actor een relatie heeft.",
    ),
    "betweenness": _meta(
        "Betweenness (raw)",
        "Tussenpositie (ruw)",
        ">= 0",
        "none: Freeman count of shortest paths through the actor (undirected: each pair once)",
        "follows the graph",
        "Freeman (1977); Brandes (2001)",
        "How often this actor lies on the shortest way between two others.",
        "Hoe vaak deze actor op de kortste weg tussen twee anderen ligt.",
    ),
    "betweenness_normalized": _meta(
        "Betweenness (normalised)",
        "Tussenpositie (genormaliseerd)",
        "0 .. 1",
        "divided by (n-1)(n-2), halved for undirected (networkx normalized=True)",
        "follows the graph",
        "Freeman (1977); Brandes (2001)",
        "Betweenness as a share of the most it could be.",
        "Tussenpositie als deel van het hoogst mogelijke.",
    ),
    "closeness": _meta(
        "Closeness",
        "Nabijheid",
        "0 .. 1",
        "Wasserman-Faust improved closeness for disconnected graphs (networkx); incoming "
        "distances on directed graphs",
        "follows the graph",
        "Freeman (1979); Wasserman & Faust (1994)",
        "How quickly this actor can be reached by the others it is connected with.",
        "Hoe snel deze actor te bereiken is voor de anderen waarmee hij verbonden is.",
    ),
    "core_number": _meta(
        "Core number",
        "Kern-getal",
        ">= 0",
        "none",
        "no: underlying undirected graph",
        "Seidman (1983)",
        "How deep in the tightly knit core of the network this actor sits.",
        "Hoe diep deze actor in de hechte kern van het netwerk zit.",
    ),
    "constraint": _meta(
        "Constraint",
        "Beperking",
        ">= 0 (can exceed 1)",
        "none; weighted by mutual tie weight",
        "both directions combined",
        _BURT,
        "How much this actor's contacts are tied to each other (high: few open doors).",
        "Hoe sterk de contacten van deze actor onderling verbonden zijn "
        "(hoog: weinig open deuren).",
    ),
    "effective_size": _meta(
        "Effective size",
        "Effectieve omvang",
        "0 .. number of contacts",
        "none",
        "both directions combined",
        _BURT,
        "The number of contacts that are not redundant with each other.",
        "Het aantal contacten dat niet overlapt met andere contacten.",
    ),
    "efficiency": _meta(
        "Efficiency",
        "Efficiëntie",
        "0 .. 1",
        "effective size / number of contacts",
        "both directions combined",
        _BURT,
        "Share of this actor's contacts that bring something new.",
        "Deel van de contacten van deze actor dat iets nieuws brengt.",
    ),
    "hierarchy": _meta(
        "Hierarchy",
        "Hiërarchie",
        "0 .. 1",
        "Coleman-Theil disorder of constraint",
        "both directions combined",
        "Burt (1992)",
        "Whether this actor's constraint comes from one dominant contact.",
        "Of de beperking van deze actor uit één overheersend contact komt.",
    ),
    "articulation_point": _meta(
        "Articulation point",
        "Scharnierpunt",
        "true/false",
        "none",
        "no: underlying undirected graph",
        "Hopcroft & Tarjan (1973)",
        "Without this actor the network falls apart into separate pieces.",
        "Zonder deze actor valt het netwerk uiteen in losse delen.",
    ),
    "ei_index": _meta(
        "E-I index",
        "E-I-index",
        "-1 .. 1",
        "(E - I) / (E + I), each tie once",
        "no: a pair counts once",
        "Krackhardt & Stern (1988)",
        "1: all ties go outside the actor's own group; -1: all stay inside.",
        "1: alle relaties gaan buiten de eigen groep; -1: alle blijven binnen.",
    ),
    "brokerage": _meta(
        "Brokerage roles (raw)",
        "Makelaarsrollen (ruw)",
        ">= 0 per role",
        "none: open two-paths a->v->b without a->b, one role each",
        "yes",
        _GF,
        "How often this actor connects two others who are not directly tied, by role.",
        "Hoe vaak deze actor twee anderen verbindt die niet direct verbonden zijn, per rol.",
    ),
    "brokerage_z": _meta(
        "Brokerage roles (z-score)",
        "Makelaarsrollen (z-score)",
        "any real; null if impossible",
        "(raw - expected) / sd under independent arcs at the observed density, groups fixed",
        "yes",
        _GF,
        "More (positive) or less (negative) brokerage than a random network of this density.",
        "Meer (positief) of minder (negatief) makelaarschap dan een willekeurig netwerk van "
        "deze dichtheid.",
    ),
    # -- network level --------------------------------------------------------------
    "density": _meta(
        "Density",
        "Dichtheid",
        "0 .. 1",
        "m/(n(n-1)) directed, 2m/(n(n-1)) undirected",
        "follows the graph",
        "Wasserman & Faust (1994)",
        "Share of all possible ties that exist.",
        "Deel van alle mogelijke relaties dat bestaat.",
    ),
    "components": _meta(
        "Components",
        "Componenten",
        "counts and sizes",
        "weak and strong",
        "both",
        "Wasserman & Faust (1994)",
        "Separate pieces of the network.",
        "Losse delen van het netwerk.",
    ),
    "average_distance": _meta(
        "Average distance",
        "Gemiddelde afstand",
        ">= 1",
        "over reachable pairs only",
        "follows the graph",
        "Wasserman & Faust (1994)",
        "Average number of steps between actors that can reach each other.",
        "Gemiddeld aantal stappen tussen actoren die elkaar kunnen bereiken.",
    ),
    "global_efficiency": _meta(
        "Global efficiency",
        "Globale efficiëntie",
        "0 .. 1",
        "mean of 1/distance over all pairs",
        "follows the graph",
        "Latora & Marchiori (2001)",
        "How easily information can travel through the whole network.",
        "Hoe makkelijk informatie door het hele netwerk kan reizen.",
    ),
    "transitivity": _meta(
        "Transitivity",
        "Transitiviteit",
        "0 .. 1",
        "3 x triangles / connected triples",
        "no: underlying undirected graph",
        "Wasserman & Faust (1994)",
        "How often two contacts of the same actor also know each other.",
        "Hoe vaak twee contacten van dezelfde actor elkaar ook kennen.",
    ),
    "average_clustering": _meta(
        "Average clustering",
        "Gemiddelde clustering",
        "0 .. 1",
        "two conventions reported: degree<2 as 0 (networkx) and left out (igraph)",
        "no: underlying undirected graph",
        "Watts & Strogatz (1998)",
        "Average closeness of each actor's circle of contacts.",
        "Gemiddelde hechtheid van de kring rond elke actor.",
    ),
    "centralization": _meta(
        "Freeman centralization",
        "Centralisatie (Freeman)",
        "0 .. 1",
        "sum(max - x_i) / its maximum for n nodes (degree, in/out-degree, betweenness)",
        "degree: undirected; in/out: yes; betweenness: follows the graph",
        "Freeman (1979)",
        "1: everything runs through one hub (a star); 0: everyone equally central.",
        "1: alles loopt via één spil (een ster); 0: iedereen even centraal.",
    ),
    "krackhardt": _meta(
        "Krackhardt's dimensions",
        "Dimensies van Krackhardt",
        "0 .. 1 each",
        "connectedness, hierarchy, efficiency (sna formula), least-upper-boundedness",
        "yes",
        "Krackhardt (1994); R sna",
        "How connected, hierarchical, lean and boss-structured the network is.",
        "Hoe verbonden, hiërarchisch, zuinig en met één 'baas' gestructureerd het netwerk is.",
    ),
    "ei_index_network": _meta(
        "E-I index (network)",
        "E-I-index (netwerk)",
        "-1 .. 1",
        "each tie once",
        "no",
        "Krackhardt & Stern (1988)",
        "Whether ties mostly cross groups (toward 1) or stay inside them (toward -1).",
        "Of relaties vooral tussen groepen lopen (naar 1) of binnen groepen blijven (naar -1).",
    ),
    "mixing_matrix": _meta(
        "Mixing matrix",
        "Menging tussen groepen",
        "counts and densities per group pair",
        "density per pair: ties / possible pairs",
        "follows the graph",
        "Newman (2003)",
        "How many ties run between each pair of groups.",
        "Hoeveel relaties er tussen elk paar groepen lopen.",
    ),
    "reciprocity": _meta(
        "Reciprocity per group pair",
        "Wederkerigheid per groepspaar",
        "0 .. 1",
        "edgewise: share of arcs g->h that are returned",
        "yes",
        "Wasserman & Faust (1994)",
        "Whether ties from one group to another are returned.",
        "Of relaties van de ene groep naar de andere worden beantwoord.",
    ),
    "contact_initiative": _meta(
        "Initiative of contact",
        "Initiatief tot contact",
        "0 .. 1",
        "share of 'contacts' ties started by each side",
        "yes",
        "graphsvc",
        "Who takes the initiative: the initiative or the municipality/fund?",
        "Wie neemt het initiatief: het bewonersinitiatief of de gemeente/het fonds?",
    ),
    "funder_dependency": _meta(
        "Dependency on one funder",
        "Afhankelijkheid van één fonds",
        "0 .. 1",
        "share of funded initiatives funded by exactly one funder",
        "yes",
        "graphsvc",
        "How many initiatives hang on a single funder.",
        "Hoeveel initiatieven afhangen van één enkel fonds.",
    ),
    "assortativity": _meta(
        "Assortativity by group",
        "Assortativiteit naar groep",
        "-1 .. 1",
        "Newman's r",
        "follows the graph",
        "Newman (2003)",
        "1: ties only within groups; 0: as random; negative: mostly across groups.",
        "1: alleen binnen groepen; 0: als toeval; negatief: vooral tussen groepen.",
    ),
    "brokerage_network": _meta(
        "Brokerage (network)",
        "Makelaarschap (netwerk)",
        ">= 0 per role",
        "totals with expectations and z-scores under independent arcs",
        "yes",
        _GF,
        "How much brokering happens in the network compared with a random network.",
        "Hoeveel bemiddeling er in het netwerk is vergeleken met een willekeurig netwerk.",
    ),
}

ACTOR_METRICS = (
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "betweenness_normalized",
    "closeness",
    "core_number",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "articulation_point",
    "ei_index",
    "brokerage",
    "brokerage_z",
)


def metadata_for(names: list[str] | tuple[str, ...]) -> dict[str, dict[str, str]]:
    return {n: METADATA[n] for n in names if n in METADATA}


def actor_report(
    G: nx.Graph, estimate: ApproximateBetweenness | None = None
) -> list[dict[str, Any]]:
    """One object per actor: key, kind, group and every actor-level metric (sorted by key).

    ``estimate``: approximate betweenness to report instead of the exact values
    (see :func:`graphsvc.metrics.centrality.actor_metrics`).
    """
    base = actor_metrics(G, estimate=estimate)
    scores = brokerage_scores(G, group="group")
    ei = ei_index_actors(G, group="group")
    out = []
    for key in sorted(G.nodes, key=str):
        data = G.nodes[key]
        row: dict[str, Any] = {"key": key, "kind": data.get("kind"), "group": data.get("group")}
        row.update(base[key])
        row["ei_index"] = ei.get(key)
        row["brokerage"] = {r: int(scores.raw[key][r]) for r in ROLES}
        row["brokerage_z"] = {r: scores.z[key][r] for r in ROLES}
        out.append(clean(row))
    return out


def network_report(G: nx.Graph) -> dict[str, Any]:
    """Network-level indicators: counts, cohesion, mixing, graph-level brokerage."""
    kinds = Counter(data.get("kind") for _, data in G.nodes(data=True))
    scores = brokerage_scores(G, group="group")
    report: dict[str, Any] = {
        "actors": G.number_of_nodes(),
        "actors_per_kind": {k: kinds.get(k, 0) for k in vocab.KIND_KEYS},
        "ties_per_type": dict(G.graph.get("ties_per_type", {})),
        "ties_used": G.graph.get("ties_used", G.number_of_edges()),
        "parallel_ties_collapsed": G.graph.get("parallel_ties_collapsed", 0),
        "cohesion": network_cohesion(G),
        "mixing": network_mixing(G, group="group"),
        "brokerage": {
            "raw": dict(scores.network_raw),
            "expected": dict(scores.network_expected),
            "z": dict(scores.network_z),
            "density": scores.density,
        },
    }
    return clean(report)


#: Scalar indicators that changes and comparisons report, with where they live in network_report.
HEADLINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("actors", ("actors",)),
    ("ties", ("ties_used",)),
    ("density", ("cohesion", "density")),
    ("weak_components", ("cohesion", "components", "weak_count")),
    ("strong_components", ("cohesion", "components", "strong_count")),
    ("largest_component_share", ("cohesion", "components", "largest_component_share")),
    ("isolates", ("cohesion", "isolates")),
    ("articulation_points", ("cohesion", "articulation_points")),
    ("bridges", ("cohesion", "bridges")),
    ("average_distance", ("cohesion", "average_distance")),
    ("global_efficiency", ("cohesion", "global_efficiency")),
    ("transitivity", ("cohesion", "transitivity")),
    ("degree_centralization", ("cohesion", "centralization", "degree")),
    ("betweenness_centralization", ("cohesion", "centralization", "betweenness")),
    ("ei_index", ("mixing", "ei_index", "network")),
    ("assortativity", ("mixing", "assortativity")),
    ("single_funder_share", ("mixing", "funder_dependency", "single_funder_share")),
    ("brokerage_total", ("brokerage", "raw", "total")),
    ("brokerage_total_z", ("brokerage", "z", "total")),
)


def headline(network: dict[str, Any]) -> dict[str, Any]:
    """The HEADLINE indicators of a network_report; lists count as their length."""
    out: dict[str, Any] = {}
    for name, path in HEADLINE:
        value: Any = network
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, list):
            value = len(value)
        out[name] = value
    return out
