"""Serve the snippet (``/sdk.js``) and the widget (``/widget.js``) from cxlisten's package data."""

from __future__ import annotations

import hashlib
from importlib import resources

from flask import Blueprint, Response, abort, request

bp = Blueprint("sdk", __name__)

FILES = {"sdk.js": "sdk.js", "widget.js": "widget.js"}
_cache: dict[str, tuple[bytes, str]] = {}

OPENAPI = {
    "/sdk.js": {"get": {"summary": "The tracking snippet", "responses": {"200": {"description": "JavaScript"}}}},
    "/widget.js": {"get": {"summary": "The survey widget", "responses": {"200": {"description": "JavaScript"}}}},
}


def _load(name: str) -> tuple[bytes, str]:
    if name not in _cache:
        try:
            body = resources.files("cxlisten").joinpath("static", name).read_bytes()
        except FileNotFoundError:
            abort(404, f"{name} is not built: run `npm run build` in sdk_js/")
        _cache[name] = (body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
    return _cache[name]


@bp.get("/<any(sdk.js, widget.js):name>")
def script(name: str):
    """Return a built script with an ETag; browsers revalidate hourly."""
    body, etag = _load(FILES[name])
    if etag in request.headers.get("If-None-Match", ""):
        response = Response(status=304)
    else:
        response = Response(body, mimetype="application/javascript")
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "public, max-age=3600, stale-while-revalidate=86400"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
