"""The results page's stored days (``results_days``, m0019) give exactly what the live count
gives, on SQLite and on PostgreSQL, before and after the data under them changes: a response
arriving late into a stored day, an answer given again, a response completed, a visitor
erased. The reference is the straightforward computation (``deepdive.report`` over every
response with the filters as its ``keep``, the table sorted and paged by hand) of
tests/console/test_results_fast.py; and a stored day that no longer matches its responses is
never read (a tampered row is, while its stamp holds: so the page does read what is kept)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cxlisten import results_days
from cxlisten import results_tally as tally
from cxlisten.simulate import simulate
from cxlisten.storage import responses as response_store
from cxlisten.storage import results as response_reads
from cxlisten.storage.db import transaction
from cxlisten.surveys import profile
from cxlisten.surveys.results import load_filters, results
from tests.console.test_results_fast import straightforward

pytestmark = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)

NOW = int(datetime(2026, 3, 2, 12, tzinfo=UTC).timestamp() * 1000)  # the simulation's clock
DAY_MS = 86_400_000
TODAY = NOW // DAY_MS


def _day(offset: int) -> str:
    return (datetime.fromtimestamp(NOW / 1000, UTC) - timedelta(days=offset)).date().isoformat()


FILTERS = [
    {},
    {"device": "mobile"},
    {"device": "desktop", "completion": "complete"},
    {"completion": "partial"},
    {"locale": "zh-CN"},
    {"channel": "web"},
    {"version": "1"},
    {"since": _day(3)},
    {"since": _day(5), "until": _day(2)},
    {"until": _day(1), "device": "mobile"},
    {"page": "2"},
    {"page": "3"},  # past the middle: read from the oldest end
    {"device": "desktop", "page": "2"},
    {"page": "100000"},
]


@pytest.fixture
def shop(db, site):
    """The demo shop simulated for a week up to NOW: pulse and cart-abandon answered."""
    simulate(db, site, events=12_000, seed=5, days=7, now=NOW)
    return site


def page(db, site, slug: str, args: dict):
    return results(db, site, slug, load_filters(args), now=NOW)


def assert_live(db, site, slug: str, args: dict) -> None:
    """The page under ARGS is what the straightforward computation gives."""
    expected = straightforward(db, site, slug, args)
    found = page(db, site, slug, args)
    assert found.report == expected["report"], args
    assert (found.funnel["answered"], found.funnel["complete"]) == (
        expected["answered"],
        expected["complete"],
    ), args
    assert (found.filtered, found.pages) == (expected["filtered"], expected["pages"]), args
    assert [(r["id"], r["journey"], r["answers"]) for r in found.rows] == expected["rows"], args
    assert [t["n"] for t in found.trend] == [n for n, _ in expected["trend"]], args


def stored(db, slug: str) -> dict[int, str]:
    rows = db.execute("SELECT day, stamp FROM results_days WHERE survey = ?", [slug])
    return {day: stamp for day, stamp in rows}


def live_cells(db, site, slug: str, day: int) -> tally.Tally:
    """The cells of DAY counted from its rows, never stored."""
    responses, answers = response_reads.filtered_responses(
        db, site.id, slug, since=day * DAY_MS, until=(day + 1) * DAY_MS, version=None,
        device=None, locale=None, completion=None, channel=None, answer=None,
    )  # fmt: skip
    return tally.cells_of(responses, answers)


def copy_response(db, response_id: int, started_at: int, client: str) -> int:
    """Store a copy of response RESPONSE_ID started at STARTED_AT (a response arriving late)."""
    cols = ", ".join(response_store.RESPONSE_COLUMNS)
    row = db.execute(f"SELECT {cols} FROM responses WHERE id = ?", [response_id]).fetchone()
    item = dict(zip(response_store.RESPONSE_COLUMNS, row, strict=True))
    item.update(client_id=client, started_at=started_at, updated_at=started_at)
    item["journey"] = json.loads(item["journey"])
    acols = ", ".join(response_store.ANSWER_COLUMNS)
    answers = db.execute(f"SELECT {acols} FROM answers WHERE response_id = ?", [response_id])
    answers = [dict(zip(response_store.ANSWER_COLUMNS, a, strict=True)) for a in answers]
    with transaction(db):
        new_id = response_store.insert_response(db, item)
        response_store.upsert_answers(db, [{**a, "response_id": new_id} for a in answers])
    return new_id


@pytest.mark.parametrize("slug", ["pulse", "cart-abandon"])
def test_stored_days_give_what_the_live_count_gives(db, shop, slug):
    for args in FILTERS:  # the first visit counts and stores the days, the second reads them
        assert_live(db, shop, slug, args)
    days = stored(db, slug)
    assert len(days) >= 5 and TODAY not in days  # today is counted live, never kept
    last = page(db, shop, slug, {"page": "100000"})
    assert (last.pages - 1) * 25 > last.filtered // 2 > 0  # the last page: from the oldest end
    for args in FILTERS:
        assert_live(db, shop, slug, args)
    read = results_days.cells(db, shop.id, slug, None, None, now_ms=NOW).days()
    for day in days:  # each kept day, read back, is the day counted from its rows
        assert tally.to_json(read[day]) == tally.to_json(live_cells(db, shop, slug, day))


def test_what_is_kept_holds_no_text_and_no_visitor(db, shop):
    page(db, shop, "cart-abandon", {})
    kept = " ".join(r[0] for r in db.execute("SELECT cells FROM results_days"))
    texts = db.execute(
        "SELECT value FROM answers WHERE type = 'text' UNION SELECT other FROM answers "
        "WHERE other IS NOT NULL UNION SELECT visitor_id FROM responses"
    ).fetchall()
    assert texts and not [t for (t,) in texts if t and len(t) > 3 and t in kept]


def test_a_kept_day_is_read_while_its_stamp_holds(db, shop):
    """A stored day whose responses did not change is read, not counted: a row tampered with
    under the same stamp shows (how the changes below are known to be seen by the stamp)."""
    before = page(db, shop, "pulse", {})
    day = min(stored(db, "pulse"))
    with transaction(db):
        db.execute(
            "UPDATE results_days SET cells = ? WHERE survey = ? AND day = ?",
            [tally.to_json(tally.Tally()), "pulse", day],
        )
    assert page(db, shop, "pulse", {}).filtered < before.filtered


def _first_response(db, slug: str, day: int) -> int:
    return db.execute(
        "SELECT MIN(id) FROM responses WHERE survey = ? AND started_at >= ? AND started_at < ?",
        [slug, day * DAY_MS, (day + 1) * DAY_MS],
    ).fetchone()[0]


def _late(db, site, slug: str, day: int) -> None:
    copy_response(db, _first_response(db, slug, day), day * DAY_MS + 1000, "late-1")


def _again(db, site, slug: str, day: int) -> None:
    """The day's first answer given again, with another value (the widget's resend)."""
    rid = _first_response(db, slug, day)
    question, qtype = db.execute(
        "SELECT question, type FROM answers WHERE response_id = ? ORDER BY position LIMIT 1", [rid]
    ).fetchone()
    at = NOW - 1000
    with transaction(db):
        db.execute(
            "UPDATE answers SET value = ?, number = ?, other = ?, answered_at = ? "
            "WHERE response_id = ? AND question = ?",
            ["1", 1.0, None, at, rid, question]
            if qtype in ("nps", "csat", "ces", "rating")
            else ["other", None, "late other text", at, rid, question],
        )
        db.execute("UPDATE responses SET updated_at = ? WHERE id = ?", [at, rid])


def _answer_alone(db, site, slug: str, day: int) -> None:
    """An answer's text changed with no other column of its response (an import, a fix)."""
    rid = db.execute(
        "SELECT MIN(a.response_id) FROM answers a JOIN responses r ON r.id = a.response_id "
        "WHERE r.survey = ? AND a.type = 'text' AND r.started_at >= ? AND r.started_at < ?",
        [slug, day * DAY_MS, (day + 1) * DAY_MS],
    ).fetchone()[0]
    with transaction(db):
        db.execute(
            "UPDATE answers SET value = ?, answered_at = answered_at + 1 "
            "WHERE response_id = ? AND type = 'text'",
            ["the delivery was far too slow, really", rid],
        )


