"""Operational records (orders, tickets, subscriptions...) keyed by kind and record key, and the
summaries reports and exports join to customers."""

from __future__ import annotations

import json
import time

from cxlisten.storage.db import Database, transaction

# Statuses that close a record (a ticket solved, an order cancelled); anything else is open.
CLOSED = ("closed", "resolved", "solved", "done", "cancelled", "canceled", "completed")
_CLOSED_SQL = "(" + ",".join(f"'{s}'" for s in CLOSED) + ")"
# A record is open when it has a status and that status does not close it.
OPEN_SQL = f"(status IS NOT NULL AND lower(status) NOT IN {_CLOSED_SQL})"

COLUMNS = ("site_id", "kind", "record_key", "customer_id", "ts", "amount", "status", "attributes")


def upsert(db: Database, site_id: int, kind: str, rows: list[dict]) -> dict[str, int]:
    """Insert or update records by (kind, record key); identical rows change nothing.

    Return {"inserted", "updated", "unchanged"}.
    """
    conn = db.conn
    now = int(time.time() * 1000)
    values = [
        (
            site_id,
            kind,
            r["record"],
            r["customer"],
            r["time"],
            r["amount"],
            r["status"],
            json.dumps(r["attributes"], ensure_ascii=False, sort_keys=True),
            now,
        )
        for r in rows
    ]
    changed = " OR ".join(
        f"operational_records.{c} IS NOT excluded.{c}"
        for c in ("customer_id", "ts", "amount", "status", "attributes")
    )
    sets = ", ".join(
        f"{c} = excluded.{c}"
        for c in ("customer_id", "ts", "amount", "status", "attributes", "imported_at")
    )
    with transaction(db):
        before = _count(db, site_id, kind)
        changes = conn.total_changes
        conn.executemany(
            f"INSERT INTO operational_records ({', '.join(COLUMNS)}, imported_at) "
            f"VALUES ({','.join('?' * (len(COLUMNS) + 1))}) "
            f"ON CONFLICT (site_id, kind, record_key) DO UPDATE SET {sets} WHERE {changed}",
            values,
        )
        touched = conn.total_changes - changes
        inserted = _count(db, site_id, kind) - before
    return {"inserted": inserted, "updated": touched - inserted, "unchanged": len(rows) - touched}


def _count(db: Database, site_id: int, kind: str) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM operational_records WHERE site_id = ? AND kind = ?", [site_id, kind]
    ).fetchone()[0]


def kinds_summary(db: Database, site_id: int, customer_id: str) -> dict[str, dict]:
    """Return {kind: {records, open, amount, first, last}} of one customer."""
    cur = db.execute(
        "SELECT kind, COUNT(*), "
        f"SUM(CASE WHEN {OPEN_SQL} THEN 1 ELSE 0 END), "
        "SUM(amount), MIN(ts), MAX(ts) FROM operational_records "
        "WHERE site_id = ? AND customer_id = ? GROUP BY kind ORDER BY kind",
        [site_id, customer_id],
    )
    keys = ("records", "open", "amount", "first", "last")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in cur}


def customer_totals_sql(order_kind: str, ticket_kind: str) -> tuple[str, list]:
    """Return SQL (and its parameters, after one ``site_id``) giving one row per customer:
    customer_id, orders, revenue, last order time, open tickets."""
    sql = (
        "SELECT customer_id, "
        "SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END) AS orders, "
        "SUM(CASE WHEN kind = ? THEN amount END) AS revenue, "
        "MAX(CASE WHEN kind = ? THEN ts END) AS last_order, "
        f"SUM(CASE WHEN kind = ? AND {OPEN_SQL} THEN 1 ELSE 0 END) AS open_tickets "
        "FROM operational_records WHERE site_id = ? GROUP BY customer_id"
    )
    return sql, [order_kind, order_kind, order_kind, ticket_kind]
