"""Surveys and interventions with their versions, responses, answers and zero-party attributes.

Plain tables for analysts and exports (docs/surveys.md describes every column): one row per
response, one row per answer, one row per visitor attribute with where it came from.
"""

SQL = """
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    version INTEGER NOT NULL,
    phase TEXT,
    journey TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);
CREATE TABLE survey_versions (
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (survey_id, version)
);
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    survey TEXT NOT NULL,
    version INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    session_id TEXT,
    status TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0,
    locale TEXT,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    device TEXT,
    browser TEXT,
    os TEXT,
    is_bot INTEGER NOT NULL DEFAULT 0,
    journey TEXT NOT NULL DEFAULT '[]',
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER,
    UNIQUE (site_id, client_id)
);
CREATE INDEX responses_survey ON responses (survey_id, status);
CREATE INDEX responses_visitor ON responses (visitor_id, survey_id);
CREATE INDEX responses_site_time ON responses (site_id, started_at);
CREATE TABLE answers (
    response_id INTEGER NOT NULL REFERENCES responses(id),
    site_id INTEGER NOT NULL REFERENCES sites(id),
    survey TEXT NOT NULL,
    version INTEGER NOT NULL,
    visitor_id TEXT NOT NULL,
    question TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    value TEXT,
    number REAL,
    other TEXT,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (response_id, question)
);
CREATE INDEX answers_survey_question ON answers (site_id, survey, question);
CREATE INDEX answers_visitor ON answers (visitor_id);
CREATE TABLE attributes (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    visitor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    survey TEXT NOT NULL,
    version INTEGER NOT NULL,
    question TEXT NOT NULL,
    response TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, visitor_id, name)
);
CREATE INDEX attributes_name ON attributes (site_id, name);
"""


def up(db) -> None:
    for statement in SQL.split(";"):
        if statement.strip():
            db.execute(statement)
