"""Churn risk of identified customers: ``cxlisten activate risk`` and the ``risk`` rule condition.

Three signals, each worth points, over every visitor (device) linked to the customer:

========================  ======  ==============================================================
signal                    points  when
========================  ======  ==============================================================
visits dropped            2       sessions in the last ``RECENT_DAYS`` (28) days are at most
                                  ``DROP`` (half) of the customer's own baseline: their sessions
                                  per 28 days over the ``BASELINE_DAYS`` (84) days before, which
                                  must be at least ``MIN_BASELINE`` (2) to count
detractor answer          2       the latest answer of a numeric question type is low: NPS 0–6,
                                  CSAT 1–2, CES 1–3, rating 1–2 (``cxlisten.diagnose.low_score``)
unresolved journey        1       in the last 28 days a session entered a named journey without
                                  reaching its goal, and no later session reached it
========================  ======  ==============================================================

The level is ``high`` from 3 points, ``medium`` at 2, ``low`` below. A rule condition
``{"risk": "medium"}`` holds for a visitor whose customer's level is at least medium (an
anonymous visitor is assessed on their own sessions and answers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cxlisten import journeys as journey_lib
from cxlisten.diagnose import low_score
from cxlisten.storage import customers as customer_store
from cxlisten.storage import signals as signal_store
from cxlisten.storage.db import Database

__all__ = [
    "BASELINE_DAYS",
    "DROP",
    "LEVELS",
    "MIN_BASELINE",
    "RECENT_DAYS",
    "Risk",
    "at_least",
    "customer_risks",
    "risk_of",
]

LEVELS = ("low", "medium", "high")
RECENT_DAYS = 28
BASELINE_DAYS = 84
DROP = 0.5
MIN_BASELINE = 2.0
_DAY = 86_400_000
_POINTS = {"visits": 2, "detractor": 2, "journey": 1}


@dataclass(frozen=True)
class Risk:
    """One customer's churn risk: level, points and the reasons in words."""

    customer: str | None
    level: str
    points: int
    recent_sessions: int
    baseline_sessions: float  # per RECENT_DAYS days, over the baseline period
    reasons: tuple[str, ...]


def at_least(level: str, wanted: str) -> bool:
    """Return whether LEVEL is WANTED or higher."""
    return LEVELS.index(level) >= LEVELS.index(wanted)


def risk_of(
    db: Database, site_id: int, visitors: tuple[str, ...], *, now: int | None = None, customer=None
) -> Risk:
    """Assess the churn risk of the person behind VISITORS (their linked devices) at NOW."""
    now = now or int(time.time() * 1000)
    recent_from = now - RECENT_DAYS * _DAY
    sessions = signal_store.sessions_of(db, site_id, visitors, recent_from - BASELINE_DAYS * _DAY)
    recent = [s for s in sessions if s[0] >= recent_from]
    baseline = (len(sessions) - len(recent)) * RECENT_DAYS / BASELINE_DAYS
    reasons, points = [], 0
    if baseline >= MIN_BASELINE and len(recent) <= DROP * baseline:
        points += _POINTS["visits"]
        reasons.append(
            f"visits dropped: {len(recent)} sessions in the last {RECENT_DAYS} days against "
            f"{baseline:.1f} per {RECENT_DAYS} days before"
        )
    latest: dict[str, float] = {}
    for _, _, _, number, _, kind in customer_store.answers_of(db, site_id, visitors):
        if number is not None and kind in ("nps", "csat", "ces", "rating"):
            latest[kind] = number  # oldest first: the last one wins
    low = sorted(k for k, n in latest.items() if low_score(k, n))
    if low:
        points += _POINTS["detractor"]
        reasons.append(f"detractor answer: latest {', '.join(f'{k} {latest[k]:g}' for k in low)}")
    unresolved = _unresolved(db, site_id, recent)
    if unresolved:
        points += _POINTS["journey"]
        reasons.append(f"unresolved journey: {unresolved} entered, goal not reached since")
    level = "high" if points >= 3 else "medium" if points == 2 else "low"
    return Risk(customer, level, points, len(recent), round(baseline, 2), tuple(reasons))


def _unresolved(db: Database, site_id: int, sessions: list) -> str | None:
    """Return the first named journey a recent session left unfinished, never finished since."""
    if not sessions:
        return None
    rules = journey_lib.path_rules(db, site_id)
    state: dict[str, bool] = {}  # journey -> completed in its latest entering session
    named = journey_lib.list_journeys(db, site_id)
    for _, steps in sessions:
        normalised = [rules.normalise(s) for s in steps]
        for journey in named:
            match = journey.follow(normalised)
            if match is not None:  # the latest session entering it decides
                state[journey.name] = bool(match.completed)
    return next((name for name, done in sorted(state.items()) if not done), None)


def customer_risks(db: Database, site, *, level: str = "low", now: int | None = None) -> list[Risk]:
    """Return the identified customers at LEVEL or above, highest points first."""
    site_id = getattr(site, "id", site)
    found = [
        risk_of(db, site_id, visitors, now=now, customer=customer)
        for customer, visitors in signal_store.customers(db, site_id).items()
    ]
    return sorted(
        (r for r in found if at_least(r.level, level)), key=lambda r: (-r.points, r.customer)
    )
