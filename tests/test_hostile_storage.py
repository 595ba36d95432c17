"""The database under pressure: a full disk, a write lock held elsewhere, a damaged file.

The disk is "full" by a free-space probe the test controls (and by SQLite's own page limit), never
by filling a real disk. The lock is held by a real second process until the test lets it go.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import requests

from collector import create_app
from cxlisten import sites
from cxlisten.errors import CxlistenError
from cxlisten.storage.db import open_database
from tests.conftest import BROWSER_UA, ORIGIN, LiveServer, batch, event
from tests.support.db import count_events

MB = 1024 * 1024
HEADERS = {"Origin": ORIGIN, "User-Agent": BROWSER_UA}


def collect(client_or_url, site, *events, visitor=None):
    body = json.dumps(batch(site, *(events or [event()]), visitor=visitor))
    if isinstance(client_or_url, str):
        return requests.post(
            f"{client_or_url}/v1/collect",
            data=body,
            headers={**HEADERS, "Content-Type": "text/plain"},
            timeout=10,
        )
    return client_or_url.post("/v1/collect", data=body, content_type="text/plain", headers=HEADERS)


# -- disk reserve ------------------------------------------------------------------------------


def test_the_disk_reserve_pauses_writes_keeps_reads_and_resumes(db_path, db, site, admin_headers):
    app = create_app({"db": db_path, "secret": "test-secret", "disk_reserve_mb": 100})
    dep = app.extensions["cxlisten"]
    free = [500 * MB]
    dep.free_bytes = lambda: free[0]
    client = app.test_client()
    sequence = []

    r = collect(client, site)
    sequence.append((free[0] // MB, r.status_code))
    assert r.status_code == 200
    token = r.get_json()["visitor"]

    free[0] = 99 * MB  # inside the reserve
    r = collect(client, site, visitor=token)
    sequence.append((free[0] // MB, r.status_code))
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "30"
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.get_json()["error"]["code"] == "unavailable"
    assert "99 MB free" in r.get_json()["error"]["fields"]["_disk"][0]
    # Reads go on: the snippet's config, the visitor's own data, health, the admin API.
    config = client.get(
        f"/v1/config?site={site.key}&url={ORIGIN}/cart&visitor={token}", headers=HEADERS
    )
    assert config.status_code == 200
    assert client.get(f"/v1/me?site={site.key}&visitor={token}", headers=HEADERS).status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200 and "disk is nearly full" in health.get_json()["writes"]
    assert client.get(f"/api/surveys?site={site.key}", headers=admin_headers).status_code == 200
    # Every write is paused, not only events; nothing was stored or quarantined meanwhile.
    assert client.post("/v1/responses", data="{}", headers=HEADERS).status_code == 503
    r = client.post(f"/api/surveys?site={site.key}", json={"id": "x"}, headers=admin_headers)
    assert r.status_code == 503
    assert count_events(db) == 1
    assert db.execute("SELECT COUNT(*) FROM rejected").fetchone()[0] == 0

    free[0] = 101 * MB  # space came back: no restart needed
    r = collect(client, site, visitor=token)
    sequence.append((free[0] // MB, r.status_code))
    assert r.status_code == 200 and r.get_json()["accepted"] == 1
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert sequence == [(500, 200), (99, 503), (101, 200)]


def test_inside_the_reserve_every_write_route_is_a_503_and_the_console_still_reads(
    db_path, db, site, admin_key
):
    from cxlisten import surveys
    from cxlisten.survey_links import PersonalLinks
    from tests.console.conftest import Console
    from tests.support.routes import routes
    from tests.surveys.conftest import PULSE

    surveys.create_survey(db, site, PULSE)
    app = create_app({"db": db_path, "secret": "test-secret", "disk_reserve_mb": 100})
    client = app.test_client()
    console = Console(client)
    console.sign_in(admin_key)  # signing in is a read: it goes on inside the reserve
    app.extensions["cxlisten"].free_bytes = lambda: 99 * MB
    for method, rule in routes(app, "/v1/", {"POST", "PUT", "DELETE"}):
        r = client.open(rule, method=method, data="{}", headers=HEADERS)
        assert r.status_code == 503 and r.headers["Retry-After"] == "30", rule
        assert r.headers["Access-Control-Allow-Origin"] == ORIGIN, rule
    auth = {"Authorization": f"Bearer {admin_key}"}
    for method, rule in routes(app, "/api/", {"POST", "PUT", "DELETE"}):
        r = client.open(rule.replace("<", "x").replace(">", ""), method=method, headers=auth)
        assert r.status_code == 503 and r.headers["Retry-After"] == "30", rule
    # The console: pages read, a change is a readable 503 page; sign-in still works.
    assert console.get("/console/surveys").status_code == 200
    r = console.post("/console/surveys/pulse/pause")
    assert r.status_code == 503 and r.headers["Retry-After"] == "30" and r.mimetype == "text/html"
    assert console.post("/console/sign-out").status_code == 302
    console.sign_in(admin_key)
    # A personal survey link writes (it links a visitor): a readable page saying to come back.
    token = PersonalLinks("test-secret").issue(site, "pulse", "cust-9", 2**42)
    r = client.get("/s/pulse", query_string={"t": token})
    assert r.status_code == 503 and r.headers["Retry-After"] == "30" and r.mimetype == "text/html"
    assert surveys.get_survey(db, site, "pulse").status == "active"
    assert db.execute("SELECT COUNT(*) FROM customer_visitors").fetchone()[0] == 0


def test_a_write_sqlite_finds_no_room_for_is_a_503_not_a_500(db_path, db, site):
    app = create_app({"db": db_path, "secret": "test-secret"})
    client = app.test_client()
    token = collect(client, site).get_json()["visitor"]
    conn = app.extensions["cxlisten"].db  # the connection this thread's requests use
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on the next new page
    events = [event(title="x" * 500) for _ in range(60)]
    r = collect(client, site, *events, visitor=token)
    assert r.status_code == 503, r.get_data(as_text=True)
    assert r.headers["Retry-After"] == "30"
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert collect(client, site, *events, visitor=token).status_code == 200


# -- a write lock held by another process -----------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")  # what a backup tool or an analyst's long write does
    conn.execute("INSERT INTO meta (key, value) VALUES ('held', '1')")
    print("held", flush=True)
    sys.stdin.readline()  # until the test lets go
    conn.execute("ROLLBACK")
    """
)


