"""What a rule's lift reads: each exposure with the sessions that can show its outcome, and the
outcomes already worked out (``exposure_outcomes``, m0018).

An exposure's outcome is decided by the exposure's own session and the visitor's sessions
starting within the outcome horizon after it. Those sessions are counted, with their events,
from the visitor index alone (no session row is read: ``sessions_visitor`` holds ``started``,
``events`` and ``id``); an outcome stored with the same count and events is still right, since
every change to a session's steps, custom events or start comes with an event. Only the others
are read again (``exposure_sessions``) and stored anew (``save_outcomes``).
"""

from __future__ import annotations

from collections.abc import Iterator

from cxlisten.storage.db import Database, transaction

# Each exposure of a rule with the count and events of the sessions deciding its outcome.
_STAMPS = (
    "WITH st AS (SELECT e.visitor_id AS v, e.session_id AS sid, e.arm AS arm, "
    "e.action AS action, e.step_index AS step, COUNT(s.id) AS n, "
    "CAST(COALESCE(SUM(s.events), 0) AS INTEGER) AS ev "
    "FROM action_exposures e LEFT JOIN sessions s ON s.visitor_id = e.visitor_id "
    "AND (s.id = e.session_id OR (s.started > e.ts AND s.started <= e.ts + ?)) "
    "WHERE e.site_id = ? AND e.rule = ?{window} "
    "GROUP BY e.visitor_id, e.session_id, e.arm, e.action, e.step_index) "
)
# ... and its stored outcome, when stored for the same inputs, sessions and events.
_STORED = (
    "FROM st LEFT JOIN exposure_outcomes o ON o.site_id = ? AND o.rule = ? AND o.inputs = ? "
    "AND o.visitor_id = st.v AND o.session_id = st.sid AND o.sessions = st.n "
    "AND o.events = st.ev"
)


def _stamped(site_id: int, rule: str, horizon_ms: int, since, until) -> tuple[str, list]:
    args: list = [horizon_ms, site_id, rule]
    window = ""
    for clause, value in ((" AND e.ts >= ?", since), (" AND e.ts < ?", until)):
        if value is not None:
            window += clause
            args.append(value)
    return _STAMPS.format(window=window), args


def outcome_counts(
    db: Database, site_id: int, rule: str, inputs: str, horizon_ms: int, since=None, until=None
) -> list[tuple[str, str, int | None, int]]:
    """Return (arm, action, reached, exposures) of RULE's exposures in [SINCE, UNTIL).

    ``reached`` is 0 or 1 as stored for INPUTS, or None for exposures whose outcome is not
    stored or no longer fits their sessions (``stale_exposures`` lists them).
    """
    sql, args = _stamped(site_id, rule, horizon_ms, since, until)
    sql += "SELECT st.arm, st.action, o.reached, COUNT(*) " + _STORED
    return list(
        db.execute(sql + " GROUP BY st.arm, st.action, o.reached", [*args, site_id, rule, inputs])
    )


def stale_exposures(
    db: Database, site_id: int, rule: str, inputs: str, horizon_ms: int, since=None, until=None
) -> list[tuple[str, str, str, str, int, int, int]]:
    """Return (visitor, session, arm, action, step index, sessions, events) of the exposures
    whose outcome for INPUTS is not stored or no longer fits their sessions."""
    sql, args = _stamped(site_id, rule, horizon_ms, since, until)
    sql += "SELECT st.v, st.sid, st.arm, st.action, st.step, st.n, st.ev " + _STORED
    return list(db.execute(sql + " WHERE o.reached IS NULL", [*args, site_id, rule, inputs]))


def exposure_sessions(
    db: Database, site_id: int, rule: str, horizon_ms: int, visitors: list[str] | None = None
) -> Iterator[tuple]:
    """Yield (visitor, exposure's session, session, steps JSON, custom JSON) of RULE's exposures.

    A session is yielded with an exposure when it is the exposure's own session or starts in
    (exposure time, exposure time + HORIZON_MS]; of VISITORS' exposures only when given.
    """
    base = (
        "SELECT e.visitor_id, e.session_id, s.id, s.steps, s.custom FROM action_exposures e "
        "JOIN sessions s ON s.visitor_id = e.visitor_id "
        "WHERE e.site_id = ? AND e.rule = ? "
        "AND (s.id = e.session_id OR (s.started > e.ts AND s.started <= e.ts + ?))"
    )
    args = [site_id, rule, horizon_ms]
    if visitors is None:
        yield from db.execute(base, args)
        return
    for chunk in range(0, len(visitors), 500):
        ids = visitors[chunk : chunk + 500]
        yield from db.execute(
            base + f" AND e.visitor_id IN ({','.join('?' * len(ids))})", [*args, *ids]
        )


def stored_outcomes(db: Database, site_id: int, rule: str, inputs: str) -> dict[tuple, int]:
    """Return {(visitor, session): reached} stored for RULE and INPUTS."""
    rows = db.execute(
        "SELECT visitor_id, session_id, reached FROM exposure_outcomes "
        "WHERE site_id = ? AND rule = ? AND inputs = ?",
        [site_id, rule, inputs],
    )
    return {(v, s): reached for v, s, reached in rows}


def save_outcomes(db: Database, site_id: int, rule: str, inputs: str, rows: list[tuple]) -> None:
    """Store (visitor, session, sessions, events, reached) rows of RULE for INPUTS."""
    if not rows:
        return
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO exposure_outcomes (site_id, rule, inputs, visitor_id, session_id, "
            "sessions, events, reached) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (site_id, rule, inputs, visitor_id, session_id) DO UPDATE SET "
            "sessions = excluded.sessions, events = excluded.events, reached = excluded.reached",
            [(site_id, rule, inputs, *row) for row in rows],
        )
