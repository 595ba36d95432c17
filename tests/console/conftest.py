"""Console fixtures: two sites, each with a survey, a key scoped to each and an operator's key."""

from __future__ import annotations

import re

import pytest

from cxlisten import sites, surveys
from cxlisten.identity import create_admin_key
from tests.exports.test_response_filters import fit  # noqa: F401  (responses of every filter)
from tests.surveys.conftest import PULSE, definition


@pytest.fixture
def other_site(db):
    return sites.create_site(db, "Blog", ["https://blog.example"])


@pytest.fixture
def keys(db, site, other_site):
    """{"a": key of site A (the shop), "b": key of site B (the blog), "operator": every site}."""
    return {
        "a": create_admin_key(db, "shop team", site_id=site.id),
        "b": create_admin_key(db, "blog team", site_id=other_site.id),
        "operator": create_admin_key(db, "ops"),
    }


@pytest.fixture
def survey_a(db, site):
    return surveys.create_survey(db, site, definition(PULSE, id="shop-pulse"))


@pytest.fixture
def survey_b(db, other_site):
    return surveys.create_survey(db, other_site, definition(PULSE, id="blog-pulse"))


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Console:
    """A test client that signs in to the console and posts forms with their CSRF token."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def get(self, path, **kw):
        reply = self.client.get(path, **kw)
        found = CSRF.search(reply.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return reply

    def post(self, path, data=None, *, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.token or self.get("/console/sign-in") and self.token
        return self.client.post(path, data=data, **kw)

    def sign_in(self, key):
        self.get("/console/sign-in")
        reply = self.post("/console/sign-in", {"key": key})
        assert reply.status_code == 302, reply.get_data(as_text=True)
        self.get("/console/surveys")
        return reply


@pytest.fixture
def console(client):
    return Console(client)


class Clock:
    """The console's clock, set by the test."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    from collector.console import session

    fake = Clock(1_800_000_000.0)
    monkeypatch.setattr(session, "clock", fake)
    return fake
