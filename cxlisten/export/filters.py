"""The filters an export takes, checked before a single row is sent.

site     site key (default: the database's only site)
survey   survey id (responses, answers, survey report)
since    start of the window, inclusive: ISO 8601 date or date-time (UTC unless it says
         otherwise) or ms since the epoch
until    end of the window, exclusive (``--until 2026-12-01`` ends with November)
journey  a named journey (``checkout``): sessions that entered it; or step patterns in order,
         ``/cart > /checkout*`` (``>`` or ``→`` between steps, ``*`` any characters, ``:id``
         one segment): sessions that visited matching pages in that order, others between
bots     include traffic classified as bots (default: left out, as in every report)
channel  where responses were answered: web (the intercept), link, qr, email or a link's src
         (responses, answers)
device, locale, version, completion, answer
         the results page's filters, with its names and its one rule (``response_kept``):
         responses from a device, in a locale, to a survey version, complete or partial, or
         that gave an answer (``reason:price``) (responses, answers)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from cxlisten.errors import InvalidInput, flatten_fields
from cxlisten.export.csvsafe import iso_time
from cxlisten.moments import MAX_MS, BadMoment, to_ms
from cxlisten.schemas.surveys import DEVICES
from cxlisten.storage.sites import Site
from cxlisten.surveys.results import (
    ANSWER_FILTER,
    CHANNEL_FILTER,
    COMPLETIONS,
    LOCALE_FILTER,
    response_kept,
)

# The filters of a single response (the results page's), beyond the window and the survey.
RESPONSE_FILTERS = ("device", "locale", "version", "completion", "answer")
FILTER_NAMES = ("site", "survey", "since", "until", "journey", "bots", "channel", *RESPONSE_FILTERS)
MAX_JOURNEY_STEPS = 20


class Moment(fields.Field):
    """A date or date-time (UTC unless it says otherwise), or ms since the epoch -> ms."""

    default_error_messages = {
        "invalid": "not a date like 2026-11-01 or 2026-11-01T12:00:00Z",
        "range": "must be between 1970 and 9999",
    }

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            ms = value
        elif not isinstance(value, str) or len(value) > 40:
            raise self.make_error("invalid")
        elif value.strip().isascii() and value.strip().isdigit():
            ms = int(value.strip())
        else:
            try:
                return to_ms(value)
            except BadMoment as exc:
                raise self.make_error(exc.reason) from None
        if not 0 <= ms <= MAX_MS:
            raise self.make_error("range")
        return ms


class ExportFilters(Schema):
    """Filters of an export (query parameters of ``GET /api/export/<name>.csv``)."""

    class Meta:
        unknown = RAISE

    site = fields.String(
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Site key (default: the only site)"},
    )
    survey = fields.String(
        validate=validate.Length(min=1, max=64), metadata={"description": "Survey id"}
    )
    since = Moment(metadata={"description": "Window start (inclusive), ISO 8601 or ms"})
    until = Moment(metadata={"description": "Window end (exclusive), ISO 8601 or ms"})
    journey = fields.String(
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "Step patterns in order: /cart > /checkout*"},
    )
    bots = fields.Boolean(metadata={"description": "Include bot traffic (default false)"})
    channel = fields.String(
        validate=CHANNEL_FILTER,
        metadata={"description": "Only responses answered there: web, link, qr, email, ..."},
    )
    device = fields.String(
        validate=validate.OneOf(DEVICES),
        metadata={"description": "Only responses from this device: desktop, mobile, tablet"},
    )
    locale = fields.String(
        validate=LOCALE_FILTER, metadata={"description": "Only responses in this locale"}
    )
    version = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "Only responses to this survey version"},
    )
    completion = fields.String(
        validate=validate.OneOf(COMPLETIONS),
        metadata={"description": "Only complete or only partial responses"},
    )
    answer = fields.String(
        validate=ANSWER_FILTER,
        metadata={"description": "Only responses that gave this answer: question:value"},
    )

    @validates_schema
    def _range(self, data, **kwargs):
        since, until = data.get("since"), data.get("until")
        if since is not None and until is not None and since >= until:
            raise ValidationError("must be later than since", "until")
        if "journey" in data:
            journey_steps(data["journey"])


class DownloadQuery(ExportFilters):
    """Query of a CSV download: the filters plus the Excel switch."""

    excel = fields.Boolean(
        load_default=False,
        metadata={"description": "Add a UTF-8 BOM so Excel reads the text right"},
    )


class LinkRequest(ExportFilters):
    """Body of ``POST /api/export/<name>/link``: the filters and the file format."""

    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "excel", "jsonl")))


class ShareLinkReply(Schema):
    """A created share link."""

    url = fields.String(metadata={"description": "Download URL; works without the admin key"})
    token = fields.String()
    export = fields.String()
    format = fields.String()
    filters = fields.Dict()
    expires = fields.String(metadata={"description": "ISO 8601 UTC"})


FILTER_SCHEMA = ExportFilters()


@dataclass(frozen=True)
class Filters:
    """Checked filters: the site found, the window in ms, the journey as patterns."""

    site: Site
    survey: str | None = None
    since: int | None = None
    until: int | None = None
    journey: str | None = None  # a named journey, or step patterns (see ``journey_steps``)
    bots: bool = False
    channel: str | None = None  # responses answered in this channel only
    device: str | None = None
    locale: str | None = None
    version: int | None = None
    completion: str | None = None  # "complete" or "partial"
    answer: str | None = None  # "question:value"

    @property
    def by_response(self) -> bool:
        """Whether a filter of the single response (device, answer, ...) is set."""
        return any(getattr(self, name) is not None for name in RESPONSE_FILTERS)

    def keeps(self, response: dict, answers: dict[str, dict]) -> bool:
        """Whether a response passes the response filters (the results page's rule)."""
        if self.version is not None and response["version"] != self.version:
            return False
        return response_kept(
            response,
            answers,
            device=self.device,
            locale=self.locale,
            completion=self.completion,
            answer=tuple(self.answer.split(":", 1)) if self.answer else None,  # type: ignore[arg-type]
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the filters as given again (for a share link); absent ones left out."""
        out: dict[str, Any] = {"site": self.site.key}
        if self.survey is not None:
            out["survey"] = self.survey
        for name in ("since", "until"):
            if getattr(self, name) is not None:
                out[name] = iso_time(getattr(self, name))
        if self.journey:
            out["journey"] = self.journey
        if self.bots:
            out["bots"] = True
        if self.channel:
            out["channel"] = self.channel
        for name in RESPONSE_FILTERS:
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


JOURNEY_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


def journey_steps(text: str) -> str | tuple[str, ...]:
    """Return a named journey's name, or split ``/cart > /checkout*`` into step patterns.

    Raise ValidationError when TEXT is neither.
    """
    text = text.strip()
    if JOURNEY_NAME.fullmatch(text):
        return text
    steps = tuple(s.strip() for s in re.split(r"\s*(?:>|→)\s*", text))
    if not all(steps):
        raise ValidationError("empty step: write steps as /cart > /checkout*", "journey")
    if len(steps) > MAX_JOURNEY_STEPS:
        raise ValidationError(f"at most {MAX_JOURNEY_STEPS} steps", "journey")
    if not all(s.startswith(("/", "*")) for s in steps):
        raise ValidationError(
            "a journey name, or path patterns starting with / or * (/cart > /checkout*)",
            "journey",
        )
    return steps


def load_filters(raw: Mapping[str, Any], schema: Schema = FILTER_SCHEMA) -> dict[str, Any]:
    """Check the shape of RAW filters with SCHEMA; raise InvalidInput naming each bad one."""
    given = {k: v for k, v in raw.items() if v is not None}
    try:
        return schema.load(given)
    except ValidationError as exc:
        raise InvalidInput("invalid export filters", flatten_fields(exc.messages)) from None
