"""Sites, admin keys and deployment metadata."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from cxlisten.storage.db import Database, transaction


@dataclass(frozen=True)
class Site:
    id: int
    key: str
    name: str
    origins: tuple[str, ...]
    respect_dnt: bool
    accent: str | None
    # The site's own contact budget; None: the deployment's settings of the same names.
    contact_sessions: int | None = None
    contact_days: int | None = None
    # Browsers driven by test tools (Playwright, Selenium) count as people, not bots: for a demo
    # or a staging site scripted in tests, never for production traffic.
    allow_automation: bool = False


def _now() -> int:
    return int(time.time() * 1000)


def _site(row) -> Site:
    return Site(
        id=row[0],
        key=row[1],
        name=row[2],
        origins=tuple(json.loads(row[3])),
        respect_dnt=bool(row[4]),
        accent=row[5],
        contact_sessions=row[6],
        contact_days=row[7],
        allow_automation=bool(row[8]),
    )


_COLUMNS = (
    "id, key, name, origins, respect_dnt, accent, contact_sessions, contact_days, allow_automation"
)


def create_site(
    db: Database,
    name: str,
    origins: list[str],
    *,
    key: str | None = None,
    respect_dnt: bool = True,
    accent: str | None = None,
) -> Site:
    """Insert a site; KEY defaults to a fresh random public key."""
    key = key or "cx_" + secrets.token_urlsafe(12)
    with transaction(db):
        cur = db.execute(
            "INSERT INTO sites (key, name, origins, respect_dnt, accent, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [key, name, json.dumps(origins), int(respect_dnt), accent, _now()],
        )
    return get_site(db, cur.lastrowid)


def get_site(db: Database, site_id: int) -> Site | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM sites WHERE id = ?", [site_id]).fetchone()
    return _site(row) if row else None


def site_by_key(db: Database, key: str) -> Site | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM sites WHERE key = ?", [key]).fetchone()
    return _site(row) if row else None


def list_sites(db: Database) -> list[Site]:
    return [_site(r) for r in db.execute(f"SELECT {_COLUMNS} FROM sites ORDER BY id")]


def update_site(db: Database, site_id: int, **changes) -> Site:
    """Change a site's origins, respect_dnt, accent, name or contact budget."""
    allowed = {
        "origins",
        "respect_dnt",
        "accent",
        "name",
        "contact_sessions",
        "contact_days",
        "allow_automation",
    }
    sets, values = [], []
    for column, value in changes.items():
        if column not in allowed:
            raise ValueError(f"cannot change {column}")
        if column == "origins":
            value = json.dumps(list(value))
        if column == "respect_dnt":
            value = int(bool(value))
        sets.append(f"{column} = ?")
        values.append(value)
    if sets:
        with transaction(db):
            db.execute(f"UPDATE sites SET {', '.join(sets)} WHERE id = ?", [*values, site_id])
    return get_site(db, site_id)


@dataclass(frozen=True)
class AdminKeyRow:
    id: int
    name: str
    site_id: int | None  # None: an operator's key, for every site
    created_at: int
    last_used_at: int | None
    revoked_at: int | None


_KEY_COLUMNS = "id, name, site_id, created_at, last_used_at, revoked_at"


def add_admin_key(db: Database, name: str, key_hash: str, site_id: int | None = None) -> int:
    with transaction(db):
        cur = db.execute(
            "INSERT INTO admin_keys (name, hash, created_at, site_id) VALUES (?, ?, ?, ?)",
            [name, key_hash, _now(), site_id],
        )
    return cur.lastrowid


def admin_key_by_hash(db: Database, key_hash: str) -> AdminKeyRow | None:
    """Return the current (not revoked) key with KEY_HASH."""
    row = db.execute(
        f"SELECT {_KEY_COLUMNS} FROM admin_keys WHERE hash = ? AND revoked_at IS NULL",
        [key_hash],
    ).fetchone()
    return AdminKeyRow(*row) if row else None


def admin_key_by_id(db: Database, key_id: int) -> AdminKeyRow | None:
    """Return the current (not revoked) key with KEY_ID."""
    row = db.execute(
        f"SELECT {_KEY_COLUMNS} FROM admin_keys WHERE id = ? AND revoked_at IS NULL", [key_id]
    ).fetchone()
    return AdminKeyRow(*row) if row else None


def list_admin_keys(db: Database) -> list[AdminKeyRow]:
    return [
        AdminKeyRow(*r) for r in db.execute(f"SELECT {_KEY_COLUMNS} FROM admin_keys ORDER BY id")
    ]


def revoke_admin_key(db: Database, key_id: int) -> bool:
    """Mark KEY_ID revoked; return whether a current key was revoked."""
    with transaction(db):
        cur = db.execute(
            "UPDATE admin_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [_now(), key_id],
        )
    return cur.rowcount == 1


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def get_or_set_meta(db: Database, key: str, make) -> str:
    """Return meta KEY, storing MAKE() first if absent (safe when workers race)."""
    value = get_meta(db, key)
    if value is not None:
        return value
    with transaction(db):
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            [key, make()],
        )
    return get_meta(db, key)
