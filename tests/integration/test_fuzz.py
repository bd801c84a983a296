"""Fuzzing the HTTP API with schemathesis against our own OpenAPI document.

Every operation of ``/api/v1/openapi.json`` gets requests generated from its
schema, valid ones (positive) and invalid ones (negative), on the real Neo4j
with the demo proeftuinen loaded. Path parameters are drawn most of the time
from keys that exist (a seeded proeftuin, one of its actors and meetings), so
that reads and writes reach data instead of stopping at a 404.

Every response must be

- no server error (no 5xx), and
- what the document says: a documented status code, its content type and a
  body matching its schema; every error is ``application/problem+json`` with
  the fields of the Problem schema.

Failures are collected rather than raised inside Hypothesis, so nothing is
shrunk: the run stays bounded (a fixed number of examples per operation,
``derandomize=True``: the same requests every run) and reports every failure
found at once. Operations run in the order reads, writes, deletes, so the
reads see the seeds whole.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from graphsvc.transfer.seeding import load_seeds

try:
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
except ImportError:  # pragma: no cover - the fuzz tests are skipped, the document test runs
    schemathesis = None

needs_schemathesis = pytest.mark.skipif(
    schemathesis is None, reason="schemathesis (PyPI) is not installed"
)

PROBLEM = "application/problem+json"

if schemathesis is not None:
    CHECKS = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    # Examples per operation and generation mode (upper bounds: an operation without
    # parameters has fewer distinct requests, and Hypothesis stops when it has seen them all).
    ADMIN_EXAMPLES = {GenerationMode.POSITIVE: 24, GenerationMode.NEGATIVE: 12}
    VIEWER_EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
ADMIN_MINIMUM = 1000
VIEWER_MINIMUM = 250

ORDER = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}


# Known bugs of other modules, by (operation, schemathesis failure code): each must still be
# found (so the entry goes when the bug is fixed), and is not counted as a failure meanwhile.
KNOWN: dict[tuple[str, str], str] = {
    ("GET /api/v1/exports", "ST108"): (
        "graphsvc/api/exports.py documents the application/json download as a binary string "
        "(type string, format binary); the body is a JSON object"
    ),
    ("GET /api/v1/proeftuinen/{key}/exports", "ST108"): (
        "graphsvc/api/exports.py documents the application/json download as a binary string"
    ),
}
NOT_PROBLEM_JSON = "GS001"  # our own check: an error whose body is not problem+json


@dataclass
class Tally:
    """What the fuzzer sent and what came back."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    per_operation: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    known: Counter = field(default_factory=Counter)

    def report(self) -> str:
        shown = "\n\n".join(self.failures[:15])
        more = f"\n\n... and {len(self.failures) - 15} more" if len(self.failures) > 15 else ""
        return f"{len(self.failures)} failing responses:\n\n{shown}{more}"


def _existing(repo) -> list[dict[str, str]]:
    """Path parameters that exist: a few seeded proeftuinen with an actor and a meeting each."""
    found = []
    for key in ("zandwijk", "molenbeek", "lindehoven"):
        actors, _ = repo.actors.list(key, None, 0, 5)
        meetings, _ = repo.meetings.list(key, 0, 5)
        found.append({"key": key, "actor": actors[-1].key, "meeting": meetings[0][0].key})
    return found


def _strategy(operation, mode, existing: list[dict[str, str]]):
    """Generated cases, three in four of them with path parameters that exist."""
    names = {p.name for p in operation.path_parameters}
    generated = operation.as_strategy(generation_mode=mode)
    real = [{n: v for n, v in params.items() if n in names} for params in existing]
    if not names or not all(set(r) == names for r in real):
        return generated
    return st.one_of(
        generated, *(operation.as_strategy(generation_mode=mode, path_parameters=r) for r in real)
    )


