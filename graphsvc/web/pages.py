"""Web pages for people and the map files (Dutch by default, English with ``?lang=en``).

| route                              | role   | what                                            |
|------------------------------------|--------|-------------------------------------------------|
| ``/``                              | viewer | a card per proeftuin with a few health signals  |
| ``/proeftuinen/<key>``             | viewer | map (embedded), date choice, download, health   |
| ``/proeftuinen/<key>/map.html``    | viewer | the map as one offline HTML file (a download;   |
|                                    |        | ``?embed=1``: shown in the page instead)        |
| ``POST /proeftuinen/<key>/layout`` | editor | lay the map out anew (positions are stored)     |
| ``/compare?proeftuinen=a,b``       | viewer | headline indicators side by side                |
| ``/national``, ``.../map.html``    | viewer | the same for the national network               |
| ``POST /national/layout``          | editor | lay the national map out anew                   |
| ``/guide/``                        | viewer | the facilitator's guide (docs/guide.*.md)       |

People sign in once at ``/signin``; scripts send their key as a Bearer token, on pages
and files alike (:func:`graphsvc.web.auth.require_role`).  Residents' names appear only for
analysts and above: everybody else sees stable pseudonyms (graphsvc.analysis.maps).  The forms that
POST carry the session's CSRF token (``csrf_token`` field, checked with the request's origin by
:func:`graphsvc.web.sessions.check_csrf` before any view runs).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import markdown
from flask import (
    Blueprint,
    Flask,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import Markup

from graphsvc.analysis import responses as insights
from graphsvc.analysis.graph import GraphRequest, Selection
from graphsvc.analysis.map_content import MAP_TIE_TYPES
from graphsvc.analysis.maps import MapFile
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.metrics.indicators import INDICATORS
from graphsvc.metrics.rules import format_value
from graphsvc.survey import service as survey_service
from graphsvc.vocabulary import KINDS, TIE_TYPES
from graphsvc.web.auth import current_principal, require_role
from graphsvc.web.pagetext import (
    CARD_INDICATORS,
    NAV,
    SHORT_KINDS,
    SIGNALS,
    SURVEY_CARD,
    TEXT,
    format_date,
)
from graphsvc.web.services import analysis, maps, store
from graphsvc.web.sessions import safe_next

__all__ = ["init_app", "page_language"]

bp = Blueprint("web", __name__)

#: Headline counts whose scorecard signal is ruled on a share of the actors (docs/metrics.md §7).
SHARE_OF = {"isolates": "isolates_share", "articulation_points": "cut_points_share"}


def page_language() -> str:
    """'en' with ``?lang=en``, else Dutch: the audience of a meeting is Dutch, whatever
    language the facilitator's laptop is set to."""
    return "en" if request.args.get("lang") == "en" else "nl"


def _date_arg(*selections: Selection) -> dt.date:
    """``?at=`` (default today); below analyst only a date the service precomputes for
    each of ``selections`` (today, a month end, a meeting date)."""
    raw = (request.args.get("at") or "").strip()
    if not raw:
        return dt.date.today()
    try:
        at = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            "Parameter 'at': geef een datum als JJJJ-MM-DD.",
            "Parameter 'at': give a date as YYYY-MM-DD.",
            errors=[{"field": "at", "message": "expected YYYY-MM-DD"}],
        ) from None
    if not _names_visible():
        for selection in selections:
            analysis().check_served_date(selection, at)
    return at


def _names_visible() -> bool:
    principal = current_principal()
    return principal is not None and principal.allows("analyst")


def _can_edit() -> bool:
    principal = current_principal()
    return principal is not None and principal.allows("editor")


def link(endpoint: str, **values: Any) -> str:
    """``url_for`` that keeps the page's language."""
    if page_language() == "en":
        values.setdefault("lang", "en")
    return url_for(endpoint, **{k: v for k, v in values.items() if v is not None})


