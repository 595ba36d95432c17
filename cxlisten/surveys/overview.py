"""The surveys list: each survey with its counts, response rate and answers per day.

The console's list and ``GET /api/surveys`` read the same counts (``catalogue.response_counts_of``);
the rate divides the responses by the sessions the survey was shown in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cxlisten.storage import survey_overview as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys import catalogue

__all__ = ["DAYS", "SurveyLine", "survey_lines"]

DAYS = 30


@dataclass(frozen=True)
class SurveyLine:
    survey: Survey
    partial: int
    complete: int
    shown: int
    # Answers per day, oldest first, one entry per day of the last DAYS (today last).
    daily: tuple[tuple[str, int], ...]

    @property
    def rate(self) -> float | None:
        """Responses per session it was shown in, as a percentage (None: never shown)."""
        if not self.shown:
            return None
        return round(100 * min(self.partial + self.complete, self.shown) / self.shown, 1)


def survey_lines(
    db: Database,
    site: Site,
    *,
    include_archived: bool = False,
    now: int | None = None,
) -> list[SurveyLine]:
    """Return one line per survey of SITE (interventions left out), highest priority first."""
    now = now if now is not None else int(time.time() * 1000)
    found = catalogue.list_surveys(db, site, kind="survey", include_archived=include_archived)
    today = now // store.DAY_MS
    first = today - DAYS + 1
    # One query per figure for all the surveys (not one per survey).
    daily = store.answers_per_day(db, [s.id for s in found], first * store.DAY_MS)
    counts_of = catalogue.response_counts_of(db, found)
    shown_of = store.shown_by_survey(db, site.id, [s.slug for s in found])
    lines = []
    for survey in found:
        counts, shown = counts_of[survey.id], shown_of[survey.slug]
        days = tuple(
            (time.strftime("%Y-%m-%d", time.gmtime(d * 86400)), daily[survey.id].get(d, 0))
            for d in range(first, today + 1)
        )
        lines.append(SurveyLine(survey, counts["partial"], counts["complete"], shown, days))
    return lines
