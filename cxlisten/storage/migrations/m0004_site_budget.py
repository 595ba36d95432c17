"""A site may set its own contact budget; NULL means the deployment's setting."""


def up(db) -> None:
    db.execute("ALTER TABLE sites ADD COLUMN contact_sessions INTEGER")
    db.execute("ALTER TABLE sites ADD COLUMN contact_days INTEGER")
