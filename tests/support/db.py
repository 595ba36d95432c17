"""Read-only checks of what a test stored, straight from the tables."""

from __future__ import annotations


def count_events(db, site_id: int | None = None) -> int:
    """Return how many events are stored (of SITE_ID, when given)."""
    if site_id is None:
        return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    return db.execute("SELECT COUNT(*) FROM events WHERE site_id = ?", [site_id]).fetchone()[0]


def event_ids(db, site_id: int) -> set[str]:
    """Return every stored event id of a site."""
    return {r[0] for r in db.execute("SELECT id FROM events WHERE site_id = ?", [site_id])}
