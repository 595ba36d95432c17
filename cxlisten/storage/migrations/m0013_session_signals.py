"""Frustration signals in the session summaries: rage and dead clicks, abandoned form fields.

``signals`` is a JSON list of what was seen (kind, path, element); ``scroll`` the deepest scroll
of each step, aligned with ``steps``; ``click_run`` the last run of clicks on one element, kept so
that a run split across two batches is still recognised as rage.

``predictions`` holds estimated answers (``cxlisten predict --save``): their own table, marked
``estimated``, never the zero-party ``attributes``.
"""


def up(db) -> None:
    for column in (
        "rage_clicks INTEGER NOT NULL DEFAULT 0",
        "dead_clicks INTEGER NOT NULL DEFAULT 0",
        "abandoned_fields INTEGER NOT NULL DEFAULT 0",
        "signals TEXT NOT NULL DEFAULT '[]'",
        "scroll TEXT NOT NULL DEFAULT '[]'",
        "click_run TEXT NOT NULL DEFAULT '[]'",
    ):
        db.execute(f"ALTER TABLE sessions ADD COLUMN {column}")
    db.execute(
        "CREATE TABLE predictions ("
        "site_id INTEGER NOT NULL REFERENCES sites(id), "
        "visitor_id TEXT NOT NULL, "
        "survey TEXT NOT NULL, "
        "question TEXT NOT NULL, "
        "answer TEXT NOT NULL, "
        "probability REAL NOT NULL, "
        "auc REAL NOT NULL, "
        "kind TEXT NOT NULL DEFAULT 'estimated', "
        "predicted_at INTEGER NOT NULL, "
        "PRIMARY KEY (site_id, survey, question, visitor_id))"
    )
