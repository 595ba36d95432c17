"""gunicorn ``--preload``: the app is built in the master, then forked; no SQLite connection may
cross that fork, and both workers must write correctly to the one database."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.common import DESKTOP_UA, Gunicorn
from cxlisten import sites
from cxlisten.storage import open_database
from tests.clock import now_ms

SECRET = "preload-secret"
BATCHES = 120


def _open_files(pid: int) -> set[str]:
    """Return what process PID has open (the targets of /proc/PID/fd)."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed while we looked
            pass
    return found


@pytest.mark.slow
def test_preloaded_collector_keeps_no_connection_in_the_master_and_both_workers_write(tmp_path):
    db_path = str(tmp_path / "preload.db")
    db = open_database(db_path)
    site = sites.create_site(db, "Preload", [])
    db.conn.close()
    access_log = tmp_path / "access.log"
    server = Gunicorn(
        "collector:create_app()",
        workers=2,
        env={"CXLISTEN_DB": db_path, "CXLISTEN_SECRET": SECRET},
        log_path=tmp_path / "gunicorn.log",
        # The worker's pid in the access log tells which worker answered each request.
        args=[
            "--preload",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(U)s",
        ],
    )
    server.start(timeout=60)
    try:
        assert not {f for f in _open_files(server.proc.pid) if f.startswith(db_path)}, (
            "the master holds the database open across the fork"
        )
        start = now_ms() - 60_000

        def send(i: int) -> tuple[int, list[str]]:
            ids = [str(uuid.uuid4()) for _ in range(5)]
            body = {
                "site": site.key,
                "visitor": None,
                "events": [
                    {
                        "id": e,
                        "kind": "pageview",
                        "ts": start + i * 10 + k,
                        "url": f"https://x.example/{i}",
                    }
                    for k, e in enumerate(ids)
                ],
            }
            reply = requests.post(
                server.url + "/v1/collect",
                json=body,
                headers={"User-Agent": DESKTOP_UA},
                timeout=30,
            )
            return reply.status_code, ids

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(send, range(BATCHES)))
    finally:
        server.stop()
    assert [status for status, _ in results] == [200] * BATCHES
    workers = {
        line.split()[0] for line in access_log.read_text().splitlines() if "/v1/collect" in line
    }
    assert len(workers) == 2, f"only {workers} answered"
    stored = open_database(db_path, readonly=True)
    ids = {row[0] for row in stored.execute("SELECT id FROM events")}
    assert ids == {e for _, batch_ids in results for e in batch_ids}
