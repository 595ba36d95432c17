"""The no-input signal in headless Chromium: a long visit with no pointer, key or touch is a bot.

signals.js notes, for the tab's visit (sessionStorage), whether any pointer, key or touch was
used; dwell events carry it as ``input``. A visit of two page views and 40 s of visible time
without any is flagged as a bot by the collector (cxlisten.bots.no_input); the same visit with
one key press or one click is a person's. The page's clock is Playwright's: time moves only
when the test says so.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    snippet_fixture,
    snippet_servers_fixture,
)
from tests.browser.test_snippet_core import HIDE

pytestmark = pytest.mark.browser


def _visit(page, snippet, act) -> list[dict]:
    """Two SPA page views of 20 s visible time each, with ACT(page) done on the first."""
    start = time.time()  # seconds: Playwright's unit
    page.clock.install(time=start)
    page.clock.pause_at(start + 1)
    page.goto(snippet.url("spa.html"))
    page.clock.run_for(100)
    snippet.wait_count("pageview", 1)
    page.wait_for_function("window.cxlisten._s && window.cxlisten._s.on")  # signals.js listens
    act(page)
    page.clock.run_for(20_000)
    page.evaluate("go('/two', 'Two')")  # a route change: the first page view's dwell
    page.clock.run_for(1_500)  # the title settles, the batch timer fires
    snippet.wait_count("pageview", 2)
    page.clock.run_for(20_000)
    page.evaluate(HIDE, True)  # hidden: the second dwell, beaconed
    return snippet.wait_count("dwell", 2)


def _flagged(snippet) -> list[tuple[int, int]]:
    sql = "SELECT pageviews, is_bot FROM sessions WHERE site_id = ?"
    return snippet.db.execute(sql, [snippet.site.id]).fetchall()


def test_a_visit_with_no_input_is_flagged_as_a_bot(page, snippet):
    dwells = _visit(page, snippet, lambda page: None)
    assert [d["input"] for d in dwells] == [0, 0]
    assert sum(d["visible_ms"] for d in dwells) >= 40_000
    assert _flagged(snippet) == [(2, 1)]
    assert page.errors == []


@pytest.mark.parametrize(
    "act",
    [
        lambda page: page.keyboard.press("ArrowDown"),
        lambda page: page.mouse.click(40, 40),
    ],
    ids=["key press", "click"],
)
def test_a_visit_with_a_key_press_or_a_click_is_a_person(page, snippet, act):
    dwells = _visit(page, snippet, act)
    assert [d["input"] for d in dwells] == [1, 1]
    assert _flagged(snippet) == [(2, 0)]
    assert page.errors == []
