"""Links to hosted survey pages (``/s/<survey-id>``), personal ones signed for one customer, and
their QR codes.

A link is ``BASE/s/SURVEY?site=KEY&src=SOURCE``. A personal link adds ``t=p1.<token>``: an
itsdangerous signature under the deployment secret and the salt ``cxlisten.survey-link`` (so no
visitor token or share link is ever a survey link) over ``[site id, survey, customer, expiry]``.
Its answers land on that customer's profile; a tampered, foreign or expired token is refused, never
read as anyone.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import segno
from itsdangerous import BadSignature, URLSafeSerializer

from cxlisten.channels import check_source
from cxlisten.errors import CxlistenError, InvalidInput, NotFound
from cxlisten.schemas.customers import CUSTOMER_ID
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site

__all__ = [
    "LinkRefused",
    "PersonalLinks",
    "hosted_link",
    "parse_duration",
    "qr_code",
    "survey_link",
    "write_qr",
]

PREFIX = "p1."
SALT = "cxlisten.survey-link"
_DURATION = re.compile(r"(\d{1,5})([mhdw])")
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}


class LinkRefused(CxlistenError):
    """A personal link that is not (or no longer) good: REASON is ``expired`` or ``invalid``."""

    status = 403

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.status = 410 if reason == "expired" else 403


@dataclass(frozen=True)
class Personal:
    customer: str
    expires_at: int


def parse_duration(text: str) -> int:
    """Return ``14d``, ``12h``, ``30m`` or ``2w`` as milliseconds, or raise InvalidInput."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(
            "invalid duration", {"expires": [f"{text!r}: a number and m, h, d or w, like 14d"]}
        )
    return int(match.group(1)) * _UNIT_MS[match.group(2)]


class PersonalLinks:
    """Sign and read personal survey-link tokens."""

    def __init__(self, secret: str):
        self._serializer = URLSafeSerializer(secret, salt=SALT)

    def issue(self, site: Site, survey: str, customer: str, expires_at: int) -> str:
        try:
            CUSTOMER_ID(customer)
        except Exception:  # marshmallow's ValidationError: say it as the CLI does
            raise InvalidInput(
                "invalid customer id", {"customer": ["1 to 200 printable characters"]}
            ) from None
        return PREFIX + self._serializer.dumps([site.id, survey, customer, expires_at])

    def read(self, token: str, site: Site, survey: str, *, now: int | None = None) -> Personal:
        """Return who TOKEN is for on SURVEY of SITE, or raise LinkRefused."""
        invalid = LinkRefused("invalid", "This link is not valid. Ask for a new one.")
        if not token.startswith(PREFIX) or len(token) > 1024:
            raise invalid
        try:
            data = self._serializer.loads(token[len(PREFIX) :])
        except BadSignature:
            raise invalid from None
        if (
            not isinstance(data, list)
            or len(data) != 4
            or data[0] != site.id
            or data[1] != survey
            or not isinstance(data[2], str)
            or not isinstance(data[3], int)
        ):
            raise invalid
        now = int(time.time() * 1000) if now is None else now
        if now >= data[3]:
            raise LinkRefused("expired", "This link has expired. Ask for a new one.")
        return Personal(data[2], data[3])


def survey_link(
    base_url: str, site: Site, survey: str, *, source: str | None = None, token: str | None = None
) -> str:
    """Return the hosted page's address for SURVEY, tagged with SOURCE and a personal TOKEN."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            "invalid collector address",
            {"url": [f"{base_url!r}: expected http(s)://host[:port], as people reach it"]},
        )
    query: dict[str, str] = {"site": site.key}
    if source is not None:
        checked = check_source(source)
        if checked is None:
            raise InvalidInput(
                "invalid source",
                {"source": ["letters, digits, _ . -, at most 32; not `web` (the intercept)"]},
            )
        query["src"] = checked
    if token:
        query["t"] = token
    return f"{base_url.strip().rstrip('/')}/s/{survey}?{urlencode(query)}"


def hosted_link(
    db: Database,
    site: Site,
    survey: str,
    base_url: str,
    *,
    secret: str,
    source: str | None = None,
    customer: str | None = None,
    expires: str = "14d",
    now: int | None = None,
) -> str:
    """Return the link to active SURVEY's hosted page, personal for CUSTOMER (valid for EXPIRES,
    from NOW in ms) when given, signed with the deployment SECRET; raise when it cannot be one."""
    found = survey_store.get_survey(db, site.id, survey)
    if found is None or found.kind != "survey":
        raise NotFound(f"no survey {survey!r} on {site.name}", {"survey": ["no such survey"]})
    if found.status != "active":
        raise InvalidInput(
            f"survey {survey!r} is {found.status}: its page would refuse",
            {"survey": [f"{found.status}: only an active survey has a hosted page"]},
        )
    token = None
    if customer is not None:
        lifetime = parse_duration(expires)
        now = int(time.time() * 1000) if now is None else now
        token = PersonalLinks(secret).issue(site, found.slug, customer, now + lifetime)
    return survey_link(base_url, site, found.slug, source=source, token=token)


def _qr_kind(kind: str, name: str) -> str:
    if kind not in ("svg", "png"):
        raise InvalidInput("invalid QR file", {"qr": [f"{name}: name a .svg or .png file"]})
    return kind


def _qr(link: str):
    # Error correction M survives a smudged receipt.
    return segno.make(link, error="m")


def write_qr(link: str, path: str) -> None:
    """Write LINK's QR code to PATH, as SVG or PNG by its extension."""
    kind = _qr_kind(path.rsplit(".", 1)[-1].lower() if "." in path else "", path)
    _qr(link).save(path, kind=kind, scale=8, border=4)  # a 4-module quiet zone: the standard's


def qr_code(link: str, kind: str = "svg") -> bytes:
    """Return LINK's QR code as an SVG or PNG file's bytes (what write_qr writes)."""
    out = io.BytesIO()
    _qr(link).save(out, kind=_qr_kind(kind, kind), scale=8, border=4)
    return out.getvalue()
