"""The caches of one deployment: what the hot paths reuse between requests, and when it is stale.

A cache belongs to a database, not to the process: the collector's ``Deployment`` gives every
connection it opens its one ``Caches`` (shared by its threads); a database opened anywhere else
(the CLI, a notebook, a test) gets its own on first use. So two databases in one process never
see each other's entries, and the keys need not say which file they came from.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["Caches", "caches_of", "share"]

_ATTRIBUTE = "cxlisten_caches"


class Caches:
    """Entries that are fresh while a stamp is unchanged, or for a number of seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[Any, Any]] = {}

    def stamped(self, key: Hashable, stamp: Hashable, compute: Callable[[], Any]) -> Any:
        """Return KEY's value while it was computed at STAMP; else compute and keep it."""
        hit = self._entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (stamp, value)
        return value

    def timed(self, key: Hashable, seconds: float, compute: Callable[[], Any]) -> Any:
        """Return KEY's value if computed less than SECONDS ago; else compute and keep it."""
        hit = self._entries.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
        return value

    def clear(self) -> None:
        """Forget everything (after a change whose stamp the entries do not carry)."""
        with self._lock:
            self._entries.clear()


def caches_of(db) -> Caches:
    """Return the caches DB's deployment shares (one of its own if it has none)."""
    caches = getattr(db, _ATTRIBUTE, None)
    if caches is None:
        caches = Caches()
        setattr(db, _ATTRIBUTE, caches)
    return caches


def share(db, caches: Caches) -> None:
    """Make DB use CACHES (the deployment's, for each connection it opens)."""
    setattr(db, _ATTRIBUTE, caches)
