"""The real-user speed metrics the snippet's ``vitals.js`` measures, and their published
thresholds: one declaration for the collector's schema, the triggers and the reports."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "CONNECTIONS",
    "METRICS",
    "MS_METRICS",
    "RATINGS",
    "THRESHOLDS",
    "Threshold",
    "p75",
    "rating",
    "say",
]


@dataclass(frozen=True)
class Threshold:
    good: float  # at most this is good
    poor: float  # more than this is poor; between the two needs improvement
    unit: str  # "ms", or "" for the layout-shift score


# The web-vitals thresholds as published (web.dev: Core Web Vitals and supporting metrics).
THRESHOLDS = {
    "ttfb": Threshold(800, 1800, "ms"),
    "fcp": Threshold(1800, 3000, "ms"),
    "lcp": Threshold(2500, 4000, "ms"),
    "cls": Threshold(0.1, 0.25, ""),
    "inp": Threshold(200, 500, "ms"),
}
METRICS = tuple(THRESHOLDS)
MS_METRICS = tuple(m for m, t in THRESHOLDS.items() if t.unit == "ms")
RATINGS = ("good", "needs-improvement", "poor")
# navigator.connection.effectiveType
CONNECTIONS = ("slow-2g", "2g", "3g", "4g")


def rating(metric: str, value: float) -> str:
    """Return "good", "needs-improvement" or "poor" for VALUE of METRIC."""
    t = THRESHOLDS[metric]
    return "good" if value <= t.good else "poor" if value > t.poor else "needs-improvement"


def p75(values: list[float]) -> float:
    """Return the 75th percentile of VALUES (nearest rank, as CrUX reports it)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.75 * len(ordered)) - 1)]


def say(metric: str, value: float) -> str:
    """VALUE of METRIC in words: "4.8 s", "180 ms" or "0.31"."""
    if THRESHOLDS[metric].unit == "":
        return f"{value:.2f}"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{round(value)} ms"
