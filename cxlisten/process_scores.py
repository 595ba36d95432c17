"""Process scores: a survey template and a report that score a process — checkout, support,
sign-up, or any other — on four dimensions, so that processes can be compared and tracked.

**The template** (``template(process)``, ``cxlisten process template PROCESS``) is a short survey
``process-PROCESS`` shown when the process ends, with one rating (1–5 stars) per dimension and an
optional "what one thing should we change?", in English and Chinese:

* **convenience** — how easy and effortless the process was;
* **responsiveness** — how quickly the site (or the team) responded;
* **reliability** — whether everything worked as promised, the first time;
* **relevance** — whether what was offered (options, answers, fields) fitted the visitor.

``checkout``, ``support`` and ``signup`` have texts and a trigger of their own (the page that ends
the process); any other name gets the general texts and a trigger on the pages given.

**The report** (``process_scores``, ``cxlisten process scores``) reads every survey that asks the
four dimensions as rating (or CSAT) questions — the process is its id without ``process-`` — and
gives, per process and dimension, the mean score with its 95% interval, and its **trend**: the
mean of each period (``days``, 7 by default: weeks from Monday) with its interval, and the change
from the previous period to the latest with its interval, said as ``up``/``down`` when that
interval excludes zero and ``steady`` otherwise. Per dimension the processes are ranked, and per
process its weakest dimension is named — only where the intervals do not overlap, otherwise it
says that no dimension stands out. Sums are grouped in SQL (``cxlisten.storage.process_scores``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cxlisten.deepdive_templates import en_zh
from cxlisten.errors import InvalidInput
from cxlisten.stats import Z
from cxlisten.storage import process_scores as store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database

__all__ = [
    "DIMENSIONS",
    "PROCESSES",
    "DimensionScore",
    "Period",
    "ProcessScores",
    "ProcessReport",
    "process_scores",
    "template",
]

DIMENSIONS = ("convenience", "responsiveness", "reliability", "relevance")
DAY_MS = 86_400_000
_SCORED = ("rating", "csat")  # 1–5 question types a dimension may be asked as

# Per process: its name in the texts, the question per dimension, and the page that ends it.
PROCESSES: dict[str, dict] = {
    "checkout": {
        "title": en_zh("How was checking out?", "结账体验如何？"),
        "urls": ["/checkout/done*", "/order/confirmation*"],
        "convenience": en_zh("How convenient was checking out?", "结账过程方便吗？"),
        "responsiveness": en_zh(
            "How quickly did the pages and the payment respond?", "页面和付款的响应速度如何？"
        ),
        "reliability": en_zh(
            "Did everything work the first time (cart, payment, confirmation)?",
            "购物车、付款和确认是否一次就顺利完成？",
        ),
        "relevance": en_zh(
            "How well did the delivery and payment options suit you?", "配送和付款方式适合您吗？"
        ),
    },
    "support": {
        "title": en_zh("How was our help?", "我们的帮助如何？"),
        "urls": ["/help/contact/done*", "/help/thanks*"],
        "convenience": en_zh("How easy was it to get help?", "获得帮助容易吗？"),
        "responsiveness": en_zh("How quickly did we respond?", "我们的回复速度如何？"),
        "reliability": en_zh("Did the help solve your problem?", "这次帮助解决了您的问题吗？"),
        "relevance": en_zh("How well did the answers fit your question?", "答复与您的问题相关吗？"),
    },
    "signup": {
        "title": en_zh("How was signing up?", "注册体验如何？"),
        "urls": ["/signup/done*", "/welcome*"],
        "convenience": en_zh("How convenient was signing up?", "注册过程方便吗？"),
        "responsiveness": en_zh(
            "How quickly did the pages and the confirmation e-mail arrive?",
            "页面和确认邮件的响应速度如何？",
        ),
        "reliability": en_zh("Did signing up work the first time?", "注册是否一次就成功？"),
        "relevance": en_zh(
            "Were we asking only for what was needed?", "我们是否只询问了必要的信息？"
        ),
    },
}
_GENERAL = {
    "title": ("How was {name}?", "{name}体验如何？"),
    "convenience": ("How convenient was {name}?", "{name}方便吗？"),
    "responsiveness": (
        "How quickly did we respond during {name}?",
        "{name}过程中我们的响应速度如何？",
    ),
    "reliability": ("Did {name} work the first time?", "{name}是否一次就顺利完成？"),
    "relevance": ("How well did {name} fit what you needed?", "{name}符合您的需要吗？"),
}
_LABELS = {"min": en_zh("Not at all", "完全不"), "max": en_zh("Completely", "非常")}
_PROCESS = r"[a-z][a-z0-9_-]{0,40}"


def template(process: str, *, urls: list[str] | None = None) -> dict:
    """Return the survey definition ``process-PROCESS`` scoring PROCESS on the four dimensions.

    URLS (path patterns) are the pages that end the process: where the survey is shown; a
    process of ``PROCESSES`` has its own, any other needs them.
    """
    from cxlisten.surveys import definitions

    if not re.fullmatch(_PROCESS, process):
        raise InvalidInput(
            "invalid process name", {"process": ["lower-case letters, digits, - and _"]}
        )
    known = PROCESSES.get(process)
    if known is None and not urls:
        raise InvalidInput(
            f"say on which pages {process!r} ends (cxlisten process template --url PATTERN)",
            {"urls": [f"needed for a process other than {', '.join(PROCESSES)}"]},
        )
    name = process.replace("-", " ").replace("_", " ")
    texts = known or {
        k: en_zh(en.format(name=name), zh.format(name=name)) for k, (en, zh) in _GENERAL.items()
    }
    survey = {
        "id": f"process-{process}",
        "kind": "survey",
        "name": f"Process scores: {name}",
        "description": "Scores the process on convenience, responsiveness, reliability and "
        "relevance (`cxlisten process scores`).",
        "phase": "deepdive",  # five questions: a deep-dive's length (a pulse has one or two)
        "priority": 5,
        "trigger": {"type": "pageview", "urls": list(urls or known["urls"])},
        "repetition": {"mode": "once", "recontact_days": 30},
        "default_locale": "en",
        "locales": ["en", "zh-CN"],
        "texts": {
            "title": texts["title"],
            "thanks": en_zh("Thank you! This helps us improve.", "谢谢！这能帮助我们改进。"),
        },
        "questions": [
            {
                "id": dimension,
                "type": "rating",
                "scale": {"max": 5},
                "labels": _LABELS,
                "text": texts[dimension],
            }
            for dimension in DIMENSIONS
        ]
        + [
            {
                "id": "fix",
                "type": "text",
                "required": False,
                "max_length": 500,
                "text": en_zh("What one thing should we change?", "您最希望我们改进哪一点？"),
            }
        ],
    }
    definitions.normalise(survey)  # the file must be publishable as written
    return survey


@dataclass(frozen=True)
class Period:
    start: str  # the period's first day, YYYY-MM-DD
    mean: float
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    mean: float | None  # 1–5
    low: float | None
    high: float | None
    n: int
    periods: tuple[Period, ...]  # oldest first
    change: float | None  # latest period minus the one before
    change_low: float | None
    change_high: float | None
    trend: str  # "up", "down", "steady", or "too few periods"


@dataclass(frozen=True)
class ProcessScores:
    process: str
    survey: str
    responses: int  # most answers of one dimension
    dimensions: tuple[DimensionScore, ...]  # in DIMENSIONS order
    weakest: str | None  # the dimension clearly below every other, if one is
    sentence: str


@dataclass(frozen=True)
class ProcessReport:
    period_days: int
    processes: tuple[ProcessScores, ...]
    ranking: dict[str, list[str]]  # dimension -> processes, best mean first
    sentences: tuple[str, ...]


class _Sums:
    """Count, sum and sum of squares: a mean and its variance without the answers themselves."""

    def __init__(self, n: int = 0, s: float = 0.0, ss: float = 0.0):
        self.n, self.s, self.ss = n, s, ss

    def add(self, other: _Sums) -> None:
        self.n, self.s, self.ss = self.n + other.n, self.s + other.s, self.ss + other.ss

    @property
    def mean(self) -> float:
        return self.s / self.n

    @property
    def variance(self) -> float | None:
        if self.n < 2:
            return None
        return max(self.ss - self.s * self.s / self.n, 0.0) / (self.n - 1)

    def interval(self) -> tuple[float | None, float | None]:
        if self.variance is None:
            return None, None
        half = Z * math.sqrt(self.variance / self.n)
        return round(self.mean - half, 3), round(self.mean + half, 3)


def _day(period: int, days: int) -> str:
    ms = period * days * DAY_MS - store.MONDAY_OFFSET_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d")


def _dimension(dimension: str, periods: dict[int, _Sums], days: int) -> DimensionScore:
    total = _Sums()
    for sums in periods.values():
        total.add(sums)
    if not total.n:
        return DimensionScore(dimension, None, None, None, 0, (), None, None, None, "no answers")
    low, high = total.interval()
    shown = tuple(
        Period(_day(p, days), round(s.mean, 3), *s.interval(), s.n)
        for p, s in sorted(periods.items())
    )
    change = change_low = change_high = None
    trend = "too few periods"
    keys = sorted(periods)
    if len(keys) >= 2:
        last, before = periods[keys[-1]], periods[keys[-2]]
        if last.variance is not None and before.variance is not None:
            change = last.mean - before.mean
            half = Z * math.sqrt(last.variance / last.n + before.variance / before.n)
            change_low, change_high = round(change - half, 3), round(change + half, 3)
            change = round(change, 3)
            trend = "up" if change_low > 0 else "down" if change_high < 0 else "steady"
    return DimensionScore(
        dimension,
        round(total.mean, 3),
        low,
        high,
        total.n,
        shown,
        change,
        change_low,
        change_high,
        trend,
    )


def _weakest(scores: tuple[DimensionScore, ...]) -> str | None:
    """The dimension whose interval lies wholly below every other one's, if there is one."""
    rated = [d for d in scores if d.high is not None]
    if len(rated) < 2:
        return None
    low = min(rated, key=lambda d: d.mean or 0)
    others = [d for d in rated if d is not low]
    return low.dimension if all(low.high < d.low for d in others) else None


