"""The survey's pages for the staff: the rounds, the editor's forms and buttons, the
printable sheet with QR codes, and the results (the route table is in
:mod:`graphsvc.web.survey_pages`).

Every route is guarded by its role (viewer, analyst or editor); the forms are ordinary
cookie-authenticated writes, protected against cross-site requests like every other page
(graphsvc.web.sessions).  Names of residents are shown to analysts and up only.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import (
    Blueprint,
    Flask,
    Response,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from graphsvc.errors import Conflict, InvalidInput
from graphsvc.survey import results as survey_results
from graphsvc.survey import service
from graphsvc.survey.service import fold
from graphsvc.web import survey_forms as forms
from graphsvc.web.api.surveys import invitation_rows, link_of
from graphsvc.web.auth import current_principal, require_role
from graphsvc.web.pagetext import TEXT
from graphsvc.web.services import store
from graphsvc.web.survey_common import kind_choices, language, page, questions_of, today
from graphsvc.web.survey_text import SURVEY_TEXT

__all__ = ["init_app"]

staff_bp = Blueprint("surveys_pages", __name__)


def _staff_context(key: str) -> dict[str, Any]:
    lang = language()
    principal = current_principal()
    return {
        "lang": lang,
        "t": TEXT[lang],
        "st": SURVEY_TEXT[lang],
        "p": store().proeftuinen.get(key),
        "can_edit": principal is not None and principal.allows("editor"),
        "names_visible": principal is not None and principal.allows("analyst"),
        "kinds": dict(kind_choices(lang)),
    }


def _rounds_page(
    key: str,
    values: dict[str, Any] | None = None,
    errors: forms.FormErrors | None = None,
    status: int = 200,
) -> Response:
    ctx = _staff_context(key)
    return page(
        render_template(
            "survey_rounds.html",
            rounds=store().surveys.list(key),
            values=forms.round_values(values, today()),
            errors=errors or {},
            generators=forms.generator_groups(ctx["lang"]),
            **ctx,
        ),
        status,
    )


@staff_bp.get("/proeftuinen/<key>/surveys")
@require_role("viewer")
def rounds(key: str) -> Any:
    return _rounds_page(key)


def _to_round(key: str, round_: str, **args: Any) -> Any:
    if language() == "en":
        args["lang"] = "en"
    target = url_for("surveys_pages.round_page", key=key, round_=round_, **args)
    return redirect(target, code=303)


@staff_bp.post("/proeftuinen/<key>/surveys")
@require_role("editor")
def create_round(key: str) -> Any:
    """The new-round form: the API's checks, errors at their fields, nothing stored then."""
    lang = language()
    values, data, errors = forms.round_data(request.form, lang)
    if data is not None:
        try:
            rnd = service.create_round(store(), key, data)
        except (InvalidInput, Conflict) as exc:
            errors = forms.error_of(exc, lang, "key")
        else:
            return _to_round(key, rnd.key)
    return _rounds_page(key, values, errors, 422)


def _round_page(
    key: str,
    round_: str,
    copy_values: dict[str, Any] | None = None,
    errors: forms.FormErrors | None = None,
    invite_error: str | None = None,
    status: int = 200,
) -> Response:
    ctx = _staff_context(key)
    rnd, invitations, proposals, roster = store().surveys.get_all(key, round_)
    rows = invitation_rows(invitations, proposals, roster)
    invited = {i.actor for i in invitations if i.actor and not i.revoked}
    kinds = ctx["kinds"]
    candidates = [
        {"key": a, "name": name, "kind": kinds.get(kind, kind)}
        for a, (kind, name) in sorted(roster.items(), key=lambda x: (x[1][0], fold(x[1][1])))
        if a not in invited
    ]
    everyone = [] if not ctx["can_edit"] else service.everyone(store(), key, round_)
    raw_invited = request.args.get("invited", "")
    return page(
        render_template(
            "survey_round.html",
            rnd=rnd,
            rows=rows,
            questions=questions_of(rnd, ctx["lang"]),
            pending=sum(1 for p in proposals if p.status == "pending"),
            candidates=candidates,
            everyone=len([a for a in everyone if a not in invited]),
            invited_now=int(raw_invited) if raw_invited.isdigit() else None,
            copy_values=copy_values or {"key": "", "title": "", "opens": "", "closes": ""},
            errors=errors or {},
            invite_error=invite_error,
            **ctx,
        ),
        status,
    )


