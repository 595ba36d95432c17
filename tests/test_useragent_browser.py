"""Client Hints from real Chromium reach the collector and decide the device class over the string.

Chromium sends ``Sec-CH-UA-Mobile`` and ``Sec-CH-UA-Platform`` with every request to a secure
origin (127.0.0.1 is one), the snippet's collects included, and reports the same values to
the page as ``navigator.userAgentData``. A browser told to send another User-Agent string (a
"request mobile site" switch, a privacy extension, a test tool) still reports its hints.
"""

from __future__ import annotations

import json

import pytest

from cxlisten.useragent import describe
from tests.browser.snippet_fixtures import (  # noqa: F401
    new_context,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

# A phone's User-Agent string: alone, it is a phone.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    "is_mobile, hint, kind",
    [
        (False, "?0", "tablet"),  # an Android browser that says it is not mobile: a tablet
        (True, "?1", "mobile"),
    ],
)
def test_client_hints_arrive_and_decide_the_device(browser, snippet, is_mobile, hint, kind):
    assert describe(PHONE_UA).kind == "mobile"
    ctx = new_context(browser, user_agent=PHONE_UA, is_mobile=is_mobile, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(snippet.url())
        snippet.wait_count("pageview", 1)
        hints = page.evaluate("navigator.userAgentData.toJSON()")
    finally:
        ctx.close()
    assert (hints["mobile"], hints["platform"]) == (is_mobile, "Android")
    [collect, *_] = snippet.recorder.collects()
    assert collect.headers["sec-ch-ua-mobile"] == hint
    assert collect.headers["sec-ch-ua-platform"] == '"Android"'
    sessions = snippet.db.execute(
        "SELECT device FROM sessions WHERE site_id = ?", [snippet.site.id]
    ).fetchall()
    assert sessions == [(kind,)]


# Chrome's frozen Android string without "Mobile": alone, a tablet.
FROZEN_UA = PHONE_UA.replace(" Mobile ", " ")


def _without_client_hints(route):
    # A proxy in front of the collector that drops the Sec-CH-UA headers: Playwright sends the
    # request on itself (Chromium would add the hints again to a request it continues).
    headers = {k: v for k, v in route.request.headers.items() if not k.startswith("sec-ch-ua")}
    route.fulfill(response=route.fetch(headers=headers))


def test_the_pages_user_agent_data_decides_where_the_headers_are_dropped(browser, snippet):
    assert describe(FROZEN_UA).kind == "tablet"
    ctx = new_context(browser, user_agent=FROZEN_UA, is_mobile=True, has_touch=True)
    ctx.route(f"{snippet.collector}/v1/collect", _without_client_hints)
    try:
        page = ctx.new_page()
        page.goto(snippet.url())
        snippet.wait_count("pageview", 1)
        hints = page.evaluate("navigator.userAgentData.toJSON()")
    finally:
        ctx.close()
    assert (hints["mobile"], hints["platform"]) == (True, "Android")
    [collect, *_] = snippet.recorder.collects()
    assert not [h for h in collect.headers if h.startswith("sec-ch-ua")]
    sent = json.loads(collect.body)["ua"]
    assert (sent["mobile"], sent["platform"]) == (True, "Android")
    assert {"brand", "version"} <= set(sent["brands"][0])
    sessions = snippet.db.execute(
        "SELECT device FROM sessions WHERE site_id = ?", [snippet.site.id]
    ).fetchall()
    assert sessions == [("mobile",)]
