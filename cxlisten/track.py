"""Phase 1, track & diagnose: the most common journeys and the most problematic ones.

``diagnose(db, site, since, until)`` reads the session summaries of a time window once (bots
left out), normalises their paths with the site's rules, and returns:

* ``common``: the top step sequences (the first ``depth`` pages of a session, repeats of the same
  page collapsed) with their sessions, share of all sessions and completion — the share that went
  on to reach the goal of any named journey;
* ``journeys``: every named journey with its funnel (sessions reaching each step, drop-off, dwell)
  and its **problem score**, highest first; ``problems`` are those scoring at least
  ``PROBLEM_THRESHOLD``.

The problem score (0–100) combines five signals, each a share between 0 and 1, measured on the
sessions that entered the journey:

=========  ======  ===========================================================================
signal     weight  measure
=========  ======  ===========================================================================
drop       0.35    the worst step's drop-off: of the sessions that reached step k, the share
                   that never reached a later step nor the goal
dwell      0.20    the worst step's share of visits with visible dwell above ``DWELL_FACTOR``
                   (3) times the site's median page dwell (its norm)
help       0.15    share of sessions that sought help after entering: a help page outside the
                   journey's own steps, a clicked intervention ("Need more help?") or a
                   ``need_help`` custom event
loops      0.10    share of sessions that went back and forth: back to an earlier step after a
                   later one, or the same step three times or more
pulse      0.20    share of low pulse answers (track-phase surveys) in those sessions: NPS 0–6,
                   CSAT 1–2, CES 1–3, rating 1–2; left out below ``MIN_PULSE`` answers
=========  ======  ===========================================================================

``score = 100 × Σ weight·signal / Σ weight (signals present) × n / (n + 25)``, where n is the
number of sessions that entered: the last factor keeps a handful of sessions from outranking a
well-measured problem. The *failing step* is the step with the highest
``0.35·drop + 0.20·dwell share``; the *failure kind* (for deep-dive templates) is
``search_failure`` for search journeys, ``signup_friction`` for sign-up journeys, ``long_dwell``
when at least half the visits to the failing step dwell long, and ``abandonment`` otherwise.
"""

from __future__ import annotations

import json
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field

from cxlisten import journeys as journey_lib
from cxlisten.journeys import Journey, PathRules, compile_pattern
from cxlisten.storage import reports
from cxlisten.storage.db import Database

__all__ = ["diagnose", "WEIGHTS", "PROBLEM_THRESHOLD", "DWELL_FACTOR", "low_score"]

WEIGHTS = {"drop": 0.35, "dwell": 0.20, "help": 0.15, "loops": 0.10, "pulse": 0.20}
DWELL_FACTOR = 3.0
PROBLEM_THRESHOLD = 20.0
MIN_PULSE = 10
MIN_STEP = 10  # a step needs this many sessions before its drop-off counts
SHRINK = 25


def low_score(kind: str, number: float) -> bool:
    """Return whether a numeric answer of question type KIND is a low (unhappy) score."""
    if kind == "nps":
        return number <= 6
    if kind == "ces":
        return number <= 3
    return number <= 2  # csat 1–5, rating stars


@dataclass
class _Path:
    norm: str
    help: bool
    first: int = 0  # bit j: matches the first step of journey j
    steps: list = field(default_factory=list)  # per journey: highest matching step, or -1
    goal: int = 0  # bit j: matches the goal of journey j


class _Paths:
    """Everything about a raw path, computed once per distinct path."""

    def __init__(self, rules: PathRules, journeys: list[Journey]):
        self.rules, self.journeys = rules, journeys
        self.patterns = [[compile_pattern(p) for p in j.steps] for j in journeys]
        self.goals = [compile_pattern(j.goal) for j in journeys]
        self.cache: dict[str, _Path] = {}

    def get(self, raw: str) -> _Path:
        hit = self.cache.get(raw)
        if hit is None:
            norm = self.rules.normalise(raw)
            hit = _Path(norm, self.rules.is_help(norm))
            for j, patterns in enumerate(self.patterns):
                best = -1
                for k, pattern in enumerate(patterns):
                    if pattern.match(norm):
                        best = k
                if patterns[0].match(norm):
                    hit.first |= 1 << j
                if self.goals[j].match(norm):
                    hit.goal |= 1 << j
                hit.steps.append(best)
            self.cache[raw] = hit
        return hit


@dataclass(frozen=True)
class _Walk:
    """How one sequence of pages went through one journey (the same for every such session)."""

    journey: int
    reached: int
    positions: tuple[tuple[int, int], ...]  # (journey step, page index) of first visits
    loop: bool
    help_page: bool
    completed: bool


