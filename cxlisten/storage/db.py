"""Open a database, apply pragmas and migrations, run write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from cxlisten.errors import CxlistenError, Unavailable
from cxlisten.storage import migrations

Database = sqlite_utils.Database
# What a failing statement raises, for callers outside storage that report it (the CLI, the
# checkpoint thread) without importing the driver themselves.
DatabaseError = sqlite3.Error


def open_database(
    path: str,
    *,
    synchronous: str = "FULL",
    migrate: bool = True,
    readonly: bool = False,
    autocheckpoint: int | None = None,
    busy_timeout: float = 30.0,
) -> Database:
    """Open (creating if needed) the SQLite file at PATH, upgraded to the current schema.

    WAL lets readers run beside the writer. ``synchronous=FULL`` fsyncs the WAL at every commit, so
    an acknowledged write survives a power loss; NORMAL survives a process crash only.
    BUSY_TIMEOUT is how many seconds a write waits for a lock held elsewhere before it fails
    (``unavailable_reason`` turns that failure into a 503 to retry).
    """
    if readonly:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout,
        )
    else:
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout
        )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    if autocheckpoint is not None:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
    db = sqlite_utils.Database(conn)
    if migrate and not readonly:
        migrations.apply(db)
    elif readonly:
        missing = migrations.pending(db)
        if missing:
            conn.close()
            raise CxlistenError(
                f"{path} has an older schema ({', '.join(missing)} not applied): open it once "
                "for writing (any cxlisten command, or the collector) to upgrade it"
            )
    return db


def ping(db: Database) -> None:
    """Run the cheapest statement: raises DatabaseError when the database does not answer."""
    db.execute("SELECT 1").fetchone()


# Seconds a client is told to wait (Retry-After) after a refused write, by cause.
RETRY_LOCKED = 2
RETRY_DISK_FULL = 30


def unavailable_reason(exc: BaseException) -> Unavailable | None:
    """Return the 503 that EXC means if it is a write the database could not take now.

    A lock held past the busy timeout (a backup, an analyst's long write) and a full disk are
    conditions to wait out, not bugs: the caller answers 503 with ``Retry-After``.
    """
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return Unavailable(
            "the database is busy with another writer; retry shortly",
            {"_db": ["write lock not available in time"]},
            retry_after=RETRY_LOCKED,
        )
    if "disk is full" in text or "disk i/o" in text:
        return Unavailable(
            "the collector's disk is full; retry later",
            {"_db": ["no space left for writes"]},
            retry_after=RETRY_DISK_FULL,
        )
    return None


def integrity_problems(path: str, *, limit: int = 20) -> list[str]:
    """Return what ``PRAGMA quick_check`` finds wrong with the file at PATH (empty: sound).

    Read-only and without migrating: a damaged file is reported, never written to.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def checkpoint(db: Database) -> None:
    """Copy committed WAL pages into the database file without blocking readers or writers."""
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run the block as one write transaction; nested blocks join the outer one.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so two workers never both read-then-write
    the same rows.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:  # some errors (SQLITE_FULL) have rolled it back already
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
