"""Simulated traffic with a planted intervention effect, for checking intervention holdouts.

``plant_intervention(db, site, visitors=1500, effect=0.2)`` creates the ``chat-offer``
intervention ("Need more help?" with a chat, after 20 s on a help article, ``holdout`` 20%, goal
``/help/contact``) and, for each visitor, one session that reaches a help article. Each visitor is
put through targeting as ``GET /v1/config`` puts them (``cxlisten.surveys.targeting`` draws the
holdout, ``cxlisten.intervention_lift.record`` records the group); then the visitor goes on to
``/help/contact`` with chance ``BASE_RATE`` (30%), plus EFFECT when they were shown it. With
``effect=0`` both groups reach the goal alike: lift must then say it has no evidence.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from cxlisten import intervention_lift
from cxlisten import sessions as sessionise
from cxlisten.errors import InvalidInput
from cxlisten.settings import load_settings
from cxlisten.storage import events as event_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage import transaction
from cxlisten.storage.sites import Site
from cxlisten.surveys import targeting
from cxlisten.surveys.catalogue import create_survey
from cxlisten.useragent import Device

__all__ = ["BASE_RATE", "CHAT_OFFER", "PlantedLift", "plant_intervention"]

BASE_RATE = 0.3
CHAT_OFFER = {
    "id": "chat-offer",
    "kind": "intervention",
    "trigger": {"type": "dwell", "seconds": 20, "urls": ["/help/article/*"]},
    "repetition": {"mode": "until_answered"},
    "content": {
        "title": {"en": "Need more help?"},
        "body": {"en": "Our team answers within minutes."},
        "label": {"en": "Contact us"},
        "url": "/help/contact",
    },
    "holdout": 20,
    "goal": "/help/contact",
}
_DEVICES = (Device("desktop", "Chrome", "Linux", False), Device("mobile", "Safari", "iOS", False))
_ARTICLES = ("/help/article/returns", "/help/article/shipping", "/help/article/payment")


@dataclass(frozen=True)
class PlantedLift:
    shown: int  # visitors recorded in the shown group
    holdout: int  # and in the holdout
    reached: dict[str, int]  # group -> visitors who reached the goal


def plant_intervention(
    db,
    site: Site,
    *,
    visitors: int = 1500,
    effect: float = 0.2,
    seed: int = 1,
    now: int | None = None,
) -> PlantedLift:
    """Write VISITORS planted visitors of ``chat-offer``; return who was in which group."""
    rng = random.Random(seed)
    site_id = site.id
    if survey_store.get_survey(db, site_id, CHAT_OFFER["id"]) is not None:
        raise InvalidInput(
            f"{CHAT_OFFER['id']!r} exists already: plant into a site without it",
            {"intervention": ["exists already"]},
        )
    create_survey(db, site, CHAT_OFFER, kind="intervention")
    settings = load_settings({}, environ={})
    made = _reading_sessions(site_id, visitors, rng, seed, now or int(time.time() * 1000))
    with transaction(db):
        event_store.save_sessions(db, [s for s, _ in made])
    counts = {"shown": 0, "holdout": 0}
    reached = {"shown": 0, "holdout": 0}
    later = []
    for session, device in made:
        at = session["last_ts"] + 1000
        url = site.origins[0].rstrip("/") + session["steps"][-1]
        result = targeting.evaluate(
            db, settings, site, session["visitor_id"], url, device, now=at, explain=False
        )
        intervention_lift.record(db, site_id, session["visitor_id"], url, result, at)
        arm = dict((s.slug, a) for s, a in intervention_lift.arms_of(result))["chat-offer"]
        counts[arm] += 1
        if rng.random() < BASE_RATE + (effect if arm == "shown" else 0.0):
            reached[arm] += 1
            session["steps"].append("/help/contact")
            session["dwell"].append(20_000)
            session["scroll"].append(40)
            session["pageviews"] += 1
            session["exit"] = "/help/contact"
            later.append(session)
    with transaction(db):
        event_store.save_sessions(db, later)
    return PlantedLift(counts["shown"], counts["holdout"], reached)


def _reading_sessions(site_id: int, visitors: int, rng: random.Random, seed: int, now: int):
    """Return (session, device) of VISITORS sessions that read an article, in the last 13 days."""
    made = []
    for i in range(visitors):
        device = rng.choice(_DEVICES)
        ts = now - rng.randint(2, 13 * 24) * 3_600_000
        session = sessionise.new_session(site_id, f"hv{seed}-{i:06d}", ts, device, False)
        steps = ["/", rng.choice(_ARTICLES)]
        session.update(
            steps=steps,
            dwell=[8_000, 30_000],
            scroll=[50, 80],
            pageviews=2,
            events=6,
            entry="/",
            exit=steps[-1],
            last_ts=ts + 40_000,
            max_scroll=80,
        )
        made.append((session, device))
    return made
