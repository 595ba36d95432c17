"""Customers and channels in the console (collector/console/customers.py): the customers list, a
customer's devices and profile, results by channel, and survey links with their QR codes."""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from cxlisten import surveys
from cxlisten.survey_links import PersonalLinks
from tests.console.conftest import Console
from tests.customers.conftest import survey_definition


@pytest.fixture
def console(client, keys):
    signed = Console(client)
    signed.sign_in(keys["a"])
    return signed


def text(reply) -> str:
    return reply.get_data(as_text=True)


def download(page: str, kind: str) -> dict:
    """The QR code download link of KIND on PAGE: its file name and bytes (a data: URI)."""
    [(name, data)] = re.findall(
        rf'download="([^"]+)" href="data:[^;]+;base64,([^"]+)" data-download="{kind}"', page
    )
    return {"name": name, "data": base64.b64decode(data)}


def cells(page: str, table: str) -> list[list[str]]:
    """The rows of TABLE (its class) as lists of cell texts, tags stripped."""
    body = re.search(rf'<table class="{table}">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_the_customers_list_finds_a_customer_by_the_start_of_the_id(console, customer):
    page = text(console.get("/console/customers"))
    assert 'href="/console/customers"' in page  # the nav link
    [row] = cells(page, "customers")
    assert row[0] == "cust-42" and row[1] == "2 linked of 2"
    assert cells(text(console.get("/console/customers?q=cust-4")), "customers")[0][0] == "cust-42"
    nobody = text(console.get("/console/customers?q=zzz"))
    assert "No customers found." in nobody and 'class="customers"' not in nobody


def test_a_customers_page_shows_its_devices_profile_responses_by_channel_and_orders(
    console, customer
):
    reply = console.get("/console/customers/cust-42")
    assert reply.status_code == 200
    page = text(reply)
    devices = cells(page, "devices")
    assert len(devices) == 2
    assert all(d[1] == "signed in (identify)" and d[3] == "still linked" for d in devices)
    [blocker] = cells(page, "attributes")
    assert blocker[:2] == ["checkout_blocker", "price"]  # the newest answer wins
    history = cells(page, "history")
    assert [h[1] for h in history] == ["price", "shipping"]  # both devices' answers
    assert len({h[2] for h in history}) == 2
    responses = cells(page, "cust-responses")
    assert sorted(r[1] for r in responses) == ["QR code", "web intercept"]
    [orders] = cells(page, "operational")
    assert orders[:4] == ["order", "2", "0", "150.50"]
    # The personal-link form is for this customer.
    assert 'name="customer" value="cust-42"' in page


def test_an_unknown_customer_or_another_sites_key_gets_a_readable_404(client, keys, customer):
    own = Console(client)
    own.sign_in(keys["a"])
    missing = own.get("/console/customers/nobody")
    assert missing.status_code == 404 and "no customer" in text(missing)
    other = Console(client)
    other.sign_in(keys["b"])  # the blog's key: the shop's customer is not there
    assert other.get("/console/customers/cust-42").status_code == 404
    assert "No customers found." in text(other.get("/console/customers"))


def test_the_channels_page_splits_results_by_channel(console, customer):
    page = text(console.get("/console/surveys/cart/channels"))
    rows = {r[0]: r for r in cells(page, "channels")}
    assert set(rows) == {"QR code qr", "web intercept web"}
    assert rows["QR code qr"][1:3] == ["1", "1"]
    assert rows["QR code qr"][3].startswith("+100")  # one promoter
    assert 'href="/console/surveys/cart/channels"' in text(
        console.get("/console/surveys/cart/results")
    )


def test_a_link_and_its_qr_code_decode_to_the_same_address(console, cart):
    import zxingcpp
    from PIL import Image

    page = text(console.post("/console/links", {"survey": "cart", "source": "qr"}))
    [link] = re.findall(r'id="made-link" type="text" readonly value="([^"]+)"', page)
    link = link.replace("&amp;", "&")
    parts = urlsplit(link)
    assert parts.path == "/s/cart" and parse_qs(parts.query)["src"] == ["qr"]
    assert 'src="data:image/svg+xml;base64,' in page
    png = download(page, "png")
    assert png["name"] == "cart-qr.png"
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png["data"])))
    assert decoded.text == link
    svg = download(page, "svg")
    assert svg["name"] == "cart-qr.svg" and svg["data"].lstrip().startswith(b"<?xml")


def test_a_personal_link_is_signed_for_its_customer_and_opens_the_hosted_page(
    console, client, db, site, cart
):
    form = {"survey": "cart", "source": "email", "customer": "cust-7", "expires": "2d"}
    page = text(console.post("/console/links", form))
    assert "A personal link for cust-7 (valid 2d)" in page
    [link] = re.findall(r'id="made-link" type="text" readonly value="([^"]+)"', page)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    personal = PersonalLinks("test-secret").read(query["t"][0], site, "cart")
    assert personal.customer == "cust-7"
    opened = client.get("/s/cart", query_string={k: v[0] for k, v in query.items()})
    assert opened.status_code == 200
    assert download(page, "png")["name"] == "cart-personal.png"


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"survey": "nope"}, 404, "no such survey"),
        ({"survey": "cart", "source": "a b"}, 400, "letters, digits"),
        ({"survey": "cart", "customer": "c", "expires": "soon"}, 400, "a number and m, h, d or w"),
        ({"survey": "cart", "customer": "x" * 201}, 400, "1 to 200 printable characters"),
        ({"survey": "paused"}, 400, "only an active survey"),
    ],
)
def test_bad_link_input_is_shown_next_to_its_field(console, db, site, cart, form, status, message):
    paused = surveys.create_survey(db, site, survey_definition(id="paused"))
    surveys.set_status(db, site, paused.slug, "paused", kind="survey")
    reply = console.post("/console/links", form)
    assert reply.status_code == status
    page = text(reply)
    assert message in page and "The link could not be made" in page and "Traceback" not in page


def test_making_a_link_needs_the_csrf_token(console, cart):
    reply = console.post("/console/links", {"survey": "cart"}, csrf=False)
    assert reply.status_code == 403 and "CSRF" in text(reply)


def test_signed_out_the_pages_ask_for_a_key(client, customer):
    reply = client.get("/console/customers/cust-42")
    assert reply.status_code == 302 and "/console/sign-in" in reply.headers["Location"]


def test_erasing_a_customer_needs_its_id_typed_and_removes_every_device(console, db, customer):
    kept = console.post("/console/customers/cust-42/erase", {"confirm": "cust-4"})
    assert kept.status_code == 400 and "type the customer id to confirm" in text(kept)
    assert console.get("/console/customers/cust-42").status_code == 200
    assert (
        console.post(
            "/console/customers/cust-42/erase", {"confirm": "cust-42"}, csrf=False
        ).status_code
        == 403
    )
    done = console.post("/console/customers/cust-42/erase", {"confirm": "cust-42"})
    assert done.status_code == 303
    page = text(console.get(done.headers["Location"]))
    assert "Customer cust-42 was erased." in page and "No customers found." in page
    assert console.get("/console/customers/cust-42").status_code == 404
    assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
