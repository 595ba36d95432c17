"""Share links: download one export, with its filters, without the admin key, until it expires.

A link's token is ``x1.`` + an itsdangerous ``URLSafeTimedSerializer`` signature over
``{"export", "format", "filters"}`` under the deployment secret and the salt
``cxlisten.export-link`` (so a visitor token, signed with another salt, is never a link). The
token carries the time it was signed; it is honoured for ``share_link_hours`` after that. The
filters are inside the signature: changing any of them, or the export, breaks it. Nothing is
stored, so a link cannot be revoked before it expires except by changing the deployment secret
(which also resets visitor tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cxlisten.errors import Unauthorized
from cxlisten.export.csvsafe import FORMATS, iso_time

__all__ = ["LINK_PREFIX", "LinkExpired", "ShareLink", "ShareLinks"]

LINK_PREFIX = "x1."
SALT = "cxlisten.export-link"
MAX_TOKEN = 4096


class LinkExpired(Unauthorized):
    """A genuine share link past its expiry."""

    status = 410


@dataclass(frozen=True)
class ShareLink:
    token: str
    export: str
    format: str
    filters: dict[str, Any]
    expires: int  # ms since the epoch

    def as_dict(self, base_url: str = "") -> dict[str, Any]:
        return {
            "url": f"{base_url.rstrip('/')}/x/{self.token}",
            "token": self.token,
            "export": self.export,
            "format": self.format,
            "filters": self.filters,
            "expires": iso_time(self.expires),
        }


class ShareLinks:
    """Issue and read share links under SECRET, valid for HOURS."""

    def __init__(self, secret: str, hours: int):
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age = int(hours) * 3600

    def issue(self, export: str, fmt: str, filters: dict[str, Any]) -> ShareLink:
        """Return a link to EXPORT in FMT with FILTERS (as ``Filters.as_dict`` gives them)."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        token = LINK_PREFIX + self._serializer.dumps({"e": export, "f": fmt, "q": filters})
        _, signed_at = self._serializer.loads(token[len(LINK_PREFIX) :], return_timestamp=True)
        expires = int(signed_at.timestamp()) * 1000 + self.max_age * 1000
        return ShareLink(token, export, fmt, filters, expires)

    def read(self, token: str) -> ShareLink:
        """Return the link in TOKEN; raise Unauthorized if it is not genuine, LinkExpired if old."""
        if not (isinstance(token, str) and token.startswith(LINK_PREFIX)) or len(token) > MAX_TOKEN:
            raise Unauthorized("not a share link: it may have been cut short or altered")
        body = token[len(LINK_PREFIX) :]
        try:
            data, signed_at = self._serializer.loads(
                body, max_age=self.max_age, return_timestamp=True
            )
        except SignatureExpired as exc:
            when = exc.date_signed.timestamp() + self.max_age if exc.date_signed else None
            ended = f" on {iso_time(int(when * 1000))}" if when else ""
            raise LinkExpired(f"this share link expired{ended}: ask for a new one") from None
        except BadSignature:
            raise Unauthorized(
                "this share link is not valid: it was altered or made by another deployment"
            ) from None
        if not (
            isinstance(data, dict)
            and isinstance(data.get("e"), str)
            and data.get("f") in FORMATS
            and isinstance(data.get("q"), dict)
        ):
            raise Unauthorized("this share link is not valid")
        expires = int(signed_at.timestamp()) * 1000 + self.max_age * 1000
        return ShareLink(token, data["e"], data["f"], data["q"], expires)
