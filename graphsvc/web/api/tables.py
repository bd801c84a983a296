"""CSV versions of the metric tables of /api/v1 (actor metrics, changes, compare): rows of plain
values for graphsvc.web.tables.csv_response.  Residents' names only reach these rows where the
JSON answer carries them too (actor metrics and change lists are analyst-only)."""

from __future__ import annotations

from typing import Any

from graphsvc.metrics.brokerage import ROLES

__all__ = ["actor_rows", "change_rows", "compare_rows"]

_ACTOR_COLUMNS = (
    "degree", "in_degree", "out_degree", "betweenness", "betweenness_normalized", "closeness",
    "core_number", "constraint", "effective_size", "efficiency", "hierarchy",
    "articulation_point", "ei_index",
)  # fmt: skip


def actor_rows(body: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["key", "name", "kind", "group", *_ACTOR_COLUMNS]
    header += [f"brokerage_{r}" for r in ROLES] + [f"brokerage_z_{r}" for r in ROLES]
    rows = [
        [a["key"], a.get("name"), a["kind"], a["group"]]
        + [a.get(c) for c in _ACTOR_COLUMNS]
        + [a["brokerage"][r] for r in ROLES]
        + [a["brokerage_z"][r] for r in ROLES]
        for a in body["actors"]
    ]
    return header, rows


def change_rows(body: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Indicators from/to, then (analysts) the tie lists and role changes, one table."""
    header = ["what", "key", "name", "kind", "other_key", "other_name", "type", "from", "to"]
    rows: list[list[Any]] = [
        ["indicator", i["indicator"], "", "", "", "", "", i["from"], i["to"]]
        for i in body["indicators"]
    ]
    for what in ("appeared_list", "ended_list"):
        for t in body["ties"].get(what, []):
            rows.append(
                [what.removesuffix("_list"), t["source"], t.get("source_name"),
                 t.get("source_kind"), t["target"], t.get("target_name"), t["type"], t["since"],
                 t["until"]]
            )  # fmt: skip
    for r in (body.get("actors") or {}).get("brokerage_role_changed", []):
        rows.append(["role", r["key"], r.get("name"), r["kind"], "", "", "", r["from"], r["to"]])
    return header, rows


def compare_rows(body: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    keys = [p["proeftuin"] for p in body["proeftuinen"]]
    header = ["indicator", *keys, *[f"signal_{k}" for k in keys]]
    rows = [
        [name]
        + [p["indicators"].get(name) for p in body["proeftuinen"]]
        + [p["signals"].get(name, "") for p in body["proeftuinen"]]
        for name in body["indicators"]
    ]
    return header, rows
