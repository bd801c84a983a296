"""Pages from numbers to decisions (Dutch first, ``?lang=en``), and the sections they add to the
proeftuin and compare pages.

| route                                      | role   | what                                     |
|--------------------------------------------|--------|------------------------------------------|
| ``/proeftuinen/<key>/introductions``       | viewer | introductions worth making, printable    |
| ``/proeftuinen/<key>/meetings-built``      | viewer | what the meetings built                  |
| ``/proeftuinen/<key>/changes``             | viewer | change between two dates / since meeting |

Each table also comes as CSV (``?format=csv`` or ``Accept: text/csv``).  Residents are named
for analysts and up; everyone else sees the map's pseudonyms and no resident keys.  The
proeftuin page includes :func:`proeftuin_sections` (who is behind each signal, the top five
introductions, the phase over time, charts) and the compare page :func:`compare_extras`
(each proeftuin's current phase and sparklines), and the scorecards of the proeftuin and
national pages :func:`trends` (a sparkline per indicator row), all through the template
context.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, render_template, request
from markupsafe import Markup

from graphsvc.analysis import decisions
from graphsvc.analysis.decisions import TREND_INDICATORS, Shown, trend_values
from graphsvc.analysis.graph import GraphRequest, Selection
from graphsvc.analysis.responses import actor_metrics, network_metrics, scorecard
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.metrics.brokerage import ROLES
from graphsvc.metrics.indicators import HEADLINE, INDICATORS, LESSONS
from graphsvc.metrics.mixing import reciprocity_by_group_pair
from graphsvc.metrics.rules import format_value
from graphsvc.vocabulary import KINDS, TIE_TYPES
from graphsvc.web import charts
from graphsvc.web.api.decisions import effect_rows, introduction_rows
from graphsvc.web.auth import require_role
from graphsvc.web.decision_text import DTEXT, PHASE_WORDS, ROLE_WORDS
from graphsvc.web.pages import _page, link, page_language
from graphsvc.web.pagetext import SHORT_KINDS, TEXT, format_date
from graphsvc.web.services import analysis, store
from graphsvc.web.shown import shown_for
from graphsvc.web.tables import csv_response, wants_csv

__all__ = [
    "compare_extras",
    "init_app",
    "proeftuin_sections",
    "reciprocity_chart",
    "roles_chart",
    "trends",
]

bp = Blueprint("decisions_web", __name__)

#: How many of the latest phase dates a sparkline shows (two years of month ends).
_TREND_DATES = 24
#: The rows with a sparkline: the scorecard's and the comparison's that have a trend.
_SCORECARD_TRENDS = tuple(
    k for lesson in LESSONS for k in lesson.indicators if k in TREND_INDICATORS
)
_COMPARE_TRENDS = tuple(k for k, _ in HEADLINE if k in TREND_INDICATORS)
_SIGNAL_LIMIT = 8


def _kind_word(kind: str | None, lang: str) -> str:
    found = KINDS.get(kind or "")
    return "" if found is None else (found.nl if lang == "nl" else found.en)


def _date(name: str) -> dt.date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"Parameter '{name}': geef een datum als JJJJ-MM-DD.",
            f"Parameter '{name}': give a date as YYYY-MM-DD.",
            errors=[{"field": name, "message": "expected YYYY-MM-DD"}],
        ) from None


def _focus(key: str, ref: dict[str, Any]) -> str | None:
    return None if ref["key"] is None else link("web.proeftuin", key=key, focus=ref["key"])


# -- sections of the proeftuin page ---------------------------------------------------------


def _signal_rows(key: str, at: dt.date, shown: Shown, lang: str) -> list[dict[str, Any]]:
    request_ = GraphRequest.parse(Selection.of([key]), at)
    found = decisions.signals(analysis(), request_, shown)
    card, _ = scorecard(analysis(), request_)
    signal = {i["key"]: i["signal"] for g in card["scorecard"]["groups"] for i in g["indicators"]}
    out = []
    for name, actors in found.items():
        if not actors:
            continue
        out.append(
            {
                "key": name,
                "label": INDICATORS[name].label.get(lang),
                "count": len(actors),
                "attention": signal.get(name) == "attention",
                "actors": [
                    {
                        "name": a[f"name_{lang}"],
                        "kind": _kind_word(a["kind"], lang),
                        "sentence": a[f"sentence_{lang}"],
                        "focus": _focus(key, a),
                    }
                    for a in actors[:_SIGNAL_LIMIT]
                ],
                "more": max(0, len(actors) - _SIGNAL_LIMIT),
            }
        )
    return out


def _gain_words(gain: dict[str, Any], lang: str) -> str:
    d = DTEXT[lang]
    words = d["intro_gain_words"].format(
        reach=len(gain["initiatives_within_two_steps"]),
        cut=len(gain["cut_points_removed"]),
        iso=gain["isolates_connected"],
    )
    if gain.get("second_path"):
        brokers = dict.fromkeys(p["broker"][f"name_{lang}"] for p in gain["group_pairs_bypassed"])
        words += d["intro_gain_second"].format(
            second=len(gain["second_path"]), broker=", ".join(brokers)
        )
    return words


def _intro_rows(items: list[dict[str, Any]], key: str, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "rank": i["rank"],
            "a": i["a"][f"name_{lang}"],
            "a_kind": _kind_word(i["a"]["kind"], lang),
            "a_focus": _focus(key, i["a"]),
            "b": i["b"][f"name_{lang}"],
            "b_kind": _kind_word(i["b"]["kind"], lang),
            "why": i[f"reason_{lang}"],
            "via": ", ".join(v[f"name_{lang}"] for v in i["introducers"]) or "–",
            "gain": _gain_words(i["gain"], lang),
        }
        for i in items
    ]


def _phase_block(key: str, lang: str) -> dict[str, Any]:
    found = decisions.phases(analysis(), key)
    words = PHASE_WORDS[lang]
    periods = [
        (p["date"], p["phase"], format_date(dt.date.fromisoformat(p["date"]), lang))
        for p in found["phases"]
    ]
    changes: list[tuple[str, str, str]] = []
    for day, phase, label in periods:
        if not changes or changes[-1][1] != phase:
            changes.append((day, phase, label))
    summary = "; ".join(f"{label}: {words[phase]}" for _, phase, label in changes)
    d = DTEXT[lang]
    now = words[periods[-1][1]] if periods else "–"
    return {
        "now": d["phase_now"].format(phase=now),
        "svg": charts.timeline(
            periods, d["phase_heading"], d["phase_desc"].format(periods=summary), words
        ),
        "changes": [(label, words[phase]) for _, phase, label in changes],
    }


def trends(keys: list[str] | None, which: str = "scorecard") -> dict[str, dict[str, Any]]:
    """{indicator: {svg, first, last}}: the indicators of the scorecard (``which="scorecard"``)
    or of the comparison (``"compare"``: the headline ones) that have a trend, as sparklines
    over the phase dates (month ends and meetings, the last 24) of proeftuinen ``keys``.

    ``keys=None`` is the national network: there every second of those dates (the last one
    kept), since one date costs about as much as all eight proeftuinen together."""
    lang = page_language()
    wanted = _SCORECARD_TRENDS if which == "scorecard" else _COMPARE_TRENDS
    selection = Selection.of(keys)
    found, _ = analysis().rows(selection, analysis().versions(selection))
    days = decisions.phase_dates(found)[-_TREND_DATES:]
    if keys is None:
        days = days[::-1][::2][::-1]
    series: dict[str, list[Any]] = {k: [] for k in wanted}
    for day in days:
        values, _ = analysis().result(
            "trend",
            GraphRequest.parse(selection, day),
            lambda G, rows: trend_values(G, wanted),
            extra_key=(which,),
        )
        for k in wanted:
            series[k].append(values.get(k))
    d = DTEXT[lang]
    out: dict[str, dict[str, Any]] = {}
    for k, values in series.items():
        known = [(day, v) for day, v in zip(days, values, strict=True) if v is not None]
        if len(known) < 2:
            continue  # nothing to draw: no line, and no empty picture either
        ind = INDICATORS[k]
        label = ind.label.get(lang)
        (day0, v0), (day1, v1) = known[0], known[-1]
        first, last = format_value(v0, ind.fmt, lang), format_value(v1, ind.fmt, lang)
        title = d["spark_title"].format(
            label=label,
            first=first,
            first_date=format_date(day0, lang),
            last=last,
            last_date=format_date(day1, lang),
        )
        desc = d["spark_desc"].format(n=len(days))
        out[k] = {"svg": charts.sparkline(values, title, desc), "first": first, "last": last}
    return out


#: The Gould-Fernandez roles in the order of graphsvc.metrics.brokerage (``total`` left out).
CHART_ROLES: tuple[str, ...] = tuple(r for r in ROLES if r != "total")


def roles_chart(actors: list[dict[str, Any]], groups: list[str], lang: str) -> Markup:
    """The brokerage roles per group: for every group (actor kind) the role counts of its
    actors summed, one bar per role (rows as graphsvc.metrics.report's actor report gives
    them: ``group`` and ``brokerage`` {role: count})."""
    per = {g: dict.fromkeys(CHART_ROLES, 0) for g in groups}
    for a in actors:
        row = per.setdefault(a["group"], dict.fromkeys(CHART_ROLES, 0))
        for role in CHART_ROLES:
            row[role] += a["brokerage"][role]
    words, roles = SHORT_KINDS[lang], ROLE_WORDS[lang]
    labels = [words.get(g, g) for g in per]
    series = [roles[r] for r in CHART_ROLES]
    values = [[float(per[g][r]) for r in CHART_ROLES] for g in per]
    items = "; ".join(
        f"{label}: " + ", ".join(f"{name} {v:.0f}" for name, v in zip(series, row, strict=True))
        for label, row in zip(labels, values, strict=True)
    )
    d = DTEXT[lang]
    return charts.grouped_bars(
        labels, series, values, d["roles_title"], d["roles_desc"].format(items=items), lang
    )


def reciprocity_chart(recip: dict[str, Any], groups: list[str], lang: str) -> Markup:
    """The share of returned directed ties per ordered group pair as a heat map (rows: from,
    columns: to); "—" where there is no directed tie from the one group to the other.
    ``recip`` is graphsvc.metrics.mixing.reciprocity_by_group_pair's answer."""
    words = SHORT_KINDS[lang]
    labels = [words.get(g, g) for g in groups]
    share, arcs, returned = recip["share"], recip["arcs"], recip["returned"]
    matrix = [[(share.get(g) or {}).get(h) for h in groups] for g in groups]
    d = DTEXT[lang]
    items = "; ".join(
        d["recip_item"].format(
            a=words.get(g, g),
            b=words.get(h, h),
            share=format_value(share[g][h], "share", lang),
            returned=returned[g][h],
            arcs=arcs[g][h],
        )
        for g in groups
        for h in groups
        if (share.get(g) or {}).get(h) is not None
    )
    desc = d["recip_desc"].format(items=items or d["recip_none"])
    return charts.heatmap(labels, matrix, d["recip_title"], desc, lang, missing="—")


