"""Zero-party attributes, a visitor's contact history, and erasing a visitor."""

from __future__ import annotations

from cxlisten.storage.db import Database

ATTRIBUTE_COLUMNS = (
    "site_id",
    "visitor_id",
    "name",
    "value",
    "survey",
    "version",
    "question",
    "response",
    "updated_at",
)


def _ids(visitor_id: str | tuple[str, ...]) -> tuple[str, ...]:
    """One visitor, or all the visitors of one customer (``cxlisten.customers``)."""
    return (visitor_id,) if isinstance(visitor_id, str) else visitor_id


def _in(ids: tuple[str, ...]) -> str:
    return f"visitor_id IN ({','.join('?' * len(ids))})"


def attributes(db: Database, site_id: int, visitor_id: str | tuple[str, ...]) -> list[dict]:
    """Return the visitor's attributes with where each came from, by name.

    Given several visitors (one customer's devices), each name's newest answer wins.
    """
    ids = _ids(visitor_id)
    cur = db.execute(
        "SELECT name, value, survey, version, question, response, updated_at FROM attributes "
        f"WHERE site_id = ? AND {_in(ids)} ORDER BY name, updated_at, visitor_id",
        [site_id, *ids],
    )
    keys = ("name", "value", "survey", "version", "question", "response", "updated_at")
    newest = {row[0]: dict(zip(keys, row, strict=True)) for row in cur}
    return list(newest.values())


def set_attributes(db: Database, rows: list[dict]) -> None:
    """Insert or overwrite attributes (latest answer wins); call inside a transaction."""
    updates = ", ".join(
        f"{c} = excluded.{c}"
        for c in ATTRIBUTE_COLUMNS
        if c not in ("site_id", "visitor_id", "name")
    )
    db.conn.executemany(
        f"INSERT INTO attributes ({', '.join(ATTRIBUTE_COLUMNS)}) "
        f"VALUES ({','.join('?' * len(ATTRIBUTE_COLUMNS))}) "
        f"ON CONFLICT (site_id, visitor_id, name) DO UPDATE SET {updates}",
        [tuple(r[c] for c in ATTRIBUTE_COLUMNS) for r in rows],
    )
    # Every answer stays in the history, also once a newer one (from any device) wins.
    db.conn.executemany(
        f"INSERT INTO attribute_history ({', '.join(ATTRIBUTE_COLUMNS)}) "
        f"VALUES ({','.join('?' * len(ATTRIBUTE_COLUMNS))})",
        [tuple(r[c] for c in ATTRIBUTE_COLUMNS) for r in rows],
    )


def attribute_history(db: Database, site_id: int, visitor_id: str | tuple[str, ...]) -> list[dict]:
    """Return every answer that set an attribute of the visitor(s), newest first."""
    ids = _ids(visitor_id)
    cur = db.execute(
        "SELECT name, value, visitor_id, survey, version, question, response, updated_at "
        f"FROM attribute_history WHERE site_id = ? AND {_in(ids)} "
        "ORDER BY updated_at DESC, id DESC",
        [site_id, *ids],
    )
    keys = ("name", "value", "visitor", "survey", "version", "question", "response", "updated_at")
    return [dict(zip(keys, row, strict=True)) for row in cur]


def contact_history(
    db: Database, site_id: int, visitor_id: str | tuple[str, ...]
) -> dict[tuple, tuple[int, int]]:
    """Return {(kind, name, action): (count, latest ts)} of the visitor(s)' survey events."""
    ids = _ids(visitor_id)
    cur = db.execute(
        "SELECT kind, name, action, COUNT(*), MAX(ts) FROM events "
        f"WHERE {_in(ids)} AND site_id = ? AND kind IN ('survey', 'intervention') "
        "GROUP BY kind, name, action",
        [*ids, site_id],
    )
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in cur}


def count_site_events(db: Database, site_id: int, kind: str, name: str, action: str) -> int:
    """Return how many KIND events named NAME with ACTION the site has (intervention quotas)."""
    return db.execute(
        "SELECT COUNT(*) FROM events WHERE site_id = ? AND kind = ? AND name = ? AND action = ?",
        [site_id, kind, name, action],
    ).fetchone()[0]


def visitor_summary(db: Database, site_id: int, visitor_id: str) -> dict:
    """Return first/last seen, sessions and events counts of a visitor (zeros if unknown)."""
    row = db.execute(
        "SELECT first_seen, last_seen, sessions FROM visitors WHERE id = ? AND site_id = ?",
        [visitor_id, site_id],
    ).fetchone()
    events = db.execute(
        "SELECT COUNT(*) FROM events WHERE visitor_id = ? AND site_id = ?", [visitor_id, site_id]
    ).fetchone()[0]
    return {
        "first_seen": row[0] if row else None,
        "last_seen": row[1] if row else None,
        "sessions": row[2] if row else 0,
        "events": events,
    }


# Every table holding a visitor's rows; child rows first (answers reference responses).
_ERASE = (
    ("answers", "DELETE FROM answers WHERE site_id = ? AND visitor_id = ?"),
    ("responses", "DELETE FROM responses WHERE site_id = ? AND visitor_id = ?"),
    ("attributes", "DELETE FROM attributes WHERE site_id = ? AND visitor_id = ?"),
    ("attribute_history", "DELETE FROM attribute_history WHERE site_id = ? AND visitor_id = ?"),
    ("events", "DELETE FROM events WHERE site_id = ? AND visitor_id = ?"),
    # Which next best actions the visitor was shown (phases' table, m0003).
    ("action_exposures", "DELETE FROM action_exposures WHERE site_id = ? AND visitor_id = ?"),
    ("sessions", "DELETE FROM sessions WHERE site_id = ? AND visitor_id = ?"),
    # Its link to a customer (m0010), so an erased visitor is no device of anyone.
    ("customer_visitors", "DELETE FROM customer_visitors WHERE site_id = ? AND visitor_id = ?"),
    ("visitors", "DELETE FROM visitors WHERE site_id = ? AND id = ?"),
)


def erase_visitor(db: Database, site_id: int, visitor_id: str) -> dict[str, int]:
    """Delete every row of a visitor; call inside a transaction. Return rows deleted per table."""
    from cxlisten.storage import webhooks

    counts = {table: db.execute(sql, [site_id, visitor_id]).rowcount for table, sql in _ERASE}
    # Whether the visitor's exposures reached their goal, as a rule's lift stored it (m0018):
    # worked out from the rows above, nothing of its own to count, gone with them.
    db.execute(
        "DELETE FROM exposure_outcomes WHERE site_id = ? AND visitor_id = ?", [site_id, visitor_id]
    )
    counts["webhook_outbox"] = webhooks.forget_visitor(db, site_id, visitor_id)
    return counts
