"""What ``/v1/config``, ``/v1/responses`` and ``/v1/me`` share: site, origin, privacy, visitor."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema, ValidationError

from cxlisten.browser_request import BrowserRequest
from cxlisten.errors import Forbidden, InvalidInput
from cxlisten.identity import VisitorTokens, new_visitor_id
from cxlisten.ratelimit import Limits
from cxlisten.settings import Settings
from cxlisten.sites import origin_allowed, site_for_key
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.surveys.definitions import locate


@dataclass
class Caller:
    """The site and visitor behind one browser request."""

    site: Site
    visitor_id: str | None  # None when Do Not Track / GPC applies
    token: str | None
    known: bool  # whether the request carried a genuine token

    @property
    def ignored(self) -> str | None:
        return "do-not-track" if self.visitor_id is None else None


def load(schema: Schema, data: object, what: str) -> dict:
    """Validate browser input with SCHEMA, raising InvalidInput with located fields."""
    try:
        return schema.load(data if isinstance(data, dict) else {"_": data})
    except ValidationError as exc:
        raise InvalidInput(f"invalid {what}", locate(exc.messages)) from None


def caller(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    site_key: str,
    token: str | None,
    request: BrowserRequest,
    *,
    honour_dnt: bool = True,
) -> Caller:
    """Find the site, check the origin and privacy signals, read or make the visitor.

    Without HONOUR_DNT (reading or erasing one's own data is not tracking) DNT/GPC is ignored.
    """
    site = site_for_key(db, site_key)
    if not origin_allowed(site, request.origin, request.own_origin):
        raise Forbidden("origin not allowed for this site", {"origin": [str(request.origin)]})
    limits = request.limits
    if limits is not None:
        Limits.check(limits.site, str(site.id), "writes for this site")
    if honour_dnt and request.do_not_track and site.respect_dnt and settings.trust_dnt:
        return Caller(site, None, None, False)
    visitor_id = tokens.read(token, site.id)
    if visitor_id is not None:
        # Tokens are deterministic: a genuine one is what issuing it again would give.
        return Caller(site, visitor_id, token, True)
    if limits is not None:
        Limits.check(limits.new_visitors, request.client or "-", "new visitors from this client")
    visitor_id = new_visitor_id()
    return Caller(site, visitor_id, tokens.issue(site.id, visitor_id), False)
