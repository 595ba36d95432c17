"""Simulated traffic whose answers are planted, for checking ``cxlisten.predict``.

``plant_nps(db, site, visitors=3000)`` writes one session per visitor (the summary rows ingestion
keeps) and, for a random ``answer_share`` of the visitors, an answer to the NPS survey ``nps``
(question ``score``). Every visitor has a true score, planted from their behaviour:

* reaching ``/done`` (the goal of the ``order`` journey ``/cart → /checkout``) raises it;
* rage clicks on ``/checkout`` and a visit to ``/help/payment`` lower it;
* noise on top (standard deviation 1.2 points).

With ``related=False`` the scores are shuffled between visitors: the same distribution,
independent of behaviour (a model must then refuse). Who answers is random in both cases, so the
non-respondents' true distribution (returned, by NPS class) is what a good estimate approaches.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass

from cxlisten import journeys as journey_lib
from cxlisten import sessions as sessionise
from cxlisten.storage import events as event_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import transaction
from cxlisten.surveys.catalogue import create_survey
from cxlisten.useragent import Device

__all__ = [
    "EXPERIENCE_SURVEY",
    "NPS_SURVEY",
    "PlantedAnswers",
    "nps_class",
    "plant_drivers",
    "plant_nps",
]

NPS_SURVEY = {
    "id": "nps",
    "phase": "track",
    "trigger": {"type": "pageview"},
    "questions": [{"id": "score", "type": "nps", "text": {"en": "How likely to recommend us?"}}],
}
ORDER = {"name": "order", "steps": ["/cart", "/checkout"], "goal": "/done"}
_DEVICES = [Device("desktop", "Chrome", "Linux", False), Device("mobile", "Safari", "iOS", False)]


def nps_class(score: float) -> str:
    """Return the NPS class of a 0–10 score."""
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


@dataclass(frozen=True)
class PlantedAnswers:
    visitors: int
    respondents: int
    non_respondents: Counter  # NPS class -> visitors who did not answer, by their true score


def _session(rng: random.Random, site_id: int, visitor: str, ts: int) -> tuple[dict, float]:
    """Return one visitor's session summary and their true score."""
    device = rng.choice(_DEVICES)
    session = sessionise.new_session(site_id, visitor, ts, device, rng.random() < 0.3)
    steps = ["/", "/product/lamp", "/cart"]
    rage = help_ = done = False
    if rng.random() < 0.7:
        steps.append("/checkout")
        rage = rng.random() < 0.3
        if rng.random() < 0.25:
            steps.append("/help/payment")
            help_ = True
        done = rng.random() < (0.25 if rage or help_ else 0.8)
        if done:
            steps.append("/done")
    dwell = [rng.randint(3_000, 40_000) for _ in steps]
    session.update(
        steps=steps,
        dwell=dwell,
        scroll=[rng.randint(20, 100) for _ in steps],
        pageviews=len(steps),
        events=3 * len(steps),
        entry=steps[0],
        exit=steps[-1],
        last_ts=ts + sum(dwell),
        max_scroll=100,
    )
    if rage:
        session["rage_clicks"] = 1
        session["signals"] = [["rage", "/checkout", "button#pay", "Pay"]]
    score = 7.0 + 2.5 * done - 3.0 * rage - 1.5 * help_ + rng.gauss(0, 1.2)
    return session, min(10.0, max(0.0, round(score)))


def _response(survey, at: int, **fields) -> dict:
    """A complete response to SURVEY (version 1, English, a person) made at AT, as storage keeps
    it; FIELDS give the rest (client id, visitor, session, answered, page, device, journey)."""
    return {
        "survey_id": survey.id,
        "survey": survey.slug,
        "version": 1,
        "status": "complete",
        "locale": "en",
        "is_bot": 0,
        "started_at": at,
        "updated_at": at,
        "completed_at": at,
        **fields,
    }


def _answer(response_id: int, response: dict, site_id: int, **fields) -> dict:
    """An answer of stored RESPONSE, as storage keeps it; FIELDS: question, position, type,
    value, number."""
    return {
        "response_id": response_id,
        "site_id": site_id,
        "survey": response["survey"],
        "version": 1,
        "visitor_id": response["visitor_id"],
        "other": None,
        "answered_at": response["completed_at"],
        **fields,
    }


