"""What the phase pages read: the track page's diagnosis comes from the session summaries and
the stored days, never from the raw events (the demo database, 1,000 simulated visitors)."""

from __future__ import annotations

import re

from tests.console import test_phase_pages as phase_pages

demo_db, demo_app = phase_pages.demo_db, phase_pages.demo_app
person = phase_pages.person


def statements(demo_app, person, path: str) -> list[str]:
    """The SQL the console's connection runs to serve PATH."""
    ran: list[str] = []
    with demo_app.extensions["cxlisten"].db.tracer(lambda sql, params: ran.append(sql)):
        reply = person.get(path)
    assert reply.status_code == 200
    return ran


def test_the_track_page_reads_the_session_summaries_never_the_events(demo_app, person):
    # a window no page asked for before: computed now, not taken from the minute's cache
    ran = statements(demo_app, person, "/console/track?window=custom&from=2020-01-01&to=2030-12-31")
    assert any(re.search(r"\bFROM sessions\b", sql) for sql in ran)
    assert any("diagnosis_days" in sql for sql in ran)
    assert not [sql for sql in ran if re.search(r"\b(FROM|JOIN) events\b", sql)]


def test_the_home_page_reads_only_the_newest_events(demo_app, person):
    ran = statements(demo_app, person, "/console/home?window=custom&from=2020-01-01&to=2030-12-31")
    on_events = [sql for sql in ran if re.search(r"\b(FROM|JOIN) events\b", sql)]
    assert len(on_events) == 1 and "ORDER BY ts DESC LIMIT" in on_events[0]
