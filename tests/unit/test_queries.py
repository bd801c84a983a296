"""Every Cypher file loads, every named query is used, none is built by string formatting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from graphsvc.store.queries import queries, schema_statements

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for p in (ROOT / "graphsvc").rglob("*.py")]


def _calls_of_query() -> list[ast.Call]:
    calls = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "query":
                calls.append(node)
    return calls


def test_every_cypher_file_loads_with_a_docstring():
    found = queries()
    files = sorted(p.stem for p in (ROOT / "cypher").glob("*.cypher"))
    assert sorted(found) == files and len(files) >= 20
    for q in found.values():
        assert q.doc, f"{q.name}.cypher has no leading // comment"
        assert q.text.strip()
    schema = schema_statements()
    assert [s.name for s in schema] == sorted(
        p.stem for p in (ROOT / "cypher/schema").glob("*.cypher")
    )
    assert all("IF NOT EXISTS" in s.text for s in schema)


def test_every_named_query_is_used_and_only_by_literal_name():
    used = set()
    for call in _calls_of_query():
        assert len(call.args) == 1 and isinstance(call.args[0], ast.Constant), (
            "query() must be called with a literal name"
        )
        used.add(call.args[0].value)
    assert used == set(queries()), (
        f"unused: {set(queries()) - used}, missing: {used - set(queries())}"
    )


def test_no_query_text_is_built_by_string_formatting():
    run_calls = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) in ("run", "execute_query")
                and getattr(node.func.value, "id", None) in ("tx", "session", "driver")
            ):
                first = node.args[0] if node.args else None
                if first is None:
                    continue
                run_calls += 1
                ok = (
                    isinstance(first, ast.Call) and getattr(first.func, "id", None) == "query"
                ) or (isinstance(first, ast.Attribute) and first.attr == "text")
                assert ok, f"{path.name}:{node.lineno}: Cypher not from the query loader"
    assert run_calls >= 10


def test_only_the_store_imports_neo4j():
    importers = set()
    for path in list(SOURCES) + list((ROOT / "visualize").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import neo4j|from neo4j)", text, re.M):
            importers.add(path.relative_to(ROOT).as_posix())
    assert importers, "the store imports the driver"
    assert all(path.startswith("graphsvc/store/") for path in importers), importers