def language_switch(lang: str) -> str:
    """This very page in the language other than ``lang`` (other query parameters kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", "en" if lang == "nl" else "nl"))
    return request.path + "?" + urlencode(args)


def _page_context() -> dict[str, Any]:
    # base.html picks the words of its navigation by the language the page was made in.
    return {"NAV": NAV, "link": link, "language_switch": language_switch}


def one_snapshot(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every result of the page from one read of the versions (see Analysis.same_versions):
    a page asks for a dozen results of the same proeftuin."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with analysis().same_versions():
            return view(*args, **kwargs)

    return wrapped


def _page(body: str) -> Response:
    resp = Response(body, mimetype="text/html")
    # Pages hold names for analysts and depend on who asks: never shared, never stale.
    resp.headers["Cache-Control"] = "private, no-cache"
    resp.headers["Vary"] = "Cookie, Authorization"
    return resp


# -- the scorecard, ready for a template ---------------------------------------------------


def _indicator_row(ind: dict[str, Any], lang: str, names: dict[str, str]) -> dict[str, Any]:
    """One indicator of the scorecard (an entry of graphsvc.metrics.scorecard) for a page."""
    row = INDICATORS[ind["key"]]
    if row.fmt == "list":
        kinds = {k: (v.nl if lang == "nl" else v.en) for k, v in KINDS.items()}
        items = [
            f"{names.get(b['key'], kinds.get(b['kind'], ''))} ({b['total']})"
            for b in ind["value"] or []
        ]
        value = ", ".join(items) if items else TEXT[lang]["nobody"]
    else:
        value = format_value(ind["value"], row.fmt, lang)
    word, symbol = SIGNALS[lang][ind["signal"]]
    return {
        "key": ind["key"],
        "name": row.label.get(lang),
        "value": value,
        "list": row.fmt == "list",  # names that wrap, where a number stays on one line
        "signal": ind["signal"],
        "signal_word": word,
        "signal_symbol": symbol,
        "explanation": ind[f"explanation_{lang}"],
        "rule": row.rule.text(lang) if row.rule is not None else "",
    }


def _scorecard(card: dict[str, Any], lang: str, names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "key": g["key"],
            "title": g[f"title_{lang}"],
            "question": g[f"question_{lang}"],
            "indicators": [_indicator_row(i, lang, names) for i in g["indicators"]],
        }
        for g in card["groups"]
    ]


def _card(selection: Selection, at: dt.date) -> dict[str, Any]:
    """The scorecard of ``selection`` on ``at``."""
    body, _ = insights.scorecard(analysis(), GraphRequest.parse(selection, at))
    return body["scorecard"]


# -- the survey's aggregates on the scorecard and the comparison -----------------------------

#: Shown for a survey figure that is suppressed (under 3 answers) or missing.
_NO_FIGURE = "\u2014"


def _survey_mean(figure: dict[str, Any] | None, lang: str) -> str:
    """A mean with one decimal ("4,7" / "4.7"), or a dash when suppressed or missing."""
    if not figure or figure.get("mean") is None:
        return _NO_FIGURE
    text = f"{float(figure['mean']):.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def _survey_figure(figure: dict[str, Any] | None, lang: str) -> str:
    mean = _survey_mean(figure, lang)
    if mean == _NO_FIGURE or figure is None:
        return _NO_FIGURE
    return SURVEY_CARD[lang]["figure"].format(mean=mean, n=figure["answers"])


def _survey_card(key: str, lang: str) -> dict[str, Any]:
    """The row group "Gelijkwaardigheid (enquête)" of the scorecard: per pair of kinds the
    mean equality and trust of the latest closed round, with n; aggregates only, so every
    role sees them (never an individual answer)."""
    words = SURVEY_CARD[lang]
    figures = survey_service.latest_figures(store(), key)
    if figures is None:
        return {"title": words["title"], "note": words["no_round"], "rows": []}
    rnd = figures["round"]
    kinds = {k: (v.nl_plural if lang == "nl" else v.en_plural) for k, v in KINDS.items()}
    rows = []
    for pair in figures["group_pairs"]:
        rows.append(
            {
                "key": f"{pair['from_kind']}-{pair['to_kind']}",
                "pair": words["pair"].format(
                    source=kinds.get(pair["from_kind"], pair["from_kind"]),
                    target=kinds.get(pair["to_kind"], pair["to_kind"]),
                ),
                "equality": _survey_mean(pair["equality"], lang),
                "figures": words["figures"].format(
                    equality=_survey_figure(pair["equality"], lang),
                    trust=_survey_figure(pair["trust"], lang),
                ),
            }
        )
    note = words["from_round"].format(
        title=rnd.title, date=format_date(rnd.closed_on or rnd.closes, lang)
    )
    return {"title": words["title"], "note": note, "rows": rows}


def _survey_compare_row(keys: list[str], lang: str) -> dict[str, Any]:
    """The comparison's row: mean equality of each proeftuin's latest closed round, with n."""
    cells = []
    for key in keys:
        figures = survey_service.latest_figures(store(), key)
        equality = figures["overall"]["equality"] if figures else None
        cells.append(_survey_figure(equality, lang))
    words = SURVEY_CARD[lang]
    return {"name": words["compare_row"], "explanation": words["compare_hint"], "cells": cells}


def _one_mode_note(lang: str) -> str:
    def label(key: str) -> str:
        return TIE_TYPES[key].nl if lang == "nl" else TIE_TYPES[key].en

    types = ", ".join(label(t) for t in MAP_TIE_TYPES)
    return TEXT[lang]["one_mode"].format(types=types, member_of=label("member_of"))


# -- pages -------------------------------------------------------------------------------


@bp.get("/")
@require_role("viewer")
@one_snapshot
def index() -> Any:
    lang = page_language()
    today = dt.date.today()
    proeftuinen = store().proeftuinen.list()
    kinds = [(k, SHORT_KINDS[lang][k]) for k in KINDS]
    cards = []
    for p in proeftuinen:
        signals = []
        if p.actors:
            by_key = {
                i["key"]: i
                for g in _card(Selection.of([p.key]), today)["groups"]
                for i in g["indicators"]
            }
            signals = [_indicator_row(by_key[k], lang, {}) for k in CARD_INDICATORS]
        cards.append({"p": p, "signals": signals})
    return _page(
        render_template(
            "index.html",
            t=TEXT[lang],
            lang=lang,
            cards=cards,
            kinds=kinds,
            today=format_date(today, lang),
            any_fictional=any(p.fictional for p in proeftuinen),
        )
    )


def _focus_fragment(key: str) -> str:
    """``#focus=<map id>`` for ``?focus=<actor key>`` (the map never sees actor keys), else ""."""
    actor_key = request.args.get("focus", "").strip()
    found = maps().actor_id(key, actor_key) if actor_key else None
    return f"#focus={found}" if found else ""


