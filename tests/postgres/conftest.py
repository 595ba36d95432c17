"""PostgreSQL-only tests: what several collectors on one database must get right."""

from __future__ import annotations

import pytest

from tests.support import postgres


@pytest.fixture
def pg_url(postgres_url):
    """The emptied test database on PostgreSQL (skips without a server unless CI is set)."""
    postgres.empty(postgres_url)
    return postgres_url
