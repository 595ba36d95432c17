"""Serve the snippet (``/sdk.js``), the widget (``/widget.js``), the behaviour detector
(``/signals.js``) and the page-speed meter (``/vitals.js``) from cxlisten's package data.

The files are built from ``sdk_js/`` (``npm run build``) and committed, so a plain ``pip install``
serves them. Browsers may use a copy for an hour and keep using it for a day while they
revalidate in the background; revalidation is a 304 when the ETag still matches.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources

from flask import Blueprint, Response, abort, request

bp = Blueprint("sdk", __name__)

# Each file the collector serves, with what it is (its OpenAPI summary).
FILES = {
    "sdk.js": "The core tracker, loaded by every page",
    "widget.js": "The survey and intervention widget, loaded when something is shown",
    "signals.js": "The behaviour detector (clicks, dead clicks, abandoned fields), loaded at start",
    "vitals.js": "The page-speed meter (TTFB, FCP, LCP, CLS, INP), loaded at start",
}
CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"
_cache: dict[str, tuple[object, bytes, str]] = {}


def _load(name: str) -> tuple[bytes, str]:
    """Return the built file and its ETag, reread when the file changed (a rebuild)."""
    ref = resources.files("cxlisten").joinpath("static", name)
    try:
        stamp = os.stat(str(ref)).st_mtime_ns
    except (OSError, TypeError):
        stamp = None  # not a plain file (zipped package): read once
    cached = _cache.get(name)
    if cached is None or (stamp is not None and cached[0] != stamp):
        try:
            body = ref.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            abort(404, f"{name} is not built: run `npm run build` in sdk_js/")
        cached = (stamp, body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
        _cache[name] = cached
    return cached[1], cached[2]


def _matches(etag: str, header: str) -> bool:
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates


def script(name: str):
    """Return a built script with an ETag and cache headers; 304 when the copy is current."""
    body, etag = _load(name)
    if _matches(etag, request.headers.get("If-None-Match", "")):
        response = Response(status=304)
    else:
        response = Response(body, content_type="text/javascript; charset=utf-8")
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _register(name: str, summary: str) -> None:
    """Serve NAME at /NAME, its operation declared like every view's (collector/openapi.py)."""

    def view():
        return script(name)

    view.__name__ = name.replace(".", "_")
    view.__doc__ = f"""Serve {name}.
    ---
    get:
      summary: {summary}
      description: Cacheable JavaScript with an ETag (If-None-Match answers 304).
      responses:
        200: {{description: JavaScript}}
        304: {{description: Not modified}}
        404: {{description: "Not built (run `npm run build` in sdk_js/)"}}
    """
    bp.add_url_rule(f"/{name}", endpoint=view.__name__, view_func=view, methods=["GET"])


for _name, _summary in FILES.items():
    _register(_name, _summary)
