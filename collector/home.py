"""``GET /``: what this collector serves, as a short page for a person or JSON for a script."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from cxlisten import __version__

bp = Blueprint("home", __name__)

# What a newcomer who opens the collector's address is looking for.
LINKS = (
    ("/sdk.js", 'The snippet: <script async src=".../sdk.js" data-site="SITE_KEY">'),
    ("/openapi.json", "This collector's HTTP API (OpenAPI 3)"),
    ("/healthz", "Liveness and database check"),
)
DOCS = "docs/ in the cxlisten project: api.md, snippet.md, settings.md"


OPENAPI = {
    "/": {
        "get": {
            "summary": "What this collector serves (HTML, or JSON when asked for)",
            "responses": {"200": {"description": "A short page, or JSON with the same links"}},
        }
    }
}


@bp.get("/")
def home() -> Response:
    """Name what is here: the snippet, the API description, the health check, the docs."""
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if wants_json == "application/json":
        return jsonify(
            service="cxlisten collector",
            version=__version__,
            links={path: what for path, what in LINKS},
            docs=DOCS,
        )
    return Response(
        render_template("home.html", version=__version__, links=LINKS, docs=DOCS),
        mimetype="text/html",
    )
