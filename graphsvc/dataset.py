"""The in-memory shape of the import/export file contract (docs/architecture.md §5).

A :class:`Dataset` is what an import file parses into and what an export is
written from.  It carries no behaviour beyond normalisation that makes two
equal datasets compare equal, so that an export -> import -> export round trip
can be checked with ``==``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graphsvc.vocabulary import TIE_TYPES

__all__ = ["AttrValue", "Actor", "Tie", "Meeting", "Attendance", "Dataset"]

#: Attribute values that survive every export format and Neo4j as properties.
AttrValue = str | int | float | bool


@dataclass(frozen=True)
class Actor:
    key: str
    kind: str  # a key of vocabulary.KINDS
    name: str
    proeftuinen: tuple[str, ...]  # keys, sorted, at least one
    attributes: dict[str, AttrValue] = field(default_factory=dict, compare=True, hash=False)


@dataclass(frozen=True)
class Tie:
    """One tie.  Identity is (source, target, type, since).

    For symmetric tie types the endpoints are stored with ``source < target``
    (see :meth:`normalised`), so "A knows B" and "B knows A" are the same tie.
    ``provenance`` is where the tie is known from (survey, interview, ...); the
    column is not called ``source`` because ``source`` is the source actor.
    """

    source: str
    target: str
    type: str  # a key of vocabulary.TIE_TYPES
    since: dt.date
    until: dt.date | None = None
    weight: float = 1.0
    provenance: str | None = None
    attributes: dict[str, AttrValue] = field(default_factory=dict, compare=True, hash=False)

    @property
    def identity(self) -> tuple[str, str, str, dt.date]:
        return (self.source, self.target, self.type, self.since)

    def normalised(self) -> Tie:
        if not TIE_TYPES[self.type].directed and self.target < self.source:
            return Tie(
                self.target,
                self.source,
                self.type,
                self.since,
                self.until,
                self.weight,
                self.provenance,
                dict(self.attributes),
            )
        return self


@dataclass(frozen=True)
class Meeting:
    key: str
    date: dt.date
    title: str
    proeftuin: str
    attributes: dict[str, AttrValue] = field(default_factory=dict, compare=True, hash=False)


@dataclass(frozen=True)
class Attendance:
    meeting: str
    actor: str


@dataclass
class Dataset:
    """Everything one import file holds, or one export writes."""

    actors: list[Actor] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)

    def sorted(self) -> Dataset:
        """A copy in canonical order (exports write this order)."""
        return Dataset(
            actors=sorted(self.actors, key=lambda a: a.key),
            ties=sorted((t.normalised() for t in self.ties), key=lambda t: t.identity),
            meetings=sorted(self.meetings, key=lambda m: m.key),
            attendance=sorted(self.attendance, key=lambda a: (a.meeting, a.actor)),
        )
