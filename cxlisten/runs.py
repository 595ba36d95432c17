"""Sorted runs of integers: a multiset kept as the sorted pieces it was made of.

A diagnosis needs medians and "how many above" of dwell times gathered day by day
(``cxlisten.diagnosis_days``). Keeping each day's values sorted, a month's median is found by
bisecting the runs (``kth``) instead of sorting a month of values again, and the runs of a day
are stored as they are (``encode``/``decode``: little-endian 64-bit integers, base64).
"""

from __future__ import annotations

import base64
import sys
from array import array
from bisect import bisect_right

__all__ = ["Runs", "decode_floats", "encode_floats"]


class Runs:
    """A multiset of integers as sorted arrays."""

    __slots__ = ("runs",)

    def __init__(self, runs: list[array] | None = None):
        self.runs = [r for r in runs or [] if len(r)]

    @classmethod
    def of(cls, values) -> Runs:
        """Return the runs of VALUES (any order): one sorted run."""
        return cls([array("q", sorted(values))])

    def __len__(self) -> int:
        return sum(len(r) for r in self.runs)

    def extend(self, other: Runs) -> None:
        """Add OTHER's values."""
        self.runs.extend(other.runs)

    def count_above(self, x: float) -> int:
        """Return how many values are greater than X."""
        return sum(len(r) - bisect_right(r, x) for r in self.runs)

    def kth(self, k: int) -> int:
        """Return the K-th smallest value (0-based): the least v with more than K values ≤ v."""
        lo = min(r[0] for r in self.runs)
        hi = max(r[-1] for r in self.runs)
        while lo < hi:
            mid = (lo + hi) // 2
            if sum(bisect_right(r, mid) for r in self.runs) > k:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def median(self) -> float:
        """Return the median (the mean of the two middle values of an even count); 0 if empty."""
        n = len(self)
        if not n:
            return 0.0
        mid = n // 2
        return float(self.kth(mid)) if n % 2 else (self.kth(mid - 1) + self.kth(mid)) / 2

    def encode(self) -> str:
        """Return the values as one sorted run, as text to store."""
        merged = (
            array("q", sorted(v for r in self.runs for v in r))
            if len(self.runs) > 1
            else (self.runs[0] if self.runs else array("q"))
        )
        if sys.byteorder == "big":
            merged = array("q", merged)
            merged.byteswap()
        return base64.b64encode(merged.tobytes()).decode("ascii")

    @classmethod
    def decode(cls, text: str) -> Runs:
        """Return the runs stored by ``encode``."""
        run = array("q")
        run.frombytes(base64.b64decode(text))
        if sys.byteorder == "big":
            run.byteswap()
        return cls([run])


def encode_floats(values) -> str:
    """Return VALUES (numbers, any order) sorted, as text to store: little-endian doubles,
    base64. Read back (``decode_floats``) without parsing a number each, and already sorted, a
    month of them sorts again in about one pass (Timsort merges the sorted runs it finds)."""
    run = array("d", sorted(values))
    if sys.byteorder == "big":
        run.byteswap()
    return base64.b64encode(run.tobytes()).decode("ascii")


def decode_floats(text: str) -> array:
    """Return the values stored by ``encode_floats``, sorted."""
    run = array("d")
    run.frombytes(base64.b64decode(text))
    if sys.byteorder == "big":
        run.byteswap()
    return run
