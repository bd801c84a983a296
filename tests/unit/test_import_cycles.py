"""No module of graphsvc or visualize imports, directly or through others, a module that
imports it back (typing-only imports included): the layers are checked by lint-imports, the
absence of cycles here."""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )


def test_there_are_no_import_cycles():
    graph = grimp.build_graph("graphsvc", "visualize")
    assert len(graph.modules) > 100
    assert _cycles(graph) == []


def test_a_cycle_would_be_found(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cyclic import a\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("cyclic")) == [
        ("cyclic.a", "cyclic.b"),
        ("cyclic.b", "cyclic.a"),
    ]
