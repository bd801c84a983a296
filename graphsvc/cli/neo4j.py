"""``graphsvc neo4j``: fetch, start, stop and inspect the local Neo4j server."""

from __future__ import annotations

import json
import sys

import click

from graphsvc import config
from graphsvc.cli.errors import friendly
from graphsvc.store.launcher import LocalNeo4j

__all__ = ["neo4j_group"]


def _local() -> LocalNeo4j:
    return LocalNeo4j.from_settings(config.load())


@click.group("neo4j")
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
        click.echo(
            "Neo4j-jars ophalen van Maven Central / fetching Neo4j jars from Maven Central ..."
        )
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
