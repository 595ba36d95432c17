"""Two devices in real Chromium (two browser contexts), one customer identified on both.

The page's backend signs the customer id; the page sends it as ``cxlisten.identify`` does
(``POST /v1/identify`` as text/plain, keeping the returned visitor token). Until the snippet
ships that call, IDENTIFY below does the same from the page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from cxlisten import customers
from tests.browser.snippet_fixtures import (  # noqa: F401 (fixtures used by name)
    new_context,
    sdk_ready,
    snippet_fixture,
    snippet_servers_fixture,
)

pytestmark = pytest.mark.browser

DIALOG = "cxlisten-ui section[role=dialog]"

IDENTIFY = """async ([collector, site, customer, signature]) => {
  const visitor = JSON.parse(localStorage.getItem("cxl_v"));
  const r = await fetch(collector + "/v1/identify", {method: "POST",
    headers: {"Content-Type": "text/plain"},
    body: JSON.stringify({site, visitor, customer, signature})});
  const body = await r.json();
  if (body.visitor) localStorage.setItem("cxl_v", JSON.stringify(body.visitor));
  return {status: r.status, body};
}"""

ERASE = """async ([collector, site]) => {
  const visitor = JSON.parse(localStorage.getItem("cxl_v"));
  const q = new URLSearchParams({site, visitor});
  const r = await fetch(collector + "/v1/me?" + q, {method: "DELETE"});
  return {status: r.status, body: await r.json()};
}"""


def loopback_only(context):
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )


def device(browser):
    ctx = new_context(browser)
    loopback_only(ctx)
    return ctx, ctx.new_page()


def open_and_identify(page, snippet, customer, signature):
    page.goto(snippet.url())
    sdk_ready(page)
    page.wait_for_function("localStorage.getItem('cxl_v')")
    result = page.evaluate(IDENTIFY, [snippet.collector, snippet.site.key, customer, signature])
    # The next page view asks for its config with the linked visitor's token.
    with page.expect_response(lambda r: "/v1/config" in r.url) as config:
        page.reload()
    return result, config.value.json()


def test_answered_on_one_device_not_asked_on_the_other_forged_links_nothing_erase_empties_both(
    browser, snippet
):
    snippet.survey(
        "probe", trigger={"type": "event", "event": "ask"}, repetition={"mode": "until_answered"}
    )
    secret = customers.identity_secret(snippet.db, snippet.site)
    good = customers.sign(secret, "cust-42")
    contexts = []
    try:
        (c1, phone), (c2, laptop), (c3, other) = device(browser), device(browser), device(browser)
        contexts += [c1, c2, c3]

        result, config = open_and_identify(phone, snippet, "cust-42", good)
        assert result["status"] == 200 and result["body"]["linked"] is True
        assert [s["id"] for s in config["surveys"]] == ["probe"]
        phone.evaluate("cxlisten.track('ask')")
        phone.locator(DIALOG).wait_for()
        phone.locator(f"{DIALOG} input").first.focus()  # a popped-up survey does not take focus
        for _ in range(9):
            phone.keyboard.press("ArrowRight")
        phone.keyboard.press(" ")
        phone.keyboard.press("Enter")
        phone.locator(f"{DIALOG} [role=status]").wait_for()
        _wait_complete(snippet, phone)

        result, config = open_and_identify(laptop, snippet, "cust-42", good)
        assert result["status"] == 200
        assert config["surveys"] == []  # answered on the phone: not asked on the laptop

        forged = customers.sign("not the secret", "cust-42")
        result, config = open_and_identify(other, snippet, "cust-42", forged)
        assert result["status"] == 403
        assert "signature" in result["body"]["error"]["fields"]
        assert [s["id"] for s in config["surveys"]] == ["probe"]  # still a stranger
        devices = {d["visitor"] for d in _devices(snippet)}
        assert len(devices) == 2

        erased = laptop.evaluate(ERASE, [snippet.collector, snippet.site.key])
        assert erased["status"] == 200 and erased["body"]["erased"]["visitors"] == 2
        for table in ("events", "responses", "answers"):
            n = snippet.db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE visitor_id IN ({','.join('?' * 2)})",
                list(devices),
            ).fetchone()[0]
            assert n == 0, table
        assert _devices(snippet) == []
    finally:
        for ctx in contexts:
            ctx.close()


def _devices(snippet):
    from cxlisten.storage import customers as store

    return store.visitors_of(snippet.db, snippet.site.id, "cust-42")


def _wait_complete(snippet, page, timeout_ms=8000):
    """Wait until the collector has stored the phone's complete response."""
    for _ in range(timeout_ms // 50):
        row = snippet.db.execute(
            "SELECT COUNT(*) FROM responses WHERE site_id = ? AND status = 'complete'",
            [snippet.site.id],
        ).fetchone()
        if row[0]:
            return
        page.wait_for_timeout(50)
    raise AssertionError("no complete response stored")
