"""When a UTC day begins, the first batch of a site refreshes its stored summaries
(``cxlisten.summaries``), after its answer has been sent.

A batch costs one look at this process's memory (has it asked for this site today?); the first
batch of the day in each process asks the database to claim the day, and the one worker of all
collectors that claims it refreshes the site once its response is closed (werkzeug's
``call_on_close``: after gunicorn has written the answer), so no visitor waits for it.
"""

from __future__ import annotations

import logging
import time
import weakref

from flask import after_this_request

from cxlisten import summaries
from cxlisten.deployment import Deployment
from cxlisten.errors import CxlistenError
from cxlisten.ingest import CollectResult
from cxlisten.storage.db import DatabaseError

log = logging.getLogger(__name__)

# Per deployment: site id -> the day this process last asked to claim.
_asked: weakref.WeakKeyDictionary[Deployment, dict[int, int]] = weakref.WeakKeyDictionary()


def clock() -> float:
    """Return the time in seconds (a module function so a test can set the clock)."""
    return time.time()


def after_batch(dep: Deployment, result: CollectResult) -> None:
    """Refresh the site's summaries after this response if RESULT stored its first events of
    the day (in this process)."""
    site, now = result.site, int(clock() * 1000)
    asked = _asked.setdefault(dep, {})
    if not result.accepted or asked.get(site.id) == now // summaries.DAY_MS:
        return
    if not summaries.settled(now):
        return
    asked[site.id] = now // summaries.DAY_MS
    db = dep.db

    @after_this_request
    def _later(response):
        response.call_on_close(lambda: _refresh(db, site, now, asked))
        return response


def _refresh(db, site, now: int, asked: dict[int, int]) -> None:
    try:
        if not summaries.claim_day(db, site.id, now):
            return
        done = summaries.refresh(db, site, now_ms=now)
    except DatabaseError as exc:  # busy, say: a later batch of the day asks again
        asked.pop(site.id, None)
        log.warning("summaries of site %s not refreshed: %s", site.key, exc)
        return
    except CxlistenError as exc:
        log.warning("summaries of site %s not refreshed: %s", site.key, exc)
        return
    log.info(
        "summaries of site %s refreshed: %d days, %d rules (%d outcomes), %d surveys in %.1f s",
        site.key,
        done.days,
        done.rules,
        done.outcomes,
        done.surveys,
        done.seconds,
    )
