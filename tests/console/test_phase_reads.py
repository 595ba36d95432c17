"""What the phase pages read: the track page's diagnosis comes from the session summaries and
the stored days, never from the raw events (the demo database, 1,000 simulated visitors)."""

from __future__ import annotations

import re
import time

from tests.clock import DAY_MS, now_ms
from tests.console import test_phase_pages as phase_pages

demo_db, demo_app = phase_pages.demo_db, phase_pages.demo_app
person = phase_pages.person


def custom(page: str, days: int) -> str:
    """PAGE over the last DAYS days as a custom window (one no other test asks for: computed
    now, not taken from the minute's cache)."""
    start, end = (
        time.strftime("%Y-%m-%d", time.gmtime(t / 1000))
        for t in (now_ms() - days * DAY_MS, now_ms())
    )
    return f"{page}?window=custom&from={start}&to={end}"


def statements(demo_app, person, path: str) -> list[str]:
    """The SQL the console's connection runs to serve PATH."""
    ran: list[str] = []
    with demo_app.extensions["cxlisten"].db.tracer(lambda sql, params: ran.append(sql)):
        reply = person.get(path)
    assert reply.status_code == 200
    return ran


def test_the_track_page_reads_the_session_summaries_never_the_events(demo_app, person):
    ran = statements(demo_app, person, custom("/console/track", 41))
    assert any(re.search(r"\bFROM sessions\b", sql) for sql in ran)
    assert any("diagnosis_days" in sql for sql in ran)
    assert not [sql for sql in ran if re.search(r"\b(FROM|JOIN) events\b", sql)]


def test_the_home_page_reads_only_the_newest_events(demo_app, person):
    ran = statements(demo_app, person, custom("/console/home", 42))
    on_events = [sql for sql in ran if re.search(r"\b(FROM|JOIN) events\b", sql)]
    assert len(on_events) == 1 and "ORDER BY ts DESC LIMIT" in on_events[0]
