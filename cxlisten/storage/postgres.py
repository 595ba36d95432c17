"""PostgreSQL through psycopg 3: a pooled ``Database`` with the calls storage modules make.

Storage functions take a database and call ``db.execute(sql, params)``,
``db.conn.executemany(sql, rows)``, read ``cursor.rowcount`` / ``cursor.lastrowid`` and run
write blocks in ``transaction(db)``. ``PostgresDatabase`` answers the same calls on PostgreSQL,
so no storage function exists twice: each statement goes through ``dialect.to_postgres``.

Connections come from one ``psycopg_pool.ConnectionPool`` per process and URL (``pool_size``
connections at most): outside a transaction a statement borrows a connection, reads its rows
and gives it back; ``transaction`` keeps one for the whole block (``BEGIN`` ... ``COMMIT``,
READ COMMITTED). A forked process (a gunicorn worker) gets a pool of its own. Statements go to
the server through ``storage.pipeline`` (queued, sent in flights, prepared from their second
use), with numbered placeholders; several rows of one ``INSERT`` go as one statement.

An ``INSERT`` into a table with an identity column gets ``RETURNING`` that column, so
``cursor.lastrowid`` means what it means on SQLite. Integers load as ``int`` and ``NUMERIC``
(what ``SUM`` of integers gives) as ``int`` or ``float``, as SQLite returns them.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.types.string import StrDumperUnknown
from psycopg_pool import ConnectionPool

from cxlisten.storage.dialect import to_postgres
from cxlisten.storage.pipeline import Flights, Statement, column_names

__all__ = ["PostgresDatabase", "close_pools", "pool_for"]

DEFAULT_POOL_SIZE = 5
# How long a statement waits for a free pooled connection before failing (503, Retry-After).
POOL_WAIT_SECONDS = 30.0


class _NumericLoader(Loader):
    """NUMERIC as SQLite would give it: int when whole, else float."""

    def load(self, data) -> int | float:
        text = bytes(data)
        return float(text) if b"." in text or b"e" in text.lower() else int(text)


class _BoolAsIntDumper(Dumper):
    """Python bools go to INTEGER columns as 0/1, as SQLite stores them."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj) -> bytes:
        return b"1" if obj else b"0"


class _TextDumper(StrDumperUnknown):
    """Text as SQLite keeps it, but for NUL, which PostgreSQL's text cannot hold: U+FFFD.

    Hostile payloads carry NULs (quarantined as they came on SQLite); a NUL is never meaningful
    in a URL, a name or an answer, so the replacement character marks where one was.
    """

    def dump(self, obj: str):
        return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)


def _configure(conn: psycopg.Connection) -> None:
    # Statements are prepared by storage.pipeline, never by psycopg: psycopg answers a ROLLBACK
    # or a DROP of its own by deallocating every prepared statement of the connection.
    conn.prepare_threshold = None
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.adapters.register_dumper(bool, _BoolAsIntDumper)
    conn.adapters.register_dumper(str, _TextDumper)


def _configure_waiting(lock_wait_ms: int | None):
    """Return the pool's ``configure``: SQLite's busy timeout is PostgreSQL's ``lock_timeout``."""
    if lock_wait_ms is None:
        return _configure

    def configure(conn: psycopg.Connection) -> None:
        _configure(conn)
        # A statement waits at most this long for a lock held elsewhere (an analyst's write, a
        # migration), then fails with 55P03, which the collector answers as 503 + Retry-After.
        conn.execute(f"SET lock_timeout = {int(lock_wait_ms)}")

    return configure


_pools: dict[tuple[int, str, int, int | None], ConnectionPool] = {}
_pools_lock = threading.Lock()