def _directed_reciprocity(G: Any, rows: Any) -> dict[str, Any]:
    # Symmetric tie types are returned by construction: only directed ones say something
    # (as the scorecard's reciprocity indicator, graphsvc.metrics.scorecard).
    directed = G.graph.get("directed_types") or []
    if not directed or not G.is_directed():
        groups = sorted({str(g) for _, g in G.nodes(data="group")})
        empty = {g: dict.fromkeys(groups, 0) for g in groups}
        return {
            "arcs": empty,
            "returned": empty,
            "share": {g: dict.fromkeys(groups) for g in groups},
        }
    return reciprocity_by_group_pair(G, "group", tie_types=directed)


def _charts(key: str, at: dt.date, lang: str) -> dict[str, Markup]:
    request_ = GraphRequest.parse(Selection.of([key]), at)
    body, _ = network_metrics(analysis(), request_)
    mixing = body["metrics"]["mixing"]
    groups = list(mixing["groups"])
    density = mixing["mixing"].get("density") or {}
    words = SHORT_KINDS[lang]
    labels = [words.get(g, g) for g in groups]
    matrix = [[(density.get(g) or {}).get(h) for h in groups] for g in groups]
    d = DTEXT[lang]
    heat = charts.heatmap(labels, matrix, d["mixing_title"], d["mixing_desc"], lang)
    recip, _ = analysis().result("reciprocity_directed", request_, _directed_reciprocity)
    actors, _ = actor_metrics(analysis(), request_)
    return {
        "mixing": heat,
        "reciprocity": reciprocity_chart(recip, groups, lang),
        "roles": roles_chart(actors["actors"], groups, lang),
    }


