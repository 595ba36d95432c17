"""The intervention panel: shown, clicked and dismissed are tracked; it is non-modal and safe."""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import sdk_ready, snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser

PANEL = "cxlisten-ui section.panel"


def test_the_panel_is_non_modal_and_announced(page, snippet):
    snippet.intervention()
    page.goto(snippet.url())
    panel = page.locator(PANEL)
    panel.wait_for()
    assert panel.get_attribute("aria-live") == "polite"
    assert panel.get_attribute("role") == "region"
    assert panel.get_by_role("heading").inner_text() == "Need more help?"
    assert panel.locator("p").inner_text() == "Our team answers within minutes."
    assert page.evaluate("document.activeElement === document.body")  # focus not taken
    [ev] = snippet.wait_count("intervention", 1)
    assert (ev["name"], ev["action"]) == ("need-help", "shown")
    assert page.errors == []


def test_clicking_the_link_is_tracked_and_follows_it(page, snippet):
    snippet.state["route_page"] = "basic.html"
    snippet.intervention()
    page.goto(snippet.url())
    link = page.locator(PANEL).get_by_role("link", name="Chat with us")
    assert link.get_attribute("href") == f"{snippet.origin}/help/contact"
    link.click()
    page.wait_for_url("**/help/contact")
    events = snippet.wait(lambda ev: any(e["action"] == "clicked" for e in ev), kind="intervention")
    assert [e["action"] for e in events] == ["shown", "clicked"]


@pytest.mark.parametrize("how", ["close button", "Escape"])
def test_dismissing_is_tracked(page, snippet, how):
    snippet.intervention()
    page.goto(snippet.url())
    panel = page.locator(PANEL)
    panel.wait_for()
    if how == "Escape":
        panel.get_by_role("button", name="Close").focus()
        page.keyboard.press("Escape")
    else:
        panel.get_by_role("button", name="Close").click()
    assert page.locator("cxlisten-ui").count() == 0
    events = snippet.wait(lambda ev: len(ev) >= 2, kind="intervention")
    assert [e["action"] for e in events] == ["shown", "dismissed"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "data:text/html,<script>alert(1)</script>",
        "  JaVaScRiPt:void(0)",
    ],
)
def test_a_link_is_only_ever_http(page, snippet, url):
    page.goto(snippet.url())
    sdk_ready(page)
    page.evaluate(
        """(url) => cxlisten.show({id: "x", content: {title: "Help", label: "Go", url}})""", url
    )
    panel = page.locator(PANEL)
    panel.wait_for()
    assert panel.locator("a").count() == 0
    assert panel.get_by_role("button", name="Go").count() == 1
