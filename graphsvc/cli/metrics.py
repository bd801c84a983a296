"""``graphsvc metrics``: the metrics of the API on the command line, as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from typing import Any

import click
from flask.cli import with_appcontext

from graphsvc.analysis import responses as insights
from graphsvc.analysis.graph import Analysis, GraphRequest, Selection
from graphsvc.cli.errors import friendly
from graphsvc.web.services import store

__all__ = ["metrics_command"]


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, list):
        out[prefix] = json.dumps(value, ensure_ascii=False)
    else:
        out[prefix] = value


def _csv(rows: list[dict[str, Any]]) -> str:
    flat = []
    for row in rows:
        out: dict[str, Any] = {}
        _flatten("", row, out)
        flat.append(out)
    columns = list(dict.fromkeys(c for row in flat for c in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buffer.getvalue()


@click.command("metrics")
@click.option(
    "--proeftuin",
    "proeftuinen",
    multiple=True,
    help="Proeftuin key (repeat for several); none = the national network.",
)
@click.option("--actors", "level", flag_value="actors", help="One row per actor.")
@click.option(
    "--network",
    "level",
    flag_value="network",
    default=True,
    help="Network-level indicators (default).",
)
@click.option(
    "--scorecard",
    "--health",
    "level",
    flag_value="scorecard",
    help="The scorecard: relationships, equality, strong initiatives.",
)
@click.option(
    "--at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Snapshot date (YYYY-MM-DD), default today.",
)
@click.option("--types", default=None, help="Comma-separated tie types.")
@click.option("--group-by", default="kind", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@with_appcontext
def metrics_command(
    proeftuinen: tuple[str, ...],
    level: str,
    at: dt.datetime | None,
    types: str | None,
    group_by: str,
    fmt: str,
) -> None:
    """Netwerkmaten als JSON of CSV / network metrics as JSON or CSV."""

    @friendly
    def run() -> None:
        selection = Selection.of(proeftuinen or None)
        request = GraphRequest.parse(
            selection, at.date() if at else None, types.split(",") if types else None, group_by
        )
        analysis = Analysis(store())
        if level == "actors":
            body, _ = insights.actor_metrics(analysis, request)
            rows = body["actors"]
        elif level == "scorecard":
            body, _ = insights.scorecard(analysis, request)
            rows = [
                {"group": g["key"], **i}
                for g in body["scorecard"]["groups"]
                for i in g["indicators"]
            ]
        else:
            body, _ = insights.network_metrics(analysis, request)
            rows = [body["metrics"]]
        if fmt == "json":
            click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write(_csv(rows))

    run()
