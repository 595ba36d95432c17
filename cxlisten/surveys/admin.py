"""What the admin API and the CLI show about surveys, and "why didn't it show?"."""

from __future__ import annotations

import time

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.identity import TOKEN_PREFIX, VisitorTokens
from cxlisten.settings import Settings
from cxlisten.storage import events as event_store
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys import catalogue, targeting
from cxlisten.useragent import Device

__all__ = ["detail", "pick_site", "summary", "why_not"]

DEVICE_KINDS = ("desktop", "mobile", "tablet")


def pick_site(db: Database, key: str | None) -> Site:
    """Return the site with KEY, or the only site when KEY is empty."""
    if key:
        site = site_store.site_by_key(db, key)
        if site is None:
            raise NotFound("unknown site key", {"site": ["no site has this key"]})
        return site
    sites = site_store.list_sites(db)
    if len(sites) != 1:
        raise InvalidInput(
            f"this database has {len(sites)} sites: name one",
            {"site": ["required when there is not exactly one site"]},
        )
    return sites[0]


def summary(db: Database, survey: Survey) -> dict:
    """Return one line's worth about SURVEY, with its response counts."""
    definition = survey.definition
    out = {
        "id": survey.slug,
        "kind": survey.kind,
        "name": survey.name,
        "status": survey.status,
        "version": survey.version,
        "phase": survey.phase,
        "journey": survey.journey,
        "priority": survey.priority,
        "trigger": definition["trigger"]["type"],
        "created_at": survey.created_at,
        "updated_at": survey.updated_at,
    }
    if survey.kind == "survey":
        out["questions"] = len(definition["questions"])
        out["responses"] = catalogue.response_counts(db, survey)
    return out


def detail(db: Database, survey: Survey, version: int | None = None) -> dict:
    """Return SURVEY's summary, its versions and the definition of VERSION (default current)."""
    return {
        **summary(db, survey),
        "versions": catalogue.versions(db, survey),
        "shown_version": version or survey.version,
        "definition": catalogue.definition_of(db, survey, version),
    }


def resolve_visitor(tokens: VisitorTokens, site: Site, visitor: str) -> str:
    """Return the visitor id that VISITOR names: an id as in exports, or a visitor token."""
    if not visitor.startswith(TOKEN_PREFIX):
        return visitor
    visitor_id = tokens.read(visitor, site.id)
    if visitor_id is None:
        raise InvalidInput("invalid visitor token", {"visitor": ["not a token of this site"]})
    return visitor_id


def why_not(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    site: Site,
    visitor: str,
    url: str,
    *,
    device: str | None = None,
    now: int | None = None,
) -> dict:
    """For VISITOR (id or token) on URL, say for each survey which rule let it in or kept it out.

    The device is DEVICE if given, else the one of the visitor's latest session, else desktop.
    """
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("invalid url", {"url": ["must be an http(s) URL"]})
    visitor_id = resolve_visitor(tokens, site, visitor)
    if device is not None and device not in DEVICE_KINDS:
        raise InvalidInput("invalid device", {"device": [f"one of {', '.join(DEVICE_KINDS)}"]})
    session = event_store.latest_session(db, visitor_id)
    if device is None:
        device = session["device"] if session else "desktop"
        source = "latest session" if session else "assumed"
    else:
        source = "given"
    is_bot = bool(session and session["is_bot"]) and source == "latest session"
    result = targeting.evaluate(
        db,
        settings,
        site,
        visitor_id,
        url,
        Device(device, "", "", is_bot),
        now=now or int(time.time() * 1000),
    )
    return {
        "visitor": visitor_id,
        "url": url,
        "device": device,
        "device_from": source,
        "known_visitor": event_store.visitor_exists(db, visitor_id),
        "decisions": [d.as_dict() for d in result.decisions],
    }
