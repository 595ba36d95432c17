"""The one clock the tests build their timestamps from.

Tests never name a date, an hour or a month's length: they count from ``now_ms()``, the process
clock. To run the tests at another moment, ``.ci/at-time MOMENT COMMAND`` sets
``CXLISTEN_TEST_CLOCK_OFFSET`` (seconds from now to MOMENT); every Python process of the run — pytest
and the collectors, gunicorn workers and commands it starts, through ``tests/clock_site`` — then
moves its wall clock by that one offset with time-machine, ticking, so they all agree on the time.
Monotonic clocks, which timeouts count on, stay real, as on a machine whose date is another.
"""

from __future__ import annotations

import os
import time

__all__ = ["DAY_MS", "HOUR_MS", "OFFSET_VARIABLE", "move_clock_from_environment", "now_ms"]

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
OFFSET_VARIABLE = "CXLISTEN_TEST_CLOCK_OFFSET"


def now_ms() -> int:
    """Return the current time in milliseconds since the epoch, as the collector reads it."""
    return int(time.time() * 1000)


def move_clock_from_environment() -> object | None:
    """Move this process's wall clock by the offset in the environment, if any; return the trip."""
    offset = os.environ.get(OFFSET_VARIABLE)
    if not offset:
        return None
    import time_machine

    trip = time_machine.travel(time.time() + float(offset), tick=True)
    trip.start()
    return trip
