"""Real-user page speed per page and journey step, and what it does to how visitors feel.

The snippet's ``vitals.js`` measures each page view's time to first byte, first and largest
contentful paint, cumulative layout shift and interaction to next paint (the web-vitals
definitions; ``docs/snippet.md``) and sends them with the page view's dwell events; each session
summary keeps them per step (``sessions.speed``, aligned with ``steps``). Reports read those
summaries, never raw events, and aggregate as performance people do: the 75th percentile of each
metric with its count, and the share of page views rated good, needing improvement or poor by
the published thresholds (``THRESHOLDS``).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass

from cxlisten import journeys as journey_lib
from cxlisten import stats
from cxlisten.diagnose import Window
from cxlisten.errors import InvalidInput
from cxlisten.storage import reports
from cxlisten.storage.db import Database
from cxlisten.vitals import METRICS, RATINGS, THRESHOLDS, p75, rating, say

__all__ = [
    "MIN_VIEWS",
    "say",
    "MetricFigures",
    "PageSpeed",
    "SlowStep",
    "SpeedReport",
    "Band",
    "SpeedAndFeelings",
    "speed_report",
    "speed_and_feelings",
]


# Fewer page views than this make no p75 worth stating, nor a slow step.
MIN_VIEWS = 20


@dataclass(frozen=True)
class MetricFigures:
    metric: str
    p75: float
    n: int
    rating: str  # of the p75
    good: float  # shares of the page views
    needs_improvement: float
    poor: float


@dataclass(frozen=True)
class PageSpeed:
    """One page pattern's speed, for all its page views or one segment of them."""

    page: str
    steps: tuple[str, ...]  # the journey steps this page is ("checkout · step 3"), if any
    split: str  # "all", "device" or "connection"
    segment: str  # "all", or the device ("phone") or connection ("4g")
    views: int
    metrics: tuple[MetricFigures, ...]

    def metric(self, name: str) -> MetricFigures | None:
        return next((m for m in self.metrics if m.metric == name), None)


@dataclass(frozen=True)
class SlowStep:
    """A page whose p75 of a metric is poor for a segment of its visitors: a signal of the
    problem score (``cxlisten.diagnose``) and a finding of its own."""

    page: str
    steps: tuple[str, ...]
    segment: str
    metric: str
    p75: float
    views: int
    site_median: float  # the median over pages of their p75 of this metric
    evidence: str


@dataclass(frozen=True)
class SpeedReport:
    site: str
    window: Window
    page_views: int  # measured page views
    pages: tuple[PageSpeed, ...]  # each page: its "all" row, then its segments
    slow_steps: tuple[SlowStep, ...]  # worst first


def _figures(metric: str, values: list[float]) -> MetricFigures:
    n = len(values)
    counts = dict.fromkeys(RATINGS, 0)
    for v in values:
        counts[rating(metric, v)] += 1
    value = p75(values)
    return MetricFigures(
        metric,
        round(value, 4) if metric == "cls" else round(value),
        n,
        rating(metric, value),
        round(counts["good"] / n, 4),
        round(counts["needs-improvement"] / n, 4),
        round(counts["poor"] / n, 4),
    )


def _journey_steps(named: list[journey_lib.Journey]) -> dict[str, tuple[str, ...]]:
    """{step pattern: ("checkout · step 3", ...)}: the journey steps each pattern is."""
    out: dict[str, list[str]] = defaultdict(list)
    for j in named:
        for i, pattern in enumerate(j.steps, 1):
            out[pattern].append(f"{j.name} · step {i}")
    return {k: tuple(v) for k, v in out.items()}


