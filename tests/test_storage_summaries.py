"""Stored summaries (m0018): what the console's lift and diagnosis keep in the database, each
compared with the straightforward computation over the same seeded data, on both engines
(this file's name puts it in ``BOTH_ENGINES``), before and after the data changes under it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxlisten import activate, journeys, lift, sites
from cxlisten.simulate import simulate

NOW = 1_795_000_000_000
DAY = 86_400_000
RULES = Path(__file__).parents[1] / "examples" / "rules.json"


def sessions_of_visitors(db, visitor_ids: list[str]) -> dict[str, list[dict]]:
    """Each visitor's sessions (id, started, last_ts, steps, custom), oldest first, read
    straight from the table: the reference the stored outcomes are checked against."""
    out: dict[str, list[dict]] = {v: [] for v in visitor_ids}
    for v, sid, started, last_ts, steps, custom in db.execute(
        "SELECT visitor_id, id, started, last_ts, steps, custom FROM sessions ORDER BY started"
    ):
        if v in out:
            out[v].append(
                {
                    "id": sid,
                    "started": started,
                    "last_ts": last_ts,
                    "steps": json.loads(steps),
                    "custom": json.loads(custom),
                }
            )
    return out


@pytest.fixture
def seeded(db):
    """(db, site): a few days of simulated shop traffic with the example rules' exposures."""
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_seed")
    simulate(db, site, events=6000, seed=11, now=NOW, days=4)
    activate.load_rules_file(db, site, str(RULES))
    return db, site


# -- lift: stored exposure outcomes --------------------------------------------------------------


def straight_outcomes(db, site_id, rule, goal_spec):
    """Each exposure of RULE and whether it reached GOAL_SPEC, read from every exposed visitor's
    sessions (how the lift was computed before outcomes were stored)."""
    from cxlisten.storage import rules as store

    exposures = store.exposures(db, site_id, rule)
    event = goal_spec[len("custom:") :] if goal_spec.startswith("custom:") else None
    rules = journeys.path_rules(db, site_id)
    goal = journeys.compile_pattern(goal_spec if event is None else "/")
    sessions = sessions_of_visitors(db, sorted({e["visitor_id"] for e in exposures}))
    out = []
    for e in exposures:
        reached = 0
        for s in sessions.get(e["visitor_id"], []):
            if s["id"] == e["session_id"]:
                later = s["steps"][e["step_index"] :]
            elif e["ts"] < s["started"] <= e["ts"] + lift.OUTCOME_DAYS * DAY:
                later = s["steps"]
            else:
                continue
            if event is not None and event in s["custom"]:
                reached = 1
            elif event is None and any(goal.match(rules.normalise(p)) for p in later):
                reached = 1
        out.append((e, reached))
    return out


def straight_lift_counts(db, site_id, rule, goal):
    counts: dict = {}
    for e, reached in straight_outcomes(db, site_id, rule, goal):
        row = counts.setdefault((e["arm"], e["action"]), [0, 0])
        row[0] += reached
        row[1] += 1
    return counts


def lift_counts(result: dict) -> tuple:
    return (
        result["shown"]["n"],
        result["holdout"]["n"],
        result["shown"]["value"],
        result["holdout"]["value"],
        {a["action"]: (a["n"], a["value"]) for a in result["actions"]},
    )


def expected_counts(counts: dict) -> tuple:
    from cxlisten import stats

    def arm(name):
        s = sum(r for (a, _), (r, _) in counts.items() if a == name)
        n = sum(n for (a, _), (_, n) in counts.items() if a == name)
        return n, stats.wilson(s, n)["value"]

    (n1, v1), (n0, v0) = arm("shown"), arm("holdout")
    actions = {
        action: (n, stats.wilson(s, n)["value"])
        for (a, action), (s, n) in counts.items()
        if a == "shown"
    }
    return n1, n0, v1, v0, actions


def keep(db, site, goal) -> None:
    """Store the outcomes of the example rule's exposures for GOAL, as its lift does."""
    lift._refresh(db, site.id, "checkout-assist", goal, None, None)


@pytest.mark.parametrize("goal", ["/checkout/done", "/cart", "custom:purchase"])
def test_stored_outcomes_equal_the_straightforward_ones(seeded, goal):
    db, site = seeded
    expected = straight_outcomes(db, site.id, "checkout-assist", goal)
    assert sum(r for _, r in expected) > 0 or goal.startswith("custom:")
    stored = "SELECT COUNT(*) FROM exposure_outcomes"
    # Worked out, not stored: proactive rules read this while a batch is being written.
    assert lift.outcomes(db, site.id, "checkout-assist", goal) == expected
    assert db.execute(stored).fetchone()[0] == 0
    keep(db, site, goal)  # what a rule's lift page does
    assert db.execute(stored).fetchone()[0] == len(expected)
    assert lift.outcomes(db, site.id, "checkout-assist", goal) == expected  # read back


