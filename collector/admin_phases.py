"""Admin API for the three phases: journeys and path rules, phases, rules, lift and diagnosis.

Every view needs the admin key; ``?site=KEY`` picks the site (optional with exactly one site).
Each view declares its OpenAPI operation in its docstring (collector/openapi.py).
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.admin_input import json_body, query
from collector.admin_input import site as _site  # the site ?site= names
from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import activate, journeys
from cxlisten import intervention_lift as holdouts
from cxlisten import process_scores as scores
from cxlisten.diagnose import diagnose
from cxlisten.errors import InvalidInput
from cxlisten.results import to_json
from cxlisten.schemas.admin import PROCESS_SCORES_QUERY, WINDOW_QUERY

bp = Blueprint("admin_phases", __name__)


def _named(name: str) -> dict:
    """Return the body with NAME from the URL (a different name in the body is an error)."""
    body = json_body()
    if body.setdefault("name", name) != name:
        raise InvalidInput("name differs from the URL", {"name": [f"expected {name!r}"]})
    return body


@bp.get("/api/journeys")
@require_admin
def list_journeys():
    """List journeys and path rules.
    ---
    get:
      summary: List journeys and path rules
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site]
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
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
    """Get a journey.
    ---
    get:
      summary: Get a journey
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    return jsonify(journeys.get_journey(deployment().db, _site().id, name).as_dict())


@bp.put("/api/journeys/<name>")
@require_admin
def put_journey(name):
    """Create or replace a journey.
    ---
    put:
      summary: Create or replace a journey (steps, goal, kind)
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    journey = journeys.save_journey(deployment().db, _site().id, _named(name))
    return jsonify(journey.as_dict())


@bp.delete("/api/journeys/<name>")
@require_admin
def delete_journey(name):
    """Delete a journey.
    ---
    delete:
      summary: Delete a journey
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      responses:
        204: {description: OK}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    journeys.delete_journey(deployment().db, _site().id, name)
    return "", 204


@bp.put("/api/journeys/<name>/phase")
@require_admin
def put_phase(name):
    """Set a journey's phase.
    ---
    put:
      summary: "Set a journey's phase: track, deepdive or activate"
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    body = json_body()
    phase = journeys.set_phase(deployment().db, _site().id, name, body.get("phase"))
    return jsonify({"journey": name, "phase": phase})


@bp.put("/api/paths")
@require_admin
def put_paths():
    """Set the path normalisation rules.
    ---
    put:
      summary: Set the path normalisation rules
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site]
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    rules = journeys.set_path_rules(deployment().db, _site().id, json_body())
    return jsonify(rules.as_dict())


@bp.get("/api/rules")
@require_admin
def list_rules():
    """List activation rules.
    ---
    get:
      summary: List activation rules in the order they are tried
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site]
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    return jsonify({"rules": to_json(activate.list_rules(deployment().db, _site()))})


@bp.get("/api/rules/<name>")
@require_admin
def get_rule(name):
    """Get a rule.
    ---
    get:
      summary: Get a rule
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    return jsonify(to_json(activate.get_rule(deployment().db, _site(), name)))


@bp.put("/api/rules/<name>")
@require_admin
def put_rule(name):
    """Create or replace a rule.
    ---
    put:
      summary: Create or replace a rule (when → then)
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    return jsonify(to_json(activate.save_rule(deployment().db, _site(), _named(name))))


@bp.delete("/api/rules/<name>")
@require_admin
def delete_rule(name):
    """Delete a rule.
    ---
    delete:
      summary: Delete a rule
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: name, required: true, schema: {type: string}}]
      responses:
        204: {description: OK}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    activate.delete_rule(deployment().db, _site(), name)
    return "", 204


@bp.get("/api/rules/<name>/lift")
@require_admin
def rule_lift(name):
    """Lift of a rule.
    ---
    get:
      summary: Goal rate of the shown arm vs holdout, with 95% intervals
      tags: [phases]
      security: [{adminKey: []}]
      parameters:
        - {in: path, name: name, required: true, schema: {type: string}}
        - {in: query, schema: WindowQuery}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    args = query(WINDOW_QUERY)
    result = activate.lift(
        deployment().db, _site(args), name, since=args["since"], until=args["until"]
    )
    return jsonify(result)


@bp.get("/api/interventions/<slug>/lift")
@require_admin
def intervention_lift(slug):
    """Lift of an intervention's holdout.
    ---
    get:
      summary: Goal rate of visitors shown an intervention vs its holdout, with 95% intervals
      tags: [phases]
      security: [{adminKey: []}]
      parameters:
        - {in: path, name: slug, required: true, schema: {type: string}}
        - {in: query, schema: WindowQuery}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    args = query(WINDOW_QUERY)
    result = holdouts.lift(
        deployment().db, _site(args), slug, since=args["since"], until=args["until"]
    )
    return jsonify(result)


@bp.get("/api/process-scores")
@require_admin
def process_scores():
    """Process scores (``cxlisten process scores --json``).
    ---
    get:
      summary: Each process's four scores with intervals and trend, compared across processes
      tags: [phases]
      security: [{adminKey: []}]
      parameters:
        - {in: query, schema: WindowQuery}
        - {in: query, name: surveys, schema: {type: string}, description: Comma-separated ids}
        - {in: query, name: days, schema: {type: integer, default: 7}}
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    args = query(PROCESS_SCORES_QUERY)
    surveys = [s for s in (args["surveys"] or "").split(",") if s.strip()] or None
    report = scores.process_scores(
        deployment().db,
        _site(args),
        surveys,
        days=args["days"],
        since=args["since"],
        until=args["until"],
    )
    return jsonify(to_json(report))


@bp.get("/api/track")
@require_admin
def track():
    """Diagnose: the common and the problematic journeys (``cxlisten track --json``).
    ---
    get:
      summary: "Diagnose: common and problematic journeys"
      tags: [phases]
      security: [{adminKey: []}]
      parameters: [{in: query, schema: WindowQuery}]
      responses:
        200: {description: OK, content: {application/json: {schema: {type: object}}}}
        400: Invalid
        401: NoKey
        404: NotFound
    """
    args = query(WINDOW_QUERY)
    report = diagnose(deployment().db, _site(args), args["since"], args["until"])
    return jsonify(to_json(report))
