"""API keys, roles and sign-in (docs/architecture.md §6 "Auth").

Roles, each allowed everything the ones before it may do::

    viewer   aggregate metrics and pseudonymised maps
    analyst  + residents' names and actor-level data
    editor   + writes and imports
    admin    + managing API keys

A key reads ``gsk_<id>_<secret>``: ``id`` is 8 hex characters, public, used to
list and revoke; ``secret`` is ``secrets.token_urlsafe(32)`` (256 random bits).
The store keeps only the SHA-256 of the whole key; the key itself is shown once
and never stored or logged.

Who is asking is settled once per request (:func:`current_principal`, kept in
``flask.g``):

1. ``Authorization: Bearer KEY`` (scripts): looked up in the store on every
   request, so a revoked key stops at once;
2. else the signed session cookie set by ``/signin`` (people): it holds the key
   id, a check derived from the key's hash and a CSRF token, never the role: the
   key is read from the store on every request (one small read by id), so its
   role is the stored one and a revoked key stops at once;
3. else the anonymous role of the configuration (``ANONYMOUS_ROLE``; empty means
   no anonymous access).

Views declare their minimum role with :func:`require_role`; :func:`role_registry`
lists every decorated endpoint, so a test can prove that no route was forgotten.
Repeated bad keys from one client address, or for one key id, are throttled
(:class:`FailureThrottle`); a valid key is never refused because of them.

Writes made with the cookie are guarded against cross-site request forgery
(:func:`check_csrf`): the request must come from one of our own pages (``Origin``
and ``Sec-Fetch-Site``) and carry the session's token (a form field or the
``X-CSRF-Token`` header).  The cookie's signing secret must be configured when
serving (:func:`init_app`); docs/security.md has the whole threat model.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as WerkzeugResponse

from graphsvc.errors import Forbidden, GraphsvcError, InvalidInput, NotFound, Unauthorized

__all__ = [
    "ROLES",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "FAILURE_LIMIT",
    "FAILURE_WINDOW",
    "Principal",
    "TooManyAttempts",
    "FailureThrottle",
    "check_role",
    "new_key",
    "hash_key",
    "key_id",
    "clean_name",
    "create_key",
    "authenticate",
    "revoke",
    "list_keys",
    "current_principal",
    "sign_in",
    "sign_out",
    "safe_next",
    "csrf_token",
    "check_csrf",
    "CrossSiteRequest",
    "MissingSecret",
    "require_role",
    "required_role",
    "role_registry",
    "init_app",
]

log = logging.getLogger("graphsvc.web.auth")

ROLES: tuple[str, ...] = ("viewer", "analyst", "editor", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}

FAILURE_LIMIT = 10  # bad keys per client address (or per key id) ...
FAILURE_WINDOW = 60.0  # ... within this many seconds, then 429 until the window passes

_PREFIX = "gsk"
# token_urlsafe(32) encodes 32 bytes as 43 characters of the URL-safe base64 alphabet.
_KEY_RE = re.compile(r"gsk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
_NAME_MAX = 100
_EXT = "graphsvc.web.auth"
_ATTR = "graphsvc_required_role"

F = TypeVar("F", bound=Callable[..., Any])


# -- roles and principals ---------------------------------------------------------


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`, else InvalidInput naming the choices."""
    if role not in _RANK:
        choices = ", ".join(ROLES)
        raise InvalidInput(
            f"Onbekende rol '{role}'; kies uit: {choices}.",
            f"Unknown role '{role}'; choose one of: {choices}.",
            field="role",
        )
    return role


@dataclass(frozen=True)
class Principal:
    """Who makes the request: a key (``id``, ``name``, ``role``) or the anonymous role (id "").

    A signed-in session gets its name and role from the store on every request.
    """

    id: str
    name: str
    role: str

    def allows(self, role: str) -> bool:
        """True when this principal's role is ``role`` or above it."""
        return _RANK[self.role] >= _RANK[check_role(role)]

    @property
    def anonymous(self) -> bool:
        return self.id == ""


class CrossSiteRequest(GraphsvcError):
    """403: a write made with the sign-in cookie that did not come from one of our pages."""

    status = 403
    title_nl, title_en = "Verzoek van buiten deze site", "Cross-site request"


class MissingSecret(RuntimeError):
    """The app is to serve people without a configured secret to sign their cookies with."""


