"""``cxlisten summaries refresh``: build the console's stored summaries ahead of its visitors."""

from __future__ import annotations

import click

from cxlisten import summaries
from cxlisten.cli import cli
from cxlisten.cli.options import Moment, existing_db_option, site_named


@cli.group(name="summaries")
def summaries_group():
    """The stored summaries the console reads (finished days' diagnoses, rules' outcomes)."""


@summaries_group.command(name="refresh")
@existing_db_option
@click.option("--site", "site_key", help="Site key (default: every site).")
@click.option(
    "--days",
    default=summaries.DAYS,
    show_default=True,
    type=click.IntRange(1, 366),
    help="How many finished days, back from yesterday, to summarise.",
)
@click.option(
    "--until",
    type=Moment(),
    help="Summarise the days before this one (default: today, UTC).",
)
def refresh_command(db, site_key, days, until):
    """Store what the console's pages would otherwise count on their first visit.

    Counts only what is not stored yet or changed since, so it is cheap to run again: from
    cron after midnight, after an upgrade, after importing old events. A collector also runs
    it for each site once a day on its own, after the first batch of the day.
    """
    done = (
        [summaries.refresh(db, site_named(db, site_key), days=days, now_ms=until)]
        if site_key
        else summaries.refresh_all(db, days=days, now_ms=until)
    )
    for r in done:
        click.echo(
            f"site {r.site}: {r.days} days with sessions summarised, outcomes of {r.rules} "
            f"rules ({r.outcomes} worked out now), results of {r.surveys} surveys, "
            f"{r.seconds:.1f} s"
        )
