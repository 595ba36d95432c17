"""The PostgreSQL engine behind ``open_database``: selection, pool, values, streaming, errors."""

from __future__ import annotations

import pytest

from cxlisten.settings import load_settings
from cxlisten.storage import exports, open_database, sites, transaction
from cxlisten.storage.db import database_exists, redact, unavailable_reason
from tests.support import postgres


def test_the_database_url_setting_selects_postgresql_and_a_path_sqlite(pg_url, tmp_path):
    from cxlisten.deployment import Deployment

    settings = load_settings(environ={"CXLISTEN_DATABASE_URL": pg_url, "CXLISTEN_POOL_SIZE": "3"})
    assert settings.db == pg_url and settings.pool_size == 3
    dep = Deployment(settings)
    assert dep.db.engine == "postgresql" and dep.db.pool.max_size == 3
    assert not (tmp_path / "cxlisten.db").exists()
    path = str(tmp_path / "cx.db")
    assert getattr(Deployment(load_settings({"db": path})).db, "engine", "sqlite") == "sqlite"


def test_a_zero_pool_is_refused_with_the_variable_named():
    from cxlisten.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        load_settings(environ={"CXLISTEN_POOL_SIZE": "0"})
    assert "CXLISTEN_POOL_SIZE" in caught.value.fields


def test_ids_counts_and_sums_come_back_as_on_sqlite(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    assert isinstance(site.id, int) and sites.get_site(db, site.id) == site
    with transaction(db):
        cur = db.execute(
            "INSERT INTO rejected (site_id, received_at, endpoint, errors, payload) "
            "VALUES (?, ?, 'x', '{}', ?)",
            [site.id, 10**12 * 2, "a\x00b"],  # a millisecond timestamp needs 64 bits
        )
    assert cur.lastrowid == 1
    total, mean, flag = db.execute(
        "SELECT SUM(received_at), AVG(received_at) / 2, ? FROM rejected", [True]
    ).fetchone()
    assert (total, type(total), flag) == (2 * 10**12, int, 1)
    assert mean == 10**12
    assert db.execute("SELECT payload FROM rejected").fetchone()[0] == "a\ufffdb"


def test_a_failed_transaction_stores_nothing_and_nested_blocks_join(pg_url):
    db = open_database(pg_url)
    with pytest.raises(RuntimeError), transaction(db):
        sites.create_site(db, "Shop", [])  # its own transaction block joins this one
        raise RuntimeError
    assert sites.list_sites(db) == []


def test_exports_stream_from_a_server_side_cursor(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    rows = [
        (site.id, f"e{i}", "v", "s", "pageview", i, i, "https://a.example/", "/", None, None, None,
         "{}")
        for i in range(2500)
    ]  # fmt: skip
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO events (site_id, id, visitor_id, session_id, kind, ts, received_at, url, "
            "path, name, action, value, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    batches = exports.stream_events(db, site.id, bots=True)
    first = next(batches)
    assert len(first) == exports.BATCH
    # While the export is read, the server holds the result: the client fetches it batch by batch.
    fetching = db.execute(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state = 'idle in transaction' AND query LIKE 'FETCH FORWARD % FROM \"cxlisten_stream\"'"
    ).fetchone()[0]
    assert fetching == 1
    rest = [row for batch in batches for row in batch]
    assert len(first) + len(rest) == 2500 and rest[-1][0] == 2499


def test_a_server_that_does_not_answer_is_a_503_to_retry_not_a_500():
    import psycopg

    url = "postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=2"
    with pytest.raises(psycopg.OperationalError) as caught:
        psycopg.connect(url)
    busy = unavailable_reason(caught.value)
    assert busy is not None and busy.retry_after > 0
    with pytest.raises(Exception, match="cannot reach postgresql://nobody:\\*\\*\\*@127.0.0.1"):
        database_exists(url)


def test_a_missing_database_is_reported_and_passwords_are_never_printed(pg_url):
    assert database_exists(pg_url)
    assert not database_exists(postgres.missing(pg_url))
    assert redact("postgresql://u:secret@h:5432/d") == "postgresql://u:***@h:5432/d"
    socket = "postgresql://u:secret@/d?host=/var/run/postgresql"  # the Unix socket's form
    assert redact(socket) == "postgresql://u:***@/d?host=/var/run/postgresql"
    assert redact("/var/lib/cx.db") == "/var/lib/cx.db"


def test_the_sqlite_machinery_is_not_used(pg_url, tmp_path, monkeypatch):
    """No lock file, no checkpoint thread, no disk probe: the server does all of that."""
    import threading

    from cxlisten.deployment import Deployment

    monkeypatch.chdir(tmp_path)
    dep = Deployment(load_settings({"db": pg_url, "checkpoint_seconds": 0.05}))
    site = sites.create_site(dep.db, "Shop", [])
    dep.writes.run(dep.db, lambda db: sites.update_site(db, site.id, name="Shop 2"))
    assert sites.get_site(dep.db, site.id).name == "Shop 2"
    dep.check_writable()
    assert list(tmp_path.iterdir()) == []
    assert "cxlisten-checkpoint" not in {t.name for t in threading.enumerate()}
