"""Screenshots of the console (surveys, builder, preview, results) from the running demo, for
docs/console.md and the README.

Written when ``CXLISTEN_SCREENSHOTS=1`` or when missing; either way each test checks the page
renders in Chromium: no page error, no horizontal overflow of the page at desktop width, and
the part the screenshot is about on screen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from collector.demo import start_demo
from tests.conftest import BROWSER_UA
from tests.demo.test_screenshots import png_size

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900
PAGES = {
    "console-surveys": ("/console/surveys", "table.surveys"),
    "console-builder": ("/console/surveys/cart-abandon/edit", "#checks"),
    "console-preview": ("/console/surveys/cart-abandon/preview?width=phone&locale=zh-CN", "iframe"),
    "console-results": ("/console/surveys/cart-abandon/results", "[data-chart=bars] canvas"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("console-shots") / "demo.db")
    with start_demo(path, port=0, shop_port=0, simulate=300) as running:
        yield running


@pytest.mark.parametrize("name", PAGES)
def test_screenshot_of_the_console(browser, demo, name):
    path_part, focus = PAGES[name]
    context = browser.new_context(
        user_agent=BROWSER_UA, viewport={"width": WIDTH, "height": HEIGHT}
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(demo.collector_url) else route.abort()
        ),
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(demo.collector_url + "/console/sign-in")
        page.get_by_label("Admin key").fill(demo.summary.admin_key)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
        page.goto(demo.collector_url + path_part)
        expect(page.locator(focus).first).to_be_visible()
        if name == "console-preview":
            card = page.frame_locator("iframe").locator("cxlisten-ui .survey")
            expect(card.locator("legend")).to_have_text("是什么让您没有完成订单？")
            page.wait_for_timeout(400)  # the card's entrance transition
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert errors == []
        shot = SHOTS / f"{name}.png"
        if os.environ.get("CXLISTEN_SCREENSHOTS") == "1" or not shot.exists():
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
        assert png_size(shot) == (WIDTH, HEIGHT)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
