"""Phase 1, track & diagnose: the most common journeys and the most problematic ones.

``diagnose(db, site, since, until)`` reads the session summaries of a time window once (bots
left out; a window of whole days reads each past day's stored counts instead, while its sessions
are unchanged: ``cxlisten.diagnosis_days``), normalises their paths with the site's rules, and
returns a ``Diagnosis``:

* ``common``: the top step sequences (the first ``depth`` pages of a session, repeats of the same
  page collapsed) with their sessions, share of all sessions and completion — the share that went
  on to reach the goal of any named journey; sequences with as many sessions come in the order
  of their steps, so the ranking is the same however the sessions were read;
* ``journeys``: every named journey (``JourneyDiagnosis``) with its funnel (``StepFigures``:
  sessions reaching each step, drop-off, dwell) and its **problem score** (``ProblemScore``),
  highest first; ``problems`` are those scoring at least ``PROBLEM_THRESHOLD``.

The results are frozen dataclasses; ``cxlisten.results.to_json`` turns them into JSON (the CLI's
``--json``, the admin API, webhooks) with the keys in field order.

The problem score (0–100) combines eight signals, each a share between 0 and 1, measured on the
sessions that entered the journey:

=========  ======  ===========================================================================
signal     weight  measure
=========  ======  ===========================================================================
drop       0.35    the worst step's drop-off: of the sessions that reached step k, the share
                   that never reached a later step nor the goal
dwell      0.20    the worst step's share of visits with visible dwell above ``DWELL_FACTOR``
                   (3) times the site's median page dwell (its norm), and at least
                   ``MIN_LONG_DWELL_MS`` (10 s): a step read in 2 s is not long on a site
                   of 0.5 s pages
help       0.15    share of sessions that sought help after entering: a help page outside the
                   journey's own steps, a clicked intervention ("Need more help?") or a
                   ``need_help`` custom event
loops      0.10    share of sessions that went back and forth: back to an earlier step after a
                   later one, or the same step three times or more
pulse      0.20    share of low pulse answers (track-phase surveys) in those sessions: NPS 0–6,
                   CSAT 1–2, CES 1–3, rating 1–2; left out below ``MIN_PULSE`` answers
frustr.    0.20    share of sessions with a frustration signal (``cxlisten.signals``: a rage
                   click, a dead click, an abandoned form field) on one of the journey's steps;
                   left out when no session of the journey showed any
slow       0.15    share of sessions that waited for a poor page on one of the journey's steps
                   (``cxlisten.vitals``: LCP, INP or CLS over its "poor" threshold, as the
                   snippet's ``vitals.js`` measured it); left out when no page view of the
                   journey was measured
shallow    0.10    the worst step's share of visits that never scrolled past 25% of the page,
                   minus the site's share of such page views (``cxlisten.scrolldepth``); left
                   out when no step is 5 points above the site
=========  ======  ===========================================================================

``score = 100 × Σ weight·signal / Σ weight (signals present) × n / (n + 25)``, where n is the
number of sessions that entered: the last factor keeps a handful of sessions from outranking a
well-measured problem. The *failing step* is the step with the highest
``WEIGHTS["drop"]·drop + WEIGHTS["dwell"]·dwell share + WEIGHTS["frustration"]·share of its
visits with a frustration signal + WEIGHTS["slow"]·share of its visits that were poor``; the
*failure kind* (for deep-dive templates) is ``search_failure`` for search journeys,
``signup_friction`` for sign-up journeys, ``long_dwell`` when at least half the visits to the
failing step dwell long, and ``abandonment`` otherwise.
"""

from __future__ import annotations

import json
import time
from array import array
from collections import Counter
from dataclasses import asdict, dataclass, field

from cxlisten import journeys as journey_lib
from cxlisten.journeys import Journey, PathRules, compile_pattern
from cxlisten.results import Message
from cxlisten.runs import Runs, decode_floats, encode_floats
from cxlisten.scrolldepth import SiteScroll, StepScroll
from cxlisten.storage import reports
from cxlisten.storage.db import Database
from cxlisten.vitals import THRESHOLDS, p75, rating, say

__all__ = [
    "DWELL_FACTOR",
    "MIN_LONG_DWELL_MS",
    "PROBLEM_THRESHOLD",
    "WEIGHTS",
    "CommonJourney",
    "Diagnosis",
    "JourneyDiagnosis",
    "Norms",
    "ProblemCounts",
    "ProblemScore",
    "ScoreSettings",
    "Signals",
    "StepFigures",
    "Window",
    "diagnose",
    "low_score",
]

