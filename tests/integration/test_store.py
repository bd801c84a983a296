"""The graph model on a real Neo4j: seeds, conflicts, versions, round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from graphsvc import vocabulary as vocab
from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.errors import Conflict, ImportRejected, NotFound
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen


def test_seeds_load_twice_gives_the_same_counts(repo):
    list(load_seeds(repo))
    first = repo.counts()
    versions = repo.versions()
    list(load_seeds(repo))
    assert repo.counts() == first
    assert repo.versions() == versions  # nothing changed, so no version moved
    proeftuinen = repo.list_proeftuinen()
    assert [p.key for p in proeftuinen] == sorted(s["key"] for s in seed_proeftuinen())
    assert len(proeftuinen) == 8
    for p in proeftuinen:
        assert set(p.counts) == set(vocab.KIND_KEYS), p.key
        assert 25 <= p.actors <= 300, p.key
        assert p.fictional


def test_shared_funders_connect_proeftuinen(repo):
    list(load_seeds(repo))
    rows = repo.read_network()
    fund = next(a for a in rows.actors if a.key == "fonds-fgg")
    assert len(fund.proeftuinen) >= 3
    types = {t.type for t in rows.ties}
    assert types == set(vocab.TIE_TYPE_KEYS)
    dates = [t.since for t in rows.ties]
    assert min(dates) >= dt.date(2022, 11, 1) and max(dates) <= dt.date(2024, 11, 30)
    assert any(t.until for t in rows.ties)


def _pt(repo, key="p1"):
    repo.save_proeftuin(key, f"Proeftuin {key}", "Testgemeente")
    return key


def test_actor_key_in_same_proeftuin_is_a_conflict(repo):
    _pt(repo)
    repo.create_actor("p1", Actor("a1", "resident", "Ayşe Çelik", ("p1",)))
    before = repo.counts(), repo.versions()
    with pytest.raises(Conflict) as err:
        repo.create_actor("p1", Actor("a1", "resident", "Someone Else", ("p1",)))
    assert "a1" in err.value.message_en and "already exists" in err.value.message_en
    assert "bestaat al" in err.value.message_nl
    assert (repo.counts(), repo.versions()) == before
    actors, total = repo.list_actors("p1")
    assert total == 1 and actors[0].name == "Ayşe Çelik"


def test_same_actor_of_another_proeftuin_is_shared_but_a_clash_is_refused(repo):
    _pt(repo, "p1")
    _pt(repo, "p2")
    repo.create_actor("p1", Actor("f1", "funder", "Fonds X", ("p1",)))
    repo.create_actor("p2", Actor("f1", "funder", "Fonds X", ("p2",)))
    assert repo.get_actor("p2", "f1").proeftuinen == ("p1", "p2")
    with pytest.raises(Conflict) as err:
        repo.create_actor("p2", Actor("r9", "resident", "Jan", ("p2",)))
        repo.create_actor("p1", Actor("r9", "official", "Jan", ("p1",)))
    assert "numbering" in err.value.message_en


def test_every_write_bumps_the_version_and_a_failed_write_does_not(repo):
    assert repo.save_proeftuin("p1", "P1", "G") == 1
    assert repo.save_proeftuin("p1", "P1", "G") == 1  # unchanged: no bump
    assert repo.save_proeftuin("p1", "P1 renamed", "G") == 2
    v = repo.create_actor("p1", Actor("a", "resident", "A", ("p1",)))
    assert v == 3
    assert repo.create_actor("p1", Actor("b", "initiative", "B", ("p1",))) == 4
    versions = repo.save_tie(Tie("a", "b", "member_of", dt.date(2023, 1, 1)))
    assert versions == {"p1": 5}
    assert repo.update_actor("p1", "a", "resident", "A2", {"neighbourhood": "Noord"}) == 6
    with pytest.raises(Conflict):
        repo.create_actor("p1", Actor("a", "resident", "A", ("p1",)))
    with pytest.raises(NotFound):
        repo.save_tie(Tie("a", "nobody", "knows", dt.date(2023, 1, 1)))
    with pytest.raises(NotFound):
        repo.update_actor("p1", "nobody", "resident", "X", {})
    assert repo.versions() == {"p1": 6}
    assert repo.delete_tie("a", "b", "member_of", dt.date(2023, 1, 1)) == {"p1": 7}
    assert repo.remove_actor("p1", "b") == 8
    assert repo.versions() == {"p1": 8}


def test_import_is_all_or_nothing_against_the_store(repo):
    _pt(repo, "p1")
    _pt(repo, "p2")
    repo.create_actor("p2", Actor("x1", "official", "Ingrid", ("p2",)))
    before = repo.counts(), repo.versions()
    ds = Dataset(
        actors=[Actor("a1", "resident", "A", ("p1",)), Actor("x1", "resident", "Other", ("p1",))],
        ties=[Tie("a1", "ghost", "knows", dt.date(2023, 5, 1))],
    )
    with pytest.raises(ImportRejected) as err:
        repo.import_dataset(ds, proeftuin="p1")
    codes = sorted(p["code"] for p in err.value.extra["problems"])
    assert codes == ["key_clash", "unknown_actor"]
    assert (repo.counts(), repo.versions()) == before


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
    summary = repo.import_dataset(ds, proeftuin="p1")
    assert summary.created == {"actors": 5, "ties": 7, "meetings": 1, "attendance": 2}
    assert repo.export_dataset(["p1"]) == ds
    again = repo.import_dataset(ds, proeftuin="p1")
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
    assert not repo.import_dataset(Dataset(ties=[flipped])).changed


def test_dry_run_reports_and_writes_nothing(repo):
    _pt(repo, "p1")
    repo.create_actor("p1", Actor("a", "resident", "A", ("p1",)))
    before = repo.counts(), repo.versions()
    ds = Dataset(
        actors=[Actor("a", "resident", "A renamed", ("p1",)), Actor("b", "resident", "B", ("p1",))]
    )
    summary = repo.import_dataset(ds, proeftuin="p1", dry_run=True)
    assert summary.dry_run and summary.created["actors"] == 1 and summary.updated["actors"] == 1
    assert (repo.counts(), repo.versions()) == before
