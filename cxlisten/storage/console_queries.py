"""Read-only queries behind the console's phase pages: a site's figures for a window, its score
answers per day, the events that just arrived, and finding visitors.

Like ``reports``, they read the session summaries and the response tables (bots left out), never
a rescan of raw events; the one query on ``events`` is the newest few by the (site, time) index.
"""

from __future__ import annotations

from collections.abc import Iterator

from cxlisten.storage.db import Database, transaction
from cxlisten.storage.reports import in_window

SCORE_TYPES = ("nps", "csat", "ces")


def session_totals(db: Database, site_id: int, since=None, until=None) -> dict[str, int]:
    """Return visitors, sessions, surveys shown and answered of human sessions in the window."""
    args: list = [site_id]
    sql = in_window(
        "SELECT COUNT(DISTINCT visitor_id), COUNT(*), COALESCE(SUM(surveys_shown), 0), "
        "COALESCE(SUM(surveys_answered), 0) FROM sessions WHERE site_id = ? AND is_bot = 0",
        args,
        "started",
        since,
        until,
    )
    visitors, sessions, shown, answered = db.execute(sql, args).fetchone()
    return {"visitors": visitors, "sessions": sessions, "shown": shown, "answered": answered}


def score_answers(db: Database, site_id: int, since=None, until=None) -> Iterator[tuple]:
    """Yield (started_at, question type, number) of every NPS, CSAT and CES answer (no bots)."""
    args: list = [site_id, *SCORE_TYPES]
    sql = in_window(
        "SELECT r.started_at, a.type, a.number FROM answers a "
        "JOIN responses r ON r.id = a.response_id "
        "WHERE r.site_id = ? AND r.is_bot = 0 AND a.type IN (?, ?, ?) AND a.number IS NOT NULL",
        args,
        "r.started_at",
        since,
        until,
    )
    yield from db.execute(sql, args)


def newest_events(db: Database, site_id: int, limit: int = 15) -> list[dict]:
    """Return the site's newest events (time, kind, path, name, action), newest first."""
    cur = db.execute(
        "SELECT ts, received_at, kind, path, name, action FROM events WHERE site_id = ? "
        "ORDER BY ts DESC LIMIT ?",
        [site_id, limit],
    )
    keys = ("ts", "received_at", "kind", "path", "name", "action")
    return [dict(zip(keys, row, strict=True)) for row in cur]


def visitor_exists(db: Database, site_id: int, visitor_id: str) -> bool:
    """Return whether the site has a visitor with this id."""
    row = db.execute(
        "SELECT 1 FROM visitors WHERE id = ? AND site_id = ?", [visitor_id, site_id]
    ).fetchone()
    return row is not None


def visitors_with_attribute(
    db: Database, site_id: int, name: str, value: str | None = None, limit: int = 50
) -> list[dict]:
    """Return visitors having attribute NAME (equal to VALUE when given), newest first."""
    args: list = [site_id, name]
    sql = "SELECT visitor_id, value, updated_at FROM attributes WHERE site_id = ? AND name = ?"
    if value is not None:
        sql += " AND value = ?"
        args.append(value)
    sql += " ORDER BY updated_at DESC LIMIT ?"
    args.append(limit)
    keys = ("visitor", "value", "updated_at")
    return [dict(zip(keys, row, strict=True)) for row in db.execute(sql, args)]


def visitor_sessions(db: Database, site_id: int, visitor_id: str, limit: int = 50) -> list[dict]:
    """Return a visitor's sessions, newest first, with their steps, dwell and survey counts."""
    cur = db.execute(
        # By the visitor's index (visitor_id, last_ts), not the site's: "+site_id" keeps the
        # planner from walking every session of the site in time order.
        "SELECT id, started, last_ts, steps, dwell, device, surveys_shown, surveys_answered, "
        "surveys_dismissed, interventions_shown, interventions_clicked FROM sessions "
        "WHERE visitor_id = ? AND +site_id = ? ORDER BY last_ts DESC LIMIT ?",
        [visitor_id, site_id, limit],
    )
    keys = (
        "id",
        "started",
        "last_ts",
        "steps",
        "dwell",
        "device",
        "surveys_shown",
        "surveys_answered",
        "surveys_dismissed",
        "interventions_shown",
        "interventions_clicked",
    )
    return [dict(zip(keys, row, strict=True)) for row in cur]


def visitor_survey_events(db: Database, site_id: int, visitor_id: str, limit: int = 100) -> list:
    """Return a visitor's survey and intervention events (ts, kind, name, action), newest first."""
    cur = db.execute(
        "SELECT ts, kind, name, action, path FROM events WHERE visitor_id = ? AND site_id = ? "
        "AND kind IN ('survey', 'intervention') ORDER BY ts DESC LIMIT ?",
        [visitor_id, site_id, limit],
    )
    keys = ("ts", "kind", "name", "action", "path")
    return [dict(zip(keys, row, strict=True)) for row in cur]


def retry_message_now(db: Database, site_id: int, message_id: int, now: int) -> bool:
    """Make a pending webhook message of the site due now; return whether one was."""
    with transaction(db):
        cur = db.execute(
            "UPDATE webhook_outbox SET next_attempt_at = ? "
            "WHERE id = ? AND site_id = ? AND status = 'pending'",
            [now, message_id, site_id],
        )
    return cur.rowcount > 0
