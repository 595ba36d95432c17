"""``/healthz`` and ``/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from collector.browser import deployment
from cxlisten.storage.db import ping

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers.
    ---
    get:
      summary: Liveness and database check
      responses: {200: {description: The collector can read its database}}
    """
    ping(deployment().db)
    return jsonify({"status": "ok"})


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI description of every endpoint.
    ---
    get:
      summary: This API description
      responses: {200: {description: OpenAPI 3}}
    """
    from collector.openapi import build_spec

    app = current_app._get_current_object()
    spec = app.extensions.get("cxlisten_openapi")
    if spec is None:  # built once per app, from its routes
        spec = app.extensions["cxlisten_openapi"] = build_spec(app)
    return jsonify(spec)
