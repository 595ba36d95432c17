"""The visitor's own data (GET/DELETE /v1/me) and erasure by an operator."""

from __future__ import annotations

import pytest

from cxlisten.surveys.profile import erase_visitor
from tests.surveys.conftest import DEEPDIVE

TABLES = (
    "answers",
    "responses",
    "attributes",
    "events",
    "action_exposures",
    "sessions",
    "visitors",
)


@pytest.fixture
def answered(add, visitor):
    """A visitor who browsed two pages and answered the cart survey."""
    add(DEEPDIVE)
    visitor.visit("/product/lamp")
    visitor.visit("/cart")
    visitor.saw("cart")
    r = visitor.respond(
        answers=[{"question": "reason", "value": "shipping"}, {"question": "score", "value": 6}],
        complete=True,
    )
    assert r.status_code == 200
    return visitor


def count(db, table, visitor_column="visitor_id") -> int:
    column = "id" if table == "visitors" else visitor_column
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL").fetchone()[0]


def test_me_shows_attributes_with_provenance_counts_and_responses(answered):
    r = answered.me()
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["visitor"] == answered.visitor
    (attr,) = body["attributes"]
    assert {k: attr[k] for k in ("name", "value", "survey", "question", "version")} == {
        "name": "checkout_blocker",
        "value": "shipping",
        "survey": "cart",
        "question": "reason",
        "version": 1,
    }
    assert body["events"] == 3 and body["sessions"] == 1
    (response,) = body["responses"]
    assert response["survey"] == "cart" and response["status"] == "complete"
    assert [(a["question"], a["value"]) for a in response["answers"]] == [
        ("reason", "shipping"),
        ("score", "6"),
    ]


def test_me_without_a_token_is_an_empty_profile(visitor, site):
    body = visitor.me().get_json()
    assert body["attributes"] == [] and body["responses"] == [] and body["events"] == 0
    assert body["visitor"].startswith("v1.")


def test_a_foreign_token_reads_nothing(answered, new_visitor):
    stranger = new_visitor()
    stranger.visitor = answered.visitor[:-3] + "abc"  # tampered
    assert stranger.me().get_json()["attributes"] == []


def test_delete_me_erases_everything_and_gives_a_fresh_token(db, answered, tokens, site):
    vid = tokens.read(answered.visitor, site.id)
    db.execute(  # a next best action shown to this visitor (the phases' table)
        "INSERT INTO action_exposures (site_id, rule, action, arm, visitor_id, session_id, ts) "
        "VALUES (?, 'r', 'a', 'show', ?, 's', 1)",
        [site.id, vid],
    )
    assert all(count(db, t) for t in TABLES)
    old = answered.visitor
    r = answered.me("DELETE")
    assert r.status_code == 200
    body = r.get_json()
    assert body["erased"] == {
        "answers": 2,
        "responses": 1,
        "attributes": 1,
        "attribute_history": 1,
        "events": 3,
        "action_exposures": 1,
        "sessions": 1,
        "customer_visitors": 0,
        "visitors": 1,
        "webhook_outbox": 0,
    }
    assert body["visitor"] != old
    assert not any(count(db, t) for t in TABLES)
    answered.visitor = old
    assert answered.me().get_json()["events"] == 0


def test_erasing_one_visitor_leaves_the_others(db, add, answered, new_visitor, tokens, site):
    other = new_visitor()
    other.visit("/")
    erase_visitor(db, site, tokens.read(answered.visitor, site.id))
    assert count(db, "events") == 1 and count(db, "sessions") == 1


def test_me_refuses_foreign_origins(answered):
    answered.headers["Origin"] = "https://evil.example"
    assert answered.me().status_code == 403
    assert answered.me("DELETE").status_code == 403


def test_me_needs_a_site(client):
    r = client.get("/v1/me")
    assert r.status_code == 400 and "site" in r.get_json()["error"]["fields"]


def test_do_not_track_does_not_stop_reading_or_erasing(db, answered):
    answered.headers["Sec-GPC"] = "1"
    assert answered.me().get_json()["attributes"][0]["name"] == "checkout_blocker"
    assert answered.me("DELETE").get_json()["erased"]["responses"] == 1
    assert count(db, "responses") == 0
