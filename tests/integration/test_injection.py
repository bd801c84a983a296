"""Injection: request values reach Cypher only as parameters, labels and relationship
types only from the vocabulary.

Static part: every query the repository runs is a named file of ``cypher/`` (never a
string built from values), and the only dynamic labels in those files are the actor-kind
labels, filled from graphsvc.vocabulary.

Live part, on the real Neo4j with the demo proeftuinen: strings that would break out of a
Cypher string literal, a backtick-quoted label or a parameter go into every path parameter
and every query parameter of every GET route (API and pages), into the path of the DELETE
routes, and into every string field of the JSON bodies of the POST routes.  No answer is
a 5xx, an API error is problem+json, a page never shows a script it was sent, and the store
is exactly as before: the JSON export of every proeftuin, their versions, the node and
relationship counts and the API keys.  A value that is valid data (an actor named
``x' OR 1=1 //``) is stored and read back literally, and touches nothing else.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from graphsvc.store.queries import queries
from graphsvc.transfer import exporter
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen
from graphsvc.vocabulary import KINDS
from graphsvc.web import auth
from graphsvc.web.services import store

ROOT = Path(__file__).resolve().parents[2]
SEEDED = "zandwijk"

INJECTIONS = [
    "x' OR 1=1 //",
    '" OR ""="',
    "}) MATCH (n) DETACH DELETE n //",
    "zandwijk'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "zandwijk\"}) WITH 1 AS x MATCH (n) SET n.key = 'pwned' //",
    "`Actor`",
    "Actor`) DETACH DELETE a //",
    "a:Actor`:`Proeftuin",
    "$(x)",
    "$key",
    "{key: 'zandwijk'}",
    "1 OR 1=1",
    "zandwijk) RETURN 1 UNION MATCH (n) DETACH DELETE n RETURN 1 //",
    "\\' OR 1=1 //",
    "../../etc/passwd",
    "{{7*7}}",
    "<script>alert('xss')</script>",
    "*",
]
SCRIPT = "<script>alert('xss')</script>"

# Query parameters of the pages (the API's come from the OpenAPI document).
PAGE_QUERY = ["at", "lang", "proeftuinen", "embed", "next"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# -- static: how Cypher is built ----------------------------------------------------------------


def _store_sources() -> dict[Path, str]:
    """The store's modules that talk to the driver (the launcher runs processes, not Cypher)."""
    return {
        path: path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "graphsvc" / "store").glob("*.py"))
        if path.name != "launcher.py"
    }


def test_every_query_the_repository_runs_is_a_named_cypher_file():
    """``.run(...)`` gets ``query("literal name")`` (or a schema statement), nothing else."""
    runs = [
        node
        for source in _store_sources().values()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "run"
    ]
    assert len(runs) > 30
    names, bad = set(), []
    for call in runs:
        first = call.args[0] if call.args else None
        if (
            isinstance(first, ast.Call)
            and isinstance(first.func, ast.Name)
            and first.func.id == "query"
            and len(first.args) == 1
            and isinstance(first.args[0], ast.Constant)
            and isinstance(first.args[0].value, str)
        ):
            names.add(first.args[0].value)
        elif ast.unparse(first) == "statement.text":  # cypher/schema/*.cypher, no values
            continue
        else:
            bad.append(f"line {call.lineno}: {ast.unparse(call)[:100]}")
    assert not bad, "queries not loaded by name:\n" + "\n".join(bad)
    assert names <= set(queries()), names - set(queries())
    # And no module outside the store talks to the driver.
    for path in (ROOT / "graphsvc").rglob("*.py"):
        if "store" not in path.relative_to(ROOT / "graphsvc").parts:
            assert not re.search(
                r"^\s*(import|from) neo4j\b", path.read_text(encoding="utf-8"), re.M
            ), path


def _code(cypher: str) -> str:
    """A Cypher file without its comment lines."""
    return "\n".join(line for line in cypher.splitlines() if not line.strip().startswith("//"))


def test_dynamic_labels_in_cypher_come_only_from_the_vocabulary():
    dynamic = {name: re.findall(r"\$\(([^)]*)\)", _code(q.text)) for name, q in queries().items()}
    dynamic = {name: found for name, found in dynamic.items() if found}
    # The actor kinds' labels: the repository passes vocabulary labels only (checked below).
    assert dynamic == {"actor_upsert": ["$kind_labels", "row.label"]}, dynamic
    source = "\n".join(_store_sources().values())
    assert "_KIND_LABELS = [k.label for k in vocab.KINDS.values()]" in source
    assert '"label": vocab.kind(a.kind).label' in source
    # Relationship types are never dynamic: one static branch per vocabulary type.
    for name, q in queries().items():
        assert not re.search(r"\[[a-z_]*:\s*\$", _code(q.text)), name
        assert "apoc." not in _code(q.text), name