def proeftuin_sections(key: str, at: dt.date) -> Markup:
    """Who is behind each signal, the top five introductions, phases, charts and links: the
    part of the proeftuin page this module adds."""
    lang = page_language()
    shown = shown_for(key)
    request_ = GraphRequest.parse(Selection.of([key]), at)
    intros = decisions.introductions(analysis(), request_, 5, shown)
    return Markup(
        render_template(
            "_decisions.html",
            d=DTEXT[lang],
            lang=lang,
            key=key,
            signals=_signal_rows(key, at, shown, lang),
            intros=_intro_rows(intros, key, lang),
            phase=_phase_block(key, lang),
            charts=_charts(key, at, lang),
            intro_url=link("decisions_web.introductions", key=key, at=at.isoformat()),
            meetings_url=link("decisions_web.meetings_built", key=key),
            changes_url=link("decisions_web.changes", key=key),
        )
    )


def compare_extras(keys: list[str]) -> dict[str, dict[str, Any]]:
    """{proeftuin: {phase, trends}} for the compare page."""
    lang = page_language()
    out = {}
    for key in keys:
        block = _phase_block(key, lang)
        out[key] = {
            "phase": block["changes"][-1][1] if block["changes"] else "–",
            "trends": trends([key], "compare"),
        }
    return out


