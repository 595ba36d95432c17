"""Read-only share links of a survey's results page: signed by being unguessable, expiring,
revocable, and showing only the questions chosen (free text can stay inside the team).

A link's token is ``r1.`` + 32 random bytes; only its SHA-256 is stored, beside the survey, the
questions it shows, the filters it was made under and its expiry. Revoking marks the row; an
expired or revoked link answers 410, an unknown one 401.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from cxlisten.errors import InvalidInput, NotFound, Unauthorized, flatten_fields
from cxlisten.export.links import LinkExpired
from cxlisten.storage import result_shares as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.surveys import catalogue

__all__ = [
    "PREFIX",
    "Share",
    "ShareRequest",
    "create_share",
    "list_shares",
    "read_share",
    "revoke_share",
    "share_from_request",
    "share_summary",
    "shares_of_survey",
]

PREFIX = "r1."
MAX_HOURS = 24 * 90


@dataclass(frozen=True)
class Share:
    id: int
    site_id: int
    survey: str
    questions: tuple[str, ...]
    filters: dict[str, str]
    created_at: int
    expires_at: int
    revoked_at: int | None

    def live(self, now: int) -> bool:
        return self.revoked_at is None and now < self.expires_at


def _share(row: dict) -> Share:
    return Share(**{**row, "questions": tuple(row["questions"])})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now(now: int | None) -> int:
    return now if now is not None else int(time.time() * 1000)


def create_share(
    db: Database,
    site: Site,
    slug: str,
    questions: list[str],
    filters: dict[str, str],
    hours: int,
    *,
    now: int | None = None,
) -> tuple[str, Share]:
    """Make a link to SLUG's results showing QUESTIONS under FILTERS for HOURS; return its token
    (shown once) and the share."""
    survey = catalogue.get_survey(db, site, slug, kind="survey")
    known = [q["id"] for q in survey.definition["questions"]]
    errors = {}
    unknown = [q for q in questions if q not in known]
    if unknown:
        errors["questions"] = [f"not questions of {slug!r}: {', '.join(unknown)}"]
    elif not questions:
        errors["questions"] = ["choose at least one question to show"]
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [f"between 1 and {MAX_HOURS}"]
    if errors:
        raise InvalidInput("invalid share link", errors)
    at = _now(now)
    token = PREFIX + secrets.token_urlsafe(32)
    ordered = [q for q in known if q in questions]
    share_id = store.add_share(
        db, site.id, slug, _hash(token), ordered, filters, at, at + hours * 3_600_000
    )
    return token, next(s for s in list_shares(db, site, slug) if s.id == share_id)


def read_share(db: Database, token: str, *, now: int | None = None) -> Share:
    """Return the live share of TOKEN; Unauthorized if unknown, LinkExpired if over or revoked."""
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 100:
        raise Unauthorized("not a share link: it may have been cut short or altered")
    row = store.share_by_hash(db, _hash(token))
    if row is None:
        raise Unauthorized("not a share link: it may have been cut short or altered")
    share = _share(row)
    if share.revoked_at is not None:
        raise LinkExpired("this share link was revoked: ask for a new one")
    if _now(now) >= share.expires_at:
        raise LinkExpired("this share link expired: ask for a new one")
    return share


def list_shares(db: Database, site: Site, slug: str) -> list[Share]:
    return [_share(r) for r in store.shares_of(db, site.id, slug)]


def revoke_share(db: Database, site: Site, share_id: int, *, now: int | None = None) -> None:
    if not store.revoke_share(db, site.id, share_id, _now(now)):
        raise NotFound(f"no live share link {share_id} on this site", {"share": ["no such link"]})


# --- the same links for the admin API and the CLI -------------------------------------------


class ShareRequest(Schema):
    """Body of ``POST /api/surveys/<id>/shares``: what the console's share form posts."""

    class Meta:
        unknown = RAISE

    questions = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        metadata={"description": "Question ids the page shows (free text can be left out)"},
    )
    hours = fields.Integer(
        strict=True,
        load_default=24,
        metadata={"description": f"Lifetime in hours, 1 to {MAX_HOURS}"},
    )
    filters = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        load_default=dict,
        metadata={"description": "The results page's filters: since, until, device, ..."},
    )


SHARE_REQUEST = ShareRequest()


def share_from_request(
    db: Database, site: Site, slug: str, body: dict, *, now: int | None = None
) -> tuple[str, Share]:
    """Make a share link from a request BODY (``ShareRequest``): filters checked as the results
    page checks them, every error located."""
    from cxlisten.surveys.results import load_filters  # the results module is heavy

    try:
        data = SHARE_REQUEST.load(body)
    except ValidationError as exc:
        raise InvalidInput("invalid share link", flatten_fields(exc.messages)) from None
    raw = {k: None if v is None else str(v) for k, v in data["filters"].items()}
    try:
        filters = load_filters(raw).as_query()
    except InvalidInput as exc:
        fields_ = {f"filters.{k}": v for k, v in exc.fields.items()}
        raise InvalidInput("invalid share link filters", fields_) from None
    return create_share(db, site, slug, data["questions"], filters, data["hours"], now=now)


def shares_of_survey(db: Database, site: Site, slug: str) -> list[Share]:
    """The share links of SLUG (NotFound for a survey the site does not have)."""
    catalogue.get_survey(db, site, slug, kind="survey")
    return list_shares(db, site, slug)


def share_summary(share: Share, now: int | None = None) -> dict:
    """A share link as the admin API and the CLI list it (never its token: only its hash is
    kept)."""
    return {
        "id": share.id,
        "survey": share.survey,
        "questions": list(share.questions),
        "filters": share.filters,
        "created_at": share.created_at,
        "expires_at": share.expires_at,
        "revoked_at": share.revoked_at,
        "live": share.live(_now(now)),
    }
