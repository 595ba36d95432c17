"""Read-only queries behind a survey's results page: impressions under the page's filters."""

from __future__ import annotations

from cxlisten.storage.db import Database


def shown_sessions(
    db: Database,
    site_id: int,
    survey: str,
    *,
    since: int | None = None,
    until: int | None = None,
    device: str | None = None,
    version: int | None = None,
) -> int:
    """Return the human sessions SURVEY was shown in, within the filters that impressions carry.

    Reads the partial index of survey events (m0007), not the site's other events.
    """
    args: list = [site_id, survey]
    sql = (
        "SELECT COUNT(DISTINCT e.session_id) FROM events e JOIN sessions s ON s.id = e.session_id "
        "WHERE e.site_id = ? AND e.name = ? AND e.kind = 'survey' AND e.action = 'shown' "
        "AND s.is_bot = 0"
    )
    if since is not None:
        sql += " AND e.ts >= ?"
        args.append(since)
    if until is not None:
        sql += " AND e.ts < ?"
        args.append(until)
    if device is not None:
        sql += " AND s.device = ?"
        args.append(device)
    if version is not None:
        sql += " AND CAST(json_extract(e.data, '$.version') AS INTEGER) = ?"
        args.append(version)
    return db.execute(sql, args).fetchone()[0]
