"""``cxlisten surveys ...`` and ``cxlisten visitors erase``: same validation messages as the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxlisten.cli import cli
from tests.clock import now_ms
from tests.surveys.conftest import DEEPDIVE, PULSE, definition

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "surveys"


@pytest.fixture
def run(db_path, site):
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, [*args, "--db", db_path], input=input)

    return invoke


@pytest.fixture
def files(tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_text(json.dumps(data) if not isinstance(data, str) else data)
        return str(path)

    return write


def test_validate_needs_no_database(files):
    good = files("pulse.json", PULSE)
    result = CliRunner().invoke(cli, ["surveys", "validate", good, str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert f"{good}: survey 'pulse' is valid" in result.output
    assert "intervention 'need-help' is valid" in result.output


def test_errors_are_listed_one_per_line_and_nothing_is_stored(run, files, db):
    good = files("good.json", DEEPDIVE)
    bad = files(
        "bad.json",
        definition(
            PULSE,
            trigger={"type": "dwell"},
            questions=[{"id": "a", "type": "single", "text": {"en": "?"}, "options": []}],
        ),
    )
    result = run("surveys", "add", good, bad)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {bad}: invalid survey definition",
        "  questions[0].options: at least 2 options required",
        "  trigger.seconds: required for dwell triggers",
    ]
    assert db.execute("SELECT COUNT(*) FROM surveys").fetchone()[0] == 0


def test_broken_json(run, files):
    result = run("surveys", "add", files("x.json", '{"id": '))
    assert result.exit_code == 1 and "invalid JSON at line 1" in result.output


def test_add_list_show_and_statuses(run):
    result = run("surveys", "add", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "Created survey 'cart-abandon' (version 1, active)" in result.output
    assert "Created intervention 'need-help'" in result.output
    listing = run("surveys", "list").output.splitlines()
    assert listing[0].split() == [
        "ID",
        "KIND",
        "STATUS",
        "VER",
        "PHASE",
        "PRIO",
        "TRIGGER",
        "PARTIAL",
        "COMPLETE",
    ]
    assert any(line.split()[:3] == ["cart-abandon", "survey", "active"] for line in listing)
    assert run("surveys", "pause", "cart-abandon").output == "Survey 'cart-abandon' is paused\n"
    assert run("surveys", "resume", "cart-abandon").output == "Survey 'cart-abandon' is active\n"
    assert run("surveys", "archive", "need-help").output == (
        "Intervention 'need-help' is archived\n"
    )
    assert "need-help" not in run("surveys", "list").output
    assert "need-help" in run("surveys", "list", "--all").output
    rows = json.loads(run("surveys", "list", "--json").output)
    assert {r["id"] for r in rows} >= {"cart-abandon", "found-it", "signup-hardest"}
    shown = run("surveys", "show", "cart-abandon")
    assert shown.exit_code == 0
    assert "status active, version 1, priority 10, phase deepdive, journey checkout" in shown.output
    assert '"saves_as": "checkout_blocker"' in shown.output


def test_add_again_needs_update_or_replace(run, files):
    path = files("cart.json", DEEPDIVE)
    run("surveys", "add", path)
    again = run("surveys", "add", path)
    assert again.exit_code == 1 and "exists already: use `surveys update`" in again.output
    assert "Unchanged survey 'cart'" in run("surveys", "add", "--replace", path).output
    edited = files("cart.json", definition(DEEPDIVE, priority=3))
    assert "Updated survey 'cart' (version 1, active)" in run("surveys", "update", edited).output


def test_update_of_an_unknown_survey(run, files):
    result = run("surveys", "update", files("p.json", PULSE))
    assert result.exit_code == 1 and "no 'pulse' yet: use `surveys add`" in result.output


def test_show_unknown(run):
    result = run("surveys", "show", "nope")
    assert result.exit_code == 1
    assert result.output == "Error: no survey or intervention 'nope' on this site\n"


def test_why(run, files):
    run("surveys", "add", files("p.json", PULSE), files("c.json", DEEPDIVE))
    result = run("surveys", "why", "--visitor", "v1", "--url", "https://shop.example/cart")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Visitor v1 on https://shop.example/cart (desktop, assumed; never seen)"
    assert lines[1].split()[:3] == ["SHOWN", "survey", "cart"]
    assert lines[2].split()[:3] == ["HIDDEN", "survey", "pulse"]
    assert "contact budget: higher priority first: cart" in lines[2]
    as_json = json.loads(
        run("surveys", "why", "--visitor", "v1", "--url", "https://shop.example/", "--json").output
    )
    assert {d["id"]: d["shown"] for d in as_json["decisions"]} == {"cart": False, "pulse": True}


def _new_visitor(client, site) -> str:
    """Send one page view as a new visitor; return the visitor token the collector gave."""
    r = client.post(
        "/v1/collect",
        json={
            "site": site.key,
            "visitor": None,
            "events": [
                {"id": "e1", "kind": "pageview", "ts": now_ms(), "url": "https://shop.example/"}
            ],
        },
        headers={"User-Agent": "Mozilla/5.0 Chrome/126"},
    )
    assert r.status_code == 200
    return r.get_json()["visitor"]


def test_visitors_erase(run, client, site, admin_headers):
    token = _new_visitor(client, site)
    vid = client.application.extensions["cxlisten"].tokens.read(token, site.id)
    shown = json.loads(run("visitors", "show", vid).output)
    assert shown["visitor"] == vid and shown["events"] == 1 and shown["attributes"] == []
    refused = run("visitors", "erase", vid, input="n\n")
    assert refused.exit_code == 1
    result = run("visitors", "erase", vid, "--yes")
    assert result.output == f"Erased visitor {vid}: 1 events, 1 sessions, 1 visitors\n"
    assert "no data about visitor" in run("visitors", "show", vid).output
    again = run("visitors", "erase", vid, "--yes")
    assert again.exit_code == 1 and "no data about visitor" in again.output


def test_visitors_show_and_erase_take_the_token_that_surveys_why_takes(
    run, client, site, monkeypatch
):
    monkeypatch.setenv("CXLISTEN_SECRET", "test-secret")  # the app fixture's secret
    token = _new_visitor(client, site)
    vid = client.application.extensions["cxlisten"].tokens.read(token, site.id)
    why = run("surveys", "why", "--visitor", token, "--url", "https://shop.example/")
    assert why.exit_code == 0 and f"Visitor {vid} on" in why.output
    shown = run("visitors", "show", token)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["visitor"] == vid
    forged = run("visitors", "show", token[:-2] + "xx")
    assert forged.exit_code == 1 and "invalid visitor token" in forged.output
    assert run("visitors", "erase", token, "--yes").output.startswith(f"Erased visitor {vid}:")