def test_a_rules_lift_from_stored_outcomes_follows_its_sessions(seeded):
    db, site = seeded
    from cxlisten.storage import rules as rule_store

    goal = lift.goal_of(db, site.id, rule_store.get_rule(db, site.id, "checkout-assist"))
    first = activate.lift(db, site, "checkout-assist")
    assert lift_counts(first) == expected_counts(
        straight_lift_counts(db, site.id, "checkout-assist", goal)
    )
    assert activate.lift(db, site, "checkout-assist") == first  # from what was stored

    # A holdout visitor who had not reached the goal comes back within the horizon and does,
    # and an exposed session goes on to the goal: both outcomes change, and only those are
    # read again.
    missed = [e for e, r in straight_outcomes(db, site.id, "checkout-assist", goal) if not r]
    back, on = missed[0], missed[1]
    db.execute(
        "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts, pageviews, events, "
        "steps, dwell) VALUES (?, ?, ?, ?, ?, 1, 1, ?, '[0]')",
        [
            "f" * 32,
            site.id,
            back["visitor_id"],
            back["ts"] + DAY,
            back["ts"] + DAY,
            json.dumps([goal]),
        ],
    )
    steps = json.loads(
        db.execute("SELECT steps FROM sessions WHERE id = ?", [on["session_id"]]).fetchone()[0]
    )
    db.execute(
        "UPDATE sessions SET steps = ?, dwell = ?, events = events + 1 WHERE id = ?",
        [json.dumps([*steps, goal]), json.dumps([0] * (len(steps) + 1)), on["session_id"]],
    )
    if hasattr(db.conn, "commit"):
        db.conn.commit()
    after = activate.lift(db, site, "checkout-assist")
    expected = straight_lift_counts(db, site.id, "checkout-assist", goal)
    assert lift_counts(after) == expected_counts(expected)
    assert lift_counts(after) != lift_counts(first)


def test_stored_outcomes_follow_the_path_rules(seeded):
    db, site = seeded
    goal = "/checkout/done"
    keep(db, site, goal)
    before = lift.outcomes(db, site.id, "checkout-assist", goal)
    # Every page now counts as the goal: the stored outcomes are for other inputs.
    journeys.set_path_rules(db, site.id, {"rules": [{"match": "/*", "as": goal}]})
    after = lift.outcomes(db, site.id, "checkout-assist", goal)
    assert after == straight_outcomes(db, site.id, "checkout-assist", goal)
    assert sum(r for _, r in after) > sum(r for _, r in before)


# -- diagnosis: stored days --------------------------------------------------------------------


def same(a, b) -> bool:
    """Whether two diagnoses say the same (the seconds they took aside)."""
    import dataclasses

    return dataclasses.replace(a, seconds=0) == dataclasses.replace(b, seconds=0)


def stored_days(db) -> int:
    return db.execute("SELECT COUNT(*) FROM diagnosis_days").fetchone()[0]


def commit(db) -> None:
    if hasattr(db.conn, "commit"):
        db.conn.commit()


@pytest.mark.parametrize(
    "window",
    [
        (None, None),
        (NOW - NOW % DAY - 2 * DAY, NOW - NOW % DAY + DAY),
        (NOW - NOW % DAY - DAY, None),
    ],
)
def test_a_diagnosis_of_stored_days_equals_one_pass_over_the_sessions(seeded, window):
    from cxlisten.diagnose import diagnose

    db, site = seeded
    expected = diagnose(db, site, *window, stored=False)
    assert expected.sessions > 100 and expected.problems
    # The planted shallow scroll at payment is compared too: its step counts and the site's.
    checkout = expected.journey("checkout")
    assert checkout.problem.signals.shallow and any(s.shallow_share for s in checkout.steps)
    assert any(e.key == "evidence.shallow" for e in checkout.problem.evidence)
    assert stored_days(db) == 0
    assert same(diagnose(db, site, *window), expected)  # counted day by day, stored
    assert stored_days(db) >= 2
    assert same(diagnose(db, site, *window), expected)  # read back


