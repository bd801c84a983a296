"""Every metric and indicator in one place: what it is, how it reads, when it signals.

Two tables, one row per thing:

- :data:`METRICS`: the metrics the API describes in its ``metadata`` block (docs/metrics.md
  §6): name, range, normalisation, directedness, reference and a plain explanation, for
  actor-level metrics and for the parts of the network report.
- :data:`INDICATORS`: the single numbers the pages, the scorecard, changes and comparisons
  show: where the value lives in the network report (or that the scorecard computes it),
  its number format, label and explanation in Dutch and English, the metric that
  describes it, its rule of thumb as data (:class:`~graphsvc.metrics.rules.Threshold`, or
  none: context only) and the scorecard's sentence about it.

:data:`LESSONS` groups indicators under the three lessons of the scorecard.  Everything
else (the API's metadata block, the headline list, the scorecard, the page texts) is
derived from these tables, so adding an indicator means its computation and its row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from graphsvc.metrics.rules import FORMATS, Reading, Text, Threshold

__all__ = [
    "ACTOR_METRICS",
    "HEADLINE",
    "INDICATORS",
    "LESSONS",
    "METADATA",
    "METRICS",
    "NETWORK_METRICS",
    "Indicator",
    "Lesson",
    "Metric",
    "metadata_for",
    "value_at",
]


@dataclass(frozen=True)
class Metric:
    """A metric as the API's metadata block describes it; ``family`` is the module of
    graphsvc.metrics that computes it."""

    key: str
    family: str
    level: Literal["actor", "network"]
    name: Text
    range: str
    normalisation: str
    directed: str
    reference: str
    explanation: Text

    def metadata(self) -> dict[str, str]:
        """The metric's entry in a response's ``metadata`` block."""
        return {
            "name_en": self.name.en,
            "name_nl": self.name.nl,
            "range": self.range,
            "normalisation": self.normalisation,
            "directed": self.directed,
            "reference": self.reference,
            "explanation_en": self.explanation.en,
            "explanation_nl": self.explanation.nl,
        }


@dataclass(frozen=True)
class Indicator:
    """One number the pages and the scorecard show.

    ``path``: where the value lies in :func:`graphsvc.metrics.report.network_report` (a
    list counts as its length); None when the scorecard computes it
    (:data:`graphsvc.metrics.scorecard.COMPUTED`).  ``headline``: reported by changes and
    comparisons.  ``rule``: the rule of thumb (None: context only, always ``ok``).
    ``sentence``: what the scorecard says, with ``{value}`` (the value in ``fmt``) and
    ``{reading}`` (``reading``'s words for the value).
    """

    key: str
    family: str
    fmt: str
    label: Text
    explanation: Text | None = None
    path: tuple[str, ...] | None = None
    metric: str | None = None
    headline: bool = False
    rule: Threshold | None = None
    sentence: Text | None = None
    reading: Reading | None = None


@dataclass(frozen=True)
class Lesson:
    """A group of the scorecard: one of the three lessons, its question and its indicators."""

    key: str
    title: Text
    question: Text
    indicators: tuple[str, ...]


def _actor(key: str, family: str, name: Text, *rest: str, explain: Text) -> Metric:
    range_, normalisation, directed, reference = rest
    return Metric(key, family, "actor", name, range_, normalisation, directed, reference, explain)


def _network(key: str, family: str, name: Text, *rest: str, explain: Text) -> Metric:
    range_, normalisation, directed, reference = rest
    return Metric(key, family, "network", name, range_, normalisation, directed, reference, explain)


_GF = "Gould & Fernandez (1989), Sociological Methodology 19:89-126; as R sna::brokerage"
_BURT = "Burt (1992), Structural Holes; Borgatti (1997), Connections 20(1)"
_WF = "Wasserman & Faust (1994)"
_UNDIRECTED = "no: underlying undirected graph"
_BOTH = "both directions combined"
_FOLLOWS = "follows the graph"


def _share(direction: Literal["below", "above"], boundary: float) -> Threshold:
    return Threshold(direction, boundary, "share")


def _any() -> Threshold:
    """Attention when a count is one or more."""
    return Threshold("above", 0, "count")


# The tables below are read row by row, so they keep their own layout.
# fmt: off
_METRICS: tuple[Metric, ...] = (
    # -- actor level ------------------------------------------------------------------------
    _actor("degree", "centrality", Text("Aantal relaties", "Degree"), "0 .. n-1",
           "none: count of distinct neighbours", "no: in and out together", "Freeman (1979)",
           explain=Text("Met hoeveel anderen deze actor een relatie heeft.",
                        "How many others this actor has a tie with.")),
    _actor("in_degree", "centrality", Text("Inkomende relaties", "In-degree"), "0 .. n-1",
           "none", "yes", "Freeman (1979)",
           explain=Text("Hoeveel anderen een relatie naar deze actor hebben.",
                        "How many others have a tie towards this actor.")),
    _actor("out_degree", "centrality", Text("Uitgaande relaties", "Out-degree"), "0 .. n-1",
           "none", "yes", "Freeman (1979)",
           explain=Text("Naar hoeveel anderen deze actor een relatie heeft.",
                        "How many others this actor has a tie towards.")),
    _actor("betweenness", "centrality", Text("Tussenpositie (ruw)", "Betweenness (raw)"), ">= 0",
           "none: Freeman count of shortest paths through the actor (undirected: each pair "
           "once)", _FOLLOWS, "Freeman (1977); Brandes (2001)",
           explain=Text("Hoe vaak deze actor op de kortste weg tussen twee anderen ligt.",
                        "How often this actor lies on the shortest way between two others.")),
    _actor("betweenness_normalized", "centrality",
           Text("Tussenpositie (genormaliseerd)", "Betweenness (normalised)"), "0 .. 1",
           "divided by (n-1)(n-2), halved for undirected (networkx normalized=True)", _FOLLOWS,
           "Freeman (1977); Brandes (2001)",
           explain=Text("Tussenpositie als deel van het hoogst mogelijke.",
                        "Betweenness as a share of the most it could be.")),
    _actor("closeness", "centrality", Text("Nabijheid", "Closeness"), "0 .. 1",
           "Wasserman-Faust improved closeness for disconnected graphs (networkx); incoming "
           "distances on directed graphs", _FOLLOWS, "Freeman (1979); Wasserman & Faust (1994)",
           explain=Text("Hoe snel deze actor te bereiken is voor de anderen waarmee hij "
                        "verbonden is.",
                        "How quickly this actor can be reached by the others it is connected "
                        "with.")),
    _actor("core_number", "centrality", Text("Kern-getal", "Core number"), ">= 0", "none",
           _UNDIRECTED, "Seidman (1983)",
           explain=Text("Hoe diep deze actor in de hechte kern van het netwerk zit.",
                        "How deep in the tightly knit core of the network this actor sits.")),
    _actor("constraint", "structural_holes", Text("Beperking", "Constraint"),
           ">= 0 (can exceed 1)", "none; weighted by mutual tie weight", _BOTH, _BURT,
           explain=Text("Hoe sterk de contacten van deze actor onderling verbonden zijn "
                        "(hoog: weinig open deuren).",
                        "How much this actor's contacts are tied to each other (high: few open "
                        "doors).")),
    _actor("effective_size", "structural_holes", Text("Effectieve omvang", "Effective size"),
           "0 .. number of contacts", "none", _BOTH, _BURT,
           explain=Text("Het aantal contacten dat niet overlapt met andere contacten.",
                        "The number of contacts that are not redundant with each other.")),
    _actor("efficiency", "structural_holes", Text("Efficiëntie", "Efficiency"), "0 .. 1",
           "effective size / number of contacts", _BOTH, _BURT,
           explain=Text("Deel van de contacten van deze actor dat iets nieuws brengt.",
                        "Share of this actor's contacts that bring something new.")),
    _actor("hierarchy", "structural_holes", Text("Hiërarchie", "Hierarchy"), "0 .. 1",
           "Coleman-Theil disorder of constraint", _BOTH, "Burt (1992)",
           explain=Text("Of de beperking van deze actor uit één overheersend contact komt.",
                        "Whether this actor's constraint comes from one dominant contact.")),
    _actor("articulation_point", "centrality", Text("Scharnierpunt", "Articulation point"),
           "true/false", "none", _UNDIRECTED, "Hopcroft & Tarjan (1973)",
           explain=Text("Zonder deze actor valt het netwerk uiteen in losse delen.",
                        "Without this actor the network falls apart into separate pieces.")),
    _actor("ei_index", "mixing", Text("E-I-index", "E-I index"), "-1 .. 1",
           "(E - I) / (E + I), each tie once", "no: a pair counts once",
           "Krackhardt & Stern (1988)",
           explain=Text("1: alle relaties gaan buiten de eigen groep; -1: alle blijven binnen.",
                        "1: all ties go outside the actor's own group; -1: all stay inside.")),
    _actor("brokerage", "brokerage", Text("Makelaarsrollen (ruw)", "Brokerage roles (raw)"),
           ">= 0 per role", "none: open two-paths a->v->b without a->b, one role each", "yes",
           _GF,
           explain=Text("Hoe vaak deze actor twee anderen verbindt die niet direct verbonden "
                        "zijn, per rol.",
                        "How often this actor connects two others who are not directly tied, "
                        "by role.")),
    _actor("brokerage_z", "brokerage",
           Text("Makelaarsrollen (z-score)", "Brokerage roles (z-score)"),
           "any real; null if impossible",
           "(raw - expected) / sd under independent arcs at the observed density, groups fixed",
           "yes", _GF,
           explain=Text("Meer (positief) of minder (negatief) makelaarschap dan een "
                        "willekeurig netwerk van deze dichtheid.",
                        "More (positive) or less (negative) brokerage than a random network of "
                        "this density.")),
    # -- network level ----------------------------------------------------------------------
    _network("density", "cohesion", Text("Dichtheid", "Density"), "0 .. 1",
             "m/(n(n-1)) directed, 2m/(n(n-1)) undirected", _FOLLOWS, _WF,
             explain=Text("Deel van alle mogelijke relaties dat bestaat.",
                          "Share of all possible ties that exist.")),
    _network("components", "cohesion", Text("Componenten", "Components"), "counts and sizes",
             "weak and strong", "both", _WF,
             explain=Text("Losse delen van het netwerk.", "Separate pieces of the network.")),
    _network("average_distance", "cohesion", Text("Gemiddelde afstand", "Average distance"),
             ">= 1", "over reachable pairs only", _FOLLOWS, _WF,
             explain=Text("Gemiddeld aantal stappen tussen actoren die elkaar kunnen bereiken.",
                          "Average number of steps between actors that can reach each other.")),
    _network("global_efficiency", "cohesion",
             Text("Globale efficiëntie", "Global efficiency"), "0 .. 1",
             "mean of 1/distance over all pairs", _FOLLOWS, "Latora & Marchiori (2001)",
             explain=Text("Hoe makkelijk informatie door het hele netwerk kan reizen.",
                          "How easily information can travel through the whole network.")),
    _network("transitivity", "cohesion", Text("Transitiviteit", "Transitivity"), "0 .. 1",
             "3 x triangles / connected triples", _UNDIRECTED, _WF,
             explain=Text("Hoe vaak twee contacten van dezelfde actor elkaar ook kennen.",
                          "How often two contacts of the same actor also know each other.")),
    _network("average_clustering", "cohesion",
             Text("Gemiddelde clustering", "Average clustering"), "0 .. 1",
             "two conventions reported: degree<2 as 0 (networkx) and left out (igraph)",
             _UNDIRECTED, "Watts & Strogatz (1998)",
             explain=Text("Gemiddelde hechtheid van de kring rond elke actor.",
                          "Average closeness of each actor's circle of contacts.")),
    _network("centralization", "cohesion",
             Text("Centralisatie (Freeman)", "Freeman centralization"), "0 .. 1",
             "sum(max - x_i) / its maximum for n nodes (degree, in/out-degree, betweenness)",
             "degree: undirected; in/out: yes; betweenness: follows the graph", "Freeman (1979)",
             explain=Text("1: alles loopt via één spil (een ster); 0: iedereen even centraal.",
                          "1: everything runs through one hub (a star); 0: everyone equally "
                          "central.")),
    _network("krackhardt", "cohesion",
             Text("Dimensies van Krackhardt", "Krackhardt's dimensions"), "0 .. 1 each",
             "connectedness, hierarchy, efficiency (sna formula), least-upper-boundedness",
             "yes", "Krackhardt (1994); R sna",
             explain=Text("Hoe verbonden, hiërarchisch, zuinig en met één 'baas' gestructureerd "
                          "het netwerk is.",
                          "How connected, hierarchical, lean and boss-structured the network "
                          "is.")),
    _network("ei_index_network", "mixing", Text("E-I-index (netwerk)", "E-I index (network)"),
             "-1 .. 1", "each tie once", "no", "Krackhardt & Stern (1988)",
             explain=Text("Of relaties vooral tussen groepen lopen (naar 1) of binnen groepen "
                          "blijven (naar -1).",
                          "Whether ties mostly cross groups (toward 1) or stay inside them "
                          "(toward -1).")),
    _network("mixing_matrix", "mixing", Text("Menging tussen groepen", "Mixing matrix"),
             "counts and densities per group pair", "density per pair: ties / possible pairs",
             _FOLLOWS, "Newman (2003)",
             explain=Text("Hoeveel relaties er tussen elk paar groepen lopen.",
                          "How many ties run between each pair of groups.")),
    _network("reciprocity", "mixing",
             Text("Wederkerigheid per groepspaar", "Reciprocity per group pair"), "0 .. 1",
             "edgewise: share of arcs g->h that are returned", "yes", _WF,
             explain=Text("Of relaties van de ene groep naar de andere worden beantwoord.",
                          "Whether ties from one group to another are returned.")),
    _network("contact_initiative", "mixing",
             Text("Initiatief tot contact", "Initiative of contact"), "0 .. 1",
             "share of 'contacts' ties started by each side", "yes", "graphsvc",
             explain=Text("Wie neemt het initiatief: het bewonersinitiatief of de gemeente/het "
                          "fonds?",
                          "Who takes the initiative: the initiative or the municipality/fund?")),
    _network("funder_dependency", "mixing",
             Text("Afhankelijkheid van één fonds", "Dependency on one funder"), "0 .. 1",
             "share of funded initiatives funded by exactly one funder", "yes", "graphsvc",
             explain=Text("Hoeveel initiatieven afhangen van één enkel fonds.",
                          "How many initiatives hang on a single funder.")),
    _network("assortativity", "mixing",
             Text("Assortativiteit naar groep", "Assortativity by group"), "-1 .. 1",
             "Newman's r", _FOLLOWS, "Newman (2003)",
             explain=Text("1: alleen binnen groepen; 0: als toeval; negatief: vooral tussen "
                          "groepen.",
                          "1: ties only within groups; 0: as random; negative: mostly across "
                          "groups.")),
    _network("brokerage_network", "brokerage",
             Text("Makelaarschap (netwerk)", "Brokerage (network)"), ">= 0 per role",
             "totals with expectations and z-scores under independent arcs", "yes", _GF,
             explain=Text("Hoeveel bemiddeling er in het netwerk is vergeleken met een "
                          "willekeurig netwerk.",
                          "How much brokering happens in the network compared with a random "
                          "network.")),
)


_INDICATORS: tuple[Indicator, ...] = (
    # -- headline: reported by changes and comparisons, in this order -------------------------
    Indicator("actors", "report", "count", Text("Actoren", "Actors"),
              Text("Aantal actoren in het netwerk.", "Number of actors in the network."),
              path=("actors",), headline=True),
    Indicator("ties", "report", "count", Text("Relaties", "Ties"),
              Text("Aantal relaties op deze datum (zonder lidmaatschap).",
                   "Number of ties on this date (membership not included)."),
              path=("ties_used",), headline=True),
    Indicator("density", "cohesion", "ratio3", Text("Dichtheid", "Density"),
              Text("Deel van alle mogelijke relaties dat bestaat.",
                   "Share of all possible ties that exist."),
              path=("cohesion", "density"), metric="density", headline=True,
              sentence=Text("Dichtheid {value}: dit deel van alle mogelijke relaties bestaat.",
                            "Density {value}: this share of all possible ties exists.")),
    Indicator("weak_components", "cohesion", "count",
              Text("Losse delen", "Separate parts"),
              Text("In hoeveel losse delen het netwerk uiteenvalt.",
                   "How many separate parts the network has."),
              path=("cohesion", "components", "weak_count"), metric="components", headline=True),
    Indicator("strong_components", "cohesion", "count",
              Text("Wederzijds bereikbare delen", "Mutually reachable parts"),
              Text("Delen waarin iedereen iedereen kan bereiken als je de richting van de "
                   "relaties volgt.",
                   "Parts in which everyone can reach everyone following the direction of the "
                   "ties."),
              path=("cohesion", "components", "strong_count"), metric="components",
              headline=True),
    Indicator("largest_component_share", "cohesion", "share",
              Text("Grootste samenhangende deel", "Largest connected part"),
              Text("Deel van de actoren dat bij het grootste samenhangende deel hoort.",
                   "Share of the actors in the largest connected part."),
              path=("cohesion", "components", "largest_component_share"), metric="components",
              headline=True, rule=_share("below", 0.8),
              sentence=Text("{value} van de actoren hoort bij het grootste samenhangende deel.",
                            "{value} of the actors belong to the largest connected part.")),
    Indicator("isolates", "cohesion", "count",
              Text("Actoren zonder relatie", "Actors without a tie"),
              Text("Actoren die met niemand een relatie hebben.",
                   "Actors without a tie to anyone."),
              path=("cohesion", "isolates"), metric="components", headline=True, rule=_any(),
              sentence=Text("{value} actor(en) zonder enige relatie.",
                            "{value} actor(s) without any tie.")),
    Indicator("articulation_points", "cohesion", "count",
              Text("Scharnierpunten", "Cut points"),
              Text("Actoren zonder wie het netwerk uiteenvalt.",
                   "Actors without whom the network falls apart."),
              path=("cohesion", "articulation_points"), headline=True, rule=_any(),
              sentence=Text("{value} actor(en) waarzonder het netwerk uiteenvalt.",
                            "{value} actor(s) without whom the network falls apart.")),
    Indicator("bridges", "cohesion", "count", Text("Bruggen", "Bridges"),
              Text("Relaties zonder welke het netwerk uiteenvalt.",
                   "Ties without which the network falls apart."),
              path=("cohesion", "bridges"), headline=True),
    Indicator("average_distance", "cohesion", "ratio",
              Text("Gemiddelde afstand", "Average distance"),
              Text("Gemiddeld aantal stappen tussen actoren die elkaar kunnen bereiken.",
                   "Average number of steps between actors that can reach each other."),
              path=("cohesion", "average_distance"), metric="average_distance", headline=True),
    Indicator("global_efficiency", "cohesion", "ratio",
              Text("Globale efficiëntie", "Global efficiency"),
              Text("Hoe makkelijk informatie door het hele netwerk reist (0 tot 1).",
                   "How easily information travels through the whole network (0 to 1)."),
              path=("cohesion", "global_efficiency"), metric="global_efficiency",
              headline=True),
    Indicator("transitivity", "cohesion", "ratio", Text("Transitiviteit", "Transitivity"),
              Text("Hoe vaak twee contacten van dezelfde actor elkaar ook kennen.",
                   "How often two contacts of the same actor also know each other."),
              path=("cohesion", "transitivity"), metric="transitivity", headline=True),
    Indicator("degree_centralization", "cohesion", "ratio",
              Text("Centralisatie", "Centralization"),
              Text("1: alles loopt via één spil; 0: iedereen even centraal.",
                   "1: everything runs through one hub; 0: everyone equally central."),
              path=("cohesion", "centralization", "degree"), metric="centralization",
              headline=True, rule=Threshold("above", 0.5, "ratio"),
              sentence=Text("Centralisatie {value}: {reading}",
                            "Centralization {value}: {reading}"),
              reading=Reading(Text("een paar spillen domineren het netwerk.",
                                   "a few hubs dominate the network."),
                              Text("relaties zijn redelijk gespreid.",
                                   "ties are fairly spread out."))),
    Indicator("betweenness_centralization", "cohesion", "ratio",
              Text("Centralisatie van tussenposities", "Betweenness centralization"),
              Text("1: alle kortste wegen lopen via één actor.",
                   "1: every shortest path runs through one actor."),
              path=("cohesion", "centralization", "betweenness"), metric="centralization",
              headline=True),
    Indicator("ei_index", "mixing", "ratio", Text("E-I-index", "E-I index"),
              Text("Naar 1: relaties lopen tussen groepen; naar -1: binnen de eigen groep.",
                   "Towards 1: ties cross groups; towards -1: they stay within groups."),
              path=("mixing", "ei_index", "network"), metric="ei_index_network", headline=True,
              rule=Threshold("below", -0.3, "ratio"),
              sentence=Text("E-I-index {value}: {reading}", "E-I index {value}: {reading}"),
              # The sign says where most ties go; the rule looks only at clearly inward ones.
              reading=Reading(Text("relaties blijven vooral binnen de eigen groep.",
                                   "ties mostly stay within groups."),
                              Text("relaties lopen vaak tussen groepen.",
                                   "ties often cross groups."),
                              Threshold("below", 0, "ratio"))),
    Indicator("assortativity", "mixing", "ratio", Text("Assortativiteit", "Assortativity"),
              Text("1: alleen binnen groepen; 0: als toeval; negatief: vooral tussen groepen.",
                   "1: only within groups; 0: as random; negative: mostly across groups."),
              path=("mixing", "assortativity"), metric="assortativity", headline=True),
    Indicator("single_funder_share", "mixing", "share",
              Text("Afhankelijk van één fonds", "Depending on one funder"),
              Text("Deel van de gefinancierde initiatieven met maar één fonds.",
                   "Share of funded initiatives with only one funder."),
              path=("mixing", "funder_dependency", "single_funder_share"),
              metric="funder_dependency", headline=True, rule=_share("above", 0.5),
              sentence=Text("{value} van de gefinancierde initiatieven hangt af van één fonds.",
                            "{value} of funded initiatives depend on a single funder.")),
    Indicator("brokerage_total", "brokerage", "count", Text("Makelaarschap", "Brokerage"),
              Text("Hoe vaak iemand twee anderen verbindt die elkaar niet direct kennen.",
                   "How often someone links two others who have no direct tie."),
              path=("brokerage", "raw", "total"), metric="brokerage_network", headline=True),
    Indicator("brokerage_total_z", "brokerage", "ratio",
              Text("Makelaarschap (z-score)", "Brokerage (z-score)"),
              Text("Positief: meer makelaarschap dan een willekeurig netwerk van deze "
                   "dichtheid.",
                   "Positive: more brokerage than a random network of this density."),
              path=("brokerage", "z", "total"), metric="brokerage_network", headline=True),
    # -- scorecard only ---------------------------------------------------------------------
    Indicator("reciprocity_initiative_official", "scorecard", "share",
              Text("Wederkerigheid initiatief en gemeente",
                   "Reciprocity initiative and municipality"),
              metric="reciprocity", rule=_share("below", 0.3),
              sentence=Text("{value} van de relaties van initiatieven naar de gemeente wordt "
                            "beantwoord.",
                            "{value} of ties from initiatives to the municipality are "
                            "returned.")),
    Indicator("contact_started_by_initiatives", "mixing", "share",
              Text("Contact begint bij het initiatief", "Contact started by the initiative"),
              path=("mixing", "contact_initiative", "share_started", "initiative", "official"),
              metric="contact_initiative", rule=_share("above", 0.8),
              sentence=Text("{value} van het contact tussen initiatieven en gemeente begint "
                            "bij het initiatief.",
                            "{value} of contact between initiatives and the municipality is "
                            "started by the initiative.")),
    Indicator("initiative_visibility", "scorecard", "share",
              Text("Initiatieven in beeld bij gemeente of fonds",
                   "Initiatives seen by municipality or fund"),
              rule=_share("below", 0.7),
              sentence=Text("{value} van de initiatieven heeft een relatie met gemeente of "
                            "fonds.",
                            "{value} of initiatives have a tie with the municipality or a "
                            "fund.")),
    Indicator("initiatives_brokering", "scorecard", "count",
              Text("Initiatieven die groepen verbinden", "Initiatives connecting groups"),
              metric="brokerage",
              sentence=Text("{value} initiatief/initiatieven verbindt andere groepen.",
                            "{value} initiative(s) connect other groups.")),
    Indicator("top_brokers", "scorecard", "list",
              Text("Grootste verbinders", "Top connectors"), metric="brokerage",
              sentence=Text("De actoren die het vaakst anderen verbinden.",
                            "The actors who most often connect others.")),
)

LESSONS: tuple[Lesson, ...] = (
    Lesson("relationships", Text("Relaties", "Relationships"),
           Text("Zijn mensen verbonden, ook tussen sectoren?",
                "Are people connected, also across sectors?"),
           ("largest_component_share", "isolates", "density", "ei_index",
            "articulation_points")),
    Lesson("equality", Text("Gelijkwaardigheid", "Equality"),
           Text("Wordt het netwerk gedomineerd door een paar spillen, en is contact "
                "wederzijds?",
                "Is the network dominated by a few hubs, and is contact mutual?"),
           ("degree_centralization", "reciprocity_initiative_official",
            "contact_started_by_initiatives", "single_funder_share")),
    Lesson("strong_initiatives",
           Text("Sterke bewonersinitiatieven", "Strong resident initiatives"),
           Text("Zijn initiatieven zichtbaar voor gemeente en fondsen, en wie verbindt ze?",
                "Are initiatives visible to municipality and funds, and who connects them?"),
           ("initiative_visibility", "initiatives_brokering", "top_brokers")),
)
# fmt: on

# -- derived views -------------------------------------------------------------------------

METRICS: dict[str, Metric] = {m.key: m for m in _METRICS}
INDICATORS: dict[str, Indicator] = {i.key: i for i in _INDICATORS}

#: The API's metadata block for every metric.
METADATA: dict[str, dict[str, str]] = {m.key: m.metadata() for m in _METRICS}
ACTOR_METRICS: tuple[str, ...] = tuple(m.key for m in _METRICS if m.level == "actor")
NETWORK_METRICS: tuple[str, ...] = tuple(m.key for m in _METRICS if m.level == "network")

#: Scalar indicators that changes and comparisons report, with where they live in the
#: network report.
HEADLINE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (i.key, i.path) for i in _INDICATORS if i.headline and i.path is not None
)


def metadata_for(names: list[str] | tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The metadata block for the metrics ``names`` (unknown names left out)."""
    return {n: METADATA[n] for n in names if n in METADATA}


def value_at(report: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in a network report, None where absent; a list counts as its
    length (isolates, bridges: the report lists them, the indicator counts them)."""
    value: Any = report
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return len(value) if isinstance(value, list) else value


def _check() -> None:
    """Refuse an inconsistent table at import time, naming the row."""
    if len(METRICS) != len(_METRICS) or len(INDICATORS) != len(_INDICATORS):
        raise ValueError("a metric or indicator key appears twice")
    lessons = [k for lesson in LESSONS for k in lesson.indicators]
    for ind in _INDICATORS:
        where = f"indicator {ind.key!r}"
        if ind.fmt not in FORMATS:
            raise ValueError(f"{where}: unknown format {ind.fmt!r}")
        if ind.metric is not None and ind.metric not in METRICS:
            raise ValueError(f"{where}: unknown metric {ind.metric!r}")
        if ind.headline and ind.path is None:
            raise ValueError(f"{where}: a headline indicator needs a path in the report")
        if ind.rule is not None and ind.rule.fmt != ind.fmt:
            raise ValueError(f"{where}: its rule is stated as {ind.rule.fmt}, not {ind.fmt}")
        if (ind.key in lessons) != (ind.sentence is not None):
            raise ValueError(f"{where}: a scorecard indicator has a sentence, others do not")
        if ind.reading is not None and ind.reading.threshold is None and ind.rule is None:
            raise ValueError(f"{where}: its reading follows a rule it does not have")
    unknown = [k for k in lessons if k not in INDICATORS]
    if unknown or len(set(lessons)) != len(lessons):
        raise ValueError(f"lessons name unknown or repeated indicators: {unknown or lessons}")


_check()
