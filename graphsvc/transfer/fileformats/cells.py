"""Single values: keys, dates, weights, vocabulary labels and cell escaping.

Shared by the readers (text -> value) and the writers (value -> text), so the
two directions cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from graphsvc.vocabulary import KINDS, TIE_TYPES, ActorKind, TieType

__all__ = [
    "KEY_MAX_LENGTH",
    "PROEFTUIN_KEY_PATTERN",
    "key_problem",
    "KEY_RULE",
    "proeftuin_problem",
    "attribute_name_problem",
    "parse_date",
    "parse_weight",
    "format_number",
    "kind_key",
    "tie_type_key",
    "neutralise",
    "unneutralise",
    "xlsx_escape",
    "xlsx_unescape",
    "xml_safe",
]

KEY_MAX_LENGTH = 100

#: Proeftuin keys appear in URLs (/api/v1/proeftuinen/{key}): a lowercase slug.
PROEFTUIN_KEY_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"
_PROEFTUIN_RE = re.compile(PROEFTUIN_KEY_PATTERN)

Reason = tuple[str, str]  # (Dutch, English)


# Unicode category Cc (C0, DEL, C1) plus lone surrogates (Cs), which only
# JSON "\ud800" escapes can produce.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


# A key is part of URLs (/api/v1/proeftuinen/<key>/actors/<actor>): '/' would split the
# path, a browser turns '\\' into '/', and '.' or '..' as a whole segment is resolved away
# before the request is sent, so none of these could ever be addressed.
_UNADDRESSABLE = re.compile(r"[/\\]")
KEY_RULE: Reason = (
    "een sleutel mag geen '/' of '\\' bevatten en niet '.' of '..' zijn (hij staat in webadressen)",
    "a key may not contain '/' or '\\' and may not be '.' or '..' (it is part of web addresses)",
)


def key_problem(key: str) -> Reason | None:
    """Why ``key`` (already trimmed) is not a valid actor or meeting key, or None."""
    if not key:
        return ("de sleutel is leeg", "the key is empty")
    if len(key) > KEY_MAX_LENGTH:
        return (
            f"langer dan {KEY_MAX_LENGTH} tekens ({len(key)})",
            f"longer than {KEY_MAX_LENGTH} characters ({len(key)})",
        )
    if _has_control(key):
        return ("bevat stuurtekens", "contains control characters")
    if _UNADDRESSABLE.search(key) or key in (".", ".."):
        return KEY_RULE
    return None


def proeftuin_problem(key: str) -> Reason | None:
    """Why ``key`` (already trimmed) is not a valid proeftuin key, or None."""
    if _PROEFTUIN_RE.fullmatch(key):
        return None
    return (
        "gebruik kleine letters, cijfers, '-' en '_' (begin met een letter of cijfer, "
        "hoogstens 64 tekens)",
        "use lowercase letters, digits, '-' and '_' (start with a letter or digit, "
        "at most 64 characters)",
    )


def attribute_name_problem(name: str) -> Reason | None:
    """Why ``name`` cannot be an attribute (extra column) name, or None."""
    if not name.strip():
        return ("de naam is leeg", "the name is empty")
    if name != name.strip():
        return ("begint of eindigt met spaties", "starts or ends with spaces")
    if len(name) > KEY_MAX_LENGTH:
        return (
            f"langer dan {KEY_MAX_LENGTH} tekens",
            f"longer than {KEY_MAX_LENGTH} characters",
        )
    if _has_control(name):
        return ("bevat stuurtekens", "contains control characters")
    return None


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def parse_date(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD``, ``DD-MM-YYYY`` (Dutch Excel also drops leading
    zeros: ``1-3-2024``) or a spreadsheet date cell; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = m.groups()
    elif m := _DUTCH_DATE.fullmatch(text):
        day, month, year = m.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


# Plain decimal with "." or a Dutch ",", no thousands separators (is "1.000" one
# thousand or one?), optional exponent.  float() alone would also take "nan",
# "inf" and "1_0".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def parse_weight(value: Any) -> float | None:
    """A finite number from a number cell or text like ``1.5`` / ``1,5``; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip().replace(",", "."))
    else:
        return None
    return number if math.isfinite(number) else None


def format_number(value: float, decimal_comma: bool = False) -> str:
    """Shortest text that reads back as exactly ``value`` (``1.0`` -> ``"1"``)."""
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",") if decimal_comma else text


def _alias_map(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for alias, key in pairs:
        alias = alias.casefold()
        if out.setdefault(alias, key) != key:  # pragma: no cover - guards the vocabulary
            raise RuntimeError(f"vocabulary alias {alias!r} names two keys")
    return out


_KIND_ALIASES = _alias_map(
    [
        (name, k.key)
        for k in KINDS.values()
        for name in (k.key, k.label, k.nl, k.en, k.nl_plural, k.en_plural)
    ]
)
_TIE_ALIASES = _alias_map(
    [
        (name, t.key)
        for t in TIE_TYPES.values()
        for name in (t.key, t.key.replace("_", " "), t.rel, t.nl, t.en)
    ]
)


def kind_key(text: str) -> str | None:
    """The kind key for a key or a Dutch/English label (case-insensitive), else None."""
    return _KIND_ALIASES.get(" ".join(text.split()).casefold())


def tie_type_key(text: str) -> str | None:
    """The tie type key for a key or a Dutch/English label (case-insensitive), else None."""
    return _TIE_ALIASES.get(" ".join(text.split()).casefold())


def _allowed(items: Iterable[ActorKind | TieType], lang: str) -> str:
    out = []
    for item in items:
        label = item.nl if lang == "nl" else item.en
        out.append(item.key if label == item.key else f"{item.key} ({label})")
    return ", ".join(out)


def allowed_kinds(lang: str) -> str:
    """The kinds for a message: ``resident (bewoner), ...``."""
    return _allowed(KINDS.values(), lang)


def allowed_tie_types(lang: str) -> str:
    """The tie types for a message: ``knows (kent), ...``."""
    return _allowed(TIE_TYPES.values(), lang)


# OWASP "CSV injection": a cell starting with one of these is a formula to a
# spreadsheet.  Export prefixes an apostrophe; import removes it again.  The
# pattern also covers values that already start with apostrophes before such a
# character ("'=x"), so that the prefix is reversible for every string.
_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"''*[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet would read ``text`` as a formula."""
    return "'" + text if _TRIGGER.match(text) else text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop one apostrophe before a formula character."""
    return text[1:] if _ESCAPED.match(text) else text


# OOXML stores characters XML 1.0 cannot carry (and "\r", which XML parsers
# turn into "\n") as "_xHHHH_"; a literal "_xHHHH_" is written as
# "_x005F_xHHHH_".  Excel writes and reads this; openpyxl does neither, so we
# do it (ECMA-376 Part 1, 22.9.2.19 ST_Xstring).
_OOXML_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_escape(text: str) -> str:
    text = _OOXML_LITERAL.sub(r"_x005F_\1", text)
    return _OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` as an XML reader will give it back (GraphML, GEXF).

    Characters XML 1.0 cannot hold become U+FFFD, and line ends become "\\n"
    (XML parsers turn "\\r\\n" and "\\r" in element text into "\\n" anyway).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("\ufffd", text)