class TooManyAttempts(GraphsvcError):
    """429: too many bad keys from one address or for one key id (``retry_after`` seconds)."""

    status = 429
    title_nl, title_en = "Te veel pogingen", "Too many attempts"


# -- keys ---------------------------------------------------------------------------


def new_key() -> tuple[str, str]:
    """A fresh ``(id, key)`` with key ``gsk_<id>_<secret>``; nothing is stored."""
    id_ = secrets.token_hex(4)
    return id_, f"{_PREFIX}_{id_}_{secrets.token_urlsafe(32)}"


def hash_key(key: str) -> str:
    """The stored form of a key: SHA-256 of the whole key, as hex.

    A fast, unsalted hash is right here, unlike for passwords: the secret holds
    256 random bits, so there is no dictionary to try and no brute force that a
    slow hash (bcrypt, argon2) would make meaningfully harder, and salts only
    matter against precomputed tables of *guessable* inputs.  A fast hash also
    lets us look a key up by its hash through a unique index, on every request.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_id(key: str) -> str | None:
    """The public id of a well-formed key, else None (the secret is never looked at)."""
    match = _KEY_RE.fullmatch(key)
    return match.group(1) if match else None


def _store():
    # Imported when first needed, so that the command line starts without the Neo4j driver.
    from graphsvc.web.services import store

    return store()


def clean_name(name: str) -> str:
    """A key's name with its whitespace tidied; InvalidInput when empty or too long."""
    cleaned = " ".join(str(name).split())
    if not cleaned or len(cleaned) > _NAME_MAX:
        raise InvalidInput(
            f"Geef de sleutel een naam van 1 tot {_NAME_MAX} tekens (wie of wat gebruikt hem).",
            f"Give the key a name of 1 to {_NAME_MAX} characters (who or what uses it).",
            field="name",
        )
    return cleaned


def create_key(role: str, name: str) -> tuple[str, str]:
    """Make and store a new key; returns ``(id, key)``.  The key is not kept: show it once."""
    check_role(role)
    name = clean_name(name)
    repo = _store()
    for _ in range(5):
        id_, key = new_key()
        # 32-bit ids are unique in practice; checking keeps revoke-by-id unambiguous anyway.
        if repo.api_keys.get(id_) is None:
            repo.api_keys.create(id_, hash_key(key), name, role)
            log.info("API key %s created (role %s)", id_, role)
            return id_, key
    raise GraphsvcError("Kon geen unieke sleutel-id maken.", "Could not make a unique key id.")


def authenticate(key: str) -> Principal | None:
    """The principal of a live key, else None (malformed, unknown or revoked)."""
    id_ = key_id(key)
    if id_ is None:
        return None
    row = _store().api_keys.get_by_hash(hash_key(key))
    if row is None or row["id"] != id_:
        return None
    return Principal(row["id"], row["name"], row["role"])


def revoke(id_: str) -> None:
    """Revoke a key by its id (it stops working at once); NotFound when there is none."""
    if not re.fullmatch(r"[0-9a-f]{8}", id_) or not _store().api_keys.revoke(id_):
        raise NotFound(
            f"Er is geen API-sleutel met id '{id_}'.", f"There is no API key with id '{id_}'."
        )
    log.info("API key %s revoked", id_)


def list_keys() -> list[dict[str, Any]]:
    """Every key as {id, name, role, created, revoked}, newest first (never a hash)."""
    return [
        {k: row[k] for k in ("id", "name", "role", "created", "revoked")}
        for row in _store().api_keys.list()
    ]


# -- throttling of bad keys -------------------------------------------------------------


