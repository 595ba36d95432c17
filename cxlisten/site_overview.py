"""A site at a glance, for a window of time: the console's home page.

``window(choice, start, end, now_ms)`` turns the home page's choice (``today``, ``7d``, ``30d``
or ``custom`` with two ISO dates) into ``[since, until)`` in milliseconds; ``overview`` returns
the window's visitors, sessions, surveys shown and answered (from the session summaries), the
NPS/CSAT/CES trend per day with 95% intervals (scored as the deep-dive report scores them), and
the three most problematic journeys with their failing step (from ``diagnose``).
``cached_overview`` and ``diagnosis`` reuse one computed less than a minute ago
(``cxlisten.console_cache``): the console's home and track pages read them on every visit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from cxlisten import deepdive
from cxlisten.console_cache import Fresh, fresh
from cxlisten.diagnose import Diagnosis, JourneyDiagnosis, diagnose
from cxlisten.errors import InvalidInput
from cxlisten.storage import console_queries as queries
from cxlisten.storage.db import Database

__all__ = [
    "CHOICES",
    "Overview",
    "TrendPoint",
    "Window",
    "cached_overview",
    "diagnosis",
    "overview",
    "window",
]

DAY_MS = 86_400_000
CHOICES = ("today", "7d", "30d", "custom")
MAX_CUSTOM_DAYS = 366


@dataclass(frozen=True)
class Window:
    choice: str
    since: int
    until: int
    start: str  # first day, ISO
    end: str  # last day, ISO (inclusive)


@dataclass(frozen=True)
class TrendPoint:
    day: str
    score: float | None
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class Overview:
    window: Window
    visitors: int
    sessions: int
    surveys_shown: int
    surveys_answered: int
    trends: dict[str, tuple[TrendPoint, ...]]  # "NPS", "CSAT", "CES": only those answered
    problems: tuple[JourneyDiagnosis, ...]  # the three most problematic journeys
    diagnosis: Diagnosis


def _iso(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms / 1000))


def _day_ms(text: str, field: str) -> int:
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidInput("not a date", {field: ["a date such as 2026-03-01"]}) from None
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def window(
    choice: str | None, start: str | None, end: str | None, now_ms: int | None = None
) -> Window:
    """Return the window for CHOICE (default 7d) ending today, or START..END (inclusive, UTC)."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    choice = choice or "7d"
    if choice not in CHOICES:
        raise InvalidInput("unknown window", {"window": [f"one of {', '.join(CHOICES)}"]})
    today = now_ms - now_ms % DAY_MS
    if choice == "custom":
        since = _day_ms(start, "from")
        until = _day_ms(end, "to") + DAY_MS
        if until <= since:
            raise InvalidInput("the window ends before it starts", {"to": ["after “from”"]})
        if until - since > MAX_CUSTOM_DAYS * DAY_MS:
            raise InvalidInput("window too long", {"to": [f"at most {MAX_CUSTOM_DAYS} days"]})
    else:
        days = {"today": 1, "7d": 7, "30d": 30}[choice]
        since, until = today - (days - 1) * DAY_MS, today + DAY_MS
    return Window(choice, since, until, _iso(since), _iso(until - DAY_MS))


def _trends(db: Database, site_id: int, w: Window) -> dict[str, tuple[TrendPoint, ...]]:
    by: dict[str, dict[int, list[float]]] = {}
    for started, qtype, number in queries.score_answers(db, site_id, w.since, w.until):
        by.setdefault(qtype, {}).setdefault(started // DAY_MS, []).append(number)
    out = {}
    for qtype in queries.SCORE_TYPES:
        days = by.get(qtype)
        if not days:
            continue
        scale = 100 if qtype == "csat" else 1  # CSAT reads as a percentage, as on results
        points = []
        for day in sorted(days):
            s = deepdive.score(qtype, days[day]) or {}

            def scaled(key, s=s, scale=scale):
                return None if s.get(key) is None else round(s[key] * scale, 2)

            points.append(
                TrendPoint(
                    _iso(day * DAY_MS),
                    scaled("value"),
                    scaled("low"),
                    scaled("high"),
                    len(days[day]),
                )
            )
        out[qtype.upper()] = tuple(points)
    return out


def diagnosis(db: Database, site, since: int | None, until: int | None) -> Fresh:
    """Return ``diagnose`` of SITE for [SINCE, UNTIL), reused for a minute (console_cache)."""
    return fresh(db, ("diagnosis", site.id, since, until), lambda: diagnose(db, site, since, until))


def cached_overview(db: Database, site, w: Window) -> Fresh:
    """Return ``overview`` of SITE for W, reused for a minute (console_cache)."""
    return fresh(db, ("overview", site.id, w.since, w.until), lambda: overview(db, site, w))


def overview(db: Database, site, w: Window, *, top: int = 3) -> Overview:
    """Return SITE's figures for window W."""
    site_id = site.id
    totals = queries.session_totals(db, site_id, w.since, w.until)
    found = diagnosis(db, site, w.since, w.until).value
    return Overview(
        window=w,
        visitors=totals["visitors"],
        sessions=totals["sessions"],
        surveys_shown=totals["shown"],
        surveys_answered=totals["answered"],
        trends=_trends(db, site_id, w),
        problems=found.problems[:top],
        diagnosis=found,
    )
