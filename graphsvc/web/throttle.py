"""The throttle of bad keys and its rate-limit headers.

Repeated bad keys from one client address, or for one key id, are counted in a
sliding window (:class:`FailureThrottle`).  :mod:`graphsvc.web.auth` checks a
presented key first and calls :func:`refuse_bad_key` only for a key that fails,
so a valid key is never refused because of them: a failing key is answered 429
(:class:`TooManyAttempts`, with ``Retry-After``) instead of 401 while its address
or key id is blocked, and both answers carry the ``RateLimit`` headers
(:func:`rate_limit_headers`).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from graphsvc.errors import GraphsvcError

__all__ = [
    "FAILURE_LIMIT",
    "FAILURE_WINDOW",
    "TooManyAttempts",
    "FailureThrottle",
    "refuse_bad_key",
    "rate_limit_headers",
    "init_app",
]

log = logging.getLogger("graphsvc.web.auth")

FAILURE_LIMIT = 10  # bad keys per client address (or per key id) ...
FAILURE_WINDOW = 60.0  # ... within this many seconds, then 429 until the window passes

_EXT = "graphsvc.web.throttle"


class TooManyAttempts(GraphsvcError):
    """429: too many bad keys from one address or for one key id (``retry_after`` seconds)."""

    status = 429
    title_nl, title_en = "Te veel pogingen", "Too many attempts"


class FailureThrottle:
    """Counts failed key attempts per subject (a client address, a key id) in a sliding window.

    After ``limit`` failures within ``window`` seconds, :meth:`retry_after` is
    positive until the oldest of them is ``window`` seconds old.  Failures made
    while blocked are not counted, so waiting always ends the block.  The
    throttle never refuses anything itself: :mod:`graphsvc.web.auth` checks a
    presented key first and only a key that *fails* is answered 429 instead of
    401 while its address or its key id is blocked, so a valid key is never
    refused because of someone else's failures (one broken script behind a
    proxy or NAT cannot lock out its neighbours).

    Our own code rather than flask-limiter: that library limits requests per
    route (it can deduct only some responses, but then it still keys on routes
    and responses, brings the ``limits`` and ``rich`` packages, and also keeps
    its counts per process without a shared store); what we need is "how many
    *bad keys* did this address, or this key id, present lately", wherever a
    key is presented (the Bearer header on any route, the sign-in form).

    Counts live in this process's memory: behind N gunicorn workers a client
    may try about N times ``limit`` keys per window.  Guessing is hopeless
    against 256-bit secrets anyway; the throttle is there to make it noisy, to
    tell a misconfigured script to stop (429 with ``Retry-After``) and to keep
    the log from filling with its failures.
    """

    def __init__(
        self,
        limit: int = FAILURE_LIMIT,
        window: float = FAILURE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        # Only the newest `limit` failures matter, so each address holds at most that many.
        self._failures: dict[str, deque[float]] = {}
        self._last_sweep = clock()

    def retry_after(self, client: str) -> float:
        """Seconds until ``client`` may present a key again; 0.0 when it may now."""
        with self._lock:
            now = self._clock()
            recent = self._recent(client, now)
            if recent is None or len(recent) < self.limit:
                return 0.0
            return recent[0] + self.window - now

    def remaining(self, client: str) -> int:
        """Failures ``client`` may still make before it is blocked (0 while blocked)."""
        with self._lock:
            recent = self._recent(client, self._clock())
            return self.limit - (0 if recent is None else len(recent))

    def reset(self, client: str) -> float:
        """Seconds until ``client``'s oldest counted failure leaves the window (0.0: none)."""
        with self._lock:
            now = self._clock()
            recent = self._recent(client, now)
            return 0.0 if recent is None else recent[0] + self.window - now

    def _recent(self, client: str, now: float) -> deque[float] | None:
        # The failures of `client` still inside the window, oldest first; None when none.
        recent = self._failures.get(client)
        if recent is None:
            return None
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if not recent:
            del self._failures[client]
            return None
        return recent

    def failed(self, client: str) -> None:
        """Record one failed attempt by ``client``."""
        with self._lock:
            now = self._clock()
            self._failures.setdefault(client, deque(maxlen=self.limit)).append(now)
            if now - self._last_sweep >= self.window:
                self._sweep(now)

    def _sweep(self, now: float) -> None:
        # Forget addresses whose newest failure left the window: memory stays bounded by
        # the addresses that failed in about the last two windows.
        stale = [c for c, recent in self._failures.items() if now - recent[-1] >= self.window]
        for client in stale:
            del self._failures[client]
        self._last_sweep = now

    def __len__(self) -> int:
        return len(self._failures)


