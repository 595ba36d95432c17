"""Each finished day of a survey's results, counted and kept: a results page merges the days.

``results_days`` holds one UTC day of a survey's human responses as the cells of
``cxlisten.results_tally`` (counts only: no text, nothing of a person): a results page over a
month merges thirty rows instead of reading every response and answer of the month. A day's row
is reused while the day's responses and answers have the same ``stamp`` as when it was made
(``cxlisten.storage.results_days.day_stamps``): their number, ids, update times, answer times
and returning flags, so an answer late, given again, a response deleted or a visitor erased
makes the day counted anew.

The session index of m0017 that the results page's joins read (bot and returning flags) gains
``device``, so the sessions shown a survey on one device are counted from it alone too, not
from each session's row; it replaces m0017's, so writing a session updates no more indexes.
"""


def up(db) -> None:
    db.execute("DROP INDEX sessions_bot")
    db.execute("CREATE INDEX sessions_bot ON sessions (id, is_bot, is_returning, device)")
    db.execute(
        "CREATE TABLE results_days ("
        "site_id INTEGER NOT NULL REFERENCES sites(id), "
        "survey TEXT NOT NULL, "
        "day INTEGER NOT NULL, "
        "stamp TEXT NOT NULL, "
        "cells TEXT NOT NULL, "
        "PRIMARY KEY (site_id, survey, day))"
    )
