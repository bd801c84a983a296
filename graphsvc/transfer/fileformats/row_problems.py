"""Problems found in an import file, with messages in Dutch and English.

A :class:`Problem` points at what the user sees: the file (and sheet), the row
as a spreadsheet numbers it (header = row 1, first data row = row 2), and the
column.  For JSON files ``row`` is the 1-based position of the item in its
array (``actors`` item 3) and ``column`` the field name.  A problem with
``row=None`` is about the file (or sheet) as a whole.

Every message is built from one catalogue entry per ``code``, so the API can
rely on stable codes and a person reads a sentence in their own language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Problem", "Where", "ProblemLog", "LimitReached", "CODES", "problems_as_json"]

TABLE_ORDER = ("actors", "ties", "meetings", "attendance")

#: code -> (Dutch template, English template).  Placeholders are filled from
#: the keyword arguments of :meth:`ProblemLog.add`; ``{value}`` is the quoted,
#: shortened offending value.
CODES: dict[str, tuple[str, str]] = {
    # the file as a whole
    "unreadable_text": (
        "het bestand is geen leesbare tekst (UTF-8 of Windows-1252); sla het op als 'CSV UTF-8'",
        "the file is not readable text (UTF-8 or Windows-1252); save it as 'CSV UTF-8'",
    ),
    "unreadable_csv": (
        "het bestand is geen geldige CSV ({detail})",
        "the file is not valid CSV ({detail})",
    ),
    "unreadable_xlsx": (
        "het bestand is geen leesbaar Excel-bestand (.xlsx): {detail}",
        "the file is not a readable Excel workbook (.xlsx): {detail}",
    ),
    "unreadable_json": (
        "het bestand is geen geldige JSON: {detail}",
        "the file is not valid JSON: {detail}",
    ),
    "wrong_format": (
        "dit is geen graphsvc-bestand ('format' is {value}, verwacht 'graphsvc')",
        "this is not a graphsvc file ('format' is {value}, expected 'graphsvc')",
    ),
    "unsupported_version": (
        "versie {value} van het graphsvc-formaat wordt niet ondersteund (wel: 1)",
        "version {value} of the graphsvc format is not supported (supported: 1)",
    ),
    "unsupported_format": (
        "dit bestandstype wordt niet ondersteund ({detail}); gebruik CSV, XLSX of JSON",
        "this kind of file is not supported ({detail}); use CSV, XLSX or JSON",
    ),
    "unknown_table": (
        "onduidelijk welke tabel dit is; noem het bestand actors.csv, ties.csv, meetings.csv "
        "of attendance.csv, of gebruik de kolommen van een van die tabellen",
        "cannot tell which table this is; name the file actors.csv, ties.csv, meetings.csv "
        "or attendance.csv, or use the columns of one of those tables",
    ),
    "duplicate_table": (
        "de tabel '{table}' staat al in {other}",
        "the table '{table}' was already given in {other}",
    ),
    "missing_sheet": (
        "het blad '{table}' ontbreekt; verwachte bladen: actors, ties en eventueel meetings, "
        "attendance",
        "the sheet '{table}' is missing; expected sheets: actors, ties and optionally meetings, "
        "attendance",
    ),
    "empty": (
        "het bestand bevat geen gegevens (geen enkele gegevensrij)",
        "the file holds no data (not a single data row)",
    ),
    "too_many_rows": (
        "meer dan {limit} gegevensrijen; splits het bestand in kleinere delen",
        "more than {limit} data rows; split the file into smaller parts",
    ),
    # limits that stop reading (nothing after them is read)
    "too_many_blank_rows": (
        "meer dan {limit} lege rijen; verwijder de lege rijen of splits het bestand",
        "more than {limit} empty rows; remove the empty rows or split the file",
    ),
    "too_large_unpacked": (
        "uitgepakt groter dan {limit_mb} MB (gestopt bij {member}); "
        "stuur de bestanden los of in kleinere delen",
        "larger than {limit_mb} MB when unpacked (stopped at {member}); "
        "send the files unpacked or in smaller parts",
    ),
    "time_limit": (
        "het lezen duurde langer dan {seconds} seconden en is hier gestopt; "
        "splits het bestand in kleinere delen",
        "reading took longer than {seconds} seconds and stopped here; "
        "split the file into smaller parts",
    ),
    "row_too_long": (
        "de rij is langer dan {limit} tekens; is dit wel een CSV-bestand?",
        "the row is longer than {limit} characters; is this a CSV file at all?",
    ),
    "mixed_encoding": (
        "deze rij is {this_nl}, maar {file_nl}; het bestand mengt coderingen: "
        "sla het opnieuw op als 'CSV UTF-8'",
        "this row is {this_en}, but {file_en}; the file mixes encodings: "
        "save it again as 'CSV UTF-8'",
    ),
    # the header
    "missing_column": (
        "de verplichte kolom '{column}' ontbreekt; verwachte kolommen: {expected_nl}",
        "the required column '{column}' is missing; expected columns: {expected_en}",
    ),
    "duplicate_column": (
        "de kolom '{column}' komt meer dan eens voor",
        "the column '{column}' appears more than once",
    ),
    "unnamed_column": (
        "kolom {column} bevat gegevens maar heeft geen naam in de kopregel",
        "column {column} holds data but has no name in the header row",
    ),
    "bad_attribute_name": (
        "ongeldige naam {value} voor een extra kolom: {reason_nl}",
        "invalid name {value} for an extra column: {reason_en}",
    ),
    "unknown_field": (
        "onbekend veld '{column}'; zet extra gegevens onder 'attributes'",
        "unknown field '{column}'; put extra data under 'attributes'",
    ),
    # cells
    "missing_value": (
        "'{column}' is verplicht maar leeg",
        "'{column}' is required but empty",
    ),
    "bad_type": (
        "verwacht {expected_nl}, maar vond {value}",
        "expected {expected_en}, but found {value}",
    ),
    "bad_text": (
        "de tekst {value} bevat ongeldige tekens (losse UTF-16-surrogaten)",
        "the text {value} holds invalid characters (lone UTF-16 surrogates)",
    ),
    "bad_key": (
        "ongeldige sleutel {value}: {reason_nl}",
        "invalid key {value}: {reason_en}",
    ),
    "bad_proeftuin": (
        "ongeldige proeftuin-sleutel {value}: {reason_nl}",
        "invalid proeftuin key {value}: {reason_en}",
    ),
    "unknown_kind": (
        "onbekende soort actor {value}; toegestaan: {allowed_nl}",
        "unknown kind of actor {value}; allowed: {allowed_en}",
    ),
    "unknown_tie_type": (
        "onbekende soort relatie {value}; toegestaan: {allowed_nl}",
        "unknown tie type {value}; allowed: {allowed_en}",
    ),
    "bad_date": (
        "ongeldige datum {value}; gebruik JJJJ-MM-DD of DD-MM-JJJJ",
        "invalid date {value}; use YYYY-MM-DD or DD-MM-YYYY",
    ),
    "until_before_since": (
        "'until' {value} ligt voor 'since' '{since}'",
        "'until' {value} is before 'since' '{since}'",
    ),
    "bad_weight": (
        "het gewicht {value} is geen getal (gebruik bijvoorbeeld 1, 2.5 of 2,5)",
        "the weight {value} is not a number (use for example 1, 2.5 or 2,5)",
    ),
    "nonpositive_weight": (
        "het gewicht {value} moet groter dan 0 zijn",
        "the weight {value} must be greater than 0",
    ),
    "self_loop": (
        "een relatie van {value} met zichzelf is niet toegestaan",
        "a tie from {value} to itself is not allowed",
    ),
    "bad_attribute_value": (
        "de waarde {value} wordt niet ondersteund: {reason_nl}",
        "the value {value} is not supported: {reason_en}",
    ),
    "duplicate_actor": (
        "de sleutel {value} staat ook al in {other_nl}",
        "the key {value} is also in {other_en}",
    ),
    "duplicate_meeting": (
        "de bijeenkomst {value} staat ook al in {other_nl}",
        "the meeting {value} is also in {other_en}",
    ),
    "duplicate_tie": (
        "dezelfde relatie (source, target, type, since) staat ook al in {other_nl}{sym_nl}",
        "the same tie (source, target, type, since) is also in {other_en}{sym_en}",
    ),
    "duplicate_attendance": (
        "deze aanwezigheid staat ook al in {other_nl}",
        "this attendance is also in {other_en}",
    ),
    "unknown_actor": (
        "de actor {value} bestaat niet: niet in de actors-tabel en nog niet bekend",
        "the actor {value} does not exist: not in the actors table and not known yet",
    ),
    "unknown_meeting": (
        "de bijeenkomst {value} bestaat niet: niet in de meetings-tabel en nog niet bekend",
        "the meeting {value} does not exist: not in the meetings table and not known yet",
    ),
    "key_clash": (
        "de sleutel {value} hoort al bij een actor van een andere proeftuin met een andere "
        "{what_nl} ({existing}); twee nummeringen lopen door elkaar",
        "the key {value} already belongs to an actor of another proeftuin with a different "
        "{what_en} ({existing}); two numbering schemes clash",
    ),
    # notices (do not block an import)
    "decoded_cp1252": (
        "gelezen als Windows-1252 (oude Excel-codering) omdat het geen geldige UTF-8 is",
        "read as Windows-1252 (old Excel encoding) because it is not valid UTF-8",
    ),
    "ignored_column": (
        "de kolom '{column}' wordt genegeerd",
        "the column '{column}' is ignored",
    ),
}


@dataclass(frozen=True, order=False)
class Problem:
    """One thing wrong with an import, located as the user sees it."""

    file: str
    table: str | None  # actors, ties, meetings, attendance; None for the upload as a whole
    row: int | None  # header = 1, first data row = 2 (JSON: item number); None = whole file
    column: str | None
    code: str
    message_nl: str
    message_en: str
    value: str | None = None

    def message(self, lang: str = "nl") -> str:
        """The message in ``lang`` ("nl" or "en"; anything else gets English)."""
        return self.message_nl if lang.lower().startswith("nl") else self.message_en

    def sort_key(self) -> tuple[Any, ...]:
        table = TABLE_ORDER.index(self.table) if self.table in TABLE_ORDER else -1
        return (self.file, table, self.row or 0, self.column or "", self.code)


@dataclass(frozen=True)
class Where:
    """The file (and sheet or JSON array) a problem is in."""

    file: str
    table: str | None = None
    fmt: Literal["csv", "xlsx", "json", "upload"] = "csv"
    sheet: str | None = None  # the sheet name as written in the workbook

    def describe(self, lang: str, row: int | None, column: str | None) -> str:
        nl = lang == "nl"
        parts = [self.file]
        if self.fmt == "xlsx" and self.sheet is not None:
            parts.append(f"{'blad' if nl else 'sheet'} '{self.sheet}'")
        if self.fmt == "json" and self.table is not None:
            parts.append(self.table if row is None else f"{self.table} item {row}")
        elif row is not None:
            parts.append(f"{'rij' if nl else 'row'} {row}")
        if column is not None:
            if self.fmt == "json":
                parts.append(f"{'veld' if nl else 'field'} '{column}'")
            else:
                parts.append(f"{'kolom' if nl else 'column'} '{column}'")
        return ", ".join(parts)


def show(value: Any, limit: int = 60) -> str:
    """A value quoted for a message: shortened, with control characters made visible."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(
        f"\\x{ord(c):02x}" if unicodedata.category(c) in ("Cc", "Cs") else c for c in text
    )
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


