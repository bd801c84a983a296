"""Data commands: ``graphsvc import`` and ``export`` (files in and out of the store), ``schema``,
``seed`` (the demo proeftuinen), ``warm`` (the pages computed ahead) and ``wipe``.

Both use the same services as the HTTP API (:mod:`graphsvc.transfer.importer`,
:mod:`graphsvc.transfer.exporter`), so a file behaves the same either way.  Messages
are in Dutch and English; a rejected import lists every problem and exits 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from graphsvc.cli.errors import fail, friendly
from graphsvc.errors import GraphsvcError

__all__ = ["export_command", "import_command", "register", "schema", "seed", "warm", "wipe"]


class _Progress:
    """A ``progress(done, total)`` callback drawing a click progress bar on stderr.

    The bar starts at the first call that knows its total (parsing an XLSX
    sheet without a dimension record reports 0, for unknown, until the end).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total <= 0:
                return
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        step = min(done, self.bar.length) - self.shown
        if step > 0:
            self.bar.update(step)
            self.shown += step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_report(report: dict[str, Any]) -> None:
    title = (
        "Proefimport: er is niets geschreven / dry run: nothing was written"
        if report["dry_run"]
        else "Import klaar / import done"
    )
    click.echo(title)
    click.echo(f"{'tabel/table':14} {'nieuw/new':>10} {'gewijzigd/upd':>14} {'gelijk/same':>12}")
    for table in report["created"]:
        click.echo(
            f"{table:14} {report['created'][table]:>10} {report['updated'][table]:>14} "
            f"{report['unchanged'][table]:>12}"
        )
    for key, version in report["versions"].items():
        click.echo(f"versie/version {key}: {version}")
    for notice in report["notices"]:
        click.echo(f"  ! {notice['message_nl']} / {notice['message_en']}")


@click.command("import")
@click.option(
    "--proeftuin",
    "proeftuin",
    metavar="KEY",
    help="Proeftuin to import into (rows with an empty proeftuin column go here).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="No single proeftuin: each row's proeftuin column decides; a JSON export of "
    "everything also recreates its proeftuinen.",
)
@click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@with_appcontext
def import_command(
    proeftuin: str | None, everything: bool, dry_run: bool, files: tuple[Path, ...]
) -> None:
    """Importeer bestanden / import files: CSV tables (named actors.csv, ties.csv, ...), or one
    XLSX, JSON or zip file. All or nothing: on any problem nothing is written and every
    problem is listed (exit code 1).
    """
    from graphsvc.transfer import importer
    from graphsvc.web.services import store

    if bool(proeftuin) == everything:
        raise click.UsageError("give either --proeftuin KEY or --all")
    uploads = [(path.name, path.read_bytes()) for path in files]
    parsing, writing = _Progress("lezen/reading"), _Progress("schrijven/writing")
    try:
        report = importer.import_files(
            store(),
            files=uploads,
            proeftuin=proeftuin,
            dry_run=dry_run,
            parse_progress=parsing,
            write_progress=writing,
            limits=importer.limits_from(current_app.config),
        )
    except GraphsvcError as exc:
        parsing.close()
        writing.close()
        fail(exc)
    parsing.close()
    writing.close()
    _print_report(report.as_json())


@click.command("export")
@click.option("--proeftuin", "proeftuin", metavar="KEY", help="Export this proeftuin.")
@click.option("--all", "everything", is_flag=True, help="Export every proeftuin.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "graphml", "gexf"]),
    default="json",
    show_default=True,
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";"]),
    default=",",
    show_default=True,
    help="CSV only; ';' for Dutch Excel.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write ('-' for standard output).",
)
@with_appcontext
def export_command(
    proeftuin: str | None, everything: bool, fmt: str, delimiter: str, output: Path
) -> None:
    """Exporteer / export one proeftuin or everything (the file holds names)."""
    from graphsvc.transfer import exporter
    from graphsvc.web.services import store

    if bool(proeftuin) == everything:
        raise click.UsageError("give either --proeftuin KEY or --all")
    try:
        made = exporter.export(store(), fmt, proeftuin, delimiter)
    except GraphsvcError as exc:
        fail(exc)
    if str(output) == "-":
        sys.stdout.buffer.write(made.data)
        sys.stdout.buffer.flush()
        return
    _write_private(output, made.data)
    click.echo(f"Geschreven / written: {output} ({len(made.data):,} bytes, {fmt})", err=True)


def _write_private(path: Path, data: bytes) -> None:
    """Write an export readable by its owner only (mode 0600): it holds residents' names.

    An existing file is truncated and set to 0600 too; a new one is never, even for a
    moment, readable by others (the mode is given when it is created).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(data)


@click.command("schema")
@with_appcontext
@friendly
def schema() -> None:
    """Maak constraints en indexen / create constraints and indexes (idempotent)."""
    from graphsvc.web.services import store

    names = store().create_schema()
    click.echo(f"Schema toegepast / applied: {', '.join(names)}")


@click.command("seed")
@with_appcontext
@friendly
def seed() -> None:
    """Laad de (fictieve) demo-proeftuinen / load the (fictional) demo proeftuinen (idempotent)."""
    from graphsvc.transfer.seeding import load_seeds
    from graphsvc.web.services import store

    repo = store()
    repo.create_schema()
    for line in load_seeds(repo):
        click.echo(line)


@click.command("warm")
@with_appcontext
@friendly
def warm() -> None:
    """Bereken de pagina's vooraf / compute the pages ahead (into GRAPHSVC_CACHE_DIR).

    Makes, as a viewer sees them today, the national page and map and each proeftuin's
    page and map into the disk cache that every worker of the service reads: the first
    visitor after a start gets them at once.  ``make run`` runs it before serving.
    """
    from graphsvc.web import warmup
    from graphsvc.web.services import disk_cache

    if disk_cache() is None:
        fail(
            GraphsvcError(
                "Geen cache op schijf (GRAPHSVC_CACHE_DIR is leeg of onbruikbaar): niets te doen.",
                "No disk cache (GRAPHSVC_CACHE_DIR is empty or unusable): nothing to do.",
            )
        )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo("Pagina's vooraf berekenen / computing pages ahead ...")

    def done(n: int, total: int, path: str, status: int, seconds: float) -> None:
        mark = "" if status == 200 else f"  (HTTP {status})"
        click.echo(f"  [{n:>2}/{total}] {path:<44} {seconds:5.1f} s{mark}")

    failed = warmup.make_pages(app, done)
    if failed:
        fail(
            GraphsvcError(
                f"{failed} pagina('s) konden niet worden gemaakt; zie hierboven.",
                f"{failed} page(s) could not be made; see above.",
            )
        )


@click.command("wipe")
@click.option("--yes", is_flag=True, help="Really delete all network data.")
@with_appcontext
@friendly
def wipe(yes: bool) -> None:
    """Verwijder alle netwerkgegevens / delete all network data (API keys stay)."""
    if not yes:
        raise click.UsageError("add --yes to delete all proeftuinen, actors, ties and meetings")
    from graphsvc.web.services import store

    store().delete_network()
    click.echo("Alle netwerkgegevens verwijderd / all network data deleted.")


def register(group: click.Group) -> None:
    """Add the data commands to the ``graphsvc`` command group."""
    for command in (import_command, export_command, schema, seed, warm, wipe):
        group.add_command(command)
