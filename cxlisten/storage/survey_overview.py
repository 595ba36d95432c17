"""Read-only queries behind the surveys list: answers per day (bots left out)."""

from __future__ import annotations

from cxlisten.storage.db import Database

DAY_MS = 86_400_000


def answers_per_day(db: Database, survey_ids: list[int], since: int) -> dict[int, dict[int, int]]:
    """Return {survey id: {day number (ms // DAY_MS): responses with an answer started then}}."""
    if not survey_ids:
        return {}
    marks = ", ".join("?" * len(survey_ids))
    rows = db.execute(
        f"SELECT survey_id, started_at / {DAY_MS}, COUNT(*) FROM responses "
        f"WHERE survey_id IN ({marks}) AND started_at >= ? AND is_bot = 0 AND answered > 0 "
        f"GROUP BY survey_id, started_at / {DAY_MS}",  # PostgreSQL: the selected expression
        [*survey_ids, since],
    )
    out: dict[int, dict[int, int]] = {i: {} for i in survey_ids}
    for survey_id, day, count in rows:
        out[survey_id][day] = count
    return out


def shown_by_survey(db: Database, site_id: int, names: list[str]) -> dict[str, int]:
    """Return {survey name: human sessions it was shown in} for NAMES, in one query.

    The same count as ``reports.survey_event_counts(...)["shown"]``, read from the covering
    index of m0017 (survey events) and the sessions' bot flag index, never from event rows.
    """
    if not names:
        return {}
    rows = db.execute(
        "SELECT e.name, COUNT(DISTINCT e.session_id) FROM events e JOIN sessions s "
        "ON s.id = e.session_id WHERE e.site_id = ? AND e.kind = 'survey' "
        f"AND e.name IN ({', '.join('?' * len(names))}) AND e.action = 'shown' "
        "AND s.is_bot = 0 GROUP BY e.name",
        [site_id, *names],
    )
    return {name: 0 for name in names} | {name: count for name, count in rows}
