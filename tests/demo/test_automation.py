"""``cxlisten demo --allow-automation``: a scripted browser with a headless User-Agent meets the
demo's surveys, and is counted as a visitor, not a bot, on the demo's site only."""

from __future__ import annotations

import re

import pytest

from collector.demo import start_demo
from cxlisten.browser_request import BrowserRequest
from cxlisten.useragent import describe_request
from tests.demo.conftest import wait_for

pytestmark = pytest.mark.browser

HEADLESS_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/126.0.0.0 Safari/537.36"
)


def test_a_headless_browser_is_a_bot_unless_the_site_allows_automation():
    request = BrowserRequest(body=b"", user_agent=HEADLESS_UA)
    assert describe_request(request).is_bot
    assert not describe_request(request, allow_automation=True).is_bot
    crawler = BrowserRequest(body=b"", user_agent="Mozilla/5.0 (compatible; Bytespider)")
    assert describe_request(crawler, allow_automation=True).is_bot  # crawlers stay bots


@pytest.mark.parametrize("allowed", [True, False], ids=["allowed", "default"])
def test_the_demo_surveys_a_scripted_browser_only_when_asked(browser, tmp_path, allowed):
    path = str(tmp_path / "demo.db")
    with start_demo(path, port=0, shop_port=0, allow_automation=allowed) as demo:
        context = browser.new_context(user_agent=HEADLESS_UA)  # what Playwright sends headless
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda r: r.abort())
        try:
            page = context.new_page()
            if allowed:
                with page.expect_response(lambda r: "/v1/config" in r.url) as config:
                    page.goto(demo.shop_url + "/")
                reply = config.value.json()
                assert "what-brings-you" in [s["id"] for s in reply["surveys"]]
            else:
                # The snippet sees navigator.webdriver and sends nothing, saying why (data-debug).
                said = []
                page.on("console", lambda m: said.append(m.text))
                page.goto(demo.shop_url + "/")
                page.wait_for_function("() => window.cxlisten && window.cxlisten.v")
                page.evaluate("() => { cxlisten.debug(true); cxlisten.track('probe'); }")
                wait_for(
                    lambda: [line for line in said if "not sent" in line and "webdriver" in line]
                )
        finally:
            context.close()
