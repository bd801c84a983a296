"""The threads computations run on (:class:`~graphsvc.analysis.graph.Analysis`).

A request waits for its computation's :class:`~concurrent.futures.Future` as long as it
runs (or its time budget allows); a process that is asked to stop (gunicorn ending a
worker, Ctrl-C on ``graphsvc run``) does not wait for computations still running: they
run on daemon threads, which the interpreter abandons at exit.

Why not :class:`concurrent.futures.ThreadPoolExecutor`: since Python 3.9 its workers are
not daemon threads and the interpreter joins them at exit, so a stopping process waits
until a long computation ends (minutes on a large proeftuin); ``shutdown(cancel_futures=
True)`` drops queued work but still cannot leave a running computation behind.
:class:`multiprocessing.pool.ThreadPool` has daemon threads, but starts five threads per
pool at once (one Analysis per app, and the tests make many apps) and must be closed
and joined.  A queue and lazily started daemon threads are all that is needed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

__all__ = ["DaemonPool"]


class DaemonPool:
    """At most ``workers`` daemon threads taking work from one queue; ``submit`` returns
    a Future, as an executor's does.  The threads start with the first submissions and
    live as long as the process."""

    def __init__(self, workers: int, name: str = "pool") -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.name = name
        self._queue: queue.SimpleQueue[tuple[Future, Callable[..., Any], tuple, dict]] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        self._queue.put((future, fn, args, kwargs))
        with self._lock:
            if len(self._threads) < self.workers:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}_{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            future, fn, args, kwargs = self._queue.get()
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del future, fn, args, kwargs  # drop references while waiting for the next one
