"""Survey and intervention definitions (admin input, ``RAISE``) and survey responses (browser).

The schemas check each field's shape; relations between fields (a branch's target exists, every
text has the default locale, a pulse has 1–2 questions) are checked in
``cxlisten.surveys.definitions`` so that every error is reported at once, located.
"""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from cxlisten.moments import BadMoment, to_moment
from cxlisten.vitals import METRICS

SLUG = r"^[a-z0-9][a-z0-9_\-]*$"
LOCALE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
ATTRIBUTE = r"^[a-z][a-z0-9_]*$"

PHASES = ("track", "deepdive")
QUESTION_TYPES = ("nps", "csat", "ces", "rating", "single", "multi", "text")
TRIGGER_TYPES = (
    "pageview",
    "dwell",
    "exit_intent",
    "event",
    "journey",
    "visit",
    "frustration",
    "slow_page",
    "scroll",
)
# What a frustration trigger waits for: rage and dead clicks in the page; an abandoned form
# field earlier in the session, decided by the collector (the field's page is left by then).
FRUSTRATION_SIGNALS = ("rage", "dead", "abandoned")
DEVICES = ("desktop", "mobile", "tablet")
VISITOR_KINDS = ("all", "new", "returning")
REPETITION_MODES = ("once", "until_answered", "times")
PLACEMENTS = ("bottom-right", "bottom-left", "top-right", "top-left", "center")
# Or ``slot:NAME``: rendered inside the page's <div data-cxlisten-slot="NAME"> (docs/snippet.md).
PLACEMENT = validate.Regexp(
    r"^(bottom-right|bottom-left|top-right|top-left|center|slot:[a-z0-9][a-z0-9_.-]{0,63})$",
    error="must be one of: " + ", ".join(PLACEMENTS) + ", or slot:NAME",
)
TEXT_KEYS = ("title", "intro", "thanks", "next", "submit", "dismiss", "other")
STATUSES = ("active", "paused", "archived")

MAX_TEXT = 500
MAX_BODY = 2000
MAX_OPTIONS = 20
MAX_QUESTIONS = 10

_SLUG = validate.And(
    validate.Length(min=1, max=64),
    validate.Regexp(SLUG, error="lower-case letters, digits, - and _ only"),
)
# What a holdout's lift counts as success (rules, interventions): a custom event or a page.
GOAL = validate.Regexp(
    r"^(custom:[\w.:\- ]{1,100}|/\S{0,1023})$",
    error="custom:EVENT_NAME or a path pattern starting with /",
)
_PATTERN = validate.And(
    validate.Length(min=1, max=300),
    validate.Regexp(r"^/", error="a path pattern starting with /, * as wildcard"),
)


def _text(max_length: int = MAX_TEXT, **options):
    """A text per locale: {"en": "...", "zh-CN": "..."}."""
    return fields.Dict(
        **options,
        keys=fields.String(
            validate=validate.Regexp(LOCALE, error="not a locale such as en or zh-CN")
        ),
        values=fields.String(validate=validate.Length(min=1, max=max_length)),
        validate=validate.Length(min=1, error="give at least one locale"),
    )


_LINK_PATH = re.compile(r"^/(?![/\\])[^\\\s\x00-\x1f\x7f]*$")
_LINK_URL = re.compile(r"^https?://[^/\\\s\x00-\x1f\x7f?#@]+(?:[/?#][^\\\s\x00-\x1f\x7f]*)?$")


def validate_link(value: str) -> None:
    """Refuse a link that is neither a path of the site nor an http(s) URL (surveys, rules)."""
    # Browsers read "\" as "/" in http(s) URLs and drop tabs and newlines, so "/\evil.example"
    # and "/\t/evil.example" would leave the site: a path is "/" then anything but "/" or "\",
    # and no link holds a backslash, a space or a control character anywhere (docs/reliability.md).
    if not (_LINK_PATH.match(value) or _LINK_URL.match(value)):
        raise ValidationError("a path starting with / or an http(s) URL")