@pytest.fixture
def lock_holder(db_path):
    """Start a process holding the database's write lock; yield a function that releases it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db_path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"

    def release():
        if proc.poll() is None:
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(timeout=30)

    try:
        yield release
    finally:
        release()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        proc.stdin.close()
        proc.stdout.close()


@pytest.fixture
def pulse(db, site):
    from cxlisten import surveys
    from tests.surveys.conftest import PULSE

    return surveys.create_survey(db, site, PULSE)


def test_a_held_write_lock_gives_writers_503_and_never_stalls_readers(
    db_path, db, site, admin_headers, pulse, lock_holder
):
    from cxlisten.survey_links import PersonalLinks

    app = create_app({"db": db_path, "secret": "test-secret", "write_wait_seconds": 0.5})
    with LiveServer(app) as server:
        # Each request of the threaded server opens its own connection: the worst case.
        http = requests.Session()
        r = collect(server.url, site)
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "2"
        assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert r.headers["Access-Control-Expose-Headers"] == "Retry-After"
        assert r.json()["error"]["code"] == "unavailable"
        r = http.post(
            f"{server.url}/v1/responses", data="{}", headers=HEADERS, timeout=30
        )  # an invalid body is refused (400) without needing the lock... or 503, never a hang
        assert r.status_code in (400, 503)
        # Readers answer while the lock is still held: they never wait for the writer.
        for path, headers in [
            ("/healthz", {}),
            (f"/v1/config?site={site.key}&url={ORIGIN}/cart", HEADERS),
            (f"/api/surveys?site={site.key}", admin_headers),
            ("/api/rejected", admin_headers),
        ]:
            reply = http.get(server.url + path, headers=headers, timeout=30)
            assert reply.status_code == 200, (path, reply.text)
        # A personal survey link writes too (it links a visitor): a readable page, not JSON.
        token = PersonalLinks("test-secret").issue(site, "pulse", "cust-9", 2**42)
        r = http.get(f"{server.url}/s/pulse", params={"t": token}, timeout=30)
        assert r.status_code == 503 and r.headers["Retry-After"] == "2", r.text
        assert r.headers["Content-Type"].startswith("text/html") and "try again" in r.text
        lock_holder()
        r = collect(server.url, site)
        assert r.status_code == 200 and r.json()["accepted"] == 1


# -- a damaged database --------------------------------------------------------------------------


def damage(path: str, table_or_index: str) -> None:
    """Overwrite the root page of TABLE_OR_INDEX with garbage, leaving the rest readable."""
    db = open_database(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    [root] = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table_or_index])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    with open(path, "r+b") as f:
        f.seek((root[0] - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_a_damaged_database_is_found_at_start_and_reported(tmp_path):
    path = str(tmp_path / "damaged.db")
    sites.create_site(open_database(path), "Shop", [ORIGIN])
    damage(path, "events_visitor")
    app = create_app({"db": path, "secret": "test-secret"})
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "damaged" and body["database"]
    assert any("page" in problem.lower() for problem in body["database"]), body


def test_a_file_that_is_not_a_database_stops_the_start_with_the_reason(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(CxlistenError, match="damaged"):
        create_app({"db": str(path), "secret": "test-secret"})


def test_a_sound_database_says_ok(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


# -- on PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def pg(postgres_url):
    """A fresh PostgreSQL test database with a site and an admin key: (url, site, headers)."""
    from cxlisten.identity import create_admin_key
    from tests.support import postgres

    postgres.empty(postgres_url)
    db = open_database(postgres_url)
    site = sites.create_site(db, "Shop", [ORIGIN])
    return postgres_url, site, {"Authorization": f"Bearer {create_admin_key(db)}"}


def test_on_postgresql_a_held_lock_gives_writers_503_and_never_stalls_readers(pg):
    import psycopg

    url, site, admin_headers = pg
    app = create_app({"db": url, "secret": "test-secret", "write_wait_seconds": 0.5})
    with LiveServer(app) as server, psycopg.connect(url) as holder:
        # An analyst's long write, a migration, a backup tool: writes to events wait on it.
        holder.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        r = collect(server.url, site)
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "2"
        assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert r.json()["error"]["code"] == "unavailable"
        for path, headers in [
            ("/healthz", {}),
            (f"/v1/config?site={site.key}&url={ORIGIN}/cart", HEADERS),
            (f"/api/surveys?site={site.key}", admin_headers),
            (f"/api/export/events.csv?site={site.key}", admin_headers),
        ]:
            reply = requests.get(server.url + path, headers=headers, timeout=10)
            assert reply.status_code == 200, (path, reply.text)
        holder.rollback()
        r = collect(server.url, site)
        assert r.status_code == 200 and r.json()["accepted"] == 1


def test_on_postgresql_healthz_says_ok_without_a_file_check(pg):
    url, _, _ = pg
    reply = create_app({"db": url, "secret": "test-secret"}).test_client().get("/healthz")
    assert reply.status_code == 200 and reply.get_json() == {"status": "ok"}


@pytest.mark.parametrize(
    "error", ["DiskFull", "LockNotAvailable", "QueryCanceled", "AdminShutdown"]
)
def test_on_postgresql_a_full_disk_a_lock_or_a_restart_is_a_503(client, site, monkeypatch, error):
    # The server's disk is the server's: it refuses writes itself (53100), as it refuses a lock
    # not granted within lock_timeout (55P03); the collector answers each as a 503 to retry.
    import psycopg.errors

    from cxlisten import ingest

    def refused(*args, **kwargs):
        raise getattr(psycopg.errors, error)("refused by the server")

    monkeypatch.setattr(ingest, "collect", refused)
    r = collect(client, site)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
