"""Sites, admin keys, visitors, sessions, events and the rejected-payload quarantine."""

SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    origins TEXT NOT NULL DEFAULT '[]',
    respect_dnt INTEGER NOT NULL DEFAULT 1,
    accent TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE admin_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE TABLE visitors (
    id TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    sessions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visitors_site_seen ON visitors (site_id, last_seen);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    visitor_id TEXT NOT NULL,
    started INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    pageviews INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    steps TEXT NOT NULL DEFAULT '[]',
    dwell TEXT NOT NULL DEFAULT '[]',
    custom TEXT NOT NULL DEFAULT '[]',
    max_scroll INTEGER NOT NULL DEFAULT 0,
    surveys_shown INTEGER NOT NULL DEFAULT 0,
    surveys_answered INTEGER NOT NULL DEFAULT 0,
    surveys_dismissed INTEGER NOT NULL DEFAULT 0,
    interventions_shown INTEGER NOT NULL DEFAULT 0,
    interventions_clicked INTEGER NOT NULL DEFAULT 0,
    entry TEXT,
    exit TEXT,
    device TEXT,
    browser TEXT,
    os TEXT,
    is_bot INTEGER NOT NULL DEFAULT 0,
    is_returning INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_site_started ON sessions (site_id, started);
CREATE INDEX sessions_visitor ON sessions (visitor_id, last_ts);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    ts INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT,
    action TEXT,
    value INTEGER,
    data TEXT NOT NULL DEFAULT '{}',
    UNIQUE (site_id, id)
);
CREATE INDEX events_site_ts ON events (site_id, ts);
CREATE INDEX events_visitor ON events (visitor_id, ts);
CREATE INDEX events_session ON events (session_id, ts);
CREATE TABLE rejected (
    id INTEGER PRIMARY KEY,
    site_id INTEGER,
    received_at INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    event_index INTEGER,
    errors TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX rejected_site_time ON rejected (site_id, received_at);
"""


def up(db) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute(statement)
