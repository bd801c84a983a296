"""The documented question set of a survey round: name generators and per-relation scales.

A round asks a few *name generators* ("With whom do you work together?"), each mapped to
one tie type of :mod:`graphsvc.vocabulary` and a direction: ``out`` makes a tie from the
respondent to the person named, ``in`` one from the person named to the respondent.  For
each person named, a round may ask *scales*: how often, trust (two items) and equality
(two items).  The items are our own wording, kept short for a phone; they are not a
validated instrument.  Answers on the 1-5 items are 1..5, or 0 for "don't know".

Everything a respondent reads is here in Dutch and English (Dutch first).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.vocabulary import TIE_TYPES

__all__ = [
    "Generator",
    "Scale",
    "GENERATORS",
    "SCALES",
    "AGREE_OPTIONS",
    "FREQUENCY_OPTIONS",
    "DONT_KNOW",
    "MAX_QUESTIONS",
    "MAX_NAMED",
]

#: At most this many questions in one round, and people named per question: a phone
#: survey that asks more is not answered, and the bounds keep a stored answer small.
MAX_QUESTIONS = 12
MAX_NAMED = 40
#: The value of "weet niet / don't know" on every scale.
DONT_KNOW = 0


@dataclass(frozen=True)
class Generator:
    key: str
    tie_type: str  # a key of vocabulary.TIE_TYPES
    direction: str  # "out": respondent -> named; "in": named -> respondent
    nl: str
    en: str


@dataclass(frozen=True)
class Scale:
    """One item on a 1..N scale (N = len(options)), plus "don't know" (0)."""

    key: str
    group: str  # the scale it belongs to: frequency, trust, equality
    nl: str
    en: str


GENERATORS: dict[str, Generator] = {
    g.key: g
    for g in (
        Generator(
            "collaborates",
            "collaborates",
            "out",
            "Met wie werkt u samen?",
            "With whom do you work together?",
        ),
        Generator(
            "knows", "knows", "out", "Wie kent u persoonlijk?", "Whom do you know personally?"
        ),
        Generator(
            "support_received",
            "supports",
            "in",
            "Van wie krijgt u steun?",
            "From whom do you get support?",
        ),
        Generator(
            "support_given",
            "supports",
            "out",
            "Aan wie geeft u steun?",
            "To whom do you give support?",
        ),
        Generator(
            "contacted_by",
            "contacts",
            "in",
            "Wie neemt contact met u op?",
            "Who gets in touch with you?",
        ),
        Generator(
            "contacts",
            "contacts",
            "out",
            "Met wie neemt u contact op?",
            "Whom do you get in touch with?",
        ),
        Generator(
            "advice_received",
            "advises",
            "in",
            "Van wie krijgt u advies?",
            "From whom do you get advice?",
        ),
        Generator(
            "advice_given",
            "advises",
            "out",
            "Aan wie geeft u advies?",
            "To whom do you give advice?",
        ),
        Generator(
            "funded_by",
            "funds",
            "in",
            "Van wie krijgt u geld (subsidie, bijdrage)?",
            "From whom do you get money (a grant, a contribution)?",
        ),
    )
}

SCALES: dict[str, tuple[Scale, ...]] = {
    "frequency": (
        Scale(
            "frequency",
            "frequency",
            "Hoe vaak had u de afgelopen zes maanden contact?",
            "How often were you in touch in the last six months?",
        ),
    ),
    "trust": (
        Scale(
            "reliability",
            "trust",
            "Ik kan erop rekenen dat zij doen wat is afgesproken.",
            "I can count on them to do what was agreed.",
        ),
        Scale(
            "openness",
            "trust",
            "Wij delen informatie open met elkaar.",
            "We share information openly with each other.",
        ),
    ),
    "equality": (
        Scale(
            "equal_partners",
            "equality",
            "Wij werken als gelijkwaardige partners samen.",
            "We work together as equal partners.",
        ),
        Scale("input_counts", "equality", "Mijn inbreng telt mee.", "My input counts."),
    ),
}

#: Every item by key.
ITEMS: dict[str, Scale] = {s.key: s for group in SCALES.values() for s in group}

#: (value, Dutch, English) of the agreement items, then of how often; 0 is "don't know".
AGREE_OPTIONS: tuple[tuple[int, str, str], ...] = (
    (1, "Helemaal oneens", "Strongly disagree"),
    (2, "Oneens", "Disagree"),
    (3, "Niet eens, niet oneens", "Neither agree nor disagree"),
    (4, "Eens", "Agree"),
    (5, "Helemaal eens", "Strongly agree"),
    (DONT_KNOW, "Weet niet", "Don't know"),
)
FREQUENCY_OPTIONS: tuple[tuple[int, str, str], ...] = (
    (1, "Nooit", "Never"),
    (2, "Een paar keer", "A few times"),
    (3, "Maandelijks", "Monthly"),
    (4, "Wekelijks", "Weekly"),
    (DONT_KNOW, "Weet niet", "Don't know"),
)


def options(item: str) -> tuple[tuple[int, str, str], ...]:
    """The answer options of an item."""
    return FREQUENCY_OPTIONS if item == "frequency" else AGREE_OPTIONS


def items_of(scales: list[str]) -> list[Scale]:
    """The items of the named scale groups, in the catalogue's order."""
    return [item for group, found in SCALES.items() if group in scales for item in found]


if not all(g.tie_type in TIE_TYPES and g.direction in ("in", "out") for g in GENERATORS.values()):
    raise RuntimeError("every survey generator must name a vocabulary tie type and a direction")
