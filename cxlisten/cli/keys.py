"""``cxlisten keys``: create, list and revoke admin keys, each scoped to a site or an operator's."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from cxlisten import identity
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_named
from cxlisten.storage import sites as site_store


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")


@cli.group(name="keys")
def keys_group():
    """Admin keys: each reaches one site, or (operator) every site."""


@keys_group.command(name="create")
@existing_db_option
@click.option("--site", "site_key", help="Site key the new key is scoped to.")
@click.option("--operator", is_flag=True, help="Make an operator's key, for every site.")
@click.option("--name", default="console", show_default=True, help="A name to tell keys apart.")
def create_command(db, site_key, operator, name):
    """Create an admin key (shown once; only its hash is stored)."""
    if bool(site_key) == operator:
        raise click.ClickException("give exactly one of --site KEY or --operator")
    site = site_named(db, site_key) if site_key else None
    key = identity.create_admin_key(db, name, site_id=site.id if site else None)
    scope = f"site {site.key} ({site.name}) only" if site else "operator: every site"
    click.echo(f"Admin key: {key}")
    click.echo(f"Scope:     {scope}")
    click.echo("           (shown once; only its hash is stored)")


@keys_group.command(name="list")
@existing_db_option
def list_command(db):
    """Every admin key with its id, name, scope and state (never the key itself)."""
    sites = {s.id: s for s in site_store.list_sites(db)}
    rows = site_store.list_admin_keys(db)
    if not rows:
        click.echo("No admin keys.")
    for row in rows:
        scope = "operator" if row.site_id is None else f"site {sites[row.site_id].key}"
        state = f"revoked {_when(row.revoked_at)}" if row.revoked_at else "current"
        click.echo(
            f"{row.id:>4}  {row.name:<24} {scope:<24} created {_when(row.created_at)}  {state}"
        )


@keys_group.command(name="revoke")
@existing_db_option
@click.argument("key_id", type=int)
def revoke_command(db, key_id):
    """Revoke key KEY_ID (from `cxlisten keys list`); its console sessions end too."""
    identity.revoke_admin_key(db, key_id)
    click.echo(f"Revoked admin key {key_id}.")
