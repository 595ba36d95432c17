"""One running deployment: settings, a database connection per thread, the token signer."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import weakref

from cxlisten.caches import Caches, share
from cxlisten.errors import CxlistenError, Unavailable
from cxlisten.identity import VisitorTokens, deployment_secret
from cxlisten.ingest import PreparedBatch, store_batch
from cxlisten.ratelimit import Limits
from cxlisten.settings import Settings, load_settings
from cxlisten.storage.db import (
    RETRY_DISK_FULL,
    Database,
    DatabaseError,
    checkpoint,
    integrity_problems,
    is_postgres,
    open_database,
)
from cxlisten.storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

# With checkpoints moved to a background thread, request connections checkpoint only if the WAL
# outgrows this many pages (~80 MB): a safety net should that thread fall behind.
SAFETY_AUTOCHECKPOINT = 20000


class Deployment:
    """Shared by every request of a collector process (and by CLI commands that serve)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self._local = threading.local()
        self._checkpointer_pid: int | None = None
        self._lock = threading.Lock()
        # What the hot paths reuse between requests, shared by this deployment's connections.
        self.caches = Caches()
        # What PRAGMA quick_check found at start ([] when sound); /healthz reports it. Checked
        # before anything writes to the file.
        self.problems = (
            integrity_problems(self.settings.db)
            if self.settings.check_integrity and os.path.exists(self.settings.db)
            else []
        )
        if self.problems:
            log.error("database %s is damaged: %s", self.settings.db, "; ".join(self.problems))
        try:
            self.secret = self._read_secret()
        except DatabaseError as exc:
            if not self.problems:
                raise
            raise CxlistenError(
                f"database {self.settings.db} is damaged and cannot be opened: "
                + "; ".join(self.problems[:5])
            ) from exc
        self.tokens = VisitorTokens(self.secret)
        # Event batches of concurrent requests share a commit (and its fsync): see group_commit.
        self.writes = GroupCommit(self.settings.db, wait=self.settings.write_wait_seconds)
        self.limits = Limits(self.settings)
        # Free bytes on the database's disk; replaceable (tests use a probe they control).
        directory = os.path.dirname(os.path.abspath(self.settings.db))
        self.free_bytes = lambda: shutil.disk_usage(directory).free
        if is_postgres(self.settings.db):  # the disk is the server's; it refuses writes itself
            self.free_bytes = lambda: float("inf")

    def _read_secret(self) -> str:
        # A connection opened here would outlive a fork (gunicorn --preload builds the app in the
        # master): SQLite connections must never cross one, so this one is closed at once and each
        # process, each thread, opens its own in ``db``.
        setup = open_database(
            self.settings.db,
            synchronous=self.settings.synchronous,
            busy_timeout=self.settings.write_wait_seconds,
            pool_size=self.settings.pool_size,
        )
        try:
            return deployment_secret(setup, self.settings.secret)
        finally:
            setup.conn.close()

    def check_writable(self) -> None:
        """Raise Unavailable (503, Retry-After) while the disk is inside its reserve.

        Checked before every write, so the last free megabytes stay for SQLite's own needs
        (the WAL, its checkpoints) and writes resume as soon as space returns.
        """
        reserve = self.settings.disk_reserve_mb * 1024 * 1024
        free = self.free_bytes()
        if free < reserve:
            raise Unavailable(
                "the collector's disk is nearly full: writes are paused, reads go on",
                {"_disk": [f"{free // 2**20} MB free, {self.settings.disk_reserve_mb} MB kept"]},
                retry_after=RETRY_DISK_FULL,
            )

    def store(self, db: Database, batch: PreparedBatch) -> dict:
        """Store a prepared batch (``ingest.store_batch``), sharing a commit if others wait."""
        return self.writes.run(db, lambda db: store_batch(db, batch))

    @property
    def db(self) -> Database:
        """Return this thread's connection, opening it on first use (and anew after a fork)."""
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            background = self.settings.checkpoint_seconds > 0 and not is_postgres(self.settings.db)
            db = open_database(
                self.settings.db,
                synchronous=self.settings.synchronous,
                autocheckpoint=SAFETY_AUTOCHECKPOINT if background else None,
                busy_timeout=self.settings.write_wait_seconds,
                pool_size=self.settings.pool_size,
            )
            share(db, self.caches)
            self._local.db, self._local.pid = db, os.getpid()
            if background:
                self._start_checkpointer()
        return db

    def _start_checkpointer(self) -> None:
        """Run WAL checkpoints (and their fsync of the database file) off the request path."""
        with self._lock:
            if self._checkpointer_pid == os.getpid():
                return
            self._checkpointer_pid = os.getpid()
        # The thread holds only a weak reference, so it ends once its deployment is gone.
        args = (weakref.ref(self), self.settings.db, self.settings.checkpoint_seconds)
        threading.Thread(
            target=_checkpoint_loop, args=args, name="cxlisten-checkpoint", daemon=True
        ).start()


def _checkpoint_loop(owner: weakref.ref, path: str, interval: float) -> None:
    db = open_database(path, migrate=False)
    try:
        while owner() is not None:
            time.sleep(interval)
            try:
                checkpoint(db)
            except DatabaseError as exc:  # busy, or the file went away: try again next tick
                log.debug("checkpoint skipped: %s", exc)
    finally:
        db.conn.close()
