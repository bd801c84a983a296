"""Raw tables -> a validated :class:`~graphsvc.dataset.Dataset`, or every problem.

The whole upload is checked before anything is returned (docs/architecture.md §5): each
row on its own (keys, kinds, dates, weights, ...), then across rows and tables
(duplicates, references to actors and meetings).  A row with a problem still
registers its key, so one bad cell does not cascade into "unknown actor"
problems elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, NamedTuple

from graphsvc.dataset import Actor, Attendance, AttrValue, Dataset, Meeting, Tie
from graphsvc.transfer.fileformats.cells import (
    allowed_kinds,
    allowed_tie_types,
    key_problem,
    kind_key,
    parse_date,
    parse_weight,
    proeftuin_problem,
    tie_type_key,
)
from graphsvc.transfer.fileformats.reading import RawTable, Record
from graphsvc.transfer.fileformats.row_problems import ProblemLog
from graphsvc.vocabulary import TIE_TYPES

__all__ = ["KnownActor", "Validator"]

Progress = Callable[[int, int], None]

_INT64 = (-(2**63), 2**63 - 1)


class KnownActor(NamedTuple):
    """An actor already in the store, for the key-clash rule of docs/architecture.md §4."""

    kind: str
    name: str
    proeftuinen: tuple[str, ...]


class _Missing:
    """Marks a value that is absent (as opposed to None from a JSON null)."""


_BAD = object()  # a cell had a problem (already logged)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _as_text(value: Any) -> str | object:
    """Cell -> text for key, name and title columns (XLSX/JSON cells may be numbers)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _BAD
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value) if math.isfinite(value) else _BAD
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return _BAD


def _other(table: RawTable, row: int) -> dict[str, str]:
    if table.where.fmt == "json":
        return {"other_nl": f"item {row}", "other_en": f"item {row}"}
    return {"other_nl": f"rij {row}", "other_en": f"row {row}"}


class _Row:
    """Field readers for one record; each logs its own problems."""

    def __init__(self, v: Validator, table: RawTable, record: Record) -> None:
        self.v, self.table, self.record = v, table, record
        self.bad = record.bad
        self.json = table.where.fmt == "json"

    def problem(self, code: str, column: str | None, value: Any = None, **params: Any) -> None:
        self.bad = True
        label = self.table.label(column) if column is not None else None
        self.v.log.add(
            self.table.where, code, row=self.record.row, column=label, value=value, **params
        )

    def raw(self, column: str) -> Any:
        return self.record.fields.get(column)

    def text(self, column: str, *, required: bool) -> str | None:
        """Text kept as written (no trimming); optional empty cells give None.

        JSON keeps an optional string exactly, even "" or spaces, so that
        JSON export -> import is exact for every dataset.
        """
        value = self.raw(column)
        if self.json and not required and isinstance(value, str):
            if _has_surrogate(value):
                self.problem("bad_text", column, value)
                return None
            return value
        if _is_blank(value):
            if required:
                self.problem("missing_value", column)
            return None
        text = _as_text(value)
        if text is _BAD:
            self.problem("bad_type", column, value, expected_nl="tekst", expected_en="text")
            return None
        assert isinstance(text, str)
        if self.json and _has_surrogate(text):
            self.problem("bad_text", column, text)
            return None
        return text

    def key(self, column: str) -> str | None:
        text = self.text(column, required=True)
        if text is None:
            return None
        key = text.strip()
        if reason := key_problem(key):
            self.problem("bad_key", column, text, reason_nl=reason[0], reason_en=reason[1])
            return None
        return key

    def vocabulary(
        self,
        column: str,
        lookup: Callable[[str], str | None],
        code: str,
        allowed: Callable[[str], str],
    ) -> str | None:
        text = self.text(column, required=True)
        if text is None:
            return None
        key = lookup(text)
        if key is None:
            self.problem(code, column, text, allowed_nl=allowed("nl"), allowed_en=allowed("en"))
        return key

    def date(self, column: str, *, required: bool) -> dt.date | None:
        value = self.raw(column)
        if _is_blank(value):
            if required:
                self.problem("missing_value", column)
            return None
        date = parse_date(value)
        if date is None:
            self.problem("bad_date", column, value)
        return date

    def weight(self, column: str) -> float | None:
        value = self.raw(column)
        if _is_blank(value):
            return 1.0
        weight = parse_weight(value)
        if weight is None:
            self.problem("bad_weight", column, value)
        elif weight <= 0:
            self.problem("nonpositive_weight", column, value)
            return None
        return weight

    def proeftuin_keys(self, column: str) -> tuple[str, ...]:
        """The proeftuin keys of a cell ('a|b') or a JSON list; the default when empty."""
        value = self.raw(column)
        if isinstance(value, list) and self.json:
            parts = []
            for item in value:
                if not isinstance(item, str):
                    self.problem("bad_type", column, item, expected_nl="tekst", expected_en="text")
                    return ()
                parts.append(item)
        elif _is_blank(value):
            parts = []
        else:
            text = _as_text(value)
            if text is _BAD:
                self.problem("bad_type", column, value, expected_nl="tekst", expected_en="text")
                return ()
            assert isinstance(text, str)
            parts = text.split("|")
        keys = sorted({p.strip() for p in parts if p.strip()})
        if not keys:
            if self.v.default_proeftuin is None:
                self.problem("missing_value", column)
                return ()
            return (self.v.default_proeftuin,)
        for key in keys:
            if reason := proeftuin_problem(key):
                self.problem("bad_proeftuin", column, key, reason_nl=reason[0], reason_en=reason[1])
        return tuple(keys)

    def attributes(self) -> dict[str, AttrValue]:
        out: dict[str, AttrValue] = {}
        for name, value in self.record.attributes.items():
            converted = self._attribute(name, value)
            if converted is _BAD:
                continue
            if converted is not _Missing:
                out[name] = converted
        return out

    def _attribute(self, name: str, value: Any) -> Any:
        column = f"attributes.{name}" if self.json else name
        if value is None or (value == "" and not self.json):
            return _Missing
        if isinstance(value, str):
            if self.json and _has_surrogate(value):
                self.problem("bad_text", column, value)
                return _BAD
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            if not _INT64[0] <= value <= _INT64[1]:
                self.problem(
                    "bad_attribute_value",
                    column,
                    value,
                    reason_nl="gehele getallen passen in 64 bits",
                    reason_en="whole numbers must fit in 64 bits",
                )
                return _BAD
            return value
        if isinstance(value, float):
            # JSON NaN/Infinity literals are refused when the file is read; a number
            # too large for a double (1e400) parses to inf and is refused here.
            if not math.isfinite(value):
                self.problem(
                    "bad_attribute_value",
                    column,
                    value,
                    reason_nl="getallen moeten eindig zijn",
                    reason_en="numbers must be finite",
                )
                return _BAD
            return value
        if isinstance(value, dt.datetime | dt.date | dt.time) and not self.json:
            # Date cells in extra XLSX columns: kept as ISO text (AttrValue has no dates).
            return _as_text(value)
        if not self.json:
            return str(value)
        self.problem(
            "bad_attribute_value",
            column,
            value,
            reason_nl="alleen tekst, getallen en true/false",
            reason_en="only text, numbers and true/false",
        )
        return _BAD


