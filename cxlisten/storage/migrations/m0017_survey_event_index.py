"""What the surveys list and the results page count, read from indexes alone.

A survey's impressions (``shown``, ``answered``, ``dismissed``: sessions, bots left out) are
counted on every visit of the surveys list and of its results page. The partial index of m0007
finds a survey's events but then reads each event row, scattered among a million others, and
each session row (wide: steps, dwell) for its bot flag; these two indexes hold every column
those counts read (and the returning flag the results' cross-tab reads per response), so over a
million events a survey's counts read a few hundred index pages instead of tens of thousands of
table pages.
"""


def up(db) -> None:
    db.execute(
        "CREATE INDEX events_survey_sessions ON events "
        "(site_id, name, ts, action, session_id, kind) WHERE kind = 'survey'"
    )
    db.execute("CREATE INDEX sessions_bot ON sessions (id, is_bot, is_returning)")
