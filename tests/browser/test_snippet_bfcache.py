"""A page restored from the back/forward cache, in a Chromium that keeps one.

Playwright starts Chromium with the back/forward cache off; this module's browser has it on, so a
"back" restores the page as a visitor's browser does (``pageshow`` with ``persisted``) instead of
loading it again.
"""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    snippet_fixture,
    snippet_servers_fixture,
)
from tests.browser.test_snippet_vitals import _loaded, _vitals_of
from tests.conftest import launch_chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", name="browser")
def bfcache_browser(browser):
    """This module's Chromium: the suite's launch options, the back/forward cache on."""
    instance = launch_chromium(
        browser.browser_type, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield instance
    instance.close()


def test_a_restored_page_is_a_new_soft_view_without_load_metrics(page, snippet):
    page.goto(snippet.url("speed.html"))
    _loaded(page)
    page.evaluate("addEventListener('pageshow', (e) => (window.restored = e.persisted))")
    page.goto(snippet.url("basic.html"))
    page.go_back(wait_until="commit")  # a restore fires no load event for Playwright to wait on
    page.wait_for_function("window.restored === true")  # the same document, from the cache
    views = snippet.wait(
        lambda ev: sum(e["path"] == "/speed.html" for e in ev) == 2, kind="pageview"
    )
    page.goto(snippet.url("basic.html"))  # leaving the restored view sends its dwell
    loaded = _vitals_of(snippet, "/speed.html", n=1)
    assert {"ttfb", "fcp", "lcp"} <= set(loaded), loaded
    again = views[-1]["id"]  # a pageview's id is its page view's, which its dwells carry as pv
    dwells = snippet.wait(
        lambda ev: any(e["pv"] == again and e.get("vitals") for e in ev), kind="dwell"
    )
    restored = [e["vitals"] for e in dwells if e["pv"] == again][-1]
    # Nothing was loaded: no TTFB, FCP or LCP; its layout shifts count from the restore (none).
    assert again != views[0]["id"]
    assert set(restored) <= {"cls", "inp", "conn"} and restored["cls"] == 0, restored
    assert page.errors == []