class Moment(fields.Field):
    """A date (2026-11-01) or date-time (2026-11-01T09:00, UTC unless it says), kept as ISO text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError("a date such as 2026-11-01 or 2026-11-01T09:00:00Z")
        try:
            moment = to_moment(value)  # the one parser, which targeting reads it back with
        except BadMoment:
            raise ValidationError("a date such as 2026-11-01 or 2026-11-01T09:00:00Z") from None
        return moment.isoformat().replace("+00:00", "Z")


class _Admin(Schema):
    class Meta:
        unknown = RAISE


class Trigger(_Admin):
    type = fields.String(required=True, validate=validate.OneOf(TRIGGER_TYPES))
    urls = fields.List(
        fields.String(validate=_PATTERN),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "Path patterns (* wildcard); empty means every page"},
    )
    seconds = fields.Integer(strict=True, validate=validate.Range(min=1, max=3600))
    event = fields.String(
        validate=validate.And(
            validate.Length(min=1, max=100),
            validate.Regexp(r"^[\w.:\- ]+$", error="letters, digits, space and _.:- only"),
        )
    )
    steps = fields.List(fields.String(validate=_PATTERN), validate=validate.Length(min=1, max=20))
    # dwell: only after a step matching one of these earlier in the session
    after = fields.List(fields.String(validate=_PATTERN), validate=validate.Length(min=1, max=20))
    # visit: the Nth visit (or later) to a page of `urls`, in the session or over `days` days
    visit = fields.Integer(strict=True, validate=validate.Range(min=1, max=1000))
    days = fields.Integer(strict=True, validate=validate.Range(min=1, max=365))
    signal = fields.String(validate=validate.OneOf(FRUSTRATION_SIGNALS))
    # slow_page: this page view's METRIC (vitals.js) is over OVER (ms, or the CLS score)
    metric = fields.String(validate=validate.OneOf(METRICS))
    over = fields.Float(validate=validate.Range(min=0, max=3_600_000))
    # scroll: once this page view has been scrolled PERCENT deep (as dwell events report it)
    percent = fields.Integer(strict=True, validate=validate.Range(min=1, max=100))


class Attributes(_Admin):
    has = fields.List(
        fields.String(validate=validate.Regexp(ATTRIBUTE, error="not an attribute name")),
        load_default=list,
    )
    lacks = fields.List(
        fields.String(validate=validate.Regexp(ATTRIBUTE, error="not an attribute name")),
        load_default=list,
    )
    equals = fields.Dict(
        keys=fields.String(validate=validate.Regexp(ATTRIBUTE, error="not an attribute name")),
        values=fields.String(validate=validate.Length(max=MAX_TEXT)),
        load_default=dict,
    )


class Audience(_Admin):
    sample = fields.Float(
        load_default=100.0,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Percent of visitors who may see it (deterministic per visitor)"},
    )
    devices = fields.List(
        fields.String(validate=validate.OneOf(DEVICES)),
        load_default=list,
        metadata={"description": "Empty: every device"},
    )
    visitors = fields.String(load_default="all", validate=validate.OneOf(VISITOR_KINDS))
    attributes = fields.Nested(Attributes, load_default=lambda: Attributes().load({}))
    start = Moment(load_default=None, allow_none=True)
    end = Moment(load_default=None, allow_none=True)
    quota = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={
            "description": "Stop after this many complete responses (clicks for interventions)"
        },
    )


class Repetition(_Admin):
    mode = fields.String(load_default="once", validate=validate.OneOf(REPETITION_MODES))
    times = fields.Integer(strict=True, validate=validate.Range(min=1, max=100))
    recontact_days = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(min=1, max=3650)
    )


class Option(_Admin):
    code = fields.String(required=True, validate=_SLUG)
    label = _text()


class Scale(_Admin):
    max = fields.Integer(strict=True, required=True, validate=validate.Range(min=3, max=10))


class Condition(_Admin):
    equals = fields.Raw()
    in_ = fields.List(fields.Raw(), data_key="in", validate=validate.Length(min=1, max=MAX_OPTIONS))
    min = fields.Float()
    max = fields.Float()


class Branch(_Admin):
    when = fields.Nested(Condition, required=True)
    goto = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ScaleLabels(_Admin):
    min = _text(100)
    max = _text(100)


class Question(_Admin):
    id = fields.String(required=True, validate=_SLUG)
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    required = fields.Boolean(load_default=True)
    text = _text(required=True)
    options = fields.List(fields.Nested(Option))
    other = fields.Boolean(load_default=False)
    max_length = fields.Integer(strict=True, validate=validate.Range(min=1, max=5000))
    scale = fields.Nested(Scale)
    labels = fields.Nested(ScaleLabels)
    branch = fields.List(fields.Nested(Branch), load_default=list, validate=validate.Length(max=20))
    saves_as = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.And(
            validate.Length(max=64),
            validate.Regexp(ATTRIBUTE, error="lower-case letters, digits and _ only"),
        ),
    )


class _Definition(_Admin):
    kind = fields.String(load_default="survey", validate=validate.OneOf(("survey", "intervention")))
    id = fields.String(required=True, validate=_SLUG)
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=MAX_BODY))
    priority = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=1000))
    journey = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    trigger = fields.Nested(Trigger, required=True)
    audience = fields.Nested(Audience, load_default=lambda: Audience().load({}))
    repetition = fields.Nested(Repetition, load_default=lambda: Repetition().load({}))
    default_locale = fields.String(
        load_default="en", validate=validate.Regexp(LOCALE, error="not a locale such as en")
    )
    locales = fields.List(
        fields.String(validate=validate.Regexp(LOCALE, error="not a locale such as en")),
        validate=validate.Length(min=1, max=20),
    )
    status = fields.String(validate=validate.OneOf(STATUSES))


class SurveyDefinition(_Definition):
    """A micro-survey: when, to whom, how often, and its 1–5 questions."""

    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    texts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TEXT_KEYS)),
        values=_text(),
        load_default=dict,
    )
    questions = fields.List(
        fields.Nested(Question), required=True, validate=validate.Length(max=MAX_QUESTIONS)
    )


class Content(_Admin):
    title = _text(required=True)
    body = _text(MAX_BODY)
    label = _text(100)
    url = fields.String(validate=validate.And(validate.Length(max=2048), validate_link))


class InterventionDefinition(_Definition):
    """Real-time help such as "Need more help?": when, to whom, what and where."""

    phase = fields.String(load_default="deepdive", validate=validate.OneOf(PHASES))
    content = fields.Nested(Content, required=True)
    placement = fields.String(load_default="bottom-right", validate=PLACEMENT)
    # Percent of eligible visitors shown nothing, so that lift can be measured (intervention_lift)
    holdout = fields.Float(validate=validate.Range(min=0, max=90))
    goal = fields.String(
        allow_none=True,
        validate=GOAL,
        metadata={
            "description": "What lift counts: custom:EVENT or a page (default: the journey's goal)"
        },
    )


SURVEY = SurveyDefinition()
INTERVENTION = InterventionDefinition()


# --- browser payloads ---------------------------------------------------------------------------


class _Browser(Schema):
    class Meta:
        unknown = EXCLUDE


class ConfigQuery(_Browser):
    """Query string of ``GET /v1/config``."""

    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    survey = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "Preview: include this survey whatever its targeting"},
    )
    visitor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=512))
    url = fields.String(
        required=True,
        validate=validate.And(
            validate.Length(max=2048),
            validate.Regexp(r"^https?://", error="must be an http(s) URL"),
        ),
    )


class Answer(_Browser):
    question = fields.String(required=True, validate=validate.Length(min=1, max=64))
    value = fields.Raw(required=True, allow_none=True)
    other = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=MAX_TEXT)
    )


class ResponsePayload(_Browser):
    """Body of ``POST /v1/responses``: all answers so far (cumulative, upserted by response id)."""

    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    visitor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=512))
    survey = fields.String(required=True, validate=validate.Length(min=1, max=64))
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    response = fields.String(
        required=True,
        validate=validate.And(
            validate.Length(min=8, max=64),
            validate.Regexp(r"^[A-Za-z0-9\-_]+$", error="a client-generated UUID"),
        ),
    )
    answers = fields.List(
        fields.Nested(Answer), load_default=list, validate=validate.Length(max=MAX_QUESTIONS)
    )
    complete = fields.Boolean(load_default=False)
    url = fields.String(
        required=True,
        validate=validate.And(
            validate.Length(max=2048),
            validate.Regexp(r"^https?://", error="must be an http(s) URL"),
        ),
    )
    locale = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(LOCALE, error="not a locale such as en or zh-CN"),
    )


class MeQuery(_Browser):
    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    visitor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=512))


CONFIG_QUERY = ConfigQuery()
RESPONSE = ResponsePayload()
ME_QUERY = MeQuery()


class ResponseReply(Schema):
    visitor = fields.String()
    response = fields.String()
    status = fields.String(metadata={"enum": ["partial", "complete"]})
    action = fields.Dict(allow_none=True)


class ConfigReply(Schema):
    visitor = fields.String(allow_none=True)
    site = fields.Dict()
    surveys = fields.List(fields.Dict())
    interventions = fields.List(fields.Dict())
    action = fields.Dict(allow_none=True)
