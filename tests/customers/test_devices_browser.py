"""Two devices in real Chromium (a phone and a laptop: two browser contexts), one customer.

The shop's backend signs the customer id (HMAC-SHA256 with the site's identity secret) and its
page calls ``cxlisten.identify(customer_id, signature)`` (tests/browser/pages/identify.html,
which reads both from the URL's query, through the queue stub), or ``cxlisten.reset()`` after
log-out. The snippet hands those calls to the widget, which POSTs /v1/identify and /v1/reset.
"""

from __future__ import annotations

import pytest

from cxlisten import customers
from cxlisten.identity import VisitorTokens
from cxlisten.storage import customers as store
from tests.browser.snippet_fixtures import (  # noqa: F401 (fixtures used by name)
    Debug,
    new_context,
    sdk_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"
PHONE = {"viewport": {"width": 390, "height": 800}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 800}}
TOKENS = VisitorTokens("test-secret")  # the snippet collector's (snippet_servers)

ERASE = """async ([collector, site]) => {
  const visitor = JSON.parse(localStorage.getItem("cxl_v"));
  const q = new URLSearchParams({site, visitor});
  const r = await fetch(collector + "/v1/me?" + q, {method: "DELETE"});
  return {status: r.status, body: await r.json()};
}"""


class Device:
    """One browser context on the host site, with its debug lines."""

    def __init__(self, browser, snippet, options):
        self.snippet = snippet
        self.context = new_context(browser, **options)
        self.page = self.context.new_page()
        self.debug = Debug(self.page)

    def open(self, **signed_in) -> dict:
        """Load identify.html (?customer=&signature=, or ?reset); return its /v1/config reply."""
        url = self.snippet.url("identify.html", debug="", **signed_in)
        with self.page.expect_response(lambda r: "/v1/config" in r.url) as config:
            self.page.goto(url)
        sdk_ready(self.page)
        return config.value.json()

    def reload(self) -> dict:
        """Open the page again without signing in; return its /v1/config reply."""
        return self.open()

    def token(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('cxl_v'))")

    def visitor_id(self) -> str:
        return TOKENS.read(self.token(), self.snippet.site.id)

    def answer_nps(self) -> None:
        """Answer the open one-question NPS survey by keyboard (9) and wait until it is stored."""
        self.page.evaluate("cxlisten.track('ask')")
        self.page.locator(DIALOG).wait_for()
        self.page.locator(f"{DIALOG} input").first.focus()  # a popped-up survey takes no focus
        for _ in range(9):
            self.page.keyboard.press("ArrowRight")
        self.page.keyboard.press(" ")
        self.page.keyboard.press("Enter")
        self.page.locator(f"{DIALOG} [role=status]").wait_for()
        self.snippet.wait_response(lambda rs: any(r["status"] == "complete" for r in rs))


@pytest.fixture
def devices(browser, snippet):
    """Make devices (browser contexts) on SNIPPET's host site; closes them afterwards."""
    made: list[Device] = []

    def make(options=LAPTOP) -> Device:
        made.append(Device(browser, snippet, options))
        return made[-1]

    yield make
    for device in made:
        device.context.close()


@pytest.fixture
def probe(snippet):
    """A one-question survey asked until answered, opened by cxlisten.track('ask')."""
    return snippet.survey(
        "probe", trigger={"type": "event", "event": "ask"}, repetition={"mode": "until_answered"}
    )


@pytest.fixture
def signed(snippet):
    """The customer id and the signature the shop's backend computes for it."""
    secret = customers.identity_secret(snippet.db, snippet.site)
    return {"customer": "cust-42", "signature": customers.sign(secret, "cust-42")}


def devices_of(snippet, customer="cust-42") -> dict[str, dict]:
    return {d["visitor"]: d for d in store.visitors_of(snippet.db, snippet.site.id, customer)}


def surveys_of(config) -> list[str]:
    return [s["id"] for s in config["surveys"]]


