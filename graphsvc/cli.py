"""The ``graphsvc`` command line (click, through Flask's CLI group).

``graphsvc run`` serves the app (Flask's development server); the other
commands manage the local Neo4j, the schema and the data.  Errors are printed
as one clear message in Dutch and English, never a stack trace.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click
from flask.cli import FlaskGroup, with_appcontext

from graphsvc import config, data_cli, keys_cli, metrics_cli
from graphsvc.errors import GraphsvcError

__all__ = ["main", "cli"]


def _fail(exc: GraphsvcError) -> None:
    click.echo(f"graphsvc: {exc.message_nl}\ngraphsvc: {exc.message_en}", err=True)
    for problem in exc.extra.get("problems", []) or []:
        where = ", ".join(str(x) for x in (problem.get("file"), problem.get("row") and
                                           f"rij/row {problem['row']}", problem.get("column"))
                          if x)
        click.echo(f"  - {where}: {problem.get('message_nl')} / {problem.get('message_en')}",
                   err=True)
    sys.exit(1)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors into a message and exit code 1."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraphsvcError as exc:
            _fail(exc)
    return wrapper


def _create_app():
    from graphsvc import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """graphsvc: netwerken van bewonersinitiatieven / networks of resident initiatives."""


# -- the local Neo4j -----------------------------------------------------------


def _local():
    from graphsvc.neo4j_local import LocalNeo4j
    return LocalNeo4j.from_settings(config.load())


@cli.group("neo4j")
def neo4j_group() -> None:
    """Lokale Neo4j-server / local Neo4j server (GRAPHSVC_NEO4J_HOME, _BOLT_PORT, _HTTP_PORT)."""


@neo4j_group.command("fetch")
@friendly
def neo4j_fetch() -> None:
    """Haal de Neo4j-jars van Maven Central / fetch the Neo4j jars from Maven Central."""
    server = _local()
    if server.jars_present():
        click.echo(f"Neo4j-jars aanwezig / jars present: {server.lib}")
        return
    click.echo("Neo4j-jars ophalen van Maven Central / fetching Neo4j jars from Maven Central ...")
    server.fetch()
    click.echo(f"Klaar / done: {server.lib}")


@neo4j_group.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for RETURN 1.")
@click.option("--if-stopped", is_flag=True, help="Do nothing when it already runs on this folder.")
@friendly
def neo4j_start(timeout: float, if_stopped: bool) -> None:
    """Start Neo4j en wacht tot hij antwoordt / start Neo4j and wait until it answers."""
    server = _local()
    if if_stopped and server.pid() is not None:
        click.echo(f"Neo4j draait al / already running (pid {server.pid()}) on {server.uri}")
        return
    if not server.jars_present():
        click.echo("Neo4j-jars ophalen van Maven Central / fetching Neo4j jars from Maven Central ...")
        server.fetch()
    click.echo(f"Neo4j starten / starting Neo4j on {server.uri} (folder {server.home}) ", nl=False)
    pid = server.start(timeout=timeout, on_wait=lambda: click.echo(".", nl=False))
    click.echo(f"\nNeo4j draait / running (pid {pid}).")


@neo4j_group.command("stop")
@friendly
def neo4j_stop() -> None:
    """Stop Neo4j netjes / stop Neo4j cleanly."""
    server = _local()
    if server.stop():
        click.echo("Neo4j gestopt / stopped.")
    else:
        click.echo("Neo4j draaide niet / was not running.")


@neo4j_group.command("status")
@friendly
def neo4j_status() -> None:
    """Draait Neo4j? / is Neo4j running? (exit code 0 when it answers)."""
    status = _local().status()
    click.echo(json.dumps(status, indent=2))
    sys.exit(0 if status["answers"] else 3)


# -- schema and data -------------------------------------------------------------


@cli.command("schema")
@with_appcontext
@friendly
def schema() -> None:
    """Maak constraints en indexen / create constraints and indexes (idempotent)."""
    from graphsvc.extensions import store
    names = store().apply_schema()
    click.echo(f"Schema toegepast / applied: {', '.join(names)}")


@cli.command("seed")
@with_appcontext
@friendly
def seed() -> None:
    """Laad de (fictieve) demo-proeftuinen / load the (fictional) demo proeftuinen (idempotent)."""
    from graphsvc.extensions import store
    from graphsvc.seeding import load_seeds
    repo = store()
    repo.apply_schema()
    for line in load_seeds(repo):
        click.echo(line)


@cli.command("wipe")
@click.option("--yes", is_flag=True, help="Really delete all network data.")
@with_appcontext
@friendly
def wipe(yes: bool) -> None:
    """Verwijder alle netwerkgegevens / delete all network data (API keys stay)."""
    if not yes:
        raise click.UsageError("add --yes to delete all proeftuinen, actors, ties and meetings")
    from graphsvc.extensions import store
    store().wipe()
    click.echo("Alle netwerkgegevens verwijderd / all network data deleted.")


cli.add_command(keys_cli.keys)
cli.add_command(metrics_cli.metrics_command)
data_cli.register(cli)  # import, export


def main() -> None:
    cli(prog_name="graphsvc")


if __name__ == "__main__":  # pragma: no cover
    main()
