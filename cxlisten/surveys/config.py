"""``GET /v1/config``: what this visitor may see on this page."""

from __future__ import annotations

import time

from cxlisten import activate, intervention_lift
from cxlisten.browser_request import BrowserRequest
from cxlisten.caches import caches_of
from cxlisten.identity import VisitorTokens
from cxlisten.schemas.surveys import CONFIG_QUERY
from cxlisten.settings import Settings
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.storage.surveys import Survey
from cxlisten.surveys import targeting
from cxlisten.surveys.browser import caller, load
from cxlisten.surveys.definitions import client_view
from cxlisten.useragent import describe_request

__all__ = ["visitor_config"]


def live_surveys(db: Database, site_id: int) -> list[Survey]:
    """Return the site's active surveys and interventions, parsed once and reused (from the
    deployment's caches) until any of them changes."""
    stamp = survey_store.site_version_stamp(db, site_id)
    return caches_of(db).stamped(
        ("live surveys", site_id),
        stamp,
        lambda: survey_store.list_surveys(db, site_id, statuses=("active",)),
    )


def visitor_config(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    query: dict,
    request: BrowserRequest,
    *,
    now: int | None = None,
) -> tuple[dict, object]:
    """Return the config reply for QUERY (site, visitor, url) and the site it is for."""
    args = load(CONFIG_QUERY, query, "config request")
    who = caller(db, settings, tokens, args["site"], args["visitor"], request)
    site = who.site
    reply = {
        "visitor": who.token,
        "site": {"respect_dnt": site.respect_dnt, "accent": site.accent or "#2563eb"},
        "surveys": [],
        "interventions": [],
        "action": None,
    }
    if who.ignored:
        reply["ignored"] = who.ignored
        return reply, site

    now = now or int(time.time() * 1000)
    device = describe_request(request, allow_automation=site.allow_automation)
    result = targeting.evaluate(
        db,
        settings,
        site,
        who.visitor_id,
        args["url"],
        device,
        now=now,
        surveys=live_surveys(db, site.id),
        explain=False,
    )
    reply.update(result.config())
    if args["survey"]:
        _add_preview(db, site.id, args["survey"], reply["surveys"])
    if not device.is_bot and not (result.session and result.session["is_bot"]):
        intervention_lift.record(db, site.id, who.visitor_id, args["url"], result, now)
        reply["action"] = activate.next_best_action(
            db, site, who.visitor_id, args["url"], result.session
        )
    return reply, site


def _add_preview(db: Database, site_id: int, slug: str, surveys: list[dict]) -> None:
    """Add the survey a product team asked to see (``cxlisten.show``), targeted or not.

    Only for active or paused surveys: an archived one is gone. Its answers are recorded like any.
    """
    if any(s["id"] == slug for s in surveys):
        return
    found = survey_store.get_survey(db, site_id, slug)
    if found and found.kind == "survey" and found.status in ("active", "paused"):
        surveys.append({**client_view(found.definition, found.version), "preview": True})
