"""``cxlisten import KIND FILE.csv --key customer_id``: operational records, from CSV."""

from __future__ import annotations

import json

import click

from cxlisten import operational, segments
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


@cli.group(name="segments")
def segments_group():
    """Experience scores by operational segment and by channel."""


def _print(rows: list[dict], as_json: bool, line) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(line(row))


def _score(part: dict | None, scale: float = 1.0, unit: str = "") -> str:
    if not part or part.get("value") is None:
        return "-"
    value = part["value"] * scale
    low, high = part.get("low"), part.get("high")
    span = f" [{low * scale:.1f}, {high * scale:.1f}]" if low is not None else ""
    return f"{value:.1f}{unit}{span} n={part['n']}"


def _bands(text: str) -> tuple[float, ...]:
    try:
        edges = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise click.BadParameter("numbers separated by commas, like 50,200,1000") from None
    if not edges or any(e <= 0 for e in edges) or len(set(edges)) != len(edges):
        raise click.BadParameter("distinct positive numbers, like 50,200,1000")
    return edges


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@segments_group.command(name="nps-by-order-value")
@click.option("--bands", default="50,200,1000", show_default=True, help="Upper band edges.")
@json_option
@existing_db_option
@site_option
def nps_by_order_value_command(bands, as_json, db, site):
    """NPS of customers, per band of their total order value."""
    rows = segments.nps_by_order_value(db, site, _bands(bands))
    _print(rows, as_json, lambda r: f"{r['band']:>18}  NPS {_score(r['nps'])}")


@segments_group.command(name="csat-by-open-ticket")
@json_option
@existing_db_option
@site_option
def csat_by_open_ticket_command(as_json, db, site):
    """CSAT (share of 4-5 of 5) of customers with an open ticket against those without."""
    rows = segments.csat_by_open_ticket(db, site)
    _print(
        rows,
        as_json,
        lambda r: f"{r['segment']:>15}  CSAT {_score(r['satisfied'], 100, '%')}",
    )


@segments_group.command(name="journey-revenue")
@json_option
@existing_db_option
@site_option
def journey_revenue_command(as_json, db, site):
    """Each named journey's outcomes (completed, abandoned) against the customers' revenue."""
    rows = segments.journey_revenue(db, site)
    _print(
        rows,
        as_json,
        lambda r: (
            f"{r['journey']:>14} {r['outcome']:>9}: {r['customers']} customers, "
            f"{r['orders']} orders, revenue {r['revenue']:.2f}"
            + (f" ({r['revenue_per_customer']:.2f} each)" if r["customers"] else "")
        ),
    )


@segments_group.command(name="channels")
@click.option("--survey", help="Only this survey's responses.")
@json_option
@existing_db_option
@site_option
def channels_command(survey, as_json, db, site):
    """Responses and scores per channel: web intercept, hosted link, QR code, e-mail..."""
    rows = segments.channels(db, site, survey)
    _print(
        rows,
        as_json,
        lambda r: (
            f"{r['label']:>14}: {r['responses']} responses, {r['complete']} complete"
            + (f", NPS {_score(r['nps'])}" if "nps" in r else "")
            + (f", CSAT {_score(r['csat']['satisfied'], 100, '%')}" if "csat" in r else "")
        ),
    )
