"""Read-only queries behind the phase reports: session summaries, pulse scores, responses.

Reports read the ``sessions`` summaries (one row per session) and the response tables; they
never rescan raw events. Bots are always left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from cxlisten.storage.db import Database

SESSION_FIELDS = (
    "id",
    "visitor_id",
    "started",
    "steps",
    "dwell",
    "custom",
    "interventions_clicked",
    "device",
    "is_returning",
    "pageviews",
    "events",
    "signals",
    "rage_clicks",
    "dead_clicks",
    "abandoned_fields",
    "max_scroll",
    "speed",
    "scroll",
)


def in_window(sql: str, args: list, column: str, since, until) -> str:
    """Return SQL limited to COLUMN in [SINCE, UNTIL), either end open when None (ARGS grows)."""
    if since is not None:
        sql += f" AND {column} >= ?"
        args.append(since)
    if until is not None:
        sql += f" AND {column} < ?"
        args.append(until)
    return sql


def iter_sessions(
    db: Database, site_id: int, since=None, until=None, columns: tuple[str, ...] = SESSION_FIELDS
) -> Iterator[tuple]:
    """Yield human sessions started in [SINCE, UNTIL) as tuples of COLUMNS.

    ``steps``, ``dwell`` and ``custom`` stay JSON text: callers decode only what they need.
    """
    unknown = set(columns) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"not a session field: {', '.join(sorted(unknown))}")
    args: list = [site_id]
    sql = in_window(
        f"SELECT {', '.join(columns)} FROM sessions WHERE site_id = ? AND is_bot = 0",
        args,
        "started",
        since,
        until,
    )
    cur = db.execute(sql, args)
    while True:
        rows = cur.fetchmany(5000)
        if not rows:
            return
        yield from rows


def count_bot_sessions(db: Database, site_id: int, since=None, until=None) -> int:
    args: list = [site_id]
    sql = in_window(
        "SELECT COUNT(*) FROM sessions WHERE site_id = ? AND is_bot = 1",
        args,
        "started",
        since,
        until,
    )
    return db.execute(sql, args).fetchone()[0]


def pulse_scores(db: Database, site_id: int, since=None, until=None) -> Iterator[tuple]:
    """Yield (session_id, question type, number) of numeric answers to track-phase surveys."""
    args: list = [site_id]
    sql = in_window(
        "SELECT r.session_id, a.type, a.number FROM answers a "
        "JOIN responses r ON r.id = a.response_id JOIN surveys s ON s.id = r.survey_id "
        "WHERE r.site_id = ? AND r.is_bot = 0 AND s.phase = 'track' "
        "AND a.number IS NOT NULL AND r.session_id IS NOT NULL",
        args,
        "r.started_at",
        since,
        until,
    )
    yield from db.execute(sql, args)


def survey_responses(
    db: Database, site_id: int, survey: str, since=None, until=None, version: int | None = None
) -> list[dict]:
    """Return a survey's human responses with device, path, journey and returning flag."""
    args: list = [site_id, survey]
    sql = (
        "SELECT r.id, r.version, r.status, r.answered, r.locale, r.path, r.device, "
        "r.journey, r.session_id, r.visitor_id, r.started_at, "
        "COALESCE(s.is_returning, 0), r.channel FROM responses r LEFT JOIN sessions s "
        "ON s.id = r.session_id WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0"
    )
    if version is not None:
        sql += " AND r.version = ?"
        args.append(version)
    sql = in_window(sql, args, "r.started_at", since, until) + " ORDER BY r.id"
    keys = (
        "id",
        "version",
        "status",
        "answered",
        "locale",
        "path",
        "device",
        "journey",
        "session_id",
        "visitor_id",
        "started_at",
        "is_returning",
        "channel",
    )
    out = []
    for row in db.execute(sql, args):
        item = dict(zip(keys, row, strict=True))
        item["journey"] = json.loads(item["journey"] or "[]")
        out.append(item)
    return out


def answers_of_responses(db: Database, response_ids: list[int]) -> dict[int, dict[str, dict]]:
    """Return {response id: {question: {"type", "value", "number", "other"}}}."""
    out: dict[int, dict[str, dict]] = {i: {} for i in response_ids}
    for chunk in range(0, len(response_ids), 500):
        ids = response_ids[chunk : chunk + 500]
        cur = db.execute(
            "SELECT response_id, question, type, value, number, other FROM answers "
            f"WHERE response_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        for rid, question, qtype, value, number, other in cur:
            out[rid][question] = {"type": qtype, "value": value, "number": number, "other": other}
    return out


def survey_event_counts(
    db: Database, site_id: int, survey: str, since=None, until=None
) -> dict[str, int]:
    """Return {"shown": n, "answered": n, "dismissed": n} from survey events (bots left out).

    Survey events are few (one per display), so counting them is cheap; the join keeps bots'
    sessions out.
    """
    args: list = [site_id, survey]
    sql = in_window(
        "SELECT e.action, COUNT(DISTINCT e.session_id) FROM events e JOIN sessions s "
        "ON s.id = e.session_id WHERE e.site_id = ? AND e.kind = 'survey' AND e.name = ? "
        "AND s.is_bot = 0",
        args,
        "e.ts",
        since,
        until,
    )
    return {row[0]: row[1] for row in db.execute(sql + " GROUP BY e.action", args)}


def speed_of_responses(db: Database, site_id: int, survey: str) -> Iterator[tuple[int, str]]:
    """Yield (response id, its session's per-step speed as JSON) for a survey's human responses
    whose session had a measured page view (``sessions.speed``)."""
    yield from db.execute(
        "SELECT r.id, s.speed FROM responses r JOIN sessions s ON s.id = r.session_id "
        "WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0 AND s.speed != '[]'",
        [site_id, survey],
    )
