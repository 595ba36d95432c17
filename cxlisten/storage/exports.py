"""Streaming reads for the exports: each function returns batches of rows, never all rows.

A query runs when its iterator is first advanced (so an HTTP export can send its header first)
and is read in batches of ``BATCH`` rows (``fetchmany``; a server-side cursor on PostgreSQL);
memory stays flat however many rows there are. The cursor is closed when the iterator is
exhausted or closed.

Each exported column is declared once, here: its name, how it is written, what it means (the
catalogue and docs/exports.md read those) and the SQL expression that reads it (the queries
read that). ``cxlisten.export.catalogue`` lists them as its exports' columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cxlisten.storage.db import POSTGRESQL, Database, engine_of
from cxlisten.storage.operational import summary_column

BATCH = 1000


@dataclass(frozen=True)
class Column:
    """One column: its header, how its values are written (csvsafe kinds), what it means, and
    for a stored column the SQL expression it is read with."""

    name: str
    kind: str
    meaning: str
    sql: str | None = None


def _select(columns: Sequence[Column]) -> str:
    return ", ".join(c.sql for c in columns)


Batches = Iterator[list[tuple]]


def _stream(db: Database, sql: str, params: Sequence) -> Batches:
    if engine_of(db) == POSTGRESQL:  # a server-side cursor: the server holds the result
        yield from db.stream(sql, params, BATCH)
        return
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
    Column(
        "time", "time", "When the event happened, by the visitor's clock (ISO 8601 UTC).", "e.ts"
    ),
    Column("received", "time", "When the collector stored it (ISO 8601 UTC).", "e.received_at"),
    Column("kind", "id", "pageview, dwell, click, custom, survey or intervention.", "e.kind"),
    Column("event_id", "text", "The id the snippet gave the event (unique per site).", "e.id"),
    Column("visitor", "id", "Visitor id (the same in every export).", "e.visitor_id"),
    Column("session", "id", "Session id.", "e.session_id"),
    Column("url", "text", "Full page URL.", "e.url"),
    Column("path", "text", "Page path.", "e.path"),
    Column(
        "name",
        "text",
        "custom: the event name; survey: the survey id; intervention: its id.",
        "e.name",
    ),
    Column(
        "action",
        "id",
        "survey: shown, answered or dismissed; intervention: shown, clicked or dismissed.",
        "e.action",
    ),
    Column("value", "number", "dwell: visible milliseconds added by this event.", "e.value"),
    Column(
        "data",
        "json",
        "Every other field the event carried, as a JSON object (referrer, "
        "title, viewport, total_ms, scroll, target, text, href, props, "
        "version, question ...).",
        "e.data",
    ),
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
    columns = _select(EVENT_COLUMNS)
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
    Column("session", "id", "Session id.", "id"),
    Column("visitor", "id", "Visitor id.", "visitor_id"),
    Column("started", "time", "Time of the session's first event (ISO 8601 UTC).", "started"),
    Column("ended", "time", "Time of its last event (ISO 8601 UTC).", "last_ts"),
    Column("duration_ms", "number", "ended minus started, in milliseconds.", "last_ts - started"),
    Column("pageviews", "number", "Page views in the session.", "pageviews"),
    Column("events", "number", "Events of every kind in the session.", "events"),
    Column("entry", "text", "Path of the first page.", "entry"),
    Column("exit", "text", "Path of the last page.", "exit"),
    Column(
        "journey", "json", "The journey: JSON list of the page paths visited, in order.", "steps"
    ),
    Column(
        "dwell_ms",
        "json",
        "JSON list of visible dwell (ms) on each journey step, aligned with journey.",
        "dwell",
    ),
    Column("custom_events", "json", "JSON list of the custom event names, in order.", "custom"),
    Column("max_scroll", "number", "Deepest scroll reached on any page, in percent.", "max_scroll"),
    Column("surveys_shown", "number", "Surveys shown in the session.", "surveys_shown"),
    Column("surveys_answered", "number", "Survey questions answered.", "surveys_answered"),
    Column("surveys_dismissed", "number", "Surveys dismissed.", "surveys_dismissed"),
    Column(
        "interventions_shown",
        "number",
        "Interventions (and next best actions) shown.",
        "interventions_shown",
    ),
    Column("interventions_clicked", "number", "Interventions clicked.", "interventions_clicked"),
    Column(
        "rage_clicks",
        "number",
        "Rage clicks: 3 or more on one element within a second.",
        "rage_clicks",
    ),
    Column(
        "dead_clicks", "number", "Clicks after which nothing changed on the page.", "dead_clicks"
    ),
    Column(
        "abandoned_fields",
        "number",
        "Form fields typed in, then left without submitting.",
        "abandoned_fields",
    ),
    Column(
        "scroll",
        "json",
        "JSON list of the deepest scroll (percent) on each journey step, aligned with journey.",
        "scroll",
    ),
    Column("device", "id", "desktop, mobile, tablet or other.", "device"),
    Column("browser", "text", "Browser family.", "browser"),
    Column("os", "text", "Operating system family.", "os"),
    Column("returning", "bool", "true when the visitor had an earlier session.", "is_returning"),
    Column(
        "bot", "bool", "true when the browser was classified as a bot (only with bots).", "is_bot"
    ),
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
        f"SELECT {_select(SESSION_COLUMNS)} FROM sessions WHERE site_id = ?{where} "
        "ORDER BY started, id",
        [site_id, *params],
    )


# Device, browser and system of the visitor's latest session (sessions_visitor index): what a
# person looks for to find themselves.
_LATEST_SESSION = (
    "(SELECT s.{} FROM sessions s WHERE s.visitor_id = v.id ORDER BY s.last_ts DESC LIMIT 1)"
)


# The customer columns (customer, orders, revenue, open_tickets) are a visitor's linked customer
# and that customer's operational summary (m0010), read by ``summary_column``.
def _customer_columns(site: str, visitor: str) -> tuple[Column, ...]:
    """The linked customer's columns of a row whose site and visitor are SITE and VISITOR."""
    return (
        Column(
            "customer",
            "id",
            "The customer the visitor is linked to (identify); empty if none.",
            summary_column("customer", site, visitor),
        ),
        Column(
            "customer_orders",
            "number",
            "The customer's order records (empty: no customer).",
            summary_column("orders", site, visitor),
        ),
        Column(
            "customer_revenue",
            "number",
            "Sum of the customer's order amounts.",
            summary_column("revenue", site, visitor),
        ),
        Column(
            "customer_open_tickets",
            "number",
            "The customer's tickets with an open status.",
            summary_column("open_tickets", site, visitor),
        ),
    )


