"""Group commit: the write units of concurrent requests share one transaction and one fsync.

With ``synchronous=FULL`` every commit waits for an fsync of the WAL, and SQLite lets one writer
at a time hold the lock. Committing each request alone makes the disk's flush rate the ceiling.
Here a request hands its write unit (a function of the database) to ``GroupCommit.run``:

- the first thread to arrive becomes the leader: it takes every unit queued so far (its own
  among them), runs each in a savepoint of one transaction, commits once, and hands each unit its
  result;
- threads arriving meanwhile queue their units and wait for the leadership; when they get it,
  their unit has usually been committed by the previous leader and they return at once.

Nothing is answered before the commit that holds it: a unit's result is released only after
COMMIT returns, and a failed COMMIT fails every unit of the group. A unit that raises is rolled
back to its savepoint alone; its neighbours still commit.

Across processes (gunicorn workers) leaders queue on an ``flock`` of ``<db>-writer``, which wakes
the next one the moment the lock is free; SQLite's own busy handler would sleep and poll instead
(1, 2, 5 ... 100 ms), which is what made the tail latency under load. A single-threaded worker is
always its own leader, so the unit runs inline at no extra cost.

No write waits without bound: a leader that cannot get the ``flock`` and then SQLite's write
lock within WAIT seconds in all (another process holding it: a backup, an analyst's long write)
fails its group with ``Unavailable``, which the collector answers as 503 with ``Retry-After``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cxlisten.errors import Unavailable
from cxlisten.storage.db import POSTGRESQL, RETRY_LOCKED, Database, engine_of, transaction

MAX_GROUP = 64  # units per transaction: bounds how long one commit holds the write lock


class _Unit:
    __slots__ = ("work", "deadline", "done", "result", "error")

    def __init__(self, work: Callable[[Database], Any], deadline: float):
        self.work = work
        self.deadline = deadline
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class GroupCommit:
    """Run write units of this process's threads in shared transactions."""

    def __init__(self, db_path: str, *, wait: float = 30.0):
        self._writer_lock = WriterLock(db_path)
        self.wait = wait
        self._leader = threading.Lock()
        self._queue_lock = threading.Lock()
        self._queue: list[_Unit] = []

    def run(self, db: Database, work: Callable[[Database], Any]) -> Any:
        """Run WORK(db) in a committed transaction, possibly shared; return its result.

        On PostgreSQL each unit is its own transaction on a pooled connection: the server
        commits concurrent transactions together itself, and no lock file is involved.
        """
        if engine_of(db) == POSTGRESQL:
            with transaction(db):
                return work(db)
        unit = _Unit(work, time.monotonic() + self.wait)
        with self._queue_lock:
            self._queue.append(unit)
        while not unit.done:
            with self._leader:
                if unit.done:
                    break
                with self._queue_lock:
                    group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
                self._commit(db, group)
        if unit.error is not None:
            raise unit.error
        return unit.result

    def _commit(self, db: Database, group: list[_Unit]) -> None:
        conn = db.conn
        try:
            # Each unit waits at most WAIT from when it was handed in, leadership queue included.
            deadline = min(unit.deadline for unit in group)
            with self._writer_lock.held(deadline):
                # SQLite's busy handler gets what is left of the wait, not a wait of its own.
                left = max(deadline - time.monotonic(), 0.0)
                conn.execute(f"PRAGMA busy_timeout = {int(left * 1000)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    if len(group) == 1:  # alone, a failing unit rolls back the whole transaction
                        group[0].result = group[0].work(db)
                    else:
                        for unit in group:
                            _run_in_savepoint(conn, unit, db)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
        except BaseException as exc:  # a lone unit, BEGIN or COMMIT failed: nothing was stored
            for unit in group:
                unit.result, unit.error = None, exc
        finally:
            for unit in group:
                unit.done = True


class WriterLock:
    """The ``flock`` of ``<db>-writer`` that the group commits of every process queue on."""

    def __init__(self, db_path: str):
        self._path = f"{db_path}-writer"
        self._fd: int | None = None
        self._pid: int | None = None

    def fd(self) -> int:
        # One open file per holder and process: flock belongs to the open file, and a forked
        # worker must not share its parent's (the parent's lock would count as the child's).
        if self._pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    @contextmanager
    def held(self, deadline: float | None = None) -> Iterator[None]:
        """Hold the lock; raise Unavailable if it is not free by DEADLINE (``time.monotonic``)."""
        fd = self.fd()
        if deadline is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            self._acquire_by(fd, deadline)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    @staticmethod
    def _acquire_by(fd: int, deadline: float) -> None:
        # flock has no timeout: try without blocking, and poll briefly (at most every 2 ms, so
        # a free lock is taken at once and a contended one costs about a millisecond).
        pause = 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise Unavailable(
                    "the database is busy with another writer; retry shortly",
                    {"_db": ["write lock not available in time"]},
                    retry_after=RETRY_LOCKED,
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.002)


def _run_in_savepoint(conn, unit: _Unit, db: Database) -> None:
    conn.execute("SAVEPOINT unit")
    try:
        unit.result = unit.work(db)
    except Exception as exc:
        conn.execute("ROLLBACK TO unit")
        unit.error = exc
    conn.execute("RELEASE unit")
