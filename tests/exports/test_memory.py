"""Exports stream: memory does not grow with the number of rows."""

from __future__ import annotations

import json
import tracemalloc

from cxlisten.export import chunks, open_export
from cxlisten.storage import transaction


def fill(db, site, sessions: int, per_session: int = 10) -> None:
    """Store SESSIONS sessions of PER_SESSION page views straight into the tables."""
    with transaction(db):
        for s in range(sessions):
            sid, vid = f"s{s:08d}", f"v{s:08d}"
            db.execute(
                "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts, steps, dwell) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    sid,
                    site.id,
                    vid,
                    s * 60_000,
                    s * 60_000 + 9,
                    json.dumps(["/"] * per_session),
                    json.dumps([0] * per_session),
                ],
            )
            db.execute(
                "INSERT INTO visitors (id, site_id, first_seen, last_seen, sessions) "
                "VALUES (?, ?, ?, ?, 1)",
                [vid, site.id, s * 60_000, s * 60_000],
            )
            db.conn.executemany(
                "INSERT INTO events (site_id, id, visitor_id, session_id, kind, ts, received_at, "
                "url, path, data) VALUES (?, ?, ?, ?, 'pageview', ?, ?, ?, '/', ?)",
                [
                    (
                        site.id,
                        f"{sid}-{i}",
                        vid,
                        sid,
                        s * 60_000 + i,
                        s * 60_000 + i,
                        "https://shop.example/",
                        '{"title":"运费, \\"价格\\""}',
                    )
                    for i in range(per_session)
                ],
            )


def peak_while_exporting(db, name: str, fmt: str) -> tuple[int, int]:
    table = open_export(db, name, {})
    tracemalloc.start()
    try:
        size = sum(len(text) for text in chunks(table, fmt))
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()
        table.close()


def test_peak_memory_is_flat_from_1_000_to_10_000_events(db, site, monkeypatch):
    from cxlisten.storage import exports as store

    monkeypatch.setattr(store, "BATCH", 50)  # both sizes span many batches
    fill(db, site, 100)
    small = {name: peak_while_exporting(db, name, "csv") for name in ("events", "sessions")}
    fill_more = 900
    with transaction(db):
        db.execute("DELETE FROM events")
        db.execute("DELETE FROM sessions")
        db.execute("DELETE FROM visitors")
    fill(db, site, 100 + fill_more)
    for name, (small_peak, small_size) in small.items():
        peak, size = peak_while_exporting(db, name, "csv")
        assert size > 9 * small_size  # ten times the rows ...
        assert peak < 1.5 * small_peak + 200_000, (name, small_peak, peak)  # ... same memory
    peak, _ = peak_while_exporting(db, "events", "jsonl")
    assert peak < 1_000_000
