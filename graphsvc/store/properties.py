"""Conversions between the dataset's values and stored properties, and the problem row.

Values leave the store as plain Python (``datetime.date``, dicts, the
dataclasses of :mod:`graphsvc.dataset`), never as driver objects: the ``*_from``
functions make them from stored properties, the ``*_props`` functions make the
properties to store.  :func:`problem` is the shape in which a write that checks
its rows against the store (an import) reports what is wrong with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Meeting, Tie

__all__ = [
    "native",
    "actor_props",
    "actor_from",
    "tie_props",
    "tie_from",
    "tie_identity",
    "meeting_props",
    "meeting_from",
    "same",
    "problem",
]

_ACTOR_FIELDS = ("key", "kind", "name")
_TIE_FIELDS = ("since", "until", "weight", "provenance")
_MEETING_FIELDS = ("key", "date", "title")


def native(value: Any) -> Any:
    """Driver temporal values to the standard library; everything else as is."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def actor_props(actor: Actor) -> dict[str, Any]:
    return {**actor.attributes, "key": actor.key, "kind": actor.kind, "name": actor.name}


def actor_from(key: str, props: Mapping[str, Any], proeftuinen: Iterable[str]) -> Actor:
    attrs = {k: native(v) for k, v in props.items() if k not in _ACTOR_FIELDS}
    return Actor(key, props["kind"], props["name"], tuple(sorted(proeftuinen)), attrs)


def tie_props(tie: Tie) -> dict[str, Any]:
    props: dict[str, Any] = {**tie.attributes, "since": tie.since, "weight": float(tie.weight)}
    if tie.until is not None:
        props["until"] = tie.until
    if tie.provenance is not None:
        props["provenance"] = tie.provenance
    return props


def tie_from(source: str, target: str, rel: str, props: Mapping[str, Any]) -> Tie:
    attrs = {k: native(v) for k, v in props.items() if k not in _TIE_FIELDS}
    return Tie(
        source,
        target,
        vocab.tie_type_for_rel(rel).key,
        native(props["since"]),
        native(props.get("until")),
        float(props.get("weight", 1.0)),
        props.get("provenance"),
        attrs,
    )


def tie_identity(tie: Tie, idx: int = 0) -> dict[str, Any]:
    """A (normalised) tie's identity as a row of ``tie_find``: source, target, type, since."""
    return {
        "idx": idx,
        "source": tie.source,
        "target": tie.target,
        "rel": vocab.tie_type(tie.type).rel,
        "since": tie.since,
    }


def meeting_props(meeting: Meeting) -> dict[str, Any]:
    return {**meeting.attributes, "key": meeting.key, "date": meeting.date, "title": meeting.title}


def meeting_from(props: Mapping[str, Any], proeftuin: str) -> Meeting:
    attrs = {k: native(v) for k, v in props.items() if k not in _MEETING_FIELDS}
    return Meeting(props["key"], native(props["date"]), props["title"], proeftuin, attrs)


def same(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """True when stored properties equal the wanted ones."""
    return {k: native(v) for k, v in stored.items()} == wanted


def problem(
    file: str, row: int | None, column: str, code: str, value: Any, message_nl: str, message_en: str
) -> dict[str, Any]:
    """One problem of rows with the store, naming its table, row and column."""
    return {
        "file": file,
        "row": row,
        "column": column,
        "code": code,
        "value": value,
        "message_nl": message_nl,
        "message_en": message_en,
    }
