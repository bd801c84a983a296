"""Web pages for people (Dutch by default, English with ?lang=en)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from graphsvc.auth import require_role
from graphsvc.extensions import store
from graphsvc.problems import language
from graphsvc.vocabulary import KINDS

__all__ = ["init_app"]

bp = Blueprint("web", __name__)

TEXT = {
    "nl": {
        "title": "Netwerken van bewonersinitiatieven",
        "intro": "Relaties tussen bewoners, bewonersinitiatieven, gemeenten en fondsen in de proeftuinen.",
        "proeftuin": "Proeftuin",
        "municipality": "Gemeente",
        "actors": "Actoren",
        "meetings": "Bijeenkomsten",
        "fictional": "Fictieve demogegevens: alle personen, organisaties en relaties zijn verzonnen.",
        "empty": "Er zijn nog geen proeftuinen. Laad de demogegevens met: graphsvc seed",
        "api": "API-documentatie",
        "other": "English",
        "other_lang": "en",
    },
    "en": {
        "title": "Networks of resident initiatives",
        "intro": "Relationships between residents, resident initiatives, municipalities and funds in the pilot sites.",
        "proeftuin": "Pilot site (proeftuin)",
        "municipality": "Municipality",
        "actors": "Actors",
        "meetings": "Meetings",
        "fictional": "Fictional demo data: every person, organisation and tie is made up.",
        "empty": "There are no proeftuinen yet. Load the demo data with: graphsvc seed",
        "api": "API documentation",
        "other": "Nederlands",
        "other_lang": "nl",
    },
}


@bp.get("/")
@require_role("viewer")
def index():
    lang = language()
    proeftuinen = store().list_proeftuinen()
    kinds = [(k.key, k.nl_plural if lang == "nl" else k.en_plural) for k in KINDS.values()]
    return render_template(
        "index.html", t=TEXT[lang], lang=lang, proeftuinen=proeftuinen, kinds=kinds,
        any_fictional=any(p.fictional for p in proeftuinen),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
