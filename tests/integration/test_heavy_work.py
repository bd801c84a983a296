"""Heavy work cannot starve the service.

Identical concurrent computations run once (the others wait for it); a request waits
at most the compute budget and then gets 503 with Retry-After while the computation
finishes in the background and is cached; anonymous visitors and viewers may ask only
the dates the service precomputes (today, month ends, meeting dates).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import threading

from graphsvc.analysis.graph import Analysis, GraphRequest, Selection
from graphsvc.dataset import Actor, Dataset, Meeting, Tie

D = dt.date
MEETING = D(2024, 3, 14)


def _network(repo) -> None:
    repo.proeftuinen.create("p1", "Proeftuin één", "Testgemeente")
    keys = ["a1", "a2", "a3", "b1", "b2"]
    actors = [
        Actor(k, "resident" if k[0] == "a" else "initiative", f"Naam {k}", ("p1",)) for k in keys
    ]
    ties = [Tie(s, t, "contacts", D(2023, 1, 1)) for s, t in zip(keys, keys[1:], strict=False)]
    meetings = [Meeting("p1-m1", MEETING, "Buurtavond", "p1")]
    repo.datasets.import_(Dataset(actors, ties, meetings), proeftuin="p1")


def auth(keys, role):
    return {"Authorization": f"Bearer {keys[role]}"}


def test_identical_concurrent_computations_run_once(repo):
    _network(repo)
    analysis = Analysis(repo)
    request = GraphRequest.parse(Selection.of(["p1"]), D(2024, 1, 31))
    release = threading.Event()
    calls = []

    def compute(G, rows):
        calls.append(1)
        release.wait()
        return G.number_of_edges()

    results = []

    def ask():
        results.append(analysis.result("edges", request, compute)[0])

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    # Hold the computation until the second request has joined it (not a timed assertion:
    # the loop only waits for that state).
    while analysis.coalesced < 1:
        threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join()
    assert results == [4, 4]
    assert len(calls) == 1 and analysis.computations == 1 and analysis.coalesced == 1
    # A later request is a cache hit: nothing computed.
    assert analysis.result("edges", request, compute)[1].cached and len(calls) == 1


def test_without_coalescing_each_request_computes(repo):
    _network(repo)
    analysis = Analysis(repo, coalesce=False)
    request = GraphRequest.parse(Selection.of(["p1"]), D(2024, 1, 31))
    both = threading.Barrier(2)
    calls = []

    def compute(G, rows):
        calls.append(1)
        both.wait()  # both computations run at the same time
        return G.number_of_edges()

    threads = [
        threading.Thread(target=analysis.result, args=("edges", request, compute)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 2 and analysis.computations == 2


def test_a_tiny_budget_gives_503_and_the_result_is_cached_for_later(test_settings, repo, keys):
    from graphsvc.web import services
    from graphsvc.web.app import create_app

    _network(repo)
    app = create_app({**test_settings, "COMPUTE_BUDGET": 1e-6})
    client = app.test_client()
    url = "/api/v1/proeftuinen/p1/metrics?at=2024-01-31"
    busy = client.get(url, headers=auth(keys, "analyst"))
    assert busy.status_code == 503, busy.get_data(as_text=True)
    assert int(busy.headers["Retry-After"]) > 0
    assert "seconden" in busy.get_json()["detail"]  # Dutch by default, English with lang=en
    with app.app_context():
        services.analysis().drain()  # the computation finished in the background
    served = client.get(url, headers=auth(keys, "analyst"))
    assert served.status_code == 200
    assert served.get_json()["request"]["graph"]["edges"] == 4
    with app.app_context():
        assert services.analysis().computations == 1


# The child: the app's own analysis service, one computation that is waited for and one
# that outlasts its budget and would run for ten minutes; then the script ends.
_STOPPING_CHILD = textwrap.dedent(
    """
    import datetime, json, sys, threading
    from graphsvc.analysis.graph import GraphRequest, Selection
    from graphsvc.errors import ComputeBusy
    from graphsvc.web import services
    from graphsvc.web.app import create_app

    app = create_app(json.loads(sys.argv[1]))
    request = GraphRequest.parse(Selection.of(["p1"]), datetime.date(2024, 1, 31))
    with app.app_context():
        analysis = services.analysis()
        value, _ = analysis.result("edges", request, lambda G, rows: G.number_of_edges())
        print("result", value, flush=True)
        analysis.budget = 0.2
        try:
            analysis.result("long", request, lambda G, rows: threading.Event().wait(600))
        except ComputeBusy:
            print("busy", analysis.computations, flush=True)
    """
)


def test_a_stopping_process_does_not_wait_for_a_running_computation(test_settings, repo):
    """Computations run on daemon threads: a process whose main thread ends exits although
    a ten-minute computation still runs (with the executor's usual non-daemon threads it
    would wait for it, and the child would outlast the generous timeout below)."""
    _network(repo)
    child = subprocess.run(
        [sys.executable, "-c", _STOPPING_CHILD, json.dumps(test_settings)],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert child.returncode == 0, child.stderr
    # The computation that was waited for gave its result (4 edges on the chain a1..b2);
    # the long one was started (computation 2), outlasted its budget and was left behind.
    assert child.stdout.split("\n") == ["result 4", "busy 2", ""]


def test_viewers_may_ask_only_precomputed_dates(client, repo, keys):
    _network(repo)
    odd = "/api/v1/proeftuinen/p1/metrics?at=2024-01-15"
    refused = client.get(odd, headers=auth(keys, "viewer"))
    assert refused.status_code == 400
    assert "'at'" in refused.get_json()["detail"] and "maand" in refused.get_json()["detail"]
    english = client.get(odd + "&lang=en", headers=auth(keys, "viewer")).get_json()["detail"]
    assert "'at'" in english and "month" in english and "meeting" in english
    assert refused.get_json()["errors"][0]["field"] == "at"
    assert client.get(odd, headers=auth(keys, "analyst")).status_code == 200
    for at in ("2024-01-31", "2024-02-29", MEETING.isoformat(), dt.date.today().isoformat()):
        url = f"/api/v1/proeftuinen/p1/health?at={at}"
        assert client.get(url, headers=auth(keys, "viewer")).status_code == 200, at
    assert client.get("/api/v1/national/metrics", headers=auth(keys, "viewer")).status_code == 200
    changes = "/api/v1/proeftuinen/p1/changes?from=2023-06-02&to=2024-01-31"
    refused = client.get(changes, headers=auth(keys, "viewer"))
    assert refused.status_code == 400 and refused.get_json()["errors"][0]["field"] == "from"
    assert client.get(changes, headers=auth(keys, "analyst")).status_code == 200
    page = client.get("/proeftuinen/p1/map.html?at=2024-01-15", headers=auth(keys, "viewer"))
    assert page.status_code == 400
    page = client.get("/proeftuinen/p1/map.html?at=2024-01-15", headers=auth(keys, "analyst"))
    assert page.status_code == 200
    # the signals and introductions behind the scorecard follow the same rule
    for route in ("signals", "introductions"):
        odd = f"/api/v1/proeftuinen/p1/{route}?at=2024-01-15"
        refused = client.get(odd, headers=auth(keys, "viewer"))
        assert refused.status_code == 400, route
        assert refused.get_json()["errors"][0]["field"] == "at"
        assert client.get(odd, headers=auth(keys, "analyst")).status_code == 200, route
        month_end = f"/api/v1/proeftuinen/p1/{route}?at=2024-01-31"
        assert client.get(month_end, headers=auth(keys, "viewer")).status_code == 200, route
