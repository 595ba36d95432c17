"""``cxlisten init``, ``rejected`` and ``sites`` (``serve`` and ``demo`` run the collector: see
``collector.cli``)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from cxlisten import sites
from cxlisten.cli import cli
from cxlisten.cli.options import db_option, existing_db_option, site_named
from cxlisten.identity import create_admin_key
from cxlisten.storage.db import database_exists, open_database


@cli.command(name="init")
@db_option
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Origin allowed to send events (repeatable), e.g. https://shop.example.",
)
@click.option("--name", default="My site", show_default=True, help="Site name.")
@click.option(
    "--collector-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Where the collector will be reachable, for the script tag.",
)
def init_command(db_path, origins, name, collector_url):
    """Create the database, a site and an admin key (shown once)."""
    fresh = not database_exists(db_path)
    db = open_database(db_path)
    site = sites.create_site(db, name, list(origins))
    key = create_admin_key(db, name=f"init {site.key}")
    click.echo(f"{'Created' if fresh else 'Updated'} {db_path}")
    click.echo(f"Site key:  {site.key}")
    click.echo(f"Origins:   {', '.join(site.origins) or '(none yet: only same-origin pages)'}")
    click.echo(f"Admin key: {key}")
    click.echo("           (shown once; only its hash is stored)")
    click.echo("\nPaste into every page, before </head>:\n")
    click.echo("  " + sites.snippet_tag(collector_url, site))


@cli.command(name="rejected")
@existing_db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
def rejected_command(db, limit):
    """Show the newest payloads the collector refused, with the reasons."""
    from cxlisten.storage import rejected

    rows = rejected.recent(db, limit)
    if not rows:
        click.echo("No rejected payloads.")
    for row in rows:
        when = datetime.fromtimestamp(row["received_at"] / 1000, UTC).isoformat(timespec="seconds")
        where = f" event {row['index']}" if row["index"] is not None else ""
        click.echo(f"{when} {row['endpoint']}{where}")
        for path, messages in row["errors"].items():
            click.echo(f"    {path}: {'; '.join(messages)}")
        click.echo(f"    payload: {row['payload'][:200]}")


@cli.group(name="sites")
def sites_group():
    """List the database's sites and change their settings."""


@sites_group.command(name="list")
@existing_db_option
def sites_list_command(db):
    """Show every site: key, name, origins, Do Not Track, contact budget."""
    from cxlisten.storage import sites as site_store

    for site in site_store.list_sites(db):
        click.echo(_describe_site(site))


@sites_group.command(name="update")
@existing_db_option
@click.argument("key")
@click.option("--name", help="New name.")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="Allowed origin (repeatable); replaces the list. `*` allows any.",
)
@click.option("--respect-dnt/--ignore-dnt", default=None, help="Honour DNT and GPC (default on).")
@click.option("--accent", help="Accent colour of the widget, #rgb or #rrggbb.")
@click.option(
    "--contact-sessions",
    type=click.IntRange(0, 100),
    help="Most surveys one visitor sees in a session (default: the deployment's setting).",
)
@click.option(
    "--contact-days",
    type=click.IntRange(0, 3650),
    help="Days after a survey before the visitor may see another (default: the setting).",
)
@click.option(
    "--allow-automation/--no-automation",
    default=None,
    help="Count browsers driven by test tools (Playwright, Selenium) as people: demos and "
    "staging sites only (default off).",
)
def sites_update_command(
    db, key, name, origins, respect_dnt, accent, contact_sessions, contact_days, allow_automation
):
    """Change a site's name, origins, Do Not Track choice, accent, budget or automation rule."""
    site = sites.update(
        db,
        site_named(db, key).key,
        name=name,
        origins=list(origins) or None,
        respect_dnt=respect_dnt,
        accent=accent,
        contact_sessions=contact_sessions,
        contact_days=contact_days,
        allow_automation=allow_automation,
    )
    click.echo(_describe_site(site))


def _describe_site(site) -> str:
    budget = (
        f"{_or_default(site.contact_sessions)} a session, "
        f"one per {_or_default(site.contact_days)} days"
    )
    return (
        f"{site.key}  {site.name}\n"
        f"    origins: {', '.join(site.origins) or '(same origin only)'}\n"
        f"    Do Not Track: {'honoured' if site.respect_dnt else 'ignored'}; "
        f"accent: {site.accent or 'default'}; contact budget: {budget}"
        + ("\n    automated browsers: counted as people" if site.allow_automation else "")
    )


def _or_default(value) -> str:
    return "(deployment setting)" if value is None else str(value)
