"""The editor's forms of the survey pages: a new round, a copy, invitations.

A form is read into the same data the API takes and checked by the API's own schemas
(:class:`~graphsvc.web.api.surveys.RoundCreateSchema`, ``RoundCopySchema``) and then by
the survey service, so a page and a script meet the same rules.  What fails becomes one
message per field, in Dutch or English, shown next to that field; nothing is stored then
(the service writes only after every check passed).

The messages are ours: marshmallow's are English only and name its own rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from graphsvc.errors import GraphsvcError
from graphsvc.survey.questions import GENERATORS, MAX_QUESTIONS, SCALES
from graphsvc.transfer.fileformats.cells import key_problem
from graphsvc.vocabulary import TIE_TYPES
from graphsvc.web.api.surveys import RoundCopySchema, RoundCreateSchema

__all__ = [
    "ROUND_FIELDS",
    "FormErrors",
    "round_values",
    "round_data",
    "copy_data",
    "generator_groups",
    "error_of",
]

#: The text fields of the round forms, in the order they are shown.
ROUND_FIELDS = ("key", "title", "intro", "opens", "closes")

#: ``{field: message}`` in the page's language.
FormErrors = dict[str, str]

_MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("Geef een titel van 1 tot 200 tekens.", "Give a title of 1 to 200 characters."),
    "intro": (
        "Houd de inleiding onder 2000 tekens.",
        "Keep the introduction under 2000 characters.",
    ),
    "opens": ("Geef een datum (JJJJ-MM-DD).", "Give a date (YYYY-MM-DD)."),
    "closes": ("Geef een datum (JJJJ-MM-DD).", "Give a date (YYYY-MM-DD)."),
    "questions": (
        f"Kies minstens één en hoogstens {MAX_QUESTIONS} vragen.",
        f"Choose at least one and at most {MAX_QUESTIONS} questions.",
    ),
}


def round_values(form: Mapping[str, Any] | None, today: dt.date) -> dict[str, Any]:
    """What the new-round form shows: the values sent back, else sensible defaults."""
    if form is None:
        return {
            "key": "",
            "title": "",
            "intro": "",
            "opens": today.isoformat(),
            "closes": (today + dt.timedelta(days=28)).isoformat(),
            "questions": {},
        }
    return dict(form)


def _read_round(form: MultiDict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {k: form.get(k, "").strip() for k in ROUND_FIELDS}
    chosen = [q for q in dict.fromkeys(form.getlist("question")) if q]
    values["questions"] = {q: form.getlist(f"scales_{q}") for q in chosen}
    return values


def _key_message(value: str, lang: str) -> str:
    problem = key_problem(value.strip()) or ("deze sleutel kan niet", "this key cannot be used")
    return f"Sleutel: {problem[0]}." if lang == "nl" else f"Key: {problem[1]}."


def _schema_errors(
    schema: Schema, payload: dict[str, Any], values: dict[str, Any], lang: str
) -> tuple[dict[str, Any] | None, FormErrors]:
    try:
        return schema.load(payload), {}
    except ValidationError as exc:
        fields = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
    errors: FormErrors = {}
    for field in fields:
        if field == "key":
            errors["key"] = _key_message(str(values.get("key", "")), lang)
        elif field in _MESSAGES:
            nl, en = _MESSAGES[field]
            errors[field] = nl if lang == "nl" else en
    return None, errors


def round_data(
    form: MultiDict[str, str], lang: str
) -> tuple[dict[str, Any], dict[str, Any] | None, FormErrors]:
    """``(values to show again, data for create_round or None, errors)`` of the new-round form."""
    values = _read_round(form)
    payload = {k: v for k, v in values.items() if k != "questions"}
    payload["questions"] = [{"key": q, "scales": s} for q, s in values["questions"].items()]
    data, errors = _schema_errors(RoundCreateSchema(), payload, values, lang)
    return values, data, errors


def copy_data(
    form: MultiDict[str, str], lang: str
) -> tuple[dict[str, Any], dict[str, Any] | None, FormErrors]:
    """``(values, data for copy_round or None, errors)`` of the copy form (title optional)."""
    values = {k: form.get(k, "").strip() for k in ("key", "title", "opens", "closes")}
    payload = {k: v for k, v in values.items() if v or k != "title"}
    data, errors = _schema_errors(RoundCopySchema(), payload, values, lang)
    return values, data, errors


def error_of(exc: GraphsvcError, lang: str, default: str) -> FormErrors:
    """The service's refusal (a rule across fields, a taken key) as the error of its field."""
    field = str(exc.extra.get("field") or default)
    return {field: exc.message(lang)}


def generator_groups(lang: str) -> list[dict[str, Any]]:
    """The documented name generators grouped by tie type, with the scales one may add."""
    groups: dict[str, list[dict[str, str]]] = {}
    for g in GENERATORS.values():
        groups.setdefault(g.tie_type, []).append({"key": g.key, "text": getattr(g, lang)})
    scale_words = _SCALE_WORDS[lang]
    return [
        {
            "tie_type": tie_type,
            "label": getattr(TIE_TYPES[tie_type], lang),
            "generators": found,
            "scales": [(s, scale_words[s]) for s in SCALES],
        }
        for tie_type, found in groups.items()
    ]


_SCALE_WORDS: dict[str, dict[str, str]] = {
    "nl": {"frequency": "hoe vaak", "trust": "vertrouwen", "equality": "gelijkwaardigheid"},
    "en": {"frequency": "how often", "trust": "trust", "equality": "equality"},
}
