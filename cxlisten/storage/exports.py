"""Streaming reads for the exports: each function returns batches of rows, never all rows.

A query runs when its iterator is first advanced (so an HTTP export can send its header first)
and is read with ``fetchmany`` in batches of ``BATCH`` rows; memory stays flat however many rows
there are. The cursor is closed when the iterator is exhausted or closed. The column order of each
query is the column order of its export in ``cxlisten.export.catalogue``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cxlisten.storage.db import Database
from cxlisten.storage.operational import summary_column

BATCH = 1000

Batches = Iterator[list[tuple]]


def _stream(db: Database, sql: str, params: Sequence) -> Batches:
    cursor = db.conn.execute(sql, list(params))
    size = BATCH
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
    "e.ts",
    "e.received_at",
    "e.kind",
    "e.id",
    "e.visitor_id",
    "e.session_id",
    "e.url",
    "e.path",
    "e.name",
    "e.action",
    "e.value",
    "e.data",
)


def stream_events(
    db: Database,
    site_id: int,
    *,
    since: int | None = None,
    until: int | None = None,
    bots: bool = False,
    with_steps: bool = False,
) -> Batches:
    """Yield events of a site in time order (then arrival order).

    WITH_STEPS appends the session's journey (JSON list of paths), for journey filters.
    """
    where, params = _window("e.ts", since, until)
    if not bots:
        # A set lookup per row, built once: much cheaper than joining every event's session.
        where += (
            " AND e.session_id NOT IN (SELECT id FROM sessions WHERE site_id = ? AND is_bot = 1)"
        )
        params.append(site_id)
    columns = ", ".join(EVENT_COLUMNS)
    join = ""
    if with_steps:
        columns += ", s.steps"
        join = " JOIN sessions s ON s.id = e.session_id"
    return _stream(
        db,
        f"SELECT {columns} FROM events e{join} WHERE e.site_id = ?{where} ORDER BY e.ts, e.seq",
        [site_id, *params],
    )


SESSION_COLUMNS = (
    "id",
    "visitor_id",
    "started",
    "last_ts",
    "last_ts - started",
    "pageviews",
    "events",
    "entry",
    "exit",
    "steps",
    "dwell",
    "custom",
    "max_scroll",
    "surveys_shown",
    "surveys_answered",
    "surveys_dismissed",
    "interventions_shown",
    "interventions_clicked",
    "rage_clicks",
    "dead_clicks",
    "abandoned_fields",
    "scroll",
    "device",
    "browser",
    "os",
    "is_returning",
    "is_bot",
)


def stream_sessions(
    db: Database,
    site_id: int,
    *,
    since: int | None = None,
    until: int | None = None,
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


# Device, browser and system of the visitor's latest session (sessions_visitor index): what a
# person looks for to find themselves.
_LATEST_SESSION = (
    "(SELECT s.{} FROM sessions s WHERE s.visitor_id = v.id ORDER BY s.last_ts DESC LIMIT 1)"
)
# The customer a visitor is linked to and that customer's operational summary (m0010).
CUSTOMER_SUMMARY = ("customer", "orders", "revenue", "open_tickets")
VISITOR_COLUMNS = (
    "v.id",
    "v.first_seen",
    "v.last_seen",
    "v.sessions",
    *(_LATEST_SESSION.format(name) for name in ("device", "browser", "os")),
    *(summary_column(what, "v.site_id", "v.id") for what in CUSTOMER_SUMMARY),
)


def stream_visitors(
    db: Database,
    site_id: int,
    *,
    since: int | None = None,
    until: int | None = None,
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
        where += " AND EXISTS (SELECT 1 FROM sessions s WHERE s.visitor_id = v.id AND s.is_bot = 0)"
    return _stream(
        db,
        f"SELECT {', '.join(VISITOR_COLUMNS)} FROM visitors v WHERE v.site_id = ?{where} "
        "ORDER BY v.first_seen, v.id",
        [site_id, *params],
    )


RESPONSE_COLUMNS = (
    "r.id",
    "r.started_at",
    "r.updated_at",
    "r.completed_at",
    "r.survey",
    "r.version",
    "r.client_id",
    "r.status",
    "r.answered",
    "r.visitor_id",
    "r.session_id",
    "r.locale",
    "r.url",
    "r.path",
    "r.device",
    "r.browser",
    "r.os",
    "r.journey",
    "r.is_bot",
    "r.channel",
    *(summary_column(what, "r.site_id", "r.visitor_id") for what in CUSTOMER_SUMMARY),
)


def _response_where(survey, since, until, bots, channel=None) -> tuple[str, list]:
    where, params = _window("r.started_at", since, until)
    if survey is not None:
        where += " AND r.survey = ?"
        params.append(survey)
    if channel is not None:
        where += " AND r.channel = ?"
        params.append(channel)
    if not bots:
        where += " AND r.is_bot = 0"
    return where, params


def stream_responses(
    db: Database,
    site_id: int,
    *,
    survey: str | None = None,
    since: int | None = None,
    until: int | None = None,
    bots: bool = False,
    with_steps: bool = False,
    channel: str | None = None,
) -> Batches:
    """Yield responses (RESPONSE_COLUMNS) that began in the window, in the order they began.

    WITH_STEPS appends the journey of the response's session (JSON list, null without one).
    """
    where, params = _response_where(survey, since, until, bots, channel)
    columns = ", ".join(RESPONSE_COLUMNS + (("s.steps",) if with_steps else ()))
    join = " LEFT JOIN sessions s ON s.id = r.session_id" if with_steps else ""
    return _stream(
        db,
        f"SELECT {columns} FROM responses r{join} WHERE r.site_id = ?{where} "
        "ORDER BY r.started_at, r.id",
        [site_id, *params],
    )


def answers_of(db: Database, response_ids: Sequence[int]) -> dict[int, list[tuple]]:
    """Return {response id: [(question, value, number, other), ...]} for a batch of responses."""
    out: dict[int, list[tuple]] = {i: [] for i in response_ids}
    for start in range(0, len(response_ids), 500):
        ids = list(response_ids[start : start + 500])
        cursor = db.conn.execute(
            "SELECT response_id, question, value, number, other FROM answers "
            f"WHERE response_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        for response_id, *answer in cursor:
            out[response_id].append(tuple(answer))
    return out


ANSWER_COLUMNS = (
    "a.answered_at",
    "r.survey",
    "r.version",
    "r.client_id",
    "r.status",
    "r.visitor_id",
    "r.session_id",
    "a.question",
    "a.position",
    "a.type",
    "a.value",
    "a.number",
    "a.other",
    "r.locale",
    "r.device",
    "r.path",
)


def stream_answers(
    db: Database,
    site_id: int,
    *,
    survey: str | None = None,
    since: int | None = None,
    until: int | None = None,
    bots: bool = False,
    with_steps: bool = False,
    channel: str | None = None,
) -> Batches:
    """Yield answers (ANSWER_COLUMNS) of responses that began in the window.

    Ordered as the responses began, then by the question's place in the survey. WITH_STEPS
    appends the journey of the response's session.
    """
    where, params = _response_where(survey, since, until, bots, channel)
    columns = ", ".join(ANSWER_COLUMNS + (("s.steps",) if with_steps else ()))
    join = " LEFT JOIN sessions s ON s.id = r.session_id" if with_steps else ""
    return _stream(
        db,
        f"SELECT {columns} FROM responses r JOIN answers a ON a.response_id = r.id{join} "
        f"WHERE r.site_id = ?{where} ORDER BY r.started_at, r.id, a.position",
        [site_id, *params],
    )


def attribute_names(db: Database, site_id: int) -> list[str]:
    """Return the names of the zero-party attributes the site's visitors have, sorted."""
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT name FROM attributes WHERE site_id = ? ORDER BY name", [site_id]
        )
    ]


def attributes_of(db: Database, site_id: int, visitor_ids: Sequence[str]) -> dict[str, dict]:
    """Return {visitor id: {attribute name: value}} for a batch of visitors."""
    out: dict[str, dict] = {}
    for start in range(0, len(visitor_ids), 500):
        ids = list(visitor_ids[start : start + 500])
        cursor = db.conn.execute(
            "SELECT visitor_id, name, value FROM attributes WHERE site_id = ? "
            f"AND visitor_id IN ({','.join('?' * len(ids))})",
            [site_id, *ids],
        )
        for visitor_id, name, value in cursor:
            out.setdefault(visitor_id, {})[name] = value
    return out
