"""Rules of thumb as data, and the words and number formats they are stated in.

A :class:`Threshold` says where a facilitator should look closer: the value lies strictly
``below`` or ``above`` a boundary.  The same object gives the signal of a value
(:meth:`Threshold.signal`) and states itself in Dutch and English (:meth:`Threshold.text`),
so the rule shown to people and the rule applied can never disagree.  :func:`format_value`
writes numbers as the pages and the scorecard's sentences show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "FORMATS",
    "SIGNALS",
    "Reading",
    "Signal",
    "Text",
    "Threshold",
    "format_value",
    "CONTEXT_ONLY",
]

Signal = Literal["attention", "ok", "none"]
#: Every signal: ``attention`` where a facilitator should look closer, ``ok`` otherwise,
#: ``none`` when the value is undefined.
SIGNALS: tuple[Signal, ...] = ("attention", "ok", "none")

#: Number formats: share (percentage), count, ratio (2 decimals), ratio3 (3 decimals), list.
FORMATS: tuple[str, ...] = ("share", "count", "ratio", "ratio3", "list")

#: How the scorecard states an indicator without a rule (shown for context only).
CONTEXT_ONLY = "context only"

_DASH = "\u2013"


@dataclass(frozen=True)
class Text:
    """The same words in Dutch and English."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        """The words in ``lang`` ('nl' or 'en')."""
        if lang not in ("nl", "en"):
            raise ValueError(f"unknown language {lang!r}")
        return self.nl if lang == "nl" else self.en


def format_value(value: Any, fmt: str, lang: str) -> str:
    """A number as a person reads it: shares as percentages, Dutch decimal commas."""
    if value is None or isinstance(value, (list, dict)):
        return _DASH
    if fmt == "share":
        return f"{round(100 * float(value))}%"
    if fmt == "count" or isinstance(value, bool):
        return str(int(value))
    digits = 3 if fmt == "ratio3" else 2
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def _boundary(value: float, fmt: str, lang: str) -> str:
    """A rule's boundary, without trailing zeros: ``80%``, ``-0.3`` / ``-0,3``."""
    if fmt == "share":
        return f"{round(100 * value, 6):g}%"
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


_WORDS = {
    "nl": {"attention": "let op", "ok": "in orde", "below": "onder", "above": "boven"},
    "en": {"attention": "attention", "ok": "ok", "below": "below", "above": "above"},
}
_ANY = Text("bij één of meer", "when any")


@dataclass(frozen=True)
class Threshold:
    """``beyond`` when the value lies strictly ``direction`` of ``boundary``, else ``within``.

    The boundary itself is within (``below 0.8``: 0.8 is ok, 0.79 is not).  The boundary is
    in the indicator's own unit (a share of 80% is 0.8); ``fmt`` is the indicator's number
    format, used to state the rule.  An undefined value (None) gives ``none``.
    """

    direction: Literal["below", "above"]
    boundary: float
    fmt: str
    beyond: Signal = "attention"
    within: Signal = "ok"

    def __post_init__(self) -> None:
        if self.direction not in ("below", "above"):
            raise ValueError(f"direction must be 'below' or 'above', not {self.direction!r}")
        if self.fmt not in FORMATS or self.fmt == "list":
            raise ValueError(f"a threshold needs a number format, not {self.fmt!r}")
        if "none" in (self.beyond, self.within) or self.beyond == self.within:
            raise ValueError("a threshold gives two different signals, neither of them 'none'")

    def is_beyond(self, value: float) -> bool:
        """Whether ``value`` lies strictly past the boundary."""
        if self.direction == "below":
            return value < self.boundary
        return value > self.boundary

    def signal(self, value: float | None) -> Signal:
        """The signal of ``value`` under this rule."""
        if value is None:
            return "none"
        return self.beyond if self.is_beyond(value) else self.within

    def text(self, lang: str) -> str:
        """The rule in words: ``attention below 80%``, ``let op boven 0,5``, ``attention when
        any`` (a count above zero)."""
        words = _WORDS[lang]
        if self.fmt == "count" and self.direction == "above" and self.boundary == 0:
            where = _ANY.get(lang)
        else:
            where = f"{words[self.direction]} {_boundary(self.boundary, self.fmt, lang)}"
        return f"{words[self.beyond]} {where}"


@dataclass(frozen=True)
class Reading:
    """The part of a sentence that depends on the value: ``beyond`` when the value lies past
    ``threshold``, else (also when undefined) ``otherwise``.

    ``threshold`` None means the indicator's own rule, so the sentence and the signal agree.
    """

    beyond: Text
    otherwise: Text
    threshold: Threshold | None = None

    def get(self, value: float | None, rule: Threshold | None, lang: str) -> str:
        """The words that fit ``value`` in ``lang``; ``rule`` is the indicator's own rule."""
        threshold = self.threshold or rule
        if threshold is None:
            raise ValueError("a reading needs a threshold of its own or the indicator's rule")
        past = value is not None and threshold.is_beyond(value)
        return (self.beyond if past else self.otherwise).get(lang)
