"""PostgreSQL-only tests: what several collectors on one database must get right."""

from __future__ import annotations

import pytest

from cxlisten import sites
from cxlisten.storage import open_database
from tests.support import postgres
from tests.support.gunicorn import Gunicorn

SECRET = "two-collectors-secret"


@pytest.fixture
def pg_url(postgres_url):
    """The emptied test database on PostgreSQL (skips without a server unless CI is set)."""
    postgres.empty(postgres_url)
    return postgres_url


def collector(url: str, tmp_path, name: str) -> Gunicorn:
    """A one-worker gunicorn collector (not yet started) on the PostgreSQL database URL."""
    return Gunicorn(
        "collector:create_app()",
        workers=1,
        env={"CXLISTEN_DATABASE_URL": url, "CXLISTEN_SECRET": SECRET, "CXLISTEN_POOL_SIZE": "2"},
        log_path=tmp_path / f"{name}.log",
    )


@pytest.fixture
def two(pg_url, tmp_path):
    """A site on the test database and two running collectors serving it."""
    site = sites.create_site(open_database(pg_url), "Shop", ["https://shop.example"])
    a, b = collector(pg_url, tmp_path, "a"), collector(pg_url, tmp_path, "b")
    a.start(timeout=60)
    b.start(timeout=60)
    try:
        yield a, b, site
    finally:
        a.kill()
        b.kill()