def _walk(j: int, last: int, paths: list[_Path]) -> _Walk:
    start = next(i for i, p in enumerate(paths) if p.first >> j & 1)
    reached, seen, loop, goal_hit, helped = 0, Counter(), False, False, False
    positions = {0: start}
    for i in range(start, len(paths)):
        p = paths[i]
        k = p.steps[j]
        if k >= 0:
            seen[k] += 1
            if k < reached or seen[k] >= 3:
                loop = True
            if k > reached:
                reached = k
            positions.setdefault(k, i)
        elif p.help:
            helped = True
        if p.goal >> j & 1 and i > start:
            goal_hit = True
    if goal_hit:
        reached = last
    return _Walk(j, reached, tuple(positions.items()), loop, helped, goal_hit)


@dataclass(frozen=True)
class _Shape:
    """What diagnosis needs from one distinct list of steps, computed once per list."""

    key: tuple[str, ...]
    walks: tuple[_Walk, ...]
    completed: bool


class _Funnel:
    """Counts for one journey, filled session by session."""

    def __init__(self, journey: Journey):
        self.journey = journey
        m = len(journey.steps)
        self.entered = 0
        self.completed = 0
        self.reached = [0] * m
        self.dwell = [array("q") for _ in range(m)]
        self.help = 0
        self.loops = 0
        self.pulse_low = 0
        self.pulse_n = 0

    def add(self, walk: _Walk, dwell: list[int], sought_help: bool, pulse) -> None:
        """Fold one session's walk through this journey in."""
        self.entered += 1
        reached = self.reached
        for k in range(walk.reached + 1):
            reached[k] += 1
        n = len(dwell)
        for k, i in walk.positions:
            if i < n:
                self.dwell[k].append(dwell[i])
        self.completed += walk.completed
        self.help += walk.help_page or sought_help
        self.loops += walk.loop
        if pulse:
            self.pulse_n += len(pulse)
            self.pulse_low += sum(low_score(kind, number) for kind, number in pulse)


def _median(values) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _secs(ms: float) -> str:
    return f"{ms / 1000:.0f} s"


def diagnose(
    db: Database,
    site,
    since: int | None = None,
    until: int | None = None,
    *,
    top: int = 10,
    depth: int = 4,
) -> dict:
    """Return the most common and the most problematic journeys of SITE in [SINCE, UNTIL)."""
    started = time.perf_counter()
    site_id = getattr(site, "id", site)
    rules = journey_lib.path_rules(db, site_id)
    named = journey_lib.list_journeys(db, site_id)
    paths = _Paths(rules, named)
    funnels = [_Funnel(j) for j in named]
    pulse: dict[str, list] = {}
    for session_id, kind, number in reports.pulse_scores(db, site_id, since, until):
        pulse.setdefault(session_id, []).append((kind, number))

    sequences: Counter = Counter()
    sequence_done: Counter = Counter()
    all_dwell = array("q")
    total = 0
    loads = json.loads
    shapes: dict[str, _Shape] = {}

    def shape_of(steps_json: str) -> _Shape:
        session_paths = [paths.get(s) for s in loads(steps_json)]
        key: list[str] = []
        for p in session_paths:
            if not key or key[-1] != p.norm:
                key.append(p.norm)
                if len(key) == depth:
                    break
        entered = 0
        for p in session_paths:
            entered |= p.first
        walks = tuple(
            _walk(j, len(f.reached) - 1, session_paths)
            for j, f in enumerate(funnels)
            if entered >> j & 1
        )
        return _Shape(tuple(key), walks, any(w.completed for w in walks))

    for sid, steps_json, dwell_json, custom_json, clicked in reports.iter_sessions(
        db,
        site_id,
        since,
        until,
        columns=("id", "steps", "dwell", "custom", "interventions_clicked"),
    ):
        total += 1
        shape = shapes.get(steps_json)
        if shape is None:
            shape = shapes[steps_json] = shape_of(steps_json)
        dwell = loads(dwell_json)
        all_dwell.extend([d for d in dwell if d > 0])
        sequences[shape.key] += 1
        if shape.walks:
            sought = bool(clicked) or (
                "need_help" in custom_json and "need_help" in loads(custom_json)
            )
            session_pulse = pulse.get(sid) if pulse else None
            for walk in shape.walks:
                funnels[walk.journey].add(walk, dwell, sought, session_pulse)
            if shape.completed:
                sequence_done[shape.key] += 1

    norm = _median(all_dwell)
    common = [
        {
            "steps": list(steps),
            "sessions": n,
            "share": _share(n, total),
            "completion": _share(sequence_done[steps], n) if named else None,
        }
        for steps, n in sequences.most_common(top)
    ]
    results = [_assess(f, total, norm) for f in funnels]
    results.sort(key=lambda r: (-r["problem"]["score"], r["name"]))
    return {
        "site": getattr(site, "key", site_id),
        "window": {"since": since, "until": until},
        "sessions": total,
        "bot_sessions_excluded": reports.count_bot_sessions(db, site_id, since, until),
        "norms": {"median_dwell_ms": round(norm), "long_dwell_ms": round(norm * DWELL_FACTOR)},
        "common": common,
        "journeys": results,
        "problems": [r for r in results if r["problem"]["score"] >= PROBLEM_THRESHOLD][:top],
        "score": {
            "weights": WEIGHTS,
            "dwell_factor": DWELL_FACTOR,
            "min_pulse": MIN_PULSE,
            "threshold": PROBLEM_THRESHOLD,
        },
        "seconds": round(time.perf_counter() - started, 3),
    }


