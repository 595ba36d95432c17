"""What a diagnosis of whole days reads and keeps: each day's stamp, its stored counts
(``diagnosis_days``, m0018) and, for a day counted anew, its pulse answers.

A day is a UTC day of session starts (``started / 86400000``). Its stamp, the number of human
sessions and their events (read from ``sessions_site_totals`` alone, which holds ``events``),
and the number and times of the pulse answers given in them: every change to a session's
summary comes with an event, and every answer given (or given again) has a time, so stored
counts with the same stamp are still right.
"""

from __future__ import annotations

from cxlisten.storage.db import Database, transaction
from cxlisten.storage.reports import in_window

DAY_MS = 86_400_000

# Numeric answers to track-phase surveys (the pulse) given in human sessions.
_PULSE = (
    "FROM answers a JOIN responses r ON r.id = a.response_id "
    "JOIN surveys s ON s.id = r.survey_id JOIN sessions se ON se.id = r.session_id "
    "WHERE r.site_id = ? AND r.is_bot = 0 AND s.phase = 'track' AND a.number IS NOT NULL "
    "AND se.is_bot = 0"
)


def day_stamps(
    db: Database, site_id: int, since=None, until=None, pulse: list[tuple] = ()
) -> dict[int, tuple[int, int, str]]:
    """Return {day: (human sessions, their events, "N:T")} of [SINCE, UNTIL): N of the PULSE
    answers (``pulse_answers``) were given in those sessions, at times summing to T.

    One range of the index per day: counting a day reads its entries in order, where a GROUP
    BY over the whole window would sort them.
    """
    if since is None or until is None:
        first, last = db.execute(
            "SELECT MIN(started), MAX(started) FROM sessions WHERE site_id = ? AND is_bot = 0",
            [site_id],
        ).fetchone()
        if first is None:
            return {}
        since = first - first % DAY_MS if since is None else since
        until = last - last % DAY_MS + DAY_MS if until is None else until
    stamps = {}
    for start in range(since, until, DAY_MS):
        n, events = db.execute(
            "SELECT COUNT(*), CAST(COALESCE(SUM(events), 0) AS INTEGER) FROM sessions "
            "WHERE site_id = ? AND is_bot = 0 AND started >= ? AND started < ?",
            [site_id, start, min(start + DAY_MS, until)],
        ).fetchone()
        if n:
            stamps[start // DAY_MS] = (int(n), int(events))
    answers: dict[int, list[int]] = {}
    for day, *_, answered_at, _ in pulse:
        counts = answers.setdefault(day, [0, 0])
        counts[0] += 1
        counts[1] += answered_at  # an answer given again has a new time
    return {d: (n, e, "{}:{}".format(*answers.get(d, (0, 0)))) for d, (n, e) in stamps.items()}


def pulse_answers(db: Database, site_id: int, since=None, until=None) -> list[tuple]:
    """Return (session's day, session, question type, number, day answered, time answered,
    session's start) of the pulse answers given in the human sessions started in [SINCE,
    UNTIL)."""
    args: list = [site_id]
    sql = in_window(
        f"SELECT se.started / {DAY_MS}, r.session_id, a.type, a.number, "
        f"r.started_at / {DAY_MS}, a.answered_at, se.started {_PULSE}",
        args,
        "se.started",
        since,
        until,
    )
    return [
        (int(day), session, qtype, number, int(answered), int(at), int(started))
        for day, session, qtype, number, answered, at, started in db.execute(sql, args)
    ]


def track_surveys(db: Database, site_id: int) -> list[int]:
    """Return the ids of SITE's track-phase surveys (whose answers are the pulse)."""
    rows = db.execute(
        "SELECT id FROM surveys WHERE site_id = ? AND phase = 'track' ORDER BY id", [site_id]
    )
    return [r[0] for r in rows]


def stored_days(
    db: Database, site_id: int, inputs: str, since=None, until=None
) -> dict[int, tuple[int, int, str, str]]:
    """Return {day: (sessions, events, answers, summary)} stored for INPUTS in [SINCE, UNTIL)."""
    args: list = [site_id, inputs]
    sql = in_window(
        "SELECT day, sessions, events, answers, summary FROM diagnosis_days "
        "WHERE site_id = ? AND inputs = ?",
        args,
        "day",
        None if since is None else since // DAY_MS,
        None if until is None else -(-until // DAY_MS),
    )
    return {day: (n, e, a, summary) for day, n, e, a, summary in db.execute(sql, args)}


def save_days(db: Database, site_id: int, inputs: str, rows: list[tuple]) -> None:
    """Store (day, sessions, events, answers, summary) rows for INPUTS."""
    if not rows:
        return
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO diagnosis_days (site_id, day, inputs, sessions, events, answers, "
            "summary) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, day, inputs) DO UPDATE "
            "SET sessions = excluded.sessions, events = excluded.events, "
            "answers = excluded.answers, summary = excluded.summary",
            [(site_id, day, inputs, n, e, a, summary) for day, n, e, a, summary in rows],
        )


def claim_day(db: Database, site_id: int, day: int, now_ms: int) -> bool:
    """Claim DAY of SITE for building the stored summaries (``summary_claims``, m0020); return
    whether this call claimed it: of all workers and collectors, exactly one does."""
    with transaction(db):
        cur = db.execute(
            "INSERT INTO summary_claims (site_id, day, claimed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (site_id, day) DO NOTHING",
            [site_id, day, now_ms],
        )
    return cur.rowcount > 0


def save_part(db: Database, site_id: int, inputs: str, family: str, row: tuple) -> None:
    """Store (day, sessions, events, answers, summary) of a part of a day for INPUTS, and
    forget the other parts of the site stored for INPUTS' FAMILY (``family@...``)."""
    with transaction(db):
        db.execute(
            "DELETE FROM diagnosis_days WHERE site_id = ? AND inputs LIKE ? AND inputs <> ?",
            [site_id, family + "@%", inputs],
        )
        save_days(db, site_id, inputs, [row])
