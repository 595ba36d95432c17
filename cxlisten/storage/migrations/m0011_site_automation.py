"""A site may count browsers driven by test tools (headless Chrome, WebDriver) as people."""


def up(db) -> None:
    db.execute("ALTER TABLE sites ADD COLUMN allow_automation INTEGER NOT NULL DEFAULT 0")