# -- pages -------------------------------------------------------------------------------------


@bp.get("/proeftuinen/<key>/introductions")
@require_role("viewer")
def introductions(key: str) -> Any:
    lang = page_language()
    p = store().proeftuinen.get(key)
    at = _date("at") or dt.date.today()
    limit = 15
    items = decisions.introductions(
        analysis(), GraphRequest.parse(Selection.of([key]), at), limit, shown_for(key)
    )
    if wants_csv():
        return csv_response(f"introducties-{key}.csv", *introduction_rows(items))
    return _page(
        render_template(
            "introductions.html",
            t=TEXT[lang],
            d=DTEXT[lang],
            lang=lang,
            p=p,
            at_text=format_date(at, lang),
            intros=_intro_rows(items, key, lang),
            csv_url=link("decisions_web.introductions", key=key, at=at.isoformat(), format="csv"),
            back=link("web.proeftuin", key=key),
        )
    )


@bp.get("/proeftuinen/<key>/meetings-built")
@require_role("viewer")
def meetings_built(key: str) -> Any:
    lang = page_language()
    p = store().proeftuinen.get(key)
    try:
        window = int(request.args.get("window") or 90)
    except ValueError:
        window = 0
    shown = shown_for(key)
    body = decisions.effects(analysis(), key, window, shown)
    if wants_csv():
        return csv_response(f"bijeenkomsten-{key}.csv", *effect_rows(body["meetings"]))
    d = DTEXT[lang]
    rows = []
    for m in body["meetings"]:
        ratio = m["rate_ratio"]
        rows.append(
            {
                "key": m["key"],
                "date": format_date(dt.date.fromisoformat(m["date"]), lang),
                "title": m["title"],
                "attendees": m["attendees"],
                "co": f"{m['co_attending']['formed']} / {m['co_attending']['pairs']}",
                "other": f"{m['comparison']['formed']} / {m['comparison']['pairs']}",
                "ratio": "–"
                if ratio is None
                else d["m_ratio_words"].format(ratio=format_value(ratio, "ratio", lang)),
                "ratio_value": 0.0 if ratio is None else ratio,
                "p": format_value(m["p_value"], "ratio3", lang),
                "new": m["new_ties_count"],
                "new_ties": [
                    f"{t['a'][f'name_{lang}']} – {t['b'][f'name_{lang}']} ({t['since']})"
                    for t in m.get("new_ties", [])
                ],
            }
        )
    overall = body["overall"]
    summary = None
    if overall["rate_ratio"] is not None:
        summary = d["m_overall_words"].format(
            ratio=format_value(overall["rate_ratio"], "ratio", lang),
            p=format_value(overall["permutation"]["p_value"], "ratio3", lang),
        )
    chart = charts.bars(
        [(f"{r['date']}", r["ratio_value"]) for r in rows],
        d["m_ratio"],
        "; ".join(f"{r['date']} {r['title']}: {r['ratio']}" for r in rows) or d["m_none"],
        lang,
    )
    return _page(
        render_template(
            "meetings_built.html",
            t=TEXT[lang],
            d=DTEXT[lang],
            lang=lang,
            p=p,
            window=body["window_days"],
            rows=rows,
            summary=summary,
            chart=chart,
            names_visible=shown.names_visible,
            csv_url=link("decisions_web.meetings_built", key=key, window=window, format="csv"),
            back=link("web.proeftuin", key=key),
        )
    )


def _since_meeting(key: str) -> dt.date | None:
    chosen = (request.args.get("since") or "").strip()
    if not chosen:
        return None
    selection = Selection.of([key])
    rows, _ = analysis().rows(selection, analysis().versions(selection))
    for m in rows.meetings:
        if m.key == chosen:
            return m.date
    raise NotFound(
        f"Bijeenkomst '{chosen}' bestaat niet in deze proeftuin.",
        f"Meeting '{chosen}' does not exist in this proeftuin.",
    )


