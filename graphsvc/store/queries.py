"""Loader of the Cypher files in ``cypher/``: one named query per file.

Like aiosql/pugsql: a query's name is its file name without ``.cypher``; the
leading ``//`` comment lines are its docstring.  Queries are loaded once into
a mapping and never built by string formatting; this is the one place where
their text is cast to the driver's ``LiteralString`` (docs/architecture.md, habit 4).
Schema statements (constraints, indexes) live in ``cypher/schema/`` and are
applied in file-name order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import LiteralString, cast

__all__ = ["Query", "queries", "query", "schema_statements"]

_PACKAGE = "graphsvc.cypher"


@dataclass(frozen=True)
class Query:
    name: str
    text: LiteralString
    doc: str


def _parse(name: str, raw: str) -> Query:
    doc_lines = []
    for line in raw.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            doc_lines.append(stripped[2:].strip())
        elif stripped:
            break
    text: str = raw.strip()
    # mypy treats LiteralString as str; the cast is for the driver's stricter signature.
    return Query(name, cast(LiteralString, text), " ".join(doc_lines))  # type: ignore[redundant-cast]


@functools.cache
def queries() -> dict[str, Query]:
    """Every named query, by name."""
    folder = resources.files(_PACKAGE)
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return found


def query(name: str) -> LiteralString:
    """The text of the query ``name``; KeyError names the missing file."""
    try:
        return queries()[name].text
    except KeyError:
        raise KeyError(f"no Cypher file cypher/{name}.cypher") from None


@functools.cache
def schema_statements() -> tuple[Query, ...]:
    """Schema statements (idempotent: IF NOT EXISTS), in file-name order."""
    folder = resources.files(_PACKAGE).joinpath("schema")
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".cypher")), key=lambda e: e.name
    )
    return tuple(_parse(e.name[: -len(".cypher")], e.read_text(encoding="utf-8")) for e in entries)
