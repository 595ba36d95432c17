"""The form builder in Chromium, by keyboard only: build a three-question survey in English and
Simplified Chinese with a branch, reorder it with the move buttons (the focus follows the moved
question), meet a field's error next to that field, fix it and publish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cxlisten import surveys
from cxlisten.storage import surveys as survey_store

pytestmark = pytest.mark.browser

FOCUS_WHERE = """(id) => {
  const target = document.getElementById(id), active = document.activeElement;
  if (!target) return "missing";
  if (active === target) return "here";
  if (!active || active === document.body) return "ahead";
  return active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING ? "back" : "ahead";
}"""


def tab_to(page: Page, element_id: str, limit: int = 400) -> None:
    """Press Tab (or Shift+Tab) until the element ELEMENT_ID has the focus."""
    for _ in range(limit):
        where = page.evaluate(FOCUS_WHERE, element_id)
        if where == "here":
            return
        assert where != "missing", element_id
        page.keyboard.press("Shift+Tab" if where == "back" else "Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_button(page: Page, element_id: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Enter")


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def choose(page: Page, element_id: str, value: str) -> None:
    """Pick VALUE in a closed <select> with the arrow keys."""
    tab_to(page, element_id)
    select = page.locator(f"#{element_id}")
    values = select.evaluate("s => [...s.options].map(o => o.value)")
    steps = values.index(value) - values.index(select.input_value())
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(select).to_have_value(value)


@pytest.fixture
def person(browser, live_server, keys):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(live_server.url + "/console/sign-in")
    tab_to(page, "key")
    page.keyboard.type(keys["a"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    page.base = live_server.url
    yield page
    context.close()


def question_ids(page: Page) -> list[str]:
    return page.locator("fieldset.question > .grid input[name$='.id']").evaluate_all(
        "els => els.map(e => e.value)"
    )


def test_build_a_three_question_survey_by_keyboard_and_publish(person: Page, db, site):
    page = person
    page.goto(page.base + "/console/builder")
    expect(page.locator("#builder-form")).to_be_visible()
    type_into(page, "f-id", "size-help")
    type_into(page, "f-name", "Finding your size")
    choose(page, "f-phase", "deepdive")

    # Question 1 is the blank survey's NPS question; add an open one and a single choice.
    press_button(page, "f-questions-add-question")
    expect(page.locator("#f-questions-1-id")).to_be_focused()  # the focus went to the new one
    page.keyboard.press("Control+A")
    page.keyboard.type("Why Not")  # not an id: the engine will say so, next to this field
    choose(page, "f-questions-1-type", "text")
    type_into(page, "f-questions-1-text-en", "What was missing?")
    type_into(page, "f-questions-1-text-zh-CN", "缺少了什么？")
    press_button(page, "f-questions-add-question")
    expect(page.locator("#f-questions-2-id")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("found")
    type_into(page, "f-questions-2-text-en", "Did you find your size?")
    type_into(page, "f-questions-2-text-zh-CN", "您找到合适的尺码了吗？")
    for j, (code, en, zh) in enumerate([("yes", "Yes", "是"), ("no", "No", "否")]):
        type_into(page, f"f-questions-2-options-{j}-code", code)
        type_into(page, f"f-questions-2-options-{j}-label-en", en)
        type_into(page, f"f-questions-2-options-{j}-label-zh-CN", zh)
    assert question_ids(page) == ["score", "Why Not", "found"]

    # Move "found" to the top: the focus follows it, to its other button at the top.
    press_button(page, "f-questions-2-up-question")
    expect(page.locator("#f-questions-1-up-question")).to_be_focused()
    assert question_ids(page) == ["score", "found", "Why Not"]
    page.keyboard.press("Enter")
    expect(page.locator("#f-questions-0-down-question")).to_be_focused()
    assert question_ids(page) == ["found", "score", "Why Not"]
    # The typed texts moved with their question.
    expect(page.locator("#f-questions-0-text-zh-CN")).to_have_value("您找到合适的尺码了吗？")
    expect(page.locator("#f-questions-2-text-en")).to_have_value("What was missing?")

    # A branch: "yes" skips to the end.
    press_button(page, "f-questions-0-branch-add-branch")
    expect(page.locator("#f-questions-0-branch-0-test")).to_be_focused()
    type_into(page, "f-questions-0-branch-0-value", "yes")
    choose(page, "f-questions-0-branch-0-goto", "end")

    # Publishing refuses the bad id and says so next to its field, with a summary first.
    press_button(page, "publish")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator('li[data-field="questions[2].id"]')).to_be_visible()
    field = page.locator("#f-questions-2-id")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-questions-2-id-error")).to_contain_text("lower-case letters")
    assert survey_store.get_survey(db, site.id, "size-help") is None

    # The summary's link takes the focus to the field; fix it and publish.
    tab_to(page, "error-summary")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#f-questions-2-id"
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("why")
    # Targeting: a dwell trigger's seconds appear once it is chosen, and the words (shown for
    # a valid survey) follow as it is edited.
    expect(page.locator("#f-trigger-seconds")).to_be_hidden()
    choose(page, "f-trigger-type", "dwell")
    expect(page.locator("#f-trigger-seconds")).to_be_visible()
    type_into(page, "f-trigger-seconds", "45")
    type_into(page, "f-trigger-urls", "/help/*")
    page.keyboard.press("Tab")  # leaving the field is a change: the checks and words follow
    expect(page.locator('[data-words="trigger"]')).to_have_text("after 45 s on /help/*")

    press_button(page, "publish")
    expect(page.get_by_role("status")).to_contain_text("Published “size-help”, version 1.")
    live = surveys.get_survey(db, site, "size-help").definition
    assert [q["id"] for q in live["questions"]] == ["found", "score", "why"]
    assert live["phase"] == "deepdive" and live["questions"][2]["type"] == "text"
    assert live["questions"][0]["branch"] == [{"when": {"equals": "yes"}, "goto": "end"}]
    assert live["questions"][0]["options"][1]["label"] == {"en": "No", "zh-CN": "否"}
    assert live["questions"][2]["text"]["zh-CN"] == "缺少了什么？"
    assert live["trigger"] == {"type": "dwell", "seconds": 45, "urls": ["/help/*"]}
    assert page.errors == []


def test_scale_end_labels_and_the_description_by_keyboard_then_in_the_widget(
    person: Page, db, site
):
    page = person
    page.goto(page.base + "/console/builder")
    type_into(page, "f-id", "likely")
    type_into(page, "f-description", "Asked on every page.")
    page.keyboard.press("Enter")  # a line break: a description may hold several lines
    page.keyboard.type("For the growth team.")
    type_into(page, "f-locales", "en, zh-CN, zh-TW")
    type_into(page, "f-questions-0-text-zh-TW", "您向朋友推薦我們的可能性有多大？")
    # The blank survey's question is an NPS one: its end labels are shown, side by side.
    expect(page.locator("#f-questions-0-labels-min-zh-TW")).to_be_visible()
    type_into(page, "f-questions-0-labels-min-en", "Not likely")
    type_into(page, "f-questions-0-labels-max-en", "Very likely")
    page.keyboard.press("Enter")  # Enter in a text field checks the form: the page comes back
    missing = page.locator("#f-questions-0-labels-max [data-missing]")
    expect(missing).to_have_count(2)  # English given: Chinese (simplified, traditional) missing
    expect(page.locator("#f-questions-0-labels-max-en")).to_have_value("Very likely")
    for cell, text in [
        ("min-zh-CN", "不太可能"),
        ("min-zh-TW", "不太可能"),
        ("max-zh-CN", "非常可能"),
        ("max-zh-TW", "非常可能"),
    ]:
        type_into(page, f"f-questions-0-labels-{cell}", text)
    # A type without a scale hides them; back to NPS shows them again.
    choose(page, "f-questions-0-type", "text")
    expect(page.locator("#f-questions-0-labels-min-en")).to_be_hidden()
    choose(page, "f-questions-0-type", "nps")
    expect(page.locator("#f-questions-0-labels-min-en")).to_be_visible()

    press_button(page, "publish")
    expect(page.get_by_role("status")).to_contain_text("Published “likely”, version 1.")
    live = surveys.get_survey(db, site, "likely").definition
    assert live["description"] == "Asked on every page.\nFor the growth team."
    assert live["questions"][0]["labels"] == {
        "min": {"en": "Not likely", "zh-CN": "不太可能", "zh-TW": "不太可能"},
        "max": {"en": "Very likely", "zh-CN": "非常可能", "zh-TW": "非常可能"},
    }

    # The real widget shows them, in each locale.
    for locale, low, high in [
        ("zh-CN", "不太可能", "非常可能"),
        ("en", "Not likely", "Very likely"),
    ]:
        page.goto(f"{page.base}/console/surveys/likely/preview?width=phone&locale={locale}")
        ends = page.frame_locator("iframe").locator("cxlisten-ui .survey .ends span")
        expect(ends).to_have_text([low, high])
    page.goto(page.base + "/console/surveys")
    expect(page.get_by_role("row", name="likely")).to_contain_text("For the growth team.")
    assert page.errors == []
