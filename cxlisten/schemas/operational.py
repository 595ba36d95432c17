"""One operational record (an order, a ticket, a subscription...), as ``cxlisten import`` and
``POST /api/operational/<kind>`` take it. Admin input: unknown keys are errors."""

from __future__ import annotations

import math

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from cxlisten.moments import BadMoment, to_ms
from cxlisten.schemas.customers import CUSTOMER_ID

_YEAR_10000_MS = 253402300800000


class Moment(fields.Field):
    """A date or date-time (ISO 8601, UTC unless it says otherwise) or ms since the epoch."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("a date like 2026-11-01, a date-time, or ms since 1970")
        if isinstance(value, int):
            ms = value
        elif isinstance(value, str) and value.strip().isdigit():
            ms = int(value.strip())
        elif isinstance(value, str):
            try:
                ms = to_ms(value)
            except BadMoment as bad:
                if bad.reason == "range":
                    raise ValidationError("out of range (1970 to 9999)") from None
                raise ValidationError(
                    f"{value[:40]!r} is not a date like 2026-11-01 or 2026-11-01T12:00"
                ) from None
        else:
            raise ValidationError("a date like 2026-11-01, a date-time, or ms since 1970")
        if not 0 <= ms < _YEAR_10000_MS:
            raise ValidationError("out of range (1970 to 9999)")
        return ms


class Amount(fields.Float):
    """A finite number; empty means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValidationError("not a number")
        number = super()._deserialize(value, attr, data, **kwargs)
        if not math.isfinite(number):
            raise ValidationError("must be a finite number")
        return number


def _attributes(attributes: dict) -> None:
    """Free attributes: at most 50, names of 1–64 characters, text values of at most 1000."""
    if len(attributes) > 50:
        raise ValidationError("at most 50 attributes")
    for name, value in attributes.items():
        if not isinstance(name, str) or not 1 <= len(name) <= 64:
            raise ValidationError(f"{str(name)[:70]!r}: a name of 1 to 64 characters")
        if not isinstance(value, str) or len(value) > 1000:
            raise ValidationError(f"{name}: text of at most 1000 characters")


class OperationalRecord(Schema):
    """A record: its own key, the customer it is about, when, and optionally amount and status."""

    class Meta:
        unknown = RAISE

    record = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The record's own key (order number): re-imports update it"},
    )
    customer = fields.String(required=True, validate=CUSTOMER_ID)
    time = Moment(required=True, metadata={"description": "ISO 8601 (UTC default) or ms epoch"})
    amount = Amount(load_default=None, allow_none=True)
    status = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    # A plain Dict checked by one validator: per-key fields cost a quarter of a row's load.
    attributes = fields.Dict(load_default=dict, validate=lambda d: _attributes(d))


class OperationalImport(Schema):
    """Body of ``POST /api/operational/<kind>``: rows named like a CSV file's columns."""

    class Meta:
        unknown = RAISE

    key = fields.String(
        load_default="customer_id", metadata={"description": "The column holding the customer id"}
    )
    record_key = fields.String(load_default="id", metadata={"description": "The record key column"})
    time = fields.String(load_default="time", metadata={"description": "The time column"})
    rows = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=10000))


OPERATIONAL_RECORD = OperationalRecord()
OPERATIONAL_IMPORT = OperationalImport()