# -- live ------------------------------------------------------------------------------------------


def _snapshot(app) -> dict:
    """Everything an injection could change, in a comparable form."""
    with app.app_context():
        repo = store()
        return {
            "counts": repo.count_all(),
            "versions": repo.proeftuinen.list_versions(),
            "keys": [(k["id"], k["revoked"]) for k in auth.list_keys()],
            "export": exporter.export(repo, "json").data,
        }


@pytest.fixture
def seeded(app, repo, keys):
    list(load_seeds(repo))
    with app.app_context():
        actors, _ = repo.actors.list(SEEDED, None, 0, 1)
        meetings, _ = repo.meetings.list(SEEDED, 0, 1)
        tie = repo.ties.list(SEEDED, None, 0, 1)[0]
    return {
        "key": SEEDED,
        "actor": actors[0].key,
        "meeting": meetings[0][0].key,
        "source": tie.source,
        "target": tie.target,
        "type": tie.type,
        "since": tie.since.isoformat(),
        "filename": "swagger-ui.css",
        "name": "start.nl.png",
        "key_id": "0000abcd",
        # survey routes: a round, a link token, an invitation, a proposal, a question number
        "round_": "zandwijk-ronde",
        "token": "x" * 32,
        "invitation": "inv-000000000000",
        "proposal": "prop-000000000000",
        "n": "1",
    }


def _path(rule, values: dict[str, str]) -> str:
    def fill(match: re.Match) -> str:
        return quote(values[match.group(2)], safe="")

    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", fill, rule.rule)


def _api_query_params(client) -> dict[tuple[str, str], list[str]]:
    spec = client.get("/api/v1/openapi.json").get_json()
    found = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":  # the path's own parameters, shared by its operations
                continue
            found[(method.upper(), path)] = [
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            ]
    return found


def _check(resp, url: str, path_injected: bool) -> list[str]:
    """What is wrong with one answer (empty: nothing)."""
    wrong = []
    if resp.status_code >= 500:
        wrong.append(f"{url} -> {resp.status_code}")
    if path_injected and resp.status_code < 400 and resp.status_code not in (301, 302, 308):
        wrong.append(f"{url} -> {resp.status_code}: an injected path found something")
    if (
        url.startswith("/api/")
        and resp.status_code >= 400
        and resp.mimetype != "application/problem+json"
    ):
        wrong.append(f"{url} -> {resp.status_code} {resp.mimetype}, not problem+json")
    if resp.mimetype == "text/html" and SCRIPT in resp.get_data(as_text=True):
        wrong.append(f"{url}: the page shows the injected script unescaped")
    return wrong


def test_injections_in_every_get_route_change_nothing(app, client, keys, seeded):
    headers = bearer(keys["admin"])
    # A map's first view stores its layout and pseudonyms (docs/architecture.md §8): done before the
    # snapshot, so that the comparison below sees what injections did, not what a view does.
    for url in (f"/proeftuinen/{SEEDED}/map.html", "/national/map.html"):
        assert client.get(url, headers=headers).status_code == 200
    before = _snapshot(app)
    api_params = _api_query_params(client)
    sent, statuses, wrong = 0, {}, []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        params = api_params.get(
            ("GET", template), PAGE_QUERY if not rule.rule.startswith("/api/") else []
        )
        valid = _path(rule, seeded)
        cases = [(name, True) for name in sorted(rule.arguments)] + [(p, False) for p in params]
        for name, in_path in cases:
            for value in INJECTIONS:
                if in_path:
                    url = _path(rule, {**seeded, name: value})
                else:
                    url = f"{valid}?{urlencode({name: value})}"
                resp = client.get(url, headers=headers)
                sent += 1
                statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
                wrong += _check(resp, url, in_path)
    print(f"\n{sent} GET requests with injections; statuses {dict(sorted(statuses.items()))}")
    assert sent > 500
    assert not wrong, "\n".join(wrong[:40])
    assert _snapshot(app) == before


def test_injections_in_delete_paths_change_nothing(app, client, keys, seeded):
    before = _snapshot(app)
    headers = bearer(keys["admin"])
    wrong = []
    for rule in app.url_map.iter_rules():
        if "DELETE" not in rule.methods:
            continue
        for name in sorted(rule.arguments):
            for value in INJECTIONS:
                url = _path(rule, {**seeded, name: value})
                resp = client.delete(url, headers=headers)
                wrong += _check(resp, url, True)
    assert not wrong, "\n".join(wrong[:40])
    assert _snapshot(app) == before