def _sentence(
    process: str, scores: tuple[DimensionScore, ...], weakest: str | None, days: int
) -> str:
    rated = [d for d in scores if d.mean is not None]
    if not rated:
        return f"{process}: no answers yet."
    parts = ", ".join(
        f"{d.dimension} {d.mean:.1f}"
        + (f" ({d.low:.1f}–{d.high:.1f})" if d.low is not None else "")
        for d in rated
    )
    period = "week" if days == 7 else f"{days}-day period"
    words = [f"{process}: {parts} of 5 ({max(d.n for d in rated):,} answers)."]
    words.append(f"Weakest: {weakest}." if weakest else "No dimension stands out from the others.")
    for d in rated:
        if d.trend in ("up", "down"):
            verb = "rose" if d.trend == "up" else "fell"
            change = sorted((abs(d.change_low), abs(d.change_high)))
            words.append(
                f"{d.dimension.capitalize()} {verb} {abs(d.change):.1f} points "
                f"({change[0]:.1f}–{change[1]:.1f}) in the {period} from {d.periods[-1].start} "
                f"against the {period} before."
            )
    if not any(d.trend in ("up", "down") for d in rated):
        steady = any(d.trend == "steady" for d in rated)
        words.append(
            f"Nothing moved against the {period} before."
            if steady
            else "Too few periods for a trend."
        )
    return " ".join(words)


