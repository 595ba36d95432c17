"""Operations: webhook endpoints and their delivery log (with retry), the payloads the collector
refused and why, the site's settings, and admin keys (created, scoped, revoked; shown once)."""

from __future__ import annotations

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten import operations, sites, webhooks
from cxlisten.errors import InvalidInput
from cxlisten.storage import rejected
from cxlisten.storage import sites as site_store

REJECTED_SHOWN = 30
PAYLOAD_SHOWN = 400  # characters of a refused payload shown (it is hostile text: shown as text)


def _int(raw: str | None, field: str, low: int = 0, high: int = 10_000) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("not a number", {field: [t("ops.number", low=low, high=high)]}) from None
    if not low <= value <= high:
        raise InvalidInput("out of range", {field: [t("ops.number", low=low, high=high)]})
    return value


def _page(status: int = 200, errors: dict | None = None, **extra):
    db, site = deployment().db, current_site()
    refused = []
    for r in rejected.recent(db, REJECTED_SHOWN, site_id=site.id):
        refused.append({**r, "payload": str(r["payload"])[:PAYLOAD_SHOWN]})
    keys = operations.keys_for(db, g.admin_key)
    site_names = {s.id: s.name for s in site_store.list_sites(db)}
    return render(
        "operations.html",
        status,
        hooks=webhooks.list_webhooks(db, site),
        messages=webhooks.outbox(db, site, limit=50),
        log=webhooks.deliveries(db, site, limit=50),
        refused=refused,
        keys=keys,
        site_names=site_names,
        errors=errors or {},
        done=request.args.get("done"),
        **extra,
    )


@bp.get("/operations")
def operations_page():
    return _page()


@bp.post("/operations/webhooks/<int:message_id>/retry")
def webhook_retry(message_id: int):
    operations.retry_message(deployment().db, current_site(), message_id)
    done = t("ops.retried", message=message_id)
    return redirect(url_for("console.operations_page", done=done, _anchor="messages-h"), 303)


@bp.post("/operations/site")
def site_settings():
    """Change the site's origins, contact budget and Do Not Track, as `cxlisten sites` does."""
    site, form = current_site(), request.form
    try:
        origins = [o.strip() for o in form.get("origins", "").splitlines() if o.strip()]
        if not origins:
            raise InvalidInput("no origin", {"origins": [t("ops.origins.needed")]})
        sites.update(
            deployment().db,
            site.key,
            origins=origins,
            respect_dnt=form.get("respect_dnt") == "yes",
            contact_sessions=_int(form.get("contact_sessions"), "contact_sessions"),
            contact_days=_int(form.get("contact_days"), "contact_days", 0, 3650),
        )
    except InvalidInput as exc:
        return _page(400, exc.fields)
    return redirect(url_for("console.operations_page", done=t("ops.site.saved")), 303)


@bp.post("/operations/keys")
def key_create():
    """Create an admin key of this site (or, for an operator, any scope); show it once."""
    db, site = deployment().db, current_site()
    scope = request.form.get("scope", "site")
    site_id = None if scope == "operator" and g.admin_key.operator else site.id
    try:
        key = operations.create_key(db, g.admin_key, request.form.get("name", ""), site_id)
    except InvalidInput as exc:
        return _page(400, exc.fields)
    return _page(201, new_key=key, new_scope=scope if site_id is None else "site")


@bp.post("/operations/keys/<int:key_id>/revoke")
def key_revoke(key_id: int):
    if request.form.get("confirm") != "yes":
        raise InvalidInput("not confirmed", {"confirm": [t("confirm.needed")]})
    operations.revoke_key(deployment().db, g.admin_key, key_id)
    return redirect(url_for("console.operations_page", done=t("ops.key.revoked", id=key_id)), 303)
