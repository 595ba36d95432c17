"""``cxlisten activate ...``, ``cxlisten webhooks ...`` and ``cxlisten simulate``."""

from __future__ import annotations

import time

import click

from cxlisten import activate, webhooks
from cxlisten.cli import cli
from cxlisten.cli.options import existing_db_option, site_option, window_options
from cxlisten.cli.output import output_options, pct, progress, table, write_csv, write_json

# ---------------------------------------------------------------------------- activate


@cli.group(name="activate")
def activate_group():
    """Phase 3: rules that pick each visitor's next best action; holdout lift."""


@activate_group.command(name="load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@existing_db_option
@site_option
def activate_load(path, db, site):
    """Load a rules file (examples/rules.json shows the format)."""
    names = activate.load_rules_file(db, site, path)
    click.echo(f"Loaded {len(names)} rules: {', '.join(names)}")


@activate_group.command(name="list")
@existing_db_option
@site_option
@output_options
def activate_list(db, site, as_json, as_csv):
    """List rules in the order they are tried."""
    rules = activate.list_rules(db, site)
    if as_json:
        return write_json(rules)
    rows = [
        {
            "name": r.name,
            "level": r.level,
            "priority": r.priority,
            "journey": r.journey or "-",
            "holdout": f"{r.holdout:g}%",
            "enabled": "yes" if r.enabled else "no",
            "then": ", ".join(sorted(r.then)),
        }
        for r in rules
    ]
    if as_csv:
        return write_csv(
            rows, ["name", "level", "priority", "journey", "holdout", "enabled", "then"]
        )
    table(
        rows,
        [(k, k) for k in ("name", "level", "priority", "journey", "holdout", "enabled", "then")],
    )


@activate_group.command(name="show")
@click.argument("name")
@existing_db_option
@site_option
def activate_show(name, db, site):
    """Show one rule as JSON."""
    write_json(activate.get_rule(db, site, name))


@activate_group.command(name="delete")
@click.argument("name")
@existing_db_option
@site_option
def activate_delete(name, db, site):
    """Delete a rule."""
    activate.delete_rule(db, site, name)
    click.echo(f"Deleted rule {name}")


@activate_group.command(name="why")
@click.option("--visitor", required=True, help="Visitor id.")
@click.option("--url", required=True, help="Page URL or path.")
@existing_db_option
@site_option
def activate_why(visitor, url, db, site):
    """Explain the decision for a visitor on a page (nothing is recorded)."""
    write_json(activate.evaluate(db, site, visitor, url, record=False))


@activate_group.command(name="lift")
@click.argument("rules", nargs=-1)
@click.option(
    "--intervention",
    "interventions",
    multiple=True,
    metavar="ID",
    help="An intervention's holdout lift (repeatable).",
)
@existing_db_option
@site_option
@window_options
@output_options
def activate_lift(rules, interventions, db, site, since, until, as_json, as_csv):
    """Goal rate of visitors shown each rule's (or intervention's) action vs its holdout.

    Without RULES or --intervention: every rule and every intervention that keeps a holdout.
    """
    from cxlisten import intervention_lift

    if not rules and not interventions:
        rules = [r.name for r in activate.list_rules(db, site)]
        interventions = intervention_lift.with_holdout(db, site)
    results = [activate.lift(db, site, n, since=since, until=until) for n in rules]
    results += [
        intervention_lift.lift(db, site, i, since=since, until=until) for i in interventions
    ]
    if as_json:
        return write_json(results)
    rows = []
    for r in results:
        rows.append(_lift_row(r, r["rule"], "", r))
        if len(r["actions"]) > 1:  # a proactive rule's candidates, each against the holdout
            rows += [_lift_row(r, r["rule"], a["action"], a) for a in r["actions"]]
    if as_csv:
        return write_csv(rows, list(rows[0]) if rows else ["rule"])

    def pp(x):
        return "-" if x is None else f"{x * 100:+.1f} pp"

    table(
        [
            {
                **r,
                "rule": f"  {r['action']}" if r["action"] else r["rule"],
                "shown": f"{pct(r['shown_rate'])} of {r['shown_n']}",
                "holdout": f"{pct(r['holdout_rate'])} of {r['holdout_n']}",
                "lift": pp(r["lift"]),
                "ci": "-"
                if r["lift_low"] is None
                else f"{pp(r['lift_low'])} … {pp(r['lift_high'])}",
            }
            for r in rows
        ],
        [
            ("rule", "rule / action"),
            ("goal", "goal"),
            ("shown", "shown: reached goal"),
            ("holdout", "holdout: reached goal"),
            ("lift", "lift"),
            ("ci", "95% CI"),
            ("verdict", "verdict"),
        ],
    )


def _lift_row(result: dict, rule: str, action: str, measured: dict) -> dict:
    """One row of the lift table: a rule (ACTION empty) or one of its actions."""
    shown = measured if action else measured["shown"]
    return {
        "rule": rule,
        "action": action,
        "level": result["level"],
        "goal": result["goal"] or "-",
        "shown_n": shown["n"],
        "shown_rate": shown["value"],
        "holdout_n": result["holdout"]["n"],
        "holdout_rate": result["holdout"]["value"],
        "lift": measured["lift"]["value"],
        "lift_low": measured["lift"]["low"],
        "lift_high": measured["lift"]["high"],
        "verdict": measured["verdict"],
    }


# ---------------------------------------------------------------------------- webhooks


@activate_group.command(name="risk")
@existing_db_option
@site_option
@click.option(
    "--level",
    type=click.Choice(["low", "medium", "high"]),
    default="medium",
    show_default=True,
    help="Least churn-risk level to list.",
)
@output_options
def activate_risk(db, site, level, as_json, as_csv):
    """List identified customers at churn risk, with the reasons (docs/phases.md)."""
    from cxlisten.risk import customer_risks

    risks = customer_risks(db, site, level=level)
    if as_json:
        return write_json(risks)
    rows = [
        {
            "customer": r.customer,
            "level": r.level,
            "points": r.points,
            "recent": r.recent_sessions,
            "baseline": f"{r.baseline_sessions:g}",
            "reasons": "; ".join(r.reasons),
        }
        for r in risks
    ]
    columns = ["customer", "level", "points", "recent", "baseline", "reasons"]
    if as_csv:
        return write_csv(rows, columns)
    if not rows:
        return click.echo(f"No identified customer at {level} risk or above.")
    table(rows, [(k, k) for k in columns])


@cli.group(name="webhooks")
def webhooks_group():
    """Webhook endpoints, the outbox, delivery and its log."""


@webhooks_group.command(name="add")
@click.argument("name")
@click.argument("url")
@click.option("--event", "events", multiple=True, help="Event pattern (repeatable; default *).")
@click.option("--secret", help="Signing secret (default: a new random one, printed once).")
@existing_db_option
@site_option
def webhooks_add(name, url, events, secret, db, site):
    """Add (or replace) a webhook endpoint."""
    hook = webhooks.add_webhook(db, site, name, url, secret=secret, events=list(events) or None)
    click.echo(f"Webhook {hook['name']} → {hook['url']} for {', '.join(hook['events'])}")
    if not secret:
        click.echo(f"Signing secret: {hook['secret']}")


@webhooks_group.command(name="list")
@existing_db_option
@site_option
def webhooks_list(db, site):
    """List endpoints and how many messages wait for delivery."""
    table(
        [
            {
                "name": h["name"],
                "url": h["url"],
                "events": ", ".join(h["events"]),
                "active": "yes" if h["active"] else "no",
            }
            for h in webhooks.list_webhooks(db, site)
        ],
        [("name", "name"), ("url", "url"), ("events", "events"), ("active", "active")],
    )
    click.echo(f"\n{len(webhooks.outbox(db, site, 'pending', 10_000))} messages pending")


@webhooks_group.command(name="disable")
@click.argument("name")
@existing_db_option
@site_option
def webhooks_disable(name, db, site):
    """Stop queueing messages for an endpoint (queued ones wait until it is enabled)."""
    webhooks.set_active(db, site, name, False)
    click.echo(f"Webhook {name} disabled")


@webhooks_group.command(name="enable")
@click.argument("name")
@existing_db_option
@site_option
def webhooks_enable(name, db, site):
    """Queue messages for an endpoint again."""
    webhooks.set_active(db, site, name, True)
    click.echo(f"Webhook {name} enabled")


@webhooks_group.command(name="deliver")
@existing_db_option
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between runs.")
@click.option("--timeout", default=5.0, show_default=True, help="Seconds per request.")
def webhooks_deliver(db, loop, interval, timeout):
    """Send the due messages of the outbox (retries failed ones on schedule)."""
    while True:
        summary = webhooks.deliver_due(db, timeout=timeout, limit=500)
        if summary["attempted"] or not loop:
            click.echo(
                f"attempted {summary['attempted']}, delivered {summary['delivered']}, "
                f"failed {summary['failed']}, pending {summary['pending']}"
            )
        if not loop:
            return
        time.sleep(interval)


@webhooks_group.command(name="log")
@existing_db_option
@site_option
@click.option("--limit", default=20, show_default=True)
@output_options
def webhooks_log(db, site, limit, as_json, as_csv):
    """The latest delivery attempts."""
    rows = webhooks.deliveries(db, site, limit)
    if as_json:
        return write_json(rows)
    if as_csv:
        return write_csv(
            rows,
            [
                "id",
                "message",
                "webhook",
                "event",
                "attempt",
                "ts",
                "status_code",
                "error",
                "duration_ms",
                "message_status",
            ],
        )
    table(
        [{**r, "status_code": r["status_code"] or "-", "error": r["error"] or ""} for r in rows],
        [
            ("message", "message"),
            ("webhook", "webhook"),
            ("event", "event"),
            ("attempt", "attempt"),
            ("status_code", "status"),
            ("duration_ms", "ms"),
            ("message_status", "now"),
            ("error", "error"),
        ],
    )


# ---------------------------------------------------------------------------- simulate


@cli.command(name="simulate")
@existing_db_option
@site_option
@click.option(
    "--visitors",
    type=click.IntRange(1),
    metavar="N",
    help="Simulate N visitors (instead of --events).",
)
@click.option(
    "--events",
    type=click.IntRange(1),
    metavar="N",
    help="Simulate visitors until about N events are written.  [default: 100000]",
)
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 365))
@click.option("--seed", default=1, show_default=True)
def simulate_command(db, site, visitors, events, days, seed):
    """Write simulated traffic of the demo shop with planted problems (see docs/phases.md)."""
    from cxlisten.simulate import simulate

    total, what = (visitors, "visitors") if visitors else (events or 100_000, "events")
    with progress(total, f"Simulating {what}") as tell:
        counts = simulate(
            db, site, visitors=visitors, events=events, days=days, seed=seed, progress=tell
        )
    click.echo(
        ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items())
    )
