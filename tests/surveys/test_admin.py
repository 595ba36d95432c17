"""Admin API: surveys and interventions, counts, why-not, erasure — all behind the admin key."""

from __future__ import annotations

import pytest

from cxlisten import sites
from tests.surveys.conftest import DEEPDIVE, HELP, PULSE, definition

ENDPOINTS = [
    ("GET", "/api/surveys"),
    ("POST", "/api/surveys"),
    ("GET", "/api/surveys/cart"),
    ("PUT", "/api/surveys/cart"),
    ("POST", "/api/surveys/cart/pause"),
    ("POST", "/api/surveys/cart/resume"),
    ("POST", "/api/surveys/cart/archive"),
    ("GET", "/api/surveys/cart/responses"),
    ("GET", "/api/interventions"),
    ("POST", "/api/interventions"),
    ("GET", "/api/interventions/need-help"),
    ("PUT", "/api/interventions/need-help"),
    ("POST", "/api/interventions/need-help/pause"),
    ("GET", "/api/why-not?visitor=v&url=https://shop.example/"),
    ("GET", "/api/visitors/abc"),
    ("DELETE", "/api/visitors/abc"),
]


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Bearer cxadmin_wrong", "Basic eDp5"])
def test_every_admin_call_needs_the_admin_key(client, add, db, auth):
    add(DEEPDIVE)
    add(HELP)
    headers = {"Authorization": auth} if auth else {}
    for method, path in ENDPOINTS:
        r = client.open(path, method=method, headers=headers, json=DEEPDIVE)
        assert r.status_code == 401, (method, path)
        assert r.get_json()["error"]["code"] == "unauthorized"
    assert db.execute("SELECT status FROM surveys").fetchall() == [("active",), ("active",)]


def test_create_list_show(client, admin_headers):
    r = client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    assert r.status_code == 201
    created = r.get_json()
    assert created["id"] == "cart" and created["version"] == 1 and created["status"] == "active"
    assert created["definition"]["questions"][0]["saves_as"] == "checkout_blocker"
    client.post("/api/interventions", json=HELP, headers=admin_headers)
    listed = client.get("/api/surveys", headers=admin_headers).get_json()["surveys"]
    assert [(s["id"], s["responses"]["complete"]) for s in listed] == [("cart", 0)]
    assert [
        i["id"]
        for i in client.get("/api/interventions", headers=admin_headers).get_json()["interventions"]
    ] == ["need-help"]
    shown = client.get("/api/surveys/cart", headers=admin_headers).get_json()
    assert shown["versions"][0]["version"] == 1 and shown["questions"] == 4


def test_create_reports_every_error_located(client, admin_headers):
    bad = definition(
        PULSE,
        trigger={"type": "dwell"},
        questions=[{"id": "a", "type": "single", "text": {"en": "?"}, "options": []}],
    )
    r = client.post("/api/surveys", json=bad, headers=admin_headers)
    assert r.status_code == 400
    assert r.get_json()["error"]["fields"] == {
        "questions[0].options": ["at least 2 options required"],
        "trigger.seconds": ["required for dwell triggers"],
    }


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_create_needs_a_json_object(client, admin_headers, body):
    r = client.post(
        "/api/surveys", data=body, headers=admin_headers, content_type="application/json"
    )
    assert r.status_code == 400 and "_body" in r.get_json()["error"]["fields"]


def test_create_twice_is_refused(client, admin_headers):
    client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    r = client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    assert r.status_code == 400 and "id" in r.get_json()["error"]["fields"]


def test_an_intervention_is_not_a_survey(client, admin_headers):
    assert client.post("/api/surveys", json=HELP, headers=admin_headers).status_code == 400
    client.post("/api/interventions", json=HELP, headers=admin_headers)
    assert client.get("/api/surveys/need-help", headers=admin_headers).status_code == 404


def test_update_makes_a_version_once_there_are_responses(client, admin_headers, visitor):
    client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    edited = definition(DEEPDIVE, priority=50)
    assert (
        client.put("/api/surveys/cart", json=edited, headers=admin_headers).get_json()["version"]
        == 1
    )
    visitor.respond(answers=[{"question": "reason", "value": "price"}], complete=True)
    r = client.put("/api/surveys/cart", json=DEEPDIVE, headers=admin_headers)
    assert r.status_code == 200 and r.get_json()["version"] == 2
    old = client.get("/api/surveys/cart?version=1", headers=admin_headers).get_json()
    assert old["definition"]["priority"] == 50 and old["shown_version"] == 1
    counts = client.get("/api/surveys/cart/responses", headers=admin_headers).get_json()
    assert counts == {
        "id": "cart",
        "partial": 0,
        "complete": 1,
        "versions": [{"version": 1, "partial": 0, "complete": 1}],
    }


