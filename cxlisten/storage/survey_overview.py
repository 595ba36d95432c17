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
        "GROUP BY survey_id, started_at / ?",
        [*survey_ids, since, DAY_MS],
    )
    out: dict[int, dict[int, int]] = {i: {} for i in survey_ids}
    for survey_id, day, count in rows:
        out[survey_id][day] = count
    return out
