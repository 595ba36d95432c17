"""The one JSON error shape every endpoint answers with, built here and nowhere else.

{"error": {"status": 400, "code": "invalid_input", "message": "...",
           "fields": {"events.3.ts": ["..."]}}}
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from cxlisten.errors import CxlistenError, RetryLater, flatten_fields
from cxlisten.storage.db import unavailable_reason

log = logging.getLogger(__name__)

_CODES = {
    400: "invalid_input",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def error_body(status: int, message: str, fields: dict | None = None) -> dict:
    """Return the error shape as a dict (views may add fields beside ``error``)."""
    return {
        "error": {
            "status": status,
            "code": _CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }


def error_response(status: int, message: str, fields: dict | None = None, **extra):
    response = jsonify({**extra, **error_body(status, message, fields)})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    """Route every error, expected or not, through the one shape."""

    @app.errorhandler(CxlistenError)
    def _cxlisten(exc: CxlistenError):
        response = error_response(exc.status, exc.message, exc.fields)
        if isinstance(exc, RetryLater):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        return error_response(400, "invalid input", flatten_fields(exc.messages))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        response = error_response(exc.code or 500, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        busy = unavailable_reason(exc)
        if busy is not None:  # a full disk or a lock held too long: retry later, not a bug
            log.warning("write refused: %s", busy.message)
            return _cxlisten(busy)
        log.exception("unexpected error")
        return error_response(500, "internal error; the collector's log has the details")
