"""Every word of the web pages in Dutch and English, and how their dates are written.

Words of the map itself live in :mod:`visualize.i18n`; kinds and tie types in
:mod:`graphsvc.vocabulary`; the name, number format, explanation and rule of every
indicator, and the scorecard's sentences, in :mod:`graphsvc.metrics.indicators`.  This
module adds the pages around them: the navigation, the start, proeftuin, comparison and
national pages.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "LANGS",
    "NAV",
    "TEXT",
    "SHORT_KINDS",
    "SIGNALS",
    "CARD_INDICATORS",
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
        "trend": "Verloop",
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
        "trend": "Trend",
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

#: (word, symbol) per signal of the scorecard; the word is always shown, the
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

#: The scorecard indicators shown on each card of the start page, one or two per lesson.
CARD_INDICATORS: tuple[str, ...] = (
    "largest_component_share",
    "degree_centralization",
    "single_funder_share",
    "initiative_visibility",
)


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


#: Words of the survey's aggregates on the scorecard and the comparison (context only: no
#: signal), from the latest closed survey round (graphsvc.survey.service.latest_figures).
SURVEY_CARD: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Gelijkwaardigheid (enquête)",
        "from_round": "Uit de enquêteronde \u201c{title}\u201d, gesloten op {date}: gemiddelden "
        "op een schaal van 1 tot 5, met het aantal antwoorden (n). Onder 3 antwoorden tonen "
        "we niets (\u2014). Ter informatie, zonder signaal.",
        "no_round": "Nog geen gesloten enquêteronde in deze proeftuin (\u2014).",
        "pair": "{source} \u2192 {target}",
        "figures": "Gelijkwaardigheid {equality}; vertrouwen {trust}.",
        "figure": "{mean} (n = {n})",
        "compare_row": "Gelijkwaardigheid (enquête)",
        "compare_hint": "Gemiddelde score gelijkwaardigheid (1 tot 5) in de laatst gesloten "
        "enquêteronde, met het aantal antwoorden; \u2014 bij minder dan 3 of zonder enquête.",
    },
    "en": {
        "title": "Equality (survey)",
        "from_round": "From the survey round \u201c{title}\u201d, closed on {date}: means on a "
        "scale of 1 to 5, with the number of answers (n). Under 3 answers nothing is shown "
        "(\u2014). For context, without a signal.",
        "no_round": "No closed survey round in this proeftuin yet (\u2014).",
        "pair": "{source} \u2192 {target}",
        "figures": "Equality {equality}; trust {trust}.",
        "figure": "{mean} (n = {n})",
        "compare_row": "Equality (survey)",
        "compare_hint": "Mean equality score (1 to 5) in the latest closed survey round, with "
        "the number of answers; \u2014 under 3 answers or without a survey.",
    },
}