@bp.get("/proeftuinen/<key>")
@require_role("viewer")
@one_snapshot
def proeftuin(key: str) -> Any:
    lang = page_language()
    at = _date_arg(Selection.of([key]))
    p = store().proeftuinen.get(key)
    selection = Selection.of([key])
    names_visible = _names_visible()
    rows, _ = analysis().rows(selection, analysis().versions(selection))
    meetings = sorted(rows.meetings, key=lambda m: (m.date, m.key))
    return _page(
        render_template(
            "proeftuin.html",
            t=TEXT[lang],
            lang=lang,
            p=p,
            at=at,
            at_text=format_date(at, lang),
            groups=_scorecard(_card(selection, at), lang, maps().names(key, lang, names_visible)),
            survey=_survey_card(key, lang),
            meetings=[(m.date.isoformat(), format_date(m.date, lang), m.title) for m in meetings],
            names_visible=names_visible,
            can_edit=_can_edit(),
            one_mode=_one_mode_note(lang),
            map_url=link("web.proeftuin_map", key=key, at=at.isoformat(), embed=1)
            + _focus_fragment(key),
            download_url=link("web.proeftuin_map", key=key, at=at.isoformat()),
            layout_url=url_for("web.proeftuin_layout", key=key),
            here=request.full_path.rstrip("?"),
        )
    )


@bp.get("/national")
@require_role("viewer")
@one_snapshot
def national() -> Any:
    lang = page_language()
    at = _date_arg(Selection.of(None))
    names_visible = _names_visible()
    return _page(
        render_template(
            "national.html",
            t=TEXT[lang],
            lang=lang,
            at=at,
            at_text=format_date(at, lang),
            groups=_scorecard(
                _card(Selection.of(None), at), lang, maps().names(None, lang, names_visible)
            ),
            names_visible=names_visible,
            can_edit=_can_edit(),
            one_mode=_one_mode_note(lang),
            map_url=link("web.national_map", at=at.isoformat(), embed=1),
            download_url=link("web.national_map", at=at.isoformat()),
            layout_url=url_for("web.national_layout"),
            here=request.full_path.rstrip("?"),
        )
    )


def _chosen() -> list[str]:
    """``?proeftuinen=a,b`` or ``?proeftuinen=a&proeftuinen=b`` (what a form sends)."""
    chosen = []
    for value in request.args.getlist("proeftuinen"):
        chosen += [k.strip() for k in value.split(",") if k.strip()]
    return list(dict.fromkeys(chosen))


@bp.get("/compare")
@require_role("viewer")
def compare() -> Any:
    lang = page_language()
    at = _date_arg()
    proeftuinen = store().proeftuinen.list()
    known = {p.key: p for p in proeftuinen}
    chosen = _chosen()
    unknown = [k for k in chosen if k not in known]
    if unknown:
        raise NotFound(
            f"Proeftuin '{unknown[0]}' bestaat niet.", f"Proeftuin '{unknown[0]}' does not exist."
        )
    if not _names_visible() and request.args.get("at"):
        for key in chosen:
            analysis().check_served_date(Selection.of([key]), at)
    table = None
    if len(chosen) >= 2:
        result = insights.compare(analysis(), chosen, at, None)
        columns = [known[r["proeftuin"]] for r in result["proeftuinen"]]
        table = []
        for name in result["indicators"]:
            row = INDICATORS[name]
            cells = []
            # Only ruled indicators carry a signal; a count shows the signal of its share.
            ruled = SHARE_OF.get(name, name)
            for r in result["proeftuinen"]:
                signal = r["signals"].get(ruled) if INDICATORS[ruled].rule else None
                word, symbol = SIGNALS[lang][signal] if signal else ("", "")
                cells.append(
                    {
                        "value": format_value(r["indicators"][name], row.fmt, lang),
                        "signal": signal,
                        "signal_word": word,
                        "signal_symbol": symbol,
                    }
                )
            table.append(
                {
                    "key": name,
                    "name": row.label.get(lang),
                    "explanation": row.explanation.get(lang) if row.explanation else "",
                    "cells": cells,
                }
            )
        chosen_columns = columns
    else:
        chosen_columns = []
    return _page(
        render_template(
            "compare.html",
            t=TEXT[lang],
            lang=lang,
            at=at,
            at_text=format_date(at, lang),
            proeftuinen=proeftuinen,
            chosen=chosen,
            columns=chosen_columns,
            table=table,
            survey_row=_survey_compare_row([p.key for p in chosen_columns], lang)
            if table
            else None,
            need_two=len(chosen) == 1,
        )
    )


