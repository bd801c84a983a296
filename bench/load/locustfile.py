"""Locust users for the load benchmark (bench/bench_load.py starts everything around it).

Each user is a dashboard or a facilitator's browser on the eight demo proeftuinen: it
picks a proeftuin at random (fixed seed per user) and reads

=========  ======  ==========================================================
task       weight  requests
=========  ======  ==========================================================
map        1       GET /proeftuinen/<key>/map.html?embed=1 (only with BENCH_MAP=1)
metrics    3       GET /api/v1/proeftuinen/<key>/metrics
health     2       GET /api/v1/proeftuinen/<key>/health (the scorecard)
lists      3       GET /api/v1/proeftuinen, GET /api/v1/proeftuinen/<key>/actors
=========  ======  ==========================================================

as a viewer (the actor list, which holds names, as an analyst), with a think time
of 0.5 to 1.5 s.  A response that is not 200 with the expected content type counts
as a failure.  Settings come from the environment (bench_load.py sets them):
BENCH_VIEWER_KEY, BENCH_ANALYST_KEY, BENCH_PROEFTUINEN (comma-separated), BENCH_MAP
(1 or 0) and BENCH_THINK ("min,max" seconds; "0,0" for as fast as possible).
Run alone: ``locust -f bench/load/locustfile.py --host URL``.
"""

from __future__ import annotations

import itertools
import os
import random

from locust import HttpUser, between, task

VIEWER = {"Authorization": f"Bearer {os.environ.get('BENCH_VIEWER_KEY', '')}"}
ANALYST = {"Authorization": f"Bearer {os.environ.get('BENCH_ANALYST_KEY', '')}"}
PROEFTUINEN = [k for k in os.environ.get("BENCH_PROEFTUINEN", "").split(",") if k]
MAP = os.environ.get("BENCH_MAP") == "1"
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "0.5,1.5").split(","))

_seeds = itertools.count(1)


class Reader(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.random = random.Random(next(_seeds))  # each user its own fixed sequence
        if not PROEFTUINEN:
            raise RuntimeError("BENCH_PROEFTUINEN is empty")

    def _get(self, path: str, name: str, headers: dict, mimetype: str) -> None:
        with self.client.get(path, name=name, headers=headers, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"status {resp.status_code}")
            elif not resp.headers.get("Content-Type", "").startswith(mimetype):
                resp.failure(f"content type {resp.headers.get('Content-Type')}")
            else:
                resp.success()

    def _key(self) -> str:
        return self.random.choice(PROEFTUINEN)

    if MAP:  # a class-body condition: without maps the task does not exist at all

        @task(1)
        def map(self) -> None:
            self._get(
                f"/proeftuinen/{self._key()}/map.html?embed=1", "map.html", VIEWER, "text/html"
            )

    @task(3)
    def metrics(self) -> None:
        self._get(
            f"/api/v1/proeftuinen/{self._key()}/metrics", "metrics", VIEWER, "application/json"
        )

    @task(2)
    def health(self) -> None:
        self._get(f"/api/v1/proeftuinen/{self._key()}/health", "health", VIEWER, "application/json")

    @task(1)
    def proeftuinen(self) -> None:
        self._get("/api/v1/proeftuinen", "proeftuinen", VIEWER, "application/json")

    @task(2)
    def actors(self) -> None:
        self._get(
            f"/api/v1/proeftuinen/{self._key()}/actors?page_size=100",
            "actors",
            ANALYST,
            "application/json",
        )
