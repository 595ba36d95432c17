"""Simulated respondents whose NPS is driven by behaviour, differently per segment, for checking
``cxlisten drivers --behaviour`` with operational and answer segments.

``plant_behaviour_drivers(db, site, respondents=2000)`` writes, per respondent, the session they
answered the ``visit`` survey in (``nps``, the visit ``reason``: ``buy`` or ``support``, and a
``delivery`` CSAT), a customer the visitor is linked to (nine in ten) and that customer's orders
(``cxlisten import``'s records), half of them small (under 50 in all), half large (200–1000).
Each behaviour signal happens in about 30% of the sessions, independently. Planted:

* customers with **small orders**: a **rage click** costs 3 NPS points;
* customers with **large orders**: **seeking help** costs 3 points;
* visiting to **buy**: an **abandoned form field** costs 3 points;
* visiting for **support**: a **loop** (back to a page already left) costs 3 points;
* delivery counts a little everywhere; noise on top (standard deviation 1).

The session reaches the goal of the ``order`` journey (``/checkout/done``) in 85% of the sessions
without an abandoned form field and 30% of those with one.

With ``related=False`` NPS and reaching the goal (60%) are drawn independently of everything:
``drivers`` must then say "nothing here" in every segment.
"""

from __future__ import annotations

import random
import time

from cxlisten import journeys as journey_lib
from cxlisten import operational
from cxlisten import sessions as sessionise
from cxlisten.storage import customers as customer_store
from cxlisten.storage import events as event_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import transaction
from cxlisten.storage.sites import Site
from cxlisten.surveys.catalogue import create_survey
from cxlisten.useragent import Device

__all__ = ["ORDER", "VISIT_SURVEY", "plant_behaviour_drivers"]

VISIT_SURVEY = {
    "id": "visit",
    "phase": "deepdive",
    "trigger": {"type": "pageview"},
    "questions": [
        {"id": "nps", "type": "nps", "text": {"en": "How likely to recommend us?"}},
        {
            "id": "reason",
            "type": "single",
            "text": {"en": "Why did you come today?"},
            "options": [
                {"code": "buy", "label": {"en": "To buy"}},
                {"code": "support", "label": {"en": "For help with an order"}},
            ],
        },
        {"id": "delivery", "type": "csat", "text": {"en": "Delivery speed?"}},
    ],
}
ORDER = {"name": "order", "steps": ["/cart", "/checkout"], "goal": "/checkout/done"}
_DESKTOP = Device("desktop", "Chrome", "Linux", False)


def _session(rng: random.Random, site_id: int, visitor: str, ts: int) -> tuple[dict, dict]:
    """Return one respondent's session summary and which signals it had."""
    had = {k: rng.random() < 0.3 for k in ("rage", "dead", "abandoned", "help", "loop")}
    steps = ["/", "/product/lamp", "/cart"]
    if had["loop"]:
        steps += ["/product/lamp"]
    if had["help"]:
        steps += ["/help/article/returns"]
    steps += ["/checkout"]
    session = sessionise.new_session(site_id, visitor, ts, _DESKTOP, False)
    scroll = [rng.randint(10, 100) for _ in steps]
    session.update(
        steps=steps,
        dwell=[rng.randint(3_000, 30_000) for _ in steps],
        scroll=scroll,
        max_scroll=max(scroll),
        pageviews=len(steps),
        events=3 * len(steps),
        entry="/",
        exit="/checkout",
        last_ts=ts + 60_000,
        rage_clicks=int(had["rage"]),
        dead_clicks=int(had["dead"]),
        abandoned_fields=int(had["abandoned"]),
    )
    return session, had


def plant_behaviour_drivers(
    db, site: Site, *, respondents: int = 2000, related: bool = True, seed: int = 1
) -> None:
    """Write RESPONDENTS planted respondents of ``visit`` (the module docstring)."""
    rng = random.Random(seed)
    goal_rng = random.Random(f"goal {seed}")  # apart: the answers stay as they were
    if not any(j.name == ORDER["name"] for j in journey_lib.list_journeys(db, site.id)):
        journey_lib.save_journey(db, site.id, ORDER)
    survey = create_survey(db, site, VISIT_SURVEY)
    now = int(time.time() * 1000)
    sessions, responses, orders, links = [], [], [], []
    for i in range(respondents):
        visitor = f"bv{seed}-{i:06d}"
        session, had = _session(rng, site.id, visitor, now - rng.randint(1, 20) * 3_600_000)
        reached = goal_rng.random() < ((0.3 if had["abandoned"] else 0.85) if related else 0.6)
        if reached:
            session["steps"].append("/checkout/done")
            session["dwell"].append(5_000)
            session["scroll"].append(30)
            session["pageviews"] += 1
            session["exit"] = "/checkout/done"
        sessions.append(session)
        size = rng.choice(["small", "large"]) if rng.random() < 0.9 else None
        if size:
            customer = f"c{seed}-{i:06d}"
            links.append((visitor, customer))
            for k in range(rng.randint(1, 3)):
                amount = rng.uniform(5, 15) if size == "small" else rng.uniform(250, 330)
                orders.append((customer, f"{customer}-{k}", round(amount, 2)))
        reason = rng.choice(["buy", "support"])
        delivery = rng.randint(1, 5)
        score = (
            7.0
            - 3.0 * had["rage"] * (size == "small")
            - 3.0 * had["help"] * (size == "large")
            - 3.0 * had["abandoned"] * (reason == "buy")
            - 3.0 * had["loop"] * (reason == "support")
            + 0.3 * (delivery - 3)
            + rng.gauss(0, 1.0)
        )
        if not related:
            score = rng.gauss(6.0, 2.5)
        answers = {"nps": float(min(10, max(0, round(score)))), "reason": reason}
        answers["delivery"] = float(delivery)
        responses.append((session, answers))
    with transaction(db):
        event_store.save_sessions(db, sessions)
        for visitor, customer in links:
            customer_store.link(db, site.id, visitor, customer, "import")
        _write_responses(db, site, survey.id, responses, seed, now)
    operational.import_rows(
        db,
        site,
        "order",
        [
            ("index", n, {"customer_id": c, "id": key, "time": now - 86_400_000, "amount": a})
            for n, (c, key, a) in enumerate(orders)
        ],
    )


def _write_responses(db, site: Site, survey_id: int, responses, seed: int, now: int) -> None:
    rows = []
    for i, (session, answers) in enumerate(responses):
        response_id = response_store.insert_response(
            db,
            {
                "site_id": site.id,
                "survey_id": survey_id,
                "survey": "visit",
                "version": 1,
                "client_id": f"behaviour-{seed}-{i}",
                "visitor_id": session["visitor_id"],
                "session_id": session["id"],
                "status": "complete",
                "answered": 3,
                "locale": "en",
                "url": "https://shop.example/checkout",
                "path": "/checkout",
                "device": "desktop",
                "browser": "Chrome",
                "os": "Linux",
                "is_bot": 0,
                "journey": session["steps"],
                "started_at": now,
                "updated_at": now,
                "completed_at": now,
            },
        )
        for position, (question, answer) in enumerate(answers.items()):
            number = None if question == "reason" else answer
            rows.append(
                {
                    "response_id": response_id,
                    "site_id": site.id,
                    "survey": "visit",
                    "version": 1,
                    "visitor_id": session["visitor_id"],
                    "question": question,
                    "position": position,
                    "type": {"nps": "nps", "reason": "single"}.get(question, "csat"),
                    "value": answer if number is None else str(int(number)),
                    "number": number,
                    "other": None,
                    "answered_at": now,
                }
            )
    response_store.upsert_answers(db, rows)
