"""/openapi.json is generated from the schemas and describes every route."""

from __future__ import annotations

import re


def test_openapi_lists_every_route(client, app):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("console."):
            continue  # the console's HTML pages are not API (docs/console.md describes them)
        path = re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"{\1}", rule.rule)
        assert path in documented, f"{path} missing from /openapi.json"


def test_collect_body_comes_from_the_marshmallow_schema(client):
    spec = client.get("/openapi.json").get_json()
    envelope = spec["components"]["schemas"]["Envelope"]
    assert set(envelope["required"]) == {"site", "events"}
    body = spec["paths"]["/v1/collect"]["post"]["requestBody"]["content"]
    assert body["text/plain"]["schema"] == {"$ref": "#/components/schemas/Envelope"}


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_views_declare_their_operations_and_parameters_come_from_their_schemas(client):
    spec = client.get("/openapi.json").get_json()
    track = spec["paths"]["/api/track"]["get"]
    params = {p["name"]: p for p in track["parameters"]}
    assert set(params) == {"site", "since", "until"}  # WindowQuery, the schema the view loads
    assert params["since"]["schema"]["type"] == "integer"
    why = {p["name"]: p for p in spec["paths"]["/api/why-not"]["get"]["parameters"]}
    assert why["visitor"]["required"] and why["url"]["required"]


def test_each_kind_of_definition_has_its_own_body(client):
    spec = client.get("/openapi.json").get_json()
    body = {
        kinds: spec["paths"][f"/api/{kinds}"]["post"]["requestBody"]["content"]["application/json"]
        for kinds in ("surveys", "interventions")
    }
    assert body["surveys"]["schema"]["$ref"].endswith("/SurveyDefinition")
    assert body["interventions"]["schema"]["$ref"].endswith("/InterventionDefinition")


def test_the_scripts_are_documented_by_name(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/sdk.js", "/widget.js"} <= set(paths)
