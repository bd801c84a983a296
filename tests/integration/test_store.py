"""The graph model on a real Neo4j: seeds, conflicts, versions, round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.errors import Conflict, ImportRejected, InvalidInput, NotFound
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen


def test_seeds_load_twice_gives_the_same_counts(repo):
    list(load_seeds(repo))
    first = repo.count_all()
    versions = repo.proeftuinen.list_versions()
    list(load_seeds(repo))
    assert repo.count_all() == first
    assert repo.proeftuinen.list_versions() == versions  # nothing changed, so no version moved
    proeftuinen = repo.proeftuinen.list()
    assert [p.key for p in proeftuinen] == sorted(s["key"] for s in seed_proeftuinen())
    assert len(proeftuinen) == 8
    for p in proeftuinen:
        assert set(p.counts) == set(vocab.KIND_KEYS), p.key
        assert 25 <= p.actors <= 300, p.key
        assert p.fictional


def test_shared_funders_connect_proeftuinen(repo):
    list(load_seeds(repo))
    rows = repo.network.get()
    fund = next(a for a in rows.actors if a.key == "fonds-fgg")
    assert len(fund.proeftuinen) >= 3
    types = {t.type for t in rows.ties}
    assert types == set(vocab.TIE_TYPE_KEYS)
    dates = [t.since for t in rows.ties]
    assert min(dates) >= dt.date(2022, 11, 1) and max(dates) <= dt.date(2024, 11, 30)
    assert any(t.until for t in rows.ties)


def _pt(repo, key="p1"):
    repo.proeftuinen.create(key, f"Proeftuin {key}", "Testgemeente")
    return key


def test_actor_key_in_same_proeftuin_is_a_conflict(repo):
    _pt(repo)
    repo.actors.create("p1", Actor("a1", "resident", "Ayşe Çelik", ("p1",)))
    before = repo.count_all(), repo.proeftuinen.list_versions()
    with pytest.raises(Conflict) as err:
        repo.actors.create("p1", Actor("a1", "resident", "Someone Else", ("p1",)))
    assert "a1" in err.value.message_en and "already exists" in err.value.message_en
    assert "bestaat al" in err.value.message_nl
    assert (repo.count_all(), repo.proeftuinen.list_versions()) == before
    actors, total = repo.actors.list("p1")
    assert total == 1 and actors[0].name == "Ayşe Çelik"


def test_same_actor_of_another_proeftuin_is_shared_but_a_clash_is_refused(repo):
    _pt(repo, "p1")
    _pt(repo, "p2")
    repo.actors.create("p1", Actor("f1", "funder", "Fonds X", ("p1",)))
    repo.actors.create("p2", Actor("f1", "funder", "Fonds X", ("p2",)))
    assert repo.actors.get("p2", "f1").proeftuinen == ("p1", "p2")
    with pytest.raises(Conflict) as err:
        repo.actors.create("p2", Actor("r9", "resident", "Jan", ("p2",)))
        repo.actors.create("p1", Actor("r9", "official", "Jan", ("p1",)))
    assert "numbering" in err.value.message_en


def test_every_write_bumps_the_version_and_a_failed_write_does_not(repo):
    assert repo.proeftuinen.create("p1", "P1", "G") == 1
    assert repo.proeftuinen.update("p1", "P1", "G") == 1  # unchanged: no bump
    assert repo.proeftuinen.update("p1", "P1 renamed", "G") == 2
    v = repo.actors.create("p1", Actor("a", "resident", "A", ("p1",)))
    assert v == 3
    assert repo.actors.create("p1", Actor("b", "initiative", "B", ("p1",))) == 4
    versions = repo.ties.create("p1", Tie("a", "b", "member_of", dt.date(2023, 1, 1)))
    assert versions == {"p1": 5}
    assert repo.actors.update("p1", "a", "resident", "A2", {"neighbourhood": "Noord"}) == 6
    with pytest.raises(Conflict):
        repo.actors.create("p1", Actor("a", "resident", "A", ("p1",)))
    with pytest.raises(InvalidInput) as err:
        repo.ties.create("p1", Tie("a", "nobody", "knows", dt.date(2023, 1, 1)))
    assert err.value.extra["field"] == "target"
    with pytest.raises(NotFound):
        repo.actors.update("p1", "nobody", "resident", "X", {})
    assert repo.proeftuinen.list_versions() == {"p1": 6}
    assert repo.ties.delete("p1", "a", "b", "member_of", dt.date(2023, 1, 1)) == {"p1": 7}
    assert repo.actors.delete("p1", "b") == 8
    assert repo.proeftuinen.list_versions() == {"p1": 8}


def test_import_is_all_or_nothing_against_the_store(repo):
    _pt(repo, "p1")
    _pt(repo, "p2")
    repo.actors.create("p2", Actor("x1", "official", "Ingrid", ("p2",)))
    before = repo.count_all(), repo.proeftuinen.list_versions()
    ds = Dataset(
        actors=[Actor("a1", "resident", "A", ("p1",)), Actor("x1", "resident", "Other", ("p1",))],
        ties=[Tie("a1", "ghost", "knows", dt.date(2023, 5, 1))],
    )
    with pytest.raises(ImportRejected) as err:
        repo.datasets.import_(ds, proeftuin="p1")
    codes = sorted(p["code"] for p in err.value.extra["problems"])
    assert codes == ["key_clash", "unknown_actor"]
    assert (repo.count_all(), repo.proeftuinen.list_versions()) == before


def test_repository_round_trips_every_kind_and_tie_type(repo):
    _pt(repo, "p1")
    actors = [
        Actor(
            f"k-{kind}",
            kind,
            f"Naam {kind} é",
            ("p1",),
            {"neighbourhood": "Noord", "size": 3, "active": True, "score": 1.5},
        )
        for kind in vocab.KIND_KEYS
    ]
    keys = [a.key for a in actors]
    ties = []
    for i, type_ in enumerate(vocab.TIE_TYPE_KEYS):
        until = dt.date(2024, 6, 1) if i % 2 else None
        ties.append(
            Tie(
                keys[i % 5],
                keys[(i + 1) % 5],
                type_,
                dt.date(2023, 1 + i, 2),
                until,
                1.5 + i,
                "enquête",
                {"note": f"n{i}", "strength": i},
            )
        )
    meetings = [Meeting("m1", dt.date(2023, 4, 5), "Buurttafel", "p1", {"place": "Buurthuis"})]
    attendance = [Attendance("m1", keys[0]), Attendance("m1", keys[3])]
    ds = Dataset(actors, ties, meetings, attendance).sorted()
    summary = repo.datasets.import_(ds, proeftuin="p1")
    assert summary.created == {"actors": 5, "ties": 7, "meetings": 1, "attendance": 2}
    assert repo.network.get(["p1"]).dataset() == ds
    again = repo.datasets.import_(ds, proeftuin="p1")
    assert not again.changed and again.unchanged["ties"] == 7
    # Symmetric ties are one tie whichever way round they are given.
    flipped = Tie(
        ties[0].target,
        ties[0].source,
        ties[0].type,
        ties[0].since,
        ties[0].until,
        ties[0].weight,
        ties[0].provenance,
        ties[0].attributes,
    )
    assert not repo.datasets.import_(Dataset(ties=[flipped])).changed


def test_dry_run_reports_and_writes_nothing(repo):
    _pt(repo, "p1")
    repo.actors.create("p1", Actor("a", "resident", "A", ("p1",)))
    before = repo.count_all(), repo.proeftuinen.list_versions()
    ds = Dataset(
        actors=[Actor("a", "resident", "A renamed", ("p1",)), Actor("b", "resident", "B", ("p1",))]
    )
    summary = repo.datasets.import_(ds, proeftuin="p1", dry_run=True)
    assert summary.dry_run and summary.created["actors"] == 1 and summary.updated["actors"] == 1
    assert (repo.count_all(), repo.proeftuinen.list_versions()) == before


def test_reads_run_in_read_transactions_where_neo4j_refuses_writes(repo):
    """``db.read`` opens READ transactions (routed to secondaries on a cluster), ``db.write``
    WRITE ones: Neo4j itself refuses a write inside a read transaction."""
    _pt(repo)

    def count(tx):
        return tx.run("MATCH (p:Proeftuin) RETURN count(p) AS n").single()["n"]

    def sneak_in(tx):
        tx.run("CREATE (:Proeftuin {key: 'stiekem', version: 1})").consume()

    assert repo.db.read(count) == 1
    with pytest.raises(Exception) as err:
        repo.db.read(sneak_in)
    assert getattr(err.value, "code", None) == "Neo.ClientError.Statement.AccessMode", err.value
    assert repo.proeftuinen.list_versions() == {"p1": 1}
    repo.db.write((), sneak_in)
    assert repo.db.read(count) == 2
    assert repo.proeftuinen.get("stiekem").version == 1  # one proeftuin, by its own query
