"""``cxlisten deepdive plan|report``: phase 2, targeted micro-surveys and what they found."""

from __future__ import annotations

import click

from cxlisten import deepdive
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import (
    clean,
    output_options,
    pct,
    send_findings,
    table,
    write_csv,
    write_json,
)


@cli.group(name="deepdive")
def deepdive_group():
    """Phase 2: targeted micro-surveys for a problem journey, and their report."""


@deepdive_group.command(name="plan")
@click.argument("journey")
@existing_db_option
@site_option
@window_options
@click.option(
    "--out",
    default="surveys",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory to write the survey files into.",
)
@click.option(
    "--kind",
    type=click.Choice(deepdive.FAILURE_KINDS),
    help="Use this template instead of the failure kind diagnosed.",
)
@click.option("--force", is_flag=True, help="Replace files that exist.")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def deepdive_plan(journey, db, site, since, until, out, kind, force, dry_run, as_json):
    """Propose a micro-survey and a "Need more help?" for JOURNEY's failing step."""
    proposal = deepdive.plan(db, site, journey, since=since, until=until, kind=kind)
    paths = [] if dry_run else deepdive.write_plan(proposal, out, overwrite=force)
    if as_json:
        return write_json({**proposal, "files": paths})
    click.echo(
        f"{journey}: {proposal['failure_kind'].replace('_', ' ')} at "
        f"{proposal['failing_step']} (problem score {proposal['problem_score']:.1f})"
    )
    for line in proposal["evidence"]:
        click.echo(f"  - {line}")
    survey = proposal["survey"]
    click.echo(
        f"\nSurvey {survey['id']} ({survey['trigger']['type']} on "
        f"{', '.join(survey['trigger']['urls'])}):"
    )
    for q in survey["questions"]:
        click.echo(f"  {q['id']} [{q['type']}] {q['text']['en']}")
    help_ = proposal["intervention"]
    click.echo(
        f"Intervention {help_['id']}: after {help_['trigger']['seconds']} s on "
        f"{', '.join(help_['trigger']['urls'])} → {help_['content']['url']}"
    )
    for path in paths:
        click.echo(f"Wrote {path}")
    if paths:
        click.echo(f"Review, then publish: cxlisten surveys add {' '.join(paths)}")


@deepdive_group.command(name="report")
@click.argument("survey")
@existing_db_option
@site_option
@window_options
@click.option("--version", type=int, help="Only this version's responses.")
@click.option(
    "--notify",
    is_flag=True,
    help="Also send the top reasons to the webhooks subscribed to deepdive.report.",
)
@output_options
def deepdive_report(survey, db, site, since, until, version, notify, as_json, as_csv):
    """Counts, rates, NPS/CSAT/CES with 95% CIs, distributions, cross-tabs and themes."""
    result = deepdive.report(db, site, survey, since=since, until=until, version=version)
    if notify:
        send_findings(
            db,
            site,
            "deepdive.report",
            {
                "survey": survey,
                "journey": result["journey"],
                "window": result["window"],
                "counts": {k: v for k, v in result["counts"].items() if isinstance(v, int)},
                "scores": result["scores"],
                "top_reasons": result["top_reasons"],
            },
        )
    if as_json:
        return write_json(result)
    if as_csv:
        return write_csv(
            _answer_rows(result), ["question", "type", "answer", "label", "count", "share"]
        )
    _print_counts(result, survey)
    _print_questions(result)
    _print_crosstabs(result)
    _print_themes(result)
    click.echo("\nTop reasons")
    for line in result["top_reasons"]:
        click.echo(f"  - {clean(line)}")


def _answer_rows(result: dict) -> list[dict]:
    """Return the answer table of ``--csv``: each question's distribution and its themes.

    Narrower than the ``survey-report`` export (cxlisten.export.reports), which also has the
    counts, scores, cross-tabs and reasons: this is the table a terminal user pastes elsewhere.
    """
    rows = []
    for q in result["questions"]:
        for item in q.get("distribution", []):
            rows.append(
                {
                    "question": q["question"],
                    "type": q["type"],
                    "answer": item.get("code", item.get("value")),
                    "label": item.get("label", ""),
                    "count": item["count"],
                    "share": item.get("share"),
                }
            )
        for theme in (q.get("themes") or {}).get("themes", []):
            rows.append(
                {
                    "question": q["question"],
                    "type": "theme",
                    "answer": theme["theme"],
                    "label": " / ".join(theme["examples"][:2]),
                    "count": theme["count"],
                    "share": theme["share"],
                }
            )
    return rows


def _print_counts(result: dict, survey: str) -> None:
    c = result["counts"]
    click.echo(f"{result['name']} ({survey}, journey {result['journey'] or '-'})")
    rate = (c["answer_rate"] or {}).get("value")
    click.echo(
        f"shown {c['shown']}, answered {c['answered']} ({pct(rate)}), "
        f"complete {c['complete']}, partial {c['partial']}, dismissed {c['dismissed']}"
    )
    for score in result["scores"].values():
        digits = 0 if score["metric"] == "NPS" else 2
        share = score["metric"].startswith("CSAT")

        def num(x, digits=digits, share=share):
            return f"{x * 100:.0f}%" if share else f"{x:.{digits}f}"

        low = "" if score["low"] is None else f" (95% CI {num(score['low'])}–{num(score['high'])})"
        click.echo(f"{score['metric']}: {num(score['value'])}{low}, n={score['n']}")


def _print_questions(result: dict) -> None:
    for q in result["questions"]:
        click.echo(f"\n{q['question']} [{q['type']}] {q['text']} — {q['answers']} answers")
        if q.get("distribution"):
            table(
                [
                    {
                        "answer": i.get("label") or i.get("code") or i.get("value"),
                        "count": i["count"],
                        "share": pct(i.get("share")),
                    }
                    for i in q["distribution"]
                ],
                [("answer", "answer"), ("count", "count"), ("share", "share")],
            )


def _print_crosstabs(result: dict) -> None:
    if not result["crosstabs"]:
        return
    for dim in ("device", "step", "visitor"):
        click.echo(f"\n{result['crosstabs']['question']} by {dim}")
        table(
            [
                {
                    "group": g["group"],
                    "answers": g["answers"],
                    "result": ", ".join(
                        f"{k} {pct(v)}" for k, v in list(g.get("shares", {}).items())[:4]
                    )
                    or (g.get("score") or {}).get("value"),
                }
                for g in result["crosstabs"][dim]
            ],
            [("group", dim), ("answers", "answers"), ("result", "result")],
        )


def _print_themes(result: dict) -> None:
    if not result["themes"]["themes"]:
        return
    click.echo(f"\nOpen-text themes ({result['themes']['answers']} answers)")
    table(
        [
            {
                "theme": t["theme"],
                "share": pct(t["share"]),
                "n": t["count"],
                "e.g.": " / ".join(t["examples"][:2]),
            }
            for t in result["themes"]["themes"]
        ],
        [("theme", "theme"), ("share", "share"), ("n", "n"), ("e.g.", "examples")],
    )
