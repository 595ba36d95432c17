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


def answers_to(db: Database, site_id: int, survey: str, question: str) -> list[tuple]:
    """Return (visitor id, session id, type, value, number) of human answers to QUESTION."""
    return db.execute(
        "SELECT r.visitor_id, r.session_id, a.type, a.value, a.number FROM answers a "
        "JOIN responses r ON r.id = a.response_id "
        "WHERE a.site_id = ? AND a.survey = ? AND a.question = ? AND r.is_bot = 0",
        [site_id, survey, question],
    ).fetchall()


def save_predictions(
    db: Database, site_id: int, survey: str, question: str, rows: list[tuple], auc: float, at: int
) -> None:
    """Replace the estimated answers to QUESTION with ROWS of (visitor, answer, probability)."""
    db.execute(
        "DELETE FROM predictions WHERE site_id = ? AND survey = ? AND question = ?",
        [site_id, survey, question],
    )
    db.conn.executemany(
        "INSERT INTO predictions (site_id, visitor_id, survey, question, answer, probability, "
        "auc, kind, predicted_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'estimated', ?)",
        [(site_id, v, survey, question, a, p, auc, at) for v, a, p in rows],
    )


def customers(db: Database, site_id: int) -> dict[str, tuple[str, ...]]:
    """Return {customer id: its linked visitors} of the site's identified customers."""
    found: dict[str, list[str]] = {}
    for customer, visitor in db.execute(
        "SELECT customer_id, visitor_id FROM customer_visitors "
        "WHERE site_id = ? AND unlinked_at IS NULL ORDER BY customer_id, linked_at",
        [site_id],
    ):
        found.setdefault(customer, []).append(visitor)
    return {c: tuple(v) for c, v in found.items()}


def sessions_of(
    db: Database, site_id: int, visitor_ids: tuple[str, ...], since: int
) -> list[tuple[int, list[str]]]:
    """Return (start, steps) of the human sessions of VISITOR_IDS started since SINCE, in order."""
    if not visitor_ids:
        return []
    marks = ",".join("?" * len(visitor_ids))
    cur = db.execute(
        f"SELECT started, steps FROM sessions WHERE visitor_id IN ({marks}) AND site_id = ? "
        "AND started >= ? AND is_bot = 0 ORDER BY started",
        [*visitor_ids, site_id, since],
    )
    return [(row[0], json.loads(row[1])) for row in cur]


def numeric_answers(db: Database, site_id: int, survey: str) -> list[tuple]:
    """Return (response id, device, returning, question, number) of a survey's numeric answers."""
    return db.execute(
        "SELECT r.id, r.device, COALESCE(s.is_returning, 0), a.question, a.number "
        "FROM answers a JOIN responses r ON r.id = a.response_id "
        "LEFT JOIN sessions s ON s.id = r.session_id "
        "WHERE a.site_id = ? AND a.survey = ? AND r.is_bot = 0 AND a.number IS NOT NULL",
        [site_id, survey],
    ).fetchall()


def respondent_sessions(db: Database, site_id: int, survey: str) -> list[tuple]:
    """Return (response id, rage, dead, abandoned, max scroll, steps, clicked interventions,
    custom) of the session each human response to SURVEY was given in."""
    return db.execute(
        "SELECT r.id, s.rage_clicks, s.dead_clicks, s.abandoned_fields, s.max_scroll, "
        "s.steps, s.interventions_clicked, s.custom FROM responses r "
        "JOIN sessions s ON s.id = r.session_id "
        "WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0",
        [site_id, survey],
    ).fetchall()


def respondent_customers(
    db: Database, site_id: int, survey: str, order_kind: str, ticket_kind: str
) -> list[tuple]:
    """Return (response id, customer or None, their ORDER_KIND total or None, has an open
    TICKET_KIND record: 0/1) of each human response to SURVEY, through its visitor's link."""
    from cxlisten.storage.operational import OPEN_SQL

    return db.execute(
        "SELECT r.id, l.customer_id, (SELECT SUM(o.amount) FROM operational_records o "
        "WHERE o.site_id = l.site_id AND o.customer_id = l.customer_id AND o.kind = ?), "
        "CASE WHEN EXISTS (SELECT 1 FROM operational_records o WHERE o.site_id = l.site_id "
        "AND o.customer_id = l.customer_id AND o.kind = ? "
        f"AND {OPEN_SQL.replace('status', 'o.status')}) THEN 1 ELSE 0 END "
        "FROM responses r LEFT JOIN customer_visitors l ON l.site_id = r.site_id "
        "AND l.visitor_id = r.visitor_id AND l.unlinked_at IS NULL "
        "WHERE r.site_id = ? AND r.survey = ? AND r.is_bot = 0",
        [order_kind, ticket_kind, site_id, survey],
    ).fetchall()


def choice_answers(db: Database, site_id: int, survey: str, question: str) -> list[tuple]:
    """Return (response id, option codes) of the human answers to one choice QUESTION."""
    return db.execute(
        "SELECT r.id, a.value FROM answers a JOIN responses r ON r.id = a.response_id "
        "WHERE a.site_id = ? AND a.survey = ? AND a.question = ? AND r.is_bot = 0 "
        "AND a.value IS NOT NULL",
        [site_id, survey, question],
    ).fetchall()
