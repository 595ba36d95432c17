"""The one clock the tests build their timestamps from.

Tests never name a date, an hour or a month's length: they count from ``now_ms()``, the process
clock, which every process of a run shares (the collector's threads, gunicorn's workers, Chromium).
To run the whole suite at another moment, move that clock for every process with libfaketime
(Debian's ``faketime``), as the README's "Tests at any hour" shows:

    faketime -f '@2026-12-31 23:30:00' python -m pytest
"""

from __future__ import annotations

import time

__all__ = ["DAY_MS", "HOUR_MS", "now_ms"]

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def now_ms() -> int:
    """Return the current time in milliseconds since the epoch, as the collector reads it."""
    return int(time.time() * 1000)