def _returning(db, site, slug: str, day: int) -> None:
    """The session of a response turns out a returning visitor's (its row written again)."""
    with transaction(db):
        db.execute(
            "UPDATE sessions SET is_returning = 1 - is_returning WHERE id = "
            "(SELECT session_id FROM responses WHERE id = ?)",
            [_first_response(db, slug, day)],
        )


def _completed(db, site, slug: str, day: int) -> None:
    rid = db.execute(
        "SELECT MIN(id) FROM responses WHERE survey = ? AND status = 'partial' "
        "AND started_at >= ? AND started_at < ?",
        [slug, day * DAY_MS, (day + 1) * DAY_MS],
    ).fetchone()[0]
    with transaction(db):
        response_store.update_response(
            db, rid, status="complete", answered=3, updated_at=NOW - 500, completed_at=NOW - 500
        )


def _erased(db, site, slug: str, day: int) -> None:
    visitor = db.execute(
        "SELECT visitor_id FROM responses WHERE id = ?", [_first_response(db, slug, day)]
    ).fetchone()[0]
    profile.erase_visitor(db, site, visitor)


@pytest.mark.parametrize("change", [_late, _again, _answer_alone, _returning, _completed, _erased])
def test_a_kept_day_whose_responses_change_is_counted_again(db, shop, change):
    slug = "cart-abandon"
    first = page(db, shop, slug, {})
    days = stored(db, slug)
    day = sorted(days)[1]
    change(db, shop, slug, day)
    for args in ({}, {"device": "mobile"}, {"since": _day(6)}, {"completion": "complete"}):
        assert_live(db, shop, slug, args)
    assert stored(db, slug)[day] != days[day]  # counted again and kept under its new stamp
    others = {d: s for d, s in stored(db, slug).items() if d != day}
    assert others == {d: s for d, s in days.items() if d != day}  # the other days stay as kept
    after = page(db, shop, slug, {})
    assert (after.report, after.filtered, after.rows) != (first.report, first.filtered, first.rows)


def test_today_is_counted_live(db, shop):
    slug = "pulse"
    before = page(db, shop, slug, {})
    copy_response(db, _first_response(db, slug, TODAY - 1), NOW - 60_000, "today-1")
    assert page(db, shop, slug, {}).filtered == before.filtered + 1
    assert TODAY not in stored(db, slug)
    assert_live(db, shop, slug, {})
