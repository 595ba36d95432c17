"""Privacy and politeness: DNT/GPC, consent, automation, sessions, and never breaking the host."""

from __future__ import annotations

import time

import pytest

from tests.browser.snippet_fixtures import (  # noqa: F401
    Debug,
    sdk_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
DNT = "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})"
NO_WEBDRIVER = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false})"


def console(page) -> list[str]:
    lines: list[str] = []
    page.on("console", lambda m: lines.append(m.text))
    return lines


@pytest.mark.parametrize(
    ("init", "attrs", "tracked", "why"),
    [
        ("", {}, True, None),
        (GPC, {}, False, "DNT/GPC on"),
        (DNT, {}, False, "DNT/GPC on"),
        (GPC, {"respect-dnt": "false"}, True, None),  # the site chose to ignore the signal
        (DNT, {"respect-dnt": "false"}, True, None),
        ("", {"webdriver": ""}, False, "webdriver"),  # automation, and the site did not opt in
        (NO_WEBDRIVER, {"webdriver": ""}, True, None),
        ("", {"site": ""}, False, "no site/src"),
    ],
)
def test_who_is_tracked(page, snippet, init, attrs, tracked, why):
    lines = console(page)
    if init:
        page.add_init_script(init)
    page.clock.install()
    page.goto(snippet.url(debug="", **attrs))
    sdk_ready(page)
    page.evaluate("cxlisten.track('probe')")
    page.clock.run_for(1500)  # past the batch timer
    if tracked:
        snippet.wait_count("custom", 1)
    else:
        page.wait_for_timeout(100)
        assert snippet.recorder.collects() == []
        assert any(why in line for line in lines if line.startswith("[cxlisten] not tracking"))
    assert page.errors == []


def test_nothing_is_logged_unless_debug_is_on(page, snippet):
    lines = console(page)
    page.add_init_script(GPC)
    page.goto(snippet.url())
    sdk_ready(page)
    page.evaluate("cxlisten.track('x'); cxlisten('no-such-call')")
    page.wait_for_timeout(300)
    assert [line for line in lines if "cxlisten" in line] == []
    page.evaluate("cxlisten.debug(true); cxlisten.track('y')")
    assert any(line.startswith("[cxlisten] not sent: custom") for line in lines)


def test_consent_false_stops_sending_and_clears_the_queue(page, snippet):
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    page.wait_for_function("localStorage.getItem('cxl_v')")
    page.evaluate("cxlisten.track('queued_then_withdrawn'); cxlisten.consent(false)")
    assert page.evaluate("localStorage.getItem('cxl_q')") is None
    assert page.evaluate("localStorage.getItem('cxl_v')") is None
    page.evaluate("cxlisten.track('after_withdrawal')")
    page.clock.install()
    page.reload()  # the choice is remembered
    sdk_ready(page)
    page.clock.run_for(1500)
    page.wait_for_timeout(100)
    assert [e["kind"] for e in snippet.events()] == ["pageview"]
    page.evaluate("cxlisten.consent(true)")  # tracking resumes on this page
    views = snippet.wait_count("pageview", 2)
    page.evaluate("cxlisten.track('after_consent')")
    [custom] = snippet.wait_count("custom", 1)
    assert custom["name"] == "after_consent"
    assert views[1]["visitor_id"] != views[0]["visitor_id"]  # the old token was forgotten


def test_consent_false_before_load_sends_nothing_at_all(page, snippet):
    page.add_init_script("window.cxlisten = {q: [['consent', false]]}")
    page.clock.install()
    page.goto(snippet.url())
    sdk_ready(page)
    page.clock.run_for(1500)
    page.wait_for_timeout(100)
    assert snippet.recorder.mine() == []


def test_the_session_is_renewed_after_30_idle_minutes(page, snippet):
    page.clock.install()
    page.goto(snippet.url())
    snippet.wait_count("pageview", 1)
    session = "JSON.parse(localStorage.getItem('cxl_s')).i"
    first = page.evaluate(session)
    page.clock.fast_forward("29:00")
    page.evaluate("cxlisten.track('still_here')")
    assert page.evaluate(session) == first
    page.clock.fast_forward("30:01")
    page.evaluate("cxlisten.track('back_again')")
    assert page.evaluate(session) != first


HOSTILE_GLOBALS = """
  window.fetch = undefined;  // a host that broke fetch, sendBeacon and JSON
  Navigator.prototype.sendBeacon = () => { throw new Error("no beacons here"); };
"""


def test_the_host_page_never_sees_an_error(page, snippet):
    page.add_init_script(HOSTILE_GLOBALS)
    page.goto(snippet.url())
    sdk_ready(page)
    page.evaluate("""() => {
      cxlisten("no-such-call");
      cxlisten.track();
      cxlisten.track("x", {toJSON() { throw new Error("hostile props"); }});
      cxlisten.consent("maybe");
      history.pushState({}, "", "/elsewhere");
      document.dispatchEvent(new Event("visibilitychange"));
      window.dispatchEvent(new Event("pagehide"));
    }""")
    page.wait_for_timeout(1100)
    assert page.errors == []


def test_a_reply_after_consent_is_withdrawn_does_not_bring_the_token_back(page, snippet):
    """The config reply in flight when the visitor says no must not store the token again."""
    snippet.survey(trigger={"type": "event", "event": "never"})  # logs "armed" once handled
    debug = Debug(page)
    held = []
    page.route("**/v1/config?*", lambda route: held.append(route))  # held until released
    page.goto(snippet.url(debug=""))
    snippet.wait_count("pageview", 1)
    page.wait_for_function("localStorage.getItem('cxl_v')")
    deadline = time.monotonic() + 8
    while not held:
        assert time.monotonic() < deadline, "no /v1/config request"
        page.wait_for_timeout(20)  # lets Playwright run the route handler
    page.evaluate("cxlisten.consent(false)")
    held[0].continue_()
    debug.wait("probe armed:")  # the reply, with its visitor token, was handled
    assert page.evaluate("localStorage.getItem('cxl_v')") is None
    assert "cxl_v=" not in page.evaluate("document.cookie")
