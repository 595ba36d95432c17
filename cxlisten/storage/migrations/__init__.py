"""Numbered schema migrations, applied once each and recorded in ``_migrations``.

A migration is a module ``mNNNN_name.py`` in this package with ``up(db)``. Never edit one that has
shipped: add the next number.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import time


def available() -> list[tuple[str, object]]:
    """Return (name, module) for every migration, in order."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m"))
    return [(name, importlib.import_module(f"{__name__}.{name}")) for name in names]


def pending(db) -> list[str]:
    """Return the names of migrations this database lacks (without changing it)."""
    try:
        done = {row[0] for row in db.conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:  # not a cxlisten database yet
        done = set()
    return [name for name, _ in available() if name not in done]


def apply(db) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    conn = db.conn
    pending = available()
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at INTEGER)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    if all(name in done for name, _ in pending):
        return []
    applied = []
    # Several workers may open a fresh file at once: the write lock makes one of them migrate.
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
        for name, module in pending:
            if name in done:
                continue
            module.up(db)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, int(time.time() * 1000)),
            )
            applied.append(name)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return applied