def pool_for(
    url: str, size: int = DEFAULT_POOL_SIZE, lock_wait: float | None = None
) -> ConnectionPool:
    """Return this process's pool for URL, opening it on first use; a statement of it waits
    at most LOCK_WAIT seconds for a lock (None: the server's ``lock_timeout``)."""
    lock_wait_ms = None if lock_wait is None else max(int(lock_wait * 1000), 1)
    key = (os.getpid(), url, max(int(size), 1), lock_wait_ms)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=max(int(size), 1),
                kwargs={"autocommit": True},
                configure=_configure_waiting(lock_wait_ms),
                timeout=POOL_WAIT_SECONDS,
                open=True,
                name=f"cxlisten-{os.getpid()}",
            )
            _pools[key] = pool
    return pool


@atexit.register
def close_pools() -> None:
    """Close this process's pools (a forked child's copies of its parent's are left alone)."""
    with _pools_lock:
        for key, pool in list(_pools.items()):
            if key[0] == os.getpid():
                pool.close()
                del _pools[key]


class Rows:
    """The rows of one statement, read in full, with ``rowcount`` and ``lastrowid``.

    Inside a transaction a statement may not have been sent yet (see ``storage.pipeline``):
    LATER then sends it and reads its results on first use.
    """

    def __init__(
        self,
        rows: list[tuple] | None = None,
        rowcount: int = 0,
        lastrowid: int | None = None,
        columns: tuple[str, ...] = (),
        *,
        later: Statement | None = None,
    ):
        self._later = later
        self._rows = rows or []
        self._next = 0
        self._rowcount = rowcount
        self._lastrowid = lastrowid
        self._columns = columns

    def _ready(self) -> None:
        if self._later is not None:
            later, self._later = self._later, None
            self._rows, self._rowcount, self._lastrowid, self._columns = later.results()

    @property
    def rowcount(self) -> int:
        self._ready()
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        self._ready()
        return self._lastrowid

    @property
    def columns(self) -> tuple[str, ...]:
        self._ready()
        self._columns = column_names(self._columns)
        return self._columns

    def fetchone(self) -> tuple | None:
        self._ready()
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchmany(self, size: int = 1) -> list[tuple]:
        self._ready()
        rows = self._rows[self._next : self._next + size]
        self._next += len(rows)
        return rows

    def fetchall(self) -> list[tuple]:
        self._ready()
        rows = self._rows[self._next :]
        self._next = len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple]:
        while (row := self.fetchone()) is not None:
            yield row

    def close(self) -> None:
        self._ready()
        self._rows = []


def _rows_of(cursor: psycopg.Cursor) -> tuple[list[tuple], tuple[str, ...]]:
    """Return the rows and column names of CURSOR's result (none for a write).

    Read from the result itself: ``cursor.description`` builds a ``Column`` (a type look-up)
    per column on every access, which cost more collector CPU per batch than its statements.
    """
    res = cursor.pgresult
    if res is None or not (res.nfields or res.status == _TUPLES_OK):
        return [], ()
    columns = tuple(res.fname(i).decode() for i in range(res.nfields))
    return cursor.fetchall(), columns


def _run_many(cursor: psycopg.Cursor, text: str, rows: list[list]) -> None:
    if len(rows) == 1:
        cursor.execute(text, rows[0])
    else:
        cursor.executemany(text, rows)


_PIPELINE = psycopg.Pipeline.is_supported()
_TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK
_MANY_VALUES = re.compile(r"^(\s*INSERT\s+INTO\s.*?\sVALUES\s*)(\([^()]*\))(.*)$", re.I | re.S)
_MAX_PARAMS = 30000  # below the protocol's 65535 bound parameters per statement
_MARKS = re.compile(r"%%|%s")
_CHANGES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _numbered(text: str) -> str:
    """Return TEXT (psycopg's ``%s`` placeholders, ``%%`` for ``%``) with ``$1, $2 ...``.

    Statements run through a ``RawCursor``, which sends them as they are: psycopg's own
    conversion is cached only for statements of at most 50 parameters and redone on every
    call above that (a batch's events as one statement), which cost collector CPU per batch.
    """
    count = 0

    def mark(m: re.Match) -> str:
        nonlocal count
        if m.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _MARKS.sub(mark, text)


