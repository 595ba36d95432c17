"""The survey widget: every question type answered by keyboard only, partial answers, dismissal."""

from __future__ import annotations

import pytest

from tests.browser.snippet_fixtures import sdk_ready, snippet_fixture, snippet_servers_fixture  # noqa: F401

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"


def open_survey(page, snippet, questions, **fields):
    """Create a survey, open the page and show it with cxlisten.show (focus moves into it)."""
    snippet.survey(
        "kbd", questions=questions, trigger={"type": "event", "event": "never"}, **fields
    )
    page.goto(snippet.url())
    snippet.wait_config(page)
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
        (
            q("o", "single", options=OPTIONS, other=True),
            ["ArrowUp", *"too slow"],
            {"value": "other", "other": "too slow"},
        ),
        (q("t", "text", max_length=50), [*"Faster delivery"], {"value": "Faster delivery"}),
    ],
    ids=["nps", "csat", "ces", "rating", "single", "multi", "other", "text"],
)
def test_each_question_type_is_answered_by_keyboard_only(page, snippet, question, keys, value):
    open_survey(page, snippet, [question])
    if question["type"] == "text":
        assert page.locator(f"{DIALOG} textarea").get_attribute("maxlength") == "50"  # capped
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


FLOW = [
    q("reason", "single", options=OPTIONS, branch=[{"when": {"in": ["price"]}, "goto": "more"}]),
    q("ease", "csat"),
    q("more", "text", required=False, max_length=200),
]


def answers(response) -> dict:
    return {
        a["question"]: a["number"] if a["number"] is not None else a["value"]
        for a in response["answers"]
    }


def test_one_question_at_a_time_with_progress_back_skip_and_partial_answers(page, snippet):
    open_survey(page, snippet, FLOW)
    dialog = page.locator(DIALOG)
    assert dialog.locator(".count").inner_text() == "1 / 3"
    assert dialog.get_by_role("progressbar").get_attribute("aria-valuenow") == "1"
    assert dialog.get_by_role("button", name="Back").count() == 0
    assert dialog.get_by_role("button", name="Skip").count() == 0  # required
    dialog.get_by_role("button", name="Next").click()  # nothing chosen yet
    assert dialog.get_by_role("alert").inner_text() == "Please answer this question."
    dialog.get_by_role("radio", name="Shipping").check()
    dialog.get_by_role("button", name="Next").click()
    # The first answer is stored at once, as a partial response.
    [partial] = snippet.wait_response(lambda r: r and r[0]["answers"])
    assert (partial["status"], answers(partial)) == ("partial", {"reason": "shipping"})
    assert dialog.locator(".count").inner_text() == "2 / 3"
    dialog.get_by_role("button", name="Back").click()
    assert dialog.get_by_role("radio", name="Shipping").is_checked()  # kept
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("radio", name="4").check()
    dialog.get_by_role("button", name="Next").click()
    assert dialog.locator(".count").inner_text() == "3 / 3"
    dialog.get_by_role("button", name="Skip").click()  # optional
    [done] = snippet.wait_response(lambda r: r and r[0]["status"] == "complete")
    assert answers(done) == {"reason": "shipping", "ease": 4}
    assert done["response"] == partial["response"]  # one response, upserted
    events = snippet.wait(
        lambda ev: sum(e.get("action") == "answered" for e in ev) >= 3, kind="survey"
    )
    assert [(e["action"], e["question"]) for e in events] == [
        ("shown", None),
        ("answered", "reason"),
        ("answered", "reason"),
        ("answered", "ease"),
    ]
    assert page.errors == []


def test_branching_skips_to_the_question_named(page, snippet):
    open_survey(page, snippet, FLOW)
    dialog = page.locator(DIALOG)
    dialog.get_by_role("radio", name="Price").check()
    dialog.get_by_role("button", name="Next").click()
    assert dialog.get_by_role("textbox").is_visible()  # "more", not "ease"
    assert dialog.locator(".count").inner_text() == "2 / 3"
    dialog.get_by_role("textbox").fill("Cheaper please")
    dialog.get_by_role("button", name="Submit").click()
    [done] = snippet.wait_response(lambda r: r and r[0]["status"] == "complete")
    assert answers(done) == {"reason": "price", "more": "Cheaper please"}


@pytest.mark.parametrize("how", ["close button", "Escape"])
def test_closing_is_recorded_as_dismissed_and_keeps_the_partial_answers(page, snippet, how):
    open_survey(page, snippet, FLOW)
    dialog = page.locator(DIALOG)
    dialog.get_by_role("radio", name="Payment").check()
    dialog.get_by_role("button", name="Next").click()
    if how == "Escape":
        page.keyboard.press("Escape")
    else:
        dialog.get_by_role("button", name="Close").click()
    assert page.locator("cxlisten-ui").count() == 0
    events = snippet.wait(lambda ev: any(e["action"] == "dismissed" for e in ev), kind="survey")
    assert (events[-1]["action"], events[-1]["question"]) == ("dismissed", "ease")
    [partial] = snippet.wait_response(lambda r: r and r[0]["answers"])
    assert (partial["status"], answers(partial)) == ("partial", {"reason": "payment"})


def test_a_survey_that_pops_up_is_reached_with_tab_and_does_not_steal_focus(page, snippet):
    snippet.survey("popup", questions=[q("n", "nps")])
    page.goto(snippet.url())
    page.locator(DIALOG).wait_for()
    assert page.evaluate("document.activeElement === document.body")
    assert page.locator(f"{DIALOG} [aria-live=polite]").count() == 1
    page.keyboard.press("Tab")  # the page has nothing focusable: Tab enters the widget
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    [done] = snippet.wait_response(lambda r: r and r[0]["status"] == "complete")
    assert answers(done) == {"n": 1}


SCORE_BRANCHES = [
    q(
        "score",
        "nps",
        branch=[
            {"when": {"min": 0, "max": 6}, "goto": "low"},
            {"when": {"equals": 10}, "goto": "end"},
        ],
    ),
    q("mid", "text", required=False),
    q("low", "text", required=False),
]


@pytest.mark.parametrize(
    ("score", "next_question"),
    [("3", "Question low?"), ("6", "Question low?"), ("8", "Question mid?"), ("10", None)],
)
def test_branches_on_score_ranges_and_values(page, snippet, score, next_question):
    open_survey(page, snippet, SCORE_BRANCHES)
    dialog = page.locator(DIALOG)
    dialog.get_by_role("radio", name=score, exact=False).first.check()
    dialog.get_by_role("button", name="Next").click()
    if next_question:
        assert dialog.locator("label.q").inner_text() == next_question
    else:
        assert dialog.get_by_role("status").inner_text() == "Thank you!"