WEIGHTS = {
    "drop": 0.35,
    "dwell": 0.20,
    "help": 0.15,
    "loops": 0.10,
    "pulse": 0.20,
    "frustration": 0.20,
    "slow": 0.15,
    "shallow": 0.10,
}
SLOW_METRICS = ("lcp", "inp", "cls")  # the Core Web Vitals: what makes a step slow
DWELL_FACTOR = 3.0
MIN_LONG_DWELL_MS = 10_000
PROBLEM_THRESHOLD = 20.0
MIN_PULSE = 10
MIN_STEP = 10  # a step needs this many sessions before its drop-off counts
SHRINK = 25
DAY_MS = 86_400_000


def long_dwell_ms(norm: float) -> float:
    """The visible dwell on a step above which a visit counts as a long dwell, given the norm."""
    return max(norm * DWELL_FACTOR, MIN_LONG_DWELL_MS)


def low_score(kind: str, number: float) -> bool:
    """Return whether a numeric answer of question type KIND is a low (unhappy) score."""
    if kind == "nps":
        return number <= 6
    if kind == "ces":
        return number <= 3
    return number <= 2  # csat 1–5, rating stars


# -- the results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    since: int | None
    until: int | None


@dataclass(frozen=True)
class Norms:
    """The site's dwell norm in the window: what a long dwell is measured against."""

    median_dwell_ms: int
    long_dwell_ms: int


@dataclass(frozen=True)
class CommonJourney:
    """One of the most common step sequences (the first pages of a session)."""

    steps: tuple[str, ...]
    sessions: int
    share: float
    completion: float | None  # None when the site has no named journeys


@dataclass(frozen=True)
class StepFigures:
    """One step of a journey's funnel."""

    step: str
    reached: int
    share_of_entered: float
    drop_off: float | None  # None for the last step
    median_dwell_ms: int
    long_dwell_share: float
    frustrated_share: float = 0.0  # of the sessions that reached it, those with a signal on it
    slow_share: float = 0.0  # of its measured visits, those rated poor (SLOW_METRICS)
    shallow_share: float = 0.0  # of its measured visits, those never scrolled past 25%

    @property
    def measured(self) -> bool:
        """Whether enough sessions reached the step for its drop-off and dwell to count."""
        return self.reached >= MIN_STEP

    def badness(self) -> float:
        """How much this step fails (the failing step has the most); -1 when not measured."""
        if not self.measured:
            return -1
        return (
            WEIGHTS["drop"] * (self.drop_off or 0)
            + WEIGHTS["dwell"] * self.long_dwell_share
            + WEIGHTS["frustration"] * self.frustrated_share
            + WEIGHTS["slow"] * self.slow_share
        )


@dataclass(frozen=True)
class Signals:
    """The eight signals of the problem score, each a share between 0 and 1."""

    drop: float
    dwell: float
    help: float
    loops: float
    pulse: float | None  # None below MIN_PULSE answers
    frustration: float | None = None  # None when no session showed a frustration signal
    slow: float | None = None  # None when no page view of the journey was measured
    shallow: float | None = None  # None when no step scrolls less than the site by 5 points

    def present(self) -> dict[str, float]:
        """Return the signals that were measured, by name."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class ProblemCounts:
    help: int
    loops: int
    pulse_low: int
    frustrated: int = 0
    slow: int = 0


@dataclass(frozen=True)
class ProblemScore:
    """A journey's problem score (0–100), the signals behind it and where it fails."""

    score: float
    signals: Signals
    pulse_answers: int
    counts: ProblemCounts
    failing_step: str | None  # None when no session entered
    failing_step_index: int
    failure_kind: str | None
    evidence: tuple[Message, ...]  # each reads as its English sentence


@dataclass(frozen=True)
class JourneyDiagnosis:
    """One named journey: its funnel and its problem score."""

    name: str
    title: str | None
    kind: str
    phase: str
    steps_patterns: tuple[str, ...]
    goal: str
    sessions: int
    share: float
    completed: int
    completion: float
    steps: tuple[StepFigures, ...]
    problem: ProblemScore