def _steps_of(page: str, by_pattern: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(
        s
        for pattern, steps in by_pattern.items()
        if journey_lib.matches(pattern, page)
        for s in steps
    )


def measured_views(db: Database, site_id: int, since=None, until=None):
    """Yield (session id, page pattern, device, vitals) for every measured page view."""
    rules = journey_lib.path_rules(db, site_id)
    for sid, steps_json, speed_json, device in reports.iter_sessions(
        db, site_id, since, until, columns=("id", "steps", "speed", "device")
    ):
        if speed_json == "[]":
            continue
        steps = json.loads(steps_json)
        for path, vitals in zip(steps, json.loads(speed_json), strict=False):
            if vitals:
                yield sid, rules.normalise(path), device or "unknown", vitals


def speed_report(
    db: Database,
    site,
    since: int | None = None,
    until: int | None = None,
    *,
    min_views: int = MIN_VIEWS,
) -> SpeedReport:
    """Return the speed of SITE's pages in [SINCE, UNTIL): p75s, ratings and slow steps."""
    site_id = getattr(site, "id", site)
    by_pattern = _journey_steps(journey_lib.list_journeys(db, site_id))
    # (page, split, segment) -> metric -> values
    values: dict[tuple[str, str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    views: dict[tuple[str, str, str], int] = defaultdict(int)
    total = 0
    for _sid, page, device, vitals in measured_views(db, site_id, since, until):
        total += 1
        keys = [(page, "all", "all"), (page, "device", device)]
        if vitals.get("conn"):
            keys.append((page, "connection", vitals["conn"]))
        for key in keys:
            views[key] += 1
            for metric in METRICS:
                if metric in vitals:
                    values[key][metric].append(vitals[metric])
    rows = []
    for key in sorted(
        views, key=lambda k: (-views[(k[0], "all", "all")], k[0], SPLIT_ORDER[k[1]], k[2])
    ):
        if views[key] < min_views:
            continue
        page, split, segment = key
        rows.append(
            PageSpeed(
                page,
                _steps_of(page, by_pattern),
                split,
                segment,
                views[key],
                tuple(
                    _figures(m, values[key][m]) for m in METRICS if len(values[key][m]) >= min_views
                ),
            )
        )
    return SpeedReport(
        getattr(site, "key", site_id), Window(since, until), total, tuple(rows), _slow_steps(rows)
    )


SPLIT_ORDER = {"all": 0, "device": 1, "connection": 2}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _slow_steps(rows: list[PageSpeed]) -> tuple[SlowStep, ...]:
    medians = {
        m: _median(vals)
        for m in METRICS
        if (vals := [f.p75 for r in rows if r.split == "all" and (f := r.metric(m))])
    }
    found = []
    for r in rows:
        if r.split == "connection":
            continue
        for f in r.metrics:
            if f.rating != "poor":
                continue
            who = "all visitors" if r.segment == "all" else f"{r.segment} visitors"
            evidence = (
                f"p75 {f.metric.upper()} on {r.page} is {say(f.metric, f.p75)} for {who}, poor "
                f"(over {say(f.metric, THRESHOLDS[f.metric].poor)}); the site's median page is "
                f"{say(f.metric, medians[f.metric])}"
            )
            found.append(
                SlowStep(
                    r.page,
                    r.steps,
                    r.segment,
                    f.metric,
                    f.p75,
                    r.views,
                    medians[f.metric],
                    evidence,
                )
            )
    return tuple(sorted(found, key=lambda s: -s.p75 / THRESHOLDS[s.metric].poor))


@dataclass(frozen=True)
class Band:
    name: str  # "good", "needs-improvement" or "poor"
    respondents: int
    answer: dict  # mean of the answer with its interval (stats.mean_ci)
    sessions: int  # sessions that saw the page in this band
    completion: dict | None  # their journey completion (stats.wilson), with a journey


@dataclass(frozen=True)
class SpeedAndFeelings:
    survey: str
    question: str
    page: str
    metric: str
    over: float
    bands: tuple[Band, ...]
    answer_difference: dict  # slow minus the rest, with its interval; None values without data
    completion_difference: dict | None
    summary: str


def _mean_difference(a: list[float], b: list[float]) -> dict:
    """Mean of A minus mean of B with its 95% interval (normal approximation)."""
    if len(a) < 2 or len(b) < 2:
        return {"value": None, "low": None, "high": None}
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((x - ma) ** 2 for x in a) / (len(a) - 1)
    vb = sum((x - mb) ** 2 for x in b) / (len(b) - 1)
    half = stats.Z * math.sqrt(va / len(a) + vb / len(b))
    d = ma - mb
    return {"value": round(d, 4), "low": round(d - half, 4), "high": round(d + half, 4)}


def _slowest_on_page(db, site_id, page, metric, named, since, until):
    """Return {session id: the slowest value of METRIC on PAGE} of the sessions that measured
    it, and for a journey NAMED {session id: whether it completed the journey}."""
    rules = journey_lib.path_rules(db, site_id)
    seen: dict[str, float] = {}
    done: dict[str, bool] = {}
    for sid, steps_json, speed_json in reports.iter_sessions(
        db, site_id, since, until, columns=("id", "steps", "speed")
    ):
        if speed_json == "[]":
            continue
        steps = [rules.normalise(s) for s in json.loads(steps_json)]
        worst = None
        for norm, vitals in zip(steps, json.loads(speed_json), strict=False):
            if vitals and metric in vitals and journey_lib.matches(page, norm):
                worst = max(worst or 0, vitals[metric])
        if worst is None:
            continue
        seen[sid] = worst
        if named:
            match = named.follow(steps)
            done[sid] = bool(match and match.completed)
    return seen, done


def _answers_by_speed(db, site_id, survey, question, seen, metric, over, since, until):
    """Return the numeric answers to QUESTION of the sessions in SEEN: by rating band of their
    speed, and as those slower than OVER and the rest."""
    responses = reports.survey_responses(db, site_id, survey, since, until)
    answers = reports.answers_of_responses(db, [r["id"] for r in responses])
    scored: dict[str, list[float]] = defaultdict(list)
    slow_answers, fast_answers = [], []
    for r in responses:
        number = answers[r["id"]].get(question, {}).get("number")
        value = seen.get(r["session_id"])
        if number is None or value is None:
            continue
        scored[rating(metric, value)].append(number)
        (slow_answers if value > over else fast_answers).append(number)
    return scored, slow_answers, fast_answers


def _bands(metric, seen, scored, done) -> tuple[Band, ...]:
    """Return the rating bands of METRIC: answers SCORED in each, its sessions of SEEN and,
    with DONE (a journey's completion by session), their completion."""
    by_band: dict[str, list[str]] = defaultdict(list)
    for sid, value in seen.items():
        by_band[rating(metric, value)].append(sid)
    return tuple(
        Band(
            name,
            len(scored[name]),
            stats.mean_ci(scored[name]),
            len(by_band[name]),
            stats.wilson(sum(done[s] for s in by_band[name]), len(by_band[name]))
            if done is not None
            else None,
        )
        for name in RATINGS
    )


def speed_and_feelings(
    db: Database,
    site,
    survey: str,
    question: str,
    page: str,
    *,
    metric: str = "lcp",
    over: float | None = None,
    journey: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> SpeedAndFeelings:
    """How the answers to QUESTION of SURVEY, and completion of JOURNEY, differ by how fast PAGE
    (a page pattern) was for the visitor: by the rating bands of METRIC, and slower than OVER
    (default: the metric's "poor" threshold) against the rest."""
    if metric not in THRESHOLDS:
        raise InvalidInput(f"unknown metric {metric!r}: one of {', '.join(METRICS)}")
    site_id = getattr(site, "id", site)
    over = THRESHOLDS[metric].poor if over is None else over
    named = journey_lib.get_journey(db, site_id, journey) if journey else None
    seen, done = _slowest_on_page(db, site_id, page, metric, named, since, until)
    scored, slow_answers, fast_answers = _answers_by_speed(
        db, site_id, survey, question, seen, metric, over, since, until
    )
    bands = _bands(metric, seen, scored, done if named else None)
    difference = _mean_difference(slow_answers, fast_answers)
    completion = None
    if named:
        slow = [s for s, v in seen.items() if v > over]
        fast = [s for s, v in seen.items() if v <= over]
        completion = stats.diff_of_proportions(
            sum(done[s] for s in slow), len(slow), sum(done[s] for s in fast), len(fast)
        )
    return SpeedAndFeelings(
        survey,
        question,
        page,
        metric,
        over,
        bands,
        difference,
        completion,
        _summary(question, page, metric, over, difference, completion, len(slow_answers)),
    )


def _summary(question, page, metric, over, difference, completion, n_slow) -> str:
    if difference["value"] is None:
        return (
            f"not enough answers to {question} from visitors whose {page} took over "
            f"{say(metric, over)} ({n_slow}) and from the others to compare"
        )
    d = difference
    worse = "worse" if d["value"] < 0 else "better"
    near, far = sorted((abs(d["low"]), abs(d["high"])))
    chance = d["low"] <= 0 <= d["high"]
    interval = (
        f"{d['low']:+.1f} to {d['high']:+.1f}, which could be chance"
        if chance
        else (f"{near:.1f}–{far:.1f}")
    )
    text = (
        f"visitors whose {page} took over {say(metric, over)} ({metric.upper()}) rate {question} "
        f"{abs(d['value']):.1f} points {worse} ({interval})"
    )
    if completion and completion["value"] is not None:
        c = {k: 100 * completion[k] for k in ("value", "low", "high")}
        if c["low"] <= 0 <= c["high"]:
            span = f"{c['low']:+.0f} to {c['high']:+.0f} points"
            text += f"; they finish the journey about as often ({span})"
        else:
            less = "less" if c["value"] < 0 else "more"
            near, far = sorted((abs(c["low"]), abs(c["high"])))
            text += (
                f" and finish the journey {abs(c['value']):.0f} points {less} often "
                f"({near:.0f}–{far:.0f})"
            )
    return text
