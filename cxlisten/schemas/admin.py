"""Query parameters of the admin API: the window, "why not?", listings, the quarantine.

Created once at module level, as every schema. They EXCLUDE unknown parameters (the admin views
always ignored them; ``RAISE`` would turn a stray ``?x=1`` into a 400). The field errors keep the
words the API has always answered with (``milliseconds since the epoch``, ``required``).
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

__all__ = [
    "LIST_QUERY",
    "REJECTED_QUERY",
    "SITE_QUERY",
    "VERSION_QUERY",
    "WHY_NOT_QUERY",
    "WINDOW_QUERY",
    "PROCESS_SCORES_QUERY",
    "ProcessScoresQuery",
    "ListQuery",
    "RejectedQuery",
    "SiteQuery",
    "VersionQuery",
    "WhyNotQuery",
    "WindowQuery",
]

_SITE = {"description": "Site key; optional when the database has one site"}


class EpochMs(fields.Integer):
    """Milliseconds since the epoch, as digits (at most 15); empty means not given."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "":
            return None
        if not isinstance(value, str) or not value.isdigit() or len(value) > 15:
            raise ValidationError("milliseconds since the epoch")
        return int(value)


class WholeNumber(fields.Integer):
    """A whole number written as digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not value.isdigit():
            raise ValidationError("must be a whole number")
        return int(value)


def _required(description: str) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.Length(min=1, error="required"),
        error_messages={"required": "required"},
        metadata={"description": description},
    )


class _Query(Schema):
    class Meta:
        unknown = EXCLUDE

    site = fields.String(load_default=None, metadata=_SITE)  # unknown keys: 404 from pick_site


class SiteQuery(_Query):
    """Only the site (every admin view takes it)."""


class WindowQuery(_Query):
    since = EpochMs(load_default=None, metadata={"description": "ms since the epoch", "minimum": 0})
    until = EpochMs(load_default=None, metadata={"description": "ms since the epoch", "minimum": 0})


class VersionQuery(_Query):
    version = WholeNumber(
        load_default=None, metadata={"description": "An older version of the definition"}
    )


class ListQuery(_Query):
    archived = fields.String(
        load_default=None, metadata={"description": "1 lists archived ones too"}
    )


class WhyNotQuery(_Query):
    visitor = _required("Visitor id or token")
    url = _required("The page")
    device = fields.String(load_default=None, metadata={"enum": ["desktop", "mobile", "tablet"]})


class RejectedQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))
    site = fields.String(load_default=None, validate=validate.Length(max=64))


SITE_QUERY = SiteQuery()


class ProcessScoresQuery(WindowQuery):
    """``GET /api/process-scores``: which process surveys, and the trend's period."""

    surveys = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "Comma-separated survey ids (default: every process survey)"},
    )
    days = fields.Integer(
        load_default=7,
        validate=validate.Range(min=1, max=366),
        metadata={"description": "Days per trend period"},
    )


WINDOW_QUERY = WindowQuery()
PROCESS_SCORES_QUERY = ProcessScoresQuery()
VERSION_QUERY = VersionQuery()
LIST_QUERY = ListQuery()
WHY_NOT_QUERY = WhyNotQuery()
REJECTED_QUERY = RejectedQuery()
