"""Admin API for the three phases: journeys and path rules, phases, rules, lift and diagnosis.

Every view needs the admin key; ``?site=KEY`` picks the site (optional with exactly one site).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import activate, journeys
from cxlisten.diagnose import diagnose
from cxlisten.errors import InvalidInput
from cxlisten.results import to_json
from cxlisten.sites import pick_site

bp = Blueprint("admin_phases", __name__)


def _site():
    return pick_site(deployment().db, request.args.get("site"))


def _body() -> dict:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object", {"_body": ["expected a JSON object"]})
    return data


def _named(name: str) -> dict:
    """Return the body with NAME from the URL (a different name in the body is an error)."""
    body = _body()
    if body.setdefault("name", name) != name:
        raise InvalidInput("name differs from the URL", {"name": [f"expected {name!r}"]})
    return body


def _ms(arg: str) -> int | None:
    value = request.args.get(arg)
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 15:
        raise InvalidInput(f"invalid {arg}", {arg: ["milliseconds since the epoch"]})
    return int(value)


@bp.get("/api/journeys")
@require_admin
def list_journeys():
    db, site = deployment().db, _site()
    return jsonify(
        {
            "journeys": [j.as_dict() for j in journeys.list_journeys(db, site.id)],
            "paths": journeys.path_rules(db, site.id).as_dict(),
        }
    )


@bp.get("/api/journeys/<name>")
@require_admin
def get_journey(name):
    return jsonify(journeys.get_journey(deployment().db, _site().id, name).as_dict())


@bp.put("/api/journeys/<name>")
@require_admin
def put_journey(name):
    journey = journeys.save_journey(deployment().db, _site().id, _named(name))
    return jsonify(journey.as_dict())


@bp.delete("/api/journeys/<name>")
@require_admin
def delete_journey(name):
    journeys.delete_journey(deployment().db, _site().id, name)
    return "", 204


@bp.put("/api/journeys/<name>/phase")
@require_admin
def put_phase(name):
    body = _body()
    phase = journeys.set_phase(deployment().db, _site().id, name, body.get("phase"))
    return jsonify({"journey": name, "phase": phase})


@bp.put("/api/paths")
@require_admin
def put_paths():
    rules = journeys.set_path_rules(deployment().db, _site().id, _body())
    return jsonify(rules.as_dict())


@bp.get("/api/rules")
@require_admin
def list_rules():
    return jsonify({"rules": activate.list_rules(deployment().db, _site())})


@bp.get("/api/rules/<name>")
@require_admin
def get_rule(name):
    return jsonify(activate.get_rule(deployment().db, _site(), name))


@bp.put("/api/rules/<name>")
@require_admin
def put_rule(name):
    return jsonify(activate.save_rule(deployment().db, _site(), _named(name)))


@bp.delete("/api/rules/<name>")
@require_admin
def delete_rule(name):
    activate.delete_rule(deployment().db, _site(), name)
    return "", 204


@bp.get("/api/rules/<name>/lift")
@require_admin
def rule_lift(name):
    return jsonify(
        activate.lift(deployment().db, _site(), name, since=_ms("since"), until=_ms("until"))
    )


@bp.get("/api/track")
@require_admin
def track():
    return jsonify(to_json(diagnose(deployment().db, _site(), _ms("since"), _ms("until"))))


_SITE = {
    "in": "query",
    "name": "site",
    "schema": {"type": "string"},
    "description": "Site key (optional when the database has one site)",
}
_NAME = {"in": "path", "name": "name", "required": True, "schema": {"type": "string"}}
_WINDOW = [
    {
        "in": "query",
        "name": n,
        "schema": {"type": "integer", "minimum": 0},
        "description": "ms since the epoch",
    }
    for n in ("since", "until")
]
_JSON = {"application/json": {"schema": {"type": "object"}}}
_ERRORS = {
    "400": {"description": "Invalid input, every error located"},
    "401": {"description": "Admin key required"},
    "404": {"description": "Unknown site, journey or rule"},
}


def _op(summary: str, params=(), body: bool = False, ok: str = "200") -> dict:
    op = {
        "summary": summary,
        "tags": ["phases"],
        "security": [{"adminKey": []}],
        "parameters": [_SITE, *params],
        "responses": {
            ok: {"description": "OK", **({"content": _JSON} if ok != "204" else {})},
            **_ERRORS,
        },
    }
    if body:
        op["requestBody"] = {"required": True, "content": _JSON}
    return op


OPENAPI = {
    "/api/journeys": {"get": _op("List journeys and path rules")},
    "/api/journeys/{name}": {
        "get": _op("Get a journey", [_NAME]),
        "put": _op("Create or replace a journey (steps, goal, kind)", [_NAME], body=True),
        "delete": _op("Delete a journey", [_NAME], ok="204"),
    },
    "/api/journeys/{name}/phase": {
        "put": _op("Set a journey's phase: track, deepdive or activate", [_NAME], body=True),
    },
    "/api/paths": {"put": _op("Set the path normalisation rules", body=True)},
    "/api/rules": {"get": _op("List activation rules in the order they are tried")},
    "/api/rules/{name}": {
        "get": _op("Get a rule", [_NAME]),
        "put": _op("Create or replace a rule (when → then)", [_NAME], body=True),
        "delete": _op("Delete a rule", [_NAME], ok="204"),
    },
    "/api/rules/{name}/lift": {
        "get": _op("Goal rate of the shown arm vs holdout, with 95% intervals", [_NAME, *_WINDOW]),
    },
    "/api/track": {"get": _op("Diagnose: common and problematic journeys", _WINDOW)},
}
