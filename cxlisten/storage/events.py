"""Events, the per-session summaries kept current as they arrive, and visitors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter

from cxlisten.storage.db import Database, lock

JSON_COLUMNS = ("steps", "dwell", "custom", "scroll", "signals", "click_run", "speed")
SESSION_COLUMNS = (
    "id",
    "site_id",
    "visitor_id",
    "started",
    "last_ts",
    "pageviews",
    "events",
    "steps",
    "dwell",
    "custom",
    "max_scroll",
    "surveys_shown",
    "surveys_answered",
    "surveys_dismissed",
    "interventions_shown",
    "interventions_clicked",
    "entry",
    "exit",
    "device",
    "browser",
    "os",
    "is_bot",
    "is_returning",
    "scroll",
    "rage_clicks",
    "dead_clicks",
    "abandoned_fields",
    "signals",
    "click_run",
    "speed",
)
EVENT_COLUMNS = (
    "site_id",
    "id",
    "visitor_id",
    "session_id",
    "kind",
    "ts",
    "received_at",
    "url",
    "path",
    "name",
    "action",
    "value",
    "data",
)


def lock_visitor(db: Database, site_id: int, visitor_id: str) -> None:
    """Make this transaction the only one writing the visitor's events and sessions till commit.

    Call first in the transaction. A visitor's consecutive batches may reach two collectors at
    once: each reads the visitor's latest session, folds its events in and writes the summary
    back. On SQLite the write lock already orders them; on PostgreSQL this lock does, so the
    second reads what the first wrote and no update of the summary is lost.
    """
    lock(db, "visitor", site_id, visitor_id)


def _existing_events(db: Database, site_id: int, keys: list[tuple[int, str]]):
    if not keys:
        return ()
    return db.execute(existing_events_sql(len(keys)), [*(x for key in keys for x in key), site_id])


def existing_events_sql(count: int) -> str:
    """The dedupe probe for COUNT keys: parameters ts, id of each key, then the site id.

    One exact probe of the (site_id, ts, id) index per key, whatever else was stored with the
    same timestamp. A subquery per key, not a join: PostgreSQL may keep the plan of a prepared
    join made while ``events`` was nearly empty (read the site's events, match them to the
    keys), and that plan grows with the table. A subquery's only other plan reads a table
    vacuumed while empty, and it lasts only until autovacuum first analyses the table (after 50
    rows), which plans the prepared probe again.
    """
    values = ",".join("(?, ?)" for _ in range(count))
    return (
        f"SELECT k.column1, k.column2 FROM (VALUES {values}) AS k WHERE (SELECT 1 FROM events "
        "AS e WHERE e.site_id = ? AND e.ts = k.column1 AND e.id = k.column2) IS NOT NULL"
    )


@dataclass(frozen=True)
class BatchReads:
    """What storing a batch must read before it writes (``read_for_batch``)."""

    seen: set[tuple[int, str]]  # the batch's (ts, id) keys stored already
    known_names: set[str]  # the batch's custom event names the site has already
    latest: dict | None  # the visitor's latest session, if the visitor may have one


def read_for_batch(
    db: Database,
    site_id: int,
    visitor_id: str,
    keys: list[tuple[int, str]],
    names: list[str],
    *,
    known: bool,
) -> BatchReads:
    """Lock a KNOWN visitor (``lock_visitor``), then read what storing its batch needs.

    Call first in the batch's transaction. All statements are sent before any result is read,
    so on PostgreSQL they travel together (with the transaction's ``BEGIN``): one round trip,
    the lock granted before the reads behind it run. A visitor this request made up has no
    other writer to wait for and no sessions yet.
    """
    if known:
        lock_visitor(db, site_id, visitor_id)
    seen = _existing_events(db, site_id, keys)
    known_names = _known_custom_names(db, site_id, names)
    latest = _latest_session(db, visitor_id) if known else None
    row = latest.fetchone() if latest is not None else None
    return BatchReads(
        seen=set(seen),
        known_names={r[0] for r in known_names},
        latest=_session(row) if row else None,
    )


INSERT_EVENT_SQL = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({','.join('?' * len(EVENT_COLUMNS))}) ON CONFLICT (site_id, ts, id) DO NOTHING"
)


_EVENT_VALUES = itemgetter(*EVENT_COLUMNS)


def insert_events(db: Database, rows: list[dict]) -> None:
    """Insert event rows (dicts with EVENT_COLUMNS); call inside a transaction."""
    db.conn.executemany(INSERT_EVENT_SQL, list(map(_EVENT_VALUES, rows)))


def _session(row) -> dict:
    item = dict(zip(SESSION_COLUMNS, row, strict=True))
    for column in JSON_COLUMNS:
        item[column] = json.loads(item[column])
    return item


def latest_session(db: Database, visitor_id: str) -> dict | None:
    """Return the visitor's session with the latest activity."""
    row = _latest_session(db, visitor_id).fetchone()
    return _session(row) if row else None


def _latest_session(db: Database, visitor_id: str):
    return db.execute(
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE visitor_id = ? "
        "ORDER BY last_ts DESC LIMIT 1",
        [visitor_id],
    )


def session_covering(db: Database, visitor_id: str, ts: int, idle_ms: int) -> dict | None:
    """Return the visitor's session that a late event at TS belongs to, if any."""
    row = db.execute(
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE visitor_id = ? "
        "AND started - ? <= ? AND last_ts + ? >= ? ORDER BY started LIMIT 1",
        [visitor_id, idle_ms, ts, idle_ms, ts],
    ).fetchone()
    return _session(row) if row else None


def count_sessions(db: Database, visitor_id: str) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM sessions WHERE visitor_id = ?", [visitor_id]
    ).fetchone()[0]


