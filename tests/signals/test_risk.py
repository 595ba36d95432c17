"""Churn risk: a customer whose visits drop is flagged, one whose visits do not is not; the level
is a rule condition and a command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cxlisten import activate, journeys
from cxlisten.cli import cli
from cxlisten.errors import InvalidInput
from cxlisten.risk import customer_risks, risk_of
from cxlisten.storage import customers as customer_store
from tests.clock import DAY_MS, now_ms
from tests.phases.conftest import add_session

CHECKOUT = {"name": "checkout", "steps": ["/cart", "/checkout"], "goal": "/done"}


@pytest.fixture
def people(db, site):
    """'steady' visits twice a week for 16 weeks; 'leaving' three times a week, then not for 4
    weeks but once, leaving a checkout unfinished. Each has two linked devices."""
    journeys.save_journey(db, site.id, CHECKOUT)
    now = now_ms()
    for customer in ("steady", "leaving"):
        for device in ("a", "b"):
            customer_store.link(db, site.id, f"{customer}-{device}", customer, "identify")
    for week in range(16):
        start = now - (week + 1) * 7 * DAY_MS + DAY_MS
        for i in range(2):
            add_session(db, site, ["/", "/done"], visitor=f"steady-{'ab'[i]}", started=start + i)
        if week >= 4:
            for i in range(3):
                add_session(db, site, ["/"], visitor=f"leaving-{'ab'[i % 2]}", started=start + i)
    add_session(db, site, ["/cart", "/checkout"], visitor="leaving-a", started=now - 3 * DAY_MS)
    return now


def test_a_customer_whose_visits_drop_is_flagged_and_a_steady_one_is_not(db, site, people):
    steady = risk_of(db, site.id, ("steady-a", "steady-b"), now=people, customer="steady")
    assert (steady.level, steady.points, steady.reasons) == ("low", 0, ())
    assert steady.recent_sessions == 8 and steady.baseline_sessions == pytest.approx(8.0)
    leaving = risk_of(db, site.id, ("leaving-a", "leaving-b"), now=people, customer="leaving")
    assert (leaving.level, leaving.points) == ("high", 3)
    assert leaving.reasons == (
        "visits dropped: 1 sessions in the last 28 days against 12.0 per 28 days before",
        "unresolved journey: checkout entered, goal not reached since",
    )
    listed = customer_risks(db, site, level="medium", now=people)
    assert [r.customer for r in listed] == ["leaving"]


def test_risk_is_a_rule_condition(db, site, people):
    activate.save_rule(
        db,
        site,
        {
            "name": "win-back",
            "level": "proactive",
            "holdout": 0,
            "when": [{"risk": "medium"}],
            "then": {"show": {"kind": "channel", "title": {"en": "Can we help?"}, "url": "/help"}},
        },
    )
    assert activate.next_best_action(db, site, "leaving-b", "https://shop.example/")["rule"] == (
        "win-back"
    )
    assert activate.next_best_action(db, site, "steady-a", "https://shop.example/") is None


def test_a_bad_risk_level_is_refused_in_place(db, site):
    with pytest.raises(InvalidInput) as caught:
        activate.save_rule(
            db,
            site,
            {"name": "x", "when": [{"risk": "extreme"}], "then": {"set": {"a": "b"}}},
        )
    assert caught.value.fields["when.0.risk"] == ["one of low, medium, high"]


def test_the_command_lists_customers_at_risk(db_path, db, site, people):
    out = CliRunner(env={"CXLISTEN_DB": db_path}).invoke(cli, ["activate", "risk"])
    assert out.exit_code == 0, out.output
    assert "leaving" in out.output and "steady" not in out.output
    assert "visits dropped" in out.output
