"""``cxlisten surveys duplicate``, ``surveys draft ...`` and ``surveys share ...``: what the
console and the admin API do to a survey, with the same library functions."""

from __future__ import annotations

import json

import click

from cxlisten import surveys
from cxlisten.cli.options import existing_db_option, site_option
from cxlisten.cli.surveys import _located, _when, surveys_group
from cxlisten.errors import InvalidInput
from cxlisten.settings import load_settings
from cxlisten.surveys import drafts, shares
from cxlisten.surveys.duplicate import duplicate_survey


@surveys_group.command(name="duplicate")
@click.argument("survey_id")
@existing_db_option
@site_option
def duplicate_command(survey_id, db, site):
    """Copy SURVEY_ID under a free id (SURVEY_ID-copy): version 1, paused."""
    copy = duplicate_survey(db, site, survey_id)
    click.echo(f"Survey {copy.slug!r} created from {survey_id!r} ({copy.status}, version 1)")


@surveys_group.group(name="draft")
def draft_group():
    """Drafts: saved apart from what visitors see, then published (or discarded)."""


@draft_group.command(name="save")
@click.argument("survey_id")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@existing_db_option
@site_option
def draft_save_command(survey_id, path, db, site):
    """Keep the definition in PATH as the draft of SURVEY_ID (visitors see no change)."""
    saved = drafts.save_definition_draft(db, site, survey_id, surveys.read_definition_file(path))
    state = "valid" if not saved.errors else f"{len(saved.errors)} problems"
    click.echo(f"Draft of {survey_id!r} saved ({state}); publish it with `surveys draft publish`")
    for field, messages in saved.errors.items():
        click.echo(f"  {field}: {'; '.join(messages)}")


@draft_group.command(name="show")
@click.argument("survey_id")
@existing_db_option
@site_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def draft_show_command(survey_id, db, site, as_json):
    """Show the saved draft of SURVEY_ID: when it was saved, its errors and its text."""
    info = drafts.draft_summary(drafts.get_draft(db, site, survey_id))
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    live = info["published_version"]
    click.echo(
        f"Draft of {survey_id!r}, saved {_when(info['saved_at'])}; "
        f"published: {'version ' + str(live) if live else 'not yet'}"
    )
    click.echo("valid" if info["valid"] else f"{len(info['errors'])} problems:")
    for field, messages in info["errors"].items():
        click.echo(f"  {field}: {'; '.join(messages)}")
    click.echo(info["text"].rstrip("\n"))


@draft_group.command(name="publish")
@click.argument("survey_id")
@existing_db_option
@site_option
def draft_publish_command(survey_id, db, site):
    """Publish the draft of SURVEY_ID (a new version when the live one has responses)."""
    try:
        survey, what = drafts.publish_draft(db, site, survey_id)
    except InvalidInput as exc:
        raise _located(exc, f"draft of {survey_id}") from None
    click.echo(f"Survey {survey.slug!r} {what}: version {survey.version}")


@draft_group.command(name="discard")
@click.argument("survey_id")
@existing_db_option
@site_option
def draft_discard_command(survey_id, db, site):
    """Drop the draft of SURVEY_ID; the published survey is untouched."""
    drafts.discard_draft(db, site, survey_id)
    click.echo(f"Draft of {survey_id!r} discarded")


@surveys_group.group(name="share")
def share_group():
    """Read-only share links of a survey's results (signed, expiring, revocable)."""


@share_group.command(name="create")
@click.argument("survey_id")
@existing_db_option
@site_option
@click.option(
    "--question", "questions", multiple=True, required=True, help="A question the page shows."
)
@click.option("--hours", type=int, default=24, show_default=True, help="Lifetime in hours.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME=VALUE",
    help="A results filter, as on the page: device=mobile, answer=reason:price, ...",
)
@click.option("--url", "base_url", help="The collector's public address [default: public_url].")
def share_create_command(survey_id, db, site, questions, hours, filters, base_url):
    """Make a share link of SURVEY_ID's results; print its URL (shown only this once)."""
    base = base_url or load_settings().public_url
    if not base:
        raise click.ClickException("give --url https://COLLECTOR or set public_url")
    wanted = {}
    for item in filters:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--filter {item!r}: write NAME=VALUE")
        wanted[name.strip()] = value.strip()
    body = {"questions": list(questions), "hours": hours, "filters": wanted}
    try:
        token, share = shares.share_from_request(db, site, survey_id, body)
    except InvalidInput as exc:
        raise _located(exc, "share link") from None
    click.echo(f"{base.rstrip('/')}/console/shared/{token}")
    click.echo(f"share {share.id}: {', '.join(share.questions)}; expires {_when(share.expires_at)}")


@share_group.command(name="list")
@click.argument("survey_id")
@existing_db_option
@site_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def share_list_command(survey_id, db, site, as_json):
    """List SURVEY_ID's share links: questions, filters, expiry, revoked or live."""
    rows = [shares.share_summary(s) for s in shares.shares_of_survey(db, site, survey_id)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"No share links of {survey_id!r}")
    for r in rows:
        state = "live" if r["live"] else ("revoked" if r["revoked_at"] else "expired")
        query = " ".join(f"{k}={v}" for k, v in r["filters"].items()) or "no filters"
        click.echo(
            f"{r['id']:>4} {state:<8} until {_when(r['expires_at'])}  "
            f"{','.join(r['questions'])}  ({query})"
        )


@share_group.command(name="revoke")
@click.argument("survey_id")
@click.argument("share_id", type=int)
@existing_db_option
@site_option
def share_revoke_command(survey_id, share_id, db, site):
    """Revoke share link SHARE_ID of SURVEY_ID: it answers 410 from now on."""
    if not any(s.id == share_id for s in shares.shares_of_survey(db, site, survey_id)):
        raise click.ClickException(f"no share link {share_id} of {survey_id!r}")
    shares.revoke_share(db, site, share_id)
    click.echo(f"Share link {share_id} of {survey_id!r} revoked")
