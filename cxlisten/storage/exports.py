"""Streaming reads for the exports: each function returns batches of rows, never all rows.

A query runs when its iterator is first advanced (so an HTTP export can send its header first)
and is read with ``fetchmany`` in batches of ``BATCH`` rows; memory stays flat however many rows
there are. The cursor is closed when the iterator is exhausted or closed. The column order of each
query is the column order of its export in ``cxlisten.export.catalogue``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cxlisten.storage.db import Database

BATCH = 1000

Batches = Iterator[list[tuple]]


def _stream(db: Database, sql: str, params: Sequence, size: int = BATCH) -> Batches:
    cursor = db.conn.execute(sql, list(params))
    try:
        while True:
            rows = cursor.fetchmany(size)
            if not rows:
                return
            yield rows
    finally:
        cursor.close()


def _window(column: str, since: int | None, until: int | None) -> tuple[str, list]:
    sql, params = "", []
    if since is not None:
        sql += f" AND {column} >= ?"
        params.append(since)
    if until is not None:
        sql += f" AND {column} < ?"
        params.append(until)
    return sql, params


EVENT_COLUMNS = (
    "e.ts", "e.received_at", "e.kind", "e.id", "e.visitor_id", "e.session_id", "e.url", "e.path",
    "e.name", "e.action", "e.value", "s.device", "s.browser", "s.os", "e.data",
)


def stream_events(
    db: Database, site_id: int, *, since: int | None = None, until: int | None = None,
    bots: bool = False, with_steps: bool = False,
) -> Batches:
    """Yield events of a site in time order (then arrival order), each with its session's device.

    WITH_STEPS appends the session's journey (JSON list of paths), for journey filters.
    """
    where, params = _window("e.ts", since, until)
    if not bots:
        where += " AND s.is_bot = 0"
    columns = ", ".join(EVENT_COLUMNS + (("s.steps",) if with_steps else ()))
    return _stream(
        db,
        f"SELECT {columns} FROM events e JOIN sessions s ON s.id = e.session_id "
        f"WHERE e.site_id = ?{where} ORDER BY e.ts, e.seq",
        [site_id, *params],
    )


SESSION_COLUMNS = (
    "id", "visitor_id", "started", "last_ts", "last_ts - started", "pageviews", "events", "entry",
    "exit", "steps", "dwell", "custom", "max_scroll", "surveys_shown", "surveys_answered",
    "surveys_dismissed", "interventions_shown", "interventions_clicked", "device", "browser", "os",
    "is_returning", "is_bot",
)


def stream_sessions(
    db: Database, site_id: int, *, since: int | None = None, until: int | None = None,
    bots: bool = False,
) -> Batches:
    """Yield session summaries of a site that started in the window, in start order."""
    where, params = _window("started", since, until)
    if not bots:
        where += " AND is_bot = 0"
    return _stream(
        db,
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE site_id = ?{where} "
        "ORDER BY started, id",
        [site_id, *params],
    )


VISITOR_COLUMNS = ("v.id", "v.first_seen", "v.last_seen", "v.sessions")


def stream_visitors(
    db: Database, site_id: int, *, since: int | None = None, until: int | None = None,
    bots: bool = False,
) -> Batches:
    """Yield visitors of a site seen during the window, in order of first visit.

    Without BOTS, a visitor all of whose sessions were bots is left out.
    """
    where, params = "", []
    if since is not None:
        where += " AND v.last_seen >= ?"
        params.append(since)
    if until is not None:
        where += " AND v.first_seen < ?"
        params.append(until)
    if not bots:
        where += (
            " AND EXISTS (SELECT 1 FROM sessions s WHERE s.visitor_id = v.id AND s.is_bot = 0)"
        )
    return _stream(
        db,
        f"SELECT {', '.join(VISITOR_COLUMNS)} FROM visitors v WHERE v.site_id = ?{where} "
        "ORDER BY v.first_seen, v.id",
        [site_id, *params],
    )
