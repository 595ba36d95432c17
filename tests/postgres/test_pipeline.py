"""Transactions in pipeline mode: fewer round trips, the same guarantees.

A statement in a transaction is sent at once but its results are waited for only when read, and
the writes at the end travel with ``COMMIT``. What must not change: an error anywhere rolls the
whole transaction back and is raised from the block; reads see the transaction's own writes;
``rowcount``, ``lastrowid`` and ``total_changes`` mean what they mean on SQLite.
"""

from __future__ import annotations

import psycopg
import pytest

from collector import create_app
from cxlisten.storage import open_database, sites, transaction
from cxlisten.storage.pipeline import Flights
from tests.support.gunicorn import DESKTOP_UA
from tests.test_durability import make_batch


def names(db, site_id: int) -> list[str]:
    rows = db.execute("SELECT name FROM custom_names WHERE site_id = ? ORDER BY name", [site_id])
    return [r[0] for r in rows]


def test_an_error_in_a_write_no_one_read_rolls_the_whole_transaction_back(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    insert = "INSERT INTO custom_names (site_id, name, first_seen) VALUES (?, ?, 0)"
    with pytest.raises(psycopg.errors.UniqueViolation), transaction(db):
        db.execute(insert, [site.id, "a"])
        db.execute(insert, [site.id, "b"])
        db.execute(insert, [site.id, "a"])  # fails on the server; nothing here reads it
    assert names(db, site.id) == []
    with transaction(db):  # the pooled connection is back in order
        db.execute(insert, [site.id, "c"])
    assert names(db, site.id) == ["c"]


def test_an_error_met_by_a_read_is_raised_there_and_rolls_back(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    with pytest.raises(psycopg.errors.UndefinedTable), transaction(db):
        db.execute(
            "INSERT INTO custom_names (site_id, name, first_seen) VALUES (?, 'a', 0)", [site.id]
        )
        db.execute("SELECT * FROM no_such_table").fetchall()
        pytest.fail("the read raised")  # pragma: no cover
    assert names(db, site.id) == []


def test_reads_see_the_transactions_writes_and_counts_are_sqlites(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    insert = (
        "INSERT INTO custom_names (site_id, name, first_seen) VALUES (?, ?, 0) "
        "ON CONFLICT (site_id, name) DO NOTHING"
    )
    with transaction(db):
        before = db.conn.total_changes
        many = db.conn.executemany(insert, [(site.id, "a"), (site.id, "b"), (site.id, "a")])
        again = db.execute(insert, [site.id, "b"])
        assert names(db, site.id) == ["a", "b"]
        assert db.conn.total_changes - before == 2
        rejected = db.execute(
            "INSERT INTO rejected (site_id, received_at, endpoint, errors, payload) "
            "VALUES (?, 1, 'x', '{}', '')",
            [site.id],
        )
        moved = db.execute("UPDATE custom_names SET first_seen = 5 WHERE site_id = ?", [site.id])
    assert (many.rowcount, again.rowcount, moved.rowcount) == (2, 0, 2)
    assert rejected.lastrowid == db.execute("SELECT MAX(id) FROM rejected").fetchone()[0]


def test_a_known_visitors_batch_waits_for_the_server_once_before_its_commit(pg_url, monkeypatch):
    """The visitor's lock, the dedupe probe, the custom names and the latest session go out
    together (with BEGIN) in one flight; the events, the session and the visitor with COMMIT."""
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    client = create_app({"db": pg_url, "secret": "s"}).test_client()
    headers = {"User-Agent": DESKTOP_UA}
    first = client.post("/v1/collect", json=make_batch(site.key, None, 0), headers=headers)
    token = first.get_json()["visitor"]
    flights: list[tuple[str, int]] = []
    send = Flights.send

    def counted(self, *, commit=False):
        if self.explicit and (self.queue or commit):
            flights.append(("commit" if commit else "read", len(self.queue)))
        return send(self, commit=commit)

    monkeypatch.setattr(Flights, "send", counted)
    second = client.post("/v1/collect", json=make_batch(site.key, token, 1), headers=headers)
    assert second.status_code == 200 and second.get_json()["accepted"] == 10
    assert flights == [("read", 4), ("commit", 3)]
    (count,) = db.execute("SELECT events FROM sessions").fetchone()
    assert count == 20


@pytest.mark.parametrize("state", ["new", "grown"])
def test_the_dedupe_probe_is_an_index_probe_per_key_whatever_the_table_held(pg_url, state):
    """Planned generically (as a prepared statement is after a few runs), the probe looks each
    key up in the index: against the ``events`` of a new deployment, never vacuumed, and against
    one that was vacuumed while empty (where reading the empty table is the cheapest plan), then
    filled and analysed, as autovacuum does after its first 50 rows: the statistics changed, so
    the prepared probe is planned again. No plan that reads the site's events and grows with them.

    The table is a temporary copy of ``events`` with its indexes, which the probe's unqualified
    name resolves to first: autovacuum never visits it, so the statistics the planner sees are
    the ones this test gives it, whatever the shared test database went through before.
    """
    from cxlisten.storage.dialect import to_postgres
    from cxlisten.storage.events import existing_events_sql

    open_database(pg_url)  # the schema, migrated
    sql, n = to_postgres(existing_events_sql(2)), 0
    while "%s" in sql:
        n += 1
        sql = sql.replace("%s", f"${n}", 1)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        (schema,) = conn.execute("SELECT current_schema()").fetchone()
        conn.execute(f"CREATE TEMPORARY TABLE events (LIKE {schema}.events INCLUDING ALL)")
        conn.execute("SET plan_cache_mode = force_generic_plan")
        if state == "grown":
            conn.execute("VACUUM events")
        conn.execute(f"PREPARE probe (bigint, text, bigint, text, bigint) AS {sql}")
        conn.execute("EXECUTE probe(1, 'a', 2, 'b', 1)")
        if state == "grown":
            conn.execute(
                "INSERT INTO events (seq, site_id, id, visitor_id, session_id, kind, ts, "
                "received_at, url, path) SELECT i, i % 7, 'e' || i, 'v', 's', 'page', i, i, "
                "'/', '/' FROM generate_series(1, 20000) AS i"
            )
            conn.execute("ANALYZE events")
        plan = "\n".join(
            r[0] for r in conn.execute("EXPLAIN (COSTS OFF) EXECUTE probe(1, 'a', 2, 'b', 1)")
        )
    assert "Seq Scan" not in plan and "Join Filter" not in plan, plan
    assert "Index" in plan and "(ts = " in plan and "(id = " in plan, plan


def test_a_statement_is_prepared_once_on_a_connection_and_outlives_a_rollback(pg_url):
    """Prepared from its second use, and still there (not prepared again, not missing) after a
    failed transaction's ROLLBACK."""
    db = open_database(pg_url, pool_size=1)  # one connection: every statement on it
    site = sites.create_site(db, "Shop", [])
    insert = "INSERT INTO custom_names (site_id, name, first_seen) VALUES (?, ?, 0)"
    for name in ("a", "b"):
        with transaction(db):
            db.execute(insert, [site.id, name])
    with pytest.raises(psycopg.errors.UniqueViolation), transaction(db):
        db.execute(insert, [site.id, "a"])
    with transaction(db):
        assert db.execute(insert, [site.id, "c"]).rowcount == 1
    prepared = db.execute("SELECT statement FROM pg_prepared_statements").fetchall()
    assert sum("INSERT INTO custom_names" in text for (text,) in prepared) == 1
    assert names(db, site.id) == ["a", "b", "c"]


def test_a_read_after_a_failed_block_raises_not_an_empty_result(pg_url):
    db = open_database(pg_url)
    site = sites.create_site(db, "Shop", [])
    with pytest.raises(RuntimeError), transaction(db):
        unsent = db.execute("SELECT name FROM custom_names WHERE site_id = ?", [site.id])
        raise RuntimeError("the block fails before anything was read")
    with pytest.raises(psycopg.InterfaceError):
        unsent.fetchall()
