"""The bounded quarantine of payloads the collector refused."""

from __future__ import annotations

import json
import time

from cxlisten.storage.db import Database, transaction


def quarantine(
    db: Database, rows: list[dict], *, keep: int, site_id: int | None = None, endpoint: str
) -> None:
    """Store rejected payloads (each: index, errors, payload) and trim to the newest KEEP."""
    if not rows:
        return
    now = int(time.time() * 1000)
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO rejected (site_id, received_at, endpoint, event_index, errors, payload) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (site_id, now, endpoint, r.get("index"), json.dumps(r["errors"]), r["payload"])
                for r in rows
            ],
        )
        newest = db.execute("SELECT MAX(id) FROM rejected").fetchone()[0]
        db.execute("DELETE FROM rejected WHERE id <= ?", [newest - keep])


def recent(db: Database, limit: int = 50, site_id: int | None = None) -> list[dict]:
    """Return the newest rejected payloads, newest first."""
    where, args = ("WHERE site_id = ?", [site_id]) if site_id is not None else ("", [])
    cur = db.execute(
        f"SELECT id, site_id, received_at, endpoint, event_index, errors, payload FROM rejected "
        f"{where} ORDER BY id DESC LIMIT ?",
        [*args, limit],
    )
    keys = ["id", "site_id", "received_at", "endpoint", "index", "errors", "payload"]
    out = []
    for row in cur:
        item = dict(zip(keys, row, strict=True))
        item["errors"] = json.loads(item["errors"])
        out.append(item)
    return out
