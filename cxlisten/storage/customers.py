"""Customers: the site identity secret, visitor links, and a customer's operational records."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from cxlisten.storage.db import Database, transaction
from cxlisten.storage.events import lock_visitor


def _now() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Linked:
    """Who a visitor is: their customer (None: anonymous) and every visitor of that customer."""

    customer_id: str | None
    visitors: tuple[str, ...]


def identity_secret(db: Database, site_id: int) -> str:
    """Return the site's identity secret, making it on first use (safe when workers race)."""
    row = db.execute("SELECT secret FROM site_identity WHERE site_id = ?", [site_id]).fetchone()
    if row:
        return row[0]
    with transaction(db):
        db.execute(
            "INSERT INTO site_identity (site_id, secret, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (site_id) DO NOTHING",
            [site_id, "cxid_" + secrets.token_urlsafe(32), _now()],
        )
    return identity_secret(db, site_id)


def rotate_identity_secret(db: Database, site_id: int) -> str:
    """Replace the site's identity secret; signatures made with the old one stop verifying."""
    identity_secret(db, site_id)
    with transaction(db):
        db.execute(
            "UPDATE site_identity SET secret = ?, rotated_at = ? WHERE site_id = ?",
            ["cxid_" + secrets.token_urlsafe(32), _now(), site_id],
        )
    return identity_secret(db, site_id)


def link_of(db: Database, site_id: int, visitor_id: str) -> tuple[str, bool] | None:
    """Return (customer id, still linked) of a visitor ever linked, else None."""
    row = db.execute(
        "SELECT customer_id, unlinked_at FROM customer_visitors "
        "WHERE site_id = ? AND visitor_id = ?",
        [site_id, visitor_id],
    ).fetchone()
    return (row[0], row[1] is None) if row else None


def link(db: Database, site_id: int, visitor_id: str, customer_id: str, via: str) -> None:
    """Link VISITOR_ID to CUSTOMER_ID (again, if it was unlinked from the same customer)."""
    with transaction(db):
        db.execute(
            "INSERT INTO customer_visitors (site_id, visitor_id, customer_id, via, linked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, visitor_id) DO UPDATE SET "
            "unlinked_at = NULL WHERE customer_visitors.customer_id = excluded.customer_id",
            [site_id, visitor_id, customer_id, via, _now()],
        )


def link_unless_taken(
    db: Database, site_id: int, visitor_id: str, customer_id: str, via: str
) -> bool:
    """Link VISITOR_ID to CUSTOMER_ID unless another customer has it; return whether linked.

    Two collectors identifying one browser as two customers at once take turns on the visitor,
    so the second sees the first's link and is refused, never handed a visitor of another.
    """
    with transaction(db):
        lock_visitor(db, site_id, visitor_id)
        existing = link_of(db, site_id, visitor_id)
        if existing and existing[0] != customer_id:
            return False
        link(db, site_id, visitor_id, customer_id, via)
    return True


def unlink(db: Database, site_id: int, visitor_id: str) -> bool:
    """End a visitor's link (what it said stays its customer's); return whether it had one."""
    with transaction(db):
        cur = db.execute(
            "UPDATE customer_visitors SET unlinked_at = ? "
            "WHERE site_id = ? AND visitor_id = ? AND unlinked_at IS NULL",
            [_now(), site_id, visitor_id],
        )
    return cur.rowcount > 0


def linked(db: Database, site_id: int, visitor_id: str) -> Linked:
    """Return the visitor's customer and all that customer's visitors (just this one if none)."""
    rows = db.execute(
        "SELECT l.customer_id, l.visitor_id FROM customer_visitors me "
        "JOIN customer_visitors l ON l.site_id = me.site_id AND l.customer_id = me.customer_id "
        "WHERE me.site_id = ? AND me.visitor_id = ? AND me.unlinked_at IS NULL "
        "ORDER BY l.linked_at, l.visitor_id",
        [site_id, visitor_id],
    ).fetchall()
    if not rows:
        return Linked(None, (visitor_id,))
    return Linked(rows[0][0], tuple(r[1] for r in rows))


def visitors_of(db: Database, site_id: int, customer_id: str) -> list[dict]:
    """Return the customer's visitors (devices), first linked first."""
    cur = db.execute(
        "SELECT visitor_id, via, linked_at, unlinked_at FROM customer_visitors "
        "WHERE site_id = ? AND customer_id = ? ORDER BY linked_at, visitor_id",
        [site_id, customer_id],
    )
    keys = ("visitor", "via", "linked_at", "unlinked_at")
    return [dict(zip(keys, row, strict=True)) for row in cur]


def forget_customer(db: Database, site_id: int, customer_id: str) -> dict[str, int]:
    """Delete the customer's links and operational records; call inside a transaction."""
    return {
        "customer_visitors": db.execute(
            "DELETE FROM customer_visitors WHERE site_id = ? AND customer_id = ?",
            [site_id, customer_id],
        ).rowcount,
        "operational_records": db.execute(
            "DELETE FROM operational_records WHERE site_id = ? AND customer_id = ?",
            [site_id, customer_id],
        ).rowcount,
    }


def answers_of(db: Database, site_id: int, visitors: tuple[str, ...]) -> list[tuple]:
    """Return (survey, question, value, number, other, type) of the answers, oldest first."""
    cur = db.execute(
        "SELECT survey, question, value, number, other, type FROM answers WHERE site_id = ? "
        f"AND visitor_id IN ({','.join('?' * len(visitors))}) ORDER BY answered_at",
        [site_id, *visitors],
    )
    return cur.fetchall()


def customers_of_site(db: Database, site_id: int, prefix: str = "", limit: int = 100) -> list[dict]:
    """Return the site's customers whose id starts with PREFIX, most recently linked first, each
    with its devices (visitors ever linked) and the ones still linked."""
    where, params = (
        ("AND substr(customer_id, 1, ?) = ?", [len(prefix), prefix]) if prefix else ("", [])
    )
    cur = db.execute(
        "SELECT customer_id, COUNT(*), SUM(CASE WHEN unlinked_at IS NULL THEN 1 ELSE 0 END), "
        f"MAX(linked_at) FROM customer_visitors WHERE site_id = ? {where} "
        "GROUP BY customer_id ORDER BY MAX(linked_at) DESC, customer_id LIMIT ?",
        [site_id, *params, limit],
    )
    keys = ("customer", "devices", "linked", "last_linked_at")
    return [dict(zip(keys, row, strict=True)) for row in cur]