def _check(case, response, tally: Tally) -> None:
    tally.requests += 1
    tally.statuses[response.status_code] += 1
    tally.per_operation[case.operation.label] += 1
    found: list[tuple[str, str]] = []  # (code, message)
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        if not content_type.startswith(PROBLEM):
            found.append((NOT_PROBLEM_JSON, f"error response with content type {content_type!r}"))
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseExceptionGroup as group:  # schemathesis' FailureGroup: one per failed check
        found += [(getattr(f, "code", "?"), str(f)) for f in group.exceptions]
    except AssertionError as failure:
        found.append((getattr(failure, "code", "?"), str(failure)))
    unknown = []
    for code, message in found:
        if (case.operation.label, code) in KNOWN:
            tally.known[(case.operation.label, code)] += 1
        else:
            unknown.append(f"{code} {message.strip()[:1500]}")
    if unknown:
        tally.failures.append(
            f"{case.operation.label} -> {response.status_code}\n  {case.as_curl_command()}\n  "
            + "\n  ".join(unknown)
        )


def _fuzz(schema, headers: dict[str, str], examples: dict, existing, tally: Tally) -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: ORDER[op.method.upper()])
    for operation in operations:
        for mode, count in examples.items():

            @settings(
                max_examples=count,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                print_blob=False,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=_strategy(operation, mode, existing))
            def run(case):
                _check(case, case.call(headers=headers), tally)

            run()


def _resolve(spec: dict, node):
    """``node`` with a ``$ref`` followed (a KeyError when it points nowhere)."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_declares_every_error_as_problem_json():
    """What the fuzzer checks against must be true: every error response is problem+json."""
    from graphsvc.web.app import create_app

    spec = create_app({"SECRET_KEY": "doc"}).test_client().get("/api/v1/openapi.json").get_json()
    assert "Error" not in spec["components"]["schemas"]  # flask-smorest's, never sent
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "detail_nl", "detail_en"} <= set(
        problem["required"]
    )
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "default" in responses and "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                response = _resolve(spec, response)
                if status == "default" or int(status) >= 400:
                    assert set(response["content"]) == {PROBLEM}, (method, path, status)
                    schema = _resolve(spec, response["content"][PROBLEM]["schema"])
                    assert schema is problem
                    checked += 1
    assert checked > 200


@pytest.fixture
def seeded(repo):
    list(load_seeds(repo))
    return repo


def _summary(who: str, tally: Tally, seconds: float) -> str:
    return (
        f"\n{who}: {tally.requests} requests in {seconds:.0f} s over "
        f"{len(tally.per_operation)} operations; statuses "
        f"{dict(sorted(tally.statuses.items()))}; known issues {dict(tally.known)}"
    )


@needs_schemathesis
def test_fuzz_every_operation_as_admin(app, seeded, keys):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) >= 30  # every resource of docs/architecture.md §6 is in the document
    tally = Tally()
    started = time.monotonic()
    _fuzz(
        schema,
        {"Authorization": f"Bearer {keys['admin']}"},
        ADMIN_EXAMPLES,
        _existing(seeded),
        tally,
    )
    print(_summary("admin", tally, time.monotonic() - started))
    assert set(tally.per_operation) == operations  # every operation was called
    assert tally.requests >= ADMIN_MINIMUM
    assert not tally.failures, tally.report()
    assert set(tally.known) == set(KNOWN), "a known issue is fixed: remove it from KNOWN"
    # The fuzzer reached data and made things, not only 404s and 422s.
    assert tally.statuses[200] >= 200 and tally.statuses[201] >= 10


@needs_schemathesis
def test_fuzz_as_viewer_is_refused_or_served_never_a_server_error(app, seeded, keys):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tally = Tally()
    started = time.monotonic()
    _fuzz(
        schema,
        {"Authorization": f"Bearer {keys['viewer']}"},
        VIEWER_EXAMPLES,
        _existing(seeded),
        tally,
    )
    print(_summary("viewer", tally, time.monotonic() - started))
    assert tally.requests >= VIEWER_MINIMUM
    assert not tally.failures, tally.report()
    assert max(tally.statuses) < 500
    # Writes, names and keys are refused; aggregates are served.
    assert tally.statuses[403] >= 100 and tally.statuses[200] >= 20
    assert not tally.statuses[201] and not tally.statuses[204]
