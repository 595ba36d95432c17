"""The customers and channels console pages in real Chromium: reached from the navigation and the
results page, a personal link made by keyboard-reachable forms, its QR code shown (an <img> the
console's CSP lets load) and downloaded, decoding to the link; no serious axe violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console.test_quality import serious

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(browser, live_server, keys, request):
    """A page signed in with the shop's key (CSP bypassed only where axe is injected)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=getattr(request, "param", "") == "axe"
    )
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
    page.get_by_label("Admin key").fill(keys["a"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    page.base = live_server.url
    yield page
    context.close()


def test_from_the_nav_to_a_customer_a_personal_link_and_its_qr_code(signed_in, customer, tmp_path):
    import zxingcpp
    from PIL import Image

    page = signed_in
    page.get_by_role("navigation").get_by_role("link", name="Customers").click()
    page.get_by_label("Customer id starts with").fill("cust")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="cust-42").click()
    expect(page.get_by_role("heading", name="Customer cust-42")).to_be_visible()
    expect(page.locator("table.devices tbody tr")).to_have_count(2)
    expect(page.locator('table.attributes tr[data-attribute="checkout_blocker"]')).to_contain_text(
        "price"
    )

    page.get_by_label("A personal link expires after").fill("3d")
    page.get_by_role("button", name="Make the link").click()
    expect(
        page.get_by_role("heading", name="A personal link for cust-42 (valid 3d)")
    ).to_be_visible()
    link = page.get_by_label("Address").input_value()
    assert "/s/cart?" in link and "src=email" in link and "t=p1." in link
    qr = page.locator("img[data-qr]")
    expect(qr).to_be_visible()
    page.wait_for_function("document.querySelector('img[data-qr]').naturalWidth > 0")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the QR code (PNG)").click()
    assert download.value.suggested_filename == "cart-personal.png"
    png = tmp_path / "qr.png"
    download.value.save_as(png)
    [decoded] = zxingcpp.read_barcodes(Image.open(png))
    assert decoded.text == link
    assert page.errors == []


def test_the_results_page_leads_to_the_split_by_channel(signed_in, site, customer):
    page, key = signed_in, site.key
    page.goto(page.base + "/console/surveys/cart/results")
    page.get_by_role("link", name="Channels and links").click()
    expect(page.get_by_role("heading", name="Results by channel")).to_be_visible()
    expect(page.locator('table.channels tr[data-channel="qr"]')).to_contain_text("QR code")
    expect(page.locator('table.channels tr[data-channel="web"]')).to_contain_text("web intercept")
    page.get_by_label("Source (channel)").fill("qr")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_label("Address")).to_have_value(f"{page.base}/s/cart?site={key}&src=qr")
    page.get_by_label("Source (channel)").fill("not a name")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("alert")).to_contain_text("The link could not be made")
    expect(page.get_by_label("Source (channel)")).to_have_attribute("aria-invalid", "true")
    assert page.errors == []


PAGES = {
    "customers": "/console/customers",
    "customer": "/console/customers/cust-42",
    "channels": "/console/surveys/cart/channels",
    "links": "/console/links",
}


@pytest.mark.parametrize("signed_in", ["axe"], indirect=True)
def test_no_serious_accessibility_violation(signed_in, customer):
    page = signed_in
    for name, path in PAGES.items():
        page.goto(page.base + path)
        page.wait_for_load_state("load")
        assert serious(page) == [], name
    page.goto(page.base + "/console/customers/cust-42")
    page.get_by_role("button", name="Make the link").click()
    expect(page.locator("img[data-qr]")).to_be_visible()
    assert serious(page) == [], "made link"
    assert page.errors == []
