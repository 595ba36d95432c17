"""Small statistics for reports: proportions, means, NPS and differences, with 95% intervals.

Intervals use the normal approximation (Wilson's for single proportions, which stays inside
0–1 and behaves with few answers). ``Z`` is 1.96 throughout.
"""

from __future__ import annotations

import math
from collections import Counter

__all__ = ["Z", "wilson", "mean_ci", "nps", "diff_of_proportions"]

Z = 1.96


def _r(x: float, digits: int = 4) -> float:
    return round(x, digits)


def wilson(successes: int, n: int) -> dict:
    """Return {"value", "low", "high", "n"} for a proportion (Wilson score interval)."""
    if n == 0:
        return {"value": None, "low": None, "high": None, "n": 0}
    p = successes / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denom
    return {
        "value": _r(p),
        "low": _r(max(0.0, centre - half)),
        "high": _r(min(1.0, centre + half)),
        "n": n,
    }


def mean_ci(values: list[float]) -> dict:
    """Return {"value", "low", "high", "n"} for a mean (normal approximation)."""
    n = len(values)
    if n == 0:
        return {"value": None, "low": None, "high": None, "n": 0}
    m = math.fsum(values) / n
    if n == 1:
        return {"value": _r(m), "low": None, "high": None, "n": 1}
    # Over the distinct values (answers on a scale take a few), summed exactly: the same
    # figure whatever order the values come in, and fast over many.
    squares = math.fsum(c * (v - m) ** 2 for v, c in Counter(values).items())
    sd = math.sqrt(squares / (n - 1))
    half = Z * sd / math.sqrt(n)
    return {"value": _r(m), "low": _r(m - half), "high": _r(m + half), "n": n}


def nps(scores: list[float]) -> dict:
    """Return the Net Promoter Score (−100…100) of 0–10 SCORES with its 95% interval."""
    n = len(scores)
    if n == 0:
        return {"value": None, "low": None, "high": None, "n": 0}
    counts = Counter(scores)  # a few distinct scores, many answers
    promoters = sum(k for s, k in counts.items() if s >= 9) / n
    detractors = sum(k for s, k in counts.items() if s <= 6) / n
    value = promoters - detractors
    variance = (promoters + detractors - value * value) / n
    half = Z * math.sqrt(max(variance, 0.0))
    return {
        "value": _r(100 * value, 1),
        "low": _r(max(-100.0, 100 * (value - half)), 1),
        "high": _r(min(100.0, 100 * (value + half)), 1),
        "n": n,
        "promoters": _r(promoters),
        "detractors": _r(detractors),
    }


def diff_of_proportions(s1: int, n1: int, s0: int, n0: int) -> dict:
    """Return p1 − p0 with its 95% interval (Newcombe's hybrid of Wilson intervals)."""
    if n1 == 0 or n0 == 0:
        return {"value": None, "low": None, "high": None}
    a, b = wilson(s1, n1), wilson(s0, n0)
    p1, p0 = s1 / n1, s0 / n0
    d = p1 - p0
    low = d - math.sqrt((p1 - a["low"]) ** 2 + (b["high"] - p0) ** 2)
    high = d + math.sqrt((a["high"] - p1) ** 2 + (p0 - b["low"]) ** 2)
    return {"value": _r(d), "low": _r(low), "high": _r(high)}
