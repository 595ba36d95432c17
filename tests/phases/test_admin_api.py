"""Admin API for journeys, phases, path rules, activation rules, lift and diagnosis."""

from __future__ import annotations

import pytest

JOURNEY = {"steps": ["/cart", "/checkout", "/checkout/done"], "title": "Checkout"}
RULE = {
    "level": "reactive",
    "then": {"show": {"kind": "channel", "title": {"en": "Chat"}, "url": "/help/chat"}},
}


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/journeys"),
        ("put", "/api/journeys/checkout"),
        ("get", "/api/rules"),
        ("put", "/api/rules/x"),
        ("get", "/api/track"),
        ("put", "/api/journeys/checkout/phase"),
        ("delete", "/api/rules/x"),
        ("put", "/api/paths"),
    ],
)
def test_every_endpoint_needs_the_admin_key(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"]


def test_journey_lifecycle(client, admin_headers):
    put = client.put("/api/journeys/checkout", json=JOURNEY, headers=admin_headers)
    assert put.status_code == 200
    assert put.get_json()["goal"] == "/checkout/done" and put.get_json()["phase"] == "track"
    phase = client.put(
        "/api/journeys/checkout/phase", json={"phase": "activate"}, headers=admin_headers
    )
    assert phase.get_json() == {"journey": "checkout", "phase": "activate"}
    listed = client.get("/api/journeys", headers=admin_headers).get_json()
    assert [j["name"] for j in listed["journeys"]] == ["checkout"]
    assert listed["journeys"][0]["phase"] == "activate" and "help" in listed["paths"]
    assert client.delete("/api/journeys/checkout", headers=admin_headers).status_code == 204
    assert client.get("/api/journeys/checkout", headers=admin_headers).status_code == 404


@pytest.mark.parametrize(
    "path, body, status, field",
    [
        ("/api/journeys/checkout", {"steps": []}, 400, "steps"),
        ("/api/journeys/checkout", {**JOURNEY, "name": "other"}, 400, "name"),
        ("/api/journeys/Bad Name", JOURNEY, 400, "name"),
        ("/api/journeys/nope/phase", {"phase": "activate"}, 404, "journey"),
        ("/api/journeys/checkout/phase", {"phase": "soon"}, 400, "phase"),
        ("/api/paths", {"rules": [{"regex": "("}]}, 400, "rules.0.regex"),
        ("/api/rules/r", {**RULE, "level": "x"}, 400, "level"),
        ("/api/rules/r", {**RULE, "when": [{"score": "nps", "max": "low"}]}, 400, "when.0.max"),
        ("/api/rules/r", [], 400, "_body"),
    ],
)
def test_bad_input_gets_located_errors(client, admin_headers, path, body, status, field):
    client.put("/api/journeys/checkout", json=JOURNEY, headers=admin_headers)
    response = client.put(path, json=body, headers=admin_headers)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


def test_rule_lifecycle_and_lift(client, admin_headers):
    client.put("/api/journeys/checkout", json=JOURNEY, headers=admin_headers)
    put = client.put("/api/rules/chat", json={**RULE, "journey": "checkout"}, headers=admin_headers)
    assert put.status_code == 200 and put.get_json()["name"] == "chat"
    assert [
        r["name"] for r in client.get("/api/rules", headers=admin_headers).get_json()["rules"]
    ] == ["chat"]
    lift = client.get("/api/rules/chat/lift", headers=admin_headers).get_json()
    assert lift["verdict"] == "not enough data" and lift["goal"] == "/checkout/done"
    assert client.get("/api/rules/chat/lift?since=x", headers=admin_headers).status_code == 400
    assert client.delete("/api/rules/chat", headers=admin_headers).status_code == 204
    assert client.delete("/api/rules/chat", headers=admin_headers).status_code == 404


def test_track_endpoint_diagnoses(client, admin_headers):
    client.put("/api/journeys/checkout", json=JOURNEY, headers=admin_headers)
    result = client.get("/api/track?since=0", headers=admin_headers).get_json()
    assert result["sessions"] == 0 and result["journeys"][0]["name"] == "checkout"


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in (
        "/api/journeys",
        "/api/journeys/{name}",
        "/api/journeys/{name}/phase",
        "/api/rules",
        "/api/rules/{name}",
        "/api/rules/{name}/lift",
        "/api/track",
        "/api/paths",
    ):
        assert path in paths
