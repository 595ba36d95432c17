"""Screenshots of the widget and the intervention on the demo shop, for the README.

Taken from the real pages, on a desktop (1280 px) and a phone (360 px). They are written when
``CXLISTEN_SCREENSHOTS=1`` or when missing; either way each test checks the widget renders: in
the viewport, readable, not covering the whole page.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from collector.demo import start_demo
from tests.conftest import BROWSER_UA
from tests.demo.conftest import WEBDRIVER

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DEVICES = {
    "desktop": {"user_agent": BROWSER_UA, "viewport": {"width": 1280, "height": 800}},
    "phone": {
        "user_agent": PHONE_UA,
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("shots") / "demo.db")
    with start_demo(path, port=0, shop_port=0, snippet_attributes=WEBDRIVER) as running:
        yield running


def _open(page: Page, url: str) -> None:
    with page.expect_response(lambda r: "/v1/config" in r.url):
        page.goto(url)


def show_survey(page: Page, demo):
    """The zero-party survey on the home page, after its 3 seconds."""
    _open(page, demo.shop_url + "/")
    page.clock.run_for(4_000)
    card = page.locator("cxlisten-ui .survey")
    expect(card).to_contain_text("What brings you here today?")
    return card


def show_intervention(page: Page, demo):
    """'Need more help?' after 45 seconds on the payment step, with something in the cart."""
    page.goto(demo.shop_url + "/product/lamp")
    page.click("button[data-add=lamp]")
    _open(page, demo.shop_url + "/checkout/payment")
    page.clock.run_for(46_000)
    card = page.locator("cxlisten-ui .panel")
    expect(card).to_contain_text("Need more help?")
    return card


def png_size(path: Path) -> tuple[int, int]:
    """Return (width, height) from a PNG file's header."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize(
    ("what", "show"), [("survey", show_survey), ("intervention", show_intervention)]
)
def test_screenshot_of_the_widget_renders(browser, demo, device, what, show):
    options = DEVICES[device]
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.install()
        card = show(page, demo)
        page.wait_for_timeout(400)  # the card's entrance transition

        box = card.bounding_box()
        width, height = options["viewport"]["width"], options["viewport"]["height"]
        assert box and box["x"] >= 0 and box["y"] >= 0, box
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
        assert box["width"] >= min(280, width - 32), "the card is too narrow to read"
        assert box["height"] < height * 0.8, "the card hides the page"
        assert errors == []

        path = SHOTS / f"{what}-{device}.png"
        if os.environ.get("CXLISTEN_SCREENSHOTS") == "1" or not path.exists():
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path))
        scale = options.get("device_scale_factor", 1)
        assert png_size(path) == (width * scale, height * scale)
        assert path.stat().st_size > 10_000
    finally:
        context.close()
