"""Reports the console reuses for a minute: a diagnosis, a site overview, a rule's lift, a
deep-dive report.

Each reads a window of session summaries or responses whole (a month of a busy site is a second
of work), while a product team reloads and moves between pages many times a minute. So each is
kept in the deployment's caches (``cxlisten.caches``) for ``FRESH_SECONDS``, under a key naming
the site and everything the figure depends on, and the page says when it was computed. Whatever
a person changes from the console (a phase, a rule) is read live, never from these entries; the
events arriving now are never cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from cxlisten.caches import caches_of

__all__ = ["FRESH_SECONDS", "Fresh", "fresh"]

FRESH_SECONDS = 60


@dataclass(frozen=True)
class Fresh:
    value: Any
    computed_at: int  # ms since the epoch


def fresh(db, key: Hashable, compute: Callable[[], Any]) -> Fresh:
    """Return COMPUTE()'s value for KEY, reused if computed less than FRESH_SECONDS ago."""
    return caches_of(db).timed(
        ("console",) + (key if isinstance(key, tuple) else (key,)),
        FRESH_SECONDS,
        lambda: Fresh(compute(), int(time.time() * 1000)),
    )
