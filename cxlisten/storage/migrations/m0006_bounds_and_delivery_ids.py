"""The distinct custom event names of each site (bounded per site), and webhook delivery ids
that are never reused.

``webhook_outbox.id`` is a plain ``INTEGER PRIMARY KEY``: SQLite hands the highest id out again
once its row is deleted (an erasure), so it cannot be what receivers dedupe on. Each message
gets a random ``delivery_id`` instead; messages queued before this migration get one too.
"""

SQL = """
CREATE TABLE custom_names (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (site_id, name)
) WITHOUT ROWID;
INSERT INTO custom_names (site_id, name, first_seen)
    SELECT site_id, name, MIN(ts) FROM events
    WHERE kind = 'custom' AND name IS NOT NULL GROUP BY site_id, name;
ALTER TABLE webhook_outbox ADD COLUMN delivery_id TEXT;
UPDATE webhook_outbox SET delivery_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX webhook_outbox_delivery ON webhook_outbox (delivery_id);
"""


def up(db) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute(statement)
