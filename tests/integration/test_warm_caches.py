"""Caches that outlive a process and a warm-up at start (docs/architecture.md §10).

A result or map computed by one worker is read from the disk cache by another worker (or by
the next run of the service) instead of being computed again, until a write changes the
versions or a wipe the store's generation; a page reads its versions once; the warm-up
makes the viewer's pages in the background, also when there are no anonymous visitors.
"""

from __future__ import annotations

import datetime as dt
import stat
import threading

from graphsvc.analysis import responses
from graphsvc.analysis.disk_cache import DiskCache
from graphsvc.analysis.graph import Analysis, GraphRequest, Selection
from graphsvc.analysis.maps import Maps
from graphsvc.cli.main import cli
from graphsvc.dataset import Actor, Dataset, Tie
from graphsvc.web import auth, services, warmup
from graphsvc.web.app import create_app

D = dt.date
AT = D(2024, 1, 31)
KEYS = ["a1", "a2", "a3", "b1", "b2"]


def _actors() -> list[Actor]:
    return [
        Actor(k, "resident" if k[0] == "a" else "initiative", f"Naam {k}", ("p1",)) for k in KEYS
    ]


def _network(repo, extra: list[Tie] = ()) -> None:
    """A path a1 -> a2 -> a3 -> b1 -> b2 of 'contacts' ties (4 arcs), plus ``extra``."""
    if repo.proeftuinen.list_versions(["p1"]).get("p1") is None:
        repo.proeftuinen.create("p1", "Proeftuin één", "Testgemeente")
    ties = [Tie(s, t, "contacts", D(2023, 1, 1)) for s, t in zip(KEYS, KEYS[1:], strict=False)]
    repo.datasets.import_(Dataset(_actors(), ties + list(extra)), proeftuin="p1")


def _size(calls: list[int]):
    def compute(G, rows):
        calls.append(1)
        return {"actors": G.number_of_nodes(), "arcs": G.number_of_edges()}

    return compute


def test_a_result_of_one_worker_is_read_by_the_next_until_a_write(repo, tmp_path):
    _network(repo)
    folder = tmp_path / "cache"
    request = GraphRequest.parse(Selection.of(["p1"]), AT)
    calls: list[int] = []
    first = Analysis(repo, disk=DiskCache(folder))
    assert first.result("size", request, _size(calls))[0] == {"actors": 5, "arcs": 4}
    # The folder holds pickles: the service's user only.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    second = Analysis(repo, disk=DiskCache(folder))  # another worker, or a restart
    value, timing = second.result("size", request, _size(calls))
    assert value == {"actors": 5, "arcs": 4} and timing.cached and len(calls) == 1

    _network(repo, [Tie("a1", "b2", "contacts", D(2023, 6, 1))])  # a write: a new version
    value, timing = second.result("size", request, _size(calls))
    assert value == {"actors": 5, "arcs": 5} and not timing.cached and len(calls) == 2


def test_a_wiped_store_never_gets_the_results_of_before(repo, tmp_path):
    _network(repo, [Tie("a1", "a3", "contacts", D(2023, 1, 1))])
    request = GraphRequest.parse(Selection.of(["p1"]), AT)
    calls: list[int] = []
    disk = DiskCache(tmp_path / "cache")
    assert Analysis(repo, disk=disk).result("size", request, _size(calls))[0]["arcs"] == 5
    # Wiped and loaded again with other data: the versions may be the same numbers again,
    # the generation is not.
    repo.delete_network()
    _network(repo)
    value, timing = Analysis(repo, disk=disk).result("size", request, _size(calls))
    assert value == {"actors": 5, "arcs": 4} and not timing.cached and len(calls) == 2


def test_a_metric_response_from_the_disk_equals_the_computed_one(repo, tmp_path):
    _network(repo)
    request = GraphRequest.parse(Selection.of(["p1"]), AT)
    disk = DiskCache(tmp_path / "cache")
    computed, timing = responses.actor_metrics(Analysis(repo, disk=disk), request)
    assert not timing.cached
    read, timing = responses.actor_metrics(Analysis(repo, disk=disk), request)
    assert timing.cached and read == computed
    # The path a1 -> a2 -> a3 -> b1 -> b2: a2, a3 and b1 are on its shortest paths.
    degree = {row["key"]: row["degree"] for row in read["actors"]}
    assert degree == {"a1": 1, "a2": 2, "a3": 2, "b1": 2, "b2": 1}


def test_a_map_rendered_by_one_worker_is_served_by_another(repo, tmp_path):
    _network(repo)
    folder = tmp_path / "cache"
    first_disk, second_disk = DiskCache(folder), DiskCache(folder)
    first = Maps(repo, Analysis(repo, disk=first_disk), disk=first_disk)
    made = first.proeftuin("p1", AT, "nl", False)
    second = Maps(repo, Analysis(repo, disk=second_disk), disk=second_disk)
    served = second.proeftuin("p1", AT, "nl", False)
    assert (served.html, served.etag, served.filename) == (made.html, made.etag, made.filename)
    assert second_disk.hits == 1  # the map, read: not rendered again
    assert "Naam a1" not in served.html  # a viewer's map: residents by pseudonym only