#: The most a value, or a name quoted in a message, keeps of itself: a 128 KiB cell
#: repeated in a thousand problems would otherwise make a 128 MB answer.
TEXT_LIMIT = 200


@dataclass
class ProblemLog:
    """Collects the problems (and notices) of one parse: the first ``limit`` of each,
    and how many there were in all (``total``, ``notices_total``)."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    limit: int = 1000
    total: int = 0
    notices_total: int = 0

    def add(
        self,
        where: Where,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        notice: bool = False,
        **params: Any,
    ) -> None:
        if notice:
            self.notices_total += 1
            if len(self.notices) >= self.limit:
                return
        else:
            self.total += 1
            if len(self.problems) >= self.limit:
                return
        nl_template, en_template = CODES[code]
        if column is not None:
            column = _shorten(column)
        params = {k: _shorten(v) if isinstance(v, str) else v for k, v in params.items()}
        fill = {"value": show(value) if value is not None else "''", "column": column, **params}
        text_nl = nl_template.format(**fill)
        text_en = en_template.format(**fill)
        problem = Problem(
            file=where.file,
            table=where.table,
            row=row,
            column=column,
            code=code,
            message_nl=f"{where.describe('nl', row, column)}: {text_nl}",
            message_en=f"{where.describe('en', row, column)}: {text_en}",
            value=_value_text(value),
        )
        (self.notices if notice else self.problems).append(problem)

    def add_limit(self, reached: LimitReached) -> None:
        self.add(reached.where, reached.code, row=reached.row, **reached.params)

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)

    def sorted_notices(self) -> list[Problem]:
        return sorted(self.notices, key=Problem.sort_key)


class LimitReached(Exception):
    """Reading stopped at a limit (rows, unpacked size, time, line length).

    Raised where the limit is met, caught by the parse entry points, which log it as
    the problem ``code`` at ``where``/``row`` and read no further.
    """

    def __init__(self, where: Where, code: str, row: int | None = None, **params: Any) -> None:
        super().__init__(code)
        self.where = where
        self.code = code
        self.row = row
        self.params = params


def _shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_text(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    # Lone surrogates (possible from JSON escapes) cannot be encoded; make them visible.
    return _shorten(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def problems_as_json(problems: list[Problem], lang: str = "nl") -> list[dict[str, Any]]:
    """Problems as JSON-ready objects for the API, with the message in ``lang``.

    Each object has ``file, table, row, column, code, message, value``; the
    order is the order given (parse results are already sorted by file, sheet,
    row and column).
    """
    return [
        {
            "file": p.file,
            "table": p.table,
            "row": p.row,
            "column": p.column,
            "code": p.code,
            "message": p.message(lang),
            "value": p.value,
        }
        for p in problems
    ]
