"""Simulated process-score answers with planted means and a planted drop, for checking
``cxlisten.process_scores``.

``plant_process_scores(db, site, weeks=4, per_week=150)`` creates the ``process-checkout`` and
``process-support`` surveys from the template and answers them, ``per_week`` respondents each in
each of the ``weeks`` calendar weeks (Monday to Sunday) before the week of ``now``. Each rating is
drawn around its planted mean (``PLANTED``, standard deviation 0.8, rounded, kept within 1–5):
checkout is inconvenient (2.6), support slow to respond (2.8), the rest about 4. With
``drop=True`` checkout's reliability falls from 4.2 to 3.2 in the latest week; otherwise nothing
moves, and the trend must say steady.
"""

from __future__ import annotations

import random
import time

from cxlisten.process_scores import DIMENSIONS, template
from cxlisten.storage import process_scores as score_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import transaction
from cxlisten.storage.sites import Site
from cxlisten.surveys.catalogue import create_survey

__all__ = ["DROPPED", "PLANTED", "WEEK_MS", "plant_process_scores"]

WEEK_MS = 7 * 86_400_000
PLANTED = {
    "checkout": {"convenience": 2.6, "responsiveness": 4.0, "reliability": 4.2, "relevance": 3.9},
    "support": {"convenience": 4.0, "responsiveness": 2.8, "reliability": 3.9, "relevance": 4.1},
}
DROPPED = ("checkout", "reliability", 3.2)  # the latest week's mean, with drop=True


def plant_process_scores(
    db,
    site: Site,
    *,
    weeks: int = 4,
    per_week: int = 150,
    drop: bool = True,
    seed: int = 1,
    now: int | None = None,
) -> None:
    """Write the planted answers of the module docstring."""
    rng = random.Random(seed)
    now = now or int(time.time() * 1000)
    offset = score_store.MONDAY_OFFSET_MS
    this_monday = (now + offset) // WEEK_MS * WEEK_MS - offset
    with transaction(db):
        rows = []
        for process, means in PLANTED.items():
            survey = create_survey(db, site, template(process))
            for week in range(weeks, 0, -1):
                start = this_monday - week * WEEK_MS
                for i in range(per_week):
                    at = start + rng.randrange(WEEK_MS)
                    visitor = f"ps{seed}-{process}-{week}-{i}"
                    response_id = _response(db, site, survey, visitor, at)
                    for position, dimension in enumerate(DIMENSIONS):
                        mean = means[dimension]
                        if drop and week == 1 and (process, dimension) == DROPPED[:2]:
                            mean = DROPPED[2]
                        score = float(min(5, max(1, round(rng.gauss(mean, 0.8)))))
                        rows.append(
                            {
                                "response_id": response_id,
                                "site_id": site.id,
                                "survey": survey.slug,
                                "version": 1,
                                "visitor_id": visitor,
                                "question": dimension,
                                "position": position,
                                "type": "rating",
                                "value": str(int(score)),
                                "number": score,
                                "other": None,
                                "answered_at": at,
                            }
                        )
        response_store.upsert_answers(db, rows)


def _response(db, site: Site, survey, visitor: str, at: int) -> int:
    return response_store.insert_response(
        db,
        {
            "site_id": site.id,
            "survey_id": survey.id,
            "survey": survey.slug,
            "version": 1,
            "client_id": f"{visitor}-r",
            "visitor_id": visitor,
            "session_id": None,
            "status": "complete",
            "answered": 4,
            "locale": "en",
            "url": "https://shop.example/checkout/done",
            "path": "/checkout/done",
            "device": "desktop",
            "browser": "Chrome",
            "os": "Linux",
            "is_bot": 0,
            "journey": ["/checkout/done"],
            "started_at": at,
            "updated_at": at,
            "completed_at": at,
        },
    )
