"""What the console's home page counts, read from an index alone.

A site's visitors, sessions and surveys shown and answered over a window (the home page, on
every visit) read only the index below, never the session rows with their steps and dwell: over
a month of a busy site that is tens of milliseconds instead of a second.
"""


def up(db) -> None:
    db.execute(
        "CREATE INDEX sessions_site_totals ON sessions "
        "(site_id, started, is_bot, visitor_id, surveys_shown, surveys_answered)"
    )