@staff_bp.get("/proeftuinen/<key>/surveys/<round_>")
@require_role("analyst")
def round_page(key: str, round_: str) -> Any:
    return _round_page(key, round_)


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/copy")
@require_role("editor")
def copy_round(key: str, round_: str) -> Any:
    """A new round with the same questions and new dates (and key)."""
    lang = language()
    values, data, errors = forms.copy_data(request.form, lang)
    if data is not None:
        try:
            rnd = service.copy_round(store(), key, round_, data)
        except (InvalidInput, Conflict) as exc:
            errors = forms.error_of(exc, lang, "key")
        else:
            return _to_round(key, rnd.key)
    return _round_page(key, round_, values, errors, status=422)


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/invite")
@require_role("editor")
def invite(key: str, round_: str) -> Any:
    """Invite the actors ticked, or everyone: every non-resident and the findable residents."""
    if request.form.get("who") == "all":
        actors = service.everyone(store(), key, round_)
    else:
        actors = [a for a in request.form.getlist("actor") if a]
    if not actors:
        text = SURVEY_TEXT[language()]["invite_none"]
        return _round_page(key, round_, invite_error=text, status=422)
    made, _ = service.invite(store(), key, round_, actors)
    return _to_round(key, round_, invited=len(made))


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/invitations/<invitation>/revoke")
@require_role("editor")
def revoke(key: str, round_: str, invitation: str) -> Any:
    """Revoke one invitation: its link stops working at once."""
    service.revoke(store(), key, round_, invitation)
    return _to_round(key, round_)


def _qr(url: str) -> Markup:
    """An inline SVG QR code of ``url`` (segno; no image request, nothing to fetch)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704 - segno's own SVG of a URL we made


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/sheet")
@require_role("editor")
def sheet(key: str, round_: str) -> Any:
    ctx = _staff_context(key)
    rnd, _, _, roster = store().surveys.get_all(key, round_)
    cards = []
    for row in service.reissue(store(), key, round_):
        kind, name = roster.get(row["actor"] or "", ("", "?"))
        url = link_of(row["token"]) if row["token"] else None
        cards.append({"name": name, "kind": kind, "url": url, "qr": _qr(url) if url else None})
    cards.sort(key=lambda c: service.fold(str(c["name"])))
    return page(render_template("survey_sheet.html", rnd=rnd, cards=cards, **ctx))


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/open-link")
@require_role("editor")
def open_link(key: str, round_: str) -> Any:
    ctx = _staff_context(key)
    rnd = store().surveys.get(key, round_)
    url = link_of(service.open_link(store(), key, round_)["token"])
    return page(render_template("survey_open.html", rnd=rnd, url=url, qr=_qr(url), **ctx))


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/close")
@require_role("editor")
def close(key: str, round_: str) -> Any:
    service.apply(store(), key, round_, today(), close=True)
    return _to_round(key, round_)


@staff_bp.post("/proeftuinen/<key>/surveys/<round_>/apply")
@require_role("editor")
def apply(key: str, round_: str) -> Any:
    service.apply(store(), key, round_, today(), close=False)
    return _to_round(key, round_)


@staff_bp.get("/proeftuinen/<key>/surveys/<round_>/results")
@require_role("viewer")
def results(key: str, round_: str) -> Any:
    ctx = _staff_context(key)
    rnd, invitations, proposals, roster = store().surveys.get_all(key, round_)
    body = survey_results.results(rnd, invitations, proposals, roster, ctx["names_visible"])
    rate = body["reciprocity"]["rate"]
    return page(
        render_template(
            "survey_results.html",
            rnd=rnd,
            r=body,
            reciprocity_rate="–" if rate is None else f"{round(rate * 100)}%",
            **ctx,
        )
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(staff_bp)
