"""Stored summaries built off the request path (cxlisten.summaries): ``refresh`` stores what the
console's pages would count on their first visit, the first batch of a settled day claims it
once across workers, and ``cxlisten summaries refresh`` runs it from cron. On both engines (this
file's name puts it in ``BOTH_ENGINES``); every time comes from a clock the test sets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from collector import create_app, day_end
from cxlisten import activate, journeys, sites, summaries
from cxlisten.cli import cli
from cxlisten.diagnose import diagnose
from cxlisten.lift import goal_of
from cxlisten.simulate import simulate
from cxlisten.storage import diagnosis_days as day_store
from cxlisten.storage import rules as rule_store
from cxlisten.storage.db import open_database, transaction
from tests.conftest import batch, event
from tests.test_storage_summaries import same

NOW = 1_795_000_000_000 - 1_795_000_000_000 % 86_400_000 + 9 * 3_600_000  # 09:00 UTC of a day
DAY = 86_400_000
TODAY = NOW // DAY
RULES = Path(__file__).parents[1] / "examples" / "rules.json"


@pytest.fixture
def seeded(db):
    """(db, site): four days of simulated shop traffic up to NOW, with the example rules."""
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_seed")
    simulate(db, site, events=4000, seed=5, now=NOW, days=4)
    activate.load_rules_file(db, site, str(RULES))
    return db, site


def stored_days(db, site_id) -> set[int]:
    """The days stored whole (not a part of the day going on: ``inputs@HOUR``)."""
    rows = db.execute(
        "SELECT day FROM diagnosis_days WHERE site_id = ? AND inputs NOT LIKE '%@%'", [site_id]
    )
    return {d for (d,) in rows}


def stored_parts(db, site_id) -> list[tuple[int, str]]:
    """(day, hour it ends) of the parts of a day going on that are stored."""
    rows = db.execute(
        "SELECT day, inputs FROM diagnosis_days WHERE site_id = ? AND inputs LIKE '%@%'", [site_id]
    )
    return [(d, i.split("@")[1]) for d, i in rows]


def stored_outcomes(db, site_id) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM exposure_outcomes WHERE site_id = ?", [site_id]
    ).fetchone()[0]


def days_with_sessions(db, site_id) -> set[int]:
    return set(day_store.day_stamps(db, site_id, (TODAY - 30) * DAY, TODAY * DAY))


def test_refresh_stores_every_finished_day_and_every_rules_outcomes(seeded):
    db, site = seeded
    assert not stored_days(db, site.id) and not stored_outcomes(db, site.id)
    done = summaries.refresh(db, site, now_ms=NOW)
    finished = days_with_sessions(db, site.id)
    assert finished and stored_days(db, site.id) == finished  # today's, going on, is not kept...
    assert stored_parts(db, site.id) == [(TODAY, str(NOW - NOW % 3_600_000 - 3_600_000))]
    assert done.days == len(finished) and done.outcomes == stored_outcomes(db, site.id) > 0
    assert done.rules == sum(1 for r in rule_store.list_rules(db, site.id) if goal_of(db, 1, r))
    again = summaries.refresh(db, site, now_ms=NOW)
    assert again.outcomes == 0 and stored_days(db, site.id) == finished
    # what the console's 30 days then read is what one pass over the sessions gives
    window = ((TODAY - 29) * DAY, (TODAY + 1) * DAY)
    assert same(diagnose(db, site, *window), diagnose(db, site, *window, stored=False))


def test_a_day_is_claimed_once_and_only_once_settled(seeded, db_path):
    db, site = seeded
    early = TODAY * DAY + summaries.SETTLE_MS - 1  # yesterday's last sessions may still go on
    assert not summaries.claim_day(db, site.id, early)
    assert summaries.claim_day(db, site.id, NOW)
    other = open_database(db_path)  # another worker, another collector: its own connection
    try:
        assert not summaries.claim_day(other, site.id, NOW + 1000)
        assert summaries.claim_day(other, site.id, NOW + DAY)  # the next day is claimed anew
    finally:
        other.conn.close()


@pytest.fixture
def collector(seeded, db_path, monkeypatch):
    """A test client of the collector over the seeded database, its day clock at NOW."""
    clock = {"now": NOW / 1000}
    monkeypatch.setattr(day_end, "clock", lambda: clock["now"])
    app = create_app({"db": db_path, "secret": "test-secret"})
    return app.test_client(), clock


def post(client, site) -> dict:
    reply = client.post("/v1/collect", json=batch(site, event(url="https://shop.example/")))
    assert reply.status_code == 200, reply.get_json()
    reply.close()  # what the WSGI server does once the answer is sent
    return reply.get_json()


def test_the_first_batch_of_a_settled_day_refreshes_the_site_after_its_answer(seeded, collector):
    db, site = seeded
    client, clock = collector
    clock["now"] = (TODAY * DAY + summaries.SETTLE_MS - 60_000) / 1000
    post(client, site)  # too early in the day: nothing claimed, nothing built
    assert not stored_days(db, site.id)
    clock["now"] = NOW / 1000
    post(client, site)
    assert stored_days(db, site.id) == days_with_sessions(db, site.id)
    assert stored_outcomes(db, site.id) > 0
    with transaction(db):
        db.execute("DELETE FROM diagnosis_days")
    post(client, site)  # the day's refresh is done: later batches of the day cost nothing
    assert not stored_days(db, site.id)
    assert db.execute("SELECT COUNT(*) FROM summary_claims").fetchone()[0] == 1


def test_a_day_another_worker_claimed_is_not_refreshed_twice(seeded, collector):
    db, site = seeded
    client, _ = collector
    assert summaries.claim_day(db, site.id, NOW)  # another worker got there first
    post(client, site)
    assert not stored_days(db, site.id)


def test_the_cli_refreshes_every_site_or_one(seeded, db_path):
    db, site = seeded
    sites.create_site(db, "Empty", ["https://empty.example"], key="cx_empty")
    runner = CliRunner()
    until = ["--until", time.strftime("%Y-%m-%d", time.gmtime(NOW / 1000))]  # NOW's day
    done = runner.invoke(cli, ["summaries", "refresh", "--db", db_path, *until])
    assert done.exit_code == 0, done.output
    assert "site cx_seed:" in done.output and "site cx_empty: 0 days" in done.output
    assert stored_days(db, site.id) == days_with_sessions(db, site.id)
    one = runner.invoke(cli, ["summaries", "refresh", "--db", db_path, "--site", "cx_seed", *until])
    assert one.exit_code == 0 and "(0 worked out now)" in one.output
    for args, message in [
        (["--site", "cx_nope"], "no site with key cx_nope"),
        (["--days", "0"], "Invalid value for '--days'"),
    ]:
        bad = runner.invoke(cli, ["summaries", "refresh", "--db", db_path, *args])
        assert bad.exit_code != 0 and message in bad.output and "Traceback" not in bad.output


# -- the day going on: its settled hours kept ----------------------------------------------------


def window_at(db, site, now_ms: int, monkeypatch) -> tuple[object, list[tuple[int, int]]]:
    """The diagnosis counts of SITE's whole history as of NOW_MS, and the [since, until) of
    every range of sessions it counted (not read back)."""
    from cxlisten import diagnosis_days
    from cxlisten.diagnose import _Paths

    counted = []
    real = diagnosis_days.scan

    def scan(db, site_id, since, until, *rest):
        counted.append((since, until))
        return real(db, site_id, since, until, *rest)

    monkeypatch.setattr(diagnosis_days, "scan", scan)
    rules, named = journeys.path_rules(db, site.id), journeys.list_journeys(db, site.id)
    state = diagnosis_days.window(
        db, site.id, rules, named, _Paths(rules, named), None, None, 4, now_ms=now_ms
    )
    return state, counted


def test_the_settled_hours_of_the_day_going_on_are_kept_and_reused(seeded, monkeypatch):
    db, site = seeded
    now = TODAY * DAY + 9 * 3_600_000 + 40 * 60_000  # 09:40: sessions before 09:00 have settled
    cut = TODAY * DAY + 9 * 3_600_000
    first, counted = window_at(db, site, now, monkeypatch)
    assert (cut, (TODAY + 1) * DAY) in counted and (TODAY * DAY, cut) in counted
    parts = db.execute("SELECT day, inputs FROM diagnosis_days WHERE inputs LIKE '%@%'")
    assert [(d, i.split("@")[1]) for d, i in parts] == [(TODAY, str(cut))]
    again, counted = window_at(db, site, now + 60_000, monkeypatch)
    assert counted == [(cut, (TODAY + 1) * DAY)]  # the settled hours read back, not counted
    assert again.to_json() == first.to_json()
    # an hour later the next hour has settled: its part replaces the one before
    window_at(db, site, now + 3_600_000, monkeypatch)
    parts = db.execute("SELECT inputs FROM diagnosis_days WHERE inputs LIKE '%@%'").fetchall()
    assert [i.split("@")[1] for (i,) in parts] == [str(cut + 3_600_000)]


def test_a_day_going_on_counted_in_parts_is_the_day_counted_whole(seeded, monkeypatch):
    db, site = seeded
    now = TODAY * DAY + 9 * 3_600_000 + 40 * 60_000
    window_at(db, site, now, monkeypatch)  # stores the settled hours
    parted, _ = window_at(db, site, now, monkeypatch)
    with transaction(db):
        db.execute("DELETE FROM diagnosis_days")
    whole, _ = window_at(db, site, (TODAY + 2) * DAY, monkeypatch)  # every day over: no parts
    assert parted.to_json() == whole.to_json()


def test_a_settled_session_that_changes_has_its_hours_counted_again(seeded, monkeypatch):
    db, site = seeded
    now = TODAY * DAY + 9 * 3_600_000 + 40 * 60_000
    cut = TODAY * DAY + 9 * 3_600_000
    window_at(db, site, now, monkeypatch)
    with transaction(db):  # a long session of the morning gets one more event
        db.execute(
            "UPDATE sessions SET events = events + 1 WHERE id = (SELECT id FROM sessions "
            "WHERE started >= ? AND started < ? AND is_bot = 0 ORDER BY started LIMIT 1)",
            [TODAY * DAY, cut],
        )
    _, counted = window_at(db, site, now, monkeypatch)
    assert (TODAY * DAY, cut) in counted


def test_refresh_stores_each_surveys_finished_days_so_the_results_page_counts_only_today(
    seeded, monkeypatch
):
    from cxlisten import results_days
    from cxlisten.surveys.results import load_filters, results

    db, site = seeded
    done = summaries.refresh(db, site, now_ms=NOW)
    slugs = {
        s
        for (s,) in db.execute(
            "SELECT DISTINCT survey FROM results_days WHERE site_id = ?", [site.id]
        )
    }
    assert done.surveys >= 2 and {"pulse", "cart-abandon"} <= slugs
    days = [d for (d,) in db.execute("SELECT day FROM results_days WHERE site_id = ?", [site.id])]
    assert max(days) < TODAY  # the day going on is never kept
    counted: list[int] = []
    count = results_days._count
    monkeypatch.setattr(results_days, "_count", lambda *a: counted.append(a[3] // DAY) or count(*a))
    for slug in ("pulse", "cart-abandon"):
        results(db, site, slug, load_filters({}), now=NOW)
    assert all(day >= TODAY for day in counted), counted
