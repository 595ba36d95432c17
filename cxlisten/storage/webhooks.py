"""Webhook endpoints, the outbox of messages to deliver, and the log of every attempt."""

from __future__ import annotations

import json
import uuid

from cxlisten.storage.db import POSTGRESQL, Database, engine_of, transaction

_HOOK = ("id", "site_id", "name", "url", "secret", "events", "active", "created_at")
_OUTBOX = (
    "id",
    "site_id",
    "webhook_id",
    "event",
    "payload",
    "dedupe",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "delivered_at",
    "last_error",
    "delivery_id",
)


def _hook(row) -> dict:
    item = dict(zip(_HOOK, row, strict=True))
    item["events"] = json.loads(item["events"])
    item["active"] = bool(item["active"])
    return item


def save_webhook(
    db: Database,
    site_id: int,
    name: str,
    url: str,
    secret: str,
    events: list[str],
    active: bool,
    now: int,
) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO webhooks (site_id, name, url, secret, events, active, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, name) DO UPDATE SET "
            "url = excluded.url, secret = excluded.secret, events = excluded.events, "
            "active = excluded.active",
            [site_id, name, url, secret, json.dumps(events), int(active), now],
        )


def get_webhook(db: Database, site_id: int, name: str) -> dict | None:
    row = db.execute(
        f"SELECT {', '.join(_HOOK)} FROM webhooks WHERE site_id = ? AND name = ?", [site_id, name]
    ).fetchone()
    return _hook(row) if row else None


def list_webhooks(db: Database, site_id: int | None = None) -> list[dict]:
    sql = f"SELECT {', '.join(_HOOK)} FROM webhooks"
    args: list = []
    if site_id is not None:
        sql += " WHERE site_id = ?"
        args.append(site_id)
    return [_hook(r) for r in db.execute(sql + " ORDER BY site_id, name", args)]


def set_active(db: Database, site_id: int, name: str, active: bool) -> bool:
    with transaction(db):
        cur = db.execute(
            "UPDATE webhooks SET active = ? WHERE site_id = ? AND name = ?",
            [int(active), site_id, name],
        )
    return cur.rowcount > 0


def enqueue(db: Database, rows: list[dict]) -> int:
    """Add messages to the outbox (a repeated dedupe key per webhook is ignored); return count."""
    with transaction(db):
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT INTO webhook_outbox (site_id, webhook_id, event, payload, dedupe, status, "
            "attempts, created_at, next_attempt_at, delivery_id) "
            "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) "
            "ON CONFLICT (webhook_id, dedupe) DO NOTHING",
            [
                (
                    r["site_id"],
                    r["webhook_id"],
                    r["event"],
                    r["payload"],
                    r.get("dedupe"),
                    r["created_at"],
                    r["created_at"],
                    uuid.uuid4().hex,  # never reused, unlike the row id after a deletion
                )
                for r in rows
            ],
        )
        return db.conn.total_changes - before


def due(db: Database, now: int, limit: int) -> list[dict]:
    """Return pending messages of active endpoints whose next attempt is due, oldest first."""
    cur = db.execute(
        f"SELECT {', '.join('o.' + c for c in _OUTBOX)}, w.url, w.secret, w.active "
        "FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id "
        "WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND w.active = 1 "
        "ORDER BY o.next_attempt_at, o.id "
        "LIMIT ?",
        [now, limit],
    )
    out = []
    for row in cur:
        item = dict(zip(_OUTBOX, row[: len(_OUTBOX)], strict=True))
        item["url"], item["secret"], item["active"] = row[len(_OUTBOX) :]
        out.append(item)
    return out


def claim(db: Database, outbox_id: int, expected_next: int, lease_until: int) -> bool:
    """Take a message for delivery (no other worker will try it before LEASE_UNTIL).

    A lease taken by comparing and setting its due time: of two senders (threads, processes,
    collectors) that read the same due message, one moves it on and the other finds it moved.
    On PostgreSQL a row another sender is claiming is skipped (``FOR UPDATE SKIP LOCKED``), not
    waited for; SQLite has one writer at a time anyway.
    """
    skip = " FOR UPDATE SKIP LOCKED" if engine_of(db) == POSTGRESQL else ""
    with transaction(db):
        cur = db.execute(
            "UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = (SELECT id FROM "
            "webhook_outbox WHERE id = ? AND status = 'pending' AND next_attempt_at = ?"
            f"{skip})",
            [lease_until, outbox_id, expected_next],
        )
    return cur.rowcount == 1


