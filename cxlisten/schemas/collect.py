"""The ``POST /v1/collect`` batch and its event kinds."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from cxlisten.schemas.fastload import compile_loader
from cxlisten.vitals import CONNECTIONS, MS_METRICS

KINDS = ("pageview", "dwell", "click", "custom", "survey", "intervention")
SURVEY_ACTIONS = ("shown", "answered", "dismissed")
INTERVENTION_ACTIONS = ("shown", "clicked", "dismissed")
CLICK_SIGNALS = ("dead", "abandoned")  # what the browser detects (cxlisten.signals)

MAX_URL = 2048
_URL = validate.And(
    validate.Length(max=MAX_URL), validate.Regexp(r"^https?://", error="must be an http(s) URL")
)
_ID = validate.Length(min=1, max=64)
_MS = validate.Range(min=0, max=24 * 3600 * 1000)


class _Browser(Schema):
    class Meta:
        unknown = EXCLUDE


class Envelope(_Browser):
    """The batch: site key, visitor token and the raw events (each checked by its kind)."""

    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    # Any visitor value is accepted here: one that is not a genuine token of this site (wrong
    # type, too long, tampered) means a fresh visitor, never a refused batch.
    visitor = fields.Raw(
        load_default=None, allow_none=True, metadata={"type": "string", "nullable": True}
    )
    # Items are checked one by one (load_event), so one bad item never sinks its neighbours.
    events = fields.List(fields.Raw(allow_none=True), required=True)
    # navigator.userAgentData as the page saw it. Read field by field by
    # cxlisten.useragent.page_hints, which ignores any part that is not what a browser sends
    # (hints only refine the device class: a batch is never refused for them).
    ua = fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={
            "type": "object",
            "description": "navigator.userAgentData: {mobile, platform, brands}",
        },
    )


class EventBase(_Browser):
    id = fields.String(required=True, validate=_ID, metadata={"description": "Client UUID"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    ts = fields.Integer(strict=True, required=True, metadata={"description": "ms since epoch"})
    url = fields.String(required=True, validate=_URL)


def _viewport(value: object) -> None:
    # A plain check rather than a nested schema: a nested load doubles the cost of a page view.
    if (
        not isinstance(value, dict)
        or set(value) != {"w", "h"}
        or not all(type(v) is int and 0 <= v <= 100000 for v in value.values())
    ):
        raise ValidationError("must be {w, h}: whole numbers of pixels from 0 to 100000")


class PageviewEvent(EventBase):
    path = fields.String(validate=validate.Length(max=1024))
    referrer = fields.String(allow_none=True, validate=validate.Length(max=MAX_URL))
    title = fields.String(allow_none=True, validate=validate.Length(max=512))
    viewport = fields.Raw(
        allow_none=True,
        validate=_viewport,
        metadata={"type": "object", "description": "{w, h} in CSS pixels"},
    )


def _vitals(value: object) -> None:
    # A plain check, like _viewport's: the dwell event is the second most common kind. These
    # are the metrics vitals.js measures (cxlisten.vitals), read by cxlisten.speed.
    if not isinstance(value, dict) or not set(value) <= {*MS_METRICS, "cls", "conn"}:
        raise ValidationError(f"must be an object of {', '.join(MS_METRICS)}, cls and conn")
    for key in MS_METRICS:
        if key in value and not (type(value[key]) is int and 0 <= value[key] <= 3_600_000):
            raise ValidationError(f"{key}: whole milliseconds from 0 to 3600000")
    cls = value.get("cls", 0)
    if type(cls) not in (int, float) or not 0 <= cls <= 100:
        raise ValidationError("cls: a layout-shift score from 0 to 100")
    if value.get("conn", "4g") not in CONNECTIONS:
        raise ValidationError(f"conn: one of {', '.join(CONNECTIONS)}")


class DwellEvent(EventBase):
    visible_ms = fields.Integer(strict=True, required=True, validate=_MS)
    total_ms = fields.Integer(strict=True, required=True, validate=_MS)
    scroll = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=100))
    pv = fields.String(validate=_ID, metadata={"description": "id of the page view measured"})
    input = fields.Integer(
        strict=True,
        validate=validate.OneOf((0, 1)),
        metadata={"description": "1 once a pointer, key or touch was used in this tab's visit"},
    )
    vitals = fields.Raw(
        allow_none=True,
        validate=_vitals,
        metadata={
            "type": "object",
            "description": "The page view's speed so far: ttfb, fcp, lcp, inp (ms), cls, conn",
        },
    )


class ClickEvent(EventBase):
    role = fields.String(validate=validate.Length(max=32), metadata={"description": "link, button"})
    target = fields.String(validate=validate.Length(max=200))
    text = fields.String(allow_none=True, validate=validate.Length(max=200))
    href = fields.String(allow_none=True, validate=validate.Length(max=MAX_URL))
    signal = fields.String(
        validate=validate.OneOf(CLICK_SIGNALS),
        metadata={"description": "dead: nothing changed after it; abandoned: a field left"},
    )


def _scalar_props(props: dict) -> None:
    if len(props) > 20:
        raise ValidationError("at most 20 properties")
    for key, value in props.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 64:
            raise ValidationError("property names are 1-64 characters")
        if isinstance(value, str) and len(value) > 500:
            raise ValidationError(f"{key}: longer than 500 characters")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValidationError(f"{key}: must be a string, number, boolean or null")


class CustomEvent(EventBase):
    name = fields.String(
        required=True,
        validate=validate.And(
            validate.Length(min=1, max=100),
            validate.Regexp(r"^[\w.:\- ]+$", error="letters, digits, space and _.:- only"),
        ),
    )
    props = fields.Dict(load_default=dict, validate=_scalar_props)


class SurveyEvent(EventBase):
    survey = fields.String(required=True, validate=_ID)
    action = fields.String(required=True, validate=validate.OneOf(SURVEY_ACTIONS))
    version = fields.Integer(strict=True, allow_none=True)
    question = fields.String(allow_none=True, validate=_ID)


class InterventionEvent(EventBase):
    intervention = fields.String(required=True, validate=_ID)
    action = fields.String(required=True, validate=validate.OneOf(INTERVENTION_ACTIONS))


SCHEMAS: dict[str, Schema] = {
    "pageview": PageviewEvent(),
    "dwell": DwellEvent(),
    "click": ClickEvent(),
    "custom": CustomEvent(),
    "survey": SurveyEvent(),
    "intervention": InterventionEvent(),
}
ENVELOPE = Envelope()
BASE = EventBase()
# Compiled from the schemas above: they answer for plainly valid input, marshmallow for the rest.
FAST_LOADERS = {kind: compile_loader(schema) for kind, schema in SCHEMAS.items()}
FAST_ENVELOPE = compile_loader(ENVELOPE)


class CollectReply(Schema):
    """What ``POST /v1/collect`` answers."""

    visitor = fields.String(metadata={"description": "Signed visitor token to keep and resend"})
    session = fields.String()
    accepted = fields.Integer()
    duplicates = fields.Integer()
    rejected = fields.List(fields.Dict())
    ignored = fields.String(metadata={"description": "Why nothing was stored (DNT, GPC)"})


def load_envelope(payload: object) -> dict:
    """Validate a batch envelope; raise ValidationError exactly as ``ENVELOPE.load`` does."""
    loaded = FAST_ENVELOPE(payload)
    return ENVELOPE.load(payload) if loaded is None else loaded


def _fast_event(raw: object) -> dict | None:
    kind = raw.get("kind") if type(raw) is dict else None
    fast = FAST_LOADERS.get(kind) if type(kind) is str else None
    return None if fast is None else fast(raw)


def load_event(raw: object) -> dict:
    """Validate one event by its kind; raise ValidationError with every problem.

    Plainly valid events are answered by the compiled fast loader of their kind; anything else
    goes through marshmallow, which is the authority and gives the messages.
    """
    loaded = _fast_event(raw)
    if loaded is not None:
        return loaded
    if not isinstance(raw, dict):
        raise ValidationError({"_schema": ["must be an object"]})
    kind = raw.get("kind")
    schema = SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        BASE.load(raw)  # raises with every base-field problem, the unknown kind among them
        raise ValidationError({"kind": [f"must be one of: {', '.join(KINDS)}"]})
    return schema.load(raw)
