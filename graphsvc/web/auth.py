"""API keys, roles and the principal of a request (docs/architecture.md §6 "Auth").

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
2. else the signed session cookie set by ``/signin`` (people,
   :mod:`graphsvc.web.sessions`): it holds the key id, a check derived from the
   key's hash and a CSRF token, never the role: the key is read from the store on
   every request (one small read by id), so its role is the stored one and a
   revoked key stops at once;
3. else the anonymous role of the configuration (``ANONYMOUS_ROLE``; empty means
   no anonymous access).

Views declare their minimum role with :func:`require_role`; :func:`role_registry`
lists every decorated endpoint, so a test can prove that no route was forgotten.
Repeated bad keys from one client address, or for one key id, are throttled
(:mod:`graphsvc.web.throttle`); a valid key is never refused because of them.
Writes made with the cookie are guarded against cross-site request forgery
(:func:`graphsvc.web.sessions.check_csrf`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, redirect, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from graphsvc.errors import Forbidden, GraphsvcError, InvalidInput, NotFound, Unauthorized
from graphsvc.web import sessions, throttle

__all__ = [
    "ROLES",
    "Principal",
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
    "require_role",
    "required_role",
    "role_registry",
    "init_app",
]

log = logging.getLogger("graphsvc.web.auth")

ROLES: tuple[str, ...] = ("viewer", "analyst", "editor", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}

_PREFIX = "gsk"
# token_urlsafe(32) encodes 32 bytes as 43 characters of the URL-safe base64 alphabet.
_KEY_RE = re.compile(r"gsk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
_NAME_MAX = 100
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


def _store() -> Any:
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


def _check_presented(key: str) -> Principal | None:
    """Authenticate a presented key; a failure is counted and logged (never the key).

    The key is checked even while its address or key id is blocked: a valid key
    is always served.  A failing key is TooManyAttempts (429) while blocked, else
    None (the caller answers 401); see :mod:`graphsvc.web.throttle`.
    """
    principal = authenticate(key)
    if principal is None:
        throttle.refuse_bad_key(key_id(key))
    return principal


# -- the principal of the current request -----------------------------------------------


def _bearer() -> str | None:
    """The presented key: None without an Authorization header, '' when it is not Bearer."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _from_session() -> Principal | None:
    """The key of the session cookie as it is in the store now, else None (cookie cleared)."""
    row = sessions.signed_in_key(lambda id_: _store().api_keys.get(id_))
    return None if row is None else Principal(row["id"], row["name"], check_role(row["role"]))


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
    sessions.start(principal.id, hash_key(key.strip()))
    g.principal = principal
    return principal


def sign_out() -> None:
    """End the sign-in session."""
    sessions.end()
    g.pop("principal", None)


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
    throttle.rate_limit_headers(response)
    return response


def init_app(app: Flask) -> None:
    """The anonymous role, the session and CSRF check (:mod:`graphsvc.web.sessions`), the
    throttle (:mod:`graphsvc.web.throttle`) and the 401/429 response headers."""
    role = app.config.get("ANONYMOUS_ROLE") or ""
    if role and role not in _RANK:
        raise ValueError(f"ANONYMOUS_ROLE must be empty or one of {', '.join(ROLES)}, not {role!r}")
    sessions.init_app(app)
    throttle.init_app(app)
    app.after_request(_challenge)
