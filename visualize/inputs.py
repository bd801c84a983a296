"""The renderer's input checked and made uniform: dates, numbers, actors, ties, groups and
suggested introductions.

:mod:`visualize.render` runs these before it draws anything. Bad input is a ValueError whose
message names the item and the field (``ties[3].since: ...``, ``groups[0].url: ...``), so the
caller can tell its user what to fix.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from . import i18n
from .theme import MapTheme

__all__ = [
    "as_number",
    "check_actors",
    "clean_groups",
    "clean_introductions",
    "clean_ties",
    "iso_date",
]


def iso_date(value: object, what: str) -> str:
    """A date as "YYYY-MM-DD"; ValueError naming ``what`` for anything else."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{what}: expected a date as YYYY-MM-DD, got {value!r}")


def as_number(value: Any, what: str) -> float | None:
    """A metric as a float (None stays None); ValueError naming ``what`` for anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"{what}: expected a number, got {value!r}")
    return float(value)


def check_actors(actors: Mapping[str, Mapping], theme: MapTheme) -> None:
    """ValueError naming the actor when its kind is not the theme's or its name is empty."""
    kinds = set(theme.kind_keys)
    for key, actor in actors.items():
        if actor.get("kind") not in kinds:
            raise ValueError(f"actor {key!r}: unknown kind {actor.get('kind')!r}")
        if not isinstance(actor.get("name"), str) or not actor["name"].strip():
            raise ValueError(f"actor {key!r}: a name is required")


def clean_ties(
    ties: Sequence[Mapping], actors: Mapping[str, Mapping], theme: MapTheme
) -> list[dict]:
    """The ties as the page needs them; ValueError naming the tie and field for bad input."""
    types = set(theme.tie_type_keys)
    out = []
    for i, tie in enumerate(ties):
        where = f"ties[{i}]"
        for end in ("source", "target"):
            if tie.get(end) not in actors:
                raise ValueError(f"{where}.{end}: {tie.get(end)!r} is not one of the actors")
        if tie.get("type") not in types:
            raise ValueError(f"{where}.type: unknown tie type {tie.get('type')!r}")
        since = iso_date(tie.get("since"), f"{where}.since")
        until = iso_date(tie["until"], f"{where}.until") if tie.get("until") else None
        weight = as_number(tie.get("weight", 1.0), f"{where}.weight")
        weight = 1.0 if weight is None else weight
        if weight <= 0:
            raise ValueError(f"{where}.weight: must be greater than 0")
        dashed = tie.get("dashed", False)
        if not isinstance(dashed, bool):
            raise ValueError(f"{where}.dashed: expected true or false, got {dashed!r}")
        out.append(
            {
                "source": tie["source"],
                "target": tie["target"],
                "type": tie["type"],
                "since": since,
                "until": until,
                "weight": weight,
                "dashed": dashed,
            }
        )
    return out


def clean_groups(
    groups: Sequence[Mapping], actors: Collection[str], ids: Mapping[str, str]
) -> list[dict]:
    """The groups as the page needs them: member ids, and the home members (in no other
    group) that make the group's box; ValueError naming the group and field for bad input."""
    seen: dict[str, int] = {}
    for group in groups:
        for key in set(group.get("members") or ()):
            seen[key] = seen.get(key, 0) + 1
    out = []
    keys: set[str] = set()
    for i, group in enumerate(groups):
        where = f"groups[{i}]"
        key, name = group.get("key"), group.get("name")
        if not isinstance(key, str) or not key or key in keys:
            raise ValueError(f"{where}.key: a unique, non-empty text is required")
        keys.add(key)
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}.name: a name is required")
        url = group.get("url")
        if url is not None and not (
            isinstance(url, str) and url.startswith(("http://", "https://", "/"))
        ):
            raise ValueError(f"{where}.url: expected an http(s) address or a path")
        members = list(dict.fromkeys(group.get("members") or ()))
        for key_ in members:
            if key_ not in actors:
                raise ValueError(f"{where}.members: {key_!r} is not one of the actors")
        out.append(
            {
                "key": key,
                "name": name,
                "url": url,
                "members": [ids[k] for k in members],
                "home": [ids[k] for k in members if seen[k] == 1],
            }
        )
    return out


def clean_introductions(
    intros: Sequence[Mapping], actors: Collection[str], ids: Mapping[str, str]
) -> list[dict]:
    """The suggested introductions as the page needs them (actor ids and the reason in every
    language); ValueError naming the introduction and end that is not one of the actors."""
    out = []
    for i, intro in enumerate(intros):
        for end in ("source", "target"):
            if intro.get(end) not in actors:
                raise ValueError(f"introductions[{i}].{end}: not one of the actors")
        reason = intro.get("reason") or {}
        out.append(
            {
                "id": f"n{i}",
                "from": ids[intro["source"]],
                "to": ids[intro["target"]],
                "reason": {lang: str(reason.get(lang, "")) for lang in i18n.LANGS},
            }
        )
    return out
