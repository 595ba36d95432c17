"""``cxlisten journeys ...`` and ``cxlisten phase``: named journeys and the phase each is in."""

from __future__ import annotations

import click

from cxlisten import journeys
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option
from cxlisten.cli.output import output_options, table, write_csv, write_json


@cli.group(name="journeys")
def journeys_group():
    """Named journeys (step patterns with a goal) and path normalisation rules."""


@journeys_group.command(name="load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@existing_db_option
@site_option
def journeys_load(path, db, site):
    """Load a journeys file (examples/journeys.json shows the format)."""
    names = journeys.load_journeys_file(db, site, path)
    click.echo(f"Loaded {len(names)} journeys: {', '.join(names)}")


@journeys_group.command(name="list")
@existing_db_option
@site_option
@output_options
def journeys_list(db, site, as_json, as_csv):
    """List the site's journeys with their steps, goal and phase."""
    rows = [j.as_dict() for j in journeys.list_journeys(db, site.id)]
    if as_json:
        return write_json(rows)
    if as_csv:
        return write_csv(rows, ["name", "title", "kind", "steps", "goal", "phase"])
    table(
        [{**r, "steps": " → ".join(r["steps"])} for r in rows],
        [
            ("name", "name"),
            ("phase", "phase"),
            ("kind", "kind"),
            ("steps", "steps"),
            ("goal", "goal"),
        ],
    )


@journeys_group.command(name="show")
@click.argument("name")
@existing_db_option
@site_option
def journeys_show(name, db, site):
    """Show one journey and the site's path rules as JSON."""
    write_json(
        {
            "journey": journeys.get_journey(db, site.id, name).as_dict(),
            "paths": journeys.path_rules(db, site.id).as_dict(),
        }
    )


@journeys_group.command(name="delete")
@click.argument("name")
@existing_db_option
@site_option
def journeys_delete(name, db, site):
    """Delete a journey."""
    journeys.delete_journey(db, site.id, name)
    click.echo(f"Deleted journey {name}")


@journeys_group.command(name="normalise")
@click.argument("paths", nargs=-1, required=True)
@existing_db_option
@site_option
def journeys_normalise(paths, db, site):
    """Show what paths (or URLs) count as under the site's rules."""
    rules = journeys.path_rules(db, site.id)
    for path in paths:
        norm = rules.normalise(path)
        click.echo(f"{path}  →  {norm}{'  (help page)' if rules.is_help(norm) else ''}")


@cli.command(name="phase")
@click.argument("journey")
@click.option(
    "--set", "new_phase", type=click.Choice(journeys.PHASES), help="Move the journey to this phase."
)
@existing_db_option
@site_option
def phase_command(journey, new_phase, db, site):
    """Show or set a journey's phase: track (pulse), deepdive (surveys), activate (rules)."""
    if new_phase:
        journeys.set_phase(db, site.id, journey, new_phase)
    phase = journeys.phase_of(db, site.id, journey)
    if phase is None:
        raise click.ClickException(f"no journey named {journey!r}")
    click.echo(f"{journey}: {phase}")
