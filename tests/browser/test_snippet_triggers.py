"""Each trigger kind, evaluated in the page with the real collector's /v1/config."""

from __future__ import annotations

import json

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    new_context,
    pause_clock,
    snippet_fixture,
    snippet_servers_fixture,
)
from tests.conftest import BROWSER_UA

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"
SHOWN = "document.querySelector('cxlisten-ui') !== null"


def shown(page) -> bool:
    return page.evaluate(SHOWN)


@pytest.mark.parametrize(
    ("urls", "path", "expected"),
    [
        ([], "/basic.html", True),  # no patterns: every page
        (["/basic.html"], "/basic.html", True),
        (["/bas*"], "/basic.html", True),
        (["/cart*", "/checkout*"], "/basic.html", False),
    ],
)
def test_pageview_trigger_on_matching_pages(page, snippet, urls, path, expected):
    snippet.survey(trigger={"type": "pageview", "urls": urls})
    page.goto(snippet.url(path.lstrip("/")))
    if expected:
        page.locator(DIALOG).wait_for()
        [ev] = snippet.wait_count("survey", 1)
        assert (ev["name"], ev["action"]) == ("probe", "shown")
    else:
        snippet.wait_config(page)
        assert not shown(page)
        assert (
            page.evaluate("[...document.scripts].some(s => s.src.endsWith('/widget.js'))") is False
        )