def record_attempt(
    db: Database,
    outbox_id: int,
    attempt: int,
    ts: int,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    delivered: bool,
    next_attempt_at: int | None,
) -> None:
    """Log one delivery attempt and move the message on (delivered, or due again later)."""
    with transaction(db):
        db.execute(
            "INSERT INTO webhook_deliveries (outbox_id, attempt, ts, status_code, error, "
            "duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
            [outbox_id, attempt, ts, status_code, error, duration_ms],
        )
        if delivered:
            db.execute(
                "UPDATE webhook_outbox SET status = 'delivered', attempts = ?, delivered_at = ?, "
                "last_error = NULL WHERE id = ?",
                [attempt, ts, outbox_id],
            )
        else:
            db.execute(
                "UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
                "WHERE id = ?",
                [attempt, next_attempt_at, error, outbox_id],
            )


def outbox(
    db: Database, site_id: int | None = None, status: str | None = None, limit: int = 100
) -> list[dict]:
    sql = f"SELECT {', '.join(_OUTBOX)} FROM webhook_outbox WHERE 1 = 1"
    args: list = []
    if site_id is not None:
        sql += " AND site_id = ?"
        args.append(site_id)
    if status is not None:
        sql += " AND status = ?"
        args.append(status)
    rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])
    return [dict(zip(_OUTBOX, r, strict=True)) for r in rows]


def deliveries(db: Database, site_id: int | None = None, limit: int = 100) -> list[dict]:
    """Return the latest delivery attempts with their message's event and endpoint."""
    sql = (
        "SELECT d.id, d.outbox_id, d.attempt, d.ts, d.status_code, d.error, d.duration_ms, "
        "o.event, o.status, w.name FROM webhook_deliveries d "
        "JOIN webhook_outbox o ON o.id = d.outbox_id JOIN webhooks w ON w.id = o.webhook_id"
    )
    args: list = []
    if site_id is not None:
        sql += " WHERE o.site_id = ?"
        args.append(site_id)
    keys = (
        "id",
        "message",
        "attempt",
        "ts",
        "status_code",
        "error",
        "duration_ms",
        "event",
        "message_status",
        "webhook",
    )
    rows = db.execute(sql + " ORDER BY d.id DESC LIMIT ?", [*args, limit])
    return [dict(zip(keys, r, strict=True)) for r in rows]


def count_pending(db: Database, site_id: int | None = None) -> int:
    sql = "SELECT COUNT(*) FROM webhook_outbox WHERE status = 'pending'"
    args: list = []
    if site_id is not None:
        sql += " AND site_id = ?"
        args.append(site_id)
    return db.execute(sql, args).fetchone()[0]


def database_file(db: Database) -> str | None:
    """Return the main database file's path or URL (None for an in-memory database)."""
    if engine_of(db) == POSTGRESQL:
        return db.url
    for _seq, name, path in db.execute("PRAGMA database_list"):
        if name == "main":
            return path or None
    return None


def forget_visitor(db: Database, site_id: int, visitor_id: str) -> int:
    """Delete the outbox messages about a visitor, sent or not, with their delivery log.

    Call inside the transaction that erases the visitor (their dedupe key names them). What a
    receiver already got is theirs to erase; the copy kept here goes.
    """
    pattern = "%:" + visitor_id.replace("%", "").replace("_", "\\_") + ":%"
    ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM webhook_outbox WHERE site_id = ? AND dedupe LIKE ? ESCAPE '\\'",
            [site_id, pattern],
        )
    ]
    for outbox_id in ids:
        db.execute("DELETE FROM webhook_deliveries WHERE outbox_id = ?", [outbox_id])
        db.execute("DELETE FROM webhook_outbox WHERE id = ?", [outbox_id])
    return len(ids)