def _store_scores(db, site_id: int, survey, seed: int, answers: list) -> None:
    """Store each (session, score) of ANSWERS as a complete response to the NPS SURVEY."""
    rows = []
    for i, (session, score) in enumerate(answers):
        response = _response(
            survey,
            session["last_ts"],
            site_id=site_id,
            client_id=f"planted-{seed}-{i}",
            visitor_id=session["visitor_id"],
            session_id=session["id"],
            answered=1,
            url="https://shop.example" + session["exit"],
            path=session["exit"],
            device=session["device"],
            browser=session["browser"],
            os=session["os"],
            journey=session["steps"],
        )
        response_id = response_store.insert_response(db, response)
        rows.append(
            _answer(
                response_id,
                response,
                site_id,
                question="score",
                position=0,
                type="nps",
                value=str(int(score)),
                number=score,
            )
        )
    response_store.upsert_answers(db, rows)


def plant_nps(
    db,
    site,
    *,
    visitors: int = 3000,
    answer_share: float = 0.3,
    related: bool = True,
    seed: int = 1,
    now: int | None = None,
) -> PlantedAnswers:
    """Write VISITORS planted visitors and the answers of about ANSWER_SHARE of them."""
    rng = random.Random(seed)
    site_id = getattr(site, "id", site)
    now = now or int(time.time() * 1000)
    if not any(j.name == "order" for j in journey_lib.list_journeys(db, site_id)):
        journey_lib.save_journey(db, site_id, ORDER)
    survey = create_survey(db, site, NPS_SURVEY)
    made = [
        _session(rng, site_id, f"pv{i:06d}", now - rng.randint(1, 13 * 86_400_000))
        for i in range(visitors)
    ]
    scores = [score for _, score in made]
    if not related:
        rng.shuffle(scores)
    non_respondents: Counter = Counter()
    answers = []
    for (session, _), score in zip(made, scores, strict=True):
        if rng.random() < answer_share:
            answers.append((session, score))
        else:
            non_respondents[nps_class(score)] += 1
    with transaction(db):
        event_store.save_sessions(db, [s for s, _ in made])
        _store_scores(db, site_id, survey, seed, answers)
    return PlantedAnswers(visitors, len(answers), non_respondents)


EXPERIENCE_SURVEY = {
    "id": "experience",
    "phase": "deepdive",
    "trigger": {"type": "pageview"},
    "questions": [
        {"id": "nps", "type": "nps", "text": {"en": "How likely to recommend us?"}},
        {"id": "delivery", "type": "csat", "text": {"en": "Delivery speed?"}},
        {"id": "price", "type": "csat", "text": {"en": "Price?"}},
        {"id": "support", "type": "csat", "text": {"en": "Support?"}},
    ],
}


def plant_drivers(
    db, site, *, respondents: int = 1600, related: bool = True, seed: int = 1
) -> None:
    """Write answers to ``experience`` whose NPS is driven, on phones, by delivery speed and, on
    desktops, by price (support matters a little everywhere); with ``related=False`` NPS is
    drawn independently of the experience answers."""
    rng = random.Random(seed)
    site_id = getattr(site, "id", site)
    survey = create_survey(db, site, EXPERIENCE_SURVEY)
    now = int(time.time() * 1000)
    with transaction(db):
        rows = []
        for i in range(respondents):
            device = "mobile" if i % 2 else "desktop"
            csat = {q: rng.randint(1, 5) for q in ("delivery", "price", "support")}
            main = csat["delivery"] if device == "mobile" else csat["price"]
            score = 6.5 + 1.5 * (main - 3) + 0.4 * (csat["support"] - 3) + rng.gauss(0, 1.0)
            if not related:
                score = rng.gauss(6.5, 2.5)
            answers = {"nps": min(10.0, max(0.0, round(score))), **csat}
            response = _response(
                survey,
                now,
                site_id=site_id,
                client_id=f"drivers-{seed}-{i}",
                visitor_id=f"dv{i:06d}",
                session_id=None,
                answered=4,
                url="https://shop.example/done",
                path="/done",
                device=device,
                browser="Chrome",
                os="Linux",
                journey=["/done"],
            )
            response_id = response_store.insert_response(db, response)
            rows += [
                _answer(
                    response_id,
                    response,
                    site_id,
                    question=question,
                    position=position,
                    type="nps" if question == "nps" else "csat",
                    value=str(int(number)),
                    number=float(number),
                )
                for position, (question, number) in enumerate(answers.items())
            ]
        response_store.upsert_answers(db, rows)