@dataclass(frozen=True)
class ScoreSettings:
    """The constants the problem scores were computed with."""

    weights: dict[str, float]
    dwell_factor: float
    min_pulse: int
    threshold: float


@dataclass(frozen=True)
class Diagnosis:
    """What ``diagnose`` returns: the common journeys and every named journey, scored."""

    site: str
    window: Window
    sessions: int
    bot_sessions_excluded: int
    norms: Norms
    common: tuple[CommonJourney, ...]
    journeys: tuple[JourneyDiagnosis, ...]  # highest problem score first
    problems: tuple[JourneyDiagnosis, ...]  # those scoring at least PROBLEM_THRESHOLD
    score: ScoreSettings
    seconds: float

    def journey(self, name: str) -> JourneyDiagnosis | None:
        """Return the diagnosis of the journey called NAME, or None."""
        return next((j for j in self.journeys if j.name == name), None)


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


_FUNNEL_COUNTS = ("entered", "completed", "help", "loops", "frustrated", "measured", "slow")
_FUNNEL_STEP_COUNTS = ("reached", "step_frustrated", "step_measured", "step_slow")


class _Funnel:
    """Counts for one journey, filled session by session (or merged from stored days)."""

    def __init__(self, journey: Journey):
        self.journey = journey
        m = len(journey.steps)
        self.entered = 0
        self.completed = 0
        self.reached = [0] * m
        self.dwell = [array("q") for _ in range(m)]
        self.help = 0
        self.loops = 0
        self.pulse: dict = {}  # day of the answer (None: any) -> [answers, low ones]
        self.pulse_low = 0  # of the answers in the window (``keep_pulse``)
        self.pulse_n = 0
        self.frustrated = 0  # sessions with a signal on one of its steps
        self.step_frustrated = [0] * m
        self.elements: Counter = Counter()  # (kind, step, target, text) -> sessions
        self.measured = 0  # sessions with a measured page view on one of its steps
        self.slow = 0  # ... and with a poor one
        self.step_measured = [0] * m
        self.step_slow = [0] * m
        self.step_metrics = [{metric: [] for metric in SLOW_METRICS} for _ in range(m)]
        self.scroll = StepScroll(m)

    def add_speed(self, walk: _Walk, speed: list) -> None:
        """Fold one session's page speed on this journey's steps in (``sessions.speed``)."""
        n, measured, slow = len(speed), False, False
        for k, i in walk.positions:
            vitals = speed[i] if i < n else None
            if not vitals:
                continue
            measured = True
            self.step_measured[k] += 1
            poor = False
            for metric, values in self.step_metrics[k].items():
                if metric in vitals:
                    values.append(vitals[metric])
                    poor = poor or rating(metric, vitals[metric]) == "poor"
            if poor:
                slow = True
                self.step_slow[k] += 1
        self.measured += measured
        self.slow += slow

    def add_signals(self, j: int, signals: list, paths: _Paths) -> None:
        """Fold one session's frustration signals on this journey's steps (journey J) in."""
        steps, elements = set(), set()
        for kind, path, target, text in signals:
            k = paths.get(path).steps[j]
            if k >= 0:
                steps.add(k)
                elements.add((kind, k, target, text))
        if steps:
            self.frustrated += 1
            for k in steps:
                self.step_frustrated[k] += 1
            self.elements.update(elements)

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
            for kind, number, day in pulse:
                counts = self.pulse.get(day)
                if counts is None:
                    counts = self.pulse[day] = [0, 0]
                counts[0] += 1
                counts[1] += low_score(kind, number)

    def finish(self) -> None:
        """Sort each step's dwell into runs, once every session is folded in."""
        self.dwell = [Runs.of(d) for d in self.dwell]

    def keep_pulse(self, since: int | None, until: int | None) -> None:
        """Count the pulse answers given in [SINCE, UNTIL) (days; None: unbounded)."""
        self.pulse_n = self.pulse_low = 0
        for day, (n, low) in self.pulse.items():
            if day is None or (since is None or day >= since) and (until is None or day < until):
                self.pulse_n += n
                self.pulse_low += low

    def merge(self, other: _Funnel) -> None:
        """Add OTHER's counts (the same journey, other sessions) to these."""
        for name in _FUNNEL_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _FUNNEL_STEP_COUNTS:
            mine = getattr(self, name)
            for k, n in enumerate(getattr(other, name)):
                mine[k] += n
        for mine, theirs in zip(self.dwell, other.dwell, strict=True):
            mine.extend(theirs)
        self.elements.update(other.elements)
        for mine, theirs in zip(self.step_metrics, other.step_metrics, strict=True):
            for metric, values in theirs.items():
                mine[metric].extend(values)
        for day, (n, low) in other.pulse.items():
            counts = self.pulse.setdefault(day, [0, 0])
            counts[0] += n
            counts[1] += low
        self.scroll.merge(other.scroll)

    def to_json(self) -> dict:
        """Return the counts as JSON (a stored day, ``cxlisten.diagnosis_days``)."""
        return {
            **{name: getattr(self, name) for name in _FUNNEL_COUNTS + _FUNNEL_STEP_COUNTS},
            "dwell": [d.encode() for d in self.dwell],
            "elements": [[*key, n] for key, n in self.elements.items()],
            # each step's values of each metric, sorted (``runs.encode_floats``)
            "step_metrics": [
                {m: encode_floats(v) for m, v in s.items()} for s in self.step_metrics
            ],
            "pulse": [[day, n, low] for day, (n, low) in self.pulse.items()],
            "scroll": self.scroll.to_json(),
        }

    @classmethod
    def from_json(cls, journey: Journey, data: dict) -> _Funnel:
        """Return the funnel of JOURNEY that ``to_json`` stored as DATA."""
        f = cls(journey)
        for name in _FUNNEL_COUNTS + _FUNNEL_STEP_COUNTS:
            setattr(f, name, data[name])
        f.dwell = [Runs.decode(d) for d in data["dwell"]]
        f.elements = Counter({tuple(e[:4]): e[4] for e in data["elements"]})
        f.step_metrics = [
            {m: decode_floats(v) for m, v in step.items()} for step in data["step_metrics"]
        ]
        f.pulse = {day: [n, low] for day, n, low in data["pulse"]}
        f.scroll = StepScroll.from_json(data["scroll"])
        return f


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _secs(ms: float) -> str:
    return f"{ms / 1000:.0f} s" if ms >= 9_500 else f"{ms / 1000:.2g} s"  # 45 s; 0.6 s, 2.5 s


