"""Admin authentication: ``Authorization: Bearer <admin key>`` (or ``X-Admin-Key``).

A key scoped to one site reaches only that site: a request naming another site (``?site=`` or a
JSON body's ``site``) is refused with 403, and a request naming none is read as naming the key's
own site, so every view below — surveys, exports, visitors, diagnostics — sees that site only.
"""

from __future__ import annotations

from functools import wraps

from flask import g, request
from werkzeug.datastructures import ImmutableMultiDict

from collector.browser import deployment
from cxlisten.errors import Forbidden, Unauthorized
from cxlisten.identity import AdminKey, admin_key_of
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database


def admin_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-Admin-Key")


def confine(db: Database, key: AdminKey) -> None:
    """Refuse a request of a site-scoped KEY that names another site; else pin it to its own."""
    if key.operator:
        return
    own = site_store.get_site(db, key.site_id)
    refused = Forbidden(
        "this admin key is scoped to another site", {"site": ["not the site of this key"]}
    )
    named = request.args.get("site")
    if named is not None and named != own.key:
        raise refused
    body = request.get_json(silent=True, force=True) if request.content_length else None
    if isinstance(body, dict) and "site" in body and body["site"] != own.key:
        raise refused
    if named is None:
        request.args = ImmutableMultiDict([*request.args.items(multi=True), ("site", own.key)])


def require_admin(view):
    """Refuse the view with 401 unless the request carries a current admin key (403 off scope)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        db = deployment().db
        key = admin_key_of(db, admin_key())
        if key is None:
            raise Unauthorized("admin key required: send 'Authorization: Bearer <key>'")
        g.admin_key = key
        confine(db, key)
        return view(*args, **kwargs)

    return wrapper