VISITOR_COLUMNS = (
    Column("visitor", "id", "Visitor id.", "v.id"),
    Column(
        "first_seen", "time", "Time of the visitor's first event (ISO 8601 UTC).", "v.first_seen"
    ),
    Column("last_seen", "time", "Time of the latest event (ISO 8601 UTC).", "v.last_seen"),
    Column("sessions", "number", "Sessions so far.", "v.sessions"),
    Column(
        "device",
        "id",
        "Device of the latest session: desktop, mobile, tablet or other.",
        _LATEST_SESSION.format("device"),
    ),
    Column(
        "browser",
        "text",
        "Browser of the latest session, e.g. Chrome.",
        _LATEST_SESSION.format("browser"),
    ),
    Column(
        "os",
        "text",
        "Operating system of the latest session, e.g. Android.",
        _LATEST_SESSION.format("os"),
    ),
    *_customer_columns("v.site_id", "v.id"),
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
        f"SELECT {_select(VISITOR_COLUMNS)} FROM visitors v WHERE v.site_id = ?{where} "
        "ORDER BY v.first_seen, v.id",
        [site_id, *params],
    )


RESPONSE_COLUMNS = (
    Column(
        "response",
        "text",
        "The response id the snippet made (the same in the answers export).",
        "r.client_id",
    ),
    Column("started", "time", "When the visitor began answering (ISO 8601 UTC).", "r.started_at"),
    Column("updated", "time", "When the latest answer arrived.", "r.updated_at"),
    Column(
        "completed",
        "time",
        "When the response was completed; empty while partial.",
        "r.completed_at",
    ),
    Column("survey", "text", "Survey id.", "r.survey"),
    Column("version", "number", "Survey version answered.", "r.version"),
    Column(
        "partial",
        "bool",
        "true until the visitor finished the survey (some answers, not all).",
        "r.status",
    ),
    Column("answered", "number", "Questions answered.", "r.answered"),
    Column("visitor", "id", "Visitor id.", "r.visitor_id"),
    Column(
        "session",
        "id",
        "Session during which the response began (empty if unknown).",
        "r.session_id",
    ),
    Column("locale", "text", "Locale the survey was shown in.", "r.locale"),
    Column("url", "text", "Page URL where the response began.", "r.url"),
    Column("path", "text", "Page path where the response began.", "r.path"),
    Column("device", "id", "desktop, mobile, tablet or other.", "r.device"),
    Column("browser", "text", "Browser family.", "r.browser"),
    Column("os", "text", "Operating system family.", "r.os"),
    Column(
        "journey",
        "json",
        "JSON list of the session's last 20 page paths when the response "
        "began (the journey that led to it).",
        "r.journey",
    ),
    Column(
        "bot", "bool", "true when the browser was classified as a bot (only with bots).", "r.is_bot"
    ),
    Column(
        "channel",
        "id",
        "Where it was answered: web (the intercept), link, qr, email, or the hosted link's src.",
        "r.channel",
    ),
    *_customer_columns("r.site_id", "r.visitor_id"),
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
    """Yield responses (row id, RESPONSE_COLUMNS) that began in the window, in order of start.

    WITH_STEPS appends the journey of the response's session (JSON list, null without one).
    """
    where, params = _response_where(survey, since, until, bots, channel)
    # The response's row id first (to fetch its answers), then the declared columns.
    columns = "r.id, " + _select(RESPONSE_COLUMNS) + (", s.steps" if with_steps else "")
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
    Column(
        "answered",
        "time",
        "When this answer was given, or last changed (ISO 8601 UTC).",
        "a.answered_at",
    ),
    Column("survey", "text", "Survey id.", "r.survey"),
    Column("version", "number", "Survey version answered.", "r.version"),
    Column("response", "text", "Response id (as in the responses export).", "r.client_id"),
    Column("partial", "bool", "true when the response is not complete.", "r.status"),
    Column("visitor", "id", "Visitor id.", "r.visitor_id"),
    Column(
        "session",
        "id",
        "Session during which the response began (empty if unknown).",
        "r.session_id",
    ),
    Column("question", "text", "Question id.", "a.question"),
    Column("position", "number", "The question's place in the survey, from 0.", "a.position"),
    Column("type", "id", "nps, csat, ces, rating, single, multi or text.", "a.type"),
    Column(
        "value",
        "text",
        "The answer as stored: the number, the option code, codes joined by "
        "commas for multi, or the text.",
        "a.value",
    ),
    Column(
        "number",
        "number",
        "The numeric answer for nps, csat, ces and rating; else empty.",
        "a.number",
    ),
    Column("other", "text", "The visitor's 'Other' text, when they chose Other.", "a.other"),
    Column("locale", "text", "Locale the survey was shown in.", "r.locale"),
    Column("device", "id", "desktop, mobile, tablet or other.", "r.device"),
    Column("path", "text", "Page path where the response began.", "r.path"),
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
    columns = _select(ANSWER_COLUMNS) + (", s.steps" if with_steps else "")
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
