"""The survey's pages: answering on a personal link here; the editor's and results pages
(the ``/proeftuinen/...`` routes below) in :mod:`graphsvc.web.survey_staff_pages`.

| route                                          | who      | what                              |
|------------------------------------------------|----------|-----------------------------------|
| ``/s/<token>``                                 | the link | consent, registration, overview   |
| ``POST /s/<token>/consent``, ``/register``     | the link | consent; sign up via an open link |
| ``/s/<token>/q/<n>`` (GET, POST)               | the link | one question: people and scales   |
| ``/s/<token>/withdraw`` (GET, POST)            | the link | withdraw consent, delete answers  |
| ``/proeftuinen/<key>/surveys``                 | viewer   | the rounds                        |
| ``POST /proeftuinen/<key>/surveys``            | editor   | a new round (the form)            |
| ``/proeftuinen/<key>/surveys/<round>``         | analyst  | invitations; editor's buttons     |
| ``POST .../copy``, ``.../invite``              | editor   | repeat a round; invite actors     |
| ``POST .../invitations/<id>/revoke``           | editor   | revoke an invitation              |
| ``POST .../sheet``, ``.../open-link``          | editor   | printable A4 sheet with QR codes  |
| ``POST .../close``, ``.../apply``              | editor   | answers into ties                 |
| ``/proeftuinen/<key>/surveys/<round>/results`` | viewer   | aggregates (names: analysts)      |

A respondent is authenticated by the link, not by a cookie: unknown, revoked, closed and
expired links all get the same 404 page, bad links are throttled per client address, and
every form carries an HMAC token bound to the invitation, checked in constant time, with
``Origin``/``Sec-Fetch-Site`` required to be same-origin.  Nothing here logs a path (it
holds the token) or an answer: errors of the link routes are answered by this module's
own handlers, which log only the status.  The pages work without JavaScript; one static
inline script filters the list of names as one types.
"""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import quote, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    redirect,
    render_template,
    request,
)
from werkzeug.exceptions import HTTPException

from graphsvc.errors import GraphsvcError, InvalidInput, StoreUnavailable
from graphsvc.store.surveys import Invitation, SurveyRound
from graphsvc.survey import service, tokens
from graphsvc.survey.questions import MAX_NAMED, items_of, options
from graphsvc.web.pagetext import format_date
from graphsvc.web.problem_details import problem_response
from graphsvc.web.services import store
from graphsvc.web.survey_common import kind_choices, language, page, questions_of, today
from graphsvc.web.survey_text import SURVEY_TEXT
from graphsvc.web.throttle import FailureThrottle

__all__ = ["init_app"]

log = logging.getLogger("graphsvc.web.survey")

answer_bp = Blueprint("survey", __name__)

_EXT = "graphsvc.web.survey"
#: Form fields beyond the named people and their scales, and at most this many in all:
#: a bigger form is refused before anything is parsed into an answer.
_MAX_FIELDS = MAX_NAMED * 8 + 20


# -- answering: the link, its throttle and its forms ---------------------------------------


def _throttle() -> FailureThrottle:
    return current_app.extensions[_EXT]["throttle"]


def _client() -> str:
    return request.remote_addr or "unknown"


class _Gone(Exception):
    """Unknown, revoked, closed or expired link: one answer for all."""


class _Refused(Exception):
    """A form without a valid token, or from another site."""


def _message(title: str, text: str, status: int) -> Response:
    lang = language()
    t = SURVEY_TEXT[lang]
    return page(
        render_template("survey_message.html", lang=lang, t=t, title=t[title], text=t[text]),
        status,
    )


def _lookup(token: str) -> tuple[Invitation, SurveyRound]:
    wait = _throttle().retry_after(_client())
    if wait > 0:
        raise _Busy(max(1, math.ceil(wait)))
    found = service.find(store(), token, today())
    if found is None:
        _throttle().failed(_client())
        raise _Gone()
    return found


