"""Load benchmark: 50 concurrent users against gunicorn on loopback, with locust.

Everything runs on this machine and only on loopback addresses (bench/_serve.py):

1. a local Neo4j 5.26 (a temporary folder, free ports, jars in var/neo4j-lib) with
   the eight demo proeftuinen (graphsvc.transfer.seeding.load_seeds);
2. a viewer, an analyst and an editor key;
3. the app under gunicorn as ``make run`` serves it (2 workers x 4 threads,
   anonymous visitors are viewers, one signing secret for both workers)::

       gunicorn --workers 2 --threads 4 --bind 127.0.0.1:PORT "graphsvc.web.app:create_app()"

4. one warm-up request per endpoint and proeftuin (the first request of a proeftuin
   reads its network and computes; a map's first view also lays it out), timed;
5. locust, headless, 50 users (bench/load/locustfile.py) for 60 s (``--run-time``):
   anonymous page views, viewers and analysts signed in with the sign-in form (cookie
   sessions, so the session is checked against the stored key on every request) and
   editors adding actors through their cookie session with the CSRF token and Origin
   (so the CSRF check runs), plus the same writes without the token or from another
   site, which must be refused with 403.  Then a table per route class: requests,
   p50, p95, max, the expected 403s and the unexpected errors (exit status 1 unless 0).

The server, gunicorn and locust are stopped at the end, also on failure, Ctrl-C and
SIGTERM, and the temporary folder is removed.  Two cores are shared by Neo4j, the two
gunicorn workers and locust itself: the figures are those of that whole machine.

Run:  python bench/bench_load.py [--users 50] [--run-time 60]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from _serve import BIN, HOST, ROOT, children, get, gunicorn, local_neo4j, settings

from graphsvc import config
from graphsvc.store.repository import connect
from graphsvc.transfer.seeding import load_seeds, seed_proeftuinen
from graphsvc.web import auth
from graphsvc.web.app import create_app

LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
# Route classes whose expected answer is 403 (the locustfile counts a 403 there as success).
REFUSED = ("write without token", "write from another site")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def warm_up(port: int, keys: dict[str, str], proeftuinen: list[str], with_map: bool) -> None:
    """One request per endpoint and proeftuin, sequentially: the cold figures."""
    paths = [
        ("metrics", "/api/v1/proeftuinen/{k}/metrics", "viewer"),
        ("health", "/api/v1/proeftuinen/{k}/health", "viewer"),
        ("actors", "/api/v1/proeftuinen/{k}/actors?page_size=100", "analyst"),
        ("page", "/proeftuinen/{k}", "viewer"),
    ]
    if with_map:
        paths.append(("map.html", "/proeftuinen/{k}/map.html?embed=1", "viewer"))
    print(
        "\nwarm-up: the first two requests per proeftuin and endpoint (cold: read from "
        "Neo4j, compute, lay out the map; each gunicorn worker has its own cache)"
    )
    print(f"  {'endpoint':<10} {'seconds, min / max':>25}", flush=True)
    for name, template, role in paths:
        times = []
        for key in proeftuinen:
            # Two rounds: the two gunicorn workers each keep their own cache.
            for _ in range(2):
                seconds, status, _, _ = get(port, template.format(k=key), bearer(keys[role]), 300)
                if status != 200:
                    raise SystemExit(f"warm-up {template.format(k=key)} -> {status}")
                times.append(seconds)
        print(f"  {name:<10} {min(times):>16.3f} / {max(times):.3f}", flush=True)


def report(stats_csv: Path) -> int:
    """Print the table per route class from locust's CSV; returns the unexpected errors."""
    with open(stats_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    header = (
        f"{'route class':<28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'403 expected':>13} {'unexpected errors':>18}"
    )
    print("\n" + header)
    errors = 0
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        if name == "total":
            print("-" * len(header))
            errors = failed
            refused = sum(
                int(r["Request Count"]) - int(r["Failure Count"])
                for r in rows
                if r["Name"] in REFUSED
            )
        else:
            refused = count - failed if name in REFUSED else 0
        print(
            f"{name:<28} {count:>9} {row['50%']:>8} {row['95%']:>8} "
            f"{float(row['Max Response Time']):>8.0f} {refused:>13} {failed:>18}"
        )
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
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
    started = time.perf_counter()
    with (
        local_neo4j(heap="768m", pagecache="256m", prefix="graphsvc-load-") as neo4j,
        tempfile.TemporaryDirectory(prefix="graphsvc-load-logs-") as logs,
        children(Path(logs)) as procs,
    ):
        errors = run(args, neo4j, procs)
    print(
        f"\nmachine: {os.cpu_count()} cores shared by Neo4j, gunicorn and locust; "
        f"{args.users} users with {args.think.replace(',', '-')} s think time; whole run "
        f"{time.perf_counter() - started:.0f} s"
    )
    if errors:
        print(f"FAILED: {errors} unexpected errors (expected 0)")
        return 1
    print("unexpected errors: 0")
    return 0


def run(args: argparse.Namespace, neo4j, procs) -> int:
    app_settings = settings(neo4j)
    repo = connect(config.load(app_settings))
    repo.create_schema()
    print("seeds:", flush=True)
    for line in load_seeds(repo):
        print(f"  {line}", flush=True)
    repo.close()
    proeftuinen = [p["key"] for p in seed_proeftuinen()]
    app = create_app(app_settings)
    with app.app_context():
        keys = {
            role: auth.create_key(role, f"load benchmark {role}")[1]
            for role in ("viewer", "analyst", "editor")
        }
    # As make run: anonymous visitors browse as viewers.
    port = gunicorn(
        procs,
        neo4j,
        workers=args.workers,
        threads=args.threads,
        env={"GRAPHSVC_ANONYMOUS_ROLE": "viewer"},
    )

    path = f"/proeftuinen/{proeftuinen[0]}/map.html?embed=1"
    status = get(port, path, bearer(keys["viewer"]), 300)[1]
    with_map = status == 200
    if not with_map:
        print(f"\nNOTE: GET {path} answered {status}: the map requests are left out.")
    warm_up(port, keys, proeftuinen, with_map)

    prefix = Path(procs.logs) / "locust"
    locust_env = {
        **os.environ,
        "BENCH_VIEWER_KEY": keys["viewer"],
        "BENCH_ANALYST_KEY": keys["analyst"],
        "BENCH_EDITOR_KEY": keys["editor"],
        "BENCH_PROEFTUINEN": ",".join(proeftuinen),
        "BENCH_THINK": args.think,
        "BENCH_MAP": "1" if with_map else "0",
    }
    print(
        f"\nlocust: {args.users} users (spawn 10/s), {args.run_time} s: anonymous pages, "
        "viewer and analyst cookie sessions, editor writes with and without the CSRF token ...",
        flush=True,
    )
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
            # Users finish the request in flight at the end instead of cutting it off
            # (a cut request would count as an error with status 0).
            "--stop-timeout",
            "120",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        locust_env,
    )
    deadline = time.monotonic() + args.run_time + 240
    while locust.poll() is None:
        if time.monotonic() > deadline:
            raise SystemExit("locust did not stop in time")
        time.sleep(1)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics:\n{procs.log('locust').read_text()[-3000:]}")
    errors = report(stats)
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        print("\nfailures:\n" + failures.read_text())
    # A request cut off (status 0 above) is most often a worker that gunicorn's arbiter
    # killed for not reporting within --timeout (30 s): say so from its log.
    log = procs.log("gunicorn").read_text(errors="replace").splitlines()
    notes = [line for line in log if "WORKER TIMEOUT" in line or "Booting worker" in line]
    if notes:
        print(f"\ngunicorn ({len(notes)} lines about workers; the first two are the start):")
        for line in notes:
            print("  " + line)
    return errors


if __name__ == "__main__":
    sys.exit(main())
