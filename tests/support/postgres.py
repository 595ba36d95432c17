"""The PostgreSQL half of the suite: one test database, migrated once, emptied per test.

Under pytest-xdist each worker has a schema of its own in that database (its URL sets the
``search_path``), so workers never empty each other's tables; without xdist it is ``public``.
"""

from __future__ import annotations

import atexit
import os

DEFAULT_URL = "postgresql://cxlisten:cxlisten@127.0.0.1:5432/cxlisten_test"
_tables: dict[str, list[str]] = {}


def url() -> str:
    """Return the test database's URL (``CXLISTEN_TEST_DATABASE_URL``, else `.ci/run`'s), in
    this worker's schema."""
    base = os.environ.get("CXLISTEN_TEST_DATABASE_URL") or DEFAULT_URL
    if schema() == "public":
        return base
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema()}"


def missing(target: str) -> str:
    """Return TARGET with a database name no server has (a file name for a SQLite path)."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in target:
        return target + ".nope"
    parts = urlsplit(target)
    return urlunsplit(parts._replace(path=parts.path + "_absent"))


def schema() -> str:
    """Return the schema this process's tests use: one per xdist worker, else ``public``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"test_{worker}" if worker else "public"


def prepare() -> tuple[str, str | None]:
    """Migrate the test database; return (url, why it cannot be used, or None)."""
    target = url()
    try:
        import psycopg
    except ImportError as exc:
        return target, f"psycopg is not installed ({exc})"
    try:
        _rebuild(target)
    except psycopg.Error as exc:
        return target, f"no PostgreSQL at {redacted(target)} ({str(exc).strip()})"
    return target, None


def _rebuild(target: str) -> None:
    """Drop everything and migrate from nothing: the same steps a new deployment runs."""
    import psycopg

    from cxlisten.storage import db as storage_db
    from cxlisten.storage.db import open_database

    with psycopg.connect(target, connect_timeout=5, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema()} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema()}")
    storage_db._migrated.discard(target)  # this process had seen it migrated
    open_database(target)
    with psycopg.connect(target, autocommit=True) as conn:
        _tables[target] = _children_first(conn)


def _children_first(conn) -> list[str]:
    """Return the tables (but ``_migrations``) ordered so that none is referred to by a later one."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> '_migrations' ORDER BY tablename"
        )
    ]
    refers = {t: set() for t in tables}
    for child, parent in conn.execute(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
    ):
        if child != parent:
            refers[child].add(parent)
    ordered: list[str] = []
    while refers:
        # A table nobody left refers to goes first.
        free = sorted(t for t in refers if not any(t in ps for ps in refers.values()))
        ordered += free
        for t in free:
            del refers[t]
    return ordered


def empty(target: str) -> None:
    """Remove every row but the migrations', and restart the identity counters.

    DELETE, not TRUNCATE: a TRUNCATE of thirty tables makes thirty new files (about a second);
    deleting the few rows a test wrote takes milliseconds.
    """
    import psycopg

    from cxlisten.storage import migrations

    conn = _cleaner(target)
    done = conn.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0]
    if done != len(migrations.available()):  # a test of migrations changed the record
        _rebuild(target)
        return
    for attempt in range(3):
        try:
            with conn.transaction():
                for table in _tables[target]:
                    conn.execute(f"DELETE FROM {table}")
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false) "
                    "FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND is_identity = 'YES'"
                )
            return
        except psycopg.errors.ForeignKeyViolation:
            # An earlier test's background writer (a webhook delivery) added a child row after
            # its table was emptied: empty them all again.
            if attempt == 2:
                raise


_cleaners: dict[str, object] = {}


def _cleaner(target: str):
    """Return the connection that empties the test database, kept for the session."""
    import psycopg

    conn = _cleaners.get(target)
    if conn is None or conn.closed:
        conn = psycopg.connect(target, autocommit=True)
        conn.execute("SET lock_timeout = '20s'")  # a test's leftover lock fails, never hangs
        conn.execute("SET synchronous_commit = off")  # a test's leftovers need no fsync
        _cleaners[target] = conn
    return conn


@atexit.register
def _close_cleaners() -> None:
    for conn in _cleaners.values():
        conn.close()


def redacted(target: str) -> str:
    from cxlisten.storage.db import redact

    return redact(target)
