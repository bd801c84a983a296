"""Load the demo proeftuinen from ``seeds/`` (idempotent: a second load changes nothing)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from importlib import resources

from graphsvc.dataset import Dataset
from graphsvc.errors import ImportRejected
from graphsvc.store.repository import Repository
from graphsvc.transfer.fileformats import TABLES, parse_tables, problems_as_json

__all__ = ["load_seeds", "seed_dataset", "seed_proeftuinen"]

_PACKAGE = "graphsvc.seeds"


def seed_proeftuinen() -> list[dict[str, str]]:
    text = resources.files(_PACKAGE).joinpath("proeftuinen.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def seed_dataset(key: str) -> Dataset:
    """The demo proeftuin ``key``'s tables as a dataset (ImportRejected when they are invalid)."""
    folder = resources.files(_PACKAGE).joinpath(key)
    tables = {
        name: (f"seeds/{key}/{name}.csv", folder.joinpath(f"{name}.csv").read_bytes())
        for name in TABLES
    }
    parsed = parse_tables(tables, default_proeftuin=key)
    if not parsed.ok:
        raise ImportRejected(
            f"De demogegevens van {key} zijn ongeldig.",
            f"The demo data of {key} is invalid.",
            problems=problems_as_json(parsed.problems, "en"),
        )
    assert parsed.dataset is not None  # parse_tables gives a dataset whenever it is ok
    return parsed.dataset


def load_seeds(repo: Repository, keys: Iterable[str] | None = None) -> Iterator[str]:
    """Save the demo proeftuinen (all eight, or those of ``keys``) and import each one's
    tables; yields a line per proeftuin."""
    wanted = None if keys is None else set(keys)
    for site in seed_proeftuinen():
        key = site["key"]
        if wanted is not None and key not in wanted:
            continue
        if repo.proeftuinen.list_versions([key]):
            repo.proeftuinen.update(key, site["name"], site["municipality"], fictional=True)
        else:
            repo.proeftuinen.create(key, site["name"], site["municipality"], fictional=True)
        dataset = seed_dataset(key)
        summary = repo.datasets.import_(dataset, proeftuin=key)
        created = sum(summary.created.values())
        updated = sum(summary.updated.values())
        yield (
            f"{key:12} {len(dataset.actors):4d} actoren/actors "
            f"{len(dataset.ties):5d} relaties/ties: "
            f"{created} nieuw/new, {updated} gewijzigd/updated"
        )