@dataclass
class _State:
    """What a diagnosis counts over sessions: mergeable, so days can be counted apart."""

    total: int
    sequences: Counter  # the first DEPTH steps -> sessions
    sequence_done: Counter  # ... of them completing a named journey
    dwell: Runs  # every visible dwell (ms), for the site's norm
    funnels: list[_Funnel]
    scroll: SiteScroll  # the site's measured and shallow page views (the shallow signal's norm)

    @classmethod
    def empty(cls, named: list[Journey]) -> _State:
        funnels = [_Funnel(j) for j in named]
        for f in funnels:
            f.finish()
        return cls(0, Counter(), Counter(), Runs(), funnels, SiteScroll())

    def merge(self, other: _State) -> None:
        """Add OTHER's counts (other sessions) to these."""
        self.total += other.total
        self.sequences.update(other.sequences)
        self.sequence_done.update(other.sequence_done)
        self.dwell.extend(other.dwell)
        for mine, theirs in zip(self.funnels, other.funnels, strict=True):
            mine.merge(theirs)
        self.scroll.merge(other.scroll)

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "sequences": [[list(k), n, self.sequence_done[k]] for k, n in self.sequences.items()],
            "dwell": self.dwell.encode(),
            "funnels": [f.to_json() for f in self.funnels],
            "scroll": self.scroll.to_json(),
        }

    @classmethod
    def from_json(cls, named: list[Journey], data: dict) -> _State:
        sequences = {tuple(k): n for k, n, _ in data["sequences"]}
        done = {tuple(k): d for k, _, d in data["sequences"] if d}
        funnels = [_Funnel.from_json(j, f) for j, f in zip(named, data["funnels"], strict=True)]
        return cls(
            data["total"],
            Counter(sequences),
            Counter(done),
            Runs.decode(data["dwell"]),
            funnels,
            SiteScroll.from_json(data["scroll"]),
        )


def _aligned(ms: int | None) -> bool:
    return ms is None or ms % DAY_MS == 0


