"""``GET /v1/me`` and ``DELETE /v1/me``: a visitor's own data, read or erased with their token."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from collector.browser import allow_origin_of, browser_request, deployment
from cxlisten.surveys.profile import me as visitor_me

bp = Blueprint("me", __name__)


@bp.route("/v1/me", methods=["GET", "DELETE"])
def me():
    """Return or erase everything kept about the visitor holding this token.
    ---
    get:
      summary: The visitor's own profile, event count and responses
      parameters:
        - {in: query, name: site, required: true, schema: {type: string}}
        - {in: query, name: visitor, required: true, schema: {type: string}}
      responses:
        200: {description: "Attributes with provenance, counts, responses"}
        403: Forbidden
        404: {description: Unknown site key}
    delete:
      summary: Erase the visitor's events, sessions, responses and attributes
      parameters:
        - {in: query, name: site, required: true, schema: {type: string}}
        - {in: query, name: visitor, required: true, schema: {type: string}}
      responses:
        200: {description: "Rows erased per table, and a fresh token"}
        403: Forbidden
        404: {description: Unknown site key}
    """
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
