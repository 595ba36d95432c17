"""Summaries of summaries, kept in the database: what the console's diagnosis and lift reuse.

``diagnosis_days`` holds one day of a site's diagnosis counts (``cxlisten.diagnosis_days``): a
month's diagnosis merges thirty of them instead of reading a month of session rows. A day's row
is reused while the day's human sessions hold the same number of sessions and events as when it
was made (``sessions``, ``events``, read from the index below) and the same pulse answers
(``answers``: their number and the sum of their times), for the same journeys, path rules and
pulse surveys (``inputs``, a digest of them).

``exposure_outcomes`` holds whether an exposure of a rule reached its goal, with the count and
events of the sessions that decided it (the exposure's own and the visitor's next ones): it is
reused while those stay the same, so a rule's lift reads an index instead of every exposed
visitor's sessions.

Two session indexes gain the columns those checks read, so they read no session row: the
home page's totals index gains ``events`` and the visitor index ``started``, ``events``, ``id``
(each replaces the one it extends, so writing a session updates no more indexes than before).
A survey's displays, answers and dismissals (a deep-dive report, a results page) are counted
from the survey-event index alone once it holds ``action`` and ``session_id``: it replaces
m0007's, which made every count read the event rows.
"""


def up(db) -> None:
    db.execute("DROP INDEX sessions_site_totals")
    db.execute(
        "CREATE INDEX sessions_site_totals ON sessions "
        "(site_id, started, is_bot, visitor_id, surveys_shown, surveys_answered, events)"
    )
    db.execute("DROP INDEX sessions_visitor")
    db.execute(
        "CREATE INDEX sessions_visitor ON sessions (visitor_id, last_ts, started, events, id)"
    )
    db.execute("DROP INDEX events_survey_shown")
    db.execute(
        "CREATE INDEX events_survey_shown ON events (site_id, name, action, session_id, ts) "
        "WHERE kind = 'survey'"
    )
    db.execute(
        "CREATE TABLE diagnosis_days ("
        "site_id INTEGER NOT NULL REFERENCES sites(id), "
        "day INTEGER NOT NULL, "
        "inputs TEXT NOT NULL, "
        "sessions INTEGER NOT NULL, "
        "events INTEGER NOT NULL, "
        "answers TEXT NOT NULL, "
        "summary TEXT NOT NULL, "
        "PRIMARY KEY (site_id, day, inputs))"
    )
    db.execute(
        "CREATE TABLE exposure_outcomes ("
        "site_id INTEGER NOT NULL REFERENCES sites(id), "
        "rule TEXT NOT NULL, "
        "inputs TEXT NOT NULL, "
        "visitor_id TEXT NOT NULL, "
        "session_id TEXT NOT NULL, "
        "sessions INTEGER NOT NULL, "
        "events INTEGER NOT NULL, "
        "reached INTEGER NOT NULL, "
        "PRIMARY KEY (site_id, rule, inputs, visitor_id, session_id))"
    )
