"""The compute pool: daemon threads that hand results and errors back through Futures."""

from __future__ import annotations

import threading

import pytest

from graphsvc.analysis.pool import DaemonPool


def test_results_and_errors_come_back_through_the_futures():
    pool = DaemonPool(2, name="t-results")
    squares = [pool.submit(lambda x: x * x, n) for n in range(5)]
    assert [f.result(timeout=60) for f in squares] == [0, 1, 4, 9, 16]

    def fail() -> None:
        raise ValueError("no graph")

    failed = pool.submit(fail)
    error = failed.exception(timeout=60)
    assert isinstance(error, ValueError) and str(error) == "no graph"
    # The pool goes on after an error.
    assert pool.submit(lambda a, b=0: a - b, 7, b=3).result(timeout=60) == 4


def test_at_most_workers_daemon_threads_started_when_needed():
    pool = DaemonPool(2, name="t-threads")

    def ours() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name.startswith("t-threads_")]

    assert ours() == []  # nothing started before the first submission
    release = threading.Event()
    started = threading.Barrier(3)  # both workers and this test

    def held(n: int) -> int:
        if n < 2:
            started.wait(timeout=60)
        release.wait(timeout=60)
        return n + 10

    futures = [pool.submit(held, n) for n in range(5)]
    started.wait(timeout=60)  # two computations are running at once
    threads = ours()
    assert sorted(t.name for t in threads) == ["t-threads_0", "t-threads_1"]
    assert all(t.daemon for t in threads)
    assert sum(f.running() for f in futures) == 2 and not any(f.done() for f in futures)
    release.set()
    assert [f.result(timeout=60) for f in futures] == [10, 11, 12, 13, 14]
    assert len(ours()) == 2


def test_a_cancelled_future_is_not_run():
    pool = DaemonPool(1, name="t-cancel")
    release = threading.Event()
    first = pool.submit(release.wait, 60)
    ran = []
    second = pool.submit(ran.append, 1)
    assert second.cancel()  # still queued behind the first
    release.set()
    assert first.result(timeout=60) is True
    assert pool.submit(lambda: "after").result(timeout=60) == "after"
    assert ran == [] and second.cancelled()


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError, match="workers"):
        DaemonPool(0)
