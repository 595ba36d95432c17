"""WAL checkpoints run beside the writers, and the WAL starts over instead of growing."""

from __future__ import annotations

import os
import time

from cxlisten.deployment import Deployment
from cxlisten.settings import load_settings

PAGE = 4096


def _wal_pages(path: str) -> int:
    return os.path.getsize(f"{path}-wal") // PAGE


def test_under_steady_writes_the_wal_is_copied_back_and_restarted(db_path):
    dep = Deployment(load_settings({"db": db_path, "checkpoint_seconds": 0.05}))
    dep.db.execute("CREATE TABLE blobs (b BLOB)")
    written = 0
    deadline = time.monotonic() + 30
    # ~8,000 pages of commits, each a few pages: without restarts the WAL keeps every one of them
    # (below the 20,000-page safety net, SQLite never starts it over on its own).
    while written < 8000 and time.monotonic() < deadline:
        dep.writes.run(dep.db, lambda db: db.execute("INSERT INTO blobs VALUES (zeroblob(6000))"))
        written += 2
    assert written >= 8000
    assert _wal_pages(db_path) < written / 2, "the WAL was never started over"
    assert dep.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == written // 2
