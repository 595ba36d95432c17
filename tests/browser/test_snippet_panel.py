"""The intervention panel: shown, clicked and dismissed are tracked; it is non-modal and safe."""

from __future__ import annotations

import pytest

from cxlisten import activate
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


UNSAFE = [
    "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "  JaVaScRiPt:void(0)",
    "/\\evil.example",  # a browser reads it as //evil.example: not a path of this site
    "/\t/evil.example",
]


def test_a_link_is_only_ever_http(page, snippet):
    page.goto(snippet.url())
    sdk_ready(page)
    for n, url in enumerate(UNSAFE):
        page.evaluate(
            """([id, url]) => cxlisten.show({id, content: {title: "Help", label: "Go " + id, url}})""",
            [f"x{n}", url],
        )
        panel = page.locator(PANEL, has_text=f"Go x{n}")
        panel.wait_for()
        assert panel.locator("a").count() == 0  # a plain button instead
        assert panel.get_by_role("button", name=f"Go x{n}").count() == 1


def test_a_low_score_brings_the_next_best_action_after_the_answer(page, snippet):
    activate.save_rule(
        snippet.db,
        snippet.site,
        {
            "name": "detractor-chat",
            "level": "reactive",
            "when": [{"score": "nps", "max": 6}],
            "then": {
                "show": {
                    "kind": "channel",
                    "title": {"en": "Sorry to hear that"},
                    "body": {"en": "Talk to a person now?"},
                    "label": {"en": "Chat"},
                    "url": "/help/chat",
                }
            },
        },
    )
    snippet.survey()  # one NPS question on page view
    page.goto(snippet.url())
    dialog = page.locator("cxlisten-ui section[role=dialog]")
    dialog.get_by_role("radio", name="3").check()
    dialog.get_by_role("button", name="Submit").click()
    panel = page.locator(PANEL)
    panel.wait_for()  # from the reply of POST /v1/responses
    assert panel.get_by_role("heading").inner_text() == "Sorry to hear that"
    assert panel.get_by_role("link", name="Chat").get_attribute("href").endswith("/help/chat")
    events = snippet.wait(lambda ev: len(ev) >= 1, kind="intervention")
    assert events[0]["action"] == "shown"
