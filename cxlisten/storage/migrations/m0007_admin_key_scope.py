"""An admin key is scoped to one site, or (NULL) an operator's; a revoked key is kept, marked.

Keys made before this migration had no scope and could reach every site: they stay operator keys.
"""


def up(db) -> None:
    db.execute("ALTER TABLE admin_keys ADD COLUMN site_id INTEGER REFERENCES sites(id)")
    db.execute("ALTER TABLE admin_keys ADD COLUMN revoked_at INTEGER")
