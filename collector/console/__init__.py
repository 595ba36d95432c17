"""The console at ``/console/``: server-rendered pages for product teams and analysts.

Every page reads and changes surveys through the same cxlisten functions as the admin API, so a
rule, a validation or a figure exists once. This package only speaks HTTP: it signs people in
(``session``), checks the CSRF token of every change, picks the site a key may see and the
locale, and renders templates (Jinja autoescapes everything; nothing from a visitor or a survey
is marked safe). The little JavaScript it needs is bundled from npm into ``static/``
(``sdk_js/scripts/build-console.mjs``).
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from collector.browser import deployment
from collector.console.session import COOKIE, PATH, ConsoleSession, Sessions, valid_csrf
from cxlisten import identity
from cxlisten.errors import CxlistenError, NotFound, RetryLater, flatten_fields
from cxlisten.phrasebook import LOCALE_NAMES, LOCALES, phrase, pick_locale
from cxlisten.storage import sites as site_store
from cxlisten.storage.sites import Site

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Reachable without signing in.
PUBLIC = {"console.sign_in", "console.static", "console.set_locale", "console.shared"}
# Posts that change nothing stored: they go on while writes are paused (a full disk).
STORES_NOTHING = {
    "console.sign_in",
    "console.sign_out",
    "console.set_locale",
    "console.switch_site",
    "console.builder_check",
    "console.builder_check_form",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors {ancestors}"
)


def t(key: str, **fields) -> str:
    """Return catalogue entry KEY in the request's locale."""
    return phrase(g.locale, key, **fields)


def sites_of_key() -> list[Site]:
    """Return the sites the signed-in key may see."""
    key = g.admin_key
    if key.site_id is not None:
        return [site_store.get_site(deployment().db, key.site_id)]
    return site_store.list_sites(deployment().db)


def current_site() -> Site:
    """Return the site the console shows: the key's own, or the operator's chosen one."""
    sites = sites_of_key()
    if not sites:
        raise NotFound("this database has no site yet: create one with `cxlisten init`")
    chosen = g.console.site_id
    return next((s for s in sites if s.id == chosen), sites[0])


def render(template: str, status: int = 200, **context):
    return render_template(f"console/{template}", **context), status


def error_page(status: int, message: str, fields: dict | None = None):
    return render("error.html", status, message=message, fields=fields or {})


@bp.before_request
def _session():
    dep = deployment()
    sessions = Sessions(dep.secret, dep.settings.console_idle_minutes)
    session, expired = sessions.read(request.cookies.get(COOKIE))
    key = identity.admin_key_by_id(dep.db, session.key_id) if session.key_id else None
    if session.key_id is not None and key is None:  # revoked since
        session = ConsoleSession.fresh(session.locale)
    g.console_sessions, g.console, g.console_expired, g.admin_key = sessions, session, expired, key
    g.locale = pick_locale(session.locale, request.accept_languages.values())
    if request.endpoint == "console.static":
        return None
    if request.method not in SAFE_METHODS:
        token = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        if not valid_csrf(session, token):
            return error_page(403, t("error.csrf"))
    if key is None and request.endpoint not in PUBLIC:
        if expired or request.method in SAFE_METHODS:
            wanted = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
            return redirect(url_for("console.sign_in", next=wanted, expired=int(expired) or None))
        return error_page(401, t("signin.wrong"))
    if request.method not in SAFE_METHODS and request.endpoint not in STORES_NOTHING:
        dep.check_writable()  # inside the disk reserve: a readable 503 page, Retry-After
    return None


@bp.after_request
def _cookie_and_headers(response):
    if request.endpoint == "console.static":
        return response
    secure = request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(
        COOKIE,
        g.console_sessions.dump(g.console),
        path=PATH,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
    ancestors = "'self'" if g.get("frameable") else "'none'"
    response.headers.setdefault("Content-Security-Policy", CSP.format(ancestors=ancestors))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.context_processor
def _context():
    key = g.get("admin_key")
    return {
        "_": t,
        "locale": g.locale,
        "locales": [(code, LOCALE_NAMES[code]) for code in LOCALES],
        "csrf_token": g.console.csrf,
        "admin": key,
        "sites": sites_of_key() if key else [],
        "site": current_site() if key and sites_of_key() else None,
    }


@bp.errorhandler(CxlistenError)
def _cxlisten_error(exc: CxlistenError):
    page, status = error_page(exc.status, exc.message, exc.fields)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RetryLater) else {}
    return page, status, headers


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    return error_page(400, "invalid input", flatten_fields(exc.messages))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error_page(exc.code or 500, exc.description or exc.name)


@bp.app_template_filter("console_time")
def _console_time(seconds: int) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(seconds))


from collector.console import (  # noqa: E402, F401  (each module adds its views to bp)
    builder,
    customers,
    preview,
    results,
    sharing,
    shell,
    survey_list,
)

# isort: split
# console2: the three phases on screen (home, track & diagnose, activate, visitors, operations)
from collector.console import activate, home, operations, track, visitors  # noqa: E402, F401