def _process_surveys(db: Database, site_id: int, surveys: list[str] | None) -> list:
    """Return the surveys asking all four dimensions as 1–5 scores (those named, if SURVEYS)."""
    found = []
    for survey in survey_store.list_surveys(db, site_id, statuses=("active", "paused", "archived")):
        if survey.kind != "survey" or (surveys and survey.slug not in surveys):
            continue
        types = {q["id"]: q["type"] for q in survey.definition["questions"]}
        if all(types.get(d) in _SCORED for d in DIMENSIONS):
            found.append(survey)
        elif surveys:
            raise InvalidInput(
                f"survey {survey.slug!r} does not score a process",
                {"surveys": [f"{survey.slug}: needs rating questions {', '.join(DIMENSIONS)}"]},
            )
    missing = sorted(set(surveys or ()) - {s.slug for s in found})
    if missing:
        raise InvalidInput(
            f"no survey {missing[0]!r}", {"surveys": [f"unknown: {', '.join(missing)}"]}
        )
    return found


def process_scores(
    db: Database,
    site,
    surveys: list[str] | None = None,
    *,
    days: int = 7,
    since: int | None = None,
    until: int | None = None,
) -> ProcessReport:
    """Score each process on the four dimensions, with intervals and trend per DAYS period."""
    if not 1 <= days <= 366:
        raise InvalidInput("invalid period", {"days": ["1 to 366 days"]})
    site_id = getattr(site, "id", site)
    found = _process_surveys(db, site_id, surveys)
    sums: dict[tuple[str, str], dict[int, _Sums]] = {}
    for survey, question, period, n, s, ss in store.dimension_sums(
        db, site_id, [f.slug for f in found], DIMENSIONS, days * DAY_MS, since, until
    ):
        sums.setdefault((survey, question), {})[int(period)] = _Sums(n, float(s), float(ss))
    processes = []
    for survey in found:
        scores = tuple(_dimension(d, sums.get((survey.slug, d), {}), days) for d in DIMENSIONS)
        name = survey.slug.removeprefix("process-")
        weakest = _weakest(scores)
        processes.append(
            ProcessScores(
                name,
                survey.slug,
                max(d.n for d in scores),
                scores,
                weakest,
                _sentence(name, scores, weakest, days),
            )
        )
    ranking = {
        d: [
            p.process
            for p in sorted(processes, key=lambda p: -(p.dimensions[i].mean or 0))
            if p.dimensions[i].mean is not None
        ]
        for i, d in enumerate(DIMENSIONS)
    }
    sentences = [p.sentence for p in processes]
    if len([p for p in processes if p.responses]) > 1:
        means = {(p.process, d.dimension): d.mean for p in processes for d in p.dimensions}
        sentences += [
            f"{d.capitalize()}, best first: "
            + ", ".join(f"{p} {means[(p, d)]:.1f}" for p in ranked)
            + "."
            for d, ranked in ranking.items()
            if len(ranked) > 1
        ]
    if not processes:
        sentences = ["No survey scores a process yet: cxlisten process template PROCESS makes one."]
    return ProcessReport(days, tuple(processes), ranking, tuple(sentences))
