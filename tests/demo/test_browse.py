"""Browsing the demo shop in headless Chromium: the snippet records across origins."""

from __future__ import annotations

import json

import pytest

from tests.demo.conftest import wait_for

pytestmark = pytest.mark.browser


def _pageview_paths(db):
    return [r[0] for r in db.execute("SELECT path FROM events WHERE kind = 'pageview' ORDER BY ts")]


def test_browsing_and_adding_to_the_cart_is_recorded_from_the_shop_origin(demo, page):
    page.goto(demo.shop_url + "/")
    page.click("text=Shop the collection")
    page.click("a[href='/product/lamp']")
    page.click("button[data-add=lamp]")
    assert page.text_content(".cart-count") == "1"
    page.click(".cart-link")
    page.click("#to-checkout")
    page.wait_for_url("**/checkout")

    def recorded():
        """pageviews of home, products, lamp, cart and checkout, and the add_to_cart event"""
        paths = _pageview_paths(demo.db)
        custom = demo.db.execute(
            "SELECT name FROM events WHERE kind = 'custom' AND name = 'add_to_cart'"
        ).fetchall()
        return paths == ["/", "/products", "/product/lamp", "/cart", "/checkout"] and custom

    wait_for(recorded)
    assert page.errors == []


def test_events_tracked_before_the_snippet_loads_are_queued_and_sent(demo, page):
    # The search page tracks its query as soon as it renders, usually before the async sdk.js.
    page.goto(demo.shop_url + "/search?q=lamp")
    assert page.text_content("[data-search-heading]") == "1 result for “lamp”"

    def searched():
        """the search event with its query and result count"""
        row = demo.db.execute(
            "SELECT data FROM events WHERE kind = 'custom' AND name = 'search'"
        ).fetchone()
        return row and json.loads(row[0])

    assert wait_for(searched)["props"] == {"query": "lamp", "results": 1}
    assert page.errors == []
