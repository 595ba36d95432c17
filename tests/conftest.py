"""Fixtures shared by every test: a fresh database, app, client, site, live server, and one
headless Chromium (Debian's, driven by Playwright) for everything the snippet does.

Browser tests skip only where Chromium is absent and CI is unset; under CI a missing browser fails.
One Playwright instance serves the whole session: a second one in the same thread cannot start.

The database is one fixture parametrised by engine: the tests of storage, ingestion, surveys,
phases and exports (``BOTH_ENGINES``) run once on a SQLite file and once on PostgreSQL, the
database ``CXLISTEN_TEST_DATABASE_URL`` names (emptied before each test; default: the role and
database `.ci/run` creates on 127.0.0.1). Without that server the PostgreSQL half skips, saying
why, only when ``CI`` is unset; under CI it fails. A test about SQLite itself (its file, its
locks) is marked ``sqlite_only`` and runs once.
"""

from __future__ import annotations

import os
import shutil
import threading
import time as _time
import uuid
from datetime import UTC, datetime

import pytest
from werkzeug.serving import make_server

from collector import create_app
from cxlisten import sites
from cxlisten.identity import create_admin_key
from cxlisten.storage.db import open_database
from tests.clock import OFFSET_VARIABLE, now_ms
from tests.support import postgres

# The suite sends thousands of batches from one address: rate limits are off unless a test turns
# them on (tests/test_hostile_limits.py tests them with a clock it controls).
for _name in (
    "RATE_CLIENT_PER_MINUTE",
    "RATE_SITE_PER_MINUTE",
    "NEW_VISITORS_PER_CLIENT_PER_MINUTE",
):
    os.environ.setdefault(f"CXLISTEN_{_name}", "0")
# Test receivers listen on 127.0.0.1; the SSRF guard's tests turn it on explicitly.
os.environ.setdefault("CXLISTEN_WEBHOOK_ALLOW_PRIVATE", "true")

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
ORIGIN = "https://shop.example"


# Test files (paths under tests/) whose database tests run on both engines.
BOTH_ENGINES = (
    "test_storage",
    "test_collect.py",
    "test_webhooks_hostile.py",
    "surveys/test_responses.py",
    "surveys/test_targeting.py",
    "surveys/test_profile.py",
    "surveys/test_admin.py",
    "phases/test_activate.py",
    "signals/test_engines.py",
    "phases/test_journeys.py",
    "phases/test_diagnose.py",
    "phases/test_deepdive.py",
    "phases/test_webhooks.py",
    "exports/test_http.py",
    "exports/test_reports.py",
    "exports/test_roundtrip.py",
    "exports/test_surveys.py",
    "exports/test_memory.py",
    "console/test_results_fast.py",
)
TESTS = os.path.dirname(os.path.abspath(__file__))


def pytest_generate_tests(metafunc):
    """Run the database tests of BOTH_ENGINES files on SQLite and on PostgreSQL."""
    if "engine" not in metafunc.fixturenames or metafunc.definition.get_closest_marker(
        "sqlite_only"
    ):
        return
    where = os.path.relpath(str(metafunc.definition.path), TESTS)
    if where.startswith(BOTH_ENGINES):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (``--dist loadgroup``), keep every browser test on one worker, and
    each other test file's tests together.

    Two Chromiums on the machine's two cores, each beside a live collector, make the browser's
    own timings (a long task, a transition) depend on the other; one Chromium beside the other
    worker's plain tests does not. A file's tests together build its module fixtures (a corpus
    classified, a server started) once, not once per worker.
    """
    for item in items:
        if item.get_closest_marker("browser") or "browser" in getattr(item, "fixturenames", ()):
            group = "browser"
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def engine(request):
    """Which engine this test's database runs on: ``sqlite`` unless parametrised."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_url():
    """The migrated test database on PostgreSQL (skipped, or under CI failed, without one)."""
    url, problem = postgres.prepare()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL half under CI: {problem}")
        pytest.skip(f"PostgreSQL half skipped (CI unset): {problem}")
    return url