class FailureThrottle:
    """Counts failed key attempts per subject (a client address, a key id) in a sliding window.

    After ``limit`` failures within ``window`` seconds, :meth:`retry_after` is
    positive until the oldest of them is ``window`` seconds old.  Failures made
    while blocked are not counted, so waiting always ends the block.  The
    throttle never refuses anything itself: :func:`current_principal` checks a
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
    return current_app.extensions[_EXT]["throttle"]


def _client() -> str:
    # The direct peer, or the address a trusted reverse proxy reports: with TRUSTED_PROXIES
    # set, init_app wraps the app in werkzeug's ProxyFix, which sets remote_addr from
    # X-Forwarded-For; without it that header is ignored (anyone could send it).
    return request.remote_addr or "unknown"


def _subjects(key: str) -> list[str]:
    """What a failed key counts against: the client address and, if well-formed, the key id."""
    id_ = key_id(key)
    return [f"addr:{_client()}"] + ([f"key:{id_}"] if id_ else [])


def _rate_limit_state(subjects: list[str]) -> tuple[int, float, float]:
    """(remaining failures, seconds until the window resets, seconds to wait) over ``subjects``."""
    throttle = _throttle()
    remaining = min(throttle.remaining(s) for s in subjects)
    reset = max(throttle.reset(s) for s in subjects)
    wait = max(throttle.retry_after(s) for s in subjects)
    return remaining, reset, wait


def _check_presented(key: str) -> Principal | None:
    """Authenticate a presented key; a failure is counted and logged (never the key).

    The key is checked even while its address or key id is blocked: a valid key
    is always served.  A failing key is TooManyAttempts (429) while blocked, else
    None (the caller answers 401); either way the response carries the
    RateLimit headers (:func:`_rate_limit_headers`).
    """
    principal = authenticate(key)
    if principal is not None:
        return principal
    throttle = _throttle()
    subjects = _subjects(key)
    _, _, wait = _rate_limit_state(subjects)
    if wait <= 0:  # not blocked yet: count it (the failure that reaches the limit is a 401)
        for subject in subjects:
            throttle.failed(subject)
        log.warning(
            "invalid API key%s from %s", f" (id {key_id(key)})" if key_id(key) else "", _client()
        )
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
    return None


# -- the principal of the current request -----------------------------------------------


def _bearer() -> str | None:
    """The presented key: None without an Authorization header, '' when it is not Bearer."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _session_check(stored_hash: str) -> str:
    # Ties the cookie to this very key (not just its id) without putting the stored hash,
    # or anything that could serve as a key, in a cookie the browser can read.
    return hashlib.sha256(f"graphsvc-session:{stored_hash}".encode()).hexdigest()[:32]


def _from_session() -> Principal | None:
    """The key of the session cookie as it is in the store now, else None (cookie cleared).

    The cookie is signed, but a signature only proves that someone with the secret made
    it: the key it names must still exist, be live and be the key that signed in (the
    check), and its role is the stored one, read on every request (one small read by id).
    """
    id_ = session.get("key_id")
    if not id_:
        return None
    row = _store().api_keys.get(str(id_)) if re.fullmatch(r"[0-9a-f]{8}", str(id_)) else None
    if (
        row is None
        or row["revoked"]
        or not hmac.compare_digest(_session_check(row["hash"]), str(session.get("check", "")))
    ):
        log.info("session of API key %s ended: key revoked, gone or not the one signed in", id_)
        session.clear()
        return None
    return Principal(row["id"], row["name"], check_role(row["role"]))


def _anonymous() -> Principal | None:
    role = current_app.config.get("ANONYMOUS_ROLE") or ""
    return Principal("", "anonymous", role) if role else None


def current_principal() -> Principal | None:
    """Who makes this request (see the module docstring), or None for nobody.

    A presented Bearer key that is not valid raises Unauthorized (it never falls
    back to a session or the anonymous role); TooManyAttempts while throttled.
    """
    if "principal" in g:
        return g.principal
    key = _bearer()
    if key is not None:
        principal = _check_presented(key) if key else None
        if principal is None:
            g.auth_error = "invalid_token"
            raise Unauthorized(
                "Deze API-sleutel is ongeldig of ingetrokken.",
                "This API key is invalid or has been revoked.",
            )
    else:
        principal = _from_session() or _anonymous()
    g.principal = principal
    return principal


def sign_in(key: str) -> Principal:
    """Check a key typed into the sign-in form and start a session for it."""
    principal = _check_presented(key.strip())
    if principal is None:
        raise Unauthorized(
            "Deze sleutel is ongeldig of ingetrokken.", "This key is invalid or has been revoked."
        )
    session.clear()
    session.update(
        key_id=principal.id,
        check=_session_check(hash_key(key.strip())),
        csrf=secrets.token_urlsafe(32),  # a fresh token per sign-in
    )
    g.principal = principal
    return principal


