"""Admin authentication: ``Authorization: Bearer <admin key>`` (or ``X-Admin-Key``)."""

from __future__ import annotations

from functools import wraps

from flask import request

from collector.browser import deployment
from cxlisten.errors import Unauthorized
from cxlisten.identity import check_admin_key


def admin_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-Admin-Key")


def require_admin(view):
    """Refuse the view with 401 unless the request carries a current admin key."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not check_admin_key(deployment().db, admin_key()):
            raise Unauthorized("admin key required: send 'Authorization: Bearer <key>'")
        return view(*args, **kwargs)

    return wrapper
