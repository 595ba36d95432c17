"""The demo end to end, in headless Chromium: what a newcomer clicks, and what the reports say.

Each test is a new visitor (a fresh browser profile) on one running demo. Long waits (45 s on a
help page) run on Playwright's fake clock, so the snippet's own timers decide, not the test.
"""

from __future__ import annotations

import csv
import json
import uuid

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from collector.demo import start_demo
from cxlisten.cli import cli
from cxlisten.storage.db import open_database
from tests.conftest import BROWSER_UA
from tests.demo.conftest import WEBDRIVER, wait_for

pytestmark = pytest.mark.browser

# The innermost focused element, through the widget's shadow root.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el ? {tag: el.tagName, type: el.type || null, value: el.value || null,
               text: (el.textContent || "").trim(), checked: !!el.checked} : null;
}"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo for the module, as `cxlisten demo --simulate 1000`; each test brings visitors."""
    path = str(tmp_path_factory.mktemp("e2e") / "demo.db")
    with start_demo(
        path, port=0, shop_port=0, simulate=1000, snippet_attributes=WEBDRIVER
    ) as running:
        yield running


@pytest.fixture
def new_visitor(browser):
    """Return a factory of pages, each in a fresh desktop browser profile (a new visitor)."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            user_agent=BROWSER_UA, viewport={"width": 1280, "height": 800}
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def goto(page: Page, url: str) -> None:
    """Open URL and wait until the snippet has asked the collector what applies there."""
    with page.expect_response(lambda r: "/v1/config" in r.url):
        page.goto(url)


def survey(page: Page):
    return page.locator("cxlisten-ui .survey")


def panel(page: Page):
    return page.locator("cxlisten-ui .panel")


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page: Page, wanted, limit: int = 60) -> dict:
    """Press Tab until the focused element satisfies WANTED (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now and wanted(now):
            return now
    raise AssertionError(f"Tab never reached the element; focus is on {focused(page)}")


def fill_the_cart_and_reach_checkout(page: Page, demo) -> None:
    page.goto(demo.shop_url + "/products")
    page.click("a[href='/product/lamp']")
    # Click only once the product page's own script is wired, not the page that is unloading.
    expect(page).to_have_url(demo.shop_url + "/product/lamp")
    page.locator("html[data-shop-ready]").wait_for(state="attached")
    page.click("button[data-add=lamp]")
    expect(page.locator(".cart-count")).to_have_text("1")
    page.click(".cart-link")
    expect(page.locator("table.lines")).to_contain_text("Tide desk lamp")
    with page.expect_response(lambda r: "/v1/config" in r.url):
        page.click("#to-checkout")
    expect(page).to_have_url(demo.shop_url + "/checkout")


def leave_through_the_top(page: Page) -> None:
    """Move the pointer out of the window at the top, as when reaching for the tab's close box."""
    page.mouse.move(640, 300)
    page.mouse.move(640, -20)


def answer_abandonment_by_keyboard(page: Page, note: str) -> None:
    """Answer the cart-abandonment survey with the keyboard alone: Tab, Space, arrows, Enter."""
    tab_until(page, lambda f: f["type"] == "radio")
    page.keyboard.press("Space")  # the first option: "Shipping cost"
    assert focused(page) == {**focused(page), "value": "shipping", "checked": True}
    page.keyboard.press("Enter")
    expect(survey(page)).to_contain_text("How easy was checking out, so far?")
    assert focused(page)["type"] == "radio"  # focus moved into the next question
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page) == {**focused(page), "value": "3", "checked": True}
    page.keyboard.press("Enter")
    expect(survey(page)).to_contain_text("Anything else we should know?")
    page.keyboard.type(note)
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Submit")
    page.keyboard.press("Enter")
    expect(survey(page)).to_contain_text("Thank")


def test_leaving_checkout_brings_the_abandonment_survey_answered_by_keyboard(demo, new_visitor):
    page = new_visitor()
    fill_the_cart_and_reach_checkout(page, demo)
    expect(survey(page)).to_have_count(0)
    leave_through_the_top(page)
    expect(survey(page)).to_contain_text("What stopped you from completing your order?")
    note = f"shipping more than the lamp {uuid.uuid4().hex[:8]}"
    answer_abandonment_by_keyboard(page, note)

    answers = wait_for(lambda: _answers_of(demo, "cart-abandon", "more", note))
    assert answers == {"reason": "shipping", "ease": "3", "more": note}
    assert page.errors == []


def test_a_long_visible_stay_on_help_offers_need_more_help_and_its_link_works(demo, new_visitor):
    page = new_visitor()
    page.clock.install()
    goto(page, demo.shop_url + "/help")
    page.clock.run_for(40_000)
    expect(page.locator("cxlisten-ui .panel:has-text('Need more help?')")).to_have_count(0)
    page.clock.run_for(6_000)
    offer = page.locator("cxlisten-ui .panel:has-text('Need more help?')")
    expect(offer).to_contain_text("Our team answers within minutes")
    offer.get_by_role("link", name="Chat with us").click()
    expect(page).to_have_url(demo.shop_url + "/help/contact")
    expect(page.locator("h1")).to_have_text("Contact us")
    wait_for(lambda: _intervention_actions(demo, "need-help") >= {"shown", "clicked"})


