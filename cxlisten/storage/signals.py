"""Queries behind behaviour signals and journey-pattern triggers, on the session summaries."""

from __future__ import annotations

import json

from cxlisten.storage.db import Database


def steps_since(
    db: Database, site_id: int, visitor_ids: tuple[str, ...], since: int
) -> dict[str, list[str]]:
    """Return {session id: steps} of the sessions of VISITOR_IDS active at or after SINCE (ms)."""
    if not visitor_ids:
        return {}
    marks = ",".join("?" * len(visitor_ids))
    cur = db.execute(
        f"SELECT id, steps FROM sessions WHERE visitor_id IN ({marks}) AND site_id = ? "
        "AND last_ts >= ?",
        [*visitor_ids, site_id, since],
    )
    return {row[0]: json.loads(row[1]) for row in cur}