# Valid bodies of the POST routes (``{t}``: the test proeftuin); each string field in turn
# gets every injection.
def _bodies(actor: str, other: str, meeting: str) -> list[tuple[str, dict]]:
    return [
        ("/api/v1/proeftuinen", {"key": "nieuw", "name": "Nieuw", "municipality": "Ergens"}),
        (
            "/api/v1/proeftuinen/{t}/actors",
            {
                "key": "nieuw-1",
                "kind": "resident",
                "name": "Nieuwe bewoner",
                "attributes": {"buurt": "Noord"},
            },
        ),
        (
            "/api/v1/proeftuinen/{t}/ties",
            {
                "source": actor,
                "target": other,
                "type": "knows",
                "since": "2024-01-01",
                "provenance": "survey",
                "attributes": {"note": "x"},
            },
        ),
        (
            "/api/v1/proeftuinen/{t}/meetings",
            {
                "key": "nieuw-m",
                "date": "2024-05-01",
                "title": "Avond",
                "attributes": {"plek": "hal"},
            },
        ),
        (f"/api/v1/proeftuinen/{{t}}/meetings/{meeting}/attendance", {"actors": [actor]}),
        ("/api/v1/keys", {"name": "script", "role": "viewer"}),
    ]


def _variants(body: dict):
    """(field path, body) with one string (or attribute name) replaced by each injection."""
    for field, value in body.items():
        for injection in INJECTIONS:
            if isinstance(value, str):
                yield field, injection, {**body, field: injection}
            elif isinstance(value, list):
                yield field, injection, {**body, field: [injection]}
            elif isinstance(value, dict):
                ((name, inner),) = value.items()
                yield f"{field}.name", injection, {**body, field: {injection: inner}}
                yield f"{field}.value", injection, {**body, field: {name: injection}}


def _others_export(app, target: str) -> dict:
    with app.app_context():
        repo = store()
        keys = [p["key"] for p in seed_proeftuinen()]
        versions = repo.proeftuinen.list_versions()
        return {
            k: (versions[k], exporter.export(repo, "json", k).data) for k in keys if k != target
        }


def test_injections_in_json_bodies_are_refused_or_stored_literally(app, client, keys, seeded):
    editor, admin = bearer(keys["editor"]), bearer(keys["admin"])
    target = "injectie"
    assert (
        client.post(
            "/api/v1/proeftuinen", json={"key": target, "name": "Injectie"}, headers=editor
        ).status_code
        == 201
    )
    made = [{"key": f"i-{n}", "kind": "resident", "name": f"Bewoner {n}"} for n in (1, 2)]
    for actor in made:
        assert (
            client.post(
                f"/api/v1/proeftuinen/{target}/actors", json=actor, headers=editor
            ).status_code
            == 201
        )
    assert (
        client.post(
            f"/api/v1/proeftuinen/{target}/meetings",
            json={"key": "i-m", "date": "2024-01-01", "title": "Start"},
            headers=editor,
        ).status_code
        == 201
    )
    others = _others_export(app, target)

    wrong, stored, refused = [], 0, 0
    for path, body in _bodies("i-1", "i-2", "i-m"):
        url = path.format(t=target)
        for field, injection, variant in _variants(body):
            resp = client.post(url, json=variant, headers=admin if "keys" in url else editor)
            label = f"POST {url} {field}={injection!r}"
            wrong += [f"{label}: {w}" for w in _check(resp, url, False)]
            if resp.status_code in (200, 201):
                stored += 1
                wrong += _read_back(client, editor, admin, url, field, injection, resp)
                _undo(client, editor, admin, url, variant, resp)
            elif resp.status_code in (400, 404, 409, 422):
                refused += 1
            else:
                wrong.append(f"{label} -> {resp.status_code}")
    print(f"\nJSON bodies with injections: {stored} stored literally, {refused} refused")
    assert not wrong, "\n".join(wrong[:40])
    assert stored > 20 and refused > 20
    assert _others_export(app, target) == others  # nothing outside the target changed


def _read_back(client, editor, admin, url, field, injection, resp) -> list[str]:
    """The injected value as the store now holds it, read through the API."""
    created = resp.get_json()
    if url == "/api/v1/keys":
        listed = {k["id"]: k for k in client.get("/api/v1/keys", headers=admin).get_json()}
        return (
            []
            if listed[created["id"]]["name"] == " ".join(injection.split())
            else [f"{url}: key name {listed[created['id']]['name']!r} is not {injection!r}"]
        )
    if url == "/api/v1/proeftuinen":
        got = client.get(f"/api/v1/proeftuinen/{created['key']}", headers=editor).get_json()
        return [] if got[field] == injection else [f"{url}: {field} {got[field]!r}"]
    listing = url if not url.endswith("/attendance") else url.rsplit("/", 1)[0]
    items = client.get(listing, headers=editor).get_json()
    items = items.get("items", [items]) if isinstance(items, dict) else items
    flat = repr(items)
    return [] if repr(injection)[1:-1] in flat else [f"{url}: {injection!r} not read back"]


