"""Keep the stored summaries current off the request path, so no console visit builds them.

The console's diagnosis merges one stored count per finished day (``cxlisten.diagnosis_days``)
and a rule's lift reads stored exposure outcomes (``cxlisten.lift``); a page that finds them
missing counts them itself, which on a month of a busy site takes seconds. ``refresh`` builds
what is missing or out of date, for the finished days of the longest window the home page
offers, for every rule with a goal, and for each survey's results (``cxlisten.results_days``:
its finished days' counts, which the results page merges). It runs:

- when a UTC day begins: the first batch of a site that a collector stores after
  ``SETTLE_MS`` into the day (when no session of the day before is still going on) claims the
  day (``claim_day``: of all workers and collectors, one), and that worker refreshes the site
  after answering the batch (``collector.day_end``);
- on demand: ``cxlisten summaries refresh`` (docs/cli.md), for cron, after an upgrade or an
  import of old events.

Either way it counts only what is not stored yet, so running it again is cheap, and a page still
counts (and stores) a day that changed after it ran: the figures are always those of the
sessions, the summaries only save the time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from cxlisten import lift, results_days
from cxlisten.diagnose import diagnose
from cxlisten.diagnosis_days import SETTLE_MS
from cxlisten.errors import CxlistenError
from cxlisten.storage import diagnosis_days as day_store
from cxlisten.storage import rules as rule_store
from cxlisten.storage import sites as site_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database

__all__ = ["DAYS", "SETTLE_MS", "Refreshed", "claim_day", "refresh", "refresh_all", "settled"]

log = logging.getLogger(__name__)

DAY_MS = 86_400_000
DAYS = 30  # the longest window the home page offers (``site_overview.CHOICES``)


@dataclass(frozen=True)
class Refreshed:
    site: str
    days: int  # finished days of the window with sessions, their counts now stored
    rules: int  # rules with a goal, their outcomes now stored
    outcomes: int  # exposure outcomes worked out now (the others were stored and still right)
    surveys: int  # surveys whose finished days' results are now stored
    seconds: float


def refresh(db: Database, site, *, days: int = DAYS, now_ms: int | None = None) -> Refreshed:
    """Store SITE's diagnosis of each finished day of the last DAYS (and of today's settled
    hours), its rules' outcomes and its surveys' results of every finished day."""
    started = time.perf_counter()
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    until = now_ms - now_ms % DAY_MS  # today is still going on: counted by each visit
    # The same call as the console's pages (their depth, journeys, path rules): the days it
    # stores are the ones they read.
    # ... and today's settled hours (``diagnosis_days._going_on``)
    diagnose(db, site, until - days * DAY_MS, until + DAY_MS, now_ms=now_ms)
    stamps = day_store.day_stamps(db, site.id, until - days * DAY_MS, until)
    rules = outcomes = 0
    for rule in rule_store.list_rules(db, site.id):
        try:
            found = lift.refresh_outcomes(db, site.id, rule)
        except CxlistenError as exc:  # a rule whose journey is gone has no lift to keep
            log.info("rule %s of site %s: no outcomes kept: %s", rule["name"], site.key, exc)
            continue
        if found is not None:
            rules, outcomes = rules + 1, outcomes + found
    surveys = survey_store.list_surveys(db, site.id, kind="survey")
    for survey in surveys:  # the results page's window may reach the first day: all of them
        results_days.cells(db, site.id, survey.slug, None, until, now_ms=now_ms)
    return Refreshed(
        site.key, len(stamps), rules, outcomes, len(surveys), time.perf_counter() - started
    )


def refresh_all(db: Database, *, days: int = DAYS, now_ms: int | None = None) -> list[Refreshed]:
    """``refresh`` every site of the database."""
    return [refresh(db, s, days=days, now_ms=now_ms) for s in site_store.list_sites(db)]


def settled(now_ms: int) -> bool:
    """Return whether NOW_MS is far enough into its day that yesterday's sessions are over."""
    return now_ms % DAY_MS >= SETTLE_MS


def claim_day(db: Database, site_id: int, now_ms: int) -> bool:
    """Return whether this call claims the refresh of SITE for the day of NOW_MS (once
    ``settled``): of every worker and collector, the first call does, once; the others get
    False. A busy database raises DatabaseError: nobody claimed it yet."""
    return settled(now_ms) and day_store.claim_day(db, site_id, now_ms // DAY_MS, now_ms)
