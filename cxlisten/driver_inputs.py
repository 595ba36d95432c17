"""What ``cxlisten drivers`` weighs beside the answers: behaviour, operational segments, goals.

**Reaching a journey's goal** (outcome ``goal:JOURNEY``): 1 when the session the response was
given in viewed the journey's goal, else 0.

**Behaviour signals** (``behaviour=True``) of the session each response was given in (the session
summary, ``cxlisten.sessions``), one driver each:

* ``rage clicks``, ``dead clicks``, ``abandoned fields`` — whether the session had one
  (``cxlisten.signals``);
* ``scroll depth`` — how far down the session's pages were read: its deepest scroll (0–1);
* ``help-seeking`` — a help page (the site's path rules), a clicked intervention ("Need more
  help?") or a ``need_help`` custom event;
* ``loops`` — the session went back to a page it had left (not a reload).

Respondents whose session is unknown are then left out, as page speed leaves out those without a
measured page view.

**Segments** (``by``) beyond device and new/returning visitors:

* ``answer:QUESTION`` — the option picked at a single-choice QUESTION of the same survey (the
  visit reason, say); several picks of a multiple choice put the response in each;
* ``orders`` — the linked customer's total order value (operational records of kind ``order``,
  ``cxlisten import``) in the bands of ``cxlisten.segments`` (``no orders``, ``under 50``,
  ``50–200``...); respondents not linked to a customer are ``not identified``;
* ``ticket`` — whether the linked customer has an open ticket (kind ``ticket``).
"""

from __future__ import annotations

import json

from cxlisten import journeys as journey_lib
from cxlisten.errors import InvalidInput
from cxlisten.operational import ORDER, TICKET
from cxlisten.segments import DEFAULT_BANDS
from cxlisten.storage import signals as signal_store
from cxlisten.storage.db import Database

__all__ = [
    "BEHAVIOUR",
    "SEGMENTS",
    "behaviour_of",
    "check_segment",
    "goal_outcome",
    "goal_reached",
    "has_loop",
    "segments_of",
]

BEHAVIOUR = (
    "rage clicks",
    "dead clicks",
    "abandoned fields",
    "scroll depth",
    "help-seeking",
    "loops",
)
SEGMENTS = ("device", "visitor", "orders", "ticket", "answer:QUESTION")
NOT_IDENTIFIED = "not identified"
_CHOICES = ("single", "multi")


def check_segment(by: str | None, questions: list[dict]) -> None:
    """Refuse a segmentation BY that the survey (its QUESTIONS) cannot give."""
    if by is None or by in SEGMENTS[:4]:
        return
    if by.startswith("answer:"):
        wanted = by.removeprefix("answer:")
        choices = [q["id"] for q in questions if q["type"] in _CHOICES]
        if wanted in choices:
            return
        raise InvalidInput(
            f"no choice question {wanted!r} to segment by",
            {"by": [f"answer: one of {', '.join(choices) or '(none)'}"]},
        )
    raise InvalidInput(f"cannot segment by {by!r}", {"by": [f"one of {', '.join(SEGMENTS)}"]})


def has_loop(steps: list[str]) -> bool:
    """Whether STEPS come back to a page they had left (a reload is not a loop)."""
    seen: set[str] = set()
    previous = None
    for step in steps:
        if step != previous and step in seen:
            return True
        seen.add(step)
        previous = step
    return False


def behaviour_of(db: Database, site_id: int, survey: str) -> dict[int, list[float]]:
    """Return {response id: the BEHAVIOUR values of the session it was given in}."""
    rules = journey_lib.path_rules(db, site_id)
    # Sessions repeat the same few step lists and custom events: decode each distinct one once.
    pages: dict[str, tuple[float, float]] = {}  # steps JSON -> (help page, loops)
    asked: dict[str, bool] = {}  # custom events JSON -> a need_help event among them
    out = {}
    for row in signal_store.respondent_sessions(db, site_id, survey):
        response, rage, dead, abandoned, max_scroll, steps_json, clicked, custom = row
        if steps_json not in pages:
            steps = [rules.normalise(p) for p in json.loads(steps_json)]
            pages[steps_json] = (
                float(any(rules.is_help(p) for p in steps)),
                float(has_loop(steps)),
            )
        if custom not in asked:
            asked[custom] = "need_help" in json.loads(custom)
        help_page, loops = pages[steps_json]
        out[response] = [
            float(rage > 0),
            float(dead > 0),
            float(abandoned > 0),
            max_scroll / 100,
            float(help_page or clicked > 0 or asked[custom]),
            loops,
        ]
    return out


def goal_outcome(db: Database, site_id: int, outcome: str):
    """Return the journey of an outcome ``goal:JOURNEY`` (None for a question's id)."""
    if not outcome.startswith("goal:"):
        return None
    name = outcome.removeprefix("goal:")
    found = next((j for j in journey_lib.list_journeys(db, site_id) if j.name == name), None)
    if found is None or not found.goal:
        raise InvalidInput(
            f"no journey {name!r} with a goal",
            {"outcome": ["goal:JOURNEY of a journey with a goal"]},
        )
    return found


def goal_reached(db: Database, site_id: int, survey: str, journey) -> dict[int, float]:
    """Return {response id: 1.0 if its session viewed JOURNEY's goal, else 0.0}."""
    rules = journey_lib.path_rules(db, site_id)
    goal = journey_lib.compile_pattern(journey.goal)
    seen: dict[str, float] = {}
    out = {}
    for row in signal_store.respondent_sessions(db, site_id, survey):
        steps_json = row[5]
        if steps_json not in seen:
            steps = json.loads(steps_json)
            seen[steps_json] = float(any(goal.match(rules.normalise(p)) for p in steps))
        out[row[0]] = seen[steps_json]
    return out


def _band(total: float | None, edges: tuple[float, ...]) -> str:
    if total is None:
        return "no orders"
    if total < edges[0]:
        return f"orders under {edges[0]:g}"
    for lo, hi in zip(edges, edges[1:], strict=False):
        if total < hi:
            return f"orders {lo:g}–{hi:g}"
    return f"orders {edges[-1]:g} and over"


def segments_of(db: Database, site_id: int, survey: str, by: str) -> dict[int, list[str]]:
    """Return {response id: its segments} for BY ``orders``, ``ticket`` or ``answer:Q``."""
    if by.startswith("answer:"):
        out: dict[int, list[str]] = {}
        for response, value in signal_store.choice_answers(
            db, site_id, survey, by.removeprefix("answer:")
        ):
            codes = [c for c in value.split(",") if c]
            if codes:
                out[response] = codes
        return out
    found = {}
    for response, customer, total, has_open in signal_store.respondent_customers(
        db, site_id, survey, ORDER, TICKET
    ):
        if customer is None:
            found[response] = [NOT_IDENTIFIED]
        elif by == "orders":
            found[response] = [_band(total, DEFAULT_BANDS)]
        else:
            found[response] = ["open ticket" if has_open else "no open ticket"]
    return found
