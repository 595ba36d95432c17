"""Admin API for surveys and interventions, "why didn't it show?" and visitor erasure.

Every view needs the admin key (``Authorization: Bearer <key>``). ``?site=KEY`` picks the site;
it may be left out when the database has exactly one.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from collector.auth import require_admin
from collector.browser import deployment
from cxlisten import surveys
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.schemas.surveys import InterventionDefinition, SurveyDefinition
from cxlisten.sites import pick_site
from cxlisten.surveys import admin
from cxlisten.surveys.profile import erase_visitor, profile

bp = Blueprint("admin_surveys", __name__)

KINDS = {"surveys": "survey", "interventions": "intervention"}


def _route(method: str, rule: str):
    """Register the view under /api/surveys... and /api/interventions... (``kinds`` tells which)."""

    def register(view):
        for kinds in KINDS:
            bp.add_url_rule(
                rule.format(kinds=kinds),
                endpoint=f"{view.__name__}_{kinds}",
                view_func=view,
                methods=[method],
                defaults={"kinds": kinds},
            )
        return view

    return register


def _site():
    return pick_site(deployment().db, request.args.get("site"))


def _body() -> dict:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object", {"_body": ["expected a JSON object"]})
    return data


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise InvalidInput(f"invalid {name}", {name: ["must be a whole number"]})
    return int(value)


@_route("GET", "/api/{kinds}")
@require_admin
def list_all(kinds):
    """List surveys (or interventions) with status, version and response counts."""
    db = deployment().db
    found = surveys.list_surveys(
        db, _site(), kind=KINDS[kinds], include_archived=request.args.get("archived") == "1"
    )
    return jsonify({kinds: [admin.summary(db, s) for s in found]})


@_route("POST", "/api/{kinds}")
@require_admin
def create(kinds):
    """Create from a definition; every error located (questions[2].options: ...)."""
    db = deployment().db
    survey = surveys.create_survey(db, _site(), _body(), kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey)), 201


@_route("GET", "/api/{kinds}/<slug>")
@require_admin
def show(kinds, slug):
    """Show the current definition (or ?version=N), versions and response counts."""
    db = deployment().db
    survey = surveys.get_survey(db, _site(), slug, kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey, _int_arg("version")))


@_route("PUT", "/api/{kinds}/<slug>")
@require_admin
def update(kinds, slug):
    """Replace the definition; a new version when the current one has responses."""
    db = deployment().db
    survey = surveys.update_survey(db, _site(), slug, _body(), kind=KINDS[kinds])
    return jsonify(admin.detail(db, survey))


def _set_status(kinds: str, slug: str, status: str):
    db = deployment().db
    survey = surveys.set_status(db, _site(), slug, status, kind=KINDS[kinds])
    return jsonify(admin.summary(db, survey))


@_route("POST", "/api/{kinds}/<slug>/pause")
@require_admin
def pause(kinds, slug):
    """Stop serving it (still listed)."""
    return _set_status(kinds, slug, "paused")


@_route("POST", "/api/{kinds}/<slug>/resume")
@require_admin
def resume(kinds, slug):
    """Serve it again."""
    return _set_status(kinds, slug, "active")


@_route("POST", "/api/{kinds}/<slug>/archive")
@require_admin
def archive(kinds, slug):
    """Stop serving it and leave it out of lists."""
    return _set_status(kinds, slug, "archived")


@bp.get("/api/surveys/<slug>/responses")
@require_admin
def response_counts(slug):
    """Partial and complete responses, in total and per version (bots left out)."""
    db = deployment().db
    survey = surveys.get_survey(db, _site(), slug, kind="survey")
    return jsonify({"id": slug, **surveys.response_counts(db, survey)})


@bp.get("/api/why-not")
@require_admin
def why_not():
    """For ?visitor= (id or token) and ?url=, each survey and the rule that decided it."""
    dep = deployment()
    missing = {k: ["required"] for k in ("visitor", "url") if not request.args.get(k)}
    if missing:
        raise InvalidInput("visitor and url are required", missing)
    return jsonify(
        admin.why_not(
            dep.db,
            dep.settings,
            dep.tokens,
            _site(),
            request.args["visitor"],
            request.args["url"],
            device=request.args.get("device"),
        )
    )


@bp.get("/api/visitors/<visitor_id>")
@require_admin
def show_visitor(visitor_id):
    """Everything kept about a visitor: attributes with provenance, counts, responses."""
    data = profile(deployment().db, _site(), visitor_id)
    if not data["events"] and not data["responses"] and not data["attributes"]:
        raise NotFound(f"no data about visitor {visitor_id!r} on this site")
    return jsonify({"visitor": visitor_id, **data})


@bp.delete("/api/visitors/<visitor_id>")
@require_admin
def erase(visitor_id):
    """Erase a visitor's events, sessions, responses, answers and attributes."""
    erased = erase_visitor(deployment().db, _site(), visitor_id, must_exist=True)
    return jsonify({"visitor": visitor_id, "erased": erased})