def test_a_page_reads_its_versions_once(repo):
    _network(repo)
    analysis = Analysis(repo)
    selection = Selection.of(["p1"])
    with analysis.same_versions():
        before = analysis.versions(selection)
        _network(repo, [Tie("a1", "b2", "contacts", D(2023, 6, 1))])
        assert analysis.versions(selection) == before  # the page's one snapshot
    assert analysis.versions(selection)["p1"] > before["p1"]


def test_the_warm_up_makes_the_viewer_pages_in_the_background(test_settings, repo, tmp_path):
    _network(repo)
    # No anonymous visitors: the warm-up makes the pages as its own viewer.
    app = create_app({**test_settings, "WARM_UP": True, "CACHE_DIR": str(tmp_path / "cache")})
    warm = warmup.status(app)
    assert warm is not None
    while warm.state in ("waiting", "running"):  # waits for a state, asserts no time
        threading.Event().wait(0.05)
    assert warm.state == "done" and warm.seconds is not None
    assert [(path, status) for path, status, _ in warm.pages] == [
        ("/national", 200),
        ("/national/map.html?embed=1", 200),
        ("/proeftuinen/p1", 200),
        ("/proeftuinen/p1/map.html?embed=1", 200),
        ("/", 200),
    ]
    with app.app_context():
        _, key = auth.create_key("viewer", "warm-up test")
        made = services.analysis().computations
    client = app.test_client()
    viewer = {"Authorization": f"Bearer {key}"}
    page = client.get("/proeftuinen/p1", headers=viewer)
    assert page.status_code == 200 and "Proeftuin één" in page.get_data(as_text=True)
    assert client.get("/proeftuinen/p1/map.html?embed=1", headers=viewer).status_code == 200
    with app.app_context():
        assert services.analysis().computations == made  # all of it from the caches
    assert warm.visitors == 0  # each visitor counted in and out again
    ready = client.get("/readyz").get_json()
    assert ready["warm_up"]["state"] == "done" and ready["warm_up"]["seconds"] > 0


def test_graphsvc_warm_computes_the_pages_ahead_for_the_service(test_settings, repo, tmp_path):
    """``graphsvc warm`` (run by make run before serving) fills the disk cache; a service
    started afterwards answers its first visitor from it, computing nothing."""
    _network(repo)
    cache = {**test_settings, "CACHE_DIR": str(tmp_path / "cache")}
    command_line = create_app({**cache, "COMMAND_LINE": True})
    result = command_line.test_cli_runner().invoke(cli, ["warm"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Pagina's vooraf berekenen / computing pages ahead ..."
    assert [line.split("]")[0].replace(" ", "") for line in lines[1:]] == [
        f"[{i}/5" for i in range(1, 6)
    ]
    assert [line.split("]")[1].split()[0] for line in lines[1:]] == [
        "/national",
        "/national/map.html?embed=1",
        "/proeftuinen/p1",
        "/proeftuinen/p1/map.html?embed=1",
        "/",
    ]
    assert all("HTTP" not in line for line in lines)
    service = create_app(cache)  # a new process: nothing in memory
    with service.app_context():
        _, key = auth.create_key("viewer", "warm command test")
    client = service.test_client()
    viewer = {"Authorization": f"Bearer {key}"}
    assert client.get("/proeftuinen/p1", headers=viewer).status_code == 200
    assert client.get("/proeftuinen/p1/map.html?embed=1", headers=viewer).status_code == 200
    assert client.get("/national/map.html?embed=1", headers=viewer).status_code == 200
    with service.app_context():
        disk = services.disk_cache()
        assert disk is not None and disk.hits > 0
        assert disk.misses == 0  # every result and map came from the disk: none computed
    # Without a disk cache there is nothing to fill: said, in both languages, exit 1.
    off = create_app({**test_settings, "CACHE_DIR": "", "COMMAND_LINE": True})
    refused = off.test_cli_runner().invoke(cli, ["warm"])
    assert refused.exit_code == 1
    assert "Geen cache op schijf" in refused.output and "No disk cache" in refused.output


def test_tests_and_the_command_line_warm_nothing(test_settings):
    assert warmup.status(create_app(test_settings)) is None
    assert create_app(test_settings).config["CACHE_DIR"] == ""
    command_line = {**test_settings, "TESTING": False, "WARM_UP": True, "COMMAND_LINE": True}
    assert warmup.status(create_app(command_line)) is None


def test_an_unusable_cache_folder_leaves_the_service_on_its_memory(test_settings, repo, tmp_path):
    _network(repo)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    app = create_app(
        {**test_settings, "CACHE_DIR": str(blocked / "cache"), "ANONYMOUS_ROLE": "viewer"}
    )
    with app.app_context():
        assert services.disk_cache() is None
    page = app.test_client().get("/proeftuinen/p1")
    assert page.status_code == 200 and "Proeftuin één" in page.get_data(as_text=True)