def test_answered_on_the_phone_not_asked_on_the_laptop(snippet, devices, probe, signed):
    phone, laptop = devices(PHONE), devices(LAPTOP)
    assert surveys_of(phone.open()) == ["probe"]
    # Signed in: the stub's identify call runs once sdk.js has loaded; the widget sends it.
    phone.open(**signed)
    phone.debug.wait("identified as cust-42")
    assert surveys_of(phone.reload()) == ["probe"]
    phone.answer_nps()

    laptop.open(**signed)
    laptop.debug.wait("identified as cust-42")
    assert surveys_of(laptop.reload()) == []  # answered on the phone
    laptop.page.evaluate("cxlisten.track('ask')")
    laptop.debug.wait("queued")
    assert laptop.page.locator(DIALOG).count() == 0

    linked = devices_of(snippet)
    assert set(linked) == {phone.visitor_id(), laptop.visitor_id()}
    assert all(d["via"] == "identify" and d["unlinked_at"] is None for d in linked.values())
    # Both devices read one profile: the phone's answer is in the laptop's /v1/me.
    me = laptop.page.evaluate(
        """async ([collector, site]) => {
          const visitor = JSON.parse(localStorage.getItem("cxl_v"));
          return (await fetch(collector + "/v1/me?" + new URLSearchParams({site, visitor}))).json();
        }""",
        [snippet.collector, snippet.site.key],
    )
    assert len(me["customer"]["visitors"]) == 2
    assert [r["survey"] for r in me["customer"]["responses"]] == ["probe"]


@pytest.mark.parametrize(
    "signature, status",
    [
        pytest.param(customers.sign("not the secret", "cust-42"), "403", id="forged"),
        pytest.param("", "400", id="missing"),
    ],
)
def test_a_forged_or_missing_signature_links_nothing_and_says_why(
    snippet, devices, probe, signed, signature, status
):
    phone, other = devices(PHONE), devices(LAPTOP)
    phone.open(**signed)
    phone.debug.wait("identified as")
    phone.reload()
    phone.answer_nps()

    other.open()
    before = other.token()
    other.open(customer="cust-42", signature=signature)
    refused = other.debug.wait("identify refused, nothing linked:")[0]
    assert status in refused and "signature" in refused
    assert other.token() == before  # the same anonymous visitor
    assert other.visitor_id() not in devices_of(snippet)
    assert surveys_of(other.reload()) == ["probe"]  # still a stranger: asked


def test_reset_on_log_out_unlinks_the_browser(snippet, devices, probe, signed):
    phone, laptop = devices(PHONE), devices(LAPTOP)
    phone.open(**signed)
    phone.debug.wait("identified as")
    phone.reload()
    phone.answer_nps()
    laptop.open(**signed)
    laptop.debug.wait("identified as")
    linked_visitor = laptop.visitor_id()
    assert surveys_of(laptop.reload()) == []

    laptop.open(reset="")  # the page after log-out
    laptop.debug.wait("reset: unlinked from the customer;")
    # A fresh anonymous visitor. The page's own first requests were sent before the reset and
    # their replies may store the old token once more: it gives way again within 100 ms (the
    # page views below are then a stranger's).
    linked_token = TOKENS.issue(snippet.site.id, linked_visitor)
    laptop.page.wait_for_function(
        "t => JSON.parse(localStorage.getItem('cxl_v')) != t", arg=linked_token
    )
    assert laptop.visitor_id() != linked_visitor
    assert devices_of(snippet)[linked_visitor]["unlinked_at"] is not None
    assert laptop.visitor_id() not in devices_of(snippet)
    assert surveys_of(laptop.reload()) == ["probe"]  # a stranger again
    # The phone is still the customer's.
    assert devices_of(snippet)[phone.visitor_id()]["unlinked_at"] is None
    assert surveys_of(phone.reload()) == []


def test_erasing_from_the_laptop_empties_both_devices(snippet, devices, probe, signed):
    phone, laptop = devices(PHONE), devices(LAPTOP)
    phone.open(**signed)
    phone.debug.wait("identified as")
    phone.reload()
    phone.answer_nps()
    laptop.open(**signed)
    laptop.debug.wait("identified as")
    both = [phone.visitor_id(), laptop.visitor_id()]

    erased = laptop.page.evaluate(ERASE, [snippet.collector, snippet.site.key])
    assert erased["status"] == 200 and erased["body"]["erased"]["visitors"] == 2
    for table in ("events", "responses", "answers"):
        n = snippet.db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE visitor_id IN (?, ?)", both
        ).fetchone()[0]
        assert n == 0, table
    assert devices_of(snippet) == {}


def test_identify_waits_for_consent_and_unknown_calls_are_logged(snippet, devices, signed):
    device = devices(LAPTOP)
    device.open()
    device.page.evaluate("cxlisten.consent(false)")
    device.page.evaluate(
        "([c, s]) => cxlisten.identify(c, s)", [signed["customer"], signed["signature"]]
    )
    device.debug.wait("identify not sent: consent withdrawn")
    device.page.evaluate("cxlisten('identfy', 'cust-42')")
    device.debug.wait("unknown call identfy")
    assert not [r for r in snippet.recorder.mine() if r.path == "/v1/identify"]
    assert devices_of(snippet) == {}
