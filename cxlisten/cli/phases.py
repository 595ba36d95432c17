"""The three phases on the command line: ``track``, ``journeys``, ``phase`` and ``deepdive``
(``activate``, ``webhooks`` and ``simulate`` are in ``cxlisten.cli.activate``).

Reports print a terminal table by default, ``--json`` for the whole result and ``--csv`` for
the main table (cells neutralised for spreadsheets).
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata

import click

from cxlisten import deepdive, journeys, track, webhooks
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.export.csvsafe import neutralise

# ---------------------------------------------------------------------------- output


def _pct(x) -> str:
    return "-" if x is None else f"{x * 100:.0f}%"


def _clean(text: str) -> str:
    """Return TEXT safe for a terminal: control characters (escape sequences) made visible."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _width(text: str) -> int:
    """Return how many terminal columns TEXT takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Print ROWS as an aligned text table of COLUMNS [(key, heading)]."""
    cells = [[_clean(str(r.get(k, ""))) for k, _ in columns] for r in rows]
    widths = [max([_width(h), *(_width(c[i]) for c in cells)]) for i, (_, h) in enumerate(columns)]
    click.echo("  ".join(_pad(h, w) for (_, h), w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def _csv(rows: list[dict], columns: list[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, list | dict):
                v = json.dumps(v, ensure_ascii=False)
            out.append(neutralise(v) if isinstance(v, str) else ("" if v is None else v))
        writer.writerow(out)


def _json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def output_options(fn):
    fn = click.option("--csv", "as_csv", is_flag=True, help="Print the main table as CSV.")(fn)
    fn = click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")(fn)
    return fn


def _notify(db, site, event: str, data: dict) -> None:
    """Queue EVENT for the site's webhooks and send what is due (retries stay queued)."""
    queued = webhooks.enqueue(db, site, event, data)
    summary = webhooks.deliver_due(db)
    click.echo(
        f"{event}: queued for {queued} webhooks; delivered {summary['delivered']}, "
        f"failed {summary['failed']} (retried by `cxlisten webhooks deliver`)",
        err=True,
    )


# ---------------------------------------------------------------------------- track


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
    result = track.diagnose(db, site, since, until, top=top, depth=depth)
    if notify:
        _notify(
            db,
            site,
            "track.problems",
            {
                "window": result["window"],
                "sessions": result["sessions"],
                "problems": [
                    {
                        "journey": p["name"],
                        "score": p["problem"]["score"],
                        "failing_step": p["problem"]["failing_step"],
                        "failure_kind": p["problem"]["failure_kind"],
                        "evidence": p["problem"]["evidence"],
                    }
                    for p in result["problems"]
                ],
            },
        )
    if as_json:
        return _json(result)
    rows = [
        {
            "name": j["name"],
            "score": j["problem"]["score"],
            "sessions": j["sessions"],
            "share": j["share"],
            "completion": j["completion"],
            "failing_step": j["problem"]["failing_step"],
            "failure_kind": j["problem"]["failure_kind"],
            "phase": j["phase"],
            **{f"signal_{k}": v for k, v in j["problem"]["signals"].items()},
            "evidence": " | ".join(j["problem"]["evidence"]),
        }
        for j in result["journeys"]
    ]
    if as_csv:
        return _csv(rows, list(rows[0]) if rows else ["name", "score"])
    click.echo(
        f"{result['sessions']:,} sessions ({result['bot_sessions_excluded']:,} bot "
        f"sessions left out); median page dwell "
        f"{result['norms']['median_dwell_ms'] / 1000:.0f} s\n"
    )
    click.echo("Most common journeys")
    _table(
        [
            {
                "n": i + 1,
                "steps": " → ".join(c["steps"]),
                "sessions": f"{c['sessions']:,}",
                "share": _pct(c["share"]),
                "completion": _pct(c["completion"]),
            }
            for i, c in enumerate(result["common"])
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
    _table(
        [
            {
                "name": r["name"],
                "score": f"{r['score']:.1f}",
                "sessions": f"{r['sessions']:,}",
                "completion": _pct(r["completion"]),
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
    for j in result["journeys"][:top]:
        if j["problem"]["evidence"]:
            click.echo(f"\n{j['name']} ({j['problem']['score']:.1f}):")
            for line in j["problem"]["evidence"]:
                click.echo(f"  - {_clean(line)}")


# ---------------------------------------------------------------------------- journeys, phase


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
        return _json(rows)
    if as_csv:
        return _csv(rows, ["name", "title", "kind", "steps", "goal", "phase"])
    _table(
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
    _json(
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


# ---------------------------------------------------------------------------- deepdive


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
        return _json({**proposal, "files": paths})
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
        _notify(
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
        return _json(result)
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
    if as_csv:
        return _csv(rows, ["question", "type", "answer", "label", "count", "share"])
    c = result["counts"]
    click.echo(f"{result['name']} ({survey}, journey {result['journey'] or '-'})")
    rate = (c["answer_rate"] or {}).get("value")
    click.echo(
        f"shown {c['shown']}, answered {c['answered']} ({_pct(rate)}), "
        f"complete {c['complete']}, partial {c['partial']}, dismissed {c['dismissed']}"
    )
    for score in result["scores"].values():
        digits = 0 if score["metric"] == "NPS" else 2
        share = score["metric"].startswith("CSAT")

        def num(x, digits=digits, share=share):
            return f"{x * 100:.0f}%" if share else f"{x:.{digits}f}"

        low = "" if score["low"] is None else f" (95% CI {num(score['low'])}–{num(score['high'])})"
        click.echo(f"{score['metric']}: {num(score['value'])}{low}, n={score['n']}")
    for q in result["questions"]:
        click.echo(f"\n{q['question']} [{q['type']}] {q['text']} — {q['answers']} answers")
        if q.get("distribution"):
            _table(
                [
                    {
                        "answer": i.get("label") or i.get("code") or i.get("value"),
                        "count": i["count"],
                        "share": _pct(i.get("share")),
                    }
                    for i in q["distribution"]
                ],
                [("answer", "answer"), ("count", "count"), ("share", "share")],
            )
    if result["crosstabs"]:
        for dim in ("device", "step", "visitor"):
            click.echo(f"\n{result['crosstabs']['question']} by {dim}")
            _table(
                [
                    {
                        "group": g["group"],
                        "answers": g["answers"],
                        "result": ", ".join(
                            f"{k} {_pct(v)}" for k, v in list(g.get("shares", {}).items())[:4]
                        )
                        or (g.get("score") or {}).get("value"),
                    }
                    for g in result["crosstabs"][dim]
                ],
                [("group", dim), ("answers", "answers"), ("result", "result")],
            )
    if result["themes"]["themes"]:
        click.echo(f"\nOpen-text themes ({result['themes']['answers']} answers)")
        _table(
            [
                {
                    "theme": t["theme"],
                    "share": _pct(t["share"]),
                    "n": t["count"],
                    "e.g.": " / ".join(t["examples"][:2]),
                }
                for t in result["themes"]["themes"]
            ],
            [("theme", "theme"), ("share", "share"), ("n", "n"), ("e.g.", "examples")],
        )
    click.echo("\nTop reasons")
    for line in result["top_reasons"]:
        click.echo(f"  - {_clean(line)}")
