"""Numbered schema migrations, applied once each and recorded in ``_migrations``.

A migration is a module ``mNNNN_name.py`` in this package with ``up(db)``. Never edit one that has
shipped: add the next number. The same steps run on SQLite and PostgreSQL, recorded the same way:
each statement is written once, in SQLite's spelling, and ``storage.dialect`` translates it.
"""

from __future__ import annotations

import importlib
import pkgutil
import time


def available() -> list[tuple[str, object]]:
    """Return (name, module) for every migration, in order."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m"))
    return [(name, importlib.import_module(f"{__name__}.{name}")) for name in names]


def _done(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM _migrations")}


def pending(db) -> list[str]:
    """Return the names of migrations this database lacks (without changing it)."""
    from cxlisten.storage.db import DatabaseError

    try:
        done = _done(db)
    except DatabaseError:  # not a cxlisten database yet
        done = set()
    return [name for name, _ in available() if name not in done]


def apply(db) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    from cxlisten.storage.db import lock, transaction

    steps = available()
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at INTEGER)")
    if all(name in _done(db) for name, _ in steps):
        return []
    applied = []
    # Several workers (or collectors) may open a fresh database at once: one of them migrates,
    # holding SQLite's write lock or PostgreSQL's advisory lock; the others then find it done.
    with transaction(db):
        lock(db, "cxlisten migrations")
        done = _done(db)
        for name, module in steps:
            if name in done:
                continue
            module.up(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, int(time.time() * 1000)),
            )
            applied.append(name)
    if applied and hasattr(db, "forget_schema"):
        db.forget_schema()  # new tables may have identity columns
    return applied
