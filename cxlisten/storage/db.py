"""Open a database (a SQLite file or a PostgreSQL URL), apply migrations, run transactions.

The engine is chosen by what names the database: ``postgresql://...`` is PostgreSQL (see
``storage.postgres``), anything else a SQLite file. Only this package knows which one it talks to.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from cxlisten.errors import CxlistenError, Unavailable
from cxlisten.storage import migrations

Database = sqlite_utils.Database
try:
    import psycopg

    _DRIVER_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, psycopg.Error)
except ImportError:  # PostgreSQL support is an extra: cxlisten[postgres]
    psycopg = None
    _DRIVER_ERRORS = (sqlite3.Error,)
# What a failing statement raises, for callers outside storage that report it (the CLI, the
# checkpoint thread) without importing the driver themselves. A tuple: use it in ``except``.
DatabaseError = _DRIVER_ERRORS

SQLITE, POSTGRESQL = "sqlite", "postgresql"


def is_postgres(target: str) -> bool:
    """Return whether TARGET (a setting's ``db``) names a PostgreSQL database, not a file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def engine_of(db) -> str:
    """Return ``"sqlite"`` or ``"postgresql"``: which engine DB talks to."""
    return getattr(db, "engine", SQLITE)


def open_database(
    path: str,
    *,
    synchronous: str = "FULL",
    migrate: bool = True,
    readonly: bool = False,
    autocheckpoint: int | None = None,
    busy_timeout: float = 30.0,
    pool_size: int | None = None,
) -> Database:
    """Open (creating if needed) the database PATH names, upgraded to the current schema.

    A ``postgresql://`` URL opens PostgreSQL through this process's pool of POOL_SIZE
    connections (``pool_size`` setting), where BUSY_TIMEOUT is the ``lock_timeout``;
    SYNCHRONOUS and AUTOCHECKPOINT are SQLite's and ignored there. Otherwise PATH is a SQLite
    file: WAL lets readers run beside the writer. ``synchronous=FULL`` fsyncs the WAL at every
    commit, so an acknowledged write survives a power loss; NORMAL survives a process crash
    only. BUSY_TIMEOUT is how many seconds a write waits for a lock held elsewhere before it
    fails (``unavailable_reason`` turns that failure into a 503 to retry).
    """
    if is_postgres(path):
        return _open_postgres(
            path, migrate=migrate, readonly=readonly, pool_size=pool_size, lock_wait=busy_timeout
        )
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
    _upgrade(db, path, migrate=migrate, readonly=readonly)
    return db


def _upgrade(db, name: str, *, migrate: bool, readonly: bool) -> None:
    if migrate and not readonly:
        migrations.apply(db)
    elif readonly:
        missing = migrations.pending(db)
        if missing:
            db.conn.close()
            raise CxlistenError(
                f"{name} has an older schema ({', '.join(missing)} not applied): open it once "
                "for writing (any cxlisten command, or the collector) to upgrade it"
            )


# Pools already upgraded in this process: a migrated database is checked once, not per thread.
_migrated: set[str] = set()


def _open_postgres(
    url: str, *, migrate: bool, readonly: bool, pool_size: int | None, lock_wait: float
):
    if psycopg is None:
        raise CxlistenError("PostgreSQL support is not installed: pip install 'cxlisten[postgres]'")
    from cxlisten.storage.postgres import DEFAULT_POOL_SIZE, PostgresDatabase

    try:
        db = PostgresDatabase(url, pool_size or DEFAULT_POOL_SIZE, lock_wait)
    except psycopg.Error as exc:
        raise CxlistenError(f"cannot open {redact(url)}: {exc}") from exc
    if url not in _migrated or readonly:
        _upgrade(db, redact(url), migrate=migrate, readonly=readonly)
        if migrate and not readonly:
            _migrated.add(url)
    return db


def database_exists(target: str) -> bool:
    """Return whether TARGET names a database that is there: a file, or a PostgreSQL database.

    A PostgreSQL server that cannot be reached is not a missing database: that raises
    CxlistenError saying why.
    """
    if not is_postgres(target):
        return os.path.exists(target)
    if psycopg is None:
        raise CxlistenError("PostgreSQL support is not installed: pip install 'cxlisten[postgres]'")
    try:
        psycopg.connect(target, connect_timeout=10).close()
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return False
        raise CxlistenError(f"cannot reach {redact(target)}: {str(exc).strip()}") from exc
    return True


def redact(target: str) -> str:
    """Return TARGET fit to print: a URL's password is replaced by ``***``."""
    if not is_postgres(target) or "@" not in target:
        return target
    scheme, rest = target.split("://", 1)
    userinfo, host = rest.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}{':***' if ':' in userinfo else ''}@{host}"


def lock(db, *key: object) -> None:
    """Serialise the current transaction with every other one that locks the same KEY.

    SQLite needs nothing: ``BEGIN IMMEDIATE`` already made this the only writer. On PostgreSQL
    two collectors may write at once: a transaction-scoped advisory lock on KEY (say, a visitor)
    makes the second wait for the first to commit before it reads what it will change.
    """
    if engine_of(db) != POSTGRESQL:
        return
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    db.execute("SELECT pg_advisory_xact_lock(?)", [int.from_bytes(digest, "big", signed=True)])


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
    if psycopg is not None and isinstance(exc, psycopg.OperationalError):
        # The server is down, restarting, or every pooled connection is busy (PoolTimeout), or
        # a lock was not granted in time: all conditions to retry, never a 500.
        return Unavailable(
            "the database is not answering; retry shortly",
            {"_db": ["database server unavailable or busy"]},
            retry_after=RETRY_LOCKED,
        )
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
    """Copy committed WAL pages into the database file without blocking readers or writers.

    SQLite only: PostgreSQL checkpoints on its own.
    """
    if engine_of(db) == POSTGRESQL:
        return
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run the block as one write transaction; nested blocks join the outer one.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so two workers never both read-then-write
    the same rows. On PostgreSQL the block holds one pooled connection (READ COMMITTED): what
    two collectors could both read then write is guarded by ``lock`` or row locks.
    """
    if engine_of(db) == POSTGRESQL:
        with db.transaction():
            yield db
        return
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
