"""Operational records (orders, tickets, subscriptions...) keyed by kind and record key, and the
summaries reports and exports join to customers."""

from __future__ import annotations

import json
import time

from cxlisten.storage.db import POSTGRESQL, Database, engine_of, transaction

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
    # "a IS NOT b" compares NULLs on SQLite; PostgreSQL spells it IS DISTINCT FROM.
    differs = "IS DISTINCT FROM" if engine_of(db) == POSTGRESQL else "IS NOT"
    changed = " OR ".join(
        f"operational_records.{c} {differs} excluded.{c}"
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


def scores_by_revenue_band(
    db: Database, site_id: int, qtype: str, order_kind: str, edges: list[float]
) -> list[tuple[int, float, int]]:
    """Return (band index, score, count) of customers' QTYPE answers, banded by their order value.

    Band 0 is customers without orders; band i ≥ 1 holds revenue in [edges[i-2], edges[i-1]).
    Each answer's revenue is read through the (site, customer, kind) index, not a scan.
    """
    cases = " ".join(f"WHEN revenue < ? THEN {i + 1}" for i in range(len(edges)))
    sql = (
        f"SELECT CASE WHEN revenue IS NULL THEN 0 {cases} ELSE {len(edges) + 1} END AS band, "
        "number, COUNT(*) FROM (SELECT a.number AS number, (SELECT SUM(o.amount) "
        "FROM operational_records o WHERE o.site_id = l.site_id AND o.customer_id = l.customer_id "
        "AND o.kind = ?) AS revenue FROM answers a "
        "JOIN customer_visitors l ON l.site_id = a.site_id AND l.visitor_id = a.visitor_id "
        "WHERE a.site_id = ? AND a.type = ? AND a.number IS NOT NULL) AS scored "
        "GROUP BY band, number"
    )
    return db.execute(sql, [*edges, order_kind, site_id, qtype]).fetchall()


def scores_by_open_records(
    db: Database, site_id: int, qtype: str, kind: str
) -> list[tuple[int, float, int]]:
    """Return (has an open KIND record: 0/1, score, count) of customers' QTYPE answers."""
    sql = (
        "SELECT has_open, number, COUNT(*) FROM (SELECT a.number AS number, EXISTS (SELECT 1 "
        "FROM operational_records o WHERE o.site_id = l.site_id AND o.customer_id = l.customer_id "
        f"AND o.kind = ? AND {OPEN_SQL.replace('status', 'o.status')}) AS has_open "
        "FROM answers a "
        "JOIN customer_visitors l ON l.site_id = a.site_id AND l.visitor_id = a.visitor_id "
        "WHERE a.site_id = ? AND a.type = ? AND a.number IS NOT NULL) AS scored "
        "GROUP BY has_open, number"
    )
    return db.execute(sql, [kind, site_id, qtype]).fetchall()


def customer_sessions(db: Database, site_id: int):
    """Yield (customer id, session steps JSON) of every linked visitor's session."""
    yield from db.execute(
        "SELECT l.customer_id, s.steps FROM sessions s JOIN customer_visitors l "
        "ON l.site_id = s.site_id AND l.visitor_id = s.visitor_id WHERE s.site_id = ?",
        [site_id],
    )


def revenue_by_customer(db: Database, site_id: int, kind: str) -> dict[str, tuple[int, float]]:
    """Return {customer: (records, amount)} of KIND."""
    cur = db.execute(
        "SELECT customer_id, COUNT(*), COALESCE(SUM(amount), 0) FROM operational_records "
        "WHERE site_id = ? AND kind = ? GROUP BY customer_id",
        [site_id, kind],
    )
    return {row[0]: (row[1], row[2]) for row in cur}


def scores_by_channel(db: Database, site_id: int, survey: str | None) -> list[tuple]:
    """Return (channel, responses, complete) and, separately, (channel, type, score, count)."""
    where, params = ("AND survey = ?", [survey]) if survey else ("", [])
    counts = db.execute(
        "SELECT channel, COUNT(*), SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) "
        "FROM responses "
        f"WHERE site_id = ? AND is_bot = 0 {where} GROUP BY channel ORDER BY channel",
        [site_id, *params],
    ).fetchall()
    where_a = "AND a.survey = ?" if survey else ""
    scores = db.execute(
        "SELECT r.channel, a.type, a.number, COUNT(*) FROM answers a "
        "JOIN responses r ON r.id = a.response_id "
        f"WHERE a.site_id = ? AND r.is_bot = 0 AND a.number IS NOT NULL {where_a} "
        "AND a.type IN ('nps', 'csat', 'ces') GROUP BY r.channel, a.type, a.number",
        [site_id, *params],
    ).fetchall()
    return counts, scores


_SUMMARY = {
    "customer": "l.customer_id",
    "orders": "COUNT(o.record_key)",
    "revenue": "SUM(o.amount)",
    "open_tickets": "0",
}


def summary_column(what: str, site: str, visitor: str) -> str:
    """Return a scalar subquery giving the operational summary WHAT of the customer the visitor
    (the SQL expression VISITOR on site SITE) is linked to; NULL for a visitor of no customer.

    WHAT: ``customer``, ``orders`` (records of kind order), ``revenue`` (their amounts),
    ``open_tickets`` (tickets with an open status).
    """
    kind = "ticket" if what == "open_tickets" else "order"
    value = (
        f"SUM(CASE WHEN {OPEN_SQL.replace('status', 'o.status')} THEN 1 ELSE 0 END)"
        if what == "open_tickets"
        else _SUMMARY[what]
    )
    join = (
        ""
        if what == "customer"
        else " LEFT JOIN operational_records o ON o.site_id = l.site_id "
        f"AND o.customer_id = l.customer_id AND o.kind = '{kind}'"
    )
    return (
        f"(SELECT {value} FROM customer_visitors l{join} "
        f"WHERE l.site_id = {site} AND l.visitor_id = {visitor} GROUP BY l.customer_id)"
    )
