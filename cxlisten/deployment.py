"""One running deployment: settings, a database connection per thread, the token signer."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref

from cxlisten.caches import Caches, share
from cxlisten.identity import VisitorTokens, deployment_secret
from cxlisten.ingest import store_batch
from cxlisten.settings import Settings, load_settings
from cxlisten.storage.db import Database, DatabaseError, checkpoint, open_database
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
        # A connection opened here would outlive a fork (gunicorn --preload builds the app in the
        # master): SQLite connections must never cross one, so this one is closed at once and each
        # process, each thread, opens its own in ``db``.
        setup = open_database(self.settings.db, synchronous=self.settings.synchronous)
        try:
            self.secret = deployment_secret(setup, self.settings.secret)
        finally:
            setup.conn.close()
        self.tokens = VisitorTokens(self.secret)
        # Event batches of concurrent requests share a commit (and its fsync): see group_commit.
        self.writes = GroupCommit(self.settings.db)

    def store(self, db: Database, batch: dict) -> dict:
        """Store a prepared batch (``ingest.store_batch``), sharing a commit if others wait."""
        return self.writes.run(db, lambda db: store_batch(db, batch))

    @property
    def db(self) -> Database:
        """Return this thread's connection, opening it on first use (and anew after a fork)."""
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            background = self.settings.checkpoint_seconds > 0
            db = open_database(
                self.settings.db,
                synchronous=self.settings.synchronous,
                autocheckpoint=SAFETY_AUTOCHECKPOINT if background else None,
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
