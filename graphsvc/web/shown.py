"""How the actors of a proeftuin are shown to who asks (graphsvc.analysis.decisions.Shown):
names for analysts and up, the map's stable pseudonyms for residents otherwise."""

from __future__ import annotations

from graphsvc.analysis.decisions import Shown
from graphsvc.analysis.graph import Selection
from graphsvc.web.auth import current_principal
from graphsvc.web.services import analysis, maps

__all__ = ["names_visible", "shown_for"]


def names_visible() -> bool:
    principal = current_principal()
    return principal is not None and principal.allows("analyst")


def shown_for(key: str) -> Shown:
    """Names (Dutch and English) and kinds of the actors of proeftuin ``key``, for who asks."""
    selection = Selection.of([key])
    rows, _ = analysis().rows(selection, analysis().versions(selection))
    visible = names_visible()
    names = {lang: maps().names(key, lang, visible) for lang in ("nl", "en")}
    return Shown(names, {a.key: a.kind for a in rows.actors}, visible)
