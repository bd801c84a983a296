"""Start-up and teardown shared by the benchmarks: a throwaway Neo4j, the app on loopback.

Not a benchmark itself (``make bench`` runs ``bench/bench_*.py``; this file does not
match).  Everything listens on 127.0.0.1 only.

- :func:`local_neo4j`: a Neo4j 5.26 in a temporary folder on free ports (jars in
  var/neo4j-lib), started and, whatever happens (an error, Ctrl-C, SIGTERM), stopped
  and its folder removed;
- :func:`settings`: the app settings that point at that server;
- :func:`in_process`: the app served by werkzeug in this process (threaded);
- :class:`Children` and :func:`gunicorn`: the app under gunicorn, as ``make run``
  serves it, and other child processes (locust), stopped at the end too.
"""

from __future__ import annotations

import atexit
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only: the benchmarks never send traffic anywhere else
# The app as make run serves it (GUNICORN_APP in the Makefile).
GUNICORN_APP = "graphsvc.web.app:create_app()"

from graphsvc.store.launcher import LocalNeo4j, free_port  # noqa: E402


def _exit_on_sigterm() -> None:
    """SIGTERM (a kill, a CI timeout) ends like Ctrl-C: finally blocks and atexit run."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@contextmanager
def local_neo4j(
    heap: str = "768m",
    pagecache: str = "256m",
    prefix: str = "graphsvc-bench-",
    timeout: float = 180,
) -> Iterator[LocalNeo4j]:
    """A started local Neo4j in a temporary folder; stopped and removed on the way out."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    server = LocalNeo4j(
        home=home / "neo4j",
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap=heap,
        pagecache=pagecache,
    )
    done = False

    def cleanup() -> None:
        nonlocal done
        if done:
            return
        done = True
        if server.stop():
            print("Neo4j stopped", flush=True)
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(cleanup)  # also when the process is ended some other way
    _exit_on_sigterm()
    started = time.perf_counter()
    print(f"Neo4j: starting on {server.uri} (folder {home}) ...", flush=True)
    try:
        server.start(timeout=timeout)
        print(f"  up in {time.perf_counter() - started:.0f} s", flush=True)
        yield server
    finally:
        cleanup()
        atexit.unregister(cleanup)


def settings(server: LocalNeo4j, **extra: Any) -> dict[str, Any]:
    """App settings for ``server`` (what create_app takes).

    No warm-up and no disk cache unless a benchmark asks for them: a warm-up thread would
    compete with the requests being timed, and a disk cache would be shared with the real
    service's ``var/cache``.
    """
    return {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password(),
        "SECRET_KEY": "bench",
        "WARM_UP": False,
        "CACHE_DIR": "",
        **extra,
    }


@contextmanager
def in_process(app: Any) -> Iterator[int]:
    """``app`` served by werkzeug (threaded) on a free loopback port; yields the port."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass  # one line per request would drown the table

    httpd = make_server(HOST, free_port(), app, threaded=True, request_handler=Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        httpd.server_close()


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 3600):
    """(seconds, status, headers, body) of one GET over a fresh loopback connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return time.perf_counter() - start, resp.status, dict(resp.getheaders()), body
    finally:
        conn.close()


class Children:
    """Child processes (gunicorn, locust), each in its own session, stopped once at the end."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.children: list[tuple[str, subprocess.Popen, Any]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
        print(f"  starting {name}: {' '.join(cmd[:6])} ...", flush=True)
        handle = open(self.log(name), "wb")  # noqa: SIM115 - closed with the process in stop()
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.children.append((name, proc, handle))
        return proc

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def stop(self) -> None:
        while self.children:
            _name, proc, handle = self.children.pop()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            handle.close()


@contextmanager
def children(logs: Path) -> Iterator[Children]:
    procs = Children(logs)
    atexit.register(procs.stop)
    _exit_on_sigterm()
    try:
        yield procs
    finally:
        procs.stop()
        atexit.unregister(procs.stop)


def gunicorn(
    procs: Children,
    server: LocalNeo4j,
    workers: int = 2,
    threads: int = 4,
    env: dict[str, str] | None = None,
) -> int:
    """The app under gunicorn as make run serves it, ready; returns its port."""
    port = free_port()
    full_env = {
        **os.environ,
        "GRAPHSVC_NEO4J_URI": server.uri,
        "GRAPHSVC_NEO4J_PASSWORD": server.password(),
        "GRAPHSVC_SECRET_KEY": "bench",
        **(env or {}),
    }
    cmd = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"{HOST}:{port}",
        GUNICORN_APP,
    ]
    proc = procs.start("gunicorn", cmd, full_env)
    log = procs.log("gunicorn")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if get(port, "/readyz", timeout=10)[1] == 200:
                print(f"  gunicorn: {workers} workers x {threads} threads on :{port}", flush=True)
                return port
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not get ready in 90 s:\n{log.read_text()[-3000:]}")