class Validator:
    """Checks the tables of one upload and builds the dataset when all is well."""

    def __init__(
        self,
        log: ProblemLog,
        *,
        default_proeftuin: str | None,
        known_actor_keys: Collection[str],
        known_meeting_keys: Collection[str],
        known_actors: Mapping[str, KnownActor] | None,
        max_rows: int,
        progress: Progress | None,
    ) -> None:
        self.log = log
        self.default_proeftuin = default_proeftuin
        self.known_actors = known_actors or {}
        self.known_actor_keys = set(known_actor_keys) | set(self.known_actors)
        self.known_meeting_keys = set(known_meeting_keys)
        self.max_rows = max_rows
        self.progress = progress
        self.done = 0
        self.total = 0
        self.rows_seen = 0
        self.actors: list[Actor] = []
        self.ties: list[Tie] = []
        self.meetings: list[Meeting] = []
        self.attendance: list[Attendance] = []
        self.actor_rows: dict[str, int] = {}
        self.meeting_rows: dict[str, int] = {}
        self.tie_rows: dict[Any, int] = {}
        self.attendance_rows: dict[Any, int] = {}
        # False when a table could not be read whole: references are then not checked.
        self.actors_complete = True
        self.meetings_complete = True

    # ----------------------------------------------------------------- driving

    def run(self, tables: list[RawTable]) -> Dataset | None:
        by_name = {t.spec.name: t for t in tables}
        self.total = sum(t.total for t in tables)
        for name, check in (
            ("actors", self._actor),
            ("meetings", self._meeting),
            ("ties", self._tie),
            ("attendance", self._attendance),
        ):
            table = by_name.get(name)
            if table is None:
                continue
            complete = self._check_table(table, check)
            if name == "actors":
                self.actors_complete = complete
            elif name == "meetings":
                self.meetings_complete = complete
        if self.progress is not None:
            self.progress(self.done, self.done)
        if self.log.problems:
            return None
        return Dataset(self.actors, self.ties, self.meetings, self.attendance).sorted()

    def _check_table(self, table: RawTable, check: Callable[[RawTable, _Row], None]) -> bool:
        """Run ``check`` on every record; False when the table could not be read whole."""
        complete = not table.broken
        count = 0
        for record in self._records(table):
            count += 1
            self.rows_seen += 1
            if count > self.max_rows:
                self.log.add(table.where, "too_many_rows", limit=self.max_rows)
                return False
            if not table.broken and not record.unusable:
                check(table, _Row(self, table, record))
        return complete

    def _records(self, table: RawTable) -> Iterator[Record]:
        for record in table.records:
            yield record
            self.done += 1
            if self.progress is not None and self.done % 1000 == 0:
                # 0 = unknown (an XLSX sheet without a dimension record)
                self.progress(self.done, max(self.total, self.done) if self.total else 0)

    def _first(self, seen: dict[Any, int], identity: Any, row: int) -> int | None:
        """The row where ``identity`` was first seen, or None (and remember this row)."""
        first = seen.setdefault(identity, row)
        return None if first == row else first

    # ----------------------------------------------------------------- tables

    def _actor(self, table: RawTable, r: _Row) -> None:
        key = r.key("key")
        kind = r.vocabulary("kind", kind_key, "unknown_kind", allowed_kinds)
        name = r.text("name", required=True)
        proeftuinen = r.proeftuin_keys("proeftuin")
        attributes = r.attributes()
        if key is None:
            return
        first = self._first(self.actor_rows, key, r.record.row)
        if first is not None:
            r.problem("duplicate_actor", "key", key, **_other(table, first))
            return
        if kind is not None and name is not None:
            self._clash(r, key, kind, name, proeftuinen)
        if not r.bad:
            assert kind is not None and name is not None
            self.actors.append(Actor(key, kind, name, proeftuinen, attributes))

    def _clash(self, r: _Row, key: str, kind: str, name: str, proeftuinen: tuple[str, ...]) -> None:
        known = self.known_actors.get(key)
        if known is None or set(known.proeftuinen) & set(proeftuinen):
            return
        if known.kind != kind:
            r.problem(
                "key_clash", "kind", key, what_nl="soort", what_en="kind", existing=known.kind
            )
        elif known.name != name:
            r.problem("key_clash", "name", key, what_nl="naam", what_en="name", existing=known.name)

    def _meeting(self, table: RawTable, r: _Row) -> None:
        key = r.key("key")
        date = r.date("date", required=True)
        title = r.text("title", required=True)
        proeftuin = self._one_proeftuin(r)
        attributes = r.attributes()
        if key is None:
            return
        first = self._first(self.meeting_rows, key, r.record.row)
        if first is not None:
            r.problem("duplicate_meeting", "key", key, **_other(table, first))
            return
        if not r.bad:
            assert date is not None and title is not None and proeftuin is not None
            self.meetings.append(Meeting(key, date, title, proeftuin, attributes))

    def _one_proeftuin(self, r: _Row) -> str | None:
        keys = r.proeftuin_keys("proeftuin")
        if len(keys) > 1:
            r.problem(
                "bad_proeftuin",
                "proeftuin",
                "|".join(keys),
                reason_nl="een bijeenkomst hoort bij precies een proeftuin",
                reason_en="a meeting belongs to exactly one proeftuin",
            )
        return keys[0] if len(keys) == 1 else None

    def _actor_ref(self, r: _Row, column: str) -> str | None:
        key = r.key(column)
        if (
            key is not None
            and self.actors_complete
            and key not in self.actor_rows
            and key not in self.known_actor_keys
        ):
            r.problem("unknown_actor", column, key)
        return key

    def _tie(self, table: RawTable, r: _Row) -> None:
        source = self._actor_ref(r, "source")
        target = self._actor_ref(r, "target")
        type_ = r.vocabulary("type", tie_type_key, "unknown_tie_type", allowed_tie_types)
        since = r.date("since", required=True)
        until = r.date("until", required=False)
        weight = r.weight("weight")
        provenance = r.text("provenance", required=False)
        attributes = r.attributes()
        if source is not None and source == target:
            r.problem("self_loop", "target", source)
        if since is not None and until is not None and until < since:
            r.problem("until_before_since", "until", until.isoformat(), since=since.isoformat())
        if None in (source, target, type_, since):
            return
        assert source is not None and target is not None and type_ is not None
        assert since is not None
        weight = 1.0 if weight is None else weight
        tie = Tie(source, target, type_, since, until, weight, provenance, attributes).normalised()
        symmetric = not TIE_TYPES[type_].directed
        first = self._first(self.tie_rows, tie.identity, r.record.row)
        if first is not None:
            r.problem(
                "duplicate_tie",
                None,
                **_other(table, first),
                sym_nl=f" (bij '{type_}' telt de volgorde van source en target niet)"
                if symmetric
                else "",
                sym_en=f" (for '{type_}' the order of source and target does not matter)"
                if symmetric
                else "",
            )
            return
        if not r.bad:
            self.ties.append(tie)

    def _attendance(self, table: RawTable, r: _Row) -> None:
        meeting = r.key("meeting")
        if (
            meeting is not None
            and self.meetings_complete
            and meeting not in self.meeting_rows
            and meeting not in self.known_meeting_keys
        ):
            r.problem("unknown_meeting", "meeting", meeting)
        actor = self._actor_ref(r, "actor")
        if meeting is None or actor is None:
            return
        first = self._first(self.attendance_rows, (meeting, actor), r.record.row)
        if first is not None:
            r.problem("duplicate_attendance", None, **_other(table, first))
            return
        if not r.bad:
            self.attendance.append(Attendance(meeting, actor))
