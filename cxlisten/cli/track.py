"""``cxlisten track``: phase 1, the most common and the most problematic journeys."""

from __future__ import annotations

from dataclasses import asdict

import click

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
from cxlisten.diagnose import Diagnosis, diagnose


@cli.command(name="track")
@existing_db_option
@site_option
@window_options
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many common sequences and problems to show.",
)
@click.option(
    "--depth",
    default=4,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Pages per common sequence.",
)
@click.option(
    "--notify",
    is_flag=True,
    help="Also send the problems to the webhooks subscribed to track.problems.",
)
@output_options
def track_command(db, site, since, until, top, depth, notify, as_json, as_csv):
    """Phase 1: the most common journeys and the most problematic ones, with evidence."""
    result = diagnose(db, site, since, until, top=top, depth=depth)
    if notify:
        send_findings(db, site, "track.problems", _findings(result))
    if as_json:
        return write_json(result)
    rows = _journey_rows(result)
    if as_csv:
        return write_csv(rows, list(rows[0]) if rows else ["name", "score"])
    _print(result, rows, top)


def _findings(result: Diagnosis) -> dict:
    """Return the ``track.problems`` webhook payload: the window and each problem, briefly."""
    return {
        "window": asdict(result.window),
        "sessions": result.sessions,
        "problems": [
            {
                "journey": p.name,
                "score": p.problem.score,
                "failing_step": p.problem.failing_step,
                "failure_kind": p.problem.failure_kind,
                "evidence": list(p.problem.evidence),
            }
            for p in result.problems
        ],
    }


def _journey_rows(result: Diagnosis) -> list[dict]:
    """Return one row per named journey, highest score first (the ``--csv`` table)."""
    return [
        {
            "name": j.name,
            "score": j.problem.score,
            "sessions": j.sessions,
            "share": j.share,
            "completion": j.completion,
            "failing_step": j.problem.failing_step,
            "failure_kind": j.problem.failure_kind,
            "phase": j.phase,
            **{f"signal_{k}": v for k, v in asdict(j.problem.signals).items()},
            "evidence": " | ".join(j.problem.evidence),
        }
        for j in result.journeys
    ]


def _print(result: Diagnosis, rows: list[dict], top: int) -> None:
    click.echo(
        f"{result.sessions:,} sessions ({result.bot_sessions_excluded:,} bot "
        f"sessions left out); median page dwell "
        f"{result.norms.median_dwell_ms / 1000:.0f} s\n"
    )
    click.echo("Most common journeys")
    table(
        [
            {
                "n": i + 1,
                "steps": " → ".join(c.steps),
                "sessions": f"{c.sessions:,}",
                "share": pct(c.share),
                "completion": pct(c.completion),
            }
            for i, c in enumerate(result.common)
        ],
        [
            ("n", "#"),
            ("steps", "steps"),
            ("sessions", "sessions"),
            ("share", "share"),
            ("completion", "reached a goal"),
        ],
    )
    click.echo("\nMost problematic journeys (problem score 0–100; see docs/phases.md)")
    table(
        [
            {
                "name": r["name"],
                "score": f"{r['score']:.1f}",
                "sessions": f"{r['sessions']:,}",
                "completion": pct(r["completion"]),
                "step": r["failing_step"] or "-",
                "kind": r["failure_kind"] or "-",
                "phase": r["phase"],
            }
            for r in rows
        ],
        [
            ("name", "journey"),
            ("score", "score"),
            ("sessions", "sessions"),
            ("completion", "completed"),
            ("step", "failing step"),
            ("kind", "failure"),
            ("phase", "phase"),
        ],
    )
    for j in result.journeys[:top]:
        if j.problem.evidence:
            click.echo(f"\n{j.name} ({j.problem.score:.1f}):")
            for line in j.problem.evidence:
                click.echo(f"  - {clean(line)}")