def test_update_cannot_change_the_id(client, admin_headers):
    client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    r = client.put(
        "/api/surveys/cart", json=definition(DEEPDIVE, id="other"), headers=admin_headers
    )
    assert r.status_code == 400 and r.get_json()["error"]["fields"] == {"id": ["must stay 'cart'"]}


def test_pause_resume_archive(client, admin_headers, visitor):
    client.post("/api/surveys", json=DEEPDIVE, headers=admin_headers)
    for verb, status, served in [
        ("pause", "paused", False),
        ("resume", "active", True),
        ("archive", "archived", False),
    ]:
        r = client.post(f"/api/surveys/cart/{verb}", headers=admin_headers)
        assert r.status_code == 200 and r.get_json()["status"] == status
        assert (visitor.shown(visitor.config("/cart")) == ["cart"]) is served
    assert client.get("/api/surveys", headers=admin_headers).get_json()["surveys"] == []
    archived = client.get("/api/surveys?archived=1", headers=admin_headers).get_json()
    assert [s["id"] for s in archived["surveys"]] == ["cart"]


def test_unknown_survey_is_404(client, admin_headers):
    assert client.post("/api/surveys/nope/pause", headers=admin_headers).status_code == 404


def test_site_must_be_named_when_there_are_several(client, admin_headers, db, site):
    other = sites.create_site(db, "Blog", ["https://blog.example"])
    r = client.get("/api/surveys", headers=admin_headers)
    assert r.status_code == 400 and "site" in r.get_json()["error"]["fields"]
    r = client.post(f"/api/surveys?site={other.key}", json=PULSE, headers=admin_headers)
    assert r.status_code == 201
    assert (
        client.get(f"/api/surveys?site={site.key}", headers=admin_headers).get_json()["surveys"]
        == []
    )


def test_why_not(client, admin_headers, add, visitor):
    add(DEEPDIVE)
    add(PULSE, audience={"devices": ["mobile"]})
    visitor.visit("/cart")
    r = client.get(
        "/api/why-not",
        headers=admin_headers,
        query_string={"visitor": visitor.visitor, "url": "https://shop.example/cart"},
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["device"] == "desktop" and body["device_from"] == "latest session"
    reasons = {d["id"]: (d["shown"], d["reason"]) for d in body["decisions"]}
    assert reasons == {
        "cart": (True, "shown: every rule matched"),
        "pulse": (False, "device: desktop; wanted mobile"),
    }
    mobile = client.get(
        "/api/why-not",
        headers=admin_headers,
        query_string={
            "visitor": body["visitor"],
            "url": "https://shop.example/cart",
            "device": "mobile",
        },
    )
    assert {d["id"]: d["shown"] for d in mobile.get_json()["decisions"]} == {
        "cart": True,
        "pulse": False,
    }  # the budget lets one survey through: cart has priority


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"url": "https://shop.example/"}, "visitor"),
        ({"visitor": "v"}, "url"),
        ({"visitor": "v", "url": "/cart"}, "url"),
        ({"visitor": "v", "url": "https://shop.example/", "device": "watch"}, "device"),
        ({"visitor": "v1.forged", "url": "https://shop.example/"}, "visitor"),
    ],
)
def test_why_not_bad_queries(client, admin_headers, query, field):
    r = client.get("/api/why-not", headers=admin_headers, query_string=query)
    assert r.status_code == 400 and field in r.get_json()["error"]["fields"]


def test_operator_erases_a_visitor(client, admin_headers, add, visitor, tokens, site, db):
    add(DEEPDIVE)
    visitor.visit("/cart")
    visitor.respond(answers=[{"question": "reason", "value": "shipping"}])
    vid = tokens.read(visitor.visitor, site.id)
    r = client.delete(f"/api/visitors/{vid}", headers=admin_headers)
    assert r.status_code == 200
    assert r.get_json()["erased"] == {
        "answers": 1,
        "responses": 1,
        "attributes": 1,
        "attribute_history": 1,
        "events": 1,
        "action_exposures": 0,
        "sessions": 1,
        "customer_visitors": 0,
        "visitors": 1,
        "webhook_outbox": 0,
    }
    assert client.delete(f"/api/visitors/{vid}", headers=admin_headers).status_code == 404


def test_operator_reads_a_visitors_profile(client, admin_headers, add, visitor, tokens, site):
    add(DEEPDIVE)
    visitor.visit("/cart")
    visitor.respond(answers=[{"question": "reason", "value": "shipping"}])
    vid = tokens.read(visitor.visitor, site.id)
    body = client.get(f"/api/visitors/{vid}", headers=admin_headers).get_json()
    assert body["visitor"] == vid and body["events"] == 1
    assert [(a["name"], a["value"]) for a in body["attributes"]] == [
        ("checkout_blocker", "shipping")
    ]
    assert client.get("/api/visitors/nobody", headers=admin_headers).status_code == 404
