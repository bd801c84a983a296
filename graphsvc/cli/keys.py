"""``graphsvc keys``: create, list and revoke API keys from the command line.

The key is printed once, alone on standard output (so ``KEY=$(graphsvc keys
create ...)`` works); everything else goes to standard error.  The store keeps
only its hash (graphsvc.web.auth, which loads the Neo4j driver only when a command
first needs the store).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from graphsvc.cli.errors import friendly
from graphsvc.web import auth

__all__ = ["keys"]


@click.group("keys")
def keys() -> None:
    """API-sleutels / API keys (rollen / roles: viewer < analyst < editor < admin)."""


@keys.command("create")
@click.option(
    "--role", required=True, type=click.Choice(auth.ROLES), help="viewer, analyst, editor or admin"
)
@click.option("--name", required=True, help="Wie of wat de sleutel gebruikt / who or what uses it")
@with_appcontext
@friendly
def create(role: str, name: str) -> None:
    """Maak een sleutel / create a key (shown once)."""
    id_, key = auth.create_key(role, name)
    click.echo(f"Sleutel / key {id_} ({role}): {auth.clean_name(name)}", err=True)
    click.echo(key)
    click.echo(
        "Let op: deze sleutel wordt maar één keer getoond; bewaar hem nu veilig.\n"
        "Note: this key is shown only once; store it safely now.",
        err=True,
    )


@keys.command("list")
@with_appcontext
@friendly
def list_() -> None:
    """Toon alle sleutels / list every key (never the key or its hash)."""
    rows = auth.list_keys()
    if not rows:
        click.echo("Geen sleutels / no keys.")
        return
    click.echo(
        f"{'id':<9} {'rol/role':<8} {'ingetrokken/revoked':<19} {'aangemaakt/created':<32} "
        "naam/name"
    )
    for row in rows:
        revoked = "ja/yes" if row["revoked"] else "-"
        click.echo(
            f"{row['id']:<9} {row['role']:<8} {revoked:<19} {row['created'] or '':<32} "
            f"{row['name']}"
        )


@keys.command("revoke")
@click.argument("key_id")
@with_appcontext
@friendly
def revoke(key_id: str) -> None:
    """Trek een sleutel in / revoke a key by its id."""
    auth.revoke(key_id)
    click.echo(f"Sleutel {key_id} ingetrokken / key {key_id} revoked.")
