"""``GET /api/rejected``: the newest refused payloads, for diagnosing a broken integration."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.admin_input import query
from collector.auth import require_admin
from collector.browser import deployment
from cxlisten.schemas.admin import REJECTED_QUERY
from cxlisten.sites import site_for_key
from cxlisten.storage import rejected

bp = Blueprint("diagnostics", __name__)


@bp.get("/api/rejected")
@require_admin
def list_rejected():
    """Return the newest quarantined payloads with their errors.
    ---
    get:
      summary: Newest rejected payloads (quarantine), newest first
      security: [{adminKey: []}]
      parameters: [{in: query, schema: RejectedQuery}]
      responses: {200: {description: Rejected payloads}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    args = query(REJECTED_QUERY, "invalid input")
    db = deployment().db
    site_id = site_for_key(db, args["site"]).id if args["site"] else None
    return jsonify({"rejected": rejected.recent(db, args["limit"], site_id)})
