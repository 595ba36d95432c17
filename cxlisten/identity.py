"""Who is who: signed visitor tokens, public site keys, hashed and scoped admin keys.

A visitor token is ``v1.`` + an itsdangerous signature over ``[site_id, visitor_id]`` under the
deployment secret and a purpose salt. It is scoped to one site: a token of another site, a
tampered one or garbage reads as ``None``, and the caller makes a fresh visitor.

An admin key is either scoped to one site (it reaches that site's surveys, exports and visitors
only) or an operator's (every site). Only its SHA-256 is stored; a revoked key is refused.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database

TOKEN_PREFIX = "v1."
ADMIN_KEY_PREFIX = "cxadmin_"


class VisitorTokens:
    """Issue and read site-scoped visitor tokens."""

    def __init__(self, secret: str):
        self._serializer = URLSafeSerializer(secret, salt="cxlisten.visitor")

    def issue(self, site_id: int, visitor_id: str) -> str:
        return TOKEN_PREFIX + self._serializer.dumps([site_id, visitor_id])

    def read(self, token: object, site_id: int) -> str | None:
        """Return the visitor id in TOKEN if it is genuine and of SITE_ID, else None."""
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX) or len(token) > 512:
            return None
        try:
            data = self._serializer.loads(token[len(TOKEN_PREFIX) :])
        except BadSignature:
            return None
        if (
            not isinstance(data, list)
            or len(data) != 2
            or data[0] != site_id
            or not isinstance(data[1], str)
        ):
            return None
        return data[1]


def time_ordered_id() -> str:
    """Return 32 hex digits: the time in ms (12), then 80 random bits (20), like a UUIDv7.

    Rows keyed by these ids land at the end of their indexes instead of on a random page, so a
    commit of many new visitors and sessions writes a few shared pages, not one page each.
    """
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"


def new_visitor_id() -> str:
    return time_ordered_id()


def deployment_secret(db: Database, configured: str = "") -> str:
    """Return the configured secret, else the one kept in the database (made once)."""
    if configured:
        return configured
    return site_store.get_or_set_meta(db, "secret", lambda: secrets.token_urlsafe(32))


def hash_admin_key(key: str) -> str:
    # Admin keys are 256-bit random strings, so a plain SHA-256 is as strong as a slow KDF here.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AdminKey:
    """A current admin key: its id, name and scope (``site_id`` None: an operator's key)."""

    id: int
    name: str
    site_id: int | None

    @property
    def operator(self) -> bool:
        return self.site_id is None


def create_admin_key(db: Database, name: str = "default", *, site_id: int | None = None) -> str:
    """Store a new admin key's hash and return the key (shown once, never stored).

    SITE_ID scopes the key to that site; None makes an operator's key, for every site.
    """
    if site_id is not None and site_store.get_site(db, site_id) is None:
        raise NotFound(f"no site with id {site_id}", {"site": ["no such site"]})
    if not name or len(name) > 200:
        raise InvalidInput("invalid key name", {"name": ["1 to 200 characters"]})
    key = ADMIN_KEY_PREFIX + secrets.token_urlsafe(32)
    site_store.add_admin_key(db, name, hash_admin_key(key), site_id)
    return key


def admin_key_of(db: Database, key: str | None) -> AdminKey | None:
    """Return the current admin key KEY, or None if it is not one (or was revoked)."""
    if not key or not key.startswith(ADMIN_KEY_PREFIX) or len(key) > 200:
        return None
    # Looked up by its hash: lookup timing reveals nothing usable about the key itself.
    row = site_store.admin_key_by_hash(db, hash_admin_key(key))
    return AdminKey(row.id, row.name, row.site_id) if row else None


def admin_key_by_id(db: Database, key_id: int) -> AdminKey | None:
    """Return current admin key KEY_ID (as a console session names it), or None."""
    row = site_store.admin_key_by_id(db, key_id)
    return AdminKey(row.id, row.name, row.site_id) if row else None


def revoke_admin_key(db: Database, key_id: int) -> None:
    """Revoke admin key KEY_ID: requests and console sessions with it are refused from now."""
    if not site_store.revoke_admin_key(db, key_id):
        raise NotFound(f"no current admin key with id {key_id}", {"key": ["no such key"]})
