"""The relationship survey end to end, on the real Neo4j with the demo proeftuin zandwijk.

An editor creates a round and invites actors; several respondents answer on their own
links (the HTML forms, as a phone sends them), one proposing a new person; the editor
accepts that person and closes the round.  Then the ties, their confirmation,
provenance and dates, the version bumps, the response rates and the suppression of
groups under three answers are checked against what the respondents said.  Also:
withdrawal removes exactly one person's contribution, and hostile input stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from graphsvc.survey.questions import MAX_NAMED
from graphsvc.transfer.seeding import load_seeds

T = "zandwijk"
ROUND = "zandwijk-2025"
TODAY = dt.date.today()
I01, I02, I03 = "zandwijk-i01", "zandwijk-i02", "zandwijk-i03"
G01, O01, R001, R002 = "zandwijk-g01", "zandwijk-o01", "zandwijk-r001", "zandwijk-r002"
CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def seeded(repo):
    list(load_seeds(repo))
    return repo


def make_round(client, keys, key=ROUND, opens=None, closes=None, questions=None) -> dict:
    body = {
        "key": key,
        "title": "Samenwerking Zandwijk 2025",
        "intro": "Fictieve testronde.",
        "opens": (opens or TODAY - dt.timedelta(days=1)).isoformat(),
        "closes": (closes or TODAY + dt.timedelta(days=30)).isoformat(),
        "questions": questions
        or [
            {"key": "collaborates", "scales": ["frequency", "trust", "equality"]},
            {"key": "support_received"},
        ],
    }
    resp = client.post(
        f"/api/v1/proeftuinen/{T}/surveys", json=body, headers=bearer(keys["editor"])
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def invite(client, keys, actors, key=ROUND) -> dict[str, str]:
    resp = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{key}/invitations",
        json={"actors": actors},
        headers=bearer(keys["editor"]),
    )
    assert resp.status_code == 201, resp.get_json()
    return {m["actor"]: m["url"].rsplit("/s/", 1)[1] for m in resp.get_json()["created"]}


def csrf(client, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, resp.status_code
    found = CSRF_RE.search(resp.get_data(as_text=True))
    assert found, "the page has no form token"
    return found.group(1)


def consent(client, token: str, findable: bool = False) -> None:
    data = {"csrf": csrf(client, f"/s/{token}"), "agree": "yes"}
    if findable:
        data["findable"] = "yes"
    resp = client.post(f"/s/{token}/consent", data=data)
    assert resp.status_code == 303


def answer(client, token: str, n: int, named: dict[str, dict], new=None, expect=200):
    """POST one question: ``named`` {ref: {item: value}}; ``new`` (name, kind)."""
    data: dict = {"csrf": csrf(client, f"/s/{token}/q/{n}"), "do": "save", "named": list(named)}
    for ref, values in named.items():
        for item, value in values.items():
            data[f"s|{ref}|{item}"] = str(value)
    if new:
        data["new_name"], data["new_kind"] = new
    resp = client.post(f"/s/{token}/q/{n}", data=data)
    assert resp.status_code == expect, resp.get_data(as_text=True)[:500]
    return resp


def high(trust: int, equal: int) -> dict[str, int]:
    return {
        "frequency": 3,
        "reliability": trust,
        "openness": trust,
        "equal_partners": equal,
        "input_counts": equal,
    }


def survey_ties(repo, key=ROUND) -> dict[tuple[str, str, str], object]:
    return {
        (t.source, t.target, t.type): t
        for t in repo.ties.list(T, limit=500)
        if t.provenance == f"survey:{key}"
    }


def test_a_round_end_to_end(app, client, keys, seeded):
    repo = seeded
    rnd = make_round(client, keys)
    assert rnd["questions"][0] == {
        "key": "collaborates",
        "scales": ["frequency", "trust", "equality"],
        "tie_type": "collaborates",
        "direction": "out",
    }
    links = invite(client, keys, [I01, I02, I03, G01, R001, O01])
    assert set(links) == {I01, I02, I03, G01, R001, O01}
    # Inviting again keeps the links.
    again = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/invitations",
        json={"actors": [I01]},
        headers=bearer(keys["editor"]),
    ).get_json()
    assert again == {"created": [], "already_invited": [I01]}
    before = repo.proeftuinen.list_versions([T])[T]

    # A resident consents and agrees to be findable, but answers nothing.
    consent(client, links[R001], findable=True)
    # The consent screen comes first; the questions need consent.
    first = client.get(f"/s/{links[I01]}").get_data(as_text=True)
    assert "AVG" in first and 'name="agree"' in first
    assert client.get(f"/s/{links[I01]}/q/1").status_code == 303
    for who in (I01, I02, I03, G01):
        consent(client, links[who])

    # The list: organisations, officials, funds, initiatives and findable residents only.
    page = client.get(f"/s/{links[I03]}/q/1").get_data(as_text=True)
    assert f'value="a:{R001}"' in page and f'value="a:{R002}"' not in page
    assert f'value="a:{I03}"' not in page and f'value="a:{G01}"' in page

    answer(
        client,
        links[I01],
        1,
        {f"a:{I02}": {}, f"a:{G01}": {}},
        new=("Nieuwe Buurvrouw", "resident"),
    )
    answer(
        client,
        links[I01],
        1,
        {f"a:{I02}": high(5, 5), f"a:{G01}": high(4, 2)}
        | {
            ref: {}
            for ref in re.findall(
                r'value="(p:prop-[0-9a-f]+)"',
                client.get(f"/s/{links[I01]}/q/1").get_data(as_text=True),
            )
        },
    )
    answer(client, links[I02], 1, {f"a:{I01}": high(4, 4), f"a:{G01}": high(3, 2)})
    answer(client, links[I02], 2, {f"a:{G01}": {}})
    answer(client, links[G01], 1, {f"a:{I01}": high(4, 4)})
    answer(client, links[I03], 1, {f"a:{G01}": high(2, 1), f"a:{R001}": {}})
    # Someone not findable cannot be named: nothing of that answer is stored.
    answer(client, links[I03], 2, {f"a:{R002}": {}}, expect=422)
    # Answers are not network data: no version moved, no tie yet.
    assert repo.proeftuinen.list_versions([T])[T] == before
    assert survey_ties(repo) == {}

    # The proposed person, accepted by an editor.
    proposals = client.get(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/proposals", headers=bearer(keys["analyst"])
    ).get_json()["items"]
    assert [(p["name"], p["kind"], p["status"]) for p in proposals] == [
        ("Nieuwe Buurvrouw", "resident", "pending")
    ]
    resp = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/proposals/{proposals[0]['id']}",
        json={"action": "accept", "new_key": "zandwijk-r900"},
        headers=bearer(keys["editor"]),
    )
    assert resp.status_code == 200, resp.get_json()
    assert repo.actors.get(T, "zandwijk-r900").name == "Nieuwe Buurvrouw"
    accepted = repo.proeftuinen.list_versions([T])[T]
    assert accepted == before + 1

    # Close: ties with provenance, confirmation and date, in one bump.
    resp = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/close", headers=bearer(keys["editor"])
    )
    assert resp.status_code == 200
    assert resp.get_json()["versions"][T] == accepted + 1 == repo.proeftuinen.list_versions([T])[T]
    ties = survey_ties(repo)
    confirmed = {k: t.attributes["confirmed"] for k, t in ties.items()}
    assert confirmed == {
        (I01, I02, "collaborates"): True,
        (G01, I01, "collaborates"): True,
        (G01, I02, "collaborates"): False,
        (G01, I03, "collaborates"): False,
        (I03, R001, "collaborates"): False,
        (I01, "zandwijk-r900", "collaborates"): False,
        (G01, I02, "supports"): False,
    }
    assert {t.since for t in ties.values()} == {TODAY}
    assert all(t.until is None for t in ties.values())
    # The ties listing keeps confirmed and unconfirmed apart.
    listed = client.get(
        f"/api/v1/proeftuinen/{T}/ties?confirmed=false&page_size=500",
        headers=bearer(keys["analyst"]),
    ).get_json()["items"]
    assert {(t["source"], t["target"], t["type"]) for t in listed} == {
        k for k, v in confirmed.items() if not v
    }
    everything = client.get(
        f"/api/v1/proeftuinen/{T}/ties?page_size=1", headers=bearer(keys["analyst"])
    ).get_json()["total"]
    kept = client.get(
        f"/api/v1/proeftuinen/{T}/ties?confirmed=true&page_size=1", headers=bearer(keys["analyst"])
    ).get_json()["total"]
    assert everything - kept == 5

    # The links stop working once the round is closed.
    assert client.get(f"/s/{links[I01]}").status_code == 404

    # Results: response per kind, reciprocity, suppression under three.
    viewer = client.get(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/results", headers=bearer(keys["viewer"])
    ).get_json()
    assert "non_respondents" not in viewer
    assert viewer["response_by_kind"] == [
        {"kind": "resident", "invited": 1, "answered": 0, "rate": 0.0},
        {"kind": "initiative", "invited": 3, "answered": 3, "rate": 1.0},
        {"kind": "official", "invited": 1, "answered": 1, "rate": 1.0},
        {"kind": "organisation", "invited": 1, "answered": 0, "rate": 0.0},
    ]
    assert (viewer["invited"], viewer["answered"]) == (6, 4)
    # Pairs of respondents where one named the other: i01-i02, i01-g01 (mutual), i02-g01, i03-g01.
    assert viewer["reciprocity"] == {"pairs": 4, "mutual": 2, "rate": 0.5}
    pairs = {(p["from_kind"], p["to_kind"]): p for p in viewer["group_pairs"]}
    # Three initiatives about the official: shown.  Trust means 4, 3, 2; equality 2, 2, 1.
    to_official = pairs[("initiative", "official")]
    assert to_official["trust"] == {"mean": 3.0, "answers": 3, "suppressed": False}
    assert to_official["equality"] == {"mean": 1.67, "answers": 3, "suppressed": False}
    # Two answers between initiatives, one from the official: nothing shown.
    for pair in (("initiative", "initiative"), ("official", "initiative")):
        for scale in ("frequency", "trust", "equality"):
            assert pairs[pair][scale] == {"mean": None, "answers": None, "suppressed": True}
    analyst = client.get(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/results", headers=bearer(keys["analyst"])
    ).get_json()
    assert {p["key"] for p in analyst["non_respondents"]} == {R001, O01}
    page = client.get(f"/proeftuinen/{T}/surveys/{ROUND}/results", headers=bearer(keys["viewer"]))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "te weinig antwoorden" in text and "Kofi" not in text

    # A copy repeats the questions for a later round.
    copy = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/copy",
        json={"key": "zandwijk-2026", "opens": TODAY.isoformat(), "closes": TODAY.isoformat()},
        headers=bearer(keys["editor"]),
    )
    assert copy.status_code == 201
    assert copy.get_json()["copied_from"] == ROUND
    assert copy.get_json()["questions"] == rnd["questions"]


def _answered_on(repo, key: str, actor: str, day: dt.date) -> None:
    """Date an answer back, through the store, as if it had been given on ``day``."""
    _, invitations, _, _ = repo.surveys.get_all(T, key)
    inv = next(i for i in invitations if i.actor == actor)
    repo.surveys.change(T, key, [{"id": inv.id, "props": {"answered_on": day}}])


def test_a_later_round_ends_the_ties_no_longer_named(app, client, keys, seeded):
    repo = seeded
    first_day, second_day = TODAY - dt.timedelta(days=50), TODAY - dt.timedelta(days=10)
    make_round(client, keys, "z-1", opens=first_day, questions=[{"key": "collaborates"}])
    links = invite(client, keys, [I01], "z-1")
    consent(client, links[I01])
    answer(client, links[I01], 1, {f"a:{I02}": {}, f"a:{G01}": {}})
    _answered_on(repo, "z-1", I01, first_day)
    client.post(f"/api/v1/proeftuinen/{T}/surveys/z-1/close", headers=bearer(keys["editor"]))
    assert {k: t.since for k, t in survey_ties(repo, "z-1").items()} == {
        (I01, I02, "collaborates"): first_day,
        (G01, I01, "collaborates"): first_day,
    }
    make_round(client, keys, "z-2", opens=second_day, questions=[{"key": "collaborates"}])
    links = invite(client, keys, [I01], "z-2")
    consent(client, links[I01])
    answer(client, links[I01], 1, {f"a:{I02}": {}})
    _answered_on(repo, "z-2", I01, second_day)
    client.post(f"/api/v1/proeftuinen/{T}/surveys/z-2/close", headers=bearer(keys["editor"]))
    # Named again: the new round's tie takes over from its since; no longer named: ended
    # on the closing day.
    assert {k: t.until for k, t in survey_ties(repo, "z-1").items()} == {
        (I01, I02, "collaborates"): second_day,
        (G01, I01, "collaborates"): TODAY,
    }
    second = survey_ties(repo, "z-2")
    assert {k: (t.since, t.until) for k, t in second.items()} == {
        (I01, I02, "collaborates"): (second_day, None)
    }


def test_withdrawal_removes_exactly_that_persons_contribution(app, client, keys, seeded):
    repo = seeded
    make_round(client, keys)
    links = invite(client, keys, [I01, I02, G01])
    for who in (I01, I02, G01):
        consent(client, links[who])
    answer(client, links[I01], 1, {f"a:{I02}": high(5, 5), f"a:{G01}": {}})
    answer(client, links[I02], 1, {f"a:{I01}": high(4, 4), f"a:{G01}": {}})
    answer(client, links[G01], 1, {f"a:{I01}": {}})
    resp = client.post(
        f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/apply", headers=bearer(keys["editor"])
    )
    assert resp.status_code == 200
    before = {k: t.attributes["confirmed"] for k, t in survey_ties(repo).items()}
    assert before == {
        (I01, I02, "collaborates"): True,
        (G01, I01, "collaborates"): True,
        (G01, I02, "collaborates"): False,
    }
    version = repo.proeftuinen.list_versions([T])[T]
    others = {(t.source, t.target, t.type, t.since) for t in repo.ties.list(T, limit=1000)} - {
        (*k, TODAY) for k in before
    }

    token = links[I02]
    page = client.get(f"/s/{token}/withdraw").get_data(as_text=True)
    data = {"csrf": CSRF_RE.search(page).group(1)}
    assert client.post(f"/s/{token}/withdraw", data=data).status_code == 200

    after = {k: t.attributes["confirmed"] for k, t in survey_ties(repo).items()}
    assert after == {(I01, I02, "collaborates"): False, (G01, I01, "collaborates"): True}
    assert repo.proeftuinen.list_versions([T])[T] == version + 1
    rest = {(t.source, t.target, t.type, t.since) for t in repo.ties.list(T, limit=1000)}
    assert others <= rest  # nothing else was touched
    _, invitations, _, _ = repo.surveys.get_all(T, ROUND)
    withdrawn = next(i for i in invitations if i.actor == I02)
    assert withdrawn.answers == {} and withdrawn.consent_on is None
    # The link still works: the person may consent again.
    assert 'name="agree"' in client.get(f"/s/{token}").get_data(as_text=True)


def _state(repo):
    _, invitations, proposals, _ = repo.surveys.get_all(T, ROUND)
    return (
        repo.count_all(),
        repo.proeftuinen.list_versions([T]),
        [(i.id, i.answers, i.answered_on) for i in invitations],
        len(proposals),
    )


def test_hostile_input_stores_nothing(app, client, keys, seeded):
    repo = seeded
    make_round(client, keys)
    links = invite(client, keys, [I01, I02])
    consent(client, links[I01])
    token = links[I01]
    good = csrf(client, f"/s/{token}/q/1")
    before = _state(repo)

    gone = client.get("/s/" + "A" * 32)
    assert gone.status_code == 404
    # Revoked, malformed and unknown links answer alike.
    inv_id = next(
        i["id"]
        for i in client.get(
            f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/invitations", headers=bearer(keys["analyst"])
        ).get_json()["items"]
        if i["actor"] == I02
    )
    assert (
        client.delete(
            f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/invitations/{inv_id}",
            headers=bearer(keys["editor"]),
        ).status_code
        == 204
    )
    for bad in (links[I02], "x' OR 1=1 //", "<script>alert(1)</script>", token[:-1]):
        resp = client.get(f"/s/{bad}")
        assert resp.status_code == 404
        if "/" not in bad:  # with a slash it is no survey link at all: the app's own 404
            assert resp.get_data() == gone.get_data()

    posts = [
        ({"do": "save", "named": [f"a:{I02}"]}, 403),  # no form token
        ({"csrf": "0" * 64, "do": "save", "named": [f"a:{I02}"]}, 403),  # a wrong one
        ({"csrf": good, "named": ["a:x' OR 1=1 //"]}, 422),  # not on the list
        ({"csrf": good, "named": ["a:zandwijk-r002"]}, 422),  # a resident not findable
        ({"csrf": good, "new_name": "Iemand", "new_kind": "Actor`) DETACH DELETE a //"}, 422),
        ({"csrf": good, "new_name": "x\x00y", "new_kind": "resident"}, 422),
        ({"csrf": good, "new_name": "x" * 101, "new_kind": "resident"}, 422),
        ({"csrf": good, "named": [f"a:{I02}"], f"s|a:{I02}|reliability": "9"}, 422),
        ({"csrf": good, "named": [f"a:{I02}"], f"s|a:{I02}|reliability": "'; DROP"}, 422),
        ({"csrf": good, "named": [f"x{n}" for n in range(MAX_NAMED * 10)]}, 403),  # oversized
    ]
    for data, status in posts:
        resp = client.post(f"/s/{token}/q/1", data=data)
        assert resp.status_code == status, (data, resp.status_code)
    resp = client.post(
        f"/s/{token}/q/1",
        data={"csrf": good, "named": [f"a:{I02}"]},
        headers={"Origin": "https://elders.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert resp.status_code == 403
    assert client.post(f"/s/{token}/q/99", data={"csrf": good}).status_code == 404
    assert _state(repo) == before

    # An expired round: its links answer as unknown ones.
    make_round(
        client,
        keys,
        "zandwijk-old",
        opens=TODAY - dt.timedelta(days=30),
        closes=TODAY - dt.timedelta(days=1),
    )
    old = invite(client, keys, [I01], "zandwijk-old")
    assert client.get(f"/s/{old[I01]}").get_data() == gone.get_data()
    # That request closed the expired round by itself (one bump, no tie: nobody answered).
    assert repo.surveys.get(T, "zandwijk-old").status == "closed"
    assert repo.proeftuinen.list_versions([T])[T] == before[1][T] + 1

    # Guessing is throttled per address.
    statuses = [client.get(f"/s/{'B' * 31}{c}").status_code for c in "CDEFGHIJKLMN"]
    assert 429 in statuses
    assert _state(repo)[2:] == before[2:]


def test_survey_logs_carry_no_token_or_answer(app, client, keys, seeded, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    make_round(client, keys)
    links = invite(client, keys, [I01])
    consent(client, links[I01])
    answer(client, links[I01], 1, {f"a:{I02}": high(5, 5)}, new=("Geheime Naam", "resident"))
    client.post(f"/s/{links[I01]}/q/1", data={"csrf": "0" * 64})
    client.get("/s/" + "Z" * 32)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert links[I01] not in logged and "Geheime Naam" not in logged


# -- auto-close -------------------------------------------------------------------------------


def _answered_round(client, keys, repo, key=ROUND):
    """A round where i01 and i02 name each other and i03 names g01 (collaborates), then
    moved into the past: its closing date was yesterday."""
    make_round(client, keys, key, questions=[{"key": "collaborates", "scales": []}])
    links = invite(client, keys, [I01, I02, I03], key)
    for who in (I01, I02, I03):
        consent(client, links[who])
    answer(client, links[I01], 1, {f"a:{I02}": {}})
    answer(client, links[I02], 1, {f"a:{I01}": {}})
    answer(client, links[I03], 1, {f"a:{G01}": {}})
    rnd = repo.surveys.get(T, key)
    past = replace(rnd, opens=TODAY - dt.timedelta(days=20), closes=TODAY - dt.timedelta(days=1))
    repo.surveys.update(past)
    return past


def test_a_round_past_its_closing_date_is_closed_by_the_next_request(app, client, keys, seeded):
    repo = seeded
    _answered_round(client, keys, repo)
    before = repo.proeftuinen.list_versions([T])[T]
    assert survey_ties(repo) == {}
    # Read with the versions: due on the day after its closing date, not on that date.
    past = repo.surveys.get(T, ROUND)
    assert repo.proeftuinen.list_versions([T], due_on=TODAY).due == [(T, ROUND)]
    assert repo.proeftuinen.list_versions(None, due_on=TODAY).due == [(T, ROUND)]
    assert repo.proeftuinen.list_versions([T], due_on=past.closes).due == []
    assert repo.proeftuinen.list_versions([T]).due == []
    # A viewer asks the proeftuin's metrics: the round is closed first, as an editor would.
    resp = client.get(f"/api/v1/proeftuinen/{T}/metrics", headers=bearer(keys["viewer"]))
    assert resp.status_code == 200
    rnd = repo.surveys.get(T, ROUND)
    assert (rnd.status, rnd.closed_on, rnd.applied_on) == ("closed", TODAY, TODAY)
    ties = survey_ties(repo)
    assert {k: t.attributes["confirmed"] for k, t in ties.items()} == {
        (I01, I02, "collaborates"): True,
        (G01, I03, "collaborates"): False,
    }
    assert {t.provenance for t in ties.values()} == {f"survey:{ROUND}"}
    # One bump, and the answer already describes the network with the new ties.
    assert repo.proeftuinen.list_versions([T])[T] == before + 1
    # (its ETag is that of the closed round's versions: asking again gives 304)
    again = client.get(
        f"/api/v1/proeftuinen/{T}/metrics",
        headers={**bearer(keys["viewer"]), "If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304
    # Further requests find nothing due and change nothing.
    assert repo.proeftuinen.list_versions([T], due_on=TODAY).due == []
    client.get(f"/api/v1/proeftuinen/{T}/surveys", headers=bearer(keys["viewer"]))
    assert repo.proeftuinen.list_versions([T])[T] == before + 1
    assert survey_ties(repo) == ties


def test_the_due_check_shares_the_versions_read_of_the_request(
    app, client, keys, seeded, monkeypatch
):
    """A cached GET reads the versions once: the auto-close check before the view reads
    them with the rounds due, and the view uses that read.  Two round trips to Neo4j in
    all: the bearer key and the versions."""
    from graphsvc.store.driver import Database
    from graphsvc.store.proeftuinen import Proeftuinen

    calls: list[object] = []
    trips: list[str] = []
    real = Proeftuinen.list_versions
    real_autocommit, real_retrying = Database.autocommit, Database._retrying

    def counted(self, keys=None, due_on=None):
        calls.append(due_on)
        return real(self, keys, due_on)

    def autocommit(self, mode, work, *args, **kwargs):
        trips.append(work.__name__)
        return real_autocommit(self, mode, work, *args, **kwargs)

    def retrying(self, mode, work):
        trips.append("transaction")
        return real_retrying(self, mode, work)

    path = f"/api/v1/proeftuinen/{T}/metrics"
    assert client.get(path, headers=bearer(keys["viewer"])).status_code == 200
    monkeypatch.setattr(Proeftuinen, "list_versions", counted)
    monkeypatch.setattr(Database, "autocommit", autocommit)
    monkeypatch.setattr(Database, "_retrying", retrying)
    resp = client.get(path, headers=bearer(keys["viewer"]))
    assert resp.status_code == 200 and resp.headers["X-Cache"] == "hit"
    assert calls == [dt.date.today()]
    assert sorted(trips) == ["_get_by_hash", "list_versions"]
    # An unknown proeftuin is still a 404, also with the versions read before the view.
    calls.clear()
    missing = client.get("/api/v1/proeftuinen/nergens/metrics", headers=bearer(keys["viewer"]))
    assert missing.status_code == 404 and calls == [dt.date.today()]


def test_two_concurrent_closers_apply_the_answers_once(app, client, keys, seeded):
    import threading

    from graphsvc.survey import results as survey_results

    repo = seeded
    _answered_round(client, keys, repo)
    before = repo.proeftuinen.list_versions([T])[T]
    ties_before = len(repo.ties.list(T, limit=5000))
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def close() -> None:
        start.wait()  # both saw the round due; now both try to close it
        outcomes.append(repo.surveys.close_due(T, ROUND, survey_results.plan, TODAY))

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # One closed it (and bumped the version once); the other found it closed.
    assert sorted(outcomes, key=lambda o: o is None) == [{T: before + 1}, None]
    assert repo.proeftuinen.list_versions([T])[T] == before + 1
    assert len(survey_ties(repo)) == 2
    assert len(repo.ties.list(T, limit=5000)) == ties_before + 2
    # The lazy path finds nothing due any more.
    from graphsvc.survey import service

    due = repo.proeftuinen.list_versions([T], due_on=TODAY).due
    assert due == [] and service.close_rounds(repo, due, TODAY) == []
    assert repo.proeftuinen.list_versions([T])[T] == before + 1


# -- the editor's forms -------------------------------------------------------------------------


def _signed_in(client, keys, role: str) -> str:
    """Sign ``client`` in with a cookie as ``role``; the CSRF token of its pages."""
    assert client.post("/signin", data={"key": keys[role]}).status_code == 303
    html = client.get(f"/proeftuinen/{T}/surveys", headers=HTML).get_data(as_text=True)
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _round_form(**changes) -> dict:
    form = {
        "key": "zandwijk-form",
        "title": "Samenwerking via het formulier",
        "intro": "",
        "opens": TODAY.isoformat(),
        "closes": (TODAY + dt.timedelta(days=14)).isoformat(),
        "question": ["collaborates", "support_received"],
        "scales_collaborates": ["trust", "equality"],
    }
    form.update(changes)
    return form


def test_an_editor_creates_copies_and_invites_on_the_pages(app, client, keys, seeded):
    repo = seeded
    token = _signed_in(client, keys, "editor")
    page = client.get(f"/proeftuinen/{T}/surveys", headers=HTML).get_data(as_text=True)
    assert 'id="new-round"' in page and 'name="scales_funded_by"' in page

    # A POST without the CSRF token is refused and stores nothing.
    resp = client.post(f"/proeftuinen/{T}/surveys", data=_round_form(), headers=HTML)
    assert resp.status_code == 403
    assert repo.surveys.list(T) == []

    # Closing before opening: the error is at the close date, in Dutch; nothing stored.
    bad = _round_form(csrf_token=token, closes=(TODAY - dt.timedelta(days=1)).isoformat())
    resp = client.post(f"/proeftuinen/{T}/surveys", data=bad, headers=HTML)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert '<p class="field-error" id="err-closes">' in html
    assert "de sluitdatum ligt voor de openingsdatum" in html
    assert 'value="Samenwerking via het formulier"' in html  # what was typed stays
    assert repo.surveys.list(T) == []
    # The same in English, and every field checked like the API's schema.
    resp = client.post(
        f"/proeftuinen/{T}/surveys?lang=en",
        data=_round_form(csrf_token=token, key="", title="", opens="31-02-2026", question=[]),
        headers=HTML,
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    for field, text in (
        ("key", "Key: the key is empty."),
        ("title", "Give a title of 1 to 200 characters."),
        ("opens", "Give a date (YYYY-MM-DD)."),
        ("questions", "Choose at least one and at most 12 questions."),
    ):
        assert f'<p class="field-error" id="err-{field}">{text}</p>' in html, field
    assert repo.surveys.list(T) == []

    # A good form makes the round, with the questions and scales ticked.
    resp = client.post(
        f"/proeftuinen/{T}/surveys", data=_round_form(csrf_token=token), headers=HTML
    )
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/proeftuinen/{T}/surveys/zandwijk-form"
    rnd = repo.surveys.get(T, "zandwijk-form")
    assert [(q["key"], q["scales"]) for q in rnd.questions] == [
        ("collaborates", ["trust", "equality"]),
        ("support_received", []),
    ]
    assert (rnd.opens, rnd.closes) == (TODAY, TODAY + dt.timedelta(days=14))
    # The same key again: refused at the key field.
    again = client.post(
        f"/proeftuinen/{T}/surveys", data=_round_form(csrf_token=token), headers=HTML
    )
    assert again.status_code == 422
    assert "bestaat al" in again.get_data(as_text=True)

    # Invite two actors, then everyone (non-residents and findable residents: none yet).
    base = f"/proeftuinen/{T}/surveys/zandwijk-form"
    resp = client.post(
        f"{base}/invite", data={"csrf_token": token, "actor": [I01, I02]}, headers=HTML
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("invited=2")
    nothing = client.post(f"{base}/invite", data={"csrf_token": token}, headers=HTML)
    assert nothing.status_code == 422
    resp = client.post(f"{base}/invite", data={"csrf_token": token, "who": "all"}, headers=HTML)
    assert resp.status_code == 303
    _, invitations, _, roster = repo.surveys.get_all(T, "zandwijk-form")
    invited = {i.actor for i in invitations}
    assert invited == {a for a, (kind, _) in roster.items() if kind != "resident"}
    # Revoke one: its link stops.
    first = next(i for i in invitations if i.actor == I01)
    resp = client.post(
        f"{base}/invitations/{first.id}/revoke", data={"csrf_token": token}, headers=HTML
    )
    assert resp.status_code == 303
    _, invitations, _, _ = repo.surveys.get_all(T, "zandwijk-form")
    assert [i.actor for i in invitations if i.revoked] == [I01]

    # Copy with new dates: the same questions; a close before the open is refused.
    copy = {
        "csrf_token": token,
        "key": "zandwijk-form-2",
        "opens": (TODAY + dt.timedelta(days=365)).isoformat(),
        "closes": (TODAY + dt.timedelta(days=380)).isoformat(),
    }
    refused = client.post(f"{base}/copy", data={**copy, "closes": TODAY.isoformat()}, headers=HTML)
    assert refused.status_code == 422 and 'id="err-closes"' in refused.get_data(as_text=True)
    resp = client.post(f"{base}/copy", data=copy, headers=HTML)
    assert resp.status_code == 303
    made = repo.surveys.get(T, "zandwijk-form-2")
    assert made.questions == rnd.questions and made.copied_from == "zandwijk-form"
    assert made.title == rnd.title

    # Apply the answers (the round stays open), then close it; back to the round each time.
    resp = client.post(f"{base}/apply?lang=en", data={"csrf_token": token}, headers=HTML)
    assert resp.status_code == 303 and resp.headers["Location"] == f"{base}?lang=en"
    assert repo.surveys.get(T, "zandwijk-form").status == "open"
    resp = client.post(f"{base}/close", data={"csrf_token": token}, headers=HTML)
    assert resp.status_code == 303 and resp.headers["Location"] == base
    closed = repo.surveys.get(T, "zandwijk-form")
    assert (closed.status, closed.closed_on) == ("closed", TODAY)


def test_viewers_and_analysts_get_no_forms(app, client, keys, seeded):
    make_round(client, keys)
    for role in ("viewer", "analyst"):
        browser = app.test_client()
        token = _signed_in(browser, keys, role)
        page = browser.get(f"/proeftuinen/{T}/surveys", headers=HTML).get_data(as_text=True)
        assert 'id="new-round"' not in page and "Samenwerking Zandwijk 2025" in page
        resp = browser.post(f"/proeftuinen/{T}/surveys", data=_round_form(csrf_token=token))
        assert resp.status_code == 403
        if role == "analyst":
            page = browser.get(f"/proeftuinen/{T}/surveys/{ROUND}", headers=HTML)
            html = page.get_data(as_text=True)
            assert page.status_code == 200
            assert 'id="invite-form"' not in html and 'id="copy-round"' not in html
    assert [r.key for r in seeded.surveys.list(T)] == [ROUND]


# -- the aggregates on the scorecard and the comparison ---------------------------------------


def _cell(html: str, pair: str) -> tuple[str, str]:
    """(value, explanation) of a survey row of the scorecard."""
    row = re.search(
        rf'<tr data-survey-pair="{pair}">\s*<th scope="row">[^<]*</th>\s*'
        r'<td class="num value">([^<]*)</td>\s*<td class="trend"></td>\s*<td></td>\s*'
        r'<td class="explanation">([^<]*)</td>',
        html,
    )
    assert row, f"no row for {pair}"
    return row.group(1), row.group(2)


def test_survey_means_on_the_scorecard_and_the_comparison(app, client, keys, seeded):
    make_round(client, keys, questions=[{"key": "collaborates", "scales": ["equality"]}])
    links = invite(client, keys, [I01, I02, I03])
    equal = {I01: 4, I02: 5, I03: 5}
    for who in (I01, I02, I03):
        consent(client, links[who])
        named = {f"a:{G01}": {"equal_partners": equal[who], "input_counts": equal[who]}}
        if who != I03:  # two answers about the organisation: too few to show
            named[f"a:{O01}"] = {"equal_partners": 3, "input_counts": 3}
        answer(client, links[who], 1, named)
    page = client.get(f"/proeftuinen/{T}", headers={**HTML, **bearer(keys["viewer"])})
    assert "Nog geen gesloten enquêteronde" in page.get_data(as_text=True)
    client.post(f"/api/v1/proeftuinen/{T}/surveys/{ROUND}/close", headers=bearer(keys["editor"]))

    # Viewers see the aggregates: 4, 5, 5 -> 4.7 (one decimal); 2 answers -> a dash.
    for lang, mean in (("nl", "4,7"), ("en", "4.7")):
        resp = client.get(
            f"/proeftuinen/{T}?lang={lang}", headers={**HTML, **bearer(keys["viewer"])}
        )
        html = resp.get_data(as_text=True)
        value, explanation = _cell(html, "initiative-official")
        assert value == mean
        assert f"{mean} (n = 3)" in explanation and "\u2014" in explanation  # trust not asked
        assert _cell(html, "initiative-organisation") == (
            "\u2014",
            (
                "Gelijkwaardigheid \u2014; vertrouwen \u2014."
                if lang == "nl"
                else "Equality \u2014; trust \u2014."
            ),
        )
        assert (
            "Gelijkwaardigheid (enquête)" in html if lang == "nl" else "Equality (survey)" in html
        )

    # The comparison: the mean equality of the latest closed round, with n, per proeftuin.
    # Five relations: 4, 5, 5 (about the official) and 3, 3 (about the organisation) -> 4.0.
    resp = client.get(
        f"/compare?proeftuinen={T},brakelveen", headers={**HTML, **bearer(keys["viewer"])}
    )
    html = resp.get_data(as_text=True)
    row = re.search(r'<tr data-indicator="survey_equality">(.*?)</tr>', html, re.S)
    assert row
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(1)) == ["4,0 (n = 5)", "\u2014"]
