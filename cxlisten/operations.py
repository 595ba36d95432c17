"""What an operator looks after, for the console's operations page: webhook messages retried
now, and the admin keys a signed-in key may see and manage.

A site's key sees and manages the keys of its own site only; an operator's key sees them all and
may create operator keys. A key is returned once, when created (only its hash is kept).
"""

from __future__ import annotations

import time

from cxlisten import identity, webhooks
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import console_queries as queries
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database

__all__ = ["create_key", "keys_for", "retry_message", "revoke_key"]


def retry_message(db: Database, site, message_id: int) -> None:
    """Try a pending webhook message of SITE again now (in the background, as the outbox does)."""
    if not queries.retry_message_now(db, site.id, message_id, int(time.time() * 1000)):
        raise NotFound("no pending message with this id", {"message": ["no such pending message"]})
    webhooks.deliver_soon(db)


def keys_for(db: Database, key: identity.AdminKey) -> list[site_store.AdminKeyRow]:
    """Return the current keys KEY may manage: its site's, or every key for an operator."""
    rows = [r for r in site_store.list_admin_keys(db) if r.revoked_at is None]
    if key.operator:
        return rows
    return [r for r in rows if r.site_id == key.site_id]


def create_key(db: Database, key: identity.AdminKey, name: str, site_id: int | None) -> str:
    """Create a key named NAME for SITE_ID (None: an operator's) as KEY allows; return it once."""
    if not key.operator and site_id != key.site_id:
        raise InvalidInput("a site's key makes keys of its own site", {"scope": ["this site only"]})
    return identity.create_admin_key(db, name.strip(), site_id=site_id)


def revoke_key(db: Database, key: identity.AdminKey, key_id: int) -> None:
    """Revoke KEY_ID if KEY may manage it."""
    if key_id not in {r.id for r in keys_for(db, key)}:
        raise NotFound(f"no current admin key with id {key_id}", {"key": ["no such key"]})
    identity.revoke_admin_key(db, key_id)
