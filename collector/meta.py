"""``/healthz`` and ``/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.browser import deployment
from cxlisten.storage.db import ping

bp = Blueprint("meta", __name__)

OPENAPI = {
    "/healthz": {
        "get": {
            "summary": "Liveness and database check",
            "responses": {"200": {"description": "The collector can read its database"}},
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This API description",
            "responses": {"200": {"description": "OpenAPI 3"}},
        }
    },
}

_spec_cache: dict = {}


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers."""
    ping(deployment().db)
    return jsonify({"status": "ok"})


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI description of every endpoint."""
    from collector import BLUEPRINTS
    from collector.openapi import build_spec

    if "spec" not in _spec_cache:
        _spec_cache["spec"] = build_spec(BLUEPRINTS)
    return jsonify(_spec_cache["spec"])
