"""``cxlisten speed``: real-user page speed per page and journey step, and how it feels."""

from __future__ import annotations

import click

from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import clean, output_options, pct, table, write_csv, write_json
from cxlisten.speed import SpeedReport, say, speed_and_feelings, speed_report
from cxlisten.vitals import METRICS


@cli.command(name="speed")
@existing_db_option
@site_option
@window_options
@click.option(
    "--min-views",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="Fewest measured page views for a page (or a segment of it) to be shown.",
)
@click.option("--survey", help="Also: how the answers to this survey differ by the page's speed.")
@click.option("--question", help="With --survey: the question whose answers are compared.")
@click.option("--page", help="With --survey: the page pattern whose speed splits the visitors.")
@click.option(
    "--metric",
    default="lcp",
    show_default=True,
    type=click.Choice(METRICS),
    help="With --survey: the metric that splits them.",
)
@click.option(
    "--over",
    type=click.FloatRange(0),
    help="With --survey: slow means over this (ms, or the CLS score); default: the metric's "
    "'poor' threshold.",
)
@click.option("--journey", help="With --survey: also compare how often this journey is finished.")
@output_options
def speed_command(
    db,
    site,
    since,
    until,
    min_views,
    survey,
    question,
    page,
    metric,
    over,
    journey,
    as_json,
    as_csv,
):
    """Page speed as visitors saw it: p75 per page, ratings, slow steps, and with --survey the
    answers and completion by speed band."""
    if survey and not (question and page):
        raise click.UsageError("--survey needs --question and --page")
    if not survey and (question or page or journey or over is not None):
        raise click.UsageError("--question, --page, --over and --journey go with --survey")
    report = speed_report(db, site, since, until, min_views=min_views)
    feelings = (
        speed_and_feelings(
            db,
            site,
            survey,
            question,
            page,
            metric=metric,
            over=over,
            journey=journey,
            since=since,
            until=until,
        )
        if survey
        else None
    )
    if as_json:
        return write_json({"speed": report, "feelings": feelings} if feelings else report)
    rows = _rows(report)
    if as_csv:
        return write_csv(rows, list(rows[0]) if rows else ["page", "split", "segment", "views"])
    _print(report, rows)
    if feelings:
        click.echo(f"\n{clean(feelings.summary)}")


def _rows(report: SpeedReport) -> list[dict]:
    out = []
    for p in report.pages:
        row = {
            "page": p.page,
            "steps": ", ".join(p.steps),
            "split": p.split,
            "segment": p.segment,
            "views": p.views,
        }
        for m in METRICS:
            f = p.metric(m)
            row[f"{m}_p75"] = f.p75 if f else None
            row[f"{m}_rating"] = f.rating if f else None
            row[f"{m}_poor"] = f.poor if f else None
        out.append(row)
    return out


def _print(report: SpeedReport, rows: list[dict]) -> None:
    click.echo(f"{report.page_views:,} measured page views (p75 of each metric; % poor)\n")
    table(
        [
            {
                "page": r["page"] if r["split"] == "all" else "  " + r["segment"],
                "views": f"{r['views']:,}",
                **{
                    m: "-"
                    if r[f"{m}_p75"] is None
                    else f"{say(m, r[f'{m}_p75'])} ({pct(r[f'{m}_poor'])})"
                    for m in METRICS
                },
            }
            for r in rows
            if r["split"] != "connection"
        ],
        [("page", "page / device"), ("views", "views"), *((m, m.upper()) for m in METRICS)],
    )
    if report.slow_steps:
        click.echo("\nSlow steps")
        for s in report.slow_steps:
            click.echo(f"- {clean(s.evidence)}" + (f" [{', '.join(s.steps)}]" if s.steps else ""))
    else:
        click.echo("\nNo slow step: no page's p75 is poor for any device.")
