"""``cxlisten customers ...`` (identity secret, profile, erase) and ``cxlisten surveys link``."""

from __future__ import annotations

import json

import click

from cxlisten import customers
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option
from cxlisten.cli.surveys import surveys_group
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.identity import deployment_secret
from cxlisten.settings import load_settings
from cxlisten.survey_links import hosted_link, write_qr


@cli.group(name="customers")
def customers_group():
    """Customers: one person across devices (identify), their profile, erasure."""


@customers_group.command(name="secret")
@existing_db_option
@site_option
@click.option("--rotate", is_flag=True, help="Replace it: signatures made with the old one fail.")
def secret_command(db, site, rotate):
    """Print the site identity secret the site's backend signs customer ids with."""
    value = (
        customers.rotate_identity_secret(db, site)
        if rotate
        else customers.identity_secret(db, site)
    )
    click.echo(value)


@customers_group.command(name="sign")
@click.argument("customer")
@existing_db_option
@site_option
def sign_command(customer, db, site):
    """Print CUSTOMER's identify signature (what the site's backend computes; for testing)."""
    click.echo(customers.sign(customers.identity_secret(db, site), customer))


@customers_group.command(name="show")
@click.argument("customer")
@existing_db_option
@site_option
def show_command(customer, db, site):
    """Print CUSTOMER's profile across devices (JSON), with the operational summary."""
    data = customers.customer_profile(db, site, customer)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@customers_group.command(name="erase")
@click.argument("customer")
@existing_db_option
@site_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(customer, db, site, yes):
    """Erase every linked visitor's data and CUSTOMER's operational records."""
    if not yes:
        click.confirm(f"Erase everything about customer {customer} on {site.name}?", abort=True)
    erased = customers.erase_customer(db, site, customer)
    detail = ", ".join(f"{n} {table}" for table, n in erased.items() if n)
    click.echo(f"Erased customer {customer}: {detail}")


@surveys_group.command(name="link")
@click.argument("survey")
@existing_db_option
@site_option
@click.option("--source", help="Channel to tag answers with: qr, email, link, or any name.")
@click.option(
    "--qr",
    "qr_path",
    type=click.Path(dir_okay=False),
    help="Also write the link's QR code to this .svg or .png file.",
)
@click.option("--customer", help="Make a personal link: answers land on this customer.")
@click.option("--expires", default="14d", show_default=True, help="Personal link lifetime.")
@click.option("--url", "base_url", help="The collector's public address [default: public_url].")
def link_command(survey, db, site, source, qr_path, customer, expires, base_url):
    """Print the hosted page's link for SURVEY (and write its QR code)."""
    settings = load_settings()
    base = base_url or settings.public_url or ""
    try:
        link = hosted_link(
            db,
            site,
            survey,
            base,
            secret=deployment_secret(db, settings.secret),
            source=source,
            customer=customer,
            expires=expires,
        )
        if qr_path:
            write_qr(link, qr_path)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    except InvalidInput as exc:
        if not base and "url" in exc.fields:
            raise click.ClickException("give --url https://COLLECTOR or set public_url") from None
        detail = "; ".join(f"--{k}: {m}" for k, ms in exc.fields.items() for m in ms)
        raise click.ClickException(f"{exc.message}: {detail}") from None
    click.echo(link)
    if qr_path:
        click.echo(f"QR code written to {qr_path}", err=True)
