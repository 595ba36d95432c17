"""Customer fixtures: devices (visitor tokens) talking to a real collector on 127.0.0.1."""

from __future__ import annotations

import copy
import json
import uuid

import pytest
import requests

from cxlisten import customers, operational, sites, surveys
from cxlisten.identity import create_admin_key
from tests.conftest import BROWSER_UA, ORIGIN, batch, event

HEADERS = {"User-Agent": BROWSER_UA, "Origin": ORIGIN}

CART = {
    "id": "cart",
    "phase": "deepdive",
    "trigger": {"type": "pageview", "urls": ["/cart*"]},
    "repetition": {"mode": "until_answered"},
    "locales": ["en", "zh-CN"],
    "questions": [
        {
            "id": "reason",
            "type": "single",
            "text": {"en": "What stopped you?", "zh-CN": "是什么阻止了您？"},
            "saves_as": "checkout_blocker",
            "options": [
                {"code": "shipping", "label": {"en": "Shipping", "zh-CN": "运费"}},
                {"code": "price", "label": {"en": "Price", "zh-CN": "价格"}},
            ],
        },
        {
            "id": "score",
            "type": "nps",
            "required": False,
            "text": {"en": "How likely to recommend?", "zh-CN": "您向朋友推荐的可能性？"},
        },
    ],
}


def survey_definition(base=CART, **changes) -> dict:
    out = copy.deepcopy(base)
    out.update(changes)
    return out


class Device:
    """One browser (one visitor token) talking HTTP to the live collector."""

    def __init__(self, base_url: str, site):
        self.base, self.site, self.visitor = base_url, site, None
        self.http = requests.Session()
        self.http.headers.update(HEADERS)

    def _keep(self, r):
        data = r.json()
        if isinstance(data, dict) and data.get("visitor"):
            self.visitor = data["visitor"]
        return r

    def config(self, path="/cart"):
        return self._keep(
            self.http.get(
                f"{self.base}/v1/config",
                params={"site": self.site.key, "visitor": self.visitor, "url": ORIGIN + path},
            )
        )

    def shown(self, path="/cart") -> list[str]:
        r = self.config(path)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["surveys"]]

    def send(self, *events):
        r = self.http.post(
            f"{self.base}/v1/collect", json=batch(self.site, *events, visitor=self.visitor)
        )
        assert r.status_code == 200, r.text
        return self._keep(r)

    def saw(self, survey="cart", path="/cart"):
        return self.send(event("survey", url=ORIGIN + path, survey=survey, action="shown"))

    def respond(self, answers, survey="cart", complete=True, path="/cart"):
        body = {
            "site": self.site.key,
            "visitor": self.visitor,
            "survey": survey,
            "version": 1,
            "response": str(uuid.uuid4()),
            "answers": answers,
            "complete": complete,
            "url": ORIGIN + path,
            "locale": "en",
        }
        r = self.http.post(f"{self.base}/v1/responses", json=body)
        assert r.status_code == 200, r.text
        return self._keep(r)

    def identify(self, customer, signature):
        body = {
            "site": self.site.key,
            "visitor": self.visitor,
            "customer": customer,
            "signature": signature,
        }
        # As the snippet sends it: text/plain, so no CORS preflight.
        return self._keep(
            self.http.post(
                f"{self.base}/v1/identify",
                data=json.dumps(body),
                headers={"Content-Type": "text/plain"},
            )
        )

    def reset(self):
        return self._keep(
            self.http.post(
                f"{self.base}/v1/reset", json={"site": self.site.key, "visitor": self.visitor}
            )
        )

    def me(self, method="GET"):
        r = self.http.request(
            method,
            f"{self.base}/v1/me",
            params={"site": self.site.key, "visitor": self.visitor},
        )
        return self._keep(r)


@pytest.fixture
def device(live_server, site):
    """Make a new device (browser) of the live collector."""
    return lambda: Device(live_server.url, site)


@pytest.fixture
def cart(db, site):
    return surveys.create_survey(db, site, survey_definition())


@pytest.fixture
def signature(db, site):
    """Sign a customer id as the site's backend does."""
    return lambda customer: customers.sign(customers.identity_secret(db, site), customer)


CHOSE_SHIPPING = [{"question": "reason", "value": "shipping"}]
CHOSE_PRICE = [{"question": "reason", "value": "price"}, {"question": "score", "value": 9}]


@pytest.fixture
def keys(db, site):
    """{"a": the shop's key (the customers' site), "b": a blog's key (another site)}."""
    blog = sites.create_site(db, "Blog", ["https://blog.example"])
    return {
        "a": create_admin_key(db, "shop team", site_id=site.id),
        "b": create_admin_key(db, "blog team", site_id=blog.id),
    }


@pytest.fixture
def customer(db, site, device, cart, signature):
    """cust-42 on a phone (answered on the web intercept) and a laptop (answered by a QR code's
    hosted page), with two orders."""
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        assert d.identify("cust-42", signature("cust-42")).json()["linked"] is True
    phone.respond(CHOSE_SHIPPING)
    laptop.respond(CHOSE_PRICE, path="/s/cart?src=qr")
    rows = [
        {"id": "o1", "customer_id": "cust-42", "time": "2026-11-01", "amount": 120},
        {"id": "o2", "customer_id": "cust-42", "time": "2026-11-03", "amount": 30.5},
    ]
    operational.import_json(db, site, "orders", {"rows": rows})
    return {"phone": phone, "laptop": laptop}