@pytest.mark.parametrize(
    ("answer", "offer", "link"),
    [
        ("Looking for a gift", "Gift ideas under $50", "/product/mug"),
        ("Checking on an order", "Where is my order?", "/help/article/delivery-times"),
        ("Just browsing", None, None),
    ],
)
def test_the_zero_party_answer_changes_the_home_page_on_the_next_visit(
    demo, new_visitor, answer, offer, link
):
    page = new_visitor()
    page.clock.install()
    goto(page, demo.shop_url + "/")
    expect(panel(page)).to_have_count(0)  # a first visit: the home page offers nothing special
    page.clock.run_for(4_000)
    expect(survey(page)).to_contain_text("What brings you here today?")
    survey(page).get_by_label(answer).check()
    with page.expect_response(_final_answer):  # stored before the visitor leaves
        survey(page).get_by_role("button", name="Submit").click()
    expect(survey(page)).to_contain_text("Thanks!")

    if offer is None:
        page.wait_for_timeout(500)
        expect(panel(page)).to_have_count(0)
    else:  # at once, from the reply to the answer
        expect(panel(page)).to_contain_text(offer)

    page.close()
    page = page.context.new_page()  # the same visitor comes back...
    page.clock.fast_forward("31:00")  # ...on another visit: a session ends after 30 idle minutes
    goto(page, demo.shop_url + "/")
    page.wait_for_timeout(500)  # time for the widget to load, if anything is to be shown
    expect(survey(page)).to_have_count(0)  # asked once, never again
    if offer is None:
        expect(panel(page)).to_have_count(0)
        return
    # Inside the home page's own offer area, in place of its default content; not a pop-up.
    in_slot = page.locator('[data-cxlisten-slot="home-offer"] cxlisten-ui .panel')
    expect(in_slot).to_contain_text(offer)
    expect(in_slot.get_by_role("link")).to_have_attribute("href", demo.shop_url + link)
    expect(panel(page)).to_have_count(1)


def test_track_lists_checkout_among_problem_journeys_and_the_csv_holds_the_answers(
    demo, new_visitor, tmp_path
):
    before = _journey(_track(demo), "checkout")
    page = new_visitor()
    fill_the_cart_and_reach_checkout(page, demo)
    leave_through_the_top(page)
    note = f"too slow {uuid.uuid4().hex[:8]}"
    answer_abandonment_by_keyboard(page, note)
    wait_for(lambda: _answers_of(demo, "cart-abandon", "more", note))

    report = _track(demo)
    assert "checkout" in [j["name"] for j in report["problems"]]
    checkout = _journey(report, "checkout")
    assert checkout["sessions"] == before["sessions"] + 1  # this visitor's session counts too
    assert checkout["problem"]["failing_step"] == "/checkout/payment"
    printed = CliRunner().invoke(cli, ["track", "--db", demo.summary.db_path]).output
    assert "checkout" in printed.split("Most problematic journeys", 1)[1]

    out = tmp_path / "responses.csv"
    result = CliRunner().invoke(
        cli, ["export", "responses", "--db", demo.summary.db_path, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as f:
        mine = [row for row in csv.DictReader(f) if row["cart-abandon.more"] == note]
    assert len(mine) == 1
    assert mine[0]["cart-abandon.reason"] == "shipping"
    assert mine[0]["cart-abandon.ease"] == "3"
    assert mine[0]["path"] == "/checkout"
    assert mine[0]["completed"]


def _track(demo) -> dict:
    result = CliRunner().invoke(cli, ["track", "--db", demo.summary.db_path, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _journey(report: dict, name: str) -> dict:
    return next(j for j in report["journeys"] if j["name"] == name)


def _final_answer(response) -> bool:
    """Whether RESPONSE answers the POST /v1/responses that completes a survey."""
    request = response.request
    return "/v1/responses" in response.url and '"complete":true' in (request.post_data or "")


def _answers_of(demo, survey_id: str, question: str, value: str) -> dict | None:
    """Return the answers of the complete SURVEY_ID response whose QUESTION says VALUE."""
    db = open_database(demo.summary.db_path)
    row = db.execute(
        "SELECT r.id FROM responses r JOIN answers a ON a.response_id = r.id "
        "WHERE r.survey = ? AND r.status = 'complete' AND a.question = ? AND a.value = ?",
        [survey_id, question, value],
    ).fetchone()
    if row is None:
        return None
    return {
        q: v if n is None else str(int(n))
        for q, v, n in db.execute(
            "SELECT question, value, number FROM answers WHERE response_id = ?", [row[0]]
        )
    }


def _intervention_actions(demo, intervention: str) -> set[str]:
    """Return the actions (shown, clicked, dismissed) recorded for INTERVENTION."""
    db = open_database(demo.summary.db_path)
    return {
        r[0]
        for r in db.execute(
            "SELECT action FROM events WHERE kind = 'intervention' AND name = ?",
            [intervention],
        )
    }
