"""Every word of the web pages in Dutch and English, and how their numbers are written.

Words of the map itself live in :mod:`visualize.i18n`; kinds and tie types in
:mod:`graphsvc.vocabulary`; the sentences of the health scorecard in
:mod:`graphsvc.metrics.scorecard`.  This module adds the pages around them: the
navigation, the start, proeftuin, comparison and national pages, and a readable
name, format and explanation for every indicator they show.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "LANGS",
    "NAV",
    "TEXT",
    "SHORT_KINDS",
    "SIGNALS",
    "INDICATORS",
    "CARD_INDICATORS",
    "rule_text",
    "format_value",
    "format_date",
]

LANGS: tuple[str, ...] = ("nl", "en")

NAV: dict[str, dict[str, str]] = {
    "nl": {
        "skip": "Naar de inhoud",
        "menu": "Hoofdmenu",
        "home": "Start",
        "compare": "Vergelijken",
        "national": "Landelijk netwerk",
        "guide": "Handleiding",
        "api": "API-documentatie",
        "other": "English",
        "other_lang": "en",
        "other_label": "Switch to English",
    },
    "en": {
        "skip": "Skip to content",
        "menu": "Main menu",
        "home": "Start",
        "compare": "Compare",
        "national": "National network",
        "guide": "Guide",
        "api": "API documentation",
        "other": "Nederlands",
        "other_lang": "nl",
        "other_label": "Wissel naar Nederlands",
    },
}

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # start page
        "title": "Netwerken van bewonersinitiatieven",
        "intro": "Relaties tussen bewoners, bewonersinitiatieven, gemeenten en fondsen in de "
        "proeftuinen.",
        "proeftuin": "Proeftuin",
        "municipality": "Gemeente",
        "actors": "Actoren",
        "meetings": "Bijeenkomsten",
        "fictional": "Fictieve demogegevens: alle personen, organisaties en relaties zijn "
        "verzonnen.",
        "empty": "Er zijn nog geen proeftuinen. Laad de demogegevens met: graphsvc seed",
        "size": "Omvang",
        "health_on": "Gezondheid op {date}",
        "open": "Kaart en gezondheid van {name}",
        "guide_intro": "Een kaart laten zien in een bijeenkomst, ook zonder internet?",
        "guide_link": "Lees de handleiding voor begeleiders",
        "compare_intro": "Proeftuinen naast elkaar zien?",
        "compare_link": "Vergelijk proeftuinen",
        "national_more": "Alle proeftuinen samen, verbonden door de landelijke fondsen:",
        "national_link": "bekijk het landelijke netwerk",
        # proeftuin and national pages
        "municipality_of": "Gemeente {name}",
        "date_heading": "Datum",
        "date_label": "Kaart en cijfers op datum",
        "date_submit": "Toon",
        "date_help": "De kaart opent op deze datum; met de schuifregelaar in de kaart kijkt u "
        "terug of vooruit. De grootte van de bolletjes en de cijfers gelden voor "
        "deze datum.",
        "meetings_label": "Of kies een bijeenkomst:",
        "map_heading": "Netwerkkaart",
        "map_frame": "Netwerkkaart van {name} op {date}",
        "download": "Download de kaart",
        "download_help": "Eén HTML-bestand dat zonder internet werkt: zet het op een USB-stick "
        "of laptop en open het in de browser.",
        "open_alone": "Open de kaart in een eigen venster",
        "one_mode": "De kaart toont alle relaties tussen actoren met hun datum: {types}. "
        "Lidmaatschap ({member_of}) verbindt een persoon met een groep en staat "
        "daarom niet op de kaart en telt niet mee in de cijfers.",
        "names_hidden": "Namen van bewoners zijn vervangen door schuilnamen zoals "
        "\u201cBewoner 17\u201d; die blijven bij de volgende bijeenkomst "
        "hetzelfde. Alleen analisten zien de echte namen.",
        "names_visible": "U ziet de echte namen van bewoners. Laat de kaart alleen zien aan "
        "wie die namen mag zien, en geef het bestand niet door.",
        "layout_heading": "Plaatsen op de kaart",
        "layout_help": "De plaats van elke actor wordt één keer berekend en bewaard, zodat de "
        "kaart er bij de volgende bijeenkomst hetzelfde uitziet. Nieuwe actoren "
        "krijgen vanzelf een plek. Opnieuw schikken berekent alle plaatsen "
        "opnieuw.",
        "layout_button": "Kaart opnieuw schikken",
        "health_heading": "Gezondheid van het netwerk op {date}",
        "indicator": "Indicator",
        "value": "Waarde",
        "signal": "Signaal",
        "explanation": "Uitleg",
        "rule": "Vuistregel: {rule}.",
        "nobody": "niemand",
        "national_title": "Landelijk netwerk",
        "national_intro": "Alle proeftuinen samen. Landelijke fondsen werken in meerdere "
        "proeftuinen en verbinden ze.",
        # compare page
        "compare_title": "Proeftuinen vergelijken",
        "compare_pick": "Kies twee of meer proeftuinen",
        "compare_submit": "Vergelijk",
        "compare_need_two": "Kies er minstens twee.",
        "compare_caption": "Kerncijfers op {date}",
        "compare_signals": "Een signaal \u201clet op\u201d komt uit de gezondheidscheck van "
        "de proeftuin; het is een vuistregel, geen oordeel.",
        # guide
        "guide_title": "Handleiding voor begeleiders",
        "guide_missing": "De handleiding is niet meegeleverd in deze installatie.",
    },
    "en": {
        "title": "Networks of resident initiatives",
        "intro": "Relationships between residents, resident initiatives, municipalities and "
        "funds in the pilot sites (proeftuinen).",
        "proeftuin": "Pilot site (proeftuin)",
        "municipality": "Municipality",
        "actors": "Actors",
        "meetings": "Meetings",
        "fictional": "Fictional demo data: every person, organisation and tie is made up.",
        "empty": "There are no proeftuinen yet. Load the demo data with: graphsvc seed",
        "size": "Size",
        "health_on": "Health on {date}",
        "open": "Map and health of {name}",
        "guide_intro": "Showing a map at a meeting, even without internet?",
        "guide_link": "Read the facilitator's guide",
        "compare_intro": "Proeftuinen side by side?",
        "compare_link": "Compare proeftuinen",
        "national_more": "All proeftuinen together, connected by the national funds:",
        "national_link": "see the national network",
        "municipality_of": "Municipality of {name}",
        "date_heading": "Date",
        "date_label": "Map and figures on",
        "date_submit": "Show",
        "date_help": "The map opens on this date; the slider in the map looks back or ahead. "
        "Shape sizes and figures are those of this date.",
        "meetings_label": "Or pick a meeting:",
        "map_heading": "Network map",
        "map_frame": "Network map of {name} on {date}",
        "download": "Download the map",
        "download_help": "One HTML file that works without internet: put it on a USB stick "
        "or laptop and open it in the browser.",
        "open_alone": "Open the map on its own",
        "one_mode": "The map shows every tie between actors with its dates: {types}. "
        "Membership ({member_of}) links a person to a group, so it is not on the "
        "map and does not count in the figures.",
        "names_hidden": "Residents' names have been replaced by pseudonyms such as "
        "\u201cResident 17\u201d, which stay the same at the next meeting. "
        "Only analysts see the real names.",
        "names_visible": "You see residents' real names. Show the map only to people who may "
        "see those names, and do not pass the file on.",
        "layout_heading": "Places on the map",
        "layout_help": "Each actor's place is computed once and saved, so the map looks the "
        "same at the next meeting. New actors get a place by themselves. "
        "Laying out again computes every place anew.",
        "layout_button": "Lay out the map again",
        "health_heading": "Health of the network on {date}",
        "indicator": "Indicator",
        "value": "Value",
        "signal": "Signal",
        "explanation": "Explanation",
        "rule": "Rule of thumb: {rule}.",
        "nobody": "nobody",
        "national_title": "National network",
        "national_intro": "All proeftuinen together. National funds work in several "
        "proeftuinen and connect them.",
        "compare_title": "Compare proeftuinen",
        "compare_pick": "Pick two or more proeftuinen",
        "compare_submit": "Compare",
        "compare_need_two": "Pick at least two.",
        "compare_caption": "Headline figures on {date}",
        "compare_signals": "An \u201cattention\u201d signal comes from the proeftuin's health "
        "check; it is a rule of thumb, not a verdict.",
        "guide_title": "Facilitator's guide",
        "guide_missing": "The guide is not included in this installation.",
    },
}

#: Short plural names of the actor kinds, for the narrow size table of a card.
SHORT_KINDS: dict[str, dict[str, str]] = {
    "nl": {
        "resident": "bewoners",
        "initiative": "initiatieven",
        "official": "gemeente",
        "funder": "fondsen",
        "organisation": "organisaties",
    },
    "en": {
        "resident": "residents",
        "initiative": "initiatives",
        "official": "officials",
        "funder": "funds",
        "organisation": "partners",
    },
}

#: (word, symbol) per signal of the health scorecard; the word is always shown, the
#: symbol only adds to it (nothing depends on colour alone).
SIGNALS: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "attention": ("Let op", "\u26a0"),
        "ok": ("In orde", "\u2713"),
        "none": ("Geen waarde", "\u2013"),
    },
    "en": {
        "attention": ("Attention", "\u26a0"),
        "ok": ("OK", "\u2713"),
        "none": ("No value", "\u2013"),
    },
}

_RULES_NL = {
    "attention below 80%": "let op onder 80%",
    "attention when any": "let op bij één of meer",
    "context only": "alleen ter duiding",
    "attention below -0.3": "let op onder -0,3",
    "attention above 0.5": "let op boven 0,5",
    "attention below 30%": "let op onder 30%",
    "attention above 80%": "let op boven 80%",
    "attention above 50%": "let op boven 50%",
    "attention below 70%": "let op onder 70%",
}


def rule_text(rule: str, lang: str) -> str:
    """The scorecard's rule of thumb in ``lang`` (the scorecard states it in English)."""
    return _RULES_NL.get(rule, rule) if lang == "nl" else rule


