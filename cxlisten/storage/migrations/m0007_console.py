"""What the console needs: admin keys scoped to a site, and survey impressions found fast.

An admin key is scoped to one site, or (NULL) an operator's; a revoked key is kept, marked. Keys
made before this migration had no scope and could reach every site: they stay operator keys.
The partial index holds only survey events (few: one per display), so a survey's shown count
reads its own rows instead of every event of the site. Drafts are surveys being edited in the
console, not yet published. Result shares are the read-only links to a results page.
"""


def up(db) -> None:
    db.execute("ALTER TABLE admin_keys ADD COLUMN site_id INTEGER REFERENCES sites(id)")
    db.execute("ALTER TABLE admin_keys ADD COLUMN revoked_at INTEGER")
    db.execute(
        "CREATE INDEX events_survey_shown ON events (site_id, name, ts) WHERE kind = 'survey'"
    )
    # A survey being edited in the console, kept apart from the published versions until
    # published; the text is kept as typed, so a half-finished draft is not lost.
    db.execute(
        "CREATE TABLE survey_drafts (site_id INTEGER NOT NULL REFERENCES sites(id), "
        "slug TEXT NOT NULL, body TEXT NOT NULL, saved_at INTEGER NOT NULL, "
        "PRIMARY KEY (site_id, slug))"
    )
    # Read-only share links of a results page: the token's hash, what it shows, until when.
    db.execute(
        "CREATE TABLE result_shares (id INTEGER PRIMARY KEY, "
        "site_id INTEGER NOT NULL REFERENCES sites(id), survey TEXT NOT NULL, "
        "hash TEXT NOT NULL UNIQUE, questions TEXT NOT NULL, filters TEXT NOT NULL, "
        "created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER)"
    )
