"""Load benchmark: 50 concurrent users against gunicorn on loopback, with locust.

Everything runs on this machine and only on loopback addresses:

1. a local Neo4j 5.26 (graphsvc.store.launcher, a temporary folder, free ports, jars in
   var/neo4j-lib) with the eight demo proeftuinen (graphsvc.transfer.seeding.load_seeds);
2. a viewer key, and an analyst key for the actor list (it holds names);
3. the app under gunicorn, as in production::

       gunicorn -w 2 --threads 4 -b 127.0.0.1:PORT "graphsvc.web.app:create_app()"

   configured by GRAPHSVC_* environment variables;
4. one warm-up request per endpoint and proeftuin (the first request of a proeftuin
   reads its network and computes; a map's first view also lays it out), timed;
5. locust, headless, 50 users (bench/load/locustfile.py: map, metrics, health,
   lists) for 60 s (``--run-time``: bounded), then a table per endpoint: requests,
   requests per second, p50, p95, p99 and errors, and the total.  Errors must be 0
   (exit status 1 otherwise).

The server, gunicorn and locust are stopped at the end, also on failure, Ctrl-C and
SIGTERM, and the temporary folder is removed.  Two cores are shared by Neo4j, the two
gunicorn workers and locust itself: the figures are those of that whole machine.

Run:  python bench/bench_load.py [--users 50] [--run-time 60]
"""

from __future__ import annotations

import argparse
import atexit
import csv
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
BIN = Path(sys.executable).parent

from graphsvc import config  # noqa: E402
from graphsvc.store.launcher import LocalNeo4j, free_port  # noqa: E402
from graphsvc.store.repository import connect  # noqa: E402
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen  # noqa: E402
from graphsvc.web import auth  # noqa: E402
from graphsvc.web.app import create_app  # noqa: E402

HOST = "127.0.0.1"  # loopback only: this benchmark never sends traffic anywhere else


def get(port: int, path: str, key: str | None = None) -> tuple[int, float, int]:
    """(status, seconds, bytes) of one GET on loopback."""
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}"} if key else {})
    resp = conn.getresponse()
    size = len(resp.read())
    seconds = time.perf_counter() - start
    conn.close()
    return resp.status, seconds, size