def _change_csv(report: dict[str, Any], lang: str) -> Any:
    header = ["wat", "a", "soort_a", "b", "soort_b", "type", "van", "tot"]
    out: list[list[Any]] = []
    for what, ties in (("nieuwe_relatie", "appeared"), ("beeindigde_relatie", "ended")):
        for t in report["ties"][ties]:
            out.append(
                [what, t["source"]["name_nl"], t["source"]["kind"], t["target"]["name_nl"],
                 t["target"]["kind"], t["type"], t["since"], t["until"]]
            )  # fmt: skip
    for what, field in (("nieuw_actief", "joined"), ("stil_geworden", "went_quiet")):
        for a in report["actors"][field]:
            out.append([what, a["name_nl"], a["kind"], "", "", "", "", ""])
    for r in report["actors"]["role_changed"]:
        out.append(["rol_" + r["change"], r["name_nl"], r["kind"], "", "", "", r["from"], r["to"]])
    for i in report["indicators"]:
        out.append(["indicator", i["indicator"], "", "", "", "", i["from"], i["to"]])
    return csv_response(f"veranderingen-{report['proeftuin']}.csv", header, out)


def _before_after_chart(
    report: dict[str, Any], d: dict[str, str], lang: str, start_text: str, end_text: str
) -> Markup:
    """Before/after bars of the change page's counts (shares have another scale: left out)."""
    wanted = ("ties", "actors", "density", "largest_component_share", "isolates", "bridges")
    pairs = [
        (INDICATORS[i["indicator"]].label.get(lang), i["from"], i["to"])
        for i in report["indicators"]
        if i["indicator"] in wanted
    ]
    counts = [x for x in pairs if not (isinstance(x[2], float) and (x[2] or 0) <= 1)]
    legend = (d["c_before"].format(date=start_text), d["c_after"].format(date=end_text))
    desc = "; ".join(f"{label}: {a} → {b}" for label, a, b in counts)
    return charts.paired_bars(counts, d["c_before_after"], desc, lang, legend)


@bp.get("/proeftuinen/<key>/changes")
@require_role("viewer")
def changes(key: str) -> Any:
    lang = page_language()
    p = store().proeftuinen.get(key)
    selection = Selection.of([key])
    rows, _ = analysis().rows(selection, analysis().versions(selection))
    meetings = sorted(rows.meetings, key=lambda m: (m.date, m.key))
    end = _date("to") or dt.date.today()
    start = _since_meeting(key) or _date("from")
    if start is None:
        start = meetings[0].date if meetings else end - dt.timedelta(days=365)
    shown = shown_for(key)
    report = decisions.change_report(analysis(), key, start, end, shown)
    if wants_csv():
        return _change_csv(report, lang)
    d = DTEXT[lang]

    def ref(a: dict[str, Any]) -> dict[str, Any]:
        return {"name": a[f"name_{lang}"], "kind": _kind_word(a["kind"], lang)}

    def tie_type(t: str) -> str:
        found = TIE_TYPES.get(t)
        return t if found is None else (found.nl if lang == "nl" else found.en)

    def role(value: Any, change: str) -> str:
        if change == "cut_point":
            return ROLE_WORDS[lang]["cut_point"] if value else d["c_none"]
        return ROLE_WORDS[lang].get(value, d["c_none"]) if value else d["c_none"]

    shown_ties = {
        name: [
            {
                "a": ref(t["source"]),
                "b": ref(t["target"]),
                "type": tie_type(t["type"]),
                "date": t["since"] if name == "appeared" else t["until"],
            }
            for t in report["ties"][name]
        ]  # fmt: skip
        for name in ("appeared", "ended")
    }
    start_text, end_text = format_date(start, lang), format_date(end, lang)
    chart = _before_after_chart(report, d, lang, start_text, end_text)
    return _page(
        render_template(
            "changes.html",
            t=TEXT[lang],
            d=d,
            lang=lang,
            p=p,
            start=start,
            end=end,
            heading=d["changes_between"].format(start=start_text, end=end_text),
            ties=shown_ties,
            joined=[ref(a) for a in report["actors"]["joined"]],
            quiet=[ref(a) for a in report["actors"]["went_quiet"]],
            roles=[
                {**ref(r), "from": role(r["from"], r["change"]), "to": role(r["to"], r["change"])}
                for r in report["actors"]["role_changed"]
            ],
            chart=chart,
            meetings=[(m.key, format_date(m.date, lang), m.title) for m in meetings],
            since=request.args.get("since") or "",
            csv_url=link(
                "decisions_web.changes",
                key=key,
                **{"from": start.isoformat()},
                to=end.isoformat(),
                format="csv",
            ),
            back=link("web.proeftuin", key=key),
        )
    )


def _context() -> dict[str, Any]:
    return {
        "decisions_section": proeftuin_sections,
        "compare_extras": compare_extras,
        "scorecard_trends": trends,
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_context)