def sign_out() -> None:
    session.clear()
    g.pop("principal", None)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else '/' (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


# -- cross-site request forgery --------------------------------------------------------------
#
# Our own code rather than Flask-WTF's CSRFProtect, which we looked at: it checks every
# POST, including the Bearer-key API calls of scripts (they cannot be forged by a foreign
# page and must not need a token), it keeps its token time-limited inside the same cookie,
# it does not look at Origin or Sec-Fetch-Site, and it brings WTForms, which we do not use.
# What is needed is small: a random token per session (made at sign-in, kept in the signed
# cookie), compared in constant time, plus the browser's own statement of where a request
# comes from.

CSRF_FIELD = "csrf_token"  # the hidden field of our forms
CSRF_HEADER = "X-CSRF-Token"  # the header of our pages' fetch() calls (the API docs page)
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """This browser session's CSRF token for a form or a fetch(); '' when nobody signed in.

    Nobody signed in means no cookie that could carry authority, so there is nothing to
    protect and no session is started just for a token.
    """
    if not session.get("key_id"):
        return ""
    token = session.get("csrf")
    if not token:  # a session from before tokens existed
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def _own_origin() -> str:
    # scheme://host[:port] as this request reached the app; behind a reverse proxy the
    # proxy must pass Host and X-Forwarded-Proto on (docs/security.md).
    return f"{request.scheme}://{request.host}"


def _from_our_pages() -> bool:
    """False when the browser says the request comes from another origin.

    ``Sec-Fetch-Site`` (set by the browser, never by a page) must be ``same-origin``:
    ``same-site`` is refused too, as another port or subdomain of the same host is
    another application.  Browsers without it send ``Origin`` with every POST, which
    must then be ours.  A client that sends neither is not a browser (curl, a script):
    the token check still applies to its cookie, if it has one.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is None or origin == _own_origin()


def check_csrf() -> None:
    """The ``before_request`` check: CrossSiteRequest (403) for a forged unsafe request.

    A request with an ``Authorization`` header is authenticated by that header alone (it
    never falls back to the cookie) and a foreign page cannot add one, so it passes.
    Every other POST/PUT/PATCH/DELETE must come from our own origin; when the browser
    has a sign-in session it must also carry the session's token, in the form field
    ``csrf_token`` or the ``X-CSRF-Token`` header.  The check runs before the view, so
    a refused request changes nothing.
    """
    if request.method not in _UNSAFE or "Authorization" in request.headers:
        return
    if not _from_our_pages():
        log.warning("%s %s refused: cross-site request", request.method, request.path)
        raise CrossSiteRequest(
            "Dit verzoek komt niet van een pagina van deze dienst en is geweigerd.",
            "This request does not come from a page of this service and was refused.",
        )
    if not session.get("key_id"):
        return
    expected = str(session.get("csrf") or "")
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
        log.warning("%s %s refused: missing or wrong CSRF token", request.method, request.path)
        raise CrossSiteRequest(
            "Dit formulier is verlopen of komt niet van deze site: laad de pagina opnieuw "
            "en probeer het nog eens.",
            "This form has expired or does not come from this site: reload the page and try again.",
        )


# -- guarding views ------------------------------------------------------------------------


def _wants_page() -> bool:
    """A person's browser on a page (not the API): send it to the sign-in page, not a 401."""
    if request.path.startswith("/api/") or "Authorization" in request.headers:
        return False
    return (
        request.accept_mimetypes.best_match(["application/problem+json", "text/html"])
        == "text/html"
    )


def _to_signin() -> WerkzeugResponse:
    target = request.full_path.rstrip("?") if request.query_string else request.path
    values: dict[str, Any] = {"next": target}
    if request.args.get("lang"):
        values["lang"] = request.args["lang"]
    return redirect(
        url_for("signin.signin", **values),
        code=303 if request.method not in ("GET", "HEAD") else 302,
    )


def require_role(role: str) -> Callable[[F], F]:
    """Let a view run only for ``role`` or above.

    Nobody (no key, no session, no anonymous role): 401 problem+json with
    ``WWW-Authenticate: Bearer`` (a browser asking for a page is redirected to
    ``/signin?next=...``); a smaller role: 403 problem+json.  Put it right under
    the route decorator, so it runs before arguments are parsed.
    """
    check_role(role)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                if _wants_page():
                    return _to_signin()
                raise Unauthorized(
                    "Aanmelden is nodig: stuur een API-sleutel als 'Authorization: Bearer "
                    "<sleutel>' of meld u aan op /signin.",
                    "Authentication is required: send an API key as 'Authorization: Bearer "
                    "<key>' or sign in at /signin.",
                )
            if not principal.allows(role):
                raise Forbidden(
                    f"Hiervoor is de rol '{role}' nodig; u heeft de rol '{principal.role}'.",
                    f"This needs the role '{role}'; you have the role '{principal.role}'.",
                    required_role=role,
                    role=principal.role,
                )
            return current_app.ensure_sync(view)(*args, **kwargs)

        setattr(guarded, _ATTR, role)
        return guarded  # type: ignore[return-value]

    return decorate


def required_role(view: Callable[..., Any] | None, method: str = "GET") -> str | None:
    """The minimum role that :func:`require_role` put on a view (or a MethodView's method)."""
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    return getattr(view, _ATTR, None)


def role_registry(app: Flask) -> dict[str, str]:
    """{endpoint: minimum role} for every view guarded by :func:`require_role`.

    A MethodView endpoint counts only when every one of its methods is guarded;
    its role is then the lowest of them.
    """
    registry = {}
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        methods = sorted(view_class.methods or ()) if view_class is not None else ["GET"]
        roles = [required_role(view, m) for m in methods]
        guarded = [role for role in roles if role]
        if roles and len(guarded) == len(roles):
            registry[endpoint] = min(guarded, key=_RANK.__getitem__)
    return registry


# -- wiring ----------------------------------------------------------------------------------


def _challenge(response: Response) -> Response:
    if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
        error = g.get("auth_error")
        response.headers["WWW-Authenticate"] = (
            f'Bearer realm="graphsvc", error="{error}"' if error else 'Bearer realm="graphsvc"'
        )
    if response.status_code == 429 and g.get("auth_retry_after"):
        response.headers["Retry-After"] = str(g.auth_retry_after)
    _rate_limit_headers(response)
    return response


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked ``Secure`` whenever the request came over HTTPS.

    ``SESSION_COOKIE_SECURE`` forces it for every response (a proxy that terminates TLS
    without telling the app); behind a proxy that sends ``X-Forwarded-Proto``, gunicorn
    (``--forwarded-allow-ips``) makes ``request.is_secure`` true by itself.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


SECRET_RULE = (
    "Zet GRAPHSVC_SECRET_KEY (een lange willekeurige tekenreeks, bijvoorbeeld uit "
    "'python3 -c \"import secrets; print(secrets.token_urlsafe(48))\"'; make run maakt er een "
    "in var/secret_key): alle workers moeten aanmeldingen met dezelfde sleutel ondertekenen. "
    "Alleen de tests (TESTING), de debugmodus (make dev) en de opdrachtregel (graphsvc ...) "
    "maken zonder instelling een sleutel per proces.",
    "Set GRAPHSVC_SECRET_KEY (a long random string, e.g. from "
    "'python3 -c \"import secrets; print(secrets.token_urlsafe(48))\"'; make run keeps one in "
    "var/secret_key): every worker must sign sign-ins with the same secret. Only the tests "
    "(TESTING), debug mode (make dev) and the command line (graphsvc ...) make a secret per "
    "process when none is set.",
)


def _ensure_secret(app: Flask) -> None:
    """Refuse to serve without a configured secret, except in one-process settings.

    Each process that makes its own secret rejects the cookies of the others: behind
    several gunicorn workers a signed-in person would be signed out at random.
    """
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("TESTING") or app.debug or app.config.get("COMMAND_LINE"):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.warning("no GRAPHSVC_SECRET_KEY: sign-ins last only as long as this process")
        return
    nl, en = SECRET_RULE
    raise MissingSecret(
        f"graphsvc start niet zonder geheime sleutel. {nl}\n"
        f"graphsvc does not start without a secret key. {en}"
    )


def _rate_limit_headers(response: Response) -> None:
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
    """The secret, cookie settings, the throttle (with ProxyFix for TRUSTED_PROXIES), the
    CSRF check and the 401/429 response headers."""
    role = app.config.get("ANONYMOUS_ROLE") or ""
    if role and role not in _RANK:
        raise ValueError(f"ANONYMOUS_ROLE must be empty or one of {', '.join(ROLES)}, not {role!r}")
    _ensure_secret(app)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config.get("SESSION_COOKIE_SECURE", False)),
    )
    app.session_interface = _SessionInterface()
    app.extensions[_EXT] = {"throttle": FailureThrottle()}
    app.before_request(check_csrf)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies < 0:
        raise ValueError(f"TRUSTED_PROXIES must be 0 or more, not {proxies}")
    if proxies:
        # Behind `proxies` reverse proxies that each append to X-Forwarded-For: take the
        # client address (and scheme) they report. Without them the header is ignored.
        proxied = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    app.after_request(_challenge)
    app.jinja_env.globals["csrf_token"] = csrf_token
