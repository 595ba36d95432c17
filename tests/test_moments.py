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


def test_a_z_after_a_bare_date_is_utc_too():
    assert to_ms("2026-11-01Z") == MIDNIGHT


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T00:00+01:00", "9999-12-31T23:00-05:00", "1969-12-31", "0500-01-01", "soon"],
)
def test_every_schema_refuses_what_the_parser_refuses(text):
    # Survey audience dates and operational records' times are read by the same parser, so a
    # date one accepts is never one that targeting (to_ms) later fails on.
    from marshmallow import ValidationError

    from cxlisten.schemas.operational import Moment as RecordTime
    from cxlisten.schemas.surveys import Moment as AudienceDate

    for field in (AudienceDate(), RecordTime()):
        with pytest.raises(ValidationError):
            field.deserialize(text)


def test_an_audience_date_is_kept_as_the_utc_text_of_its_moment():
    from cxlisten.schemas.surveys import Moment

    assert Moment().deserialize("2026-11-01T01:00:00+01:00") == "2026-11-01T00:00:00Z"
    assert to_ms(Moment().deserialize("2026-11-01")) == MIDNIGHT
