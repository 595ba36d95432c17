"""Which parts of the experience matter, for whom: ``cxlisten drivers SURVEY --outcome Q``.

For an outcome question (NPS, overall CSAT...) — or ``goal:JOURNEY``, whether the session the
response was given in reached that journey's goal (1 or 0) — and the survey's other numeric
questions (the experience elements that may drive it), each driver's **share of importance** is its
relative weight (Johnson, 2000): the outcome's explained variance (R²) split between correlated
drivers by regressing it on the orthogonal counterparts of the drivers. The shares add up to 100%
of R². Each share comes with a 95% **bootstrap interval** (``BOOTSTRAP`` resamples of the
respondents, percentiles 2.5 and 97.5, seeded). With ``by`` (``device``, ``visitor``: new or
returning), it is computed per segment; ``orders`` (the customer's order-value band), ``ticket``
(an open ticket) and ``answer:QUESTION`` (a choice question such as the visit reason) segment by
operational data and answers (``cxlisten.driver_inputs``). With ``speed`` (a metric of
``cxlisten.vitals``: ``lcp``, ``inp``...), page speed is one more experience element: the slowest
value of that metric the respondent's session measured (``vitals.js``), so respondents without a
measured page view are left out. With ``behaviour``, so are the behaviour signals of the
respondent's session (rage and dead clicks, abandoned fields, scroll depth, help-seeking, loops:
``cxlisten.driver_inputs``). A driver that never varies within a segment gets no share there
(listed last, at 0%).

Only complete answers count (every driver and the outcome answered). A segment with fewer than
``MIN_RESPONDENTS`` is listed as too small; one whose drivers explain under ``MIN_R2`` (5%) of the
outcome says so ("nothing here") instead of ranking noise.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from cxlisten import driver_inputs
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import reports
from cxlisten.storage import signals as signal_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.vitals import METRICS

__all__ = [
    "BOOTSTRAP",
    "MIN_R2",
    "MIN_RESPONDENTS",
    "Driver",
    "Drivers",
    "SegmentDrivers",
    "drivers",
    "relative_weights",
]

BOOTSTRAP = 200
MIN_RESPONDENTS = 30
MIN_R2 = 0.05
SEGMENTS = driver_inputs.SEGMENTS
_NUMERIC = ("nps", "csat", "ces", "rating")
_NAMES = {
    "mobile": "phones",
    "desktop": "desktops",
    "tablet": "tablets",
    "new": "new visitors",
    "returning": "returning visitors",
    driver_inputs.NOT_IDENTIFIED: "respondents not linked to a customer",
    "open ticket": "customers with an open ticket",
    "no open ticket": "customers without an open ticket",
    "no orders": "customers without orders",
}


@dataclass(frozen=True)
class Driver:
    question: str
    share: float  # of the explained variance, 0–1
    low: float
    high: float


@dataclass(frozen=True)
class SegmentDrivers:
    segment: str  # "all", or the segment's value
    respondents: int
    r2: float | None
    drivers: tuple[Driver, ...]  # highest share first
    sentence: str


@dataclass(frozen=True)
class Drivers:
    survey: str
    outcome: str
    by: str | None
    segments: tuple[SegmentDrivers, ...]
    seconds: float


def relative_weights(x, y):
    """Return (R², raw relative weights) of outcome Y on the columns of X (numpy arrays)."""
    import numpy as np

    data = np.column_stack([y, x])
    return _from_covariance(np.cov(data, rowvar=False, bias=True))


def _from_covariance(cov):
    """Relative weights from the covariance of [outcome, drivers...]: (R², raw weights)."""
    import numpy as np

    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    rxx, rxy = corr[1:, 1:], corr[1:, 0]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(np.clip(values, 0, None))) @ vectors.T
    beta = np.linalg.pinv(lam) @ rxy
    raw = (lam**2) @ (beta**2)
    return float(raw.sum()), raw


def _segment(
    name: str,
    rows: list[list[float]],
    outcome_text: str,
    questions: list[str],
    seed: int,
    label: str | None = None,
) -> SegmentDrivers:
    import numpy as np

    label = (
        label
        or _NAMES.get(name)
        or (f"customers with {name}" if name.startswith("orders ") else name)
    )
    where = "Overall" if name == "all" else f"For {label}"
    if len(rows) < MIN_RESPONDENTS:
        return SegmentDrivers(
            name, len(rows), None, (), f"{where}: {len(rows)} complete answers, too few to tell."
        )
    data = np.array(rows)
    n = len(rows)
    varies = data.std(axis=0) > 0
    if not varies[0] or not varies[1:].any():
        return SegmentDrivers(name, n, None, (), f"{where}: answers do not vary enough.")
    # A driver constant in this segment (nobody here rage-clicked) explains nothing of it.
    constant = [q for q, v in zip(questions, varies[1:], strict=True) if not v]
    questions = [q for q, v in zip(questions, varies[1:], strict=True) if v]
    data = data[:, varies]
    r2, raw = _from_covariance(np.cov(data, rowvar=False, bias=True))
    spread = _bootstrap(data, seed, raw / r2 if r2 > 0 else raw)
    found = sorted(
        (
            Driver(
                q,
                round(float(raw[i] / r2), 4) if r2 > 0 else 0.0,
                round(float(np.percentile(spread[:, i], 2.5)), 4),
                round(float(np.percentile(spread[:, i], 97.5)), 4),
            )
            for i, q in enumerate(questions)
        ),
        key=lambda d: (-d.share, d.question),
    ) + [Driver(q, 0.0, 0.0, 0.0) for q in constant]
    sentence = _sentence(where, found, r2, outcome_text, n)
    return SegmentDrivers(name, n, round(r2, 4), tuple(found), sentence)


def _bootstrap(data, seed: int, estimate):
    """Return the shares of each driver over BOOTSTRAP resamples of DATA's respondents (rows),
    or ESTIMATE alone when no resample keeps every driver varying."""
    import numpy as np

    n = len(data)
    rng = np.random.default_rng(seed)
    draws = []
    # A resample is a count per respondent: its covariance is a weighted one, no copy of rows.
    for _ in range(BOOTSTRAP):
        weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        mean = weights @ data / n
        cov = (data * weights[:, None]).T @ data / n - np.outer(mean, mean)
        if (np.diag(cov) <= 1e-12).any():
            continue
        b_r2, b_raw = _from_covariance(cov)
        draws.append(b_raw / b_r2 if b_r2 > 0 else b_raw)
    # (Every resample of a rare signal may lack it: then the interval is the estimate alone.)
    return np.array(draws) if draws else estimate[None, :]


def _sentence(where: str, found: list[Driver], r2: float, outcome_text: str, n: int) -> str:
    """Say what drives the outcome in a segment (WHERE), or that nothing does."""
    if r2 < MIN_R2:
        return (
            f"{where}: nothing here — the drivers weighed explain {r2 * 100:.0f}% of "
            f"{outcome_text} ({n} answers)."
        )
    top = found[0]
    return (
        f"{where}, {top.question} explains {top.share * 100:.0f}% "
        f"({top.low * 100:.0f}–{top.high * 100:.0f}%) of {outcome_text}"
        + (
            f", then {found[1].question} {found[1].share * 100:.0f}% "
            f"({found[1].low * 100:.0f}–{found[1].high * 100:.0f}%)"
            if len(found) > 1
            else ""
        )
        + f" (R² {r2:.2f}, {n} answers)."
    )


def _speed_driver(metric: str) -> str:
    """The name a page-speed METRIC has among the drivers."""
    return f"page speed ({metric.upper()})"


def _named(outcome: str) -> str:
    return outcome.upper() if outcome.lower() == "nps" else outcome


def _answers_by_response(db: Database, site_id: int, slug: str, by: str | None):
    """Return {response: {question: number}} of SLUG's numeric answers, and each response's
    segments under BY."""
    responses: dict[int, dict] = {}
    segment_of: dict[int, list[str]] = {}
    for response, device, returning, question, number in signal_store.numeric_answers(
        db, site_id, slug
    ):
        responses.setdefault(response, {})[question] = number
        segment_of[response] = [
            "all"
            if by is None
            else (device or "other")
            if by == "device"
            else ("returning" if returning else "new")
        ]
    if by not in (None, "device", "visitor"):
        segment_of = driver_inputs.segments_of(db, site_id, slug, by)
    return responses, segment_of


def _add_measured(db, site_id, slug, responses, outcome, goal, speed, behaviour) -> None:
    """Add to RESPONSES what was measured rather than asked: the session's behaviour, whether
    it reached GOAL (as OUTCOME), and the slowest SPEED metric of its pages."""
    if behaviour:
        for response, values in driver_inputs.behaviour_of(db, site_id, slug).items():
            if response in responses:
                responses[response].update(zip(driver_inputs.BEHAVIOUR, values, strict=True))
    if goal is not None:
        for response, reached in driver_inputs.goal_reached(db, site_id, slug, goal).items():
            if response in responses:
                responses[response][outcome] = reached
    if speed:
        speed_driver = _speed_driver(speed)
        for response, speed_json in reports.speed_of_responses(db, site_id, slug):
            values = [v[speed] for v in json.loads(speed_json) if v and speed in v]
            if values and response in responses:
                responses[response][speed_driver] = max(values)


def drivers(
    db: Database,
    site,
    survey: str,
    outcome: str,
    *,
    by: str | None = None,
    speed: str | None = None,
    behaviour: bool = False,
    seed: int = 0,
) -> Drivers:
    """Return each experience question's share of OUTCOME, overall or per segment BY."""
    started = time.perf_counter()
    site_id = getattr(site, "id", site)
    found = survey_store.get_survey(db, site_id, survey)
    if found is None or found.kind != "survey":
        raise NotFound(f"no survey {survey!r}", {"survey": ["unknown survey"]})
    driver_inputs.check_segment(by, found.definition["questions"])
    numeric = [q["id"] for q in found.definition["questions"] if q["type"] in _NUMERIC]
    goal = driver_inputs.goal_outcome(db, site_id, outcome)
    if goal is None and outcome not in numeric:
        raise InvalidInput(
            f"survey {survey!r} has no numeric question {outcome!r}",
            {"outcome": [f"one of {', '.join(numeric) or '(none)'}, or goal:JOURNEY"]},
        )
    if speed is not None and speed not in METRICS:
        raise InvalidInput(
            f"no speed metric {speed!r}", {"speed": [f"one of {', '.join(METRICS)}"]}
        )
    questions = [q for q in numeric if q != outcome]
    if speed:
        questions.append(_speed_driver(speed))
    if behaviour:
        questions.extend(driver_inputs.BEHAVIOUR)
    if not questions:
        raise InvalidInput(
            f"survey {survey!r} has no other numeric question to weigh",
            {"outcome": ["needs experience questions beside it"]},
        )
    responses, segment_of = _answers_by_response(db, site_id, found.slug, by)
    _add_measured(db, site_id, found.slug, responses, outcome, goal, speed, behaviour)
    groups: dict[str, list[list[float]]] = {}
    for response, answers in responses.items():
        if outcome in answers and all(q in answers for q in questions):
            row = [answers[outcome], *(answers[q] for q in questions)]
            for segment in segment_of.get(response, ()):
                groups.setdefault(segment, []).append(row)
    if not groups:  # nobody answered all of them: say so rather than print nothing
        groups = {"all": []}
    outcome_text = (
        f"reaching the goal of {goal.name} ({goal.goal})" if goal is not None else _named(outcome)
    )
    asked = by.removeprefix("answer:") if by and by.startswith("answer:") else None
    segments = tuple(
        _segment(name, rows, outcome_text, questions, seed, f'{asked} "{name}"' if asked else None)
        for name, rows in sorted(groups.items())
    )
    return Drivers(found.slug, outcome, by, segments, round(time.perf_counter() - started, 3))
