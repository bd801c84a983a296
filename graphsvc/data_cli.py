"""``graphsvc import`` and ``graphsvc export``: files in and out of the store from the command line.

Both use the same services as the HTTP API (:mod:`graphsvc.importer`,
:mod:`graphsvc.exporter`), so a file behaves the same either way.  Messages
are in Dutch and English; a rejected import lists every problem and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from graphsvc.errors import GraphsvcError, ImportRejected

__all__ = ["import_command", "export_command", "register"]


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
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_pos=True)
            self.bar.__enter__()
        step = min(done, self.bar.length) - self.shown
        if step > 0:
            self.bar.update(step)
            self.shown += step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_rejected(exc: ImportRejected) -> None:
    click.echo(f"graphsvc: {exc.message_nl}\ngraphsvc: {exc.message_en}", err=True)
    for problem in exc.extra.get("errors") or exc.extra.get("problems") or []:
        click.echo(f"  - {problem['message_nl']}\n    {problem['message_en']}", err=True)


def _print_report(report: dict[str, Any]) -> None:
    title = ("Proefimport: er is niets geschreven / dry run: nothing was written"
             if report["dry_run"] else "Import klaar / import done")
    click.echo(title)
    click.echo(f"{'tabel/table':14} {'nieuw/new':>10} {'gewijzigd/upd':>14} {'gelijk/same':>12}")
    for table in report["created"]:
        click.echo(f"{table:14} {report['created'][table]:>10} {report['updated'][table]:>14} "
                   f"{report['unchanged'][table]:>12}")
    for key, version in report["versions"].items():
        click.echo(f"versie/version {key}: {version}")
    for notice in report["notices"]:
        click.echo(f"  ! {notice['message_nl']} / {notice['message_en']}")


@click.command("import")
@click.option("--proeftuin", "proeftuin", metavar="KEY",
              help="Proeftuin to import into (rows with an empty proeftuin column go here).")
@click.option("--all", "everything", is_flag=True,
              help="No single proeftuin: each row's proeftuin column decides; a JSON export of "
                   "everything also recreates its proeftuinen.")
@click.option("--dry-run", is_flag=True, help="Check everything and report; write nothing.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(proeftuin: str | None, everything: bool, dry_run: bool,
                   files: tuple[Path, ...]) -> None:
    """Importeer bestanden / import files: CSV tables (named actors.csv, ties.csv, ...), or one
    XLSX, JSON or zip file. All or nothing: on any problem nothing is written and every
    problem is listed (exit code 1).
    """
    from graphsvc import importer
    from graphsvc.extensions import store

    if bool(proeftuin) == everything:
        raise click.UsageError("give either --proeftuin KEY or --all")
    uploads = [(path.name, path.read_bytes()) for path in files]
    parsing, writing = _Progress("lezen/reading"), _Progress("schrijven/writing")
    try:
        report = importer.import_files(store(), files=uploads, proeftuin=proeftuin,
                                       dry_run=dry_run, parse_progress=parsing,
                                       write_progress=writing)
    except ImportRejected as exc:
        parsing.close()
        writing.close()
        _print_rejected(exc)
        sys.exit(1)
    except GraphsvcError as exc:
        parsing.close()
        writing.close()
        click.echo(f"graphsvc: {exc.message_nl}\ngraphsvc: {exc.message_en}", err=True)
        sys.exit(1)
    parsing.close()
    writing.close()
    _print_report(report.as_json())


@click.command("export")
@click.option("--proeftuin", "proeftuin", metavar="KEY", help="Export this proeftuin.")
@click.option("--all", "everything", is_flag=True, help="Export every proeftuin.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "graphml", "gexf"]),
              default="json", show_default=True)
@click.option("--delimiter", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="CSV only; ';' for Dutch Excel.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write ('-' for standard output).")
@with_appcontext
def export_command(proeftuin: str | None, everything: bool, fmt: str, delimiter: str,
                   output: Path) -> None:
    """Exporteer / export one proeftuin or everything (the file holds names)."""
    from graphsvc import exporter
    from graphsvc.extensions import store

    if bool(proeftuin) == everything:
        raise click.UsageError("give either --proeftuin KEY or --all")
    try:
        made = exporter.export(store(), fmt, proeftuin, delimiter)
    except GraphsvcError as exc:
        click.echo(f"graphsvc: {exc.message_nl}\ngraphsvc: {exc.message_en}", err=True)
        sys.exit(1)
    if str(output) == "-":
        sys.stdout.buffer.write(made.data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(made.data)
    click.echo(f"Geschreven / written: {output} ({len(made.data):,} bytes, {fmt})", err=True)


def register(group: click.Group) -> None:
    """Add ``import`` and ``export`` to the ``graphsvc`` command group."""
    group.add_command(import_command)
    group.add_command(export_command)
