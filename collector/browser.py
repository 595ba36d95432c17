"""What snippet-facing endpoints share: the request as cxlisten sees it, and CORS by site."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from cxlisten.deployment import Deployment
from cxlisten.ingest import BrowserRequest
from cxlisten.sites import origin_allowed
from cxlisten.storage import sites as site_store

ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"


def deployment() -> Deployment:
    return current_app.extensions["cxlisten"]


def browser_request() -> BrowserRequest:
    """Return the parts of this request that cxlisten's browser-facing calls need."""
    headers = request.headers
    origin = headers.get("Origin")
    return BrowserRequest(
        body=request.get_data(cache=False),
        origin=origin,
        own_origin=request.host_url.rstrip("/") if origin else None,
        user_agent=headers.get("User-Agent", ""),
        do_not_track=headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1",
        ch_mobile=headers.get("Sec-CH-UA-Mobile", "")[:8],
        ch_platform=headers.get("Sec-CH-UA-Platform", "")[:40],
    )


def allow_origin_of(site) -> None:
    """Let the browser read this response if its origin is one of SITE's."""
    origin = request.headers.get("Origin")
    if origin and origin_allowed(site, origin, request.host_url.rstrip("/")):
        g.cors_origin = origin


def register(app: Flask) -> None:
    @app.after_request
    def _cors(response):
        origin = g.get("cors_origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "false"
            response.headers.add("Vary", "Origin")
        return response

    @app.before_request
    def _preflight():
        # Preflights carry no body, so no site key: allow an origin that some site allows.
        if request.method != "OPTIONS" or not request.path.startswith("/v1/"):
            return None
        origin = request.headers.get("Origin")
        response = current_app.make_default_options_response()
        response.status_code = 204
        key = request.args.get("site")
        sites = (
            [site_store.site_by_key(deployment().db, key)]
            if key
            else site_store.list_sites(deployment().db)
        )
        if origin and any(s and origin_allowed(s, origin) for s in sites):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
            response.headers.add("Vary", "Origin")
        return response
