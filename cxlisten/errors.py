"""Exceptions raised by cxlisten.

    CxlistenError                 base of everything the library raises on purpose
    ├── InvalidInput              input failed validation; .fields maps a field path to messages
    │   └── PayloadTooLarge       a body or batch over its configured limit
    ├── NotFound                  a site, survey, visitor or export that does not exist
    ├── Unauthorized              a missing or wrong admin key, or a bad signed link
    ├── Forbidden                 an origin or action the site does not allow
    └── RetryLater                refused for now; .retry_after says in how many seconds to retry
        ├── TooManyRequests       a rate limit of the client or the site was reached (429)
        └── Unavailable           the collector cannot write now: disk reserve, busy lock (503)

The collector turns each into one JSON error shape; the CLI into one readable line.
"""

from __future__ import annotations


class CxlistenError(Exception):
    """Base class for errors cxlisten raises on purpose."""

    status = 400

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def __str__(self) -> str:
        if not self.fields:
            return self.message
        details = "; ".join(
            f"{path}: {', '.join(_flat(msgs))}" for path, msgs in self.fields.items()
        )
        return f"{self.message} ({details})"


class InvalidInput(CxlistenError):
    """Input failed validation."""

    status = 400


class PayloadTooLarge(InvalidInput):
    """A body or batch over its configured limit."""

    status = 413


class NotFound(CxlistenError):
    """A named thing does not exist."""

    status = 404


class Unauthorized(CxlistenError):
    """Missing or wrong credentials."""

    status = 401


class Forbidden(CxlistenError):
    """Not allowed for this site or origin."""

    status = 403


class RetryLater(CxlistenError):
    """Refused for now, not for good: the caller should retry after ``retry_after`` seconds."""

    status = 503

    def __init__(self, message: str, fields: dict | None = None, *, retry_after: int = 1):
        super().__init__(message, fields)
        self.retry_after = max(1, int(retry_after))


class TooManyRequests(RetryLater):
    """A rate limit of this client or site was reached."""

    status = 429


class Unavailable(RetryLater):
    """The collector cannot take writes now (disk reserve reached, write lock busy)."""

    status = 503


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [f"{k}: {', '.join(_flat(v))}" for k, v in messages.items()]
    if isinstance(messages, list | tuple):
        out: list[str] = []
        for m in messages:
            out.extend(_flat(m))
        return out
    return [str(messages)]


def flatten_fields(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dict into {"events.3.ts": ["..."]}."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                path = prefix or "_schema"
            for p, msgs in flatten_fields(value, path).items():
                out.setdefault(p, []).extend(msgs)
    elif (
        isinstance(messages, list | tuple)
        and messages
        and all(isinstance(m, str) for m in messages)
    ):
        out[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list | tuple):
        for m in messages:
            for p, msgs in flatten_fields(m, prefix).items():
                out.setdefault(p, []).extend(msgs)
    else:
        out[prefix or "_schema"] = [str(messages)]
    return out
