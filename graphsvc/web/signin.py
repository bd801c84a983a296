"""Sign-in for people: ``/signin`` takes an API key and starts a session, ``/signout`` ends it.

Scripts send their key as ``Authorization: Bearer``; people type it here once
and get Flask's signed session cookie (HttpOnly, SameSite=Lax, Secure over
https), which holds the key id, a check tied to the key and a CSRF token, never
the key or its role (graphsvc.web.sessions).  Both forms are POSTs from our own
origin only (sessions.check_csrf): another page, even another port of the same host,
can neither sign a visitor out nor sign a visitor in with a key of its own.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from graphsvc.errors import GraphsvcError
from graphsvc.web import auth, sessions
from graphsvc.web.problem_details import language

__all__ = ["init_app", "TEXT"]

bp = Blueprint("signin", __name__)

TEXT: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Aanmelden",
        "intro": "Meld u aan met uw API-sleutel (begint met gsk_). U krijgt die van de beheerder.",
        "key": "API-sleutel",
        "submit": "Aanmelden",
        "signed_in": "U bent aangemeld met sleutel {id}, rol: {role}.",
        "continue": "Verder naar de startpagina",
        "signout": "Afmelden",
        "as_role": "Aangemeld als {role}",
        "signed_out": "U bent afgemeld.",
        "roles": {
            "viewer": "kijker",
            "analyst": "analist",
            "editor": "redacteur",
            "admin": "beheerder",
        },
        "api": "API-documentatie",
        "other": "English",
        "other_lang": "en",
    },
    "en": {
        "title": "Sign in",
        "intro": "Sign in with your API key (it starts with gsk_). "
        "Your administrator gives you one.",
        "key": "API key",
        "submit": "Sign in",
        "signed_in": "You are signed in with key {id}, role: {role}.",
        "continue": "Continue to the start page",
        "signout": "Sign out",
        "as_role": "Signed in as {role}",
        "signed_out": "You are signed out.",
        "roles": {
            "viewer": "viewer",
            "analyst": "analyst",
            "editor": "editor",
            "admin": "administrator",
        },
        "api": "API documentation",
        "other": "Nederlands",
        "other_lang": "nl",
    },
}


def _signed_in() -> auth.Principal | None:
    """The signed-in key of this browser (re-validated like any request), else None."""
    if "key_id" not in session:
        return None
    try:
        principal = auth.current_principal()
    except GraphsvcError:  # a bad Bearer header on this page: show the form
        return None
    return principal if principal is not None and not principal.anonymous else None


def _page(status: int = 200, error: str | None = None, **headers: str) -> Any:
    lang = language()
    t = TEXT[lang]
    principal = _signed_in()
    body = render_template(
        "signin.html",
        t=t,
        lang=lang,
        error=error,
        next=sessions.safe_next(request.values.get("next")),
        principal=principal,
        role_label=t["roles"].get(principal.role, "") if principal else "",
        signed_out=request.args.get("signed_out") == "1",
    )
    return body, status, {"Cache-Control": "no-store", **headers}


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    if request.method == "GET":
        return _page()
    try:
        auth.sign_in(request.form.get("key", ""))
    except GraphsvcError as exc:  # a wrong key (401), too many (429), the store is down (503)
        wait = exc.extra.get("retry_after")
        return _page(
            exc.status, exc.message(language()), **({"Retry-After": str(wait)} if wait else {})
        )
    return redirect(sessions.safe_next(request.form.get("next")), code=303)


@bp.post("/signout")
def signout() -> Any:
    auth.sign_out()
    values: dict[str, Any] = {"signed_out": 1}
    if request.args.get("lang"):
        values["lang"] = request.args["lang"]
    return redirect(url_for("signin.signin", **values), code=303)


def _nav() -> dict[str, Any]:
    """Who you are in base.html's header: the sign-out button and role of a signed-in
    person, else a link to sign in (back to this page afterwards)."""
    if not has_request_context():
        return {}
    # the page's own language (?lang=en), as the rest of its header
    t = TEXT["en" if request.args.get("lang") == "en" else "nl"]
    if "key_id" not in session:
        if request.endpoint == "signin.signin":
            return {}
        lang = request.args.get("lang")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return {
            "signin_label": t["title"],
            # werkzeug leaves None values out of the address
            "signin_url": url_for(
                "signin.signin", next=target, lang=lang if lang in TEXT else None
            ),
        }
    # The cookie carries no role: the stored key decides it (checked on every request).
    try:
        principal = auth.current_principal()
    except GraphsvcError:
        principal = None
    role = principal.role if principal is not None and principal.id else ""
    roles: dict[str, str] = t["roles"]
    as_role = str(t["as_role"])
    return {
        "signout_label": t["signout"],
        "signed_in_as": as_role.format(role=roles.get(role, role)) if role else "",
    }


def init_app(app: Flask) -> None:
    """Register /signin and /signout (after auth.init_app) and the nav's sign-out button."""
    app.register_blueprint(bp)
    app.context_processor(_nav)
