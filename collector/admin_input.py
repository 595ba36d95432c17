"""How admin views read their input: query parameters through a schema, a JSON object body, and
the site the request names."""

from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from collector.browser import deployment
from cxlisten.errors import InvalidInput, flatten_fields
from cxlisten.schemas.admin import SITE_QUERY
from cxlisten.sites import pick_site


def query(schema: Schema, message: str | None = None) -> dict:
    """Load this request's query parameters with SCHEMA; a located InvalidInput otherwise.

    MESSAGE is the error's summary (default: ``invalid`` and the fields at fault).
    """
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as exc:
        fields = flatten_fields(exc.messages)
        raise InvalidInput(message or f"invalid {', '.join(fields)}", fields) from None


def json_body() -> dict:
    """Return the body as a JSON object (whatever the Content-Type), or raise InvalidInput."""
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object", {"_body": ["expected a JSON object"]})
    return data


def site(args: dict | None = None):
    """Return the site named by ``?site=`` (ARGS: the query already loaded), else the only one."""
    return pick_site(deployment().db, (args or query(SITE_QUERY))["site"])
