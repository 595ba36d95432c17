"""``cxlisten import KIND FILE.csv --key customer_id``: operational records, from CSV."""

from __future__ import annotations

import click

from cxlisten import operational
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option

SHOWN_ERRORS = 20  # bad rows listed one per line; the rest counted


@cli.command(name="import")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", default="customer_id", show_default=True, help="Customer id column.")
@click.option(
    "--record-key", default="id", show_default=True, help="Column naming each record (idempotence)."
)
@click.option("--time", "time_column", default="time", show_default=True, help="Time column.")
@existing_db_option
@site_option
def import_command(kind, file, key, record_key, time_column, db, site):
    """Import KIND records (order, ticket, subscription, any name) from a CSV file.

    Columns: the customer id (--key), the record key, the time (ISO 8601, UTC unless it says
    otherwise, or ms since 1970), optional `amount` and `status`; every other column is kept as
    a free attribute. Bad rows are listed by line and column, good ones kept; importing the same
    file again changes nothing.
    """
    result = operational.import_csv(
        db, site, kind, file, key=key, record_key=record_key, time=time_column
    )
    for bad in result.errors[:SHOWN_ERRORS]:
        for column, messages in bad["errors"].items():
            click.echo(f"{file}:{bad['line']}: {column}: {' '.join(messages)}", err=True)
    if len(result.errors) > SHOWN_ERRORS:
        click.echo(f"... and {len(result.errors) - SHOWN_ERRORS} more bad rows", err=True)
    click.echo(
        f"{result.kind}: {result.inserted} inserted, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.errors)} rejected"
    )
    if result.errors and not (result.inserted or result.updated or result.unchanged):
        raise SystemExit(1)
