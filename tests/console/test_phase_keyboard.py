"""The phase pages by keyboard, in real Chromium over the demo (``cxlisten demo --simulate
1000``): Tab reaches every action of the track, rule and home pages, each with a visible focus."""

from __future__ import annotations

import pytest

from tests.console import test_phase_browser as phase_browser

demo, person = phase_browser.demo, phase_browser.person

PAGES = {
    "/console/home?window=30d": {"Show"},
    "/console/track?window=30d": {"Show", "Move", "Plan a deep-dive"},
    "/console/activate/checkout-assist": {"Edit"},
}


def tab_through(page, most: int = 400) -> list[dict]:
    """Press Tab from the top until focus leaves the page; return what each press focused."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement;
                const s = getComputedStyle(el);
                return {tag: el.tagName, text: (el.textContent || el.value || '').trim(),
                        outline: s.outlineStyle, shadow: s.boxShadow} }"""
        )
        if info["tag"] == "BODY":  # past the last control
            return seen
        seen.append(info)
    return seen


@pytest.mark.parametrize("path", PAGES)
def test_tab_reaches_every_action_of_a_phase_page_with_a_visible_focus(person, demo, path):
    person.goto(demo.collector_url + path)
    person.wait_for_load_state("load")
    seen = tab_through(person)
    assert seen and seen[0]["text"]  # the skip link first
    hidden = [i for i in seen if i["outline"] == "none" and i["shadow"] == "none"]
    assert hidden == [], hidden
    assert PAGES[path] <= {i["text"] for i in seen}