class _Busy(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def _same_origin() -> bool:
    """False for a request another site made the browser send.

    ``Sec-Fetch-Site`` (sent by current browsers, whatever the referrer policy) must be
    same-origin.  ``Origin`` must be ours when it names a site; our pages send
    ``Referrer-Policy: no-referrer``, under which browsers send ``Origin: null`` with a
    form, so "null" is no verdict.  The form token stays the protection that counts.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is not None and origin != "null":
        own = urlsplit(request.host_url)
        theirs = urlsplit(origin)
        return (theirs.scheme, theirs.netloc) == (own.scheme, own.netloc)
    return True


def _check_form(inv: Invitation, token: str) -> None:
    values = sum(len(found) for _, found in request.form.lists())
    if values > _MAX_FIELDS or not _same_origin():
        raise _Refused()
    presented = request.form.get("csrf", "")
    secret = current_app.config["SECRET_KEY"]
    if not tokens.form_token_ok(secret, inv.id, tokens.hash_token(token), presented):
        raise _Refused()


def _context(token: str, inv: Invitation, rnd: SurveyRound, **more: Any) -> dict[str, Any]:
    lang = language()
    return {
        "lang": lang,
        "t": SURVEY_TEXT[lang],
        "rnd": rnd,
        "inv": inv,
        "base": f"/s/{token}",
        "q": "?lang=en" if lang == "en" else "",
        "csrf": tokens.form_token(
            current_app.config["SECRET_KEY"], inv.id, tokens.hash_token(token)
        ),
        "closes": format_date(rnd.closes, lang),
        **more,
    }


def _link_view(view: Any) -> Any:
    """Look the token up (throttled), and answer every failure of a link route here."""

    def wrapped(token: str, **kwargs: Any) -> Response:
        try:
            inv, rnd = _lookup(token)
            if "n" in kwargs:  # a question's number: digits, else no such page
                raw = str(kwargs["n"])
                if not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
                    raise _Gone()
                kwargs["n"] = int(raw)
            if request.method == "POST":
                _check_form(inv, token)
            return view(token, inv, rnd, **kwargs)
        except _Gone:
            return _message("gone_title", "gone_text", 404)
        except _Busy as busy:
            resp = _message("busy_title", "busy_text", 429)
            resp.headers["Retry-After"] = str(busy.seconds)
            return resp
        except _Refused:
            log.warning("survey form refused (token or origin)")
            return _message("forbidden_title", "forbidden_text", 403)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@answer_bp.get("/s/<token>")
@_link_view
def start(token: str, inv: Invitation, rnd: SurveyRound) -> Any:
    lang = language()
    ctx = _context(token, inv, rnd)
    if inv.open:
        return page(render_template("survey_register.html", kinds=kind_choices(lang), **ctx))
    if inv.consent_on is None:
        return page(render_template("survey_consent.html", **ctx))
    questions = questions_of(rnd, lang)
    for q in questions:
        entries = inv.answers.get(q["key"])
        q["answered"] = entries is not None
        q["count"] = len(entries or [])
    return page(render_template("survey_overview.html", questions=questions, **ctx))


@answer_bp.post("/s/<token>/consent")
@_link_view
def give_consent(token: str, inv: Invitation, rnd: SurveyRound) -> Any:
    if inv.open:
        raise _Gone()
    if request.form.get("agree") != "yes":
        lang = language()
        ctx = _context(token, inv, rnd, error=SURVEY_TEXT[lang]["consent_needed"])
        return page(render_template("survey_consent.html", **ctx), 422)
    service.consent(store(), inv, rnd, request.form.get("findable") == "yes", today())
    return redirect(f"/s/{token}" + ("?lang=en" if language() == "en" else ""), code=303)


@answer_bp.post("/s/<token>/register")
@_link_view
def register(token: str, inv: Invitation, rnd: SurveyRound) -> Any:
    lang = language()
    if not inv.open:
        raise _Gone()
    if request.form.get("agree") != "yes":
        error = SURVEY_TEXT[lang]["consent_needed"]
    else:
        try:
            new = service.register(
                store(),
                inv,
                rnd,
                request.form.get("name", ""),
                request.form.get("kind", ""),
                today(),
            )
        except InvalidInput as exc:
            error = exc.message(lang)
        else:
            return redirect(f"/s/{new}" + ("?lang=en" if lang == "en" else ""), code=303)
    ctx = _context(token, inv, rnd, error=error, kinds=kind_choices(lang))
    return page(render_template("survey_register.html", **ctx), 422)


def _question_page(
    token: str,
    inv: Invitation,
    rnd: SurveyRound,
    n: int,
    status: int = 200,
    error: str | None = None,
    saved: bool = False,
    search: str = "",
) -> Response:
    lang = language()
    questions = questions_of(rnd, lang)
    if not 1 <= n <= len(questions):
        raise _Gone()
    q = questions[n - 1]
    _, invitations, proposals, roster = store().surveys.get_all(rnd.proeftuin, rnd.key)
    own = [p for p in proposals if p.proposed_by == inv.id]
    everyone = service.people(roster, invitations, inv, own)
    chosen = {e["ref"]: e.get("scales") or {} for e in inv.answers.get(q["key"], [])}
    wanted = service.fold(search.strip())
    shown = [p for p in everyone if p["ref"] in chosen or not wanted or wanted in p["fold"]]
    kinds = dict(kind_choices(lang))
    names = {p["ref"]: p["name"] for p in everyone}
    items = [
        {
            "key": item.key,
            "text": getattr(item, lang),
            "options": [(v, nl if lang == "nl" else en) for v, nl, en in options(item.key)],
        }
        for item in items_of(q["scales"])
    ]
    about = [
        {"ref": ref, "name": names.get(ref, "?"), "values": values}
        for ref, values in chosen.items()
        if ref in names
    ]
    ctx = _context(
        token,
        inv,
        rnd,
        question=q,
        total=len(questions),
        people=[{**p, "kind_label": kinds.get(p["kind"], "")} for p in shown],
        chosen=chosen,
        about=about,
        items=items,
        kinds=kind_choices(lang),
        error=error,
        saved=saved,
        search=search,
    )
    return page(render_template("survey_question.html", **ctx), status)


@answer_bp.get("/s/<token>/q/<n>")
@_link_view
def question(token: str, inv: Invitation, rnd: SurveyRound, n: int) -> Any:
    if inv.open or inv.consent_on is None:
        return redirect(f"/s/{token}" + ("?lang=en" if language() == "en" else ""), code=303)
    return _question_page(token, inv, rnd, n, search=request.args.get("zoek", "")[:100])


@answer_bp.post("/s/<token>/q/<n>")
@_link_view
def answer(token: str, inv: Invitation, rnd: SurveyRound, n: int) -> Any:
    lang = language()
    if inv.open or inv.consent_on is None:
        raise _Gone()
    if not 1 <= n <= len(rnd.questions):
        raise _Gone()
    spec = rnd.questions[n - 1]
    form = request.form
    chosen = form.getlist("named")
    scales: dict[str, dict[str, str]] = {}
    for ref in chosen:
        scales[ref] = {
            item.key: form.get(f"s|{ref}|{item.key}", "") for item in items_of(spec["scales"])
        }
    proposed = []
    new_name = form.get("new_name", "").strip()
    if new_name:
        proposed.append((new_name, form.get("new_kind", "")))
    _, invitations, proposals, roster = store().surveys.get_all(rnd.proeftuin, rnd.key)
    own = [p for p in proposals if p.proposed_by == inv.id]
    allowed = [p["ref"] for p in service.people(roster, invitations, inv, own)]
    try:
        service.save_answer(
            store(), inv, rnd, spec["key"], chosen, scales, proposed, allowed, today()
        )
    except InvalidInput as exc:
        return _question_page(token, inv, rnd, n, 422, error=exc.message(lang))
    suffix = "?lang=en" if lang == "en" else ""
    action = form.get("do", "save")
    inv_now, _ = _lookup(token)
    unrated = [e["ref"] for e in inv_now.answers.get(spec["key"], []) if not e.get("scales")]
    if action == "next" and spec["scales"] and unrated and form.get("asked") != "yes":
        # Newly named people get their scale questions before the next question.
        return _question_page(token, inv_now, rnd, n, saved=True)
    if action == "next":
        if n < len(rnd.questions):
            return redirect(f"/s/{token}/q/{n + 1}{suffix}", code=303)
        return redirect(f"/s/{token}{suffix}", code=303)
    if action == "search":
        search = form.get("q", "")[:100]
        sep = "&" if suffix else "?"
        target = f"/s/{token}/q/{n}{suffix}"
        if search.strip():
            target += f"{sep}zoek={quote(search)}"
        return redirect(target + "#people", code=303)
    return _question_page(token, inv_now, rnd, n, saved=True)


@answer_bp.get("/s/<token>/withdraw")
@_link_view
def withdraw_page(token: str, inv: Invitation, rnd: SurveyRound) -> Any:
    return page(render_template("survey_withdraw.html", **_context(token, inv, rnd)))


@answer_bp.post("/s/<token>/withdraw")
@_link_view
def withdraw(token: str, inv: Invitation, rnd: SurveyRound) -> Any:
    if inv.open:
        raise _Gone()
    service.withdraw(store(), inv, rnd, today())
    return _message("withdrawn_title", "withdrawn_text", 200)


def _wants_page() -> bool:
    best = request.accept_mimetypes.best_match(["application/problem+json", "text/html"])
    return best == "text/html"


@answer_bp.errorhandler(GraphsvcError)
def _answer_error(exc: GraphsvcError) -> Any:
    # Never the path (it holds the token) and never the form (it holds answers).
    log.warning("survey link -> %s %s", exc.status, type(exc).__name__)
    if isinstance(exc, StoreUnavailable) and not _wants_page():
        resp = problem_response(exc.status, exc.message_nl, exc.message_en)
        return resp
    lang = language()
    t = SURVEY_TEXT[lang]
    resp = page(
        render_template(
            "survey_message.html",
            lang=lang,
            t=t,
            title=t["error_title"],
            text=exc.message(lang),
        ),
        exc.status,
    )
    if isinstance(exc, StoreUnavailable):
        resp.headers["Retry-After"] = str(exc.extra.get("retry_after") or 5)
    return resp


@answer_bp.errorhandler(HTTPException)
def _answer_http_error(exc: HTTPException) -> Any:
    log.warning("survey link -> %s", exc.code)
    return _message("error_title", "forbidden_text", exc.code or 400)


def init_app(app: Flask) -> None:
    app.extensions[_EXT] = {"throttle": FailureThrottle()}
    app.register_blueprint(answer_bp)
