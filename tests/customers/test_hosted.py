"""Hosted survey pages, links and QR codes; in real Chromium, answered by keyboard."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from cxlisten import surveys
from cxlisten.channels import channel_of
from cxlisten.cli import cli
from cxlisten.identity import deployment_secret
from cxlisten.storage import customers as link_store
from cxlisten.survey_links import PersonalLinks, survey_link
from tests.conftest import BROWSER_UA
from tests.customers.conftest import survey_definition

DIALOG = "cxlisten-ui section[role=dialog]"


@pytest.fixture
def delivery(db, site):
    return surveys.create_survey(
        db, site, survey_definition(id="delivery", trigger={"type": "event", "event": "never"})
    )


@pytest.fixture
def personal(db, site, app):
    """Make a personal link token for a customer, expiring at a given ms time."""
    links = PersonalLinks(app.extensions["cxlisten"].secret)
    return lambda customer, expires_at: links.issue(site, "delivery", customer, expires_at)


@pytest.mark.parametrize(
    ("url", "channel"),
    [
        ("https://cx.example/s/delivery?site=k&src=qr", "qr"),
        ("https://cx.example/s/delivery?src=EMAIL", "email"),
        ("https://cx.example/s/delivery", "link"),
        ("https://cx.example/s/delivery?src=bad%20name", "link"),
        ("https://cx.example/s/other?src=qr", "web"),
        ("https://shop.example/cart?src=qr", "web"),
    ],
)
def test_the_channel_comes_from_the_hosted_page(url, channel):
    assert channel_of(url, "delivery") == channel


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ({"src": "qr"}, 200, "What stopped you?"),
        ({"src": "no spaces"}, 400, "not a channel name"),
        ({"site": "cx_nope"}, 404, "does not exist or is closed"),
        ({"t": "p1.forged"}, 403, "This link is not valid"),
        ({"lang": "zh-CN", "t": "garbage"}, 403, "此链接无效"),
    ],
)
def test_refusals_are_readable_pages(client, delivery, query, status, text):
    r = client.get("/s/delivery", query_string=query)
    assert r.status_code == status
    assert r.content_type.startswith("text/html")
    if status == 200:
        assert b'data-site="' in r.data and b"sdk.js" in r.data
    else:
        assert text in r.get_data(as_text=True)


def test_an_inactive_survey_is_not_hosted(client, db, site, delivery):
    surveys.set_status(db, site, "delivery", "paused")
    assert client.get("/s/delivery").status_code == 404


def test_a_personal_link_links_a_fresh_visitor_to_its_customer(
    client, db, site, delivery, personal
):
    future = int(time.time() * 1000) + 86_400_000
    r = client.get("/s/delivery", query_string={"t": personal("cust-9", future)})
    assert r.status_code == 200
    [device] = link_store.visitors_of(db, site.id, "cust-9")
    assert device["via"] == "link"
    expired = client.get("/s/delivery", query_string={"t": personal("cust-9", 1)})
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    other = PersonalLinks("another secret").issue(site, "delivery", "cust-9", future)
    assert client.get("/s/delivery", query_string={"t": other}).status_code == 403
    assert len(link_store.visitors_of(db, site.id, "cust-9")) == 1  # refusals link nothing


def test_surveys_link_prints_the_link_and_writes_a_qr_code_that_decodes_to_it(
    db_path, db, site, delivery, tmp_path
):
    import zxingcpp
    from PIL import Image

    png = tmp_path / "delivery.png"
    r = CliRunner().invoke(
        cli,
        [
            "surveys",
            "link",
            "delivery",
            "--source",
            "qr",
            "--qr",
            str(png),
            "--db",
            db_path,
            "--url",
            "https://cx.example",
        ],
    )
    assert r.exit_code == 0, r.output
    link = r.stdout.strip()
    assert link == f"https://cx.example/s/delivery?site={site.key}&src=qr"
    [decoded] = zxingcpp.read_barcodes(Image.open(png))
    assert decoded.text == link and decoded.format == zxingcpp.BarcodeFormat.QRCode
    svg = tmp_path / "delivery.svg"
    r = CliRunner().invoke(
        cli, ["surveys", "link", "delivery", "--qr", str(svg), "--db", db_path, "--url", "http://x"]
    )
    assert r.exit_code == 0 and svg.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "no survey 'nope'"),
        (["delivery"], "give --url"),
        (["delivery", "--url", "x", "--source", "qr"], "invalid collector address"),
        (["delivery", "--url", "http://x", "--source", "a b"], "invalid source"),
        (["delivery", "--url", "http://x", "--qr", "x.gif"], "name a .svg or .png file"),
        (
            ["delivery", "--url", "http://x", "--customer", "c", "--expires", "soon"],
            "invalid duration",
        ),
    ],
)
def test_surveys_link_refuses_bad_input_in_one_line(
    db_path, db, delivery, args, message, monkeypatch
):
    monkeypatch.delenv("CXLISTEN_PUBLIC_URL", raising=False)
    r = CliRunner().invoke(cli, ["surveys", "link", *args, "--db", db_path])
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output


def test_a_personal_link_from_the_cli_verifies(db_path, db, site, delivery):
    r = CliRunner().invoke(
        cli,
        [
            "surveys",
            "link",
            "delivery",
            "--customer",
            "cust-9",
            "--expires",
            "14d",
            "--url",
            "http://x",
            "--db",
            db_path,
        ],
    )
    token = parse_qs(urlsplit(r.stdout.strip()).query)["t"][0]
    personal = PersonalLinks(deployment_secret(db, "")).read(token, site, "delivery")
    assert personal.customer == "cust-9"
    assert survey_link("http://x", site, "delivery", token=token) == r.stdout.strip()


# --- in Chromium ---------------------------------------------------------------------------------


def _loopback_only(context):
    """Abort every request to a host other than 127.0.0.1; let the snippet run under automation."""
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    # The snippet refuses to run under webdriver unless told (bots never answer surveys).
    context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")


def _wait_response(page, db, predicate, timeout=20.0):
    """Wait until the stored responses meet PREDICATE. The waits are Playwright's: the route of
    _loopback_only lets a request through only while the test is in a Playwright call, so a
    plain sleep would hold the widget's last POST until the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = db.execute(
            "SELECT r.id, r.status, r.channel, r.locale, r.visitor_id FROM responses r"
        ).fetchall()
        if predicate(rows):
            return rows
        page.wait_for_timeout(50)
    raise AssertionError(f"no such response: {rows}")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "question", "option"),
    [("zh-CN", "是什么阻止了您？", "价格"), ("en", "What stopped you?", "Price")],
)
def test_the_hosted_page_is_answered_by_keyboard(
    browser, live_server, db, site, delivery, lang, question, option
):
    context = browser.new_context(
        user_agent=BROWSER_UA,
        viewport={"width": 375, "height": 740},  # a phone
        locale=lang,
        has_touch=True,
    )
    _loopback_only(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/s/delivery?site={site.key}&src=qr&lang={lang}")
    dialog = page.locator(DIALOG)
    dialog.wait_for()
    assert question in dialog.inner_text()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # fits a phone's width
    expect(dialog.locator("input:focus")).to_have_count(1)
    page.keyboard.press("ArrowDown")  # the focus is on the first option: down to the second
    page.keyboard.press(" ")
    assert (
        option in dialog.locator("input:checked + *, label:has(input:checked)").first.inner_text()
    )
    _next_question(dialog)
    expect(dialog.locator("input[value='0']:focus")).to_have_count(1)  # typed keys land there
    for _ in range(9):  # the NPS question: focus on 0, nine steps right
        page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    expect(dialog.locator("input[value='9']:checked:focus")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("status")).to_be_visible()  # the thank-you
    [row] = _wait_response(page, db, lambda rows: rows and rows[0][1] == "complete")
    assert row[2] == "qr" and row[3] == lang
    answers = dict(
        db.execute("SELECT question, value FROM answers WHERE response_id = ?", [row[0]]).fetchall()
    )
    assert answers == {"reason": "price", "score": "9"}
    assert errors == []
    context.close()


def _next_question(dialog) -> None:
    """Press Enter and wait until the widget shows the next question (keys typed before would
    land on the old one on a busy machine)."""
    before = dialog.inner_text()
    dialog.page.keyboard.press("Enter")
    expect(dialog).not_to_have_text(before)


@pytest.mark.browser
def test_a_personal_links_answers_land_on_its_customer(
    browser, live_server, db, site, delivery, personal
):
    context = browser.new_context(user_agent=BROWSER_UA)
    _loopback_only(context)
    page = context.new_page()
    token = personal("cust-9", int(time.time() * 1000) + 86_400_000)
    page.goto(f"{live_server.url}/s/delivery?site={site.key}&src=email&t={token}&lang=en")
    dialog = page.locator(DIALOG)
    dialog.wait_for()
    expect(dialog.locator("input:focus")).to_have_count(1)  # typed keys land on the first option
    page.keyboard.press(" ")  # the first option: shipping
    expect(dialog.locator("input:checked")).to_have_count(1)
    _next_question(dialog)
    expect(dialog.locator("input[value='0']:focus")).to_have_count(1)
    page.keyboard.press("Enter")  # the score is optional: submit without it
    [row] = _wait_response(page, db, lambda rows: rows and rows[0][1] == "complete")
    assert row[2] == "email"
    assert link_store.linked(db, site.id, row[4]).customer_id == "cust-9"
    attrs = db.execute(
        "SELECT name, value FROM attributes WHERE visitor_id = ?", [row[4]]
    ).fetchall()
    assert attrs == [("checkout_blocker", "shipping")]
    # The same link again: the customer answered, so the page thanks them instead.
    page.goto(f"{live_server.url}/s/delivery?site={site.key}&src=email&t={token}&lang=en")
    assert "already answered" in page.inner_text("main")
    # An anonymous page on this browser afterwards is not the customer's.
    page.goto(f"{live_server.url}/s/delivery?site={site.key}&src=qr")
    page.locator(DIALOG).wait_for()
    stored = page.evaluate("localStorage.getItem('cxl_p')")
    assert stored is None
    context.close()


def test_the_hosted_page_renders_survey_texts_as_text(client, db, site):
    hostile = "<img src=x onerror=alert(1)>"
    surveys.create_survey(
        db,
        site,
        survey_definition(
            id="hostile",
            trigger={"type": "event", "event": "never"},
            texts={"title": {"en": hostile}},
        ),
    )
    page = client.get("/s/hostile").get_data(as_text=True)
    assert hostile not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
