"""The storage layer: schema through numbered migrations, WAL, indexes for the reports.

Run on both engines (tests/conftest.py); what is about SQLite's file is ``sqlite_only``.
"""

from __future__ import annotations

import pytest

from cxlisten.storage import migrations
from cxlisten.storage.db import open_database
from tests.support.db import count_events, index_columns, schema


def _schema(db) -> list:
    return schema(db)


def test_opening_creates_every_table_and_records_migrations(db_path):
    db = open_database(db_path)
    tables = set(db.table_names())
    assert {"sites", "visitors", "sessions", "events", "rejected", "admin_keys", "meta"} <= tables
    recorded = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert recorded == [name for name, _ in migrations.available()]


def test_reopening_an_up_to_date_database_changes_nothing(db_path):
    first = open_database(db_path)
    before = (_schema(first), first.execute("SELECT * FROM _migrations").fetchall())
    again = open_database(db_path)
    assert migrations.apply(again) == []
    assert (_schema(again), again.execute("SELECT * FROM _migrations").fetchall()) == before


@pytest.mark.sqlite_only
def test_database_runs_in_wal_mode(db_path):
    db = open_database(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_indexes_the_reports_need_exist(db):
    indexes = set(index_columns(db))
    assert {
        "events_site_ts",
        "events_visitor",
        "events_session",
        "sessions_site_started",
    } <= indexes


def test_events_are_unique_per_site_timestamp_and_id(db):
    unique = [cols for (table, cols, is_unique) in index_columns(db).values() if is_unique]
    assert [cols for cols in unique if cols[0] == "site_id" and "ts" in cols] == [
        ["site_id", "ts", "id"]
    ]


@pytest.mark.sqlite_only  # the same steps run on PostgreSQL from an empty schema (conftest)
def test_the_event_key_migration_keeps_every_event_and_still_deduplicates(db_path):
    from cxlisten.storage import events

    names = [name for name, _ in migrations.available()]
    before, rest = names[: names.index("m0005_event_key_by_time")], names
    db = open_database(db_path, migrate=False)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at INTEGER)")
    for name, module in migrations.available():
        if name in before:
            module.up(db)
            db.execute("INSERT INTO _migrations VALUES (?, 0)", [name])
    db.execute("INSERT INTO sites (key, name, origins, created_at) VALUES ('k', 'S', '[]', 0)")
    row = ("v", "s", "pageview", 0, "https://a.example/", "/", None, None, None, "{}")
    old = [(1, f"e{i}", *row[:3], 1000 + i, *row[3:]) for i in range(3)]
    db.conn.executemany(
        "INSERT INTO events (site_id, id, visitor_id, session_id, kind, ts, received_at, url, "
        "path, name, action, value, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        old,
    )
    assert migrations.apply(db) == rest[len(before) :]
    assert db.execute("SELECT site_id, id, ts FROM events ORDER BY seq").fetchall() == [
        (1, f"e{i}", 1000 + i) for i in range(3)
    ]
    keys = [1000, "e0", 1001, "e1", 1001, "e0", 1]  # three (ts, id) keys, then the site
    assert {tuple(r) for r in db.execute(events.existing_events_sql(3), keys)} == {
        (1000, "e0"),
        (1001, "e1"),
    }
    db.conn.executemany(events.INSERT_EVENT_SQL, old)  # a resend: nothing new
    assert count_events(db) == 3


def test_a_read_only_open_of_an_older_schema_says_so(db_path):
    from cxlisten.errors import CxlistenError

    db = open_database(db_path)
    last = migrations.available()[-1][0]
    db.execute("DELETE FROM _migrations WHERE name = ?", [last])
    with pytest.raises(CxlistenError, match=f"older schema \\({last} not applied\\)"):
        open_database(db_path, readonly=True)
    open_database(db_path, migrate=False)  # writers that do not migrate are not refused
    assert migrations.pending(open_database(db_path, readonly=False, migrate=False)) == [last]


@pytest.mark.sqlite_only
def test_a_background_checkpointer_copies_the_wal_into_the_database_when_asked(db_path):
    import os
    import time

    from cxlisten.deployment import Deployment
    from cxlisten.settings import load_settings

    dep = Deployment(load_settings({"db": db_path, "checkpoint_seconds": 0.05}))
    dep.db.execute("CREATE TABLE blobs (b BLOB)")
    before = os.path.getsize(db_path)
    for _ in range(300):  # ~1.2 MB, below the WAL size at which SQLite would checkpoint itself
        dep.writes.run(dep.db, lambda db: db.execute("INSERT INTO blobs VALUES (zeroblob(4000))"))
    deadline = time.monotonic() + 10
    while os.path.getsize(db_path) < before + 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.path.getsize(db_path) >= before + 1_000_000, "nothing was checkpointed"


def test_each_stored_export_column_is_declared_once_with_the_sql_that_reads_it():
    from cxlisten.export.catalogue import EXPORTS
    from cxlisten.storage import exports

    for name, declared in [
        ("events", exports.EVENT_COLUMNS),
        ("sessions", exports.SESSION_COLUMNS),
        ("visitors", exports.VISITOR_COLUMNS),
        ("responses", exports.RESPONSE_COLUMNS),
        ("answers", exports.ANSWER_COLUMNS),
    ]:
        assert EXPORTS[name].columns is declared  # the catalogue (and docs) read these
        assert all(c.sql and c.meaning for c in declared), name


def test_stored_exports_read_their_declared_columns_in_order(db):
    from cxlisten.storage import exports
    from cxlisten.storage import sites as site_store

    site = site_store.create_site(db, "Shop", [])
    db.execute(
        "INSERT INTO sessions (id, site_id, visitor_id, started, last_ts) VALUES ('s', ?, 'v', 5, 9)",
        [site.id],
    )
    (row,) = [r for batch in exports.stream_sessions(db, site.id) for r in batch]
    by_name = dict(zip([c.name for c in exports.SESSION_COLUMNS], row, strict=True))
    assert (by_name["session"], by_name["started"], by_name["duration_ms"]) == ("s", 5, 4)