HIDE = """(hidden) => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => hidden ? "hidden" : "visible"});
  Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_dwell_trigger_counts_only_visible_time(page, snippet):
    snippet.survey(trigger={"type": "dwell", "seconds": 10})
    page.clock.install()
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    snippet.wait_config(page)
    page.clock.run_for(6000)
    page.evaluate(HIDE, True)
    page.clock.run_for(30000)  # hidden: does not count towards the 10 s
    page.evaluate(HIDE, False)
    assert not shown(page)
    page.clock.run_for(3000)
    assert not shown(page)  # 9 s visible
    page.clock.run_for(1600)
    page.locator(DIALOG).wait_for()


def test_exit_intent_on_desktop_when_the_pointer_leaves_through_the_top(page, snippet):
    snippet.survey(trigger={"type": "exit_intent"})
    page.goto(snippet.url())
    snippet.wait_config(page)
    leave = "(y) => document.dispatchEvent(new MouseEvent('mouseout', {clientX: 300, clientY: y, bubbles: true}))"
    page.evaluate(leave, 200)  # leaving through the side or bottom is not exit intent
    page.wait_for_timeout(100)
    assert not shown(page)
    page.evaluate(leave, -2)
    page.locator(DIALOG).wait_for()


# Scroll to Y and resolve once the scroll event was dispatched (the snippet's listeners, added
# earlier, have run): a wait on the event, not on time.
SCROLL = """(y) => new Promise((done) => {
  addEventListener("scroll", () => done(), {once: true});
  scrollTo(0, y);
})"""


def test_exit_intent_on_touch_screens_is_a_fast_scroll_back_up(browser, snippet):
    phone = new_context(
        browser,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        user_agent=BROWSER_UA.replace("X11; Linux x86_64", "Linux; Android 14; Pixel 8")
        + " Mobile",
    )
    try:
        page = phone.new_page()
        snippet.survey(trigger={"type": "exit_intent"})
        page.clock.install()
        page.goto(snippet.url("journey.html"))
        snippet.wait_config(page)
        pause_clock(page)  # "fast" is then the page's time, not the machine's
        page.evaluate(SCROLL, 2000)
        page.evaluate(SCROLL, 1900)  # a short way up: reading, not leaving
        page.clock.run_for(600)
        assert not shown(page)
        for y in (1800, 1600, 1400, 1200, 1000):  # 800 px up in 100 ms of the page's time
            page.evaluate(SCROLL, y)
            page.clock.run_for(20)
        page.locator(DIALOG).wait_for()
    finally:
        phone.close()


def test_event_trigger_fires_on_the_custom_event(page, snippet):
    snippet.survey(trigger={"type": "event", "event": "cart_abandoned"})
    page.goto(snippet.url())
    snippet.wait_config(page)
    page.evaluate("cxlisten.track('something_else')")
    page.wait_for_timeout(100)
    assert not shown(page)
    page.evaluate("cxlisten.track('cart_abandoned', {items: 2})")
    page.locator(DIALOG).wait_for()


@pytest.mark.parametrize(
    ("visits", "expected"),
    [
        (["/products/1", "/help/returns"], True),  # reached products, then help
        (["/help/returns", "/products/1", "/cart"], False),  # the wrong order, and not on help
    ],
)
def test_journey_trigger_follows_the_session_steps(page, snippet, visits, expected):
    snippet.state["route_page"] = "spa.html"
    snippet.survey(trigger={"type": "journey", "steps": ["/products*", "/help*"]})
    page.goto(snippet.url("spa.html"))
    snippet.wait_count("pageview", 1)
    for n, path in enumerate(visits, start=2):
        page.evaluate("(p) => go(p, 'Page ' + p)", path)
        snippet.wait_count("pageview", n)
        snippet.wait_config(page, n)
    if expected:
        page.locator(DIALOG).wait_for()
    else:
        assert not shown(page)


def test_a_survey_is_shown_once_per_session_across_spa_routes(page, snippet):
    snippet.survey(trigger={"type": "pageview"})
    page.goto(snippet.url("spa.html"))
    page.locator(DIALOG).wait_for()
    page.locator(DIALOG).get_by_role("button", name="Close").click()
    page.evaluate("go('/next', 'Next')")
    snippet.wait_count("pageview", 2)
    snippet.wait_config(page, 2)
    assert not shown(page)


def test_show_opens_a_survey_whatever_its_trigger(page, snippet):
    snippet.survey(trigger={"type": "event", "event": "never_tracked"})
    page.goto(snippet.url())
    snippet.wait_config(page)
    assert not shown(page)
    page.evaluate("cxlisten.show('probe')")
    page.locator(DIALOG).wait_for()
    assert page.evaluate("document.activeElement.tagName") == "CXLISTEN-UI"  # focus moved in


def test_show_previews_a_survey_its_targeting_leaves_out(page, snippet):
    # A product team on a desktop browser tests a mobile-only survey: the collector includes it
    # for cxlisten.show() alone (GET /v1/config?survey=ID).
    snippet.survey(audience={"devices": ["mobile"]})
    page.goto(snippet.url())
    snippet.wait_config(page)
    assert not shown(page)
    page.evaluate("cxlisten.show('probe')")
    page.locator(DIALOG).wait_for()
    assert "recommend" in page.locator(DIALOG).inner_text()


def test_the_next_best_action_is_shown_in_the_panel(page, snippet):
    action = {
        "id": "mortgage-guide",
        "kind": "content",
        "rule": "planning-a-house",
        "title": {"en": "Planning to buy a house?"},
        "body": {"en": "Our guide explains it."},
        "label": {"en": "Read the guide"},
        "url": "/guides/mortgage",
        "placement": "bottom-left",
    }

    def with_action(route):
        reply = route.fetch()
        body = reply.json()
        body["action"] = action  # what the phases engine would pick for this visitor
        route.fulfill(response=reply, body=json.dumps(body))

    page.route("**/v1/config?*", with_action)
    page.goto(snippet.url("spa.html"))
    panel = page.locator("cxlisten-ui[data-placement=bottom-left] section.panel")
    panel.wait_for()
    assert panel.get_by_role("heading").inner_text() == "Planning to buy a house?"
    [ev] = snippet.wait_count("intervention", 1)
    assert (ev["name"], ev["action"]) == ("mortgage-guide", "shown")
    panel.get_by_role("button", name="Close").click()
    page.evaluate("go('/next', 'Next')")  # offered again on the next page: shown once a session
    snippet.wait_config(page, 2)
    assert not shown(page)


SCROLL = """(y) => new Promise((done) => {
  addEventListener("scroll", () => done(), {once: true});
  scrollTo(0, y);
})"""


def test_scroll_trigger_fires_only_past_its_depth(page, snippet):
    snippet.survey(trigger={"type": "scroll", "percent": 75, "urls": ["/long.html"]})
    page.clock.install()
    page.goto(snippet.url("long.html"))  # 4000 px tall in an 800 px window
    snippet.wait_count("pageview", 1)
    snippet.wait_config(page)
    page.clock.run_for(2000)
    assert not shown(page)  # the top fifth: 20 %
    page.evaluate(SCROLL, 1600)  # (1600 + 800) / 4000 = 60 %
    page.clock.run_for(2000)
    assert not shown(page)
    page.evaluate(SCROLL, 2400)  # 80 %, then back to the top: the deepest point counts
    page.evaluate(SCROLL, 0)
    page.clock.run_for(600)
    page.locator(DIALOG).wait_for()
    [ev] = snippet.wait_count("survey", 1)
    assert (ev["name"], ev["action"]) == ("probe", "shown")


def test_need_more_help_after_scrolling_a_short_page_seen_whole(page, snippet):
    """A page no taller than the window is seen whole: a scroll trigger fires without a scroll."""
    snippet.intervention(trigger={"type": "scroll", "percent": 100, "urls": ["/basic.html"]})
    page.goto(snippet.url("basic.html"))
    page.locator("cxlisten-ui section[role=region]").wait_for()
    [ev] = snippet.wait_count("intervention", 1)
    assert (ev["name"], ev["action"]) == ("need-help", "shown")
