"""Single-page apps: pushState, replaceState and popstate make page views; dwell goes first."""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser


def test_route_changes_are_page_views_titled_after_the_route_settles(page, snippet):
    page.goto(snippet.url("spa.html"))
    snippet.wait_count("pageview", 1)
    page.evaluate("go('/products', 'Products')")
    snippet.wait_count("pageview", 2)  # settled: recorded with its own title
    page.evaluate("go('/products?sort=price', 'Products by price', true)")  # same path: no view
    page.evaluate("go('/products#reviews', 'Products', true)")  # hash only: no view
    page.evaluate("go('/cart', 'Your cart', true)")  # replaceState to another path: a view
    snippet.wait_count("pageview", 3)
    page.go_back()  # popstate
    views = snippet.wait_count("pageview", 4)
    assert [(v["path"], v["title"]) for v in views] == [
        ("/spa.html", "Home"),
        ("/products", "Products"),
        ("/cart", "Your cart"),
        ("/spa.html", "Back at /spa.html"),
    ]
    # Each SPA view's referrer is the previous route's URL.
    assert views[1]["referrer"].endswith("/spa.html")
    assert views[2]["referrer"].endswith("/products")
    assert page.errors == []


def test_dwell_of_the_previous_route_is_sent_before_the_next_view(page, snippet):
    page.goto(snippet.url("spa.html"))
    [home] = snippet.wait_count("pageview", 1)
    page.wait_for_timeout(400)
    page.evaluate("go('/products', 'Products')")
    views = snippet.wait_count("pageview", 2)
    [dwell] = snippet.events("dwell")
    assert dwell["pv"] == home["id"]
    assert dwell["url"].endswith("/spa.html")
    assert dwell["visible_ms"] >= 400
    assert dwell["ts"] <= views[1]["ts"]
