"""Frustration signals in the session summaries: rage and dead clicks, abandoned form fields.

``signals`` is a JSON list of what was seen (kind, path, element); ``scroll`` the deepest scroll
of each step, aligned with ``steps``; ``click_run`` the last run of clicks on one element, kept so
that a run split across two batches is still recognised as rage.
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
