"""What snippet-facing endpoints share: the request as cxlisten sees it, and CORS by site.

Every answer under ``/v1/`` carries the CORS headers its origin is entitled to, errors included
(4xx, 429, 503 and 500): a browser that cannot read an error sees only "Failed to fetch" and
cannot tell a payload to drop from a moment to wait (``Retry-After`` is exposed for that).
"""

from __future__ import annotations

import logging
import sys

from flask import Flask, current_app, g, request

from cxlisten.browser_request import BrowserRequest
from cxlisten.deployment import Deployment
from cxlisten.ratelimit import Limits, client_key
from cxlisten.sites import origin_allowed
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import DatabaseError

ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
EXPOSE_HEADERS = "Retry-After"
READS = ("GET", "HEAD", "OPTIONS")

log = logging.getLogger(__name__)


def deployment() -> Deployment:
    return current_app.extensions["cxlisten"]


def browser_request() -> BrowserRequest:
    """Return the parts of this request that cxlisten's browser-facing calls need."""
    headers = request.headers
    origin = headers.get("Origin")
    # Read at most one byte past the limit ourselves (rather than werkzeug's bare 413), so an
    # oversize body is refused by cxlisten, which keeps its first bytes in the quarantine.
    # (None would fall back to MAX_CONTENT_LENGTH: lift werkzeug's limit for this request only.)
    request.max_content_length = sys.maxsize
    limit = deployment().settings.max_body_bytes
    return BrowserRequest(
        body=_read_body(limit + 1),
        origin=origin,
        own_origin=request.host_url.rstrip("/") if origin else None,
        user_agent=headers.get("User-Agent", ""),
        do_not_track=headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1",
        client=client(),
        ch_mobile=headers.get("Sec-CH-UA-Mobile", "")[:8],
        ch_platform=headers.get("Sec-CH-UA-Platform", "")[:40],
        limits=None if request.method in READS else deployment().limits,
    )


def client() -> str:
    """Return this request's client key: a keyed hash of its address, never the address."""
    key = g.get("client_key")
    if key is None:
        key = g.client_key = client_key(deployment().secret, request.remote_addr)
    return key


def _read_body(most: int) -> bytes:
    """Return the request body, or its first MOST bytes (a stream read may come back short)."""
    chunks, size = [], 0
    while size < most:
        chunk = request.stream.read(most - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def allow_origin_of(site) -> None:
    """Let the browser read this response if its origin is one of SITE's."""
    origin = request.headers.get("Origin")
    g.cors_unresolved = False  # the view decided: a refusal here is not overridden
    if origin and site is not None and origin_allowed(site, origin, request.host_url.rstrip("/")):
        g.cors_origin = origin


def _origin_of_some_site(origin: str) -> bool:
    """Return whether any site (the one named by ``?site=`` if given) allows ORIGIN.

    The preflight's rule, and the one for answers given before the site was known (a body that
    is not JSON, a rate limit, an error), so they agree on what the browser may read.
    """
    key = request.args.get("site")
    db = deployment().db
    try:
        sites = [site_store.site_by_key(db, key)] if key else site_store.list_sites(db)
    except DatabaseError as exc:  # a damaged database: no CORS, and the log says why
        log.warning("cannot read sites for CORS: %s", exc)
        return False
    own = request.host_url.rstrip("/")
    return any(s is not None and origin_allowed(s, origin, own) for s in sites)


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        # Browsers must never sniff a JSON answer into something they would execute.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        origin = g.get("cors_origin")
        if (
            origin is None
            and request.path.startswith("/v1/")
            and request.method != "OPTIONS"
            and request.headers.get("Origin")
            and (response.status_code >= 400 or g.get("cors_unresolved", True))
            and _origin_of_some_site(request.headers["Origin"])
        ):
            origin = request.headers["Origin"]
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "false"
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            response.headers.add("Vary", "Origin")
        return response

    @app.before_request
    def _writes_allowed():
        # Cheap refusals first, before a body is read: a full disk, a client over its rate.
        if request.method in READS or request.blueprint == "console":
            return None  # the console checks once its session is read (collector.console)
        dep = deployment()
        dep.check_writable()
        if request.path.startswith("/v1/"):
            Limits.check(dep.limits.client, client(), "writes from this client")
        return None

    @app.before_request
    def _preflight():
        # Preflights carry no body, so no site key: allow an origin that some site allows.
        if request.method != "OPTIONS" or not request.path.startswith("/v1/"):
            return None
        origin = request.headers.get("Origin")
        response = current_app.make_default_options_response()
        response.status_code = 204
        if origin and _origin_of_some_site(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
            response.headers.add("Vary", "Origin")
        return response