# -- map files -------------------------------------------------------------------------------


def _send_map(made: MapFile) -> Response:
    """The map page: shown in the page with ``?embed=1``, else a download (attachment).

    Its Content-Security-Policy and the other security headers are those of every HTML
    page, set after the request by :func:`graphsvc.web.headers.secure_headers`: inline
    scripts and styles run only when their SHA-256 is in the policy (the map's own), and
    nothing is loaded from another origin.
    """
    if request.if_none_match.contains(made.etag):
        resp = Response(status=304)
    else:
        resp = Response(made.html, mimetype="text/html")
        disposition = "inline" if request.args.get("embed") == "1" else "attachment"
        resp.headers["Content-Disposition"] = f'{disposition}; filename="{made.filename}"'
    resp.set_etag(made.etag)
    resp.headers["Cache-Control"] = "private, no-cache"
    resp.headers["Vary"] = "Cookie, Authorization"
    return resp


@bp.get("/proeftuinen/<key>/map.html")
@require_role("viewer")
def proeftuin_map(key: str) -> Any:
    return _send_map(
        maps().proeftuin(key, _date_arg(Selection.of([key])), page_language(), _names_visible())
    )


@bp.get("/national/map.html")
@require_role("viewer")
def national_map() -> Any:
    return _send_map(
        maps().national(
            _date_arg(Selection.of(None)),
            page_language(),
            _names_visible(),
            # each proeftuin's group on the map links to its page (also from a downloaded file)
            url_for("web.proeftuin", key="KEY").replace("KEY", "{key}"),
            request.host_url,
        )
    )


def _after_layout(what: dict[str, Any]) -> Any:
    """Back to the page for a form (its ``next`` field), else JSON for a script."""
    if "next" in request.form:
        return redirect(safe_next(request.form.get("next")), code=303)
    return jsonify(what)


@bp.post("/proeftuinen/<key>/layout")
@require_role("editor")
def proeftuin_layout(key: str) -> Any:
    store().proeftuinen.get(key)
    placed, layout = maps().recompute_layout(key)
    return _after_layout({"proeftuin": key, "actors": placed, "layout_version": layout})


@bp.post("/national/layout")
@require_role("editor")
def national_layout() -> Any:
    placed, layout = maps().recompute_layout(None)
    return _after_layout({"proeftuin": None, "actors": placed, "layout_version": layout})


# -- the facilitator's guide -------------------------------------------------------------------


def _docs() -> Path:
    # docs/ is installed as the package graphsvc.docs (see pyproject.toml), so the
    # guide is there in an editable install, a wheel and the Docker image alike.
    return Path(str(resources.files("graphsvc.docs")))


@bp.get("/guide/")
@require_role("viewer")
def guide() -> Any:
    lang = page_language()
    path = _docs() / f"guide.{lang}.md"
    if not path.is_file():
        raise NotFound(TEXT["nl"]["guide_missing"], TEXT["en"]["guide_missing"])
    text = path.read_text(encoding="utf-8")
    if text.startswith("# "):  # the file's own title: the page has it as its heading
        text = text.partition("\n")[2]
    # Our own file, not user input: its HTML may pass as it is.  The link between the two
    # files (right in the repository) becomes this page in the other language.
    html = markdown.markdown(text, extensions=["tables", "sane_lists", "toc"])
    for other in ("nl", "en"):
        html = html.replace(f'href="guide.{other}.md"', f'href="?lang={other}"')
    body = Markup(html)
    return _page(render_template("guide.html", t=TEXT[lang], lang=lang, body=body))


@bp.get("/guide/screenshots/<path:name>")
@require_role("viewer")
def guide_screenshot(name: str) -> Any:
    return send_from_directory(_docs() / "screenshots", name, max_age=3600)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_page_context)
