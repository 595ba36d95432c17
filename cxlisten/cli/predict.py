"""``cxlisten predict``: the estimated answers of the visitors who did not answer a survey."""

from __future__ import annotations

import dataclasses

import click

from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import write_json
from cxlisten.predict import predict, save
from cxlisten.vitals import METRICS


@cli.command(name="predict")
@existing_db_option
@site_option
@window_options
@click.argument("survey")
@click.option("--question", help="Question to predict (default: the survey's first NPS, CSAT…).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the held-out split.")
@click.option(
    "--save",
    "save_them",
    is_flag=True,
    help="Store each non-respondent's likeliest answer in the predictions table (as estimated).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def predict_command(db, site, since, until, survey, question, seed, save_them, as_json):
    """Estimate the answers of SURVEY's audience who did not answer, from their behaviour.

    Refuses (exit status 1) when the held-out AUC is below 0.65 or there are too few
    respondents. Needs scikit-learn: pip install 'cxlisten[predict]'.
    """
    result = predict(db, site, survey, question, since=since, until=until, seed=seed)
    if as_json:
        write_json(dataclasses.replace(result, visitors=()))
    else:
        for sentence in result.sentences:
            click.echo(sentence)
    if result.refused:
        raise SystemExit(1)
    if save_them:
        click.echo(f"Saved {save(db, site, result):,} estimated answers (table predictions).")


@cli.command(name="drivers")
@existing_db_option
@site_option
@click.argument("survey")
@click.option(
    "--outcome",
    required=True,
    help="The outcome question (NPS, overall CSAT...), or goal:JOURNEY (reaching its goal).",
)
@click.option(
    "--by",
    "by",
    metavar="SEGMENT",
    help="Per segment: device, visitor, orders (order-value band), ticket (an open ticket) "
    "or answer:QUESTION (a choice question, such as the visit reason).",
)
@click.option(
    "--speed",
    type=click.Choice(METRICS),
    help="Page speed as one more element: the slowest value of this metric in the session.",
)
@click.option(
    "--behaviour",
    is_flag=True,
    help="Weigh the behaviour signals of the respondent's session too: rage and dead clicks, "
    "abandoned fields, scroll depth, help-seeking, loops.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the bootstrap.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def drivers_command(db, site, survey, outcome, by, speed, behaviour, seed, as_json):
    """Each experience question's (and signal's) share of OUTCOME, with intervals, per segment."""
    from cxlisten.drivers import drivers

    result = drivers(db, site, survey, outcome, by=by, speed=speed, behaviour=behaviour, seed=seed)
    if as_json:
        return write_json(result)
    for segment in result.segments:
        click.echo(segment.sentence)
