"""Queries behind process scores (``cxlisten.process_scores``): grouped sums, not raw answers."""

from __future__ import annotations

from cxlisten.storage.db import Database

# Periods start on Mondays: the epoch (1970-01-01) was a Thursday, three days after one.
MONDAY_OFFSET_MS = 3 * 86_400_000


def dimension_sums(
    db: Database,
    site_id: int,
    surveys: list[str],
    questions: tuple[str, ...],
    period_ms: int,
    since: int | None = None,
    until: int | None = None,
) -> list[tuple]:
    """Return (survey, question, period, n, sum, sum of squares) of the human numeric answers
    to QUESTIONS of SURVEYS, per period of PERIOD_MS counted from a Monday."""
    if not surveys:
        return []
    period_ms, offset = int(period_ms), MONDAY_OFFSET_MS  # integers: safe inside the SQL
    sql = (
        f"SELECT a.survey, a.question, (a.answered_at + {offset}) / {period_ms}, COUNT(*), "
        "SUM(a.number), SUM(a.number * a.number) FROM answers a "
        "JOIN responses r ON r.id = a.response_id "
        f"WHERE a.site_id = ? AND a.survey IN ({','.join('?' * len(surveys))}) "
        f"AND a.question IN ({','.join('?' * len(questions))}) "
        "AND a.number IS NOT NULL AND r.is_bot = 0"
    )
    args: list = [site_id, *surveys, *questions]
    for clause, value in (("a.answered_at >= ?", since), ("a.answered_at < ?", until)):
        if value is not None:
            sql += f" AND {clause}"
            args.append(value)
    return db.execute(sql + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", args).fetchall()
