"""Open a database, apply pragmas and migrations, run write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from cxlisten.errors import CxlistenError
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
) -> Database:
    """Open (creating if needed) the SQLite file at PATH, upgraded to the current schema.

    WAL lets readers run beside the writer. ``synchronous=FULL`` fsyncs the WAL at every commit, so
    an acknowledged write survives a power loss; NORMAL survives a process crash only.
    """
    if readonly:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=30,
        )
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
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
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
