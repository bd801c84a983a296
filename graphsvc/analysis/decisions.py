"""From numbers to decisions: who is behind a signal, introductions, what meetings built, phases.

Each function computes its pure part once per request and proeftuin version (cached through
:class:`~graphsvc.analysis.graph.Analysis`), then shapes the answer for who asks: actors are
referred to by :class:`Shown` names, so residents are named for analysts and appear to everyone
else only under their stable pseudonym ("Bewoner 17" / "Resident 17"), without their key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphsvc.analysis import responses
from graphsvc.analysis.graph import Analysis, GraphRequest, Selection
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.metrics.brokerage import brokerage_roles
from graphsvc.metrics.cohesion import (
    articulation_points,
    bridges,
    centralization_degree,
    components,
    density,
    isolates,
    transitivity,
)
from graphsvc.metrics.indicators import INDICATORS, value_at
from graphsvc.metrics.meetings import MeetingInput, TieEvent, meeting_effects
from graphsvc.metrics.mixing import assortativity, contact_initiative, ei_index, funder_dependency
from graphsvc.metrics.phases import THRESHOLDS, network_phase
from graphsvc.metrics.report import clean
from graphsvc.metrics.scorecard import COMPUTED, Inputs
from graphsvc.metrics.signals import signal_actors
from graphsvc.metrics.weaving import introductions as weave
from graphsvc.vocabulary import KINDS, ONE_MODE_TIE_TYPES

__all__ = [
    "REASONS",
    "TREND_INDICATORS",
    "Shown",
    "change_report",
    "effects",
    "introductions",
    "phase_dates",
    "phases",
    "signals",
    "trend_values",
]


@dataclass(frozen=True)
class Shown:
    """How actors are shown to who asks: ``names[lang][key]`` (pseudonyms for residents unless
    ``names_visible``), ``kinds[key]``."""

    names: dict[str, dict[str, str]]
    kinds: dict[str, str]
    names_visible: bool

    def hidden(self, key: Hashable) -> bool:
        return not self.names_visible and self.kinds.get(str(key)) == "resident"

    def ref(self, key: Hashable) -> dict[str, Any]:
        """An actor as an answer names it: key (None for a hidden resident), kind, names."""
        k = str(key)
        return {
            "key": None if self.hidden(k) else k,
            "kind": self.kinds.get(k),
            "name_nl": self.names["nl"].get(k, k if not self.hidden(k) else "Bewoner"),
            "name_en": self.names["en"].get(k, k if not self.hidden(k) else "Resident"),
        }

    def name(self, key: Hashable, lang: str) -> str:
        return str(self.ref(key)[f"name_{lang}"])


# -- signals -------------------------------------------------------------------------------


def signals(analysis: Analysis, request: GraphRequest, shown: Shown) -> dict[str, Any]:
    """{indicator: [actor refs with details]} behind each scorecard signal."""
    request = GraphRequest(request.selection, request.at, request.types, "kind", request.ties)
    found, _ = analysis.result("signals", request, lambda G, rows: signal_actors(G))
    out: dict[str, list[dict[str, Any]]] = {}
    for key, actors in found.items():
        rows = []
        for a in actors:
            row = shown.ref(a["key"])
            for field in ("funder", "officials", "cut_off"):
                if field in a:
                    value = a[field]
                    row[field] = (
                        [shown.ref(v) for v in value]
                        if isinstance(value, list)
                        else shown.ref(value)
                        if field == "funder"
                        else value
                    )
            for field in ("initiatives_lose_municipality", "initiatives_lose_funder"):
                if field in a:
                    row[field] = [shown.ref(v) for v in a[field]]
            row["sentence_nl"], row["sentence_en"] = _signal_sentence(key, a, shown)
            rows.append(row)
        out[key] = rows
    return out


def _signal_sentence(key: str, a: dict[str, Any], shown: Shown) -> tuple[str, str]:
    nl, en = shown.name(a["key"], "nl"), shown.name(a["key"], "en")
    if key == "cut_points_share":
        muni, fund = len(a["initiatives_lose_municipality"]), len(a["initiatives_lose_funder"])
        if muni:
            return (
                f"Zonder {nl} verliezen {muni} initiatief/initiatieven elke verbinding met "
                "de gemeente.",
                f"Without {en}, {muni} initiative(s) lose every path to the municipality.",
            )
        if fund:
            return (
                f"Zonder {nl} verliezen {fund} initiatief/initiatieven elke verbinding met "
                "een fonds.",
                f"Without {en}, {fund} initiative(s) lose every path to a fund.",
            )
        n = a["cut_off"]
        return (
            f"Als {nl} vertrekt, raken {n} actor(en) los van de rest.",
            f"If {en} leaves, {n} actor(s) are cut off from the rest.",
        )
    if key == "single_funder_share":
        fnl, fen = shown.name(a["funder"], "nl"), shown.name(a["funder"], "en")
        return (f"{nl} wordt alleen door {fnl} gefinancierd.", f"{en} is funded by {fen} only.")
    if key == "reciprocity_initiative_official":
        onl = ", ".join(shown.name(o, "nl") for o in a["officials"])
        oen = ", ".join(shown.name(o, "en") for o in a["officials"])
        return (
            f"{nl} heeft een relatie met {onl} die niet wordt beantwoord.",
            f"{en} has a tie to {oen} that is not returned.",
        )
    if key == "initiative_visibility":
        return (
            f"{nl} heeft geen directe relatie met gemeente of fonds.",
            f"{en} has no direct tie with the municipality or a fund.",
        )
    if key == "isolates_share":
        return (f"{nl} heeft met niemand een relatie.", f"{en} has no tie with anyone.")
    return (
        f"{nl} hoort niet bij het grootste samenhangende deel.",
        f"{en} is outside the largest connected part.",
    )


# -- introductions ---------------------------------------------------------------------------

#: Why an introduction is proposed, with {a}, {b}, {via} and {gain} filled in.
REASONS: dict[str, tuple[str, str]] = {
    "reach_anchor": (
        "{a} heeft binnen twee stappen geen gemeente of fonds; kennismaken met {b} brengt "
        "{n_reach} initiatief/initiatieven binnen twee stappen van gemeente of fonds.",
        "{a} has no municipality or fund within two steps; meeting {b} brings {n_reach} "
        "initiative(s) within two steps of the municipality or a fund.",
    ),
    "cut_point": (
        "{a} en {b} zijn nu alleen via {via} verbonden; als zij elkaar kennen, zijn "
        "{n_cut} scharnierpunt(en) minder nodig.",
        "{a} and {b} are now connected only through {via}; if they meet, {n_cut} cut "
        "point(s) no longer hold the network together alone.",
    ),
    "isolate": (
        "{a} heeft nog met niemand een relatie; {b} is het actiefste initiatief om mee te "
        "beginnen.",
        "{a} has no tie with anyone yet; {b} is the most active initiative to start with.",
    ),
    "single_broker": (
        "Alle verbindingen tussen {groups} lopen nu via {broker}; als {a} en {b} elkaar "
        "kennen, hebben {n_second} actor(en) een tweede weg die niet via {broker} loopt.",
        "Every connection between {groups} now runs through {broker}; if {a} and {b} meet, "
        "{n_second} actor(s) get a second path that does not run through {broker}.",
    ),
}


def _group_words(pairs: list[dict[str, Any]], lang: str) -> str:
    """'bewonersinitiatieven en fondsen en tussen ...' for the group pairs of a bypass."""

    def plural(kind: str) -> str:
        found = KINDS.get(kind)
        return kind if found is None else (found.nl_plural if lang == "nl" else found.en_plural)

    word = {"nl": " en ", "en": " and "}[lang]
    between = {"nl": " en tussen ", "en": " and between "}[lang]
    return between.join(word.join(plural(g) for g in p["groups"]) for p in pairs)


def ranked_introductions(analysis: Analysis, request: GraphRequest) -> list[dict[str, Any]]:
    """Every introduction worth making (graphsvc.metrics.weaving), best first, as JSON: one
    computation (cached) that the pages, the API and the map each take as many from as
    they show."""
    request = GraphRequest(request.selection, request.at, request.types, "kind", request.ties)
    found, _ = analysis.result(
        "introductions",
        request,
        lambda G, rows: [i.as_json() for i in weave(G, limit=None)],
    )
    return list(found)


def introductions(
    analysis: Analysis, request: GraphRequest, limit: int, shown: Shown
) -> list[dict[str, Any]]:
    """The ``limit`` best introductions (graphsvc.metrics.weaving), for who asks."""
    found = ranked_introductions(analysis, request)[:limit]
    out = []
    for rank, intro in enumerate(found, start=1):
        gain = intro["gain"]
        words = {}
        pairs = gain.get("group_pairs_bypassed", [])
        for i, lang in enumerate(("nl", "en")):
            via = ", ".join(shown.name(v, lang) for v in intro["introducers"]) or "–"
            words[lang] = REASONS[intro["reason"]][i].format(
                a=shown.name(intro["a"], lang),
                b=shown.name(intro["b"], lang),
                via=via,
                n_reach=len(gain["initiatives_within_two_steps"]),
                n_cut=len(gain["cut_points_removed"]),
                n_second=len(gain.get("second_path", [])),
                groups=_group_words(pairs, lang),
                broker=", ".join(
                    shown.name(b, lang) for b in dict.fromkeys(p["broker"] for p in pairs)
                ),
            )
        out.append(
            {
                "rank": rank,
                "a": shown.ref(intro["a"]),
                "b": shown.ref(intro["b"]),
                "reason": intro["reason"],
                "reason_nl": words["nl"],
                "reason_en": words["en"],
                "introducers": [shown.ref(v) for v in intro["introducers"]],
                "gain": {
                    "initiatives_within_two_steps": [
                        shown.ref(v) for v in gain["initiatives_within_two_steps"]
                    ],
                    "cut_points_removed": [shown.ref(v) for v in gain["cut_points_removed"]],
                    "isolates_connected": gain["isolates_connected"],
                    "group_pairs_bypassed": [
                        {"broker": shown.ref(p["broker"]), "groups": p["groups"]} for p in pairs
                    ],
                    "second_path": [shown.ref(v) for v in gain.get("second_path", [])],
                    # a list, not a dict by key: a resident's key stays hidden from viewers
                    "broker_constraint": [
                        {"broker": shown.ref(b), **c}
                        for b, c in gain.get("broker_constraint", {}).items()
                    ],
                },
                "score": intro["score"],
            }
        )
    return out


# -- what the meetings built -----------------------------------------------------------------


def _effects_of(rows: Any, window: int) -> dict[str, Any]:
    groups = {a.key: a.kind for a in rows.actors}
    attendees: dict[str, set[str]] = {}
    for att in rows.attendance:
        attendees.setdefault(att.meeting, set()).add(att.actor)
    meetings = [
        MeetingInput(m.key, m.date, frozenset(attendees.get(m.key, ())), m.title)
        for m in rows.meetings
    ]
    wanted = set(ONE_MODE_TIE_TYPES)
    ties = [TieEvent(t.source, t.target, t.type, t.since) for t in rows.ties if t.type in wanted]
    return meeting_effects(groups, meetings, ties, window_days=window, permutations=499, seed=7)


def effects(
    analysis: Analysis, key: str, window: int, shown: Shown, meeting: str | None = None
) -> dict[str, Any]:
    """Meeting effects of a proeftuin (one meeting when ``meeting`` is given); the new ties by
    name for analysts only (everyone else gets their number)."""
    if not 1 <= window <= 730:
        raise InvalidInput(
            "Parameter 'window': kies 1 tot 730 dagen.",
            "Parameter 'window': choose 1 to 730 days.",
            errors=[{"field": "window", "message": "1..730"}],
        )
    request = GraphRequest.parse(Selection.of([key]), dt.date.today())
    body, _ = analysis.result(
        "meeting_effects", request, lambda G, rows: _effects_of(rows, window), extra_key=(window,)
    )
    meetings = []
    for m in body["meetings"]:
        if meeting is not None and m["key"] != meeting:
            continue
        row = {k: v for k, v in m.items() if k != "new_ties"}
        row["new_ties_count"] = len(m["new_ties"])
        if shown.names_visible:
            row["new_ties"] = [
                {"a": shown.ref(a), "b": shown.ref(b), "since": since}
                for a, b, since in m["new_ties"]
            ]
        meetings.append(row)
    if meeting is not None and not meetings:
        raise NotFound(
            f"Bijeenkomst '{meeting}' bestaat niet in deze proeftuin.",
            f"Meeting '{meeting}' does not exist in this proeftuin.",
        )
    out: dict[str, Any] = {"proeftuin": key, "window_days": body["window_days"]}
    if meeting is not None:
        out["meeting"] = meetings[0]
    else:
        out["meetings"] = meetings
        out["overall"] = body["overall"]
    return out


#: Indicators with a value at every date of :func:`phase_dates` (the sparklines of the
#: scorecard and the compare page): every headline and scorecard indicator but those that need
#: all shortest paths (average distance, global efficiency, betweenness centralization) or the
#: brokerage null model (its z-score) at every date, and the top brokers (a list of names).
TREND_INDICATORS: tuple[str, ...] = (
    "actors", "ties", "density", "weak_components", "strong_components",
    "largest_component_share", "isolates", "articulation_points", "bridges", "transitivity",
    "degree_centralization", "ei_index", "assortativity", "single_funder_share",
    "brokerage_total", "isolates_share", "cut_points_share", "reciprocity_initiative_official",
    "contact_started_by_initiatives", "initiative_visibility", "initiatives_brokering",
)  # fmt: skip


def trend_values(G: nx.Graph, keys: tuple[str, ...] = TREND_INDICATORS) -> dict[str, Any]:
    """The indicators ``keys`` (of :data:`TREND_INDICATORS`) of analysis graph ``G`` (grouped by
    kind), computed by the same functions as the network report and the scorecard
    (graphsvc.metrics.report, graphsvc.metrics.scorecard), but only the parts these indicators
    read: a fraction of a full report's time, so that a sparkline can ask for two years of
    month ends."""
    wanted = set(keys)
    unknown = wanted - set(TREND_INDICATORS)
    if unknown:
        raise ValueError(f"no trend for {sorted(unknown)}")

    def need(*names: str) -> bool:
        return bool(wanted.intersection(names))

    cohesion: dict[str, Any] = {"density": density(G)}
    if need("weak_components", "strong_components", "largest_component_share"):
        cohesion["components"] = components(G)
    if need("isolates", "isolates_share"):
        cohesion["isolates"] = isolates(G)
    if need("articulation_points", "cut_points_share"):
        cohesion["articulation_points"] = articulation_points(G)
    if need("bridges"):
        cohesion["bridges"] = bridges(G)
    if need("transitivity"):
        cohesion["transitivity"] = transitivity(G)
    if need("degree_centralization"):
        cohesion["centralization"] = centralization_degree(G)
    mixing: dict[str, Any] = {}
    if need("ei_index"):
        mixing["ei_index"] = {"network": ei_index(G, "group")}
    if need("assortativity"):
        mixing["assortativity"] = assortativity(G, "group")
    if need("single_funder_share"):
        mixing["funder_dependency"] = funder_dependency(G)
    if need("contact_started_by_initiatives"):
        mixing["contact_initiative"] = contact_initiative(G, "group")
    roles = (
        brokerage_roles(G, group="group")
        if need("brokerage_total", "initiatives_brokering")
        else {}
    )
    report = clean(
        {
            "actors": G.number_of_nodes(),
            "ties_used": G.graph.get("ties_used", G.number_of_edges()),
            "cohesion": cohesion,
            "mixing": mixing,
            "brokerage": {"raw": {"total": sum(r["total"] for r in roles.values())}},
        }
    )
    actors = [{"key": v, "kind": G.nodes[v].get("kind"), "brokerage": roles[v]} for v in roles]
    inputs = Inputs(G, report, actors)
    out = {}
    for key in keys:
        path = INDICATORS[key].path
        out[key] = value_at(report, path) if path is not None else COMPUTED[key](inputs)
    return out


# -- phases over time ------------------------------------------------------------------------


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def phase_dates(rows: Any) -> list[dt.date]:
    """Month ends from the first tie to the last change, plus the meeting dates."""
    wanted = set(ONE_MODE_TIE_TYPES)
    changes = [t.since for t in rows.ties if t.type in wanted]
    changes += [t.until for t in rows.ties if t.type in wanted and t.until]
    if not changes:
        return sorted({m.date for m in rows.meetings})
    first, last = min(changes), max(changes)
    dates: set[dt.date] = {m.date for m in rows.meetings if first <= m.date <= last}
    day = _month_end(first)
    while day < last:
        dates.add(day)
        day = _month_end(day + dt.timedelta(days=1))
    dates.add(last)
    return sorted(dates)


def phases(analysis: Analysis, key: str) -> dict[str, Any]:
    """The phase (graphsvc.metrics.phases) of a proeftuin at each date of :func:`phase_dates`."""
    selection = Selection.of([key])
    rows, _ = analysis.rows(selection, analysis.versions(selection))
    meeting_on = {m.date: m.key for m in rows.meetings}
    out = []
    for day in phase_dates(rows):
        request = GraphRequest.parse(selection, day)
        found, _ = analysis.result("phase", request, lambda G, rows: network_phase(G))
        out.append(
            {
                "date": day.isoformat(),
                "meeting": meeting_on.get(day),
                "phase": found["phase"],
                "measures": found["measures"],
            }
        )
    return {"proeftuin": key, "phases": out, "thresholds": THRESHOLDS}


# -- change as a page ------------------------------------------------------------------------


def change_report(
    analysis: Analysis, key: str, start: dt.date, end: dt.date, shown: Shown
) -> dict[str, Any]:
    """What changed in proeftuin ``key`` between ``start`` and ``end``: new and ended ties,
    actors who joined (first tie) or went quiet (no tie left), role changes (dominant
    brokerage role, cut point) and the headline indicators before and after."""
    selection = Selection.of([key])
    request = GraphRequest.parse(selection, end)
    found = responses.changes(analysis, request, start, end, with_actors=True)
    rows, _ = analysis.rows(selection, analysis.versions(selection))
    wanted = set(request.types)

    def tied(day: dt.date) -> set[str]:
        out: set[str] = set()
        for t in rows.ties:
            if t.type in wanted and t.since <= day and (t.until is None or t.until > day):
                out |= {t.source, t.target}
        return out

    before, after = tied(start), tied(end)

    def tie(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "source": shown.ref(t["source"]),
            "target": shown.ref(t["target"]),
            "type": t["type"],
            "since": t["since"],
            "until": t["until"],
        }

    def cut_points(day: dt.date) -> set[str]:
        snapshot = GraphRequest.parse(selection, day)
        found, _ = analysis.result(
            "cut_points",
            snapshot,
            lambda G, rows: sorted(
                nx.articulation_points(G.to_undirected(as_view=True) if G.is_directed() else G)
            ),
        )
        return set(found)

    cut_a, cut_b = cut_points(start), cut_points(end)
    roles = [
        {**shown.ref(r["key"]), "change": "brokerage", "from": r["from"], "to": r["to"]}
        for r in found["actors"]["brokerage_role_changed"]
    ]
    roles += [
        {**shown.ref(k), "change": "cut_point", "from": k in cut_a, "to": k in cut_b}
        for k in sorted(cut_a ^ cut_b)
    ]
    kinds = shown.kinds
    return {
        "proeftuin": key,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "ties": {
            "appeared": [tie(t) for t in found["ties"]["appeared_list"]],
            "ended": [tie(t) for t in found["ties"]["ended_list"]],
        },
        "actors": {
            "joined": [shown.ref(k) for k in sorted(after - before) if k in kinds],
            "went_quiet": [shown.ref(k) for k in sorted(before - after) if k in kinds],
            "role_changed": roles,
        },
        "indicators": found["indicators"],
    }