def _assess(f: _Funnel, total: int, norm: float) -> dict:
    """Turn one journey's counts into its funnel, problem score and evidence."""
    j = f.journey
    n = f.entered
    long_ms = norm * DWELL_FACTOR
    steps = []
    for k, pattern in enumerate(j.steps):
        reached = f.reached[k]
        nxt = f.reached[k + 1] if k + 1 < len(j.steps) else None
        drop = (1 - nxt / reached) if nxt is not None and reached else 0.0
        dwell = f.dwell[k]
        long_share = sum(1 for d in dwell if d > long_ms) / len(dwell) if dwell else 0.0
        steps.append(
            {
                "step": pattern,
                "reached": reached,
                "share_of_entered": _share(reached, n),
                "drop_off": round(drop, 4) if nxt is not None else None,
                "median_dwell_ms": round(_median(dwell)),
                "long_dwell_share": round(long_share, 4),
            }
        )
    signals: dict[str, float | None] = {
        "drop": max((s["drop_off"] or 0.0 for s in steps if s["reached"] >= MIN_STEP), default=0.0),
        "dwell": max(
            (s["long_dwell_share"] for s in steps if s["reached"] >= MIN_STEP), default=0.0
        ),
        "help": _share(f.help, n),
        "loops": _share(f.loops, n),
        "pulse": _share(f.pulse_low, f.pulse_n) if f.pulse_n >= MIN_PULSE else None,
    }
    present = {k: v for k, v in signals.items() if v is not None}
    weight = sum(WEIGHTS[k] for k in present)
    raw = sum(WEIGHTS[k] * v for k, v in present.items()) / weight if weight else 0.0
    score = round(100 * raw * n / (n + SHRINK), 1) if n else 0.0

    def badness(s):
        return (
            0.35 * (s["drop_off"] or 0) + 0.2 * s["long_dwell_share"]
            if s["reached"] >= MIN_STEP
            else -1
        )

    fail_k = max(range(len(steps)), key=lambda k: badness(steps[k])) if n else 0
    fail = steps[fail_k]
    if j.kind == "search" or "search" in fail["step"]:
        kind = "search_failure"
    elif j.kind == "signup":
        kind = "signup_friction"
    elif fail["long_dwell_share"] >= 0.5:
        kind = "long_dwell"
    else:
        kind = "abandonment"
    evidence = []
    if n:
        if fail["drop_off"]:
            others = [
                s["drop_off"]
                for i, s in enumerate(steps)
                if i != fail_k and s["drop_off"] is not None and s["reached"] >= MIN_STEP
            ]
            rest = (
                f" (other steps lose {_pct(sum(others) / len(others))} on average)"
                if others
                else ""
            )
            evidence.append(
                f"{_pct(fail['drop_off'])} of the {fail['reached']:,} sessions that reached "
                f"{fail['step']} left before the next step{rest}"
            )
        if fail["long_dwell_share"] >= 0.1:
            evidence.append(
                f"{_pct(fail['long_dwell_share'])} of visits to {fail['step']} dwelt over "
                f"{_secs(long_ms)} ({DWELL_FACTOR:g}× the site's median page dwell of "
                f"{_secs(norm)}); median here {_secs(fail['median_dwell_ms'])}"
            )
        if signals["help"] >= 0.05:
            evidence.append(
                f"{_pct(signals['help'])} of sessions sought help inside the "
                "journey (help pages or 'Need more help?')"
            )
        if signals["loops"] >= 0.05:
            evidence.append(
                f"{_pct(signals['loops'])} of sessions went back and forth between its steps"
            )
        if signals["pulse"] is not None:
            evidence.append(
                f"{_pct(signals['pulse'])} of {f.pulse_n:,} pulse answers in "
                "these sessions were low"
            )
        evidence.append(f"{_pct(_share(f.completed, n))} of {n:,} sessions reached {j.goal}")
    return {
        "name": j.name,
        "title": j.title,
        "kind": j.kind,
        "phase": j.phase,
        "steps_patterns": list(j.steps),
        "goal": j.goal,
        "sessions": n,
        "share": _share(n, total),
        "completed": f.completed,
        "completion": _share(f.completed, n),
        "steps": steps,
        "problem": {
            "score": score,
            "signals": {k: (round(v, 4) if v is not None else None) for k, v in signals.items()},
            "pulse_answers": f.pulse_n,
            "counts": {"help": f.help, "loops": f.loops, "pulse_low": f.pulse_low},
            "failing_step": fail["step"] if n else None,
            "failing_step_index": fail_k,
            "failure_kind": kind if n else None,
            "evidence": evidence,
        },
    }
