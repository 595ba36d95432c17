"""The three phases: named journeys and path rules, activation rules and their exposures,
webhook endpoints, outbox and delivery log."""

SQL = """
CREATE TABLE journeys (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    kind TEXT,
    steps TEXT NOT NULL,
    goal TEXT NOT NULL,
    phase TEXT NOT NULL DEFAULT 'track',
    phase_changed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, name)
);
CREATE TABLE path_rules (
    site_id INTEGER PRIMARY KEY REFERENCES sites(id),
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE rules (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    journey TEXT,
    spec TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, name)
);
CREATE TABLE action_exposures (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    rule TEXT NOT NULL,
    action TEXT NOT NULL,
    arm TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    journey TEXT,
    segment TEXT NOT NULL DEFAULT '',
    step_index INTEGER NOT NULL DEFAULT 0,
    ts INTEGER NOT NULL,
    UNIQUE (site_id, rule, visitor_id, session_id)
);
CREATE INDEX action_exposures_rule ON action_exposures (site_id, rule, ts);
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '["*"]',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, name)
);
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    last_error TEXT,
    UNIQUE (webhook_id, dedupe)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES webhook_outbox(id),
    attempt INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_outbox ON webhook_deliveries (outbox_id, attempt);
"""


def up(db) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute(statement)
