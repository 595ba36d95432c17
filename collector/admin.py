"""Admin API for surveys and interventions, "why didn't it show?" and visitor erasure.

Every view needs the admin key (``Authorization: Bearer <key>``). ``?site=KEY`` picks the site;
it may be left out when the database has exactly one. Each view declares its OpenAPI operation in
its docstring (collector/openapi.py); the survey and intervention views are one function each,
registered once per kind with ``{kind}``, ``{a_kind}``, ``{kinds}`` and ``{Definition}`` filled.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.admin_input import json_body, query
from collector.admin_input import site as _site  # the site ?site= names
from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import surveys
from cxlisten.errors import NotFound
from cxlisten.schemas.admin import LIST_QUERY, VERSION_QUERY, WHY_NOT_QUERY
from cxlisten.surveys import admin
from cxlisten.surveys.profile import erase_visitor, profile

bp = Blueprint("admin_surveys", __name__)

KINDS = {"surveys": "survey", "interventions": "intervention"}
_DOC = {
    "surveys": {"{kind}": "survey", "{a_kind}": "a survey", "{Definition}": "SurveyDefinition"},
    "interventions": {
        "{kind}": "intervention",
        "{a_kind}": "an intervention",
        "{Definition}": "InterventionDefinition",
    },
}


def _route(method: str, rule: str):
    """Register the view under /api/surveys... and /api/interventions... (``kinds`` tells which)."""

    def register(view):
        for kinds in KINDS:

            def bound(*args, _view=view, _kinds=kinds, **kwargs):
                return _view(_kinds, *args, **kwargs)

            bound.__name__ = f"{view.__name__}_{kinds}"
            doc = view.__doc__.replace("{kinds}", kinds)
            for placeholder, text in _DOC[kinds].items():
                doc = doc.replace(placeholder, text)
            bound.__doc__ = doc
            bp.add_url_rule(
                rule.format(kinds=kinds), endpoint=bound.__name__, view_func=bound, methods=[method]
            )
        return view

    return register


@_route("GET", "/api/{kinds}")
@require_admin
def list_all(kinds):
    """List surveys (or interventions) with status, version and response counts.
    ---
    get:
      summary: List {kinds} (?archived=1 includes archived)
      security: [{adminKey: []}]
      parameters: [{in: query, schema: ListQuery}]
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    args = query(LIST_QUERY)
    found = surveys.list_surveys(
        db, _site(args), kind=KINDS[kinds], include_archived=args["archived"] == "1"
    )
    return jsonify({kinds: [admin.summary(db, s) for s in found]})


@_route("POST", "/api/{kinds}")
@require_admin
def create(kinds):
    """Create from a definition; every error located (questions[2].options: ...).
    ---
    post:
      summary: Create {a_kind}
      security: [{adminKey: []}]
      parameters: [site]
      requestBody: {required: true, content: {application/json: {schema: {Definition}}}}
      responses: {201: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    survey = surveys.create_survey(db, _site(), json_body(), kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey)), 201


@_route("GET", "/api/{kinds}/<slug>")
@require_admin
def show(kinds, slug):
    """Show the current definition (or ?version=N), versions and response counts.
    ---
    get:
      summary: Show {a_kind} (?version=N for an older version)
      security: [{adminKey: []}]
      parameters:
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
        - {in: query, schema: VersionQuery}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    args = query(VERSION_QUERY)
    survey = surveys.get_survey(db, _site(args), slug, kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey, args["version"]))


@_route("PUT", "/api/{kinds}/<slug>")
@require_admin
def update(kinds, slug):
    """Replace the definition; a new version when the current one has responses.
    ---
    put:
      summary: Replace {a_kind}'s definition
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      requestBody: {required: true, content: {application/json: {schema: {Definition}}}}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    survey = surveys.update_survey(db, _site(), slug, json_body(), kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey))


def _set_status(kinds: str, slug: str, status: str):
    db = deployment().db
    survey = surveys.set_status(db, _site(), slug, status, kind=KINDS[kinds])
    return jsonify(admin.summary(db, survey))


@_route("POST", "/api/{kinds}/<slug>/pause")
@require_admin
def pause(kinds, slug):
    """Stop serving it (still listed).
    ---
    post:
      summary: Pause {a_kind}
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    return _set_status(kinds, slug, "paused")


@_route("POST", "/api/{kinds}/<slug>/resume")
@require_admin
def resume(kinds, slug):
    """Serve it again.
    ---
    post:
      summary: Resume {a_kind}
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    return _set_status(kinds, slug, "active")


@_route("POST", "/api/{kinds}/<slug>/archive")
@require_admin
def archive(kinds, slug):
    """Stop serving it and leave it out of lists.
    ---
    post:
      summary: Archive {a_kind}
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    return _set_status(kinds, slug, "archived")


@bp.get("/api/surveys/<slug>/responses")
@require_admin
def response_counts(slug):
    """Partial and complete responses, in total and per version (bots left out).
    ---
    get:
      summary: Response counts, total and per version
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    survey = surveys.get_survey(db, _site(), slug, kind="survey")
    return jsonify({"id": slug, **surveys.response_counts(db, survey)})


@bp.get("/api/why-not")
@require_admin
def why_not():
    """For ?visitor= (id or token) and ?url=, each survey and the rule that decided it.
    ---
    get:
      summary: Why did (or didn't) each survey show for a visitor on a page?
      security: [{adminKey: []}]
      parameters: [{in: query, schema: WhyNotQuery}]
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    dep = deployment()
    args = query(WHY_NOT_QUERY, "visitor and url are required")
    return jsonify(
        admin.why_not(
            dep.db,
            dep.settings,
            dep.tokens,
            _site(args),
            args["visitor"],
            args["url"],
            device=args["device"],
        )
    )


@bp.get("/api/visitors/<visitor_id>")
@require_admin
def show_visitor(visitor_id):
    """Everything kept about a visitor: attributes with provenance, counts, responses.
    ---
    get:
      summary: "A visitor's profile: attributes with provenance, counts and responses"
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: visitor_id, required: true, schema: {type: string}}]
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    data = profile(deployment().db, _site(), visitor_id)
    if not data["events"] and not data["responses"] and not data["attributes"]:
        raise NotFound(f"no data about visitor {visitor_id!r} on this site")
    return jsonify({"visitor": visitor_id, **data})


@bp.delete("/api/visitors/<visitor_id>")
@require_admin
def erase(visitor_id):
    """Erase a visitor's events, sessions, responses, answers and attributes.
    ---
    delete:
      summary: Erase a visitor's events, sessions, responses and attributes
      security: [{adminKey: []}]
      parameters: [site, {in: path, name: visitor_id, required: true, schema: {type: string}}]
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    erased = erase_visitor(deployment().db, _site(), visitor_id, must_exist=True)
    return jsonify({"visitor": visitor_id, "erased": erased})
