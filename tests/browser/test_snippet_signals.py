"""signals.js in real Chromium: dead clicks, abandoned form fields, frustration triggers, and
planted rage clicks ranking their journey step first in diagnose."""

from __future__ import annotations

import pytest

from cxlisten import journeys
from cxlisten.diagnose import diagnose
from tests.browser.snippet_fixtures import (  # noqa: F401
    new_context,
    signals_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

SECRET = "hunter2@example.com"
DIALOG = "cxlisten-ui section[role=dialog]"
TOKEN_KNOWN = "!!localStorage.getItem('cxl_v')"


def open_signals(page, snippet, path="signals.html"):
    page.goto(snippet.url(path) if path.endswith(".html") else snippet.origin + path)
    signals_ready(page)


def signal_events(snippet, signal):
    return [e for e in snippet.events("click") if e.get("signal") == signal]


def test_a_click_that_changes_nothing_is_a_dead_click_and_one_that_does_is_not(page, snippet):
    open_signals(page, snippet)
    page.click("#grow")  # adds a paragraph: the page changed
    page.click("#pay")  # does nothing
    dead = snippet.wait(lambda ev: any(e.get("signal") == "dead" for e in ev), kind="click")
    # #grow was clicked first, so its check (1 s after) was over before #pay's: only #pay is dead.
    assert [(e["target"], e["text"], e["role"]) for e in dead if e.get("signal")] == [
        ("button#pay", "Pay", "button")
    ]
    plain = [e["target"] for e in snippet.events("click") if not e.get("signal")]
    assert plain == ["button#grow", "button#pay"]  # every click is still a click
    assert page.errors == []


def test_a_field_typed_in_then_left_unsubmitted_is_abandoned_never_its_value(page, snippet):
    open_signals(page, snippet)
    page.fill("#email", SECRET)
    page.check("#agree")  # not typed in: never reported
    page.click(".out")
    page.wait_for_url("**/basic.html")
    [abandoned] = snippet.wait(lambda ev: signal_events(snippet, "abandoned"), kind="click")[-1:]
    assert (abandoned["role"], abandoned["target"], abandoned["text"]) == (
        "textbox",
        "input#email",
        "E-mail",  # its label
    )
    assert abandoned["path"] == "/signals.html"
    assert len(signal_events(snippet, "abandoned")) == 1
    assert all(SECRET.encode() not in r.body for r in snippet.recorder.mine())


def test_a_submitted_field_is_not_abandoned(page, snippet):
    open_signals(page, snippet)
    page.fill("#email", SECRET)
    page.click("#send")
    page.wait_for_function("document.getElementById('signup').dataset.sent === '1'")
    page.click(".out")
    page.wait_for_url("**/basic.html")
    # The left page's last dwell travels in the same pagehide batch an abandoned field would.
    snippet.wait(lambda ev: any(e["path"] == "/signals.html" for e in ev), kind="dwell")
    snippet.wait_count("pageview", 2)
    assert signal_events(snippet, "abandoned") == []


def test_rage_clicks_fire_a_frustration_trigger(page, snippet):
    snippet.survey(trigger={"type": "frustration", "signal": "rage"})
    open_signals(page, snippet)
    snippet.wait_config(page)
    page.click("#pay")
    page.click("#grow")
    page.click("#pay")  # three clicks, but not on one element: no rage
    assert page.locator(DIALOG).count() == 0
    for _ in range(3):
        page.click("#pay")
    page.locator(DIALOG).wait_for()
    [shown] = snippet.wait_count("survey", 1)
    assert (shown["name"], shown["action"]) == ("probe", "shown")


def test_a_dead_click_fires_a_frustration_trigger(page, snippet):
    snippet.intervention(trigger={"type": "frustration", "signal": "dead", "urls": ["/signals*"]})
    open_signals(page, snippet)
    snippet.wait_config(page)
    page.click("#pay")
    page.locator("cxlisten-ui").wait_for(state="attached")
    [shown] = snippet.wait_count("intervention", 1)
    assert (shown["name"], shown["action"]) == ("need-help", "shown")


def test_planted_rage_clicks_rank_their_journey_step_first(browser, snippet):
    """12 visitors go /basket -> /delivery -> /confirm -> /thanks; 3 leave at /confirm and half
    rage-click Pay on /delivery: diagnose names /delivery the failing step, with the sentence."""
    snippet.state["route_page"] = "signals.html"
    journeys.save_journey(
        snippet.db,
        snippet.site.id,
        {"name": "order", "steps": ["/basket", "/delivery", "/confirm"], "goal": "/thanks"},
    )
    for i in range(12):
        context = new_context(browser)
        page = context.new_page()
        for path in ["/basket", "/delivery", "/confirm", "/thanks"][: 3 if i % 4 == 3 else 4]:
            open_signals(page, snippet, path)
            # The visitor token is known before the next page (a page left before the first
            # answer would start a new visitor).
            page.wait_for_function(TOKEN_KNOWN)
            if path == "/delivery" and i % 2 == 0:
                # Four clicks at once (in one task, so a busy machine cannot spread them past
                # a second); #grow changes the page: rage, but never dead.
                page.evaluate("for (let i = 0; i < 4; i++) document.getElementById('grow').click()")
        page.goto(snippet.url("basic.html"))  # the last step's events leave on pagehide
        snippet.wait(lambda ev, n=i + 1: len(ev) >= n, timeout=20, kind="pageview")
        context.close()
    # Every page view: 9 sessions of 4 steps and 3 of 3, each followed by basic.html.
    snippet.wait(lambda ev: len(ev) >= 9 * 5 + 3 * 4, kind="pageview", timeout=30)
    snippet.wait(lambda ev: len(ev) >= 6 * 4, timeout=30, kind="click")
    found = diagnose(snippet.db, snippet.site).journey("order").problem
    assert found.failing_step == "/delivery"
    assert found.counts.frustrated == 6
    assert "50% of sessions rage-clicked the *Show more* button on /delivery" in found.evidence
