"""What a survey's stored days of results read and keep: each day's stamp and its cells
(``results_days``, m0019).

A day is a UTC day of response starts (``started_at / 86400000``). Its stamp says what its
human responses and their answers are, from the columns every change touches: a new or late
response (their number and ids), a response answered further or completed (``updated_at``,
``answered``), an answer given or given again (the answers' number, times and lengths), a
session that came to be known as returning (``is_returning``), a response deleted (number and
ids). Cells stored under the same stamp are still the day's cells.
"""

from __future__ import annotations

from cxlisten.storage.db import Database, transaction
from cxlisten.storage.reports import in_window

DAY_MS = 86_400_000


def day_stamps(db: Database, site_id: int, survey: str, since=None, until=None) -> dict[int, str]:
    """Return {day: stamp} of the days in [SINCE, UNTIL) with human responses to SURVEY."""
    args: list = [site_id, survey]
    sql = in_window(
        f"SELECT r.started_at / {DAY_MS}, COUNT(*), SUM(r.id), SUM(r.updated_at), "
        "SUM(r.answered), SUM(COALESCE(s.is_returning, 0)) FROM responses r "
        "LEFT JOIN sessions s ON s.id = r.session_id AND s.is_bot IN (0, 1) "
        "WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0",
        args,
        "r.started_at",
        since,
        until,
    )
    responses = {int(row[0]): row[1:] for row in db.execute(sql + " GROUP BY 1", args)}
    args = [site_id, survey]
    sql = in_window(
        f"SELECT r.started_at / {DAY_MS}, COUNT(*), SUM(a.answered_at), "
        "SUM(LENGTH(COALESCE(a.value, '')) + LENGTH(COALESCE(a.other, ''))) FROM answers a "
        "JOIN responses r ON r.id = a.response_id "
        "WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0",
        args,
        "r.started_at",
        since,
        until,
    )
    answers = {int(row[0]): row[1:] for row in db.execute(sql + " GROUP BY 1", args)}
    return {
        day: ":".join(str(int(v or 0)) for v in (*counts, *answers.get(day, (0, 0, 0))))
        for day, counts in responses.items()
    }


def stored_days(
    db: Database, site_id: int, survey: str, since=None, until=None
) -> dict[int, tuple[str, str]]:
    """Return {day: (stamp, cells)} stored of SURVEY in [SINCE, UNTIL) (whole days)."""
    args: list = [site_id, survey]
    sql = in_window(
        "SELECT day, stamp, cells FROM results_days WHERE site_id = ? AND survey = ?",
        args,
        "day",
        None if since is None else since // DAY_MS,
        None if until is None else -(-until // DAY_MS),
    )
    return {day: (stamp, cells) for day, stamp, cells in db.execute(sql, args)}


def save_days(db: Database, site_id: int, survey: str, rows: list[tuple[int, str, str]]) -> None:
    """Store (day, stamp, cells) rows of SURVEY."""
    if not rows:
        return
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO results_days (site_id, survey, day, stamp, cells) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, survey, day) DO UPDATE "
            "SET stamp = excluded.stamp, cells = excluded.cells",
            [(site_id, survey, day, stamp, cells) for day, stamp, cells in rows],
        )