def get_session(db: Database, session_id: str) -> dict | None:
    row = db.execute(
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE id = ?", [session_id]
    ).fetchone()
    return _session(row) if row else None


def save_sessions(db: Database, sessions: list[dict]) -> None:
    """Insert or replace session summaries; call inside a transaction."""
    cols = ", ".join(SESSION_COLUMNS)
    marks = ",".join("?" * len(SESSION_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in SESSION_COLUMNS if c != "id")
    rows = []
    for s in sessions:
        rows.append(tuple(json.dumps(s[c]) if c in JSON_COLUMNS else s[c] for c in SESSION_COLUMNS))
    db.conn.executemany(
        f"INSERT INTO sessions ({cols}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}",
        rows,
    )


# Creates a visitor or widens its seen range; shared with the simulator's bulk loader.
TOUCH_VISITOR_SQL = (
    "INSERT INTO visitors (id, site_id, first_seen, last_seen, sessions) "
    "VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET first_seen = CASE WHEN excluded.first_seen < "
    "visitors.first_seen THEN excluded.first_seen ELSE visitors.first_seen END, "
    "last_seen = CASE WHEN excluded.last_seen > visitors.last_seen "
    "THEN excluded.last_seen ELSE visitors.last_seen END, "
    "sessions = visitors.sessions + excluded.sessions"
)


def touch_visitor(
    db: Database, visitor_id: str, site_id: int, first: int, last: int, new_sessions: int
) -> None:
    """Create the visitor row or widen its seen range; call inside a transaction."""
    db.execute(TOUCH_VISITOR_SQL, [visitor_id, site_id, first, last, new_sessions])


def visitor_exists(db: Database, visitor_id: str) -> bool:
    return db.execute("SELECT 1 FROM visitors WHERE id = ?", [visitor_id]).fetchone() is not None


def count_sessions_since(db: Database, visitor_id: str, since: int) -> int:
    """Return how many sessions of the visitor started at or after SINCE (ms)."""
    return db.execute(
        "SELECT COUNT(*) FROM sessions WHERE visitor_id = ? AND started >= ?", [visitor_id, since]
    ).fetchone()[0]


def _known_custom_names(db: Database, site_id: int, names: list[str]):
    if not names:
        return ()
    marks = ",".join("?" * len(names))
    return db.execute(
        f"SELECT name FROM custom_names WHERE site_id = ? AND name IN ({marks})", [site_id, *names]
    )


def count_custom_names(db: Database, site_id: int) -> int:
    """Return how many custom event names the site has; call in the transaction that adds some.

    On PostgreSQL it first takes the site's name lock (held till commit), so two collectors
    adding names at once count one after the other and cannot both take the last free place.
    """
    lock(db, "custom names", site_id)
    return db.execute("SELECT COUNT(*) FROM custom_names WHERE site_id = ?", [site_id]).fetchone()[
        0
    ]


def add_custom_names(db: Database, site_id: int, names: list[str], now: int) -> None:
    """Record new custom event names of the site; call inside a transaction."""
    db.conn.executemany(
        "INSERT INTO custom_names (site_id, name, first_seen) VALUES (?, ?, ?) "
        "ON CONFLICT (site_id, name) DO NOTHING",
        [(site_id, name, now) for name in names],
    )
