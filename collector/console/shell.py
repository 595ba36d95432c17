"""Signing in and out, the language and, for an operator's key, the site."""

from __future__ import annotations

from dataclasses import replace

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, render, sites_of_key, t
from cxlisten import identity
from cxlisten.errors import NotFound
from cxlisten.phrasebook import LOCALES


def _next_page(raw: str | None) -> str:
    """Return RAW if it is a console path of this collector, else the surveys list."""
    if raw and raw.startswith("/console/") and "//" not in raw and "\\" not in raw:
        return raw
    return url_for("console.surveys")


@bp.get("/")
def index():
    return redirect(url_for("console.surveys"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Ask for an admin key; a current one starts a session scoped as the key is."""
    error = None
    if request.method == "POST":
        key = identity.admin_key_of(deployment().db, request.form.get("key", "").strip())
        if key is not None:
            g.console = g.console.signed_in(key.id)
            return redirect(_next_page(request.form.get("next")))
        error = t("signin.wrong")
    expired = request.args.get("expired") == "1" or g.console_expired
    notice = None
    if expired:
        notice = t("signin.expired", minutes=deployment().settings.console_idle_minutes)
    elif request.args.get("signed_out") == "1":
        notice = t("signout.done")
    return render(
        "sign_in.html",
        401 if error else 200,
        error=error,
        notice=notice,
        next=request.values.get("next", ""),
    )


@bp.post("/sign-out")
def sign_out():
    g.console = g.console.fresh(g.console.locale)
    return redirect(url_for("console.sign_in", signed_out=1))


@bp.post("/locale")
def set_locale():
    """Keep the person's choice of language in the session (it wins over the browser's)."""
    chosen = request.form.get("locale")
    if chosen in LOCALES:
        g.console = replace(g.console, locale=chosen)
        g.locale = chosen
    return redirect(_next_page(request.form.get("next")))


@bp.post("/site")
def switch_site():
    """Show another site (an operator's key: any; a site's key: only its own)."""
    wanted = request.form.get("site")
    site = next((s for s in sites_of_key() if s.key == wanted), None)
    if site is None:
        raise NotFound("no such site for this key", {"site": ["not a site this key may see"]})
    g.console = replace(g.console, site_id=site.id)
    return redirect(url_for("console.surveys"))