def test_days_stored_in_an_older_format_are_counted_again(seeded, monkeypatch):
    from cxlisten import diagnosis_days
    from cxlisten.diagnose import diagnose

    db, site = seeded
    # Days stored before the scroll depth was counted: format 1, no "scroll" in the summary.
    with monkeypatch.context() as m:
        m.setattr(diagnosis_days, "FORMAT", 1)
        diagnose(db, site)
    rows = db.execute("SELECT site_id, day, inputs, summary FROM diagnosis_days").fetchall()
    assert rows
    for site_id, day, inputs, summary in rows:
        old = json.loads(summary)
        del old["scroll"]
        for f in old["funnels"]:
            del f["scroll"]
        db.execute(
            "UPDATE diagnosis_days SET summary = ? WHERE site_id = ? AND day = ? AND inputs = ?",
            [json.dumps(old), site_id, day, inputs],
        )
    commit(db)
    assert same(diagnose(db, site), diagnose(db, site, stored=False))
    assert stored_days(db) == 2 * len(rows)  # the old days are not read, the new ones kept


def test_a_changed_day_is_counted_again(seeded):
    from cxlisten.diagnose import diagnose
    from tests.phases.conftest import add_session

    db, site = seeded
    first = diagnose(db, site)
    day = db.execute("SELECT MIN(day) FROM diagnosis_days").fetchone()[0]
    # A session of that day gets one more step (an event), and a new one starts in it.
    sid, steps = db.execute(
        "SELECT id, steps FROM sessions WHERE started >= ? AND started < ? AND is_bot = 0 "
        "AND steps LIKE '%/checkout/payment%' LIMIT 1",
        [day * DAY, (day + 1) * DAY],
    ).fetchone()
    steps = json.loads(steps)
    db.execute(
        "UPDATE sessions SET steps = ?, dwell = ?, events = events + 1 WHERE id = ?",
        [json.dumps([*steps, "/help"]), json.dumps([400_000] * (len(steps) + 1)), sid],
    )
    commit(db)
    add_session(db, site, ["/cart", "/checkout", "/checkout/payment"], started=day * DAY + 1)
    changed = diagnose(db, site)
    assert same(changed, diagnose(db, site, stored=False))
    assert changed.sessions == first.sessions + 1


def test_a_pulse_answer_given_again_is_counted_again(seeded):
    from cxlisten.diagnose import diagnose

    db, site = seeded
    before = diagnose(db, site)
    assert stored_days(db)
    # Every pulse answer becomes a top score, given again later (the answers' upsert).
    db.execute(
        "UPDATE answers SET number = 10, answered_at = answered_at + 1 WHERE number IS NOT NULL "
        "AND survey IN (SELECT slug FROM surveys WHERE phase = 'track')"
    )
    commit(db)
    after = diagnose(db, site)
    assert same(after, diagnose(db, site, stored=False))
    assert any(j.problem.counts.pulse_low for j in before.journeys)
    assert not any(j.problem.counts.pulse_low for j in after.journeys)


def test_stored_days_follow_the_journeys(seeded):
    from cxlisten.diagnose import diagnose

    db, site = seeded
    diagnose(db, site)
    journeys.save_journey(
        db,
        site.id,
        {"name": "basket", "steps": ["/cart", "/checkout"], "goal": "/checkout/done"},
    )
    after = diagnose(db, site)
    assert after.journey("basket") is not None
    assert same(after, diagnose(db, site, stored=False))


def test_the_day_going_on_is_counted_not_kept(seeded):
    from cxlisten import diagnosis_days
    from cxlisten.diagnose import _Paths

    db, site = seeded
    rules = journeys.path_rules(db, site.id)
    named = journeys.list_journeys(db, site.id)
    last = db.execute("SELECT MAX(started) FROM sessions").fetchone()[0]
    days = len(diagnosis_days.store.day_stamps(db, site.id))
    diagnosis_days.window(
        db, site.id, rules, named, _Paths(rules, named), None, None, 4, now_ms=last
    )
    whole = db.execute("SELECT COUNT(*) FROM diagnosis_days WHERE inputs NOT LIKE '%@%'")
    assert whole.fetchone()[0] == days - 1  # all but the day of the last session...
    assert (
        stored_days(db) == days
    )  # ... of which its settled hours (test_storage_summaries_refresh)


def test_an_erased_visitor_leaves_no_stored_outcome(seeded):
    from cxlisten.storage import profiles
    from cxlisten.storage.db import transaction

    db, site = seeded
    keep(db, site, "/checkout/done")
    visitor = db.execute("SELECT visitor_id FROM exposure_outcomes LIMIT 1").fetchone()[0]
    with transaction(db):
        profiles.erase_visitor(db, site.id, visitor)
    left = db.execute("SELECT COUNT(*) FROM exposure_outcomes WHERE visitor_id = ?", [visitor])
    assert left.fetchone()[0] == 0
