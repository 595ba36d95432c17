"""``/healthz`` and ``/openapi.json``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from collector.browser import deployment
from cxlisten.errors import Unavailable
from cxlisten.storage.db import ping

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers and was sound at start, else 503 saying why.
    ---
    get:
      summary: Liveness and database check
      description: >-
        Never waits for a writer. Reports the PRAGMA quick_check run when the process started
        and whether writes are paused by the disk reserve.
      responses:
        200: {description: The database is readable and was sound at start}
        503: {description: The database was found damaged at start}
    """
    dep = deployment()
    ping(dep.db)
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
