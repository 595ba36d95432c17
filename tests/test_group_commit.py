"""Group commit: concurrent write units share transactions, and nothing is answered uncommitted."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from cxlisten.storage.db import open_database
from cxlisten.storage.group_commit import GroupCommit


@pytest.fixture
def table(db_path):
    db = open_database(db_path)
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, who TEXT)")
    db.conn.close()
    return db_path


def _insert(n: int):
    def work(db):
        db.execute("INSERT INTO t (n, who) VALUES (?, ?)", [n, threading.current_thread().name])
        return n * 10

    return work


def test_concurrent_units_share_commits_and_each_gets_its_own_result(table):
    group = GroupCommit(table)
    commits = []
    barrier = threading.Barrier(8)
    results: dict[int, int] = {}

    def client(k: int) -> None:
        db = open_database(table)
        db.conn.set_trace_callback(lambda sql: sql == "COMMIT" and commits.append(k))
        barrier.wait()
        for i in range(50):
            n = k * 1000 + i
            results[n] = group.run(db, _insert(n))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db = open_database(table)
    stored = {r[0] for r in db.execute("SELECT n FROM t")}
    assert stored == set(results) and len(stored) == 400
    assert all(results[n] == n * 10 for n in stored)
    assert len(commits) < 400, "no unit shared a commit"


def test_a_failing_unit_is_rolled_back_alone(table):
    group = GroupCommit(table)
    db = open_database(table)

    def bad(db):
        db.execute("INSERT INTO t (n, who) VALUES (1, 'half-done')")
        raise ValueError("bad unit")

    group.run(db, _insert(0))
    with pytest.raises(ValueError, match="bad unit"):
        group.run(db, bad)
    assert group.run(db, _insert(2)) == 20
    assert [r[0] for r in db.execute("SELECT n FROM t ORDER BY n")] == [0, 2]
    assert not db.conn.in_transaction


def test_a_failed_commit_fails_every_unit_of_its_group(table):
    # A deferred foreign key is checked at COMMIT: the commit fails after the units succeeded.
    db = open_database(table)
    db.execute("CREATE TABLE child (parent INTEGER REFERENCES t(n) DEFERRABLE INITIALLY DEFERRED)")
    group = GroupCommit(table)

    def orphan(db):
        db.execute("INSERT INTO child (parent) VALUES (999)")
        return "answered"

    with pytest.raises(sqlite3.IntegrityError):
        group.run(db, orphan)
    assert db.execute("SELECT COUNT(*) FROM child").fetchone()[0] == 0
    assert not db.conn.in_transaction
    assert group.run(db, _insert(5)) == 50  # the next group commits normally


def test_writers_in_two_processes_queue_on_the_lock_file(table):
    import multiprocessing

    # Spawned, not forked: a SQLite connection must never cross a fork (the parent has others).
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(table, k)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    db = open_database(table)
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 400


def _write_many(path: str, k: int) -> None:
    group = GroupCommit(path)
    db = open_database(path)
    db.execute("PRAGMA busy_timeout = 0")  # only the lock file may make a writer wait
    for i in range(200):
        group.run(db, _insert(k * 1000 + i))
