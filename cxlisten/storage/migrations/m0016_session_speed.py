"""Page speed in the session summaries: ``speed`` holds the real-user metrics of each step
(``cxlisten.speed``), aligned with ``steps``; a step whose browser measured nothing has null."""


def up(db) -> None:
    db.execute("ALTER TABLE sessions ADD COLUMN speed TEXT NOT NULL DEFAULT '[]'")