def _undo(client, editor, admin, url, variant, resp) -> None:
    """Remove what a stored variant made, so the next one starts from the same state."""
    body = resp.get_json()
    if url == "/api/v1/keys":
        client.delete(f"/api/v1/keys/{body['id']}", headers=admin)
    elif url == "/api/v1/proeftuinen":
        client.delete(f"/api/v1/proeftuinen/{quote(body['key'], safe='')}", headers=editor)
    elif url.endswith("/actors"):
        client.delete(f"{url}/{quote(body['key'], safe='')}", headers=editor)
    elif url.endswith("/ties"):
        query = {k: body[k] for k in ("source", "target", "type", "since")}
        client.delete(f"{url}?{urlencode(query)}", headers=editor)
    elif url.endswith("/meetings"):
        client.delete(f"{url}/{quote(body['key'], safe='')}", headers=editor)
    elif url.endswith("/attendance"):
        client.delete(url, json={"actors": variant["actors"]}, headers=editor)


def test_kinds_are_labels_of_the_vocabulary_only(app, client, keys, seeded):
    """A kind that is not in the vocabulary never becomes a label: 422, nothing written."""
    before = _snapshot(app)
    for kind in ["Actor", "`Actor`", "resident`:`Proeftuin", "Proeftuin", "resident "] + [
        k.upper() for k in KINDS
    ]:
        resp = client.post(
            f"/api/v1/proeftuinen/{SEEDED}/actors",
            json={"key": "k-1", "kind": kind, "name": "x"},
            headers=bearer(keys["editor"]),
        )
        assert resp.status_code == 422, kind
        assert [e["field"] for e in resp.get_json()["errors"]] == ["kind"]
    assert _snapshot(app) == before


# -- guessing keys through the pages and the sign-in form -----------------------------------------


HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_keys_guessed_in_the_signin_form_are_throttled_everywhere(client, keys, repo):
    """Ten wrong keys typed into /signin block that address's bad keys on the form, pages
    and API; a valid key is still served there."""
    guesser = {"REMOTE_ADDR": "127.0.0.66"}
    for n in range(10):
        resp = client.post(
            "/signin", data={"key": f"gsk_0123abc{n}_" + "g" * 43}, environ_base=guesser
        )
        assert resp.status_code == 401 and resp.mimetype == "text/html"
    wrong = "gsk_0123abcf_" + "h" * 43
    blocked = client.post("/signin", data={"key": wrong}, environ_base=guesser)
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert "Set-Cookie" not in blocked.headers
    page = client.get("/", headers={**HTML, **bearer(wrong)}, environ_base=guesser)
    assert page.status_code == 429
    api = client.get("/api/v1/proeftuinen", headers=bearer(wrong), environ_base=guesser)
    assert api.status_code == 429 and api.mimetype == "application/problem+json"
    # The right key is never refused because of the failures: it signs in and is served.
    good = client.get("/api/v1/proeftuinen", headers=bearer(keys["viewer"]), environ_base=guesser)
    assert good.status_code == 200
    # Another address is not affected.
    assert (
        client.post(
            "/signin", data={"key": keys["viewer"]}, environ_base={"REMOTE_ADDR": "127.0.0.67"}
        ).status_code
        == 303
    )


def test_bad_keys_sent_to_pages_and_maps_are_throttled(client, keys, repo):
    guesser = {"REMOTE_ADDR": "127.0.0.68"}
    wrong = bearer("gsk_0123abcd_" + "p" * 43)
    for path in [
        "/",
        "/national",
        "/proeftuinen/zandwijk",
        "/proeftuinen/zandwijk/map.html",
        "/compare",
        "/guide/",
        "/",
        "/national",
        "/",
        "/national",
    ]:
        resp = client.get(path, headers={**HTML, **wrong}, environ_base=guesser)
        assert resp.status_code == 401, path  # a wrong key is never sent on to sign in
    resp = client.get("/", headers={**HTML, **wrong}, environ_base=guesser)
    assert resp.status_code == 429 and "Retry-After" in resp.headers
    form = client.post("/signin", data={"key": "gsk_0123abcd_" + "q" * 43}, environ_base=guesser)
    assert form.status_code == 429
    page = client.get("/", headers={**HTML, **bearer(keys["viewer"])}, environ_base=guesser)
    assert page.status_code == 200
