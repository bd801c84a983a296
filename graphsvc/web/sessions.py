"""The sign-in session and the check against cross-site request forgery.

The signed session cookie set by ``/signin`` holds the key id, a check derived
from the key's hash (:func:`session_check`) and a CSRF token, never the role:
:mod:`graphsvc.web.auth` reads the key from the store on every request
(:func:`signed_in_key`), so a revoked key stops at once.

Writes made with the cookie are guarded against cross-site request forgery
(:func:`check_csrf`): the request must come from one of our own pages (``Origin``
and ``Sec-Fetch-Site``) and carry the session's token (a form field or the
``X-CSRF-Token`` header).  The cookie's signing secret must be configured when
serving (:func:`init_app`); docs/security.md has the whole threat model.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

from graphsvc.errors import GraphsvcError

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CrossSiteRequest",
    "MissingSecret",
    "SECRET_RULE",
    "session_check",
    "start",
    "end",
    "signed_in_key",
    "safe_next",
    "csrf_token",
    "check_csrf",
    "init_app",
]

log = logging.getLogger("graphsvc.web.auth")


class CrossSiteRequest(GraphsvcError):
    """403: a write made with the sign-in cookie that did not come from one of our pages."""

    status = 403
    title_nl, title_en = "Verzoek van buiten deze site", "Cross-site request"


class MissingSecret(RuntimeError):
    """The app is to serve people without a configured secret to sign their cookies with."""


# -- the session ------------------------------------------------------------------------------


def session_check(stored_hash: str) -> str:
    """Ties the cookie to this very key (not just its id) without putting the stored hash,
    or anything that could serve as a key, in a cookie the browser can read."""
    return hashlib.sha256(f"graphsvc-session:{stored_hash}".encode()).hexdigest()[:32]


def start(key_id: str, stored_hash: str) -> None:
    """Start a fresh session for the key ``key_id`` (whose stored hash is ``stored_hash``)."""
    session.clear()
    session.update(
        key_id=key_id,
        check=session_check(stored_hash),
        csrf=secrets.token_urlsafe(32),  # a fresh token per sign-in
    )


def end() -> None:
    """Forget the session (sign out)."""
    session.clear()


def signed_in_key(
    lookup: Callable[[str], Mapping[str, Any] | None],
) -> Mapping[str, Any] | None:
    """The stored row of the session's key (``lookup`` reads it by id), else None (cleared).

    The cookie is signed, but a signature only proves that someone with the secret made
    it: the key it names must still exist, be live and be the key that signed in (the
    check); the caller takes the role from the returned row, read on every request.
    """
    id_ = session.get("key_id")
    if not id_:
        return None
    row = lookup(str(id_)) if re.fullmatch(r"[0-9a-f]{8}", str(id_)) else None
    if (
        row is None
        or row["revoked"]
        or not hmac.compare_digest(session_check(row["hash"]), str(session.get("check", "")))
    ):
        log.info("session of API key %s ended: key revoked, gone or not the one signed in", id_)
        session.clear()
        return None
    return row


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


# -- the cookie and its secret -----------------------------------------------------------


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
        if not app.config.get("COMMAND_LINE"):  # a command signs nobody in: nothing to warn of
            log.warning("no GRAPHSVC_SECRET_KEY: sign-ins last only as long as this process")
        return
    nl, en = SECRET_RULE
    raise MissingSecret(
        f"graphsvc start niet zonder geheime sleutel. {nl}\n"
        f"graphsvc does not start without a secret key. {en}"
    )


def init_app(app: Flask) -> None:
    """The secret, the cookie settings, the CSRF check and the ``csrf_token`` of templates."""
    _ensure_secret(app)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config.get("SESSION_COOKIE_SECURE", False)),
    )
    app.session_interface = _SessionInterface()
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
