"""A key made for site B reads nothing of site A's, through any admin route or console page.

The routes are walked from ``app.url_map``, so a route added later is covered without touching
this file: every ``/api/`` route and every signed-in console route is called with site B's key
(and, for the console, a session signed in with it) against site A's ids. Site A's data carries a
marker that only its stored content holds (never an id that a 404 may echo back); no answer to
site B's key may contain it, and no call may change site A's data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxlisten import activate, customers, journeys, sites, surveys
from cxlisten.identity import admin_key_by_id, admin_key_of, create_admin_key
from cxlisten.surveys import drafts, shares
from tests.console.conftest import CSRF, Console, bearer
from tests.support.routes import fill, routes
from tests.surveys.conftest import PULSE, Browser, definition

MARKER = "zx9q"
RULES = Path(__file__).resolve().parent.parent / "examples" / "rules.json"
EXAMPLES_JOURNEY = {"steps": ["/cart", "/checkout"], "goal": "/checkout", "title": "Zx9q flow"}
# A console form as a person would fill it (confirmations given), so a refusal is the scope's.
FORM = {"confirm": "yes", "phase": "deepdive", "questions": "found", "hours": "24", "scope": "site"}


@pytest.fixture
def site_a(db, site, client):
    """Site A holding MARKER in answers, a customer's records, a journey, a rule, a share, a draft."""
    survey = surveys.create_survey(
        db, site, definition(PULSE, id="shop-pulse", name=f"{MARKER} shop pulse")
    )
    visitor = Browser(client, site)
    visitor.visit("/cart")
    visitor.saw("shop-pulse")
    reply = visitor.respond(
        "shop-pulse",
        [{"question": "found", "value": "no"}, {"question": "what", "value": f"{MARKER} secret"}],
        complete=True,
    )
    assert reply.status_code == 200, reply.get_json()
    visitor_id = client.application.extensions["cxlisten"].tokens.read(visitor.visitor, site.id)
    customers.link_visitor(db, site, visitor_id, "cust-a", via="identify")
    from cxlisten import operational

    operational.import_json(
        db,
        site,
        "orders",
        {
            "rows": [{"customer": "cust-a", "id": "o1", "note": f"{MARKER} order"}],
            "key": "customer",
        },
    )
    journeys.save_journey(db, site.id, {"name": "checkout", **EXAMPLES_JOURNEY})
    rule = json.loads(RULES.read_text())["rules"][0]
    activate.save_rule(db, site, rule)
    _, share = shares.create_share(db, site, "shop-pulse", ["found", "what"], {}, 24)
    drafts.save_definition_draft(
        db, site, "shop-pulse", definition(PULSE, id="shop-pulse", name=f"{MARKER} draft")
    )
    return {
        "survey": survey,
        "visitor": visitor_id,
        "share": share.id,
        "rule": rule["name"],
        "key_a": create_admin_key(db, "shop team", site_id=site.id),
    }


@pytest.fixture
def key_b(db):
    other = sites.create_site(db, "Blog", ["https://blog.example"])
    return create_admin_key(db, "blog team", site_id=other.id)


def site_a_ids(a: dict, db) -> dict[str, str]:
    """Site A's ids for ``routes.fill``."""
    return {
        "slug": "shop-pulse",
        "visitor_id": a["visitor"],
        "customer_id": "cust-a",
        "share_id": str(a["share"]),
        "kind": "orders",
        "key_id": str(admin_key_of(db, a["key_a"]).id),
        "message_id": "1",
        "action": "archive",
        "export": "answers",
        "journey": "checkout",
        "rule": a["rule"],
    }


def _leaks(reply) -> bool:
    return MARKER in reply.get_data(as_text=True).lower()


def _site_a_intact(db, site, a) -> None:
    assert surveys.get_survey(db, site, "shop-pulse").status == "active"
    assert drafts.get_draft(db, site, "shop-pulse").text
    assert shares.shares_of_survey(db, site, "shop-pulse")[0].revoked_at is None
    assert customers.customer_profile(db, site, "cust-a")["responses"]
    assert journeys.get_journey(db, site.id, "checkout") is not None
    assert activate.get_rule(db, site, a["rule"]) is not None
    assert admin_key_by_id(db, admin_key_of(db, a["key_a"]).id) is not None


def test_the_marker_is_there_for_a_key_that_may_see_it(client, db, site, site_a):
    # The walk below would prove nothing if the marker could not be seen at all.
    operator = bearer(create_admin_key(db, "ops"))
    reply = client.get(f"/api/export/answers.jsonl?site={site.key}", headers=operator)
    assert reply.status_code == 200 and _leaks(reply)
    assert _leaks(client.get("/api/customers/cust-a", headers=bearer(site_a["key_a"])))


def test_a_site_b_key_naming_site_a_is_refused_on_every_admin_route(
    client, app, db, site, site_a, key_b
):
    walked = 0
    for method, rule in routes(app, "/api/"):
        path = fill(rule, site_a_ids(site_a, db))
        reply = client.open(
            f"{path}?site={site.key}", method=method, json={}, headers=bearer(key_b)
        )
        assert reply.status_code == 403, (method, rule, reply.get_data(as_text=True)[:300])
        assert not _leaks(reply), (method, rule)
        walked += 1
    assert walked > 40
    _site_a_intact(db, site, site_a)


def test_a_site_b_key_reads_and_changes_nothing_of_site_a_on_every_admin_route(
    client, app, db, site, site_a, key_b
):
    for method, rule in routes(app, "/api/"):
        path = fill(rule, site_a_ids(site_a, db))
        for body in ({}, {"site": site.key}):
            reply = client.open(path, method=method, json=body, headers=bearer(key_b))
            assert reply.status_code < 500, (method, rule, reply.get_data(as_text=True)[:300])
            assert not _leaks(reply), (method, rule, body, reply.get_data(as_text=True)[:300])
            made = reply.get_json(silent=True) or {}
            if isinstance(made, dict) and isinstance(made.get("url"), str):
                # A link made with site B's key (an export, a share) shows none of site A's.
                followed = client.get(made["url"].replace("http://localhost", ""))
                assert not _leaks(followed), (method, rule, body, made["url"])
    _site_a_intact(db, site, site_a)


def test_a_console_signed_in_with_site_b_shows_and_changes_nothing_of_site_a(
    client, app, db, site, site_a, key_b
):
    console = Console(client)
    console.sign_in(key_b)
    forms = [FORM, {"confirm": "cust-a", "site": site.key}]
    assert console.post("/console/site", {"site": site.key}).status_code == 404
    walked = 0
    for method, rule in routes(app, "/console/"):
        path = fill(rule, site_a_ids(site_a, db))
        for form in forms if method == "POST" else [None]:
            reply = console.get(path) if form is None else console.post(path, form)
            if path == "/console/sign-out":
                console.sign_in(key_b)
            assert reply.status_code < 500, (method, rule, reply.get_data(as_text=True)[:300])
            assert not _leaks(reply), (method, rule, reply.get_data(as_text=True)[:300])
        walked += 1
    assert walked > 30
    assert CSRF.search(console.get("/console/surveys").get_data(as_text=True))
    _site_a_intact(db, site, site_a)
