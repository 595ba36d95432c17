"""Dates and date-times as the library takes them: ISO 8601 text, UTC unless it says otherwise.

One parser for the CLI's ``--since``/``--until``, the export filters and survey audience dates, so
``2026-11-01``, ``2026-11-01T09:00`` and ``2026-11-01T09:00:00Z`` mean the same moment everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["MAX_MS", "BadMoment", "to_ms"]

MAX_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class BadMoment(ValueError):
    """TEXT is not a date (``reason == "invalid"``) or not between 1970 and 9999 (``"range"``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def to_ms(text: str) -> int:
    """Return the ISO 8601 date or date-time TEXT as ms since the epoch (naive means UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadMoment("invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        ms = int(moment.timestamp() * 1000)
    except (OverflowError, ValueError, OSError):
        raise BadMoment("range") from None
    if not 0 <= ms <= MAX_MS:
        raise BadMoment("range")
    return ms
