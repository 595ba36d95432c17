"""``cxlisten surveys ...`` (definitions from JSON files) and ``cxlisten visitors erase``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from cxlisten import surveys
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option
from cxlisten.errors import InvalidInput
from cxlisten.settings import load_settings
from cxlisten.surveys import admin
from cxlisten.surveys.profile import erase_visitor, profile


def _files(paths: tuple[str, ...]) -> list[Path]:
    """Expand directories into their *.json files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    if not out:
        raise click.ClickException("no definition files given (or none in the directories)")
    return out


def _located(exc: InvalidInput, where: str) -> click.ClickException:
    """Every error of EXC on its own line, as the API gives them."""
    lines = [f"{where}: {exc.message}"]
    for path, messages in exc.fields.items():
        lines.extend(f"  {path}: {m}" for m in messages)
    return click.ClickException("\n".join(lines))


def _when(ms: int | None) -> str:
    if not ms:
        return "-"
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M")


@cli.group(name="surveys")
def surveys_group():
    """Surveys and interventions: add from JSON files, list, show, pause, resume, archive, why."""


@surveys_group.command(name="validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate_command(paths):
    """Check definition files (or directories of them) without touching a database."""
    failed = []
    for path in _files(paths):
        try:
            definition = surveys.normalise(surveys.read_definition_file(path))
        except InvalidInput as exc:
            failed.append(_located(exc, str(path)).message)
            continue
        click.echo(f"{path}: {definition['kind']} {definition['id']!r} is valid")
    if failed:
        raise click.ClickException("\n".join(failed))


def _save(db, site, paths, mode: str) -> None:
    """Validate every file first, then store them all (add, update, or add-or-update)."""
    loaded = []
    problems = []
    for path in _files(paths):
        try:
            raw = surveys.read_definition_file(path)
            definition = surveys.normalise(raw)
        except InvalidInput as exc:
            problems.append(_located(exc, str(path)).message)
            continue
        exists = surveys.list_surveys(db, site, include_archived=True)
        known = {s.slug for s in exists}
        if mode == "add" and definition["id"] in known:
            problems.append(f"{path}: {definition['id']!r} exists already: use `surveys update`")
        elif mode == "update" and definition["id"] not in known:
            problems.append(f"{path}: no {definition['id']!r} yet: use `surveys add`")
        loaded.append((path, raw))
    if problems:
        raise click.ClickException("\n".join(problems))
    for path, raw in loaded:
        try:
            survey, what = surveys.save_survey(db, site, raw)
        except InvalidInput as exc:
            raise _located(exc, str(path)) from None
        click.echo(
            f"{what.capitalize()} {survey.kind} {survey.slug!r} "
            f"(version {survey.version}, {survey.status}) from {path}"
        )


@surveys_group.command(name="add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@existing_db_option
@site_option
@click.option("--replace", is_flag=True, help="Update definitions that exist already.")
def add_command(paths, db, site, replace):
    """Add surveys and interventions from JSON files (or directories of them).

    Every file is validated before any is stored; errors are listed one per line, located
    like questions[2].options.
    """
    _save(db, site, paths, "save" if replace else "add")


@surveys_group.command(name="update")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@existing_db_option
@site_option
def update_command(paths, db, site):
    """Replace definitions from files; a survey with responses gets a new version."""
    _save(db, site, paths, "update")


@surveys_group.command(name="list")
@existing_db_option
@site_option
@click.option("--all", "include_archived", is_flag=True, help="Include archived ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(db, site, include_archived, as_json):
    """List surveys and interventions, highest priority first, with response counts."""
    rows = [
        admin.summary(db, s)
        for s in surveys.list_surveys(db, site, include_archived=include_archived)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No surveys yet: add some with `cxlisten surveys add FILE.json`.")
        return
    header = (
        f"{'ID':<24} {'KIND':<12} {'STATUS':<8} {'VER':>3} {'PHASE':<8} {'PRIO':>4} "
        f"{'TRIGGER':<11} {'PARTIAL':>7} {'COMPLETE':>8}"
    )
    click.echo(header)
    for r in rows:
        counts = r.get("responses") or {}
        click.echo(
            f"{r['id']:<24} {r['kind']:<12} {r['status']:<8} {r['version']:>3} "
            f"{r['phase'] or '-':<8} {r['priority']:>4} {r['trigger']:<11} "
            f"{counts.get('partial', '-'):>7} {counts.get('complete', '-'):>8}"
        )


@surveys_group.command(name="show")
@click.argument("survey_id")
@existing_db_option
@site_option
@click.option("--version", type=click.IntRange(min=1), help="Show this version's definition.")
def show_command(survey_id, db, site, version):
    """Show a survey's status, versions, response counts and definition (JSON)."""
    survey = surveys.get_survey(db, site, survey_id)
    info = admin.detail(db, survey, version)
    click.echo(f"{info['kind'].capitalize()} {info['id']!r}: {info['name']}")
    click.echo(
        f"  status {info['status']}, version {info['version']}, priority "
        f"{info['priority']}, phase {info['phase'] or '-'}, journey {info['journey'] or '-'}"
    )
    versions = ", ".join(f"{v['version']} ({_when(v['created_at'])})" for v in info["versions"])
    click.echo(f"  versions: {versions}")
    if "responses" in info:
        counts = info["responses"]
        click.echo(f"  responses: {counts['complete']} complete, {counts['partial']} partial")
    click.echo(f"Definition (version {info['shown_version']}):")
    click.echo(json.dumps(info["definition"], ensure_ascii=False, indent=2))


def _status_command(verb: str, status: str):
    @surveys_group.command(name=verb, help=f"{verb.capitalize()} a survey or intervention.")
    @click.argument("survey_id")
    @existing_db_option
    @site_option
    def command(survey_id, db, site):
        survey = surveys.set_status(db, site, survey_id, status)
        click.echo(f"{survey.kind.capitalize()} {survey.slug!r} is {survey.status}")

    return command


pause_command = _status_command("pause", "paused")
resume_command = _status_command("resume", "active")
archive_command = _status_command("archive", "archived")


@surveys_group.command(name="why")
@existing_db_option
@site_option
@click.option("--visitor", required=True, help="Visitor id (as in exports) or visitor token.")
@click.option("--url", required=True, help="Page URL, e.g. https://shop.example/cart.")
@click.option(
    "--device",
    type=click.Choice(admin.DEVICE_KINDS),
    help="Device to assume [default: the visitor's latest session's].",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def why_command(db, site, visitor, url, device, as_json):
    """Why did (or didn't) each survey show for VISITOR on URL? Lists the deciding rule."""
    settings = load_settings()  # contact budget, session length and secret as the collector's
    result = admin.why_not(db, settings, _tokens(db, settings), site, visitor, url, device=device)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Visitor {result['visitor']} on {url} ({result['device']}, "
        f"{result['device_from']}{'' if result['known_visitor'] else '; never seen'})"
    )
    if not result["decisions"]:
        click.echo("  This site has no active or paused surveys.")
    for d in result["decisions"]:
        mark = "SHOWN  " if d["shown"] else "HIDDEN "
        click.echo(f"  {mark} {d['kind']:<12} {d['id']:<24} {d['reason']}")


def _tokens(db, settings=None):
    """Return the visitor-token signer with the collector's secret for DB."""
    from cxlisten.identity import VisitorTokens, deployment_secret

    return VisitorTokens(deployment_secret(db, (settings or load_settings()).secret))


@cli.group(name="visitors")
def visitors_group():
    """Visitors: show or erase everything kept about one."""


@visitors_group.command(name="show")
@click.argument("visitor")
@existing_db_option
@site_option
def show_visitor_command(visitor, db, site):
    """Print everything kept about VISITOR (id or token; JSON): attributes, responses, events."""
    visitor_id = admin.resolve_visitor(_tokens(db), site, visitor)
    data = profile(db, site, visitor_id)
    if not data["events"] and not data["responses"] and not data["attributes"]:
        raise click.ClickException(f"no data about visitor {visitor_id!r} on this site")
    click.echo(json.dumps({"visitor": visitor_id, **data}, ensure_ascii=False, indent=2))


@visitors_group.command(name="erase")
@click.argument("visitor")
@existing_db_option
@site_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(visitor, db, site, yes):
    """Erase VISITOR's (id or token) events, sessions, responses, answers and attributes."""
    visitor_id = admin.resolve_visitor(_tokens(db), site, visitor)
    if not yes:
        click.confirm(f"Erase everything about visitor {visitor_id} on {site.name}?", abort=True)
    erased = erase_visitor(db, site, visitor_id, must_exist=True)
    detail = ", ".join(f"{n} {table}" for table, n in erased.items() if n)
    click.echo(f"Erased visitor {visitor_id}: {detail}")
