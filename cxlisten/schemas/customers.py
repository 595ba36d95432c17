"""Payloads of ``POST /v1/identify`` and ``POST /v1/reset`` (browser input: EXCLUDE)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

# A customer id is the site backend's own key for a person: printable, no control characters.
CUSTOMER_ID = validate.And(
    validate.Length(min=1, max=200),
    validate.Regexp(
        r"^[^\x00-\x1f\x7f]+$", error="must be printable text without control characters"
    ),
)


class _Browser(Schema):
    class Meta:
        unknown = EXCLUDE


class IdentifyPayload(_Browser):
    """Body of ``POST /v1/identify``: link this browser's visitor to a customer."""

    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    visitor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=512))
    customer = fields.String(
        required=True,
        validate=CUSTOMER_ID,
        metadata={"description": "The site's own id of the logged-in customer"},
    )
    signature = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="64 hex digits: HMAC-SHA256"),
        metadata={"description": "hex HMAC-SHA256(site identity secret, customer)"},
    )


class ResetPayload(_Browser):
    """Body of ``POST /v1/reset``: unlink this browser from its customer (log-out)."""

    site = fields.String(required=True, validate=validate.Length(min=1, max=64))
    visitor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=512))


class IdentifyReply(Schema):
    visitor = fields.String(metadata={"description": "The token to keep (may be a fresh one)"})
    customer = fields.String()
    linked = fields.Boolean()


IDENTIFY = IdentifyPayload()
RESET = ResetPayload()
