"""Locust users for the load benchmark (bench/bench_load.py starts everything around it).

Four kinds of people on the eight demo proeftuinen, each user with its own fixed random
sequence (seeded by its number) and a think time of BENCH_THINK seconds:

=========  ======  ===================================================================
user       weight  requests (route class in the table)
=========  ======  ===================================================================
Anonymous  4       pages without signing in: /, /proeftuinen/<key> ("page, anonymous"),
                   the map /proeftuinen/<key>/map.html ("map, anonymous"; BENCH_MAP=1)
Viewer     3       signs in with a viewer key (cookie session, checked against the
                   stored key on every request): the proeftuin page ("page, cookie")
                   and its metrics and scorecard ("api read, viewer cookie")
Analyst    2       signs in with an analyst key: the proeftuin page and the actor list
                   with names ("api read, analyst cookie")
Editor     1       signs in with an editor key and takes the CSRF token from the API docs
                   page, as its script does: adds actors with the token and Origin
                   ("write, cookie + token": 201), and sends the same write without the
                   token ("write without token") and from another site with the token
                   ("write from another site"): both must be refused with 403
=========  ======  ===================================================================

50 users are 20 anonymous, 15 viewers, 10 analysts and 5 editors.  A response that is
not what the route class expects (status, content type) is a failure: the 403s of the
two refused classes are expected and count as successes there; anything else there
fails.  Settings from the environment (bench_load.py sets them): BENCH_VIEWER_KEY,
BENCH_ANALYST_KEY, BENCH_EDITOR_KEY, BENCH_PROEFTUINEN (comma-separated), BENCH_MAP
(1 or 0) and BENCH_THINK ("min,max" seconds).
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, task

KEYS = {
    role: os.environ.get(f"BENCH_{role.upper()}_KEY", "")
    for role in ("viewer", "analyst", "editor")
}
PROEFTUINEN = [k for k in os.environ.get("BENCH_PROEFTUINEN", "").split(",") if k]
MAP = os.environ.get("BENCH_MAP") == "1"
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "0.5,1.5").split(","))
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
JSON = {"Accept": "application/json"}

#: route classes whose expected answer is 403 (bench_load.py reports them apart)
REFUSED = ("write without token", "write from another site")

_numbers = itertools.count(1)


class _Person(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.random = random.Random(self.number)  # each user its own fixed sequence
        self.writes = itertools.count(1)
        if not PROEFTUINEN:
            raise RuntimeError("BENCH_PROEFTUINEN is empty")
        if self.role:
            self.sign_in()

    def sign_in(self) -> None:
        """The sign-in form: a cookie session from here on (no Authorization header)."""
        with self.client.post(
            "/signin",
            data={"key": KEYS[self.role]},
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 303 or "session" not in self.client.cookies:
                resp.failure(f"sign-in: status {resp.status_code}")
            else:
                resp.success()

    def _key(self) -> str:
        return self.random.choice(PROEFTUINEN)

    def expect(self, method: str, path: str, name: str, status: int, mimetype: str, **kw):
        with self.client.request(method, path, name=name, catch_response=True, **kw) as resp:
            if resp.status_code == 0:  # no HTTP answer at all: say what the client saw
                resp.failure(f"no response: {type(resp.error).__name__}: {resp.error}")
            elif resp.status_code != status:
                resp.failure(f"status {resp.status_code} (expected {status})")
            elif not resp.headers.get("Content-Type", "").startswith(mimetype):
                resp.failure(f"content type {resp.headers.get('Content-Type')}")
            else:
                resp.success()
            return resp


class Anonymous(_Person):
    weight = 4

    @task(2)
    def home(self) -> None:
        self.expect("GET", "/", "page, anonymous", 200, "text/html")

    @task(3)
    def proeftuin(self) -> None:
        self.expect("GET", f"/proeftuinen/{self._key()}", "page, anonymous", 200, "text/html")

    if MAP:  # a class-body condition: without maps the task does not exist at all

        @task(1)
        def map(self) -> None:
            self.expect(
                "GET",
                f"/proeftuinen/{self._key()}/map.html?embed=1",
                "map, anonymous",
                200,
                "text/html",
            )


class Viewer(_Person):
    weight = 3
    role = "viewer"

    @task(1)
    def page(self) -> None:
        self.expect("GET", f"/proeftuinen/{self._key()}", "page, cookie", 200, "text/html")

    @task(3)
    def metrics(self) -> None:
        self.expect(
            "GET",
            f"/api/v1/proeftuinen/{self._key()}/metrics",
            "api read, viewer cookie",
            200,
            "application/json",
            headers=JSON,
        )

    @task(2)
    def health(self) -> None:
        self.expect(
            "GET",
            f"/api/v1/proeftuinen/{self._key()}/health",
            "api read, viewer cookie",
            200,
            "application/json",
            headers=JSON,
        )


class Analyst(_Person):
    weight = 2
    role = "analyst"

    @task(1)
    def page(self) -> None:
        self.expect("GET", f"/proeftuinen/{self._key()}", "page, cookie", 200, "text/html")

    @task(3)
    def actors(self) -> None:
        self.expect(
            "GET",
            f"/api/v1/proeftuinen/{self._key()}/actors?page_size=100",
            "api read, analyst cookie",
            200,
            "application/json",
            headers=JSON,
        )


class Editor(_Person):
    weight = 1
    role = "editor"
    token = ""

    def on_start(self) -> None:
        super().on_start()
        self.refresh_token()

    def refresh_token(self) -> None:
        """The token from <meta name="csrf-token"> of the API docs page, whose script sends
        it with every write (the header X-CSRF-Token), as a signed-in editor's browser does."""
        resp = self.expect("GET", "/api/v1/docs", "page, cookie", 200, "text/html")
        found = TOKEN.search(resp.text or "")
        self.token = found.group(1) if found else ""

    def _actor(self) -> tuple[str, dict]:
        key = self._key()
        body = {
            "key": f"load-{self.number}-{next(self.writes)}",
            "kind": "resident",
            "name": f"Belasting {self.number}",
        }
        return f"/api/v1/proeftuinen/{key}/actors", body

    def _origin(self) -> dict[str, str]:
        return {"Origin": self.host.rstrip("/"), "Sec-Fetch-Site": "same-origin", **JSON}

    @task(1)
    def page(self) -> None:
        self.expect("GET", f"/proeftuinen/{self._key()}", "page, cookie", 200, "text/html")

    @task(3)
    def write(self) -> None:
        path, body = self._actor()
        headers = {**self._origin(), "X-CSRF-Token": self.token}
        self.expect(
            "POST",
            path,
            "write, cookie + token",
            201,
            "application/json",
            json=body,
            headers=headers,
        )

    @task(1)
    def write_without_token(self) -> None:
        path, body = self._actor()
        self.expect(
            "POST",
            path,
            REFUSED[0],
            403,
            "application/problem+json",
            json=body,
            headers=self._origin(),
        )

    @task(1)
    def write_from_another_site(self) -> None:
        path, body = self._actor()
        headers = {
            "Origin": "https://elders.example",
            "Sec-Fetch-Site": "cross-site",
            "X-CSRF-Token": self.token,
            **JSON,
        }
        self.expect(
            "POST", path, REFUSED[1], 403, "application/problem+json", json=body, headers=headers
        )
