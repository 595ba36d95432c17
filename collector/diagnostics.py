"""``GET /api/rejected``: the newest refused payloads, for diagnosing a broken integration."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from collector.auth import require_admin
from collector.browser import deployment
from cxlisten.sites import site_for_key
from cxlisten.storage import rejected

bp = Blueprint("diagnostics", __name__)


class RejectedQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))
    site = fields.String(load_default=None, validate=validate.Length(max=64))


QUERY = RejectedQuery()
SCHEMAS = {"RejectedQuery": RejectedQuery}
OPENAPI = {
    "/api/rejected": {
        "get": {
            "summary": "Newest rejected payloads (quarantine), newest first",
            "security": [{"adminKey": []}],
            "parameters": [{"in": "query", "schema": "RejectedQuery"}],
            "responses": {
                "200": {"description": "Rejected payloads"},
                "401": {"description": "No admin key"},
            },
        }
    }
}


@bp.get("/api/rejected")
@require_admin
def list_rejected():
    """Return the newest quarantined payloads with their errors."""
    args = QUERY.load(request.args)
    db = deployment().db
    site_id = site_for_key(db, args["site"]).id if args["site"] else None
    return jsonify({"rejected": rejected.recent(db, args["limit"], site_id)})
