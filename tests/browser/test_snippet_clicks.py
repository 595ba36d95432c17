"""Clicks on links and buttons: what a click event names, what it never carries, how it travels."""

from __future__ import annotations

import json

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    pause_clock,
    signals_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

SECRET = "hunter2-4111111111111111"


def open_clicks(page, snippet):
    """Open clicks.html; once its page view is stored, stop the page's clock (batches then
    leave only when the test moves the clock)."""
    page.clock.install()
    page.goto(snippet.url("clicks.html"))
    snippet.wait_count("pageview", 1)
    page.wait_for_function("JSON.parse(localStorage.getItem('cxl_q') || '[]').length === 0")
    signals_ready(page)
    pause_clock(page)
    return page.evaluate("Date.now()")


def test_clicks_on_links_and_buttons_name_the_element(page, snippet):
    open_clicks(page, snippet)
    for selector in ("#home", ".buy", ".fake-button .label", "#icon rect", "#long", "#plain"):
        page.click(selector)
    page.clock.run_for(1100)
    clicks = snippet.wait_count("click", 5)
    assert [{k: c.get(k) for k in ("role", "target", "text", "href")} for c in clicks] == [
        {
            "role": "link",
            "target": "a#home",  # the id when there is one
            "text": "Home page",  # whitespace collapsed
            "href": snippet.url("clicks.html") + "#top",
        },
        {"role": "button", "target": "button.buy", "text": "Add to cart", "href": None},
        # An element with an ARIA role counts, with that role; the click on its child is its.
        {"role": "button", "target": "div.fake-button", "text": "Fake", "href": None},
        # A link inside an SVG drawing: no string href to report.
        {"role": "link", "target": "a", "text": "", "href": None},
        # Cut at 100 code points: the emoji across the cut is kept whole, never halved.
        {"role": "button", "target": "button#long", "text": "x" * 99 + "\U0001f600", "href": None},
    ]
    assert all(c["url"].startswith(snippet.url("clicks.html")) for c in clicks)  # then #top
    # Not clickable: #plain gave no event. Each click has its own id and time (the raw material
    # for rage clicks: several on one element within a second).
    assert len({c["id"] for c in clicks}) == 5
    assert [c["ts"] for c in clicks] == sorted(c["ts"] for c in clicks)
    assert page.errors == []


def test_clicks_are_batched_with_the_other_events(page, snippet):
    start = open_clicks(page, snippet)
    before = len(snippet.recorder.collects())
    for _ in range(3):
        page.click(".buy")  # a rage click: three on one element
    page.evaluate("cxlisten.track('after_clicks')")
    page.clock.run_for(1100)
    snippet.wait_count("custom", 1)
    [batch] = snippet.recorder.collects()[before:]  # one request, not one per click
    events = json.loads(batch.body)["events"]
    assert [e["kind"] for e in events] == ["click", "click", "click", "custom"]
    assert {e["target"] for e in events[:3]} == {"button.buy"}
    assert all(start <= e["ts"] < start + 1000 for e in events)  # within a second


def test_a_click_never_carries_what_was_typed(page, snippet):
    open_clicks(page, snippet)
    page.fill("#email", SECRET + "@example.com")
    page.fill("#note", SECRET)
    page.click("#email")  # form fields are not clicks
    page.click("#note")
    page.click("#pay")  # an <input type=submit> is a form field too: its value is never read
    page.click("#send")
    page.clock.run_for(1100)
    send = snippet.wait_count("click", 1)[0]
    assert {k: send.get(k) for k in ("role", "target", "text")} == {
        "role": "button",
        "target": "button#send",
        "text": "Send",
    }
    page.evaluate("cxlisten.track('flush')")
    page.clock.run_for(1100)
    snippet.wait_count("custom", 1)
    sent = b"".join(r.body for r in snippet.recorder.mine())
    # The whole secrets: a timestamp or an id may hold "4111" by chance.
    assert b"hunter2" not in sent and b"4111111111111111" not in sent and b"59.90" not in sent
    # One click: Send's. Its submit is prevented and changes nothing, so it is a dead click too.
    clicks = snippet.wait_count("click", 2)
    assert [(c["target"], c.get("signal")) for c in clicks] == [
        ("button#send", None),
        ("button#send", "dead"),
    ]


def test_a_click_on_a_link_that_leaves_the_page_is_kept(page, snippet):
    page.goto(snippet.url("clicks.html"))
    snippet.wait_count("pageview", 1)
    signals_ready(page)
    page.click(".out")  # navigates at once, before the batch timer
    page.wait_for_url("**/basic.html")
    [click] = snippet.wait_count("click", 1)  # beaconed on pagehide, or sent by the next page
    assert (click["role"], click["target"], click["text"]) == ("link", "a.out", "Leave now")
    assert click["href"] == snippet.url("basic.html")
    assert click["url"] == snippet.url("clicks.html")
