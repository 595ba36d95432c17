"""Bulk writes for generated data (the traffic simulator): rows as tuples, many per statement.

The same statements as ``storage.events`` (so the rows are exactly what ingestion writes), minus
the per-row dict handling that dominates when a million rows go in at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cxlisten.storage import events
from cxlisten.storage.db import POSTGRESQL, Database, engine_of
from cxlisten.storage.events import EVENT_COLUMNS

__all__ = ["EVENT_COLUMNS", "insert_event_tuples", "large_cache", "touch_visitors"]


def insert_event_tuples(db: Database, rows: list[tuple]) -> None:
    """Insert events given as tuples in EVENT_COLUMNS order; call inside a transaction."""
    db.conn.executemany(events.INSERT_EVENT_SQL, rows)


def touch_visitors(db: Database, rows: list[tuple]) -> None:
    """Create or widen visitors from (id, site_id, first, last, new sessions) tuples."""
    db.conn.executemany(events.TOUCH_VISITOR_SQL, rows)


@contextmanager
def large_cache(db: Database, kib: int = 262_144) -> Iterator[None]:
    """Give the connection a page cache of KIB KiB for a bulk load, then restore it.

    With the indexes of a million rows in memory, inserts stop landing on uncached pages.
    SQLite's: PostgreSQL's cache is the server's (``shared_buffers``).
    """
    if engine_of(db) == POSTGRESQL:
        yield
        return
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")
