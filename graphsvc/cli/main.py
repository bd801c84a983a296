"""The ``graphsvc`` command line (click, through Flask's CLI group).

Each command group lives in its own module: ``neo4j`` (the local server), ``data``
(import, export, schema, seed, wipe), ``keys`` and ``metrics``.  ``graphsvc run``
is Flask's development server (``make dev``); ``make run`` serves with gunicorn.
Errors are printed by :mod:`graphsvc.cli.errors`, never as a stack trace.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from graphsvc.cli import data, keys, metrics, neo4j

__all__ = ["cli", "main"]


def _create_app() -> Flask:
    from graphsvc.web.app import create_app

    # One process: without GRAPHSVC_SECRET_KEY it may sign cookies with a secret of its own.
    return create_app({"COMMAND_LINE": True})


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def cli() -> None:
    """graphsvc: netwerken van bewonersinitiatieven / networks of resident initiatives."""


cli.add_command(neo4j.neo4j_group)
cli.add_command(keys.keys)
cli.add_command(metrics.metrics_command)
data.register(cli)


def main() -> None:
    cli(prog_name="graphsvc")