@lru_cache(maxsize=512)
def _rows_statement(text: str, count: int) -> str | None:
    """TEXT, an ``INSERT ... VALUES (...)`` that updates nothing on conflict, as one statement
    of COUNT rows (numbered); None for any other statement.

    One statement of many rows costs the server one execution, not one per row; an upsert
    stays one row a statement: two rows of one key in one statement would be an error.
    """
    many = _MANY_VALUES.match(text)
    if many is None or "DO UPDATE" in text:
        return None
    head, values, tail = many.groups()
    return _numbered(head + ", ".join([values] * count) + tail)


class PostgresDatabase:
    """A PostgreSQL database, answering the calls storage modules make of a sqlite-utils one."""

    engine = "postgresql"

    def __init__(
        self, url: str, pool_size: int = DEFAULT_POOL_SIZE, lock_wait: float | None = None
    ):
        self.url = url
        self.pool = pool_for(url, pool_size, lock_wait)
        self._local = threading.local()
        self._identity: dict[str, str] | None = None
        self._statements: dict[str, tuple[str, bool, bool]] = {}
        self._changes = 0

    # sqlite-utils code reaches the connection as ``db.conn``: here it is the database itself.
    @property
    def conn(self) -> PostgresDatabase:
        return self

    @property
    def in_transaction(self) -> bool:
        return getattr(self._local, "tx", None) is not None

    @property
    def total_changes(self) -> int:
        """Rows inserted, updated or deleted so far, as SQLite's ``total_changes`` counts them."""
        tx = getattr(self._local, "tx", None)
        if isinstance(tx, Flights):
            tx.send()
        return self._changes

    def close(self) -> None:
        """Give nothing back but what this thread holds; the pool stays for the process."""

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            yield tx.conn if isinstance(tx, Flights) else tx
            return
        with self.pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[PostgresDatabase]:
        """Run the block as one transaction on one connection; nested blocks join it.

        The block's statements are queued and sent in flights (``storage.pipeline``): one write
        to the server, and one wait for its answers, whenever the block reads a result, and at
        the end with ``COMMIT``. So a batch's ``BEGIN`` travels with its reads, its writes with
        ``COMMIT``. The block returns only once the server has answered everything, ``COMMIT``
        included; any statement's error (raised at the read that meets it, or at the end)
        rolls the whole transaction back.
        """
        if self.in_transaction:
            yield self
            return
        with self.pool.connection() as conn:
            try:
                if not _PIPELINE:  # a libpq before 14: one round trip per statement
                    self._local.tx = conn
                    with conn.transaction():
                        yield self
                    return
                tx = self._local.tx = Flights(conn, self._count)
                try:
                    yield self
                    tx.commit()
                except BaseException:
                    tx.abort()
                    raise
            finally:
                self._local.tx = None

    def _count(self, changed: int) -> None:
        """Count rows a statement inserted, updated or deleted, as SQLite's total_changes."""
        self._changes += max(changed, 0)

    def _statement(self, sql: str) -> tuple[str, bool, bool]:
        """Return SQL as PostgreSQL runs it (numbered placeholders), whether RETURNING was
        added, whether it writes."""
        known = self._statements.get(sql)
        if known is None:
            text, returning = self._returning(to_postgres(sql))
            changes = bool(_CHANGES.match(text))
            known = self._statements[sql] = (_numbered(text), returning, changes)
        return known

    def _returning(self, sql: str) -> tuple[str, bool]:
        m = _INSERT_INTO.match(sql)
        if m is None or re.search(r"\bRETURNING\b", sql, re.IGNORECASE):
            return sql, False
        column = self.identity_columns().get(m.group(1).lower())
        if column is None:
            return sql, False
        return f"{sql.rstrip().rstrip(';')} RETURNING {column}", True

    def identity_columns(self) -> dict[str, str]:
        """Return {table: its identity column} (what ``lastrowid`` reports), read once."""
        if self._identity is None:
            # Through execute: inside a transaction (a migration's) it sees the tables made there.
            rows = self.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_identity = 'YES'"
            ).fetchall()
            self._identity = {t: c for t, c in rows}
        return self._identity

    def table_names(self) -> list[str]:
        """Return the names of the tables of the database's schema, as sqlite-utils does."""
        rows = self.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        return [r[0] for r in rows]

    def forget_schema(self) -> None:
        """Read the identity columns again (after a migration made tables)."""
        self._identity = None
        self._statements.clear()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Rows:
        """Run one statement; return its rows (read in full), rowcount and lastrowid."""
        text, returning, changes = self._statement(sql)
        tx = getattr(self._local, "tx", None)
        if isinstance(tx, Flights):
            return Rows(later=tx.add(text, [list(params or ())], returning, changes))
        if not _PIPELINE:
            return self._execute_directly(text, list(params or ()), returning, changes)
        with self._connection() as conn:
            alone = Flights(conn, self._count, explicit=False)
            statement = alone.add(text, [list(params or ())], returning, changes)
            alone.alone()
        rows, count, lastrowid, columns = statement.results()
        return Rows(rows, count, lastrowid, columns)

    def _execute_directly(self, text: str, params: list, returning: bool, changes: bool) -> Rows:
        """Run one statement without a pipeline (a libpq before 14)."""
        with self._connection() as conn:
            cur = psycopg.RawCursor(conn)
            cur.execute(text, params)
            rows, columns = _rows_of(cur)
            count = cur.rowcount
        if changes:  # as SQLite's total_changes: rows inserted, updated, deleted
            self._changes += max(count, 0)
        if returning:
            return Rows([], count, rows[0][0] if rows else None)
        return Rows(rows, count, columns=columns)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[dict]:
        """Yield each row as a dict by column name, as sqlite-utils' ``query`` does."""
        rows = self.execute(sql, params)
        for row in rows:
            yield dict(zip(rows.columns, row, strict=True))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Rows:
        """Run one statement for each of ROWS, pipelined: one round trip for them all.

        An ``INSERT ... VALUES (...)`` of several rows that updates nothing on conflict is sent
        as one statement of them all (``_rows_statement``) while its parameters fit in one.
        """
        if not rows:
            return Rows([], 0)
        text = to_postgres(sql)
        many = None
        if 1 < len(rows) and len(rows) * len(rows[0]) <= _MAX_PARAMS:
            many = _rows_statement(text, len(rows))
        if many is not None:
            text, rows = many, [[x for r in rows for x in r]]
        else:
            text, rows = _numbered(text), [list(r) for r in rows]
        tx = getattr(self._local, "tx", None)
        if isinstance(tx, Flights):
            return Rows(later=tx.add(text, rows, changes=True))
        if _PIPELINE:  # one flight: the server runs the rows as one transaction, as psycopg did
            with self._connection() as conn:
                alone = Flights(conn, self._count, explicit=False)
                statement = alone.add(text, rows, changes=True)
                alone.alone()
            return Rows([], statement.results()[1])
        with self._connection() as conn, psycopg.RawCursor(conn) as cur:
            _run_many(cur, text, rows)
            count = cur.rowcount
        self._changes += max(count, 0)
        return Rows([], count)

    def stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[tuple]]:
        """Yield the rows of a query in batches of SIZE from a server-side cursor.

        Memory stays flat: the server keeps the result and sends SIZE rows per fetch. The
        cursor lives in a read-only transaction of a connection held until the last batch.
        """
        with self.pool.connection() as conn:
            with conn.transaction(), conn.cursor(name="cxlisten_stream") as cur:
                cur.execute(to_postgres(sql), list(params))
                while True:
                    rows = cur.fetchmany(size)
                    if not rows:
                        return
                    yield rows