def diagnose(
    db: Database,
    site,
    since: int | None = None,
    until: int | None = None,
    *,
    top: int = 10,
    depth: int = 4,
    stored: bool = True,
    now_ms: int | None = None,
) -> Diagnosis:
    """Return the most common and the most problematic journeys of SITE in [SINCE, UNTIL).

    A window of whole days (UTC; either end may be open) is counted day by day, each past day
    kept in the database and reused while its sessions are unchanged (``diagnosis_days``):
    STORED=False counts every session of the window instead, with the same result. NOW_MS
    (default: the clock) says which day is still going on: only its settled hours are kept.
    """
    from cxlisten import diagnosis_days

    started = time.perf_counter()
    site_id = getattr(site, "id", site)
    rules = journey_lib.path_rules(db, site_id)
    named = journey_lib.list_journeys(db, site_id)
    paths = _Paths(rules, named)
    span = (since, until, depth)
    if stored and _aligned(since) and _aligned(until):
        state = diagnosis_days.window(db, site_id, rules, named, paths, *span, now_ms=now_ms)
    else:
        state = _scan_window(db, site_id, named, paths, *span)
    total = state.total
    norm = state.dwell.median()
    common = tuple(
        CommonJourney(
            steps,
            n,
            _share(n, total),
            _share(state.sequence_done[steps], n) if named else None,
        )
        # the most sessions first; sequences as many sessions took, in their order
        for steps, n in sorted(state.sequences.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    )
    for f in state.funnels:
        f.keep_pulse(*(None if t is None else t // DAY_MS for t in (since, until)))
    results = sorted(
        (_assess(f, total, norm, state.scroll) for f in state.funnels),
        key=lambda r: (-r.problem.score, r.name),
    )
    return Diagnosis(
        site=getattr(site, "key", site_id),
        window=Window(since, until),
        sessions=total,
        bot_sessions_excluded=reports.count_bot_sessions(db, site_id, since, until),
        norms=Norms(round(norm), round(long_dwell_ms(norm))),
        common=common,
        journeys=tuple(results),
        problems=tuple(r for r in results if r.problem.score >= PROBLEM_THRESHOLD)[:top],
        score=ScoreSettings(dict(WEIGHTS), DWELL_FACTOR, MIN_PULSE, PROBLEM_THRESHOLD),
        seconds=round(time.perf_counter() - started, 3),
    )


def _scan_window(db, site_id, named, paths, since, until, depth) -> _State:
    """Count every human session of [SINCE, UNTIL) with its pulse answers, in one pass."""
    pulse: dict[str, list] = {}
    for session_id, kind, number in reports.pulse_scores(db, site_id, since, until):
        pulse.setdefault(session_id, []).append((kind, number, None))
    return scan(db, site_id, since, until, named, paths, pulse, depth)


def scan(
    db: Database,
    site_id: int,
    since: int | None,
    until: int | None,
    named: list[Journey],
    paths: _Paths,
    pulse: dict[str, list],
    depth: int,
) -> _State:
    """Count the human sessions started in [SINCE, UNTIL); PULSE: session -> its answers.

    Long on purpose: the loop over sessions is the hot path of a diagnosis, kept in one frame
    with its locals bound (see bench/diagnose.py); what it folds in lives in ``_Funnel``.
    """
    funnels = [_Funnel(j) for j in named]
    sequences: Counter = Counter()
    sequence_done: Counter = Counter()
    all_dwell = array("q")
    total = 0
    loads = json.loads
    shapes: dict[str, _Shape] = {}
    site_scroll = SiteScroll()

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

    for (
        sid,
        steps_json,
        dwell_json,
        custom_json,
        clicked,
        signals_json,
        speed_json,
        scroll_json,
    ) in reports.iter_sessions(
        db,
        site_id,
        since,
        until,
        columns=(
            "id",
            "steps",
            "dwell",
            "custom",
            "interventions_clicked",
            "signals",
            "speed",
            "scroll",
        ),
    ):
        total += 1
        shape = shapes.get(steps_json)
        if shape is None:
            shape = shapes[steps_json] = shape_of(steps_json)
        dwell = loads(dwell_json)
        all_dwell.extend([d for d in dwell if d > 0])
        sequences[shape.key] += 1
        scroll = site_scroll.add(scroll_json)
        if shape.walks:
            sought = bool(clicked) or (
                "need_help" in custom_json and "need_help" in loads(custom_json)
            )
            session_pulse = pulse.get(sid) if pulse else None
            signals = loads(signals_json) if signals_json != "[]" else None
            speed = loads(speed_json) if speed_json != "[]" else None
            for walk in shape.walks:
                funnels[walk.journey].add(walk, dwell, sought, session_pulse)
                if signals:
                    funnels[walk.journey].add_signals(walk.journey, signals, paths)
                if speed:
                    funnels[walk.journey].add_speed(walk, speed)
                funnels[walk.journey].scroll.add(walk.positions, scroll)
            if shape.completed:
                sequence_done[shape.key] += 1
    for f in funnels:
        f.finish()
    return _State(total, sequences, sequence_done, Runs.of(all_dwell), funnels, site_scroll)


def _assess(f: _Funnel, total: int, norm: float, site_scroll: SiteScroll) -> JourneyDiagnosis:
    """Turn one journey's counts into its funnel, problem score and evidence."""
    j = f.journey
    n = f.entered
    steps = _funnel_steps(f, long_dwell_ms(norm))
    shallow = f.scroll.worst(site_scroll)
    measured = [s for s in steps if s.measured]
    signals = Signals(
        drop=max((s.drop_off or 0.0 for s in measured), default=0.0),
        dwell=max((s.long_dwell_share for s in measured), default=0.0),
        help=_share(f.help, n),
        loops=_share(f.loops, n),
        pulse=_share(f.pulse_low, f.pulse_n) if f.pulse_n >= MIN_PULSE else None,
        frustration=_share(f.frustrated, n) if f.frustrated else None,
        slow=_share(f.slow, f.measured) if f.measured else None,
        shallow=shallow[1] if shallow else None,
    )
    present = signals.present()
    weight = sum(WEIGHTS[k] for k in present)
    raw = sum(WEIGHTS[k] * v for k, v in present.items()) / weight if weight else 0.0
    score = round(100 * raw * n / (n + SHRINK), 1) if n else 0.0
    fail_k = max(range(len(steps)), key=lambda k: steps[k].badness()) if n else 0
    fail = steps[fail_k]
    return JourneyDiagnosis(
        name=j.name,
        title=j.title,
        kind=j.kind,
        phase=j.phase,
        steps_patterns=tuple(j.steps),
        goal=j.goal,
        sessions=n,
        share=_share(n, total),
        completed=f.completed,
        completion=_share(f.completed, n),
        steps=steps,
        problem=ProblemScore(
            score=score,
            signals=Signals(
                **{k: (round(v, 4) if v is not None else None) for k, v in asdict(signals).items()}
            ),
            pulse_answers=f.pulse_n,
            counts=ProblemCounts(f.help, f.loops, f.pulse_low, f.frustrated, f.slow),
            failing_step=fail.step if n else None,
            failing_step_index=fail_k,
            failure_kind=_failure_kind(j, fail) if n else None,
            evidence=_evidence(f, steps, fail_k, signals, norm, site_scroll) if n else (),
        ),
    )


def _funnel_steps(f: _Funnel, long_ms: float) -> tuple[StepFigures, ...]:
    """Return the figures of each step of one journey's funnel."""
    steps = []
    last = len(f.journey.steps) - 1
    for k, pattern in enumerate(f.journey.steps):
        reached = f.reached[k]
        nxt = f.reached[k + 1] if k < last else None
        drop = (1 - nxt / reached) if nxt is not None and reached else 0.0
        dwell = f.dwell[k]
        long_share = dwell.count_above(long_ms) / len(dwell) if len(dwell) else 0.0
        steps.append(
            StepFigures(
                step=pattern,
                reached=reached,
                share_of_entered=_share(reached, f.entered),
                drop_off=round(drop, 4) if nxt is not None else None,
                median_dwell_ms=round(dwell.median()),
                long_dwell_share=round(long_share, 4),
                frustrated_share=_share(min(f.step_frustrated[k], reached), reached),
                slow_share=_share(f.step_slow[k], f.step_measured[k]),
                shallow_share=f.scroll.share(k),
            )
        )
    return tuple(steps)


def _failure_kind(journey: Journey, fail: StepFigures) -> str:
    """Return the failure kind (which deep-dive template fits) of a journey failing at FAIL."""
    if journey.kind == "search" or "search" in fail.step:
        return "search_failure"
    if journey.kind == "signup":
        return "signup_friction"
    if fail.long_dwell_share >= 0.5:
        return "long_dwell"
    return "abandonment"


def _evidence(
    f: _Funnel,
    steps: tuple[StepFigures, ...],
    fail_k: int,
    signals: Signals,
    norm: float,
    site_scroll: SiteScroll,
) -> tuple[Message, ...]:
    """Return the sentences giving the figures behind a journey's score."""
    fail = steps[fail_k]
    long_ms = long_dwell_ms(norm)
    n = f.entered
    evidence = []
    if fail.drop_off:
        others = [
            s.drop_off
            for i, s in enumerate(steps)
            if i != fail_k and s.drop_off is not None and s.measured
        ]
        drop = {"share": _pct(fail.drop_off), "sessions": f"{fail.reached:,}", "step": fail.step}
        if others:
            drop["others"] = _pct(sum(others) / len(others))
        evidence.append(Message("evidence.drop_others" if others else "evidence.drop", **drop))
    if fail.long_dwell_share >= 0.1:
        floor = long_ms > norm * DWELL_FACTOR  # the site's pages are short: the floor applies
        evidence.append(
            Message(
                "evidence.dwell_floor" if floor else "evidence.dwell",
                share=_pct(fail.long_dwell_share),
                step=fail.step,
                long=_secs(long_ms),
                factor=f"{DWELL_FACTOR:g}",
                norm=_secs(norm),
                median=_secs(fail.median_dwell_ms),
            )
        )
    if signals.help >= 0.05:
        evidence.append(Message("evidence.help", share=_pct(signals.help)))
    if signals.loops >= 0.05:
        evidence.append(Message("evidence.loops", share=_pct(signals.loops)))
    evidence.extend(_signal_evidence(f, n))
    evidence.extend(_speed_evidence(f))
    evidence.extend(f.scroll.evidence(f.journey.steps, site_scroll))
    if signals.pulse is not None:
        evidence.append(
            Message("evidence.pulse", share=_pct(signals.pulse), answers=f"{f.pulse_n:,}")
        )
    evidence.append(
        Message(
            "evidence.goal",
            share=_pct(_share(f.completed, n)),
            sessions=f"{n:,}",
            goal=f.journey.goal,
        )
    )
    return tuple(evidence)


_NOUNS = {"a": "link", "button": "button", "input": "field", "textarea": "field", "select": "field"}
_SIGNALS = ("rage", "dead", "abandoned")  # evidence.rage, ...: one sentence per kind of signal


def _element(target: str, text: str) -> Message:
    """Name a clicked or typed-in element for a sentence: "*Pay* button"."""
    tag = target.split("#", 1)[0].split(".", 1)[0]
    noun = Message(f"evidence.noun.{_NOUNS.get(tag, 'element')}")
    if text:
        return Message("evidence.element.named", text=text, noun=noun)
    return Message("evidence.element.target", noun=noun, target=target)


def _speed_evidence(f: _Funnel) -> list[Message]:
    """Return a sentence for the slowest step (its p75 poor on a Core Web Vital), if any."""
    worst = None
    for k, metrics in enumerate(f.step_metrics):
        if f.step_measured[k] < MIN_STEP:
            continue
        for metric, values in metrics.items():
            if len(values) >= MIN_STEP and rating(metric, value := p75(values)) == "poor":
                ratio = value / THRESHOLDS[metric].poor
                if worst is None or ratio > worst[0]:
                    worst = (ratio, k, metric, value)
    if worst is None:
        return []
    _, k, metric, value = worst
    return [
        Message(
            "evidence.slow",
            metric=metric.upper(),
            step=f.journey.steps[k],
            value=say(metric, value),
            threshold=say(metric, THRESHOLDS[metric].poor),
            share=_pct(_share(f.step_slow[k], f.step_measured[k])),
            visits=f"{f.step_measured[k]:,}",
        )
    ]


def _signal_evidence(f: _Funnel, n: int) -> list[Message]:
    """Return a sentence for the most frequent element of each kind of signal (5% or more)."""
    lines = []
    for kind in _SIGNALS:
        top = [(count, key) for key, count in f.elements.items() if key[0] == kind]
        if not top:
            continue
        count, (_, k, target, text) = max(top, key=lambda item: (item[0], item[1][1:]))
        if count / n >= 0.05:
            lines.append(
                Message(
                    f"evidence.{kind}",
                    share=_pct(count / n),
                    element=_element(target, text),
                    step=f.journey.steps[k],
                )
            )
    return lines
