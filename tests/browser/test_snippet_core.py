"""The core tracker (sdk.js) in headless Chromium against the real collector."""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import sdk_ready, snippet  # noqa: F401

pytestmark = pytest.mark.browser


def test_pageview_is_stored_with_the_contract_fields(page, snippet):
    page.goto(snippet.url())
    [view] = snippet.wait_count("pageview", 1)
    assert view["url"] == snippet.url()
    assert view["path"] == "/basic.html"
    assert view["title"] == "Basic page"
    assert view["viewport"] == {"w": 1280, "h": 800}
    assert page.errors == []
