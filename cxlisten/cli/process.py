"""``cxlisten process template|scores``: score processes on four dimensions and track them."""

from __future__ import annotations

import json

import click

from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import output_options, table, write_csv, write_json


@cli.group(name="process")
def process_group():
    """Process scores: convenience, responsiveness, reliability, relevance per process."""


@process_group.command(name="template")
@click.argument("process")
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="PATTERN",
    help="A page that ends the process (repeatable; checkout, support, signup have their own).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the survey file here (default: print it).",
)
def process_template(process, urls, out):
    """Write the survey scoring PROCESS (checkout, support, signup, or any name with --url).

    Add it with `cxlisten surveys add FILE`; `cxlisten process scores` reports its answers.
    """
    from cxlisten.process_scores import template

    text = json.dumps(template(process, urls=list(urls) or None), ensure_ascii=False, indent=2)
    if not out:
        return click.echo(text)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    click.echo(f"Wrote {out} (survey process-{process})")


@process_group.command(name="scores")
@click.argument("surveys", nargs=-1)
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=click.IntRange(1, 366),
    help="Length of a trend period (7: weeks from Monday).",
)
@existing_db_option
@site_option
@window_options
@output_options
def process_scores_command(surveys, days, db, site, since, until, as_json, as_csv):
    """Each process's four scores with 95% intervals and their trend, compared across processes.

    SURVEYS: the process surveys to report (default: every survey asking the four dimensions).
    """
    from cxlisten.process_scores import process_scores

    report = process_scores(db, site, list(surveys) or None, days=days, since=since, until=until)
    if as_json:
        return write_json(report)
    rows = [
        {
            "process": p.process,
            "dimension": d.dimension,
            "mean": d.mean,
            "low": d.low,
            "high": d.high,
            "n": d.n,
            "trend": d.trend,
            "change": d.change,
            "change_low": d.change_low,
            "change_high": d.change_high,
        }
        for p in report.processes
        for d in p.dimensions
    ]
    if as_csv:
        return write_csv(rows, list(rows[0]) if rows else ["process", "dimension"])
    for sentence in report.sentences:
        click.echo(sentence)
    if rows:
        click.echo()
        table(
            [
                {
                    **r,
                    "mean": "-" if r["mean"] is None else f"{r['mean']:.2f}",
                    "ci": "-" if r["low"] is None else f"{r['low']:.2f}–{r['high']:.2f}",
                    "change": "-"
                    if r["change"] is None
                    else f"{r['change']:+.2f} ({r['change_low']:+.2f} … {r['change_high']:+.2f})",
                }
                for r in rows
            ],
            [
                ("process", "process"),
                ("dimension", "dimension"),
                ("mean", "mean of 5"),
                ("ci", "95% CI"),
                ("n", "answers"),
                ("change", "latest period vs before"),
                ("trend", "trend"),
            ],
        )
