"""The demo shop's customers: signing in on two devices (the shop's server signs the customer id
and the page calls cxlisten.identify), signing out (cxlisten.reset), and the delivery note's QR
code that opens the delivery survey's hosted page."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from werkzeug.test import Client

from collector.demo import SESSION_COOKIE, ShopApp, ShopBackend, start_demo
from cxlisten import customers
from cxlisten.demo import SHOP_DIR
from cxlisten.storage import customers as store
from cxlisten.storage.db import open_database
from tests.conftest import BROWSER_UA
from tests.demo.conftest import WEBDRIVER, wait_for

SECRET = "cxid_test-identity-secret"
LINK = "http://127.0.0.1:9123/s/delivery?site=cx_demo&src=qr"
IDENTIFY = re.compile(r'cxlisten\.identify\("([^"]+)", "([0-9a-f]{64})"\);')


@pytest.fixture
def shop():
    backend = ShopBackend(SECRET, "session-secret", LINK)
    return Client(ShopApp(SHOP_DIR, "http://127.0.0.1:9123", backend=backend))


def test_a_signed_in_page_identifies_with_the_shops_hmac_before_the_snippet(shop):
    assert not IDENTIFY.search(shop.get("/").get_data(as_text=True))  # nobody signed in
    signed = shop.post("/account/sign-in", data={"customer": "cust-ana"})
    assert signed.status_code == 303 and signed.headers["Location"] == "/account"
    page = shop.get("/cart").get_data(as_text=True)
    [(customer, signature)] = IDENTIFY.findall(page)
    assert customer == "cust-ana" and customers.verify(SECRET, "cust-ana", signature)
    # The stub (the call may run first) sits before the tag, in the head.
    assert (
        page.index('"identify","reset"') < page.index("cxlisten.identify(") < page.index("sdk.js")
    )
    assert "Signed in as <strong>Ana Lima</strong>" in shop.get("/account").get_data(as_text=True)


def test_signing_out_resets_on_the_next_page_only(shop):
    shop.post("/account/sign-in", data={"customer": "cust-ben"})
    shop.post("/account/sign-out")
    after = shop.get("/account").get_data(as_text=True)
    assert "cxlisten.reset();" in after and not IDENTIFY.search(after)
    assert "You are signed out." in after
    assert "cxlisten.reset();" not in shop.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("post", "status"),
    [
        ({"data": {"customer": "cust-mallory"}}, 400),
        ({"data": {"customer": "cust-ana"}, "headers": {"Origin": "https://evil.example"}}, 403),
    ],
)
def test_sign_in_refuses_unknown_customers_and_other_sites_forms(shop, post, status):
    assert shop.post("/account/sign-in", **post).status_code == status
    assert not IDENTIFY.search(shop.get("/").get_data(as_text=True))


def test_a_forged_session_cookie_identifies_nobody(shop):
    shop.set_cookie(SESSION_COOKIE, '"cust-ana".forged', domain="localhost")
    assert not IDENTIFY.search(shop.get("/").get_data(as_text=True))


def test_other_posts_are_still_refused(shop):
    assert shop.post("/checkout").status_code == 405


def test_the_delivery_note_shows_the_qr_code_of_the_delivery_link(shop):
    page = shop.get("/delivery-note").get_data(as_text=True)
    assert '<img src="/delivery-qr.svg"' in page and f'href="{LINK.replace("&", "&amp;")}"' in page
    svg = shop.get("/delivery-qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.lstrip().startswith(b"<?xml")


# -- the real demo in Chromium: a phone and a laptop, one customer ---------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("demo-customers") / "demo.db")
    with start_demo(path, port=0, shop_port=0, snippet_attributes=WEBDRIVER) as running:
        running.db = open_database(path)
        yield running


@pytest.fixture
def devices(browser, demo):
    made = []

    def make(**options) -> Page:
        context = browser.new_context(user_agent=BROWSER_UA, **options)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("http://127.0.0.1:")
                else route.abort()
            ),
        )
        made.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.clock.install()
        return page

    yield make
    for context in made:
        context.close()


def sign_in(page: Page, demo, name: str) -> None:
    with page.expect_response(lambda r: "/v1/identify" in r.url):
        page.goto(demo.shop_url + "/account")
        page.get_by_role("button", name=f"Sign in as {name}").click()
        expect(page.locator("#signed-in")).to_contain_text(name)


def home(page: Page, demo) -> None:
    with page.expect_response(lambda r: "/v1/config" in r.url):
        page.goto(demo.shop_url + "/")
    page.clock.run_for(4_000)  # past the home survey's 3 s dwell


def survey(page: Page):
    return page.locator("cxlisten-ui .survey")


@pytest.mark.browser
def test_one_customer_on_a_phone_and_a_laptop_then_signing_out(demo, devices):
    phone = devices(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    laptop = devices(viewport={"width": 1280, "height": 800})
    sign_in(phone, demo, "Ana Lima")
    home(phone, demo)
    expect(survey(phone)).to_contain_text("What brings you here today?")
    survey(phone).get_by_label("Checking on an order").check()
    with phone.expect_response(
        lambda r: "/v1/responses" in r.url and '"complete":true' in (r.request.post_data or "")
    ):
        survey(phone).get_by_role("button", name="Submit").click()

    sign_in(laptop, demo, "Ana Lima")
    home(laptop, demo)
    # Answered on the phone: not asked on the laptop, whose home page offers what follows it.
    slot = laptop.locator('[data-cxlisten-slot="home-offer"] cxlisten-ui .panel')
    expect(slot).to_contain_text("Where is my order?")
    expect(survey(laptop)).to_have_count(0)
    site_id = _site_id(demo)
    devices_of = wait_for(lambda: len(store.visitors_of(demo.db, site_id, "cust-ana")) == 2)
    assert devices_of

    laptop.goto(demo.shop_url + "/account")
    with laptop.expect_response(lambda r: "/v1/reset" in r.url):
        laptop.get_by_role("button", name="Sign out").click()
        expect(laptop.locator("#signed-out")).to_be_visible()
    home(laptop, demo)  # a stranger again: asked
    expect(survey(laptop)).to_contain_text("What brings you here today?")
    unlinked = [d for d in store.visitors_of(demo.db, site_id, "cust-ana") if d["unlinked_at"]]
    assert len(unlinked) == 1
    assert phone.errors == [] and laptop.errors == []


@pytest.mark.browser
def test_the_delivery_notes_qr_code_opens_the_delivery_survey(demo, devices):
    import zxingcpp
    from PIL import Image

    page = devices(viewport={"width": 800, "height": 900})
    page.goto(demo.shop_url + "/delivery-note")
    qr = page.locator("img[src='/delivery-qr.svg']")
    page.wait_for_function(
        "document.querySelector(\"img[src='/delivery-qr.svg']\").naturalWidth > 0"
    )
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert decoded.text == demo.delivery_link
    assert decoded.text.startswith(demo.collector_url + "/s/delivery?") and "src=qr" in decoded.text
    page.goto(decoded.text)
    expect(page.locator("cxlisten-ui section[role=dialog]")).to_contain_text(
        "How was your delivery?"
    )
    assert page.errors == []


def _site_id(demo) -> int:
    from cxlisten.storage import sites as site_store

    return site_store.site_by_key(demo.db, "cx_demo").id
