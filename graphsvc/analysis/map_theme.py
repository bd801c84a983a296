"""What the maps of graphsvc show: the vocabulary, its look and its words, for the renderer.

:mod:`visualize` draws any network and knows no domain; this module tells it ours, as one
:class:`visualize.theme.MapTheme`:

- every actor kind and tie type of :mod:`graphsvc.vocabulary` with its Dutch and English
  labels, sentence and direction;
- their look: a colour from the Okabe–Ito palette and a shape per kind, a colour, width and
  line pattern per tie type (funding, the tie the audience asks about, stands out);
- the Gould–Fernandez brokerage roles [1]_ of :mod:`graphsvc.metrics.brokerage`, named
  here and explained by :func:`graphsvc.metrics.brokerage.describe_role`;
- who may see residents' real names (analysts), in the notice on the page.

References
----------
.. [1] Gould, R. V. and Fernandez, R. M. (1989). "Structures of mediation: a formal
   approach to brokerage in transaction networks." Sociological Methodology 19: 89–126.
"""

from __future__ import annotations

from graphsvc.metrics.brokerage import ROLES, describe_role
from graphsvc.vocabulary import KIND_KEYS, KINDS, TIE_TYPE_KEYS, TIE_TYPES
from visualize.style import OKABE_ITO, KindStyle, TieStyle
from visualize.theme import ActorKind, BrokerRole, MapTheme, TieKind

__all__ = ["KIND_STYLES", "TIE_STYLES", "ROLE_HEADLINES", "MAP_TEXTS", "MAP_THEME"]

#: Fill colour and shape of every actor kind: each kind has its own of both.
KIND_STYLES: dict[str, KindStyle] = {
    "resident": KindStyle(OKABE_ITO["orange"], "dot"),
    "initiative": KindStyle(OKABE_ITO["bluish_green"], "square"),
    "official": KindStyle(OKABE_ITO["blue"], "triangle"),
    "funder": KindStyle(OKABE_ITO["vermillion"], "diamond"),
    "organisation": KindStyle(OKABE_ITO["reddish_purple"], "hexagon"),
}

# Funding is the tie the audience asks about ("who pays whom?"): thickest line,
# long dashes, vermillion. Symmetric ties are plain lines without arrows.
TIE_STYLES: dict[str, TieStyle] = {
    "knows": TieStyle("#777777", 1.5, False),
    "collaborates": TieStyle("#333333", 3.0, False),
    "contacts": TieStyle(OKABE_ITO["sky_blue"], 2.5, [2, 5]),
    "advises": TieStyle(OKABE_ITO["blue"], 2.5, [10, 6]),
    "supports": TieStyle(OKABE_ITO["bluish_green"], 3.0, False),
    "funds": TieStyle(OKABE_ITO["vermillion"], 6.0, [16, 7]),
    "member_of": TieStyle(OKABE_ITO["reddish_purple"], 2.0, [12, 4, 2, 4]),
}

#: How the details panel names an actor's main brokerage role, before explaining it.
ROLE_HEADLINES: dict[str, dict[str, str]] = {
    "coordinator": {"nl": "Vooral coördinator.", "en": "Mainly a coordinator."},
    "itinerant": {
        "nl": "Vooral bemiddelaar van buiten.",
        "en": "Mainly an outside go-between (itinerant).",
    },
    "representative": {"nl": "Vooral vertegenwoordiger.", "en": "Mainly a representative."},
    "gatekeeper": {"nl": "Vooral poortwachter.", "en": "Mainly a gatekeeper."},
    "liaison": {"nl": "Vooral verbindingspersoon.", "en": "Mainly a liaison."},
}

#: Page words of ours: who may see real names (graphsvc.web.auth: analysts and above), and
#: what a dashed tie is (graphsvc.analysis.map_content.map_ties: an unconfirmed survey tie).
MAP_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        # the groups of the national map are the proeftuinen
        "groups_heading": "Proeftuinen",
        "group_overview": "Overzicht: elke proeftuin als één bolletje",
        "legend_dashed": "onbevestigd — door één kant genoemd",
        "names_visible": (
            "Deze kaart toont echte namen. Alleen wie namen mag zien (analisten) mag haar "
            "bekijken; geef het bestand niet door."
        ),
        "names_hidden": (
            "Namen van bewoners zijn vervangen door schuilnamen. Echte namen zijn alleen "
            "zichtbaar voor analisten."
        ),
    },
    "en": {
        "groups_heading": "Proeftuinen (pilot sites)",
        "group_overview": "Overview: each proeftuin as one circle",
        "legend_dashed": "unconfirmed — named by one side",
        "names_visible": (
            "This map shows real names. Only people allowed to see names (analysts) may view "
            "it; do not pass the file on."
        ),
        "names_hidden": (
            "Residents' names have been replaced by pseudonyms. Real names are visible to "
            "analysts only."
        ),
    },
}

_BROKER_ROLES = tuple(role for role in ROLES if role != "total")

if (
    set(KIND_STYLES) != set(KIND_KEYS)
    or set(TIE_STYLES) != set(TIE_TYPE_KEYS)
    or set(ROLE_HEADLINES) != set(_BROKER_ROLES)
):  # pragma: no cover
    raise RuntimeError(
        "graphsvc.analysis.map_theme must style every kind and tie type of the vocabulary "
        "and name every brokerage role"
    )

#: The theme of every map the service renders: every kind and tie type of the vocabulary
#: (in its order, which is the legend's), the five brokerage roles in sna's order (which
#: breaks equal counts), and our words about names.
MAP_THEME = MapTheme(
    kinds=tuple(
        ActorKind(
            key=k.key,
            one={"nl": k.nl, "en": k.en},
            many={"nl": k.nl_plural, "en": k.en_plural},
            style=KIND_STYLES[k.key],
            # two hundred residents cannot all be named at "fit all": the others can
            minor=k.key == "resident",
        )
        for k in KINDS.values()
    ),
    tie_types=tuple(
        TieKind(
            key=t.key,
            label={"nl": t.nl, "en": t.en},
            sentence={"nl": t.nl_sentence, "en": t.en_sentence},
            directed=t.directed,
            style=TIE_STYLES[t.key],
        )
        for t in TIE_TYPES.values()
    ),
    roles=tuple(
        BrokerRole(
            key=role,
            headline=ROLE_HEADLINES[role],
            explanation={lang: describe_role(role, lang) for lang in ("nl", "en")},
        )
        for role in _BROKER_ROLES
    ),
    texts=MAP_TEXTS,
)
