"""Every word of the map page itself, in Dutch and English, and the mechanism that switches them.

The words here are the renderer's own and name nothing of any domain: the controls
(search, zoom, date, presentation), the marks it draws (brokers, articulation points) and
the sentences around a brokerage count.  What the actors and ties are called, how each
brokerage role is named and explained, and any page word the caller wants to say
differently (``MapTheme.texts``) come from the caller's :class:`visualize.theme.MapTheme`.

References
----------
.. [1] Gould, R. V. and Fernandez, R. M. (1989). "Structures of mediation: a formal
   approach to brokerage in transaction networks." Sociological Methodology 19: 89–126.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .theme import MapTheme
from .ui_words import LANGS, UI

__all__ = [
    "LANGS",
    "UI",
    "words",
    "catalogue",
    "group_label",
    "dominant_role",
    "brokerage_total",
    "about_actor",
]

# Sentences around an actor's brokerage count; the role itself is named by the caller.
_ROLE_SENTENCES: dict[str, dict[str, str]] = {
    "nl": {
        "none": "{name} staat niet tussen anderen die elkaar niet al rechtstreeks kennen.",
        "count": "{name} staat {n} keer tussen twee anderen zonder rechtstreekse band.",
        "count_one": "{name} staat één keer tussen twee anderen zonder rechtstreekse band.",
        "articulation": "Als {name} wegvalt, raakt een deel van het netwerk los.",
    },
    "en": {
        "none": "{name} does not stand between others who are not already directly connected.",
        "count": "{name} stands {n} times between two others without a direct tie.",
        "count_one": "{name} stands once between two others without a direct tie.",
        "articulation": "If {name} drops out, part of the network is cut off.",
    },
}


def words(theme: MapTheme, lang: str) -> dict[str, str]:
    """The page words in ``lang``: the renderer's own, with the theme's replacements."""
    return {**UI[lang], **theme.texts.get(lang, {})}


def group_label(group: str, lang: str, theme: MapTheme) -> str:
    """Readable name of a group: the plural kind label for a kind, else the group as given."""
    if group in theme.kind_keys:
        return theme.kind(group).many[lang]
    return str(group)


def dominant_role(
    brokerage: Mapping[str, int | float | None] | None, roles: Sequence[str]
) -> str | None:
    """The role with the highest count (ties broken in ``roles`` order); None when all are 0."""
    if not brokerage:
        return None
    best, best_count = None, 0.0
    for role in roles:
        count = brokerage.get(role) or 0
        if count > best_count:
            best, best_count = role, count
    return best


def brokerage_total(
    brokerage: Mapping[str, int | float | None] | None, roles: Sequence[str]
) -> float:
    """``total`` when given, else the sum of ``roles`` (missing values count as 0)."""
    if not brokerage:
        return 0.0
    total = brokerage.get("total")
    if total is not None:
        return float(total)
    return float(sum(brokerage.get(role) or 0 for role in roles))


def about_actor(name: str, metrics: Mapping, lang: str, theme: MapTheme) -> list[str]:
    """Plain-language sentences about an actor's brokerage role, for tooltips and the details panel.

    Parameters
    ----------
    name : display name (already pseudonymised by the caller when needed)
    metrics : the actor's metrics; reads ``brokerage`` ({role: count}) and ``articulation_point``
    lang : "nl" or "en"
    theme : names and explains the roles (``theme.roles``)

    Returns
    -------
    list of str: the dominant role, named and explained by the theme (or that the actor
    brokers nothing), how often it brokers, and a warning when the actor is an
    articulation point.
    """
    sentences = _ROLE_SENTENCES[lang]
    brokerage = metrics.get("brokerage") or {}
    role = dominant_role(brokerage, theme.role_keys)
    total = brokerage_total(brokerage, theme.role_keys)
    out = []
    if role is None:
        out.append(sentences["none"].format(name=name))
    else:
        about = theme.role(role)
        out.append(f"{about.headline[lang]} {about.explanation[lang]}")
        n = int(total) if float(total).is_integer() else round(total, 1)
        key = "count_one" if n == 1 else "count"
        out.append(sentences[key].format(name=name, n=n))
    if metrics.get("articulation_point"):
        out.append(sentences["articulation"].format(name=name))
    return out


def catalogue(theme: MapTheme) -> dict[str, dict]:
    """All the page script needs to switch language: page words, kinds, tie types, locale."""
    out: dict[str, dict] = {}
    for lang in LANGS:
        out[lang] = {
            "ui": words(theme, lang),
            "kinds": {k.key: {"one": k.one[lang], "many": k.many[lang]} for k in theme.kinds},
            "ties": {
                t.key: {
                    "label": t.label[lang],
                    "sentence": t.sentence[lang],
                    "directed": t.directed,
                }
                for t in theme.tie_types
            },
            "locale": "en-GB" if lang == "en" else "nl-NL",
        }
    return out
