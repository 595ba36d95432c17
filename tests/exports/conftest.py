"""A small shop's worth of stored data, with text chosen to break naive CSV writers."""

from __future__ import annotations

import time

import pytest

from tests.conftest import BROWSER_UA, batch, event

DAY = 86400 * 1000
# Three days before the test run, to the second: the data spans T0 … T0 + 2 days, all of it in the
# past and inside the accepted event age at any hour of any day.
T0 = int(time.time()) * 1000 - 3 * DAY

TRICKY_TEXTS = (
    "运费太贵了，还有“引号”",
    'comma, "double quotes" and\nnewline',
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "-12.5",
    "'already quoted",
    "line\r\nbreak",
)


def collect(client, site, *events, ua=BROWSER_UA, visitor=None) -> dict:
    """POST events as the snippet would and return the reply."""
    reply = client.post(
        "/v1/collect", json=batch(site, *events, visitor=visitor), headers={"User-Agent": ua}
    )
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def url(path):
    return f"https://shop.example{path}"


@pytest.fixture
def shop(client, site):
    """Three visitors: a shopper (two sessions), a help seeker, and a bot."""
    a = collect(
        client,
        site,
        event(ts=T0, url=url("/"), title=TRICKY_TEXTS[0]),
        event(ts=T0 + 1000, url=url("/cart")),
        event("dwell", ts=T0 + 9000, url=url("/cart"), visible_ms=8000, total_ms=8000),
        event("click", ts=T0 + 9500, url=url("/cart"), text=TRICKY_TEXTS[1]),
        event(ts=T0 + 10_000, url=url("/checkout")),
        event("custom", ts=T0 + 11_000, url=url("/checkout"), name="-cart_abandoned"),
    )
    # The same visitor comes back the next day.
    collect(
        client,
        site,
        event(ts=T0 + DAY, url=url("/"), path=TRICKY_TEXTS[2]),
        *[
            event("click", ts=T0 + DAY + 100 + i, url=url("/"), text=text)
            for i, text in enumerate(TRICKY_TEXTS)
        ],
        visitor=a["visitor"],
    )
    collect(
        client,
        site,
        event(ts=T0 + 3600_000, url=url("/help")),
        event(ts=T0 + 3601_000, url=url("/help/contact")),
    )
    collect(client, site, event(ts=T0 + 5000, url=url("/cart")), ua="curl/8.4")
    return site


CART_SURVEY = {
    "id": "cart",
    "phase": "deepdive",
    "trigger": {"type": "exit_intent", "urls": ["/cart*", "/checkout*"]},
    "questions": [
        {
            "id": "reason",
            "type": "single",
            "text": {"en": "What stopped you?", "zh-CN": "为什么？"},
            "other": True,
            "saves_as": "checkout_blocker",
            "options": [
                {"code": "shipping", "label": {"en": "Shipping"}},
                {"code": "price", "label": {"en": "Price"}},
            ],
        },
        {
            "id": "score",
            "type": "nps",
            "required": False,
            "text": {"en": "How likely to recommend?"},
        },
        {
            "id": "channels",
            "type": "multi",
            "required": False,
            "text": {"en": "Where?"},
            "options": [
                {"code": "web", "label": {"en": "Web"}},
                {"code": "app", "label": {"en": "App"}},
            ],
        },
        {
            "id": "more",
            "type": "text",
            "required": False,
            "max_length": 500,
            "text": {"en": "Anything else?"},
        },
    ],
}


def respond(
    client,
    site,
    visitor,
    answers,
    *,
    complete=False,
    response=None,
    ua=BROWSER_UA,
    path="/cart",
    survey="cart",
    version=1,
) -> dict:
    """POST a response as the widget would; return the reply."""
    import uuid

    reply = client.post(
        "/v1/responses",
        json={
            "site": site.key,
            "visitor": visitor,
            "survey": survey,
            "version": version,
            "response": response or str(uuid.uuid4()),
            "answers": answers,
            "complete": complete,
            "url": url(path),
            "locale": "zh-CN",
        },
        headers={"User-Agent": ua, "Origin": "https://shop.example"},
    )
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


@pytest.fixture
def answered(client, db, shop):
    """The cart survey, answered by two visitors (one partial) and a bot."""
    from cxlisten import surveys

    surveys.create_survey(db, shop, CART_SURVEY)
    a = collect(client, shop, event(ts=int(time.time() * 1000), url=url("/cart")))
    respond(
        client,
        shop,
        a["visitor"],
        [
            {"question": "reason", "value": "other", "other": TRICKY_TEXTS[1]},
            {"question": "score", "value": 9},
            {"question": "channels", "value": ["app", "web"]},
            {"question": "more", "value": TRICKY_TEXTS[0] + "\n" + TRICKY_TEXTS[2]},
        ],
        complete=True,
    )
    b = collect(client, shop, event(ts=int(time.time() * 1000), url=url("/help")))
    respond(client, shop, b["visitor"], [{"question": "reason", "value": "shipping"}], path="/help")
    bot = collect(client, shop, event(ts=int(time.time() * 1000), url=url("/cart")), ua="curl/8")
    respond(client, shop, bot["visitor"], [{"question": "reason", "value": "price"}], ua="curl/8")
    return shop
