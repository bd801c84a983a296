"""GET /api/v1/proeftuinen/{key}/exports and /api/v1/exports: the data as a downloadable file.

Exports carry every name, so they need the analyst role; viewers get aggregates only.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from graphsvc.transfer import exporter
from graphsvc.web.api.caching import etag_response, not_modified
from graphsvc.web.api.common import proeftuin_versions
from graphsvc.web.api.schemas import ExportArgs
from graphsvc.web.auth import require_role
from graphsvc.web.services import store

__all__ = ["blp"]

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1",
    description="Exports: json (the import format, round-trips exactly), csv (a zip "
    "of the four tables), xlsx, graphml and gexf (for Gephi). Exports "
    "contain residents' names: they need the analyst role; the viewer "
    "role cannot download them.",
)

_FILE = {
    "description": "The export file (Content-Disposition names it). "
    + "; ".join(f"{f.name}: {f.description}" for f in exporter.FORMATS.values()),
    "content": {
        f.media_type: {"schema": {"type": "string", "format": "binary"}}
        for f in exporter.FORMATS.values()
    },
}


def _download(versions: dict[str, int], args: dict[str, Any], proeftuin: str | None) -> Response:
    early = not_modified(versions)
    if early is not None:
        return early
    made = exporter.export(store(), args["format"], proeftuin, args["delimiter"])
    response = Response(made.data, mimetype=made.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=made.filename)
    return etag_response(response, versions)


@blp.route("/proeftuinen/<key>/exports")
@require_role("analyst")
@blp.arguments(ExportArgs, location="query")
@blp.doc(responses={"200": _FILE})
def export_proeftuin(args: dict[str, Any], key: str) -> Any:
    """Export one proeftuin: its actors, the ties between them, its meetings and attendance.

    Contains names: analyst role or higher.
    """
    return _download(proeftuin_versions(key), args, key)


@blp.route("/exports")
@require_role("analyst")
@blp.arguments(ExportArgs, location="query")
@blp.doc(responses={"200": _FILE})
def export_everything(args: dict[str, Any]) -> Any:
    """Export every proeftuin at once (the JSON also lists the proeftuinen themselves).

    Contains names: analyst role or higher.
    """
    return _download(store().proeftuinen.list_versions(), args, None)
