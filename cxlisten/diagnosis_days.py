"""A diagnosis of whole days, counted day by day and kept: a month merges thirty stored days.

``diagnose`` over a window of whole UTC days calls ``window``: each day of the window that has
sessions is either read back from ``diagnosis_days`` (m0018), when stored for the same inputs
(journeys, path rules, pulse surveys, depth: ``inputs``) and its sessions still hold the same
sessions, events and pulse answers (its stamp, read from indexes alone), or counted from its
session summaries (``diagnose.scan``) and, once the day is over, stored. What the day's counts
hold merges exactly (``diagnose._State``): sums, the first steps of sessions, the dwell times as
sorted runs (``cxlisten.runs``) and pulse answers by the day they were given, so the merged
diagnosis is the one a single pass over the window's sessions gives (``diagnose(...,
stored=False)``; tests/test_storage_summaries.py compares them).

The day still going on is counted in two parts: the sessions started before the last whole
hour that began ``SETTLE_MS`` ago (their counts kept under ``inputs@HOUR``, reused while their
stamp holds, replaced by the next hour's part), and the sessions since, counted every time.

So a month's diagnosis reads one stamp per day, the stored days, and the sessions of the days
that changed since they were stored (today's last hour or two, mostly), never a month of
session rows.
"""

from __future__ import annotations

import hashlib
import json
import time

from cxlisten.diagnose import DAY_MS, _Paths, _State, scan
from cxlisten.journeys import Journey, PathRules
from cxlisten.storage import diagnosis_days as store
from cxlisten.storage.db import Database, DatabaseError

__all__ = ["FORMAT", "inputs", "window"]

HOUR_MS = 3_600_000
SETTLE_MS = 30 * 60_000  # a session ends after 30 minutes idle: older ones rarely change

FORMAT = 3  # of the stored counts (2: with scroll depth; 3: page speed values sorted, base64)
# a new format never reads an old one


def inputs(db: Database, site_id: int, rules: PathRules, named: list[Journey], depth: int) -> str:
    """A digest of what a day's counts depend on besides its sessions."""
    journeys = [[j.name, j.kind, list(j.steps), j.goal] for j in named]
    text = json.dumps(
        [FORMAT, depth, journeys, rules.as_dict(), store.track_surveys(db, site_id)],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _count_day(db, site_id, named, paths, day: int, pulse: dict, depth: int) -> _State:
    since, until = day * DAY_MS, (day + 1) * DAY_MS
    return scan(db, site_id, since, until, named, paths, pulse, depth)


def _going_on(db, site_id, named, paths, day: int, answers, depth: int, digest, now) -> _State:
    """Count DAY, still going on at NOW: the sessions started before the last whole hour that
    began ``SETTLE_MS`` ago (their counts stored under ``DIGEST@HOUR`` and reused while their
    stamp holds, as a finished day's), and the others, counted every time."""
    start = day * DAY_MS
    cut = min(max(start, (now - SETTLE_MS) // HOUR_MS * HOUR_MS), start + DAY_MS)
    pulse: dict[str, list] = {}  # session -> its answers
    for d, session_id, kind, number, answered, *_ in answers:
        if d == day:
            pulse.setdefault(session_id, []).append((kind, number, answered))
    state = scan(db, site_id, cut, start + DAY_MS, named, paths, pulse, depth)
    early = [a for a in answers if a[0] == day and a[-1] < cut]
    stamp = store.day_stamps(db, site_id, start, cut, early).get(day) if cut > start else None
    if stamp is None:
        return state
    key = f"{digest}@{cut}"
    kept = store.stored_days(db, site_id, key, start, cut).get(day)
    if kept is not None and kept[:3] == stamp:
        part = _State.from_json(named, json.loads(kept[3]))
    else:
        part = scan(db, site_id, start, cut, named, paths, pulse, depth)
        try:
            store.save_part(db, site_id, key, digest, (day, *stamp, json.dumps(part.to_json())))
        except DatabaseError:  # a busy or read-only database: the figures stand all the same
            pass
    state.merge(part)
    return state


def window(
    db: Database,
    site_id: int,
    rules: PathRules,
    named: list[Journey],
    paths: _Paths,
    since: int | None,
    until: int | None,
    depth: int,
    *,
    now_ms: int | None = None,
) -> _State:
    """Return the counts of the human sessions started in [SINCE, UNTIL) (whole days)."""
    today = (int(time.time() * 1000) if now_ms is None else now_ms) // DAY_MS
    digest = inputs(db, site_id, rules, named, depth)
    answers = store.pulse_answers(db, site_id, since, until)
    stamps = store.day_stamps(db, site_id, since, until, answers)
    pulse: dict[int, dict[str, list]] = {}  # session's day -> session -> its answers
    for day, session_id, kind, number, answered, *_ in answers:
        pulse.setdefault(day, {}).setdefault(session_id, []).append((kind, number, answered))
    stored = store.stored_days(db, site_id, digest, since, until)
    state = _State.empty(named)
    fresh = []
    for day in sorted(stamps):
        kept = stored.get(day)
        if kept is not None and kept[:3] == stamps[day]:
            part = _State.from_json(named, json.loads(kept[3]))
        elif day < today:
            part = _count_day(db, site_id, named, paths, day, pulse.get(day, {}), depth)
            fresh.append((day, *stamps[day], json.dumps(part.to_json())))
        else:  # a day still going on changes by the minute: only its settled part is kept
            moment = int(time.time() * 1000) if now_ms is None else now_ms
            part = _going_on(db, site_id, named, paths, day, answers, depth, digest, moment)
        state.merge(part)
    try:
        store.save_days(db, site_id, digest, fresh)
    except DatabaseError:  # a busy or read-only database: the figures stand all the same
        pass
    return state
