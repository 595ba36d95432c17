"""``/healthz`` and ``/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.browser import deployment
from cxlisten.errors import Unavailable

bp = Blueprint("meta", __name__)

OPENAPI = {
    "/healthz": {
        "get": {
            "summary": "Liveness and database check",
            "description": "Never waits for a writer. Reports the PRAGMA quick_check run when "
            "the process started and whether writes are paused by the disk reserve.",
            "responses": {
                "200": {"description": "The database is readable and was sound at start"},
                "503": {"description": "The database was found damaged at start"},
            },
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
    """Answer 200 when the database answers and was sound at start, else 503 saying why."""
    dep = deployment()
    dep.db.execute("SELECT 1").fetchone()
    body: dict = {"status": "damaged" if dep.problems else "ok"}
    if dep.problems:
        body["database"] = dep.problems
    try:
        dep.check_writable()
    except Unavailable as exc:
        body["writes"] = exc.message
    return jsonify(body), 503 if dep.problems else 200


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI description of every endpoint."""
    from collector import BLUEPRINTS
    from collector.openapi import build_spec

    if "spec" not in _spec_cache:
        _spec_cache["spec"] = build_spec(BLUEPRINTS)
    return jsonify(_spec_cache["spec"])
