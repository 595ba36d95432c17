"""Survey drafts: the console's unpublished edits, one per survey id and site."""

from __future__ import annotations

from cxlisten.storage.db import Database, transaction


def save_draft(db: Database, site_id: int, slug: str, body: str, now: int) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO survey_drafts (site_id, slug, body, saved_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (site_id, slug) DO UPDATE SET body = excluded.body, "
            "saved_at = excluded.saved_at",
            [site_id, slug, body, now],
        )


def get_draft(db: Database, site_id: int, slug: str) -> tuple[str, int] | None:
    """Return (body, saved_at) of the draft of SLUG, or None."""
    row = db.execute(
        "SELECT body, saved_at FROM survey_drafts WHERE site_id = ? AND slug = ?", [site_id, slug]
    ).fetchone()
    return (row[0], row[1]) if row else None


def delete_draft(db: Database, site_id: int, slug: str) -> None:
    with transaction(db):
        db.execute("DELETE FROM survey_drafts WHERE site_id = ? AND slug = ?", [site_id, slug])
