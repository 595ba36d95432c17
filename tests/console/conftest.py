"""Console fixtures: two sites, each with a survey, a key scoped to each and an operator's key."""

from __future__ import annotations

import pytest

from cxlisten import sites, surveys
from cxlisten.identity import create_admin_key
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
