"""The phase commands: tables, --json, --csv, and one-line errors."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxlisten.cli import cli

ROOT = Path(__file__).parents[2]


@pytest.fixture
def run(shop):
    db, site = shop
    path = db.execute("PRAGMA database_list").fetchone()[2]

    def invoke(*args):
        return CliRunner(env={"CXLISTEN_DB": path}).invoke(cli, list(args))

    return invoke


def test_track_prints_both_tables_and_evidence(run):
    result = run("track")
    assert result.exit_code == 0, result.output
    assert "Most common journeys" in result.output
    assert "Most problematic journeys" in result.output
    assert "/checkout/payment" in result.output


def test_track_json_and_csv(run):
    data = json.loads(run("track", "--json").output)
    assert data["journeys"][0]["problem"]["score"] >= data["journeys"][-1]["problem"]["score"]
    rows = list(csv.DictReader(io.StringIO(run("track", "--csv").output)))
    assert {r["name"] for r in rows} == {"checkout", "signup", "search", "support"}
    assert float(rows[0]["score"]) >= float(rows[-1]["score"])


def test_track_window_and_bad_dates(run):
    assert json.loads(run("track", "--json", "--since", "2100-01-01").output)["sessions"] == 0
    bad = run("track", "--since", "yesterday-ish")
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_phase_show_and_set(run):
    assert run("phase", "checkout").output.strip() == "checkout: track"
    assert run("phase", "checkout", "--set", "deepdive").output.strip() == "checkout: deepdive"
    missing = run("phase", "nope", "--set", "activate")
    assert missing.exit_code == 1 and missing.output.startswith("Error: ")
    assert "Traceback" not in missing.output


def test_journeys_load_list_and_normalise(run, tmp_path):
    assert run("journeys", "load", str(ROOT / "examples" / "journeys.json")).exit_code == 0
    assert "checkout" in run("journeys", "list").output
    assert "/product/:slug" in run("journeys", "normalise", "/product/blue-shirt").output
    bad = tmp_path / "bad.json"
    bad.write_text('{"journeys": [{"name": "x"}]}')
    result = run("journeys", "load", str(bad))
    assert result.exit_code == 1 and "journeys.0.steps" in result.output


def test_deepdive_plan_writes_files_and_report_prints(run, tmp_path):
    out = tmp_path / "plans"
    result = run("deepdive", "plan", "checkout", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "checkout-abandonment.json",
        "checkout-need-help.json",
    ]
    again = run("deepdive", "plan", "checkout", "--out", str(out))
    assert again.exit_code == 1 and "--force" in again.output
    report = run("deepdive", "report", "cart-abandon")
    assert report.exit_code == 0 and "Top reasons" in report.output
    rows = list(
        csv.DictReader(io.StringIO(run("deepdive", "report", "cart-abandon", "--csv").output))
    )
    assert {"question", "answer", "count", "share"} <= set(rows[0])


def test_activate_load_list_lift(run):
    assert run("activate", "load", str(ROOT / "examples" / "rules.json")).exit_code == 0
    listed = run("activate", "list").output
    assert "detractor-care" in listed and "proactive" in listed
    lift = json.loads(run("activate", "lift", "checkout-assist", "--json").output)
    assert lift[0]["rule"] == "checkout-assist"
    assert run("activate", "show", "nope").output.startswith("Error: ")


def test_webhooks_add_deliver_log(run):
    added = run("webhooks", "add", "team", "http://127.0.0.1:9/hook", "--event", "rule.*")
    assert added.exit_code == 0 and "Signing secret" in added.output
    assert "team" in run("webhooks", "list").output
    assert "pending 0" in run("webhooks", "deliver").output


def test_csv_cells_are_neutralised():
    from cxlisten.cli.output import write_csv

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        write_csv([{"a": "=HYPERLINK(1)", "b": 3}], ["a", "b"])
    assert buffer.getvalue().splitlines()[1].startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("ok", "ok"),
        ("\x1b[2Jwiped", "\\x1b[2Jwiped"),
        ("运费太贵", "运费太贵"),
        ("a\rb", "a\\x0db"),
    ],
)
def test_visitor_text_cannot_drive_the_terminal(text, shown):
    from cxlisten.cli.output import clean

    assert clean(text) == shown


def test_track_and_report_can_notify_webhooks(run, shop):
    from cxlisten import webhooks

    db, site = shop
    webhooks.add_webhook(
        db, site, "team", "http://127.0.0.1:9/down", events=["track.*", "deepdive.*"]
    )
    assert run("track", "--json", "--notify").exit_code == 0
    assert run("deepdive", "report", "cart-abandon", "--json", "--notify").exit_code == 0
    messages = {m["event"]: json.loads(m["payload"]) for m in webhooks.outbox(db, site)}
    assert {p["journey"] for p in messages["track.problems"]["problems"]} == {"checkout", "support"}
    assert messages["deepdive.report"]["top_reasons"]


@pytest.mark.parametrize(
    "args, visitors",
    [(["--visitors", "25"], 25), (["--visitors", "1"], 1)],
)
def test_simulate_counts_visitors(db_path, site, args, visitors):
    result = CliRunner(env={"CXLISTEN_DB": db_path}).invoke(cli, ["simulate", *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"visitors {visitors}, ")


def test_simulate_takes_visitors_or_events_not_both(db_path, site):
    result = CliRunner(env={"CXLISTEN_DB": db_path}).invoke(
        cli, ["simulate", "--visitors", "5", "--events", "10"]
    )
    assert result.exit_code == 1
    assert result.output == "Error: give visitors or events, not both (visitors: not with events)\n"


def test_lift_csv_has_a_row_per_candidate(run):
    assert run("activate", "load", str(ROOT / "examples" / "rules.json")).exit_code == 0
    rows = list(
        csv.DictReader(io.StringIO(run("activate", "lift", "checkout-assist", "--csv").output))
    )
    assert [(r["rule"], r["action"]) for r in rows] == [
        ("checkout-assist", ""),
        ("checkout-assist", "checkout-chat"),
        ("checkout-assist", "shipping-banner"),
    ]
    assert [r["verdict"] for r in rows] == ["helps", "helps", "no evidence"]
