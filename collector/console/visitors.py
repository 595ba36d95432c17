"""Visitors: find one by id, token or attribute; their zero-party profile with provenance, their
sessions as a timeline, the surveys they saw, "why not" for a page, and erasure (confirmed)."""

from __future__ import annotations

import json

from flask import redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.identity import TOKEN_PREFIX
from cxlisten.storage import console_queries as queries
from cxlisten.surveys import admin
from cxlisten.surveys.profile import erase_visitor, profile


@bp.get("/visitors")
def visitors_page():
    """Find a visitor: an id or a token opens their page; an attribute lists who has it."""
    dep, site = deployment(), current_site()
    q = request.args.get("q", "").strip()
    name = request.args.get("attribute", "").strip()
    value = request.args.get("value", "").strip() or None
    errors, found = {}, None
    if q:
        try:
            visitor_id = admin.resolve_visitor(dep.tokens, site, q)
            if not queries.visitor_exists(dep.db, site.id, visitor_id):
                raise NotFound("unknown visitor", {"q": [t("visitors.unknown")]})
            return redirect(url_for("console.visitor_page", visitor_id=visitor_id))
        except (InvalidInput, NotFound) as exc:
            errors = exc.fields
    elif name:
        found = queries.visitors_with_attribute(dep.db, site.id, name[:64], value)
    return render(
        "visitors.html",
        400 if errors else 200,
        errors=errors,
        q=q,
        attribute=name,
        value=value or "",
        found=found,
        done=request.args.get("done"),
        token_prefix=TOKEN_PREFIX,
    )


def _timeline(session: dict) -> list[tuple[str, int]]:
    steps = json.loads(session["steps"])
    dwell = json.loads(session["dwell"])
    return [(s, dwell[i] if i < len(dwell) else 0) for i, s in enumerate(steps)]


@bp.get("/visitors/<visitor_id>")
def visitor_page(visitor_id: str):
    dep, site = deployment(), current_site()
    if not queries.visitor_exists(dep.db, site.id, visitor_id):
        raise NotFound(t("visitors.unknown"))
    sessions = queries.visitor_sessions(dep.db, site.id, visitor_id)
    page_url = request.args.get("url", "").strip()
    why, why_errors = None, {}
    if page_url:
        url = page_url
        if url.startswith("/") and site.origins:
            url = site.origins[0].rstrip("/") + url
        try:
            why = admin.why_not(dep.db, dep.settings, dep.tokens, site, visitor_id, url[:2048])
        except InvalidInput as exc:
            why_errors = exc.fields
    return render(
        "visitor.html",
        400 if why_errors else 200,
        visitor_id=visitor_id,
        p=profile(dep.db, site, visitor_id),
        sessions=[(s, _timeline(s)) for s in sessions],
        seen=queries.visitor_survey_events(dep.db, site.id, visitor_id),
        page_url=page_url,
        why=why,
        why_errors=why_errors,
    )


@bp.post("/visitors/<visitor_id>/erase")
def visitor_erase(visitor_id: str):
    """Erase everything about the visitor once the person has confirmed it."""
    if request.form.get("confirm") != "yes":
        raise InvalidInput("not confirmed", {"confirm": [t("confirm.needed")]})
    erased = erase_visitor(deployment().db, current_site(), visitor_id, must_exist=True)
    done = t("visitors.erased", visitor=visitor_id, rows=sum(erased.values()))
    return redirect(url_for("console.visitors_page", done=done), 303)