SCHEMAS = {"SurveyDefinition": SurveyDefinition, "InterventionDefinition": InterventionDefinition}
_SITE = {
    "in": "query",
    "name": "site",
    "schema": {"type": "string"},
    "description": "Site key; optional when the database has one site",
}
_SECURITY = [{"adminKey": []}]


def _op(summary: str, ok: str = "200", body: str | None = None, params=()) -> dict:
    op = {
        "summary": summary,
        "security": _SECURITY,
        "parameters": [_SITE, *params],
        "responses": {
            ok: {"description": "OK"},
            "400": {"description": "Invalid input, every error located"},
            "401": {"description": "Admin key missing or wrong"},
            "404": {"description": "No such site, survey or intervention"},
        },
    }
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _slug(kind: str) -> dict:
    return {
        "in": "path",
        "name": "slug",
        "required": True,
        "schema": {"type": "string"},
        "description": f"The {kind}'s id",
    }


OPENAPI: dict = {}
for _plural, _kind in KINDS.items():
    _schema = "SurveyDefinition" if _kind == "survey" else "InterventionDefinition"
    OPENAPI[f"/api/{_plural}"] = {
        "get": _op(f"List {_plural} (?archived=1 includes archived)"),
        "post": _op(f"Create a {_kind}", "201", _schema),
    }
    OPENAPI[f"/api/{_plural}/{{slug}}"] = {
        "get": _op(f"Show a {_kind} (?version=N for an older version)", params=[_slug(_kind)]),
        "put": _op(f"Replace a {_kind}'s definition", body=_schema, params=[_slug(_kind)]),
    }
    for _verb in ("pause", "resume", "archive"):
        OPENAPI[f"/api/{_plural}/{{slug}}/{_verb}"] = {
            "post": _op(f"{_verb.capitalize()} a {_kind}", params=[_slug(_kind)])
        }
OPENAPI["/api/surveys/{slug}/responses"] = {
    "get": _op("Response counts, total and per version", params=[_slug("survey")])
}
OPENAPI["/api/why-not"] = {
    "get": _op(
        "Why did (or didn't) each survey show for a visitor on a page?",
        params=[
            {"in": "query", "name": "visitor", "required": True, "schema": {"type": "string"}},
            {"in": "query", "name": "url", "required": True, "schema": {"type": "string"}},
            {"in": "query", "name": "device", "schema": {"enum": ["desktop", "mobile", "tablet"]}},
        ],
    )
}
OPENAPI["/api/visitors/{visitor_id}"] = {
    "get": _op(
        "A visitor's profile: attributes with provenance, counts and responses",
        params=[
            {"in": "path", "name": "visitor_id", "required": True, "schema": {"type": "string"}}
        ],
    ),
    "delete": _op(
        "Erase a visitor's events, sessions, responses and attributes",
        params=[
            {"in": "path", "name": "visitor_id", "required": True, "schema": {"type": "string"}}
        ],
    ),
}
