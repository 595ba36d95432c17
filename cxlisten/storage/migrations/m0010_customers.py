"""Customers (one person, many visitors), the site identity secret that vouches for them, every
attribute answer kept as history, a response's channel, and operational records.

``customer_visitors`` keeps a link after ``reset()`` (``unlinked_at`` set): what that browser said
while logged in stays the customer's, but nothing it sends later joins them.
"""

SQL = """
CREATE TABLE site_identity (
    site_id INTEGER PRIMARY KEY REFERENCES sites(id),
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    rotated_at INTEGER
);
CREATE TABLE customer_visitors (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    visitor_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    via TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    unlinked_at INTEGER,
    PRIMARY KEY (site_id, visitor_id)
);
CREATE INDEX customer_visitors_customer ON customer_visitors (site_id, customer_id);
CREATE TABLE attribute_history (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    visitor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    survey TEXT NOT NULL,
    version INTEGER NOT NULL,
    question TEXT NOT NULL,
    response TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX attribute_history_visitor ON attribute_history (site_id, visitor_id, name);
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
CREATE INDEX responses_channel ON responses (site_id, channel);
CREATE TABLE operational_records (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    kind TEXT NOT NULL,
    record_key TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    amount REAL,
    status TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, kind, record_key)
);
CREATE INDEX operational_customer ON operational_records (site_id, customer_id, kind);
"""


def up(db) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute(statement)
