"""If-Match under real concurrency: read-modify-write loses no update.

Eight threads increment a counter attribute of one actor through the HTTP API on a
threaded server: GET (with its ETag), PUT with If-Match, and on 412 read again and retry.
The actor belongs to two proeftuinen and the threads write through both URLs, so the check
must hold across proeftuin locks (the store locks the actor itself).  Every successful PUT
must be counted in the final value: no lost update, no 5xx.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from serving import served

THREADS = 8
INCREMENTS = 6


@pytest.fixture
def live(app):
    with served(app) as base:
        yield base


def request(url: str, key: str, method: str = "GET", body=None, headers=None):
    """(status, JSON body, response headers)."""
    all_headers = {"Authorization": f"Bearer {key}", **(headers or {})}
    data = None
    if body is not None:
        data, all_headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, json.loads(resp.read() or b"null"), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), err.headers


def test_concurrent_conditional_increments_lose_nothing(live, keys, repo):
    editor = keys["editor"]
    for key in ("p1", "p2"):
        repo.proeftuinen.create(key, key.upper(), "Stad")
    actor = {"key": "teller", "kind": "initiative", "name": "Teller", "attributes": {"n": 0}}
    for key in ("p1", "p2"):
        status, body, _ = request(f"{live}/api/v1/proeftuinen/{key}/actors", editor, "POST", actor)
        assert status == 201, body

    def writer(t: int) -> tuple[int, int]:
        url = f"{live}/api/v1/proeftuinen/{'p1' if t % 2 else 'p2'}/actors/teller"
        done = refused = 0
        while done < INCREMENTS:
            status, current, headers = request(url, editor)
            assert status == 200, current
            change = {
                "kind": "initiative",
                "name": "Teller",
                "attributes": {"n": current["attributes"]["n"] + 1},
            }
            status, body, _ = request(url, editor, "PUT", change, {"If-Match": headers["ETag"]})
            assert status in (200, 412), (status, body)
            if status == 200:
                done += 1
            else:
                refused += 1
        return done, refused

    results: list = [None] * THREADS
    errors: list = []
    start = threading.Barrier(THREADS)

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            results[i] = writer(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    refused = sum(r for _, r in results)
    assert repo.actors.get("p1", "teller").attributes["n"] == THREADS * INCREMENTS
    print(f"If-Match: {THREADS * INCREMENTS} increments, {refused} refused with 412 and retried")
