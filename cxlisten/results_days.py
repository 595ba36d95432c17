"""A survey's results over whole days, counted day by day and kept: a month merges thirty days.

The console's results page (``cxlisten.surveys.results``) reads a window of whole UTC days as
cells (``cxlisten.results_tally``) through ``cells``: each day of the window that has human
responses is either read back from ``results_days`` (m0019), when its stamp (the day's
responses and answers, read from the tables' keys: ``storage.results_days.day_stamps``) is the
one stored with it, or counted from its responses and answers and, once the day is over,
stored. The cells of a day are the same whichever way they come (tests/console/
test_results_summary.py compares them, and the pages built on them, with the live count).

So a month's results read two stamps per day, the stored days, and the responses of the days
that changed since they were stored (today's, mostly), never a month of answers. A process
keeps the cells it read back under their stamp (``cxlisten.caches``), so a page seen again
reads the stamps and the stored rows but decodes only the days that changed.
"""

from __future__ import annotations

import time

from cxlisten import results_tally as tally
from cxlisten.caches import caches_of
from cxlisten.storage import results as response_store
from cxlisten.storage import results_days as store
from cxlisten.storage.db import Database, DatabaseError

__all__ = ["FORMAT", "cells"]

FORMAT = 1  # of the stored cells: a new format never reads an old one
DAY_MS = tally.DAY_MS
_NO_FILTERS = dict(version=None, device=None, locale=None, completion=None, channel=None)


def cells(
    db: Database,
    site_id: int,
    survey: str,
    since: int | None,
    until: int | None,
    *,
    now_ms: int | None = None,
) -> tally.Tally:
    """Return the cells of SURVEY's human responses started in [SINCE, UNTIL) (whole days)."""
    today = (int(time.time() * 1000) if now_ms is None else now_ms) // DAY_MS
    stamps = {
        day: f"{FORMAT}:{s}"
        for day, s in store.day_stamps(db, site_id, survey, since, until).items()
    }
    stored = store.stored_days(db, site_id, survey, since, until)
    caches = caches_of(db)
    out = tally.Tally()
    missing = []
    for day in sorted(stamps):
        kept = stored.get(day)
        if kept is not None and kept[0] == stamps[day]:
            # Read back once per stamp by a process: its cells are never changed by a reader.
            key = ("results day", site_id, survey, day)
            out += caches.stamped(key, kept[0], lambda text=kept[1]: tally.from_json(text))
        else:
            missing.append(day)
    fresh = []
    for first, last in _runs(missing):  # one read per run of days to count
        counted = _count(db, site_id, survey, first * DAY_MS, (last + 1) * DAY_MS)
        for day in range(first, last + 1):
            day_cells = counted.get(day, tally.Tally())
            out += day_cells
            if day < today:  # a day still going on changes by the minute: counted, not kept
                fresh.append((day, stamps[day], tally.to_json(day_cells)))
    try:
        store.save_days(db, site_id, survey, fresh)
    except DatabaseError:  # a busy or read-only database: the figures stand all the same
        pass
    return out


def _count(
    db: Database, site_id: int, survey: str, since: int, until: int
) -> dict[int, tally.Tally]:
    """Return {day: its cells} of SURVEY's human responses in [SINCE, UNTIL)."""
    responses, answers = response_store.filtered_responses(
        db, site_id, survey, since=since, until=until, answer=None, **_NO_FILTERS
    )
    return tally.cells_of(responses, answers).days()


def _runs(days: list[int]) -> list[tuple[int, int]]:
    """Return DAYS (sorted) as runs of consecutive days, (first, last) each."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]