def _ind(nl: str, en: str, fmt: str, expl_nl: str, expl_en: str) -> dict[str, str]:
    return {"nl": nl, "en": en, "format": fmt, "explanation_nl": expl_nl, "explanation_en": expl_en}


#: Name, number format (share, count, ratio, ratio3, list) and a plain explanation of every
#: indicator the pages show: the HEADLINE of graphsvc.metrics.report and the scorecard's.
INDICATORS: dict[str, dict[str, str]] = {
    "actors": _ind(
        "Actoren",
        "Actors",
        "count",
        "Aantal actoren in het netwerk.",
        "Number of actors in the network.",
    ),
    "ties": _ind(
        "Relaties",
        "Ties",
        "count",
        "Aantal relaties op deze datum (zonder lidmaatschap).",
        "Number of ties on this date (membership not included).",
    ),
    "density": _ind(
        "Dichtheid",
        "Density",
        "ratio3",
        "Deel van alle mogelijke relaties dat bestaat.",
        "Share of all possible ties that exist.",
    ),
    "weak_components": _ind(
        "Losse delen",
        "Separate parts",
        "count",
        "In hoeveel losse delen het netwerk uiteenvalt.",
        "How many separate parts the network has.",
    ),
    "strong_components": _ind(
        "Wederzijds bereikbare delen",
        "Mutually reachable parts",
        "count",
        "Delen waarin iedereen iedereen kan bereiken als je de richting van de relaties volgt.",
        "Parts in which everyone can reach everyone following the direction of the ties.",
    ),
    "largest_component_share": _ind(
        "Grootste samenhangende deel",
        "Largest connected part",
        "share",
        "Deel van de actoren dat bij het grootste samenhangende deel hoort.",
        "Share of the actors in the largest connected part.",
    ),
    "isolates": _ind(
        "Actoren zonder relatie",
        "Actors without a tie",
        "count",
        "Actoren die met niemand een relatie hebben.",
        "Actors without a tie to anyone.",
    ),
    "articulation_points": _ind(
        "Scharnierpunten",
        "Cut points",
        "count",
        "Actoren zonder wie het netwerk uiteenvalt.",
        "Actors without whom the network falls apart.",
    ),
    "bridges": _ind(
        "Bruggen",
        "Bridges",
        "count",
        "Relaties zonder welke het netwerk uiteenvalt.",
        "Ties without which the network falls apart.",
    ),
    "average_distance": _ind(
        "Gemiddelde afstand",
        "Average distance",
        "ratio",
        "Gemiddeld aantal stappen tussen actoren die elkaar kunnen bereiken.",
        "Average number of steps between actors that can reach each other.",
    ),
    "global_efficiency": _ind(
        "Globale efficiëntie",
        "Global efficiency",
        "ratio",
        "Hoe makkelijk informatie door het hele netwerk reist (0 tot 1).",
        "How easily information travels through the whole network (0 to 1).",
    ),
    "transitivity": _ind(
        "Transitiviteit",
        "Transitivity",
        "ratio",
        "Hoe vaak twee contacten van dezelfde actor elkaar ook kennen.",
        "How often two contacts of the same actor also know each other.",
    ),
    "degree_centralization": _ind(
        "Centralisatie",
        "Centralization",
        "ratio",
        "1: alles loopt via één spil; 0: iedereen even centraal.",
        "1: everything runs through one hub; 0: everyone equally central.",
    ),
    "betweenness_centralization": _ind(
        "Centralisatie van tussenposities",
        "Betweenness centralization",
        "ratio",
        "1: alle kortste wegen lopen via één actor.",
        "1: every shortest path runs through one actor.",
    ),
    "ei_index": _ind(
        "E-I-index",
        "E-I index",
        "ratio",
        "Naar 1: relaties lopen tussen groepen; naar -1: binnen de eigen groep.",
        "Towards 1: ties cross groups; towards -1: they stay within groups.",
    ),
    "assortativity": _ind(
        "Assortativiteit",
        "Assortativity",
        "ratio",
        "1: alleen binnen groepen; 0: als toeval; negatief: vooral tussen groepen.",
        "1: only within groups; 0: as random; negative: mostly across groups.",
    ),
    "single_funder_share": _ind(
        "Afhankelijk van één fonds",
        "Depending on one funder",
        "share",
        "Deel van de gefinancierde initiatieven met maar één fonds.",
        "Share of funded initiatives with only one funder.",
    ),
    "brokerage_total": _ind(
        "Makelaarschap",
        "Brokerage",
        "count",
        "Hoe vaak iemand twee anderen verbindt die elkaar niet direct kennen.",
        "How often someone links two others who have no direct tie.",
    ),
    "brokerage_total_z": _ind(
        "Makelaarschap (z-score)",
        "Brokerage (z-score)",
        "ratio",
        "Positief: meer makelaarschap dan een willekeurig netwerk van deze dichtheid.",
        "Positive: more brokerage than a random network of this density.",
    ),
    "reciprocity_initiative_official": _ind(
        "Wederkerigheid initiatief en gemeente",
        "Reciprocity initiative and municipality",
        "share",
        "",
        "",
    ),
    "contact_started_by_initiatives": _ind(
        "Contact begint bij het initiatief", "Contact started by the initiative", "share", "", ""
    ),
    "initiative_visibility": _ind(
        "Initiatieven in beeld bij gemeente of fonds",
        "Initiatives seen by municipality or fund",
        "share",
        "",
        "",
    ),
    "initiatives_brokering": _ind(
        "Initiatieven die groepen verbinden", "Initiatives connecting groups", "count", "", ""
    ),
    "top_brokers": _ind("Grootste verbinders", "Top connectors", "list", "", ""),
}

#: The scorecard indicators shown on each card of the start page, one or two per lesson.
CARD_INDICATORS: tuple[str, ...] = (
    "largest_component_share",
    "degree_centralization",
    "single_funder_share",
    "initiative_visibility",
)


def format_value(value: Any, fmt: str, lang: str) -> str:
    """A number as a person reads it: shares as percentages, Dutch decimal commas."""
    if value is None or isinstance(value, (list, dict)):
        return "\u2013"
    if fmt == "share":
        return f"{round(100 * float(value))}%"
    if fmt == "count" or isinstance(value, bool):
        return str(int(value))
    digits = 3 if fmt == "ratio3" else 2
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


_MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def format_date(day: Any, lang: str) -> str:
    """``1 september 2024`` / ``1 September 2024``."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
