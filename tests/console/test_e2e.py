"""The console end to end in Chromium, on the running demo: sign in, build a three-question survey
with a branch in English and Chinese, preview it at phone width in zh-CN (nothing stored),
publish it, let a visitor in another browser profile answer it on the shop, read the answer in
the results' chart, table and themes."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from collector.demo import start_demo
from tests.conftest import BROWSER_UA
from tests.demo.conftest import WEBDRIVER, wait_for

pytestmark = pytest.mark.browser

SURVEY = {
    "id": "size-help",
    "name": "Finding your size",
    "phase": "deepdive",
    "priority": 50,
    "trigger": {"type": "pageview", "urls": ["/welcome*"]},
    "default_locale": "en",
    "locales": ["en", "zh-CN"],
    "texts": {"title": {"en": "Quick question", "zh-CN": "快速提问"}},
    "questions": [
        {
            "id": "found",
            "type": "single",
            "text": {"en": "Did you find your size?", "zh-CN": "您找到合适的尺码了吗？"},
            "options": [
                {"code": "yes", "label": {"en": "Yes", "zh-CN": "是"}},
                {"code": "no", "label": {"en": "No", "zh-CN": "否"}},
            ],
            "branch": [{"when": {"equals": "yes"}, "goto": "rating"}],
        },
        {
            "id": "why",
            "type": "text",
            "required": False,
            "text": {"en": "What was missing?", "zh-CN": "缺少了什么？"},
        },
        {
            "id": "rating",
            "type": "csat",
            "text": {"en": "How satisfied are you with the shop?", "zh-CN": "您对本店满意吗？"},
        },
    ],
}
QUOTE = "找不到尺码表 size chart missing"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("console") / "demo.db")
    with start_demo(path, port=0, shop_port=0, snippet_attributes=WEBDRIVER) as running:
        yield running


def loopback_only(context, *allowed: str) -> None:
    """Abort every request that leaves 127.0.0.1 (the pages must not need one)."""
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort(),
    )


@pytest.fixture
def person(browser, demo):
    """A product team member's browser, signed in to the console."""
    context = browser.new_context(
        user_agent=BROWSER_UA, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    loopback_only(context, demo.collector_url)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(demo.collector_url + "/console/")
    page.get_by_label("Admin key").fill(demo.summary.admin_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    yield page
    context.close()


def db_count(demo, sql: str, *args) -> int:
    from cxlisten.storage.db import open_database

    db = open_database(demo.summary.db_path)
    try:
        return db.execute(sql, args).fetchone()[0]
    finally:
        db.conn.close()


def test_build_preview_publish_answer_read(person: Page, demo, browser):
    page = person
    page.get_by_role("link", name="New survey").first.click()
    page.get_by_role("link", name="Advanced: edit as JSON").click()
    editor = page.get_by_label("The survey as JSON")

    # Every error at once, each with its field, as the API would say it.
    broken = json.loads(json.dumps(SURVEY))
    broken["questions"][0]["branch"][0]["goto"] = "nowhere"
    broken["questions"][2]["type"] = "stars"
    editor.fill(json.dumps(broken, ensure_ascii=False, indent=2))
    errors = page.locator("#checks table.errors")
    expect(errors.locator('tr[data-field="questions[0].branch[0].goto"]')).to_be_visible()
    expect(errors.locator('tr[data-field="questions[2].type"]')).to_be_visible()

    editor.fill(json.dumps(SURVEY, ensure_ascii=False, indent=2))
    expect(page.locator("#checks")).to_contain_text("No errors: ready to publish.")
    expect(page.locator('[data-words="trigger"]')).to_have_text("on viewing /welcome*")
    expect(page.locator("[data-version-note]")).to_contain_text("creates “size-help” at version 1")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    assert db_count(demo, "SELECT COUNT(*) FROM surveys WHERE slug = 'size-help'") == 0

    # Preview at phone width in zh-CN: the real widget, the branch walked, nothing stored.
    page.get_by_role("link", name="Preview").click()
    page.get_by_label("Width").select_option("phone")
    page.get_by_label("Survey language").select_option("zh-CN")
    page.get_by_role("button", name="Show").click()
    frame_el = page.locator("iframe")
    # An opaque origin (no allow-same-origin): no cookie or storage of the console.
    assert frame_el.get_attribute("sandbox") == "allow-scripts allow-forms"
    assert frame_el.bounding_box()["width"] <= 380
    card = page.frame_locator("iframe").locator("cxlisten-ui .survey")
    expect(card.get_by_role("heading")).to_have_text("快速提问")
    expect(card.locator("legend")).to_have_text("您找到合适的尺码了吗？")
    card.get_by_text("是", exact=True).click()
    card.get_by_role("button", name="下一步").click()
    expect(card.locator("legend")).to_have_text("您对本店满意吗？")  # the branch skipped "why"
    card.locator("label.pt", has_text="4").click()
    card.get_by_role("button", name="提交").click()
    expect(card).to_contain_text("谢谢")
    assert db_count(demo, "SELECT COUNT(*) FROM responses WHERE survey = 'size-help'") == 0
    assert db_count(demo, "SELECT COUNT(*) FROM events WHERE name = 'size-help'") == 0

    # Publish from the form (the draft typed as JSON fills its fields): live at version 1.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Question id").nth(2)).to_have_value("rating")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published “size-help”, version 1.")

    # A visitor meets it on the shop and answers it.
    visitor_context = browser.new_context(
        user_agent=BROWSER_UA, viewport={"width": 1280, "height": 800}
    )
    loopback_only(visitor_context, demo.collector_url, demo.shop_url)
    visitor = visitor_context.new_page()
    visitor.goto(demo.shop_url + "/welcome")
    survey = visitor.locator("cxlisten-ui .survey")
    expect(survey.locator("legend")).to_have_text("Did you find your size?")
    survey.get_by_text("No", exact=True).click()
    survey.get_by_role("button", name="Next").click()
    survey.locator("textarea").fill(QUOTE)
    survey.get_by_role("button", name="Next").click()
    survey.locator("label.pt", has_text="2").click()
    survey.get_by_role("button", name="Submit").click()
    expect(survey).to_contain_text("Thank you")
    wait_for(
        lambda: (
            db_count(
                demo,
                "SELECT COUNT(*) FROM responses WHERE survey = 'size-help' AND status = 'complete'",
            )
            == 1
        )
    )
    visitor_context.close()

    # The answer in the results: the chart, its table, the themes, the responses.
    page.goto(demo.collector_url + "/console/surveys/size-help/results")
    expect(page.locator("[data-counts]")).to_contain_text("1 responses in all · 1 under these")
    found = page.locator('article[data-question="found"]')
    expect(found.locator("[data-chart=bars] canvas")).to_have_count(1)
    row = found.locator("table[data-table=found] tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th, td")).to_have_text(["No", "1", "100%", "Only “No”"])
    expect(page.locator("table.themes").first).to_contain_text(QUOTE)
    expect(page.locator("table.responses")).to_contain_text(QUOTE)
    # One filter drives every view: "Yes" leaves nothing anywhere on the page.
    page.goto(demo.collector_url + "/console/surveys/size-help/results?answer=found:yes")
    expect(page.locator("[data-counts]")).to_contain_text("1 responses in all · 0 under these")
    expect(page.locator("table.responses tbody tr")).to_have_count(0)
    expect(page.locator("#themes-h + p")).to_have_text("No open answers yet.")
    # Clicking "Only “No”" in the chart's table filters the page to it.
    page.goto(demo.collector_url + "/console/surveys/size-help/results")
    page.get_by_role("link", name="Only “No”").click()
    expect(page.locator(".filters .notice")).to_contain_text("found")
    expect(page.locator("table.responses tbody tr")).to_have_count(1)
    assert page.errors == []


def test_text_typed_before_the_script_ran_is_still_checked(person: Page):
    """A slow connection: the person types in the JSON view before console.js has run; its live
    check is asked for once the script starts (htmx alone takes that text as unchanged)."""
    page = person
    page.get_by_role("link", name="New survey").first.click()
    json_view = page.get_by_role("link", name="Advanced: edit as JSON")
    json_view.wait_for()
    held = []  # the JSON view's console.js request, answered once the text is typed
    page.context.route("**/console.js", lambda route: held.append(route))
    json_view.click(no_wait_after=True)
    broken = json.loads(json.dumps(SURVEY))
    broken["questions"][2]["type"] = "stars"
    page.get_by_label("The survey as JSON").fill(json.dumps(broken))
    expect(page.locator("#checks table.errors")).to_have_count(0)  # nothing has checked it yet
    for _ in range(400):  # Playwright hands the route to this thread between its calls
        if held:
            break
        page.wait_for_timeout(20)
    held.pop().continue_()
    errors = page.locator("#checks table.errors")
    expect(errors.locator('tr[data-field="questions[2].type"]')).to_be_visible()
    assert page.errors == []
