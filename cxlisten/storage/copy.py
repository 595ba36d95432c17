"""Copy every row of one database into another, either engine to either: ``cxlisten db copy``.

Both ends are first brought to the current schema (the same migrations), so each table has the
same columns on both. Tables go parents first (a row's foreign keys exist before it does), each
read in key order in batches (a server-side cursor on PostgreSQL) and written in one transaction
per batch with ``ON CONFLICT DO NOTHING``: a copy cut short and run again skips what arrived
and adds the rest, never a row twice. Identity counters on PostgreSQL are moved past the copied
ids, so new rows never collide with copied ones. The result is checked by counting each table
on both ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cxlisten.storage.db import POSTGRESQL, Database, engine_of, transaction

BATCH = 5000
_SKIP = ("_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4")


@dataclass(frozen=True)
class TableCopy:
    """One table's outcome: rows at the source, rows at the destination after, rows added."""

    table: str
    source: int
    destination: int
    added: int

    @property
    def complete(self) -> bool:
        return self.source == self.destination


def tables(db: Database) -> list[str]:
    """Return the data tables of DB, each after every table its foreign keys refer to."""
    if engine_of(db) == POSTGRESQL:
        names = [n for n in db.table_names() if n not in _SKIP]
        refs = db.execute(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
        ).fetchall()
    else:
        names = [n for n in db.table_names() if n not in _SKIP and not n.startswith("sqlite_")]
        refs = [
            (name, row[2])
            for name in names
            for row in db.execute(f"PRAGMA foreign_key_list('{name}')")
        ]
    parents = {name: set() for name in names}
    for child, parent in refs:
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(n for n, ps in parents.items() if not ps - set(ordered))
        if not ready:  # a cycle: cannot happen with this schema; keep going in name order
            ready = sorted(parents)
        ordered += ready
        for name in ready:
            del parents[name]
    return ordered


def columns(db: Database, table: str) -> list[str]:
    """Return TABLE's column names in their declared order."""
    if engine_of(db) == POSTGRESQL:
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position",
            [table],
        )
        return [r[0] for r in rows]
    return [r[1] for r in db.execute(f"PRAGMA table_info('{table}')")]


def key_columns(db: Database, table: str) -> list[str]:
    """Return TABLE's primary key columns (what the copy reads in order of)."""
    if engine_of(db) == POSTGRESQL:
        rows = db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(? AS regclass) "
            "AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
            [table],
        )
        return [r[0] for r in rows]
    info = sorted((r[5], r[1]) for r in db.execute(f"PRAGMA table_info('{table}')") if r[5])
    return [name for _, name in info]


def count(db: Database, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _batches(db: Database, table: str, cols: list[str], order: list[str]) -> Iterator[list[tuple]]:
    sql = f"SELECT {', '.join(cols)} FROM {table}"
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    if engine_of(db) == POSTGRESQL:
        yield from db.stream(sql, [], BATCH)
        return
    cursor = db.conn.execute(sql)
    try:
        while rows := cursor.fetchmany(BATCH):
            yield rows
    finally:
        cursor.close()


def copy_database(
    source: Database,
    destination: Database,
    progress: Callable[[TableCopy], None] | None = None,
) -> list[TableCopy]:
    """Copy every row of SOURCE missing from DESTINATION, table by table; return the counts."""
    done = []
    for table in tables(source):
        cols = [c for c in columns(source, table) if c in set(columns(destination, table))]
        before = count(destination, table)
        expected = count(source, table)
        if before < expected:
            insert = (
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                "ON CONFLICT DO NOTHING"
            )
            for rows in _batches(source, table, cols, key_columns(source, table)):
                with transaction(destination):
                    destination.conn.executemany(insert, rows)
        _advance_identity(destination, table)
        after = count(destination, table)
        outcome = TableCopy(table, expected, after, after - before)
        done.append(outcome)
        if progress:
            progress(outcome)
    return done


def _advance_identity(db: Database, table: str) -> None:
    """Move TABLE's identity counter past its largest id (PostgreSQL; SQLite does it itself)."""
    if engine_of(db) != POSTGRESQL:
        return
    column = db.identity_columns().get(table)
    if column:
        db.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX({column}), 0) + 1, false) "
            f"FROM {table}",
            [table, column],
        )
