"""Identify over real HTTP: two devices (two visitor tokens), one customer, signed or refused."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from cxlisten import activate, customers
from cxlisten.storage import customers as store
from tests.conftest import ORIGIN, event

CHOSE_SHIPPING = [{"question": "reason", "value": "shipping"}]


def links(db, site) -> list[tuple]:
    return db.execute(
        "SELECT visitor_id, customer_id, unlinked_at IS NULL FROM customer_visitors "
        "WHERE site_id = ? ORDER BY linked_at",
        [site.id],
    ).fetchall()


def test_the_signature_is_hmac_sha256_of_the_customer_id_in_hex(db, site):
    secret = customers.identity_secret(db, site)
    assert secret == customers.identity_secret(db, site)  # made once per site
    expected = hmac.new(secret.encode(), b"cust-42", hashlib.sha256).hexdigest()
    assert customers.sign(secret, "cust-42") == expected
    assert customers.verify(secret, "cust-42", expected.upper())
    assert not customers.verify(secret, "cust-43", expected)


def test_a_survey_answered_on_the_phone_is_not_asked_on_the_laptop(device, cart, signature):
    phone, laptop = device(), device()
    assert phone.shown() == ["cart"] and laptop.shown() == ["cart"]
    for d in (phone, laptop):
        r = d.identify("cust-42", signature("cust-42"))
        assert r.status_code == 200, r.text
        assert r.json()["linked"] is True and r.json()["customer"] == "cust-42"
    phone.respond(CHOSE_SHIPPING)
    assert phone.shown() == []
    assert laptop.shown() == []  # the customer answered, on another device
    stranger = device()
    assert stranger.shown() == ["cart"]


@pytest.mark.parametrize(
    ("signature_of", "status", "message"),
    [
        (lambda sign: sign("someone-else"), 403, "not hex HMAC-SHA256"),
        (lambda sign: "0" * 64, 403, "not hex HMAC-SHA256"),
        (lambda sign: "not-hex", 400, "64 hex digits"),
        (lambda sign: None, 400, "may not be null"),
    ],
)
def test_a_forged_or_missing_signature_links_nothing(
    db, site, device, cart, signature, signature_of, status, message
):
    phone, laptop = device(), device()
    phone.config()
    assert phone.identify("cust-42", signature("cust-42")).status_code == 200
    laptop.config()
    r = laptop.identify("cust-42", signature_of(signature))
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert any(message in m for m in error["fields"]["signature"]), error
    if status == 403:  # the site is known: the page may read why, under data-debug
        assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert len(links(db, site)) == 1  # only the phone's
    phone.respond(CHOSE_SHIPPING)
    assert laptop.shown() == ["cart"]  # still a stranger


def test_attributes_follow_the_customer_newest_answer_wins_and_history_keeps_both(
    device, cart, signature
):
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        d.identify("cust-42", signature("cust-42"))
    phone.respond(CHOSE_SHIPPING)
    laptop.respond([{"question": "reason", "value": "price"}])
    profile = phone.me().json()["customer"]
    [attribute] = profile["attributes"]
    assert (attribute["name"], attribute["value"]) == ("checkout_blocker", "price")
    history = [(h["value"], h["visitor"]) for h in profile["attribute_history"]]
    assert [v for v, _ in history] == ["price", "shipping"]
    assert len({v for _, v in history}) == 2  # one answer from each device
    assert len(profile["visitors"]) == 2


def test_the_contact_budget_follows_the_customer(db, site, device, cart, signature):
    from cxlisten import sites

    sites.update(db, site.key, contact_days=7)
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        d.identify("cust-42", signature("cust-42"))
    phone.saw("cart")
    assert laptop.shown() == []
    why = laptop.http.get(
        f"{laptop.base}/v1/config",
        params={"site": site.key, "visitor": laptop.visitor, "url": ORIGIN + "/cart"},
    ).json()
    assert why["surveys"] == []


def test_the_next_best_action_follows_the_customer(db, site, device, cart, signature):
    activate.save_rule(
        db,
        site,
        {
            "name": "shipping-offer",
            "level": "reactive",
            "when": [{"attribute": "checkout_blocker", "equals": "shipping"}],
            "then": {
                "show": {
                    "kind": "content",
                    "title": {"en": "Free shipping over $100"},
                    "body": {"en": "Orders over $100 ship free."},
                    "label": {"en": "See"},
                    "url": "/shipping",
                }
            },
        },
    )
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        d.identify("cust-42", signature("cust-42"))
    assert laptop.config("/").json()["action"] is None
    phone.respond(CHOSE_SHIPPING)
    action = laptop.config("/").json()["action"]
    assert action and action["rule"] == "shipping-offer", action


def test_reset_unlinks_and_gives_a_fresh_anonymous_visitor(db, site, device, cart, signature):
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        d.identify("cust-42", signature("cust-42"))
    phone.respond(CHOSE_SHIPPING)
    old = phone.visitor
    r = phone.reset()
    assert r.status_code == 200 and r.json()["unlinked"] is True
    assert phone.visitor != old
    assert phone.shown() == ["cart"]  # the next person on this browser is a stranger
    assert laptop.shown() == []  # what the phone said while logged in stays the customer's
    assert phone.reset().json()["unlinked"] is False


def test_someone_else_logging_in_on_the_same_browser_gets_a_visitor_of_their_own(
    db, site, device, cart, signature
):
    shared = device()
    shared.config()
    shared.identify("cust-42", signature("cust-42"))
    first = shared.visitor
    shared.respond(CHOSE_SHIPPING)
    r = shared.identify("cust-7", signature("cust-7"))
    assert r.status_code == 200 and shared.visitor != first
    assert shared.shown() == ["cart"]  # cust-7 never answered
    assert [c for _, c, _ in links(db, site)] == ["cust-42", "cust-7"]


def test_a_rotated_secret_refuses_old_signatures(db, site, device, cart, signature):
    old = signature("cust-42")
    customers.rotate_identity_secret(db, site)
    phone = device()
    phone.config()
    assert phone.identify("cust-42", old).status_code == 403
    assert phone.identify("cust-42", signature("cust-42")).status_code == 200


def test_delete_me_from_any_linked_device_erases_every_linked_visitor(
    db, site, device, cart, signature
):
    phone, laptop = device(), device()
    for d in (phone, laptop):
        d.config()
        d.identify("cust-42", signature("cust-42"))
        d.send(event("pageview"))
    phone.respond(CHOSE_SHIPPING)
    ids = [v for v, _, _ in links(db, site)]
    r = laptop.me("DELETE")
    assert r.status_code == 200, r.text
    assert r.json()["erased"]["visitors"] == 2
    for table in ("events", "responses", "answers", "attributes", "attribute_history"):
        n = db.execute(f"SELECT COUNT(*) FROM {table} WHERE visitor_id IN (?, ?)", ids).fetchone()[
            0
        ]
        assert n == 0, table
    assert links(db, site) == []
    assert phone.shown() == ["cart"]  # the phone's old token is nobody's now


def test_the_operator_erases_a_customer(db, site, live_server, admin_headers, device, signature):
    import requests

    phone = device()
    phone.send(event("pageview"))
    phone.identify("cust-42", signature("cust-42"))
    url = f"{live_server.url}/api/customers/cust-42"
    shown = requests.get(url, headers=admin_headers)
    assert shown.status_code == 200 and len(shown.json()["visitors"]) == 1
    r = requests.delete(url, headers=admin_headers)
    assert r.status_code == 200 and r.json()["erased"]["events"] == 1
    assert requests.delete(url, headers=admin_headers).status_code == 404
    assert store.visitors_of(db, site.id, "cust-42") == []
