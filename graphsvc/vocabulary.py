"""The one vocabulary of actor kinds and tie types.

Import, API, metrics and the map legend all read this module; nothing else
defines a kind, a tie type, a Neo4j label or a relationship type.  Labels and
relationship types cannot be Cypher parameters, so they are only ever taken
from the allow-lists here (docs/architecture.md, habit 3).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ActorKind",
    "TieType",
    "KINDS",
    "TIE_TYPES",
    "KIND_KEYS",
    "TIE_TYPE_KEYS",
    "ONE_MODE_TIE_TYPES",
    "kind",
    "tie_type",
    "tie_type_for_rel",
    "label",
]


@dataclass(frozen=True)
class ActorKind:
    """A kind of actor: the group of every group-based metric by default."""

    key: str
    label: str  # second Neo4j label of the :Actor node
    nl: str
    en: str
    nl_plural: str
    en_plural: str


@dataclass(frozen=True)
class TieType:
    """A tie type with its direction rule.

    ``directed`` is False for symmetric ties (stored once, read both ways).
    ``two_mode`` marks ties between an actor and a collective (membership):
    docs/metrics.md §0.5 keeps them out of one-mode measures.
    """

    key: str
    rel: str  # Neo4j relationship type
    directed: bool
    two_mode: bool
    nl: str
    en: str
    nl_sentence: str  # "{source} ... {target}"
    en_sentence: str


KINDS: dict[str, ActorKind] = {
    k.key: k
    for k in (
        ActorKind("resident", "Resident", "bewoner", "resident", "bewoners", "residents"),
        ActorKind(
            "initiative",
            "Initiative",
            "bewonersinitiatief",
            "resident initiative",
            "bewonersinitiatieven",
            "resident initiatives",
        ),
        ActorKind(
            "official",
            "Official",
            "gemeente",
            "municipality",
            "gemeente-medewerkers",
            "municipal officials",
        ),
        ActorKind("funder", "Funder", "fonds", "fund", "fondsen", "funds"),
        ActorKind(
            "organisation",
            "Organisation",
            "organisatie",
            "partner organisation",
            "organisaties",
            "partner organisations",
        ),
    )
}

TIE_TYPES: dict[str, TieType] = {
    t.key: t
    for t in (
        TieType(
            "knows",
            "KNOWS",
            False,
            False,
            "kent",
            "knows",
            "{source} en {target} kennen elkaar",
            "{source} and {target} know each other",
        ),
        TieType(
            "collaborates",
            "COLLABORATES",
            False,
            False,
            "werkt samen",
            "collaborates",
            "{source} en {target} werken samen",
            "{source} and {target} work together",
        ),
        TieType(
            "contacts",
            "CONTACTS",
            True,
            False,
            "neemt contact op",
            "contacts",
            "{source} neemt contact op met {target}",
            "{source} contacts {target}",
        ),
        TieType(
            "advises",
            "ADVISES",
            True,
            False,
            "adviseert",
            "advises",
            "{source} adviseert {target}",
            "{source} advises {target}",
        ),
        TieType(
            "supports",
            "SUPPORTS",
            True,
            False,
            "ondersteunt",
            "supports",
            "{source} ondersteunt {target}",
            "{source} supports {target}",
        ),
        TieType(
            "funds",
            "FUNDS",
            True,
            False,
            "financiert",
            "funds",
            "{source} financiert {target}",
            "{source} funds {target}",
        ),
        TieType(
            "member_of",
            "MEMBER_OF",
            True,
            True,
            "is lid van",
            "is member of",
            "{source} is lid van {target}",
            "{source} is a member of {target}",
        ),
    )
}

KIND_KEYS: tuple[str, ...] = tuple(KINDS)
TIE_TYPE_KEYS: tuple[str, ...] = tuple(TIE_TYPES)
ONE_MODE_TIE_TYPES: tuple[str, ...] = tuple(k for k, t in TIE_TYPES.items() if not t.two_mode)
_BY_REL = {t.rel: t for t in TIE_TYPES.values()}


def kind(key: str) -> ActorKind:
    """Return the kind named ``key``; KeyError for anything not in the vocabulary."""
    return KINDS[key]


def tie_type(key: str) -> TieType:
    """Return the tie type named ``key``; KeyError for anything not in the vocabulary."""
    return TIE_TYPES[key]


def tie_type_for_rel(rel: str) -> TieType:
    """Return the tie type stored as Neo4j relationship type ``rel``."""
    return _BY_REL[rel]


def label(key: str, lang: str = "nl") -> str:
    """Human label of a kind or tie type in ``lang`` ("nl" or "en")."""
    item = KINDS.get(key) or TIE_TYPES.get(key)
    if item is None:
        raise KeyError(key)
    return item.en if lang == "en" else item.nl
