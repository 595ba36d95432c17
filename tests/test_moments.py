"""One date parser: a date, a naive date-time and a Z date-time mean the same moment everywhere."""

from __future__ import annotations

import pytest

from cxlisten.moments import MAX_MS, BadMoment, to_ms

MIDNIGHT = 1_793_491_200_000  # 2026-11-01T00:00:00Z


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01",
        "2026-11-01T00:00",
        "2026-11-01T00:00:00Z",
        "2026-11-01T01:00:00+01:00",
        " 2026-11-01 ",
    ],
)
def test_the_same_moment_however_written(text):
    assert to_ms(text) == MIDNIGHT


@pytest.mark.parametrize(
    "text, reason",
    [
        ("yesterday", "invalid"),
        ("2026-13-01", "invalid"),
        ("1969-12-31", "range"),
        ("9999-12-31T23:59:59.999-01:00", "range"),
    ],
)
def test_bad_moments_say_why(text, reason):
    with pytest.raises(BadMoment) as bad:
        to_ms(text)
    assert bad.value.reason == reason


def test_the_last_moment_is_in_range():
    assert to_ms("9999-12-31T23:59:59.999Z") == MAX_MS