@pytest.fixture
def db_path(engine, tmp_path, request):
    """What names this test's fresh database: a SQLite file, or an emptied PostgreSQL URL."""
    if engine == "postgresql":
        url = request.getfixturevalue("postgres_url")
        postgres.empty(url)
        return url
    return str(tmp_path / "cxlisten.db")


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def site(db):
    return sites.create_site(db, "Shop", [ORIGIN])


@pytest.fixture
def admin_key(db):
    return create_admin_key(db)


@pytest.fixture
def app(db_path, db, site):
    return create_app({"db": db_path, "secret": "test-secret"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin_headers(admin_key):
    return {"Authorization": f"Bearer {admin_key}"}


def event(kind="pageview", ts=None, url="https://shop.example/cart", **fields) -> dict:
    """Return a valid event of KIND, overridable field by field."""
    base = {"id": str(uuid.uuid4()), "kind": kind, "ts": ts or now_ms(), "url": url}
    defaults = (
        {
            "pageview": {"title": "Cart", "referrer": None, "viewport": {"w": 1280, "h": 720}},
            "dwell": {"visible_ms": 5000, "total_ms": 6000, "scroll": 40},
            "click": {"target": "button#buy", "text": "Buy"},
            "custom": {"name": "cart_abandoned", "props": {"items": 2}},
            "survey": {"survey": "cart-abandon", "action": "shown"},
            "intervention": {"intervention": "need-help", "action": "clicked"},
        }[kind]
        if kind in {"pageview", "dwell", "click", "custom", "survey", "intervention"}
        else {}
    )
    return {**base, **defaults, **fields}


def batch(site, *events, visitor=None) -> dict:
    return {"site": site.key, "visitor": visitor, "events": list(events)}


class LiveServer:
    """A real HTTP server on 127.0.0.1 running the app in threads."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The browser's own User-Agent, as a person's: Chromium sends a leaving page's keepalive
    # requests with it, not with a context's override, and "HeadlessChrome" is a bot's.
    f"--user-agent={BROWSER_UA}",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (apt-get install -y chromium)")
        pytest.skip("Chromium not installed and CI unset")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = launch_chromium(pw.chromium)
        yield instance
        instance.close()


def launch_chromium(browser_type, **options):
    """Debian's Chromium, headless, through BROWSER_TYPE (a test needing other launch options,
    such as the back/forward cache on, starts its own with ``browser.browser_type``)."""
    instance = browser_type.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, **options
    )
    if os.environ.get(OFFSET_VARIABLE):
        _move_browser_clock(instance)
    return instance


def _move_browser_clock(browser) -> None:
    """Under ``.ci/at-time``, start every context's clock at the run's moved time, ticking, so the
    snippet stamps its events with the hour the collector lives at (Chromium has no offset of its
    own). Playwright's clock replaces Date and the timers of the page; time flows as usual. A test
    that installs the clock itself without a time gets the moved time too."""
    from playwright.sync_api._generated import Clock

    if not getattr(Clock.install, "moved", False):
        install = Clock.install

        def moved_install(self, *, time: object = None) -> None:
            install(self, time=datetime.fromtimestamp(_time.time(), UTC) if time is None else time)

        moved_install.moved = True
        Clock.install = moved_install
    new_context = browser.new_context

    def moved_context(*args, **kwargs):
        ctx = new_context(*args, **kwargs)
        ctx.clock.install()
        return ctx

    browser.new_context = moved_context  # the tests open every page through a context


@pytest.fixture
def context(browser):
    """A fresh browser profile with a desktop browser's User-Agent (not flagged as a bot)."""
    ctx = browser.new_context(user_agent=BROWSER_UA, viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records console errors and page errors in ``page.errors``."""
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