def _throttle() -> FailureThrottle:
    return current_app.extensions[_EXT]


def _client() -> str:
    # The direct peer, or the address a trusted reverse proxy reports: with TRUSTED_PROXIES
    # set, init_app wraps the app in werkzeug's ProxyFix, which sets remote_addr from
    # X-Forwarded-For; without it that header is ignored (anyone could send it).
    return request.remote_addr or "unknown"


def _subjects(key_id: str | None) -> list[str]:
    """What a failed key counts against: the client address and, if well-formed, the key id."""
    return [f"addr:{_client()}"] + ([f"key:{key_id}"] if key_id else [])


def _rate_limit_state(subjects: list[str]) -> tuple[int, float, float]:
    """(remaining failures, seconds until the window resets, seconds to wait) over ``subjects``."""
    throttle = _throttle()
    remaining = min(throttle.remaining(s) for s in subjects)
    reset = max(throttle.reset(s) for s in subjects)
    wait = max(throttle.retry_after(s) for s in subjects)
    return remaining, reset, wait


def refuse_bad_key(key_id: str | None) -> None:
    """Count and log a presented key that failed (``key_id``: its public id, if well-formed).

    TooManyAttempts (429) while its address or key id is blocked; else it returns
    and the caller answers 401.  Either way the response gets the RateLimit headers
    (:func:`rate_limit_headers`).  The key itself is never seen here, so never logged.
    """
    throttle = _throttle()
    subjects = _subjects(key_id)
    _, _, wait = _rate_limit_state(subjects)
    if wait <= 0:  # not blocked yet: count it (the failure that reaches the limit is a 401)
        for subject in subjects:
            throttle.failed(subject)
        log.warning("invalid API key%s from %s", f" (id {key_id})" if key_id else "", _client())
    remaining, reset, _ = _rate_limit_state(subjects)
    g.auth_rate_limit = (throttle.limit, remaining, max(1, math.ceil(reset)))
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        g.auth_retry_after = seconds
        raise TooManyAttempts(
            "Te veel ongeldige sleutels vanaf dit adres of voor deze sleutel-id; probeer het "
            f"over {seconds} s opnieuw. Een geldige sleutel werkt wel meteen.",
            "Too many invalid keys from this address or for this key id; try again in "
            f"{seconds} s. A valid key works right away.",
            retry_after=seconds,
        )


def rate_limit_headers(response: Response) -> None:
    """``Retry-After`` on a 429 and the RateLimit headers on the answers to failed keys."""
    if response.status_code == 429 and g.get("auth_retry_after"):
        response.headers["Retry-After"] = str(g.auth_retry_after)
    # draft-ietf-httpapi-ratelimit-headers: the quota is failed keys per window, so the
    # headers go on the answers to failed keys (401 and 429), not on served requests.
    state = g.get("auth_rate_limit")
    if state is None or response.status_code not in (401, 429):
        return
    limit, remaining, reset = state
    window = int(_throttle().window)
    response.headers["RateLimit-Limit"] = str(limit)
    response.headers["RateLimit-Remaining"] = str(remaining)
    response.headers["RateLimit-Reset"] = str(reset)
    response.headers["RateLimit-Policy"] = f"{limit};w={window}"


def init_app(app: Flask) -> None:
    """A throttle for this app, behind ProxyFix when TRUSTED_PROXIES is set."""
    app.extensions[_EXT] = FailureThrottle()
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies < 0:
        raise ValueError(f"TRUSTED_PROXIES must be 0 or more, not {proxies}")
    if proxies:
        # Behind `proxies` reverse proxies that each append to X-Forwarded-For: take the
        # client address (and scheme) they report. Without them the header is ignored.
        proxied = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
        app.wsgi_app = proxied  # type: ignore[method-assign]
