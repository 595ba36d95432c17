"""``GET /api/rejected``: the newest refused payloads, for diagnosing a broken integration."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from collector.auth import require_admin
from collector.browser import deployment
from cxlisten.errors import NotFound
from cxlisten.storage import rejected
from cxlisten.storage import sites as site_store

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
    site_id = None
    if args["site"]:
        site = site_store.site_by_key(db, args["site"])
        if site is None:
            raise NotFound("unknown site key", {"site": ["no site has this key"]})
        site_id = site.id
    return jsonify({"rejected": rejected.recent(db, args["limit"], site_id)})
