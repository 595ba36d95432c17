"""The survey widget: every question type answered by keyboard only, partial answers, dismissal."""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import sdk_ready, snippet  # noqa: F401

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"


def open_survey(page, snippet, questions, **fields):
    """Create a survey, open the page and show it with cxlisten.show (focus moves into it)."""
    snippet.survey("kbd", questions=questions, trigger={"type": "event", "event": "never"}, **fields)
    page.goto(snippet.url())
    sdk_ready(page)
    snippet.wait_count("pageview", 1)
    page.wait_for_timeout(150)  # the config reply
    page.evaluate("cxlisten.show('kbd')")
    page.locator(DIALOG).wait_for()


def q(id, type, **more):
    return {"id": id, "type": type, "text": {"en": f"Question {id}?"}, **more}


OPTIONS = [{"code": c, "label": {"en": c.title()}} for c in ("shipping", "price", "payment")]


@pytest.mark.parametrize(
    ("question", "keys", "value"),
    [
        (q("n", "nps"), ["ArrowRight"] * 9, {"number": 9}),  # focus on 0, nine steps right
        (q("c", "csat"), ["ArrowRight"] * 3, {"number": 4}),
        (q("e", "ces"), ["ArrowLeft"], {"number": 7}),  # radio groups wrap around
        (q("r", "rating", scale={"max": 5}), ["ArrowRight", "ArrowRight"], {"number": 3}),
        (q("s", "single", options=OPTIONS), ["ArrowDown"], {"value": "price"}),
        (q("m", "multi", options=OPTIONS), [" ", "Tab", "Tab", " "], {"value": "shipping,payment"}),
        (q("o", "single", options=OPTIONS, other=True), ["ArrowUp", *"too slow"], {"value": "other", "other": "too slow"}),
        (q("t", "text", max_length=50), [*"Faster delivery"], {"value": "Faster delivery"}),
    ],
    ids=["nps", "csat", "ces", "rating", "single", "multi", "other", "text"],
)
def test_each_question_type_is_answered_by_keyboard_only(page, snippet, question, keys, value):
    open_survey(page, snippet, [question])
    for key in keys:
        page.keyboard.press(key)
    if question["type"] in {"nps", "csat", "ces", "rating", "single"}:
        page.keyboard.press(" ")  # select the focused point (arrows already do)
    page.keyboard.press("Enter" if question["type"] != "text" else "Tab")
    if question["type"] == "text":
        page.keyboard.press("Enter")  # Tab reached Submit
    [response] = snippet.wait_response(lambda r: r and r[0]["status"] == "complete")
    [answer] = response["answers"]
    assert {k: answer[k] for k in value} == value
    assert page.locator(f"{DIALOG} [role=status]").inner_text() == "Thank you!"
    assert page.errors == []
