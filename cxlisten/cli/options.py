"""Options shared by many commands, bundled as decorators."""

from __future__ import annotations

import functools

import click

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.moments import BadMoment, to_ms
from cxlisten.sites import pick_site, site_for_key
from cxlisten.storage.db import database_exists, open_database

db_option = click.option(
    "--db",
    "db_path",
    envvar=["CXLISTEN_DATABASE_URL", "CXLISTEN_DB"],
    default="cxlisten.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite database file, or a postgresql:// URL (env CXLISTEN_DATABASE_URL or CXLISTEN_DB).",
)


def existing_db_option(fn):
    """--db that must name an existing database; passes ``db`` (opened, migrated)."""

    @db_option
    @functools.wraps(fn)
    def wrapper(db_path, **kwargs):
        if not database_exists(db_path):
            raise click.ClickException(
                f"no database at {db_path}: create one with `cxlisten init --db {db_path}`"
            )
        return fn(db=open_database(db_path), **kwargs)

    return wrapper


def site_named(db, key: str):
    """Return the site with KEY (the library's one lookup), or stop with one readable line."""
    try:
        return site_for_key(db, key)
    except NotFound:
        raise click.ClickException(f"no site with key {key}") from None


def site_option(fn):
    """--site KEY (default: the only site, if there is one); passes ``site``."""

    @click.option("--site", "site_key", help="Site key (default: the database's only site).")
    @functools.wraps(fn)
    def wrapper(site_key, **kwargs):
        try:
            site = site_named(kwargs["db"], site_key) if site_key else pick_site(kwargs["db"])
        except InvalidInput as exc:  # not exactly one site: say how to name one here
            raise click.ClickException(f"{exc.message} with --site KEY") from None
        return fn(site=site, **kwargs)

    return wrapper


class Moment(click.ParamType):
    """A date or date-time (ISO 8601, UTC unless it says otherwise), as ms since the epoch."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return to_ms(value)
        except BadMoment as exc:
            if exc.reason == "range":
                self.fail(f"{value!r} is out of range (1970 to 9999)", param, ctx)
            self.fail(f"{value!r} is not a date like 2026-11-01 or 2026-11-01T12:00", param, ctx)


def window_options(fn):
    """--since/--until as ms epoch (``since``, ``until``; None when not given)."""
    fn = click.option("--until", type=Moment(), help="End of the window (exclusive), UTC.")(fn)
    fn = click.option("--since", type=Moment(), help="Start of the window, UTC.")(fn)
    return fn
