"""Every word of the map page itself, in Dutch and English, and the mechanism that switches them.

The words here are the renderer's own and name nothing of any domain: the controls
(search, zoom, date, presentation), the marks it draws (brokers, articulation points) and
the sentences around a brokerage count.  What the actors and ties are called, how each
brokerage role is named and explained, and any page word the caller wants to say
differently (``MapTheme.texts``) come from the caller's :class:`visualize.theme.MapTheme`.

References
----------
.. [1] Gould, R. V. and Fernandez, R. M. (1989). "Structures of mediation: a formal
   approach to brokerage in transaction networks." Sociological Methodology 19: 89–126.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the theme's types only; visualize.theme itself reads the words below
    from .theme import MapTheme

__all__ = [
    "LANGS",
    "UI",
    "words",
    "catalogue",
    "group_label",
    "dominant_role",
    "brokerage_total",
    "about_actor",
]

#: The languages of every map page: it opens in one and a button switches to the other.
LANGS: tuple[str, ...] = ("nl", "en")

#: Words of the page. ``{...}`` fields are filled in by the page script.  A caller replaces
#: any of them through ``MapTheme.texts`` (who may see real names is the caller's rule).
UI: dict[str, dict[str, str]] = {
    "nl": {
        "lang_name": "Nederlands",
        "switch_lang": "English",
        "switch_lang_label": "Switch to English",
        "search_label": "Zoek op naam",
        "search_placeholder": "bijvoorbeeld Çelik",
        "search_none": "Niemand gevonden met deze naam.",
        "search_hidden": "verborgen door filter",
        "size_label": "Grootte van de bolletjes volgens",
        "metric_degree": "aantal verbindingen",
        "metric_betweenness": "tussenpositie (betweenness)",
        "metric_brokerage": "makelaarsrollen (totaal)",
        "metrics_note": "Grootte en markeringen zijn berekend voor {date}.",
        "brokerage_note": "Makelaarsrollen gelden voor {date}.",
        "date_label": "Netwerk op",
        "date_prev": "Vorige maand",
        "date_next": "Volgende maand",
        "play": "Afspelen",
        "pause": "Pauzeren",
        "legend_kinds": "Soorten actoren",
        "legend_ties": "Soorten verbindingen",
        "legend_marks": "Markeringen",
        "legend_hint": "Vink uit om te verbergen.",
        "legend_dashed": "Gestreepte lijn: een verbinding met een kanttekening",
        "arrow_hint": "Een pijl wijst van wie de band uitgaat naar wie hij gaat.",
        "mark_broker": "Ring: makelaar, verbindt anderen die elkaar niet rechtstreeks kennen",
        "mark_articulation": (
            "Gestreepte ring: als deze actor wegvalt, raakt een deel van het netwerk los"
        ),
        "details_heading": "Geselecteerd",
        "details_empty": "Klik op een actor of zoek een naam om te zien wie met wie verbonden is.",
        "details_ties": "Verbindingen op deze datum",
        "details_no_ties": "Geen verbindingen op deze datum.",
        "clear_selection": "Selectie wissen",
        "presentation": "Presentatie",
        "exit_presentation": "Presentatie stoppen",
        "download_png": "Afbeelding downloaden (PNG)",
        "fit": "Alles in beeld",
        "groups_heading": "Groepen",
        "groups_hint": "Klik op een naam om in te zoomen; Esc of ‘Alles in beeld’ gaat terug.",
        "group_count": "{n} actoren",
        "group_zoom": "Inzoomen op {name}",
        "group_current": "In beeld: {name}",
        "group_page": "Open de pagina van {name}",
        "group_back": "Terug naar alles",
        "group_overview": "Overzicht: elke groep als één bolletje",
        "group_shared": "{n} gedeelde actoren",
        "group_shared_one": "1 gedeelde actor",
        "fictional": "Fictieve gegevens: alle namen en verbindingen op deze kaart zijn verzonnen.",
        "names_visible": "Deze kaart toont echte namen; geef het bestand niet door.",
        "names_hidden": "Namen van personen zijn vervangen door schuilnamen.",
        "counts": "{actors} actoren en {ties} verbindingen in beeld",
        "map_label": (
            "Netwerkkaart. Pijltjestoetsen schuiven, plus en min zoomen; "
            "gebruik het zoekveld om een actor te kiezen."
        ),
        "keyboard_help": (
            "Toetsen: / zoeken, P presentatie, F alles in beeld, L legenda, "
            "Esc selectie wissen of presentatie stoppen, pijltjes en +/− in de kaart."
        ),
        "kind": "Soort",
        "group": "Groep",
        "degree": "Verbindingen",
        "betweenness": "Tussenpositie",
        "brokerage_total": "Makelaarsrollen",
        "broker_badge": "makelaar",
        "articulation_badge": "verbindingspunt",
        "tie_since": "sinds {date}",
        "tie_until": "tot {date}",
        "controls": "Bediening",
        "and": "en",
        "plain_ties": "Heeft banden met {list}.",
        "plain_links": "Verbindt {first} met {rest}.",
        "plain_alone": "Heeft op deze datum geen banden.",
        "only_hood": "Alleen deze buurt",
        "mark_broker_short": "makelaar",
        "mark_articulation_short": "verbindingspunt",
        "hops_label": "Buurt",
        "hops_1": "1 stap",
        "hops_2": "2 stappen",
        "legend": "Legenda",
        "hide_legend": "Legenda verbergen",
        "toolbar": "Presentatie-werkbalk",
        "map_toolbar": "Kaartwerkbalk",
        "export_heading": "Kaart opslaan",
        "export_size": "Formaat",
        "export_view": "Wat",
        "export_current": "huidige weergave",
        "export_whole": "hele kaart",
        "export_png": "PNG opslaan",
        "export_svg": "SVG opslaan",
        "export_menu": "Opslaan",
        "export_menu_title": "Kaart opslaan als afbeelding (PNG) of vector (SVG)",
        "export_hint": (
            "PNG: een plaatje voor een presentatie. SVG: scherp op elk formaat, voor een rapport "
            "of een poster."
        ),
        "exported_on": "Netwerk op {date}",
        "since_meeting": "Sinds bijeenkomst",
        "since_none": "(geen)",
        "meeting_marker": "Bijeenkomst {title}, {date}",
        "introductions": "Voorgestelde kennismakingen tonen",
        "introduction_tip": "Voorstel: {source} en {target} kennismaken. {reason}",
    },
    "en": {
        "lang_name": "English",
        "switch_lang": "Nederlands",
        "switch_lang_label": "Wissel naar Nederlands",
        "search_label": "Search by name",
        "search_placeholder": "for example Çelik",
        "search_none": "No one found with this name.",
        "search_hidden": "hidden by a filter",
        "size_label": "Size of the shapes by",
        "metric_degree": "number of ties",
        "metric_betweenness": "in-between position (betweenness)",
        "metric_brokerage": "brokerage roles (total)",
        "metrics_note": "Sizes and marks were computed for {date}.",
        "brokerage_note": "Brokerage roles are those of {date}.",
        "date_label": "Network on",
        "date_prev": "Previous month",
        "date_next": "Next month",
        "play": "Play",
        "pause": "Pause",
        "legend_kinds": "Kinds of actors",
        "legend_ties": "Kinds of ties",
        "legend_marks": "Marks",
        "legend_hint": "Untick to hide.",
        "legend_dashed": "Dashed line: a tie with a caveat",
        "arrow_hint": "An arrow points from whoever the tie starts with to whom it goes.",
        "mark_broker": "Ring: broker, links others who do not know each other directly",
        "mark_articulation": (
            "Dashed ring: if this actor drops out, part of the network is cut off"
        ),
        "details_heading": "Selected",
        "details_empty": "Click an actor or search for a name to see who is connected to whom.",
        "details_ties": "Ties on this date",
        "details_no_ties": "No ties on this date.",
        "clear_selection": "Clear selection",
        "presentation": "Presentation",
        "exit_presentation": "Exit presentation",
        "download_png": "Download image (PNG)",
        "fit": "Show everything",
        "groups_heading": "Groups",
        "groups_hint": "Click a name to zoom in; Esc or ‘Show everything’ goes back.",
        "group_count": "{n} actors",
        "group_zoom": "Zoom in on {name}",
        "group_current": "Showing: {name}",
        "group_page": "Open the page of {name}",
        "group_back": "Back to everything",
        "group_overview": "Overview: each group as one circle",
        "group_shared": "{n} shared actors",
        "group_shared_one": "1 shared actor",
        "fictional": "Fictional data: every name and tie on this map is made up.",
        "names_visible": "This map shows real names; do not pass the file on.",
        "names_hidden": "Names of people have been replaced by pseudonyms.",
        "counts": "{actors} actors and {ties} ties in view",
        "map_label": (
            "Network map. Arrow keys pan, plus and minus zoom; use the search box to pick an actor."
        ),
        "keyboard_help": (
            "Keys: / search, P presentation, F show everything, L legend, "
            "Esc clear selection or leave presentation, arrows and +/− in the map."
        ),
        "kind": "Kind",
        "group": "Group",
        "degree": "Ties",
        "betweenness": "In-between position",
        "brokerage_total": "Brokerage roles",
        "broker_badge": "broker",
        "articulation_badge": "cut point",
        "tie_since": "since {date}",
        "tie_until": "until {date}",
        "controls": "Controls",
        "and": "and",
        "plain_ties": "Has ties with {list}.",
        "plain_links": "Links {first} with {rest}.",
        "plain_alone": "Has no ties on this date.",
        "only_hood": "Only this neighbourhood",
        "mark_broker_short": "broker",
        "mark_articulation_short": "cut point",
        "hops_label": "Neighbourhood",
        "hops_1": "1 step",
        "hops_2": "2 steps",
        "legend": "Legend",
        "hide_legend": "Hide legend",
        "toolbar": "Presentation toolbar",
        "map_toolbar": "Map toolbar",
        "export_heading": "Save the map",
        "export_size": "Size",
        "export_view": "What",
        "export_current": "current view",
        "export_whole": "whole map",
        "export_png": "Save PNG",
        "export_svg": "Save SVG",
        "export_menu": "Save",
        "export_menu_title": "Save the map as a picture (PNG) or a vector drawing (SVG)",
        "export_hint": (
            "PNG: a picture for a slide. SVG: sharp at any size, for a report or a poster."
        ),
        "exported_on": "Network on {date}",
        "since_meeting": "Since meeting",
        "since_none": "(none)",
        "meeting_marker": "Meeting {title}, {date}",
        "introductions": "Show suggested introductions",
        "introduction_tip": "Suggestion: {source} and {target} meet. {reason}",
    },
}

# Sentences around an actor's brokerage count; the role itself is named by the caller.
_ROLE_SENTENCES: dict[str, dict[str, str]] = {
    "nl": {
        "none": "{name} staat niet tussen anderen die elkaar niet al rechtstreeks kennen.",
        "count": "{name} staat {n} keer tussen twee anderen zonder rechtstreekse band.",
        "count_one": "{name} staat één keer tussen twee anderen zonder rechtstreekse band.",
        "articulation": "Als {name} wegvalt, raakt een deel van het netwerk los.",
    },
    "en": {
        "none": "{name} does not stand between others who are not already directly connected.",
        "count": "{name} stands {n} times between two others without a direct tie.",
        "count_one": "{name} stands once between two others without a direct tie.",
        "articulation": "If {name} drops out, part of the network is cut off.",
    },
}


def words(theme: MapTheme, lang: str) -> dict[str, str]:
    """The page words in ``lang``: the renderer's own, with the theme's replacements."""
    return {**UI[lang], **theme.texts.get(lang, {})}


def group_label(group: str, lang: str, theme: MapTheme) -> str:
    """Readable name of a group: the plural kind label for a kind, else the group as given."""
    if group in theme.kind_keys:
        return theme.kind(group).many[lang]
    return str(group)


def dominant_role(
    brokerage: Mapping[str, int | float | None] | None, roles: Sequence[str]
) -> str | None:
    """The role with the highest count (ties broken in ``roles`` order); None when all are 0."""
    if not brokerage:
        return None
    best, best_count = None, 0.0
    for role in roles:
        count = brokerage.get(role) or 0
        if count > best_count:
            best, best_count = role, count
    return best


def brokerage_total(
    brokerage: Mapping[str, int | float | None] | None, roles: Sequence[str]
) -> float:
    """``total`` when given, else the sum of ``roles`` (missing values count as 0)."""
    if not brokerage:
        return 0.0
    total = brokerage.get("total")
    if total is not None:
        return float(total)
    return float(sum(brokerage.get(role) or 0 for role in roles))


def about_actor(name: str, metrics: Mapping, lang: str, theme: MapTheme) -> list[str]:
    """Plain-language sentences about an actor's brokerage role, for tooltips and the details panel.

    Parameters
    ----------
    name : display name (already pseudonymised by the caller when needed)
    metrics : the actor's metrics; reads ``brokerage`` ({role: count}) and ``articulation_point``
    lang : "nl" or "en"
    theme : names and explains the roles (``theme.roles``)

    Returns
    -------
    list of str: the dominant role, named and explained by the theme (or that the actor
    brokers nothing), how often it brokers, and a warning when the actor is an
    articulation point.
    """
    sentences = _ROLE_SENTENCES[lang]
    brokerage = metrics.get("brokerage") or {}
    role = dominant_role(brokerage, theme.role_keys)
    total = brokerage_total(brokerage, theme.role_keys)
    out = []
    if role is None:
        out.append(sentences["none"].format(name=name))
    else:
        about = theme.role(role)
        out.append(f"{about.headline[lang]} {about.explanation[lang]}")
        n = int(total) if float(total).is_integer() else round(total, 1)
        key = "count_one" if n == 1 else "count"
        out.append(sentences[key].format(name=name, n=n))
    if metrics.get("articulation_point"):
        out.append(sentences["articulation"].format(name=name))
    return out


def catalogue(theme: MapTheme) -> dict[str, dict]:
    """All the page script needs to switch language: page words, kinds, tie types, locale."""
    out: dict[str, dict] = {}
    for lang in LANGS:
        out[lang] = {
            "ui": words(theme, lang),
            "kinds": {k.key: {"one": k.one[lang], "many": k.many[lang]} for k in theme.kinds},
            "ties": {
                t.key: {
                    "label": t.label[lang],
                    "sentence": t.sentence[lang],
                    "directed": t.directed,
                }
                for t in theme.tie_types
            },
            "locale": "en-GB" if lang == "en" else "nl-NL",
        }
    return out
