"""Dates and date-times as the library takes them: ISO 8601 text, UTC unless it says otherwise.

One parser for the CLI's ``--since``/``--until``, the export filters, survey audience dates and
operational records' times, so ``2026-11-01``, ``2026-11-01T09:00`` and ``2026-11-01T09:00:00Z``
mean the same moment everywhere, and every one of them is refused alike outside 1970–9999.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["MAX_MS", "BadMoment", "to_moment", "to_ms"]

MAX_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class BadMoment(ValueError):
    """TEXT is not a date (``reason == "invalid"``) or not between 1970 and 9999 (``"range"``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def to_moment(text: str) -> datetime:
    """Return the ISO 8601 date or date-time TEXT as a UTC datetime (naive means UTC; a trailing
    ``Z`` is UTC, after a bare date too); BadMoment when it is none, or not in 1970–9999."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadMoment("invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
        ms = int(moment.timestamp() * 1000)
    except (OverflowError, ValueError, OSError):
        raise BadMoment("range") from None
    if not 0 <= ms <= MAX_MS:
        raise BadMoment("range")
    return moment


def to_ms(text: str) -> int:
    """Return the ISO 8601 date or date-time TEXT as ms since the epoch (see ``to_moment``)."""
    return int(to_moment(text).timestamp() * 1000)
