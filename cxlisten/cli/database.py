"""``cxlisten db``: move a deployment between a SQLite file and PostgreSQL."""

from __future__ import annotations

import click

from cxlisten.cli import cli
from cxlisten.storage.copy import TableCopy, copy_database
from cxlisten.storage.db import database_exists, open_database, redact


@cli.group(name="db")
def db_group():
    """Manage the database itself (copy it to another engine)."""


@db_group.command(name="copy")
@click.option(
    "--from", "source", required=True, help="Database to read: a file or postgresql:// URL."
)
@click.option("--to", "destination", required=True, help="Database to fill: a file or URL.")
def copy_command(source, destination):
    """Copy every row from one database to another, checking the counts table by table.

    Either end may be a SQLite file or a postgresql:// URL. Run it again after an interruption:
    rows already copied are skipped, the rest added, none twice. Copy into an empty database,
    with no collector writing to the source.
    """
    if source == destination:
        raise click.ClickException("--from and --to name the same database")
    if not database_exists(source):
        raise click.ClickException(f"no database at {redact(source)}")
    src, dst = open_database(source), open_database(destination)

    def report(t: TableCopy) -> None:
        mark = "ok" if t.complete else "MISMATCH"
        click.echo(f"{t.table:<24} {t.source:>10} -> {t.destination:>10} (+{t.added}) {mark}")

    outcome = copy_database(src, dst, report)
    wrong = [t.table for t in outcome if not t.complete]
    if wrong:
        raise click.ClickException(
            f"counts differ for {', '.join(wrong)}: was the destination empty, and the source idle?"
        )
    total = sum(t.destination for t in outcome)
    click.echo(f"Copied {redact(source)} to {redact(destination)}: {total} rows, counts equal.")
