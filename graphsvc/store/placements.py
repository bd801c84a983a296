"""Placements: what a map needs besides the data (pseudonyms, stored positions, map stamps).

A resident's pseudonym and each actor's position live on its
``(:Actor)-[:IN]->(:Proeftuin)`` relationship, positions on the national map on
``(:Actor)-[:PLACED_IN]->(:Layout {key: 'national'})``.  None of these writes
bumps a proeftuin's ``version``.  Pseudonyms and positions are presentation,
not data: no metric, export or data ETag changes with them, and a bump would
throw away every cached analysis the first time a map is drawn.  Rendered maps
are cached on the separate ``layout_version`` (per proeftuin, and ``version``
of the national Layout node): see :meth:`Placements.get_stamp`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from graphsvc.store.driver import Database, Tx
from graphsvc.store.proeftuinen import no_proeftuin
from graphsvc.store.queries import query

__all__ = ["Placements"]

#: ``{key: [(proeftuin key, proeftuin name, number), ...]}``
Pseudonyms = dict[str, list[tuple[str, str, int]]]


def _stamp(tx: Tx, keys: list[str] | None) -> list[dict[str, Any]]:
    return tx.run(query("map_stamp"), keys=keys).data()


def _list(tx: Tx, proeftuin: str) -> dict[str, dict[str, Any]]:
    return {
        r["key"]: {
            "kind": r["kind"],
            "pseudonym": r["pseudonym"],
            "position": None
            if r["x"] is None or r["y"] is None
            else (float(r["x"]), float(r["y"])),
        }
        for r in tx.run(query("map_placements"), proeftuin=proeftuin)
    }


def _national(tx: Tx) -> tuple[dict[str, tuple[float, float]], Pseudonyms]:
    positions = {
        r["key"]: (float(r["x"]), float(r["y"])) for r in tx.run(query("map_national_positions"))
    }
    pseudonyms: Pseudonyms = {}
    for r in tx.run(query("map_national_pseudonyms")):
        pseudonyms.setdefault(r["key"], []).append((r["proeftuin"], r["name"], r["pseudonym"]))
    return positions, pseudonyms


def _create_pseudonyms(tx: Tx, keys: list[str]) -> int:
    counters = {r["key"]: r["next"] for r in tx.run(query("pseudonym_lock"), keys=keys)}
    missing: dict[str, list[str]] = {}
    for r in tx.run(query("pseudonym_missing"), keys=keys):
        missing.setdefault(r["proeftuin"], []).append(r["key"])
    rows = []
    for proeftuin, actors in missing.items():
        random.SystemRandom().shuffle(actors)
        first = counters[proeftuin]
        rows += [
            {"key": a, "proeftuin": proeftuin, "pseudonym": first + i} for i, a in enumerate(actors)
        ]
        counters[proeftuin] = first + len(actors)
    if not rows:
        return 0
    tx.run(query("pseudonym_assign"), rows=rows).consume()
    tx.run(
        query("pseudonym_counter"), counters=[{"key": k, "next": counters[k]} for k in missing]
    ).consume()
    return len(rows)


def _update_positions(
    tx: Tx, proeftuin: str | None, rows: list[dict[str, Any]], algorithm: str | int | None
) -> int:
    if proeftuin is None:
        saved = tx.run(query("layout_save_national"), rows=rows, algorithm=algorithm)
        return int(saved.single(strict=True)["layout"])
    rec = tx.run(query("layout_save"), proeftuin=proeftuin, rows=rows, algorithm=algorithm).single()
    if rec is None:
        raise no_proeftuin(proeftuin)
    return int(rec["layout"])


class Placements:
    """Pseudonyms and map positions of one database: ``repo.placements``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get_stamp(self, proeftuinen: Iterable[str] | None = None) -> dict[str, Any]:
        """What a rendered map depends on, in one read.

        Returns ``{"versions": {key: version}, "layouts": {key: layout_version},
        "algorithms": {key: int}, "national_layout": int, "national_algorithm": str,
        "generation": str}`` for the given proeftuinen (all when None); NotFound when a
        named one does not exist. ``algorithms`` is the layout algorithm's version each
        stored layout was made with (0: made before it was kept); ``national_algorithm`` that
        of the national positions ('' when none, or made before it was kept).
        """
        keys = None if proeftuinen is None else sorted(set(proeftuinen))
        rows = self._db.read(_stamp, keys)
        found = {r["key"] for r in rows}
        for key in keys or ():
            if key not in found:
                raise no_proeftuin(key)
        return {
            "versions": {r["key"]: r["version"] for r in rows},
            "layouts": {r["key"]: r["layout"] for r in rows},
            "algorithms": {r["key"]: r["algorithm"] for r in rows},
            "national_layout": rows[0]["national"] if rows else 0,
            "national_algorithm": rows[0]["national_algorithm"] if rows else "",
            "generation": (rows[0]["generation"] if rows else None) or "",
        }

    def list(self, proeftuin: str) -> dict[str, dict[str, Any]]:
        """Every actor of ``proeftuin`` as ``{key: {"kind", "pseudonym", "position"}}``.

        ``pseudonym`` is the stored number (None until assigned, and for
        non-residents); ``position`` is the stored ``(x, y)`` or None.
        """
        return self._db.read(_list, proeftuin)

    def get_national(self) -> tuple[dict[str, tuple[float, float]], Pseudonyms]:
        """Stored national positions ``{key: (x, y)}`` and each resident's pseudonyms
        ``{key: [(proeftuin key, proeftuin name, number), ...]}`` (sorted by proeftuin)."""
        return self._db.read(_national)

    def create_pseudonyms(self, proeftuinen: Iterable[str]) -> int:
        """Give every resident of the proeftuinen that has none a pseudonym number.

        Numbers count up per proeftuin from a counter on the proeftuin node and
        are never given twice, not even after an actor has left.  The counters
        are locked first (``pseudonym_lock``), so two concurrent calls cannot
        hand out one number twice.  Within one batch the numbers go out in
        random order: in key or name order, "Bewoner 1" would point at the
        first key or the first name.  Returns how many were assigned.
        """
        return self._db.write((), _create_pseudonyms, sorted(set(proeftuinen)))

    def update_positions(
        self,
        proeftuin: str | None,
        positions: dict[str, tuple[float, float]],
        algorithm: str | int | None = None,
    ) -> int:
        """Store map positions of a proeftuin (None: the national map); returns the new
        layout version.  The proeftuin's data ``version`` is left alone (see above).
        ``algorithm`` records which layout algorithm made a whole new layout (a proeftuin's:
        :data:`visualize.layout.LAYOUT_VERSION`; the national map's: its name); None keeps
        the recorded one (new actors placed into a stored layout)."""
        rows = [{"key": k, "x": float(x), "y": float(y)} for k, (x, y) in positions.items()]
        return self._db.write((), _update_positions, proeftuin, rows, algorithm)
