"""``cxlisten export NAME --out FILE``: the analyst exports, from the command line."""

from __future__ import annotations

import click

from cxlisten import export
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import progress


def _format_for(out: str, given: str | None) -> str:
    if given:
        return given
    return "jsonl" if out.lower().endswith((".jsonl", ".ndjson")) else "csv"


@cli.command(
    name="export",
    help="Export NAME as CSV or JSON Lines, streamed in constant memory.\n\n"
    f"NAME is one of: {', '.join(export.EXPORTS)}. Every column is described in "
    "docs/exports.md.",
)
@click.argument("name", type=click.Choice(list(export.EXPORTS)), metavar="NAME")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (- for standard output). Written whole or not at all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.FORMATS),
    help="csv (RFC 4180, UTF-8), excel (csv with a BOM for Excel) or jsonl "
    "[default: jsonl for *.jsonl, else csv].",
)
@existing_db_option
@site_option
@click.option("--survey", help="Survey id (responses, answers, survey-report).")
@window_options
@click.option(
    "--journey",
    metavar="STEPS",
    help="Sessions that visited these pages in order: '/cart > /checkout*'.",
)
@click.option("--bots", is_flag=True, help="Include traffic classified as bots.")
@click.option("--channel", help="Responses answered there: web, link, qr, email or a link's src.")
@click.option("--device", help="Responses from desktop, mobile or tablet (responses, answers).")
@click.option("--locale", help="Responses in this locale, such as zh-CN (responses, answers).")
@click.option("--version", "survey_version", type=int, help="Responses to this survey version.")
@click.option("--completion", help="complete or partial responses only (responses, answers).")
@click.option(
    "--answer",
    metavar="QUESTION:VALUE",
    help="Responses that gave this answer, such as reason:price (responses, answers).",
)
def export_command(
    name, out, fmt, db, site, survey, since, until, journey, bots, **response_filters
):
    """Write one export to a file."""
    fmt = _format_for(out, fmt)
    response_filters["version"] = response_filters.pop("survey_version")
    filters = {
        "site": site.key,
        "survey": survey,
        "since": since,
        "until": until,
        "journey": journey,
        "bots": bots or None,
        **response_filters,
    }
    table = export.open_export(db, name, filters)
    with progress(None if out != "-" else 0, f"Exporting {name}") as tell:
        rows = export.write_file(table, out, fmt, progress=tell)
    if out != "-":
        click.echo(f"Wrote {rows} rows of {name} to {out} ({fmt})")
    else:
        click.echo(f"{rows} rows of {name}", err=True)
