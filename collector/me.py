"""``GET /v1/me`` and ``DELETE /v1/me``: a visitor's own data, read or erased with their token."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from collector.browser import allow_origin_of, browser_request, deployment
from cxlisten.schemas.surveys import MeQuery
from cxlisten.surveys.profile import me as visitor_me

bp = Blueprint("me", __name__)

SCHEMAS = {"MeQuery": MeQuery}
_PARAMS = [
    {"in": "query", "name": "site", "required": True, "schema": {"type": "string"}},
    {"in": "query", "name": "visitor", "required": True, "schema": {"type": "string"}},
]
OPENAPI = {
    "/v1/me": {
        "get": {
            "summary": "The visitor's own profile, event count and responses",
            "parameters": _PARAMS,
            "responses": {
                "200": {"description": "Attributes with provenance, counts, responses"},
                "403": {"description": "Origin not allowed"},
                "404": {"description": "Unknown site key"},
            },
        },
        "delete": {
            "summary": "Erase the visitor's events, sessions, responses and attributes",
            "parameters": _PARAMS,
            "responses": {
                "200": {"description": "Rows erased per table, and a fresh token"},
                "403": {"description": "Origin not allowed"},
                "404": {"description": "Unknown site key"},
            },
        },
    }
}


@bp.route("/v1/me", methods=["GET", "DELETE"])
def me():
    """Return or erase everything kept about the visitor holding this token."""
    dep = deployment()
    reply, site = visitor_me(
        dep.db,
        dep.settings,
        dep.tokens,
        request.args.to_dict(),
        browser_request(),
        erase=request.method == "DELETE",
    )
    allow_origin_of(site)
    response = jsonify(reply)
    response.headers["Cache-Control"] = "no-store"
    return response