class Processes:
    """Child processes and the Neo4j server, stopped once whatever happens."""

    def __init__(self, neo4j: LocalNeo4j, home: Path) -> None:
        self.neo4j, self.home, self.children = neo4j, home, []
        self.stopped = False

    def start(self, name: str, cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
        print(f"  starting {name}: {' '.join(cmd[:6])} ...", flush=True)
        handle = open(log, "wb")  # noqa: SIM115 - closed with the process in stop()
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.children.append((name, proc, handle))
        return proc

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        for _name, proc, handle in reversed(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            handle.close()
        if self.neo4j.stop():
            print("  Neo4j stopped", flush=True)
        shutil.rmtree(self.home, ignore_errors=True)


def wait_until_ready(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if get(port, "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not get ready in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def warm_up(port: int, keys: dict[str, str], proeftuinen: list[str], with_map: bool) -> None:
    """One request per endpoint and proeftuin, sequentially: the cold figures."""
    paths = [
        ("metrics", "/api/v1/proeftuinen/{k}/metrics", "viewer"),
        ("health", "/api/v1/proeftuinen/{k}/health", "viewer"),
        ("actors", "/api/v1/proeftuinen/{k}/actors?page_size=100", "analyst"),
    ]
    if with_map:
        paths.append(("map.html", "/proeftuinen/{k}/map.html?embed=1", "viewer"))
    print(
        "\nwarm-up: the first two requests per proeftuin and endpoint (cold: read from "
        "Neo4j, compute, lay out the map; each gunicorn worker has its own cache)"
    )
    print(f"  {'endpoint':<10} {'seconds, min / max':>25}")
    for name, template, role in paths:
        times = []
        for key in proeftuinen:
            # Two rounds: the two gunicorn workers each keep their own cache.
            for _ in range(2):
                status, seconds, _ = get(port, template.format(k=key), keys[role])
                if status != 200:
                    raise SystemExit(f"warm-up {template.format(k=key)} -> {status}")
                times.append(seconds)
        print(f"  {name:<10} {min(times):>16.3f} / {max(times):.3f}")


def report(stats_csv: Path) -> int:
    """Print the table from locust's CSV; returns the number of errors."""
    with open(stats_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(
        f"\n{'endpoint':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    errors = 0
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        if name == "total":
            print("-" * 68)
            errors = int(row["Failure Count"])
        print(
            f"{name:<14} {int(row['Request Count']):>9} {float(row['Requests/s']):>8.1f} "
            f"{row['50%']:>8} {row['95%']:>8} {row['99%']:>8} {int(row['Failure Count']):>7}"
        )
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think",
        default="0.5,1.5",
        help="think time of a user between requests: min,max seconds ('0,0': saturate the server)",
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="graphsvc-load-"))
    neo4j = LocalNeo4j(
        home=home / "neo4j",
        lib=ROOT / "var" / "neo4j-lib",
        bolt_port=free_port(),
        http_port=free_port(),
        heap="768m",
        pagecache="256m",
    )
    procs = Processes(neo4j, home)
    atexit.register(procs.stop)
    # SIGTERM (a kill, a CI timeout) ends like Ctrl-C: the finally below and atexit run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(args, neo4j, procs, home)
    finally:
        procs.stop()


def run(args: argparse.Namespace, neo4j: LocalNeo4j, procs: Processes, home: Path) -> int:
    started = time.perf_counter()
    print(f"Neo4j: starting on {neo4j.uri} (folder {neo4j.home}) ...", flush=True)
    neo4j.start(timeout=180)
    print(f"  up in {time.perf_counter() - started:.0f} s", flush=True)
    settings = {
        "NEO4J_URI": neo4j.uri,
        "NEO4J_PASSWORD": neo4j.password(),
        "SECRET_KEY": "load-bench",
    }
    repo = connect(config.load(settings))
    repo.create_schema()
    print("seeds:", flush=True)
    for line in load_seeds(repo):
        print(f"  {line}", flush=True)
    repo.close()
    proeftuinen = [p["key"] for p in seed_proeftuinen()]
    app = create_app(settings)
    with app.app_context():
        keys = {
            role: auth.create_key(role, f"load benchmark {role}")[1]
            for role in ("viewer", "analyst")
        }

    port = free_port()
    env = {
        **os.environ,
        "GRAPHSVC_NEO4J_URI": neo4j.uri,
        "GRAPHSVC_NEO4J_PASSWORD": neo4j.password(),
        "GRAPHSVC_SECRET_KEY": "load-bench",
        "GRAPHSVC_ANONYMOUS_ROLE": "",
    }
    gunicorn_log = home / "gunicorn.log"
    gunicorn = procs.start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"{HOST}:{port}",
            "graphsvc.web.app:create_app()",
        ],
        env,
        gunicorn_log,
    )
    wait_until_ready(port, gunicorn, gunicorn_log)
    print(
        f"  gunicorn: {args.workers} workers x {args.threads} threads on http://{HOST}:{port}",
        flush=True,
    )

    status = get(port, f"/proeftuinen/{proeftuinen[0]}/map.html?embed=1", keys["viewer"])[0]
    with_map = status == 200
    if not with_map:
        print(
            f"\nNOTE: GET /proeftuinen/<key>/map.html answered {status}: the map task is "
            "skipped (no map pages in this build)."
        )
    warm_up(port, keys, proeftuinen, with_map)

    prefix = home / "locust"
    locust_env = {
        **os.environ,
        "BENCH_VIEWER_KEY": keys["viewer"],
        "BENCH_ANALYST_KEY": keys["analyst"],
        "BENCH_PROEFTUINEN": ",".join(proeftuinen),
        "BENCH_THINK": args.think,
        "BENCH_MAP": "1" if with_map else "0",
    }
    print(
        f"\nlocust: {args.users} users (spawn 10/s), {args.run_time} s, tasks: "
        f"{'map, ' if with_map else ''}metrics, health, proeftuinen, actors ...",
        flush=True,
    )
    locust_log = home / "locust.log"
    locust = procs.start(
        "locust",
        [
            str(BIN / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            f"http://{HOST}:{port}",
            "-u",
            str(args.users),
            "-r",
            "10",
            "--run-time",
            f"{args.run_time}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        locust_env,
        locust_log,
    )
    deadline = time.monotonic() + args.run_time + 90
    while locust.poll() is None:
        if time.monotonic() > deadline:
            locust.kill()
            raise SystemExit("locust did not stop in time")
        time.sleep(1)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics:\n{locust_log.read_text()[-3000:]}")
    errors = report(stats)
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        print("\nfailures:\n" + failures.read_text())
    print(
        f"\nmachine: {os.cpu_count()} cores shared by Neo4j, gunicorn and locust; "
        f"{args.users} users with {args.think.replace(',', '-')} s think time; whole run "
        f"{time.perf_counter() - started:.0f} s"
    )
    if errors:
        print(f"FAILED: {errors} errors (expected 0)")
        return 1
    print("errors: 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
