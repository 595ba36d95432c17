"""Live preview: the real widget.js shows the draft (or the published survey) in a sandboxed
frame, as a visitor would see it, at desktop or phone width and in each locale.

The frame has an opaque origin (``sandbox="allow-scripts allow-forms"``, no
``allow-same-origin``): it reads no cookie and no storage of the console; its forms are the
widget's, whose submit the widget handles itself (``form-action 'none'`` sends nowhere). Its
driver hands the widget a core whose ``blocked_`` says "preview", so the widget sends no
response and emits no event: nothing is stored.
"""

from __future__ import annotations

from flask import g, request

from collector.browser import deployment
from collector.console import bp, current_site, render
from cxlisten.errors import InvalidInput
from cxlisten.surveys import drafts
from cxlisten.surveys.definitions import client_view

WIDTHS = {"desktop": 1024, "phone": 375}


def _survey_view(slug: str) -> tuple[dict, bool]:
    """Return the widget's view of SLUG's draft (or live definition) and whether it is a draft."""
    checked = drafts.open_draft(deployment().db, current_site(), slug)
    if checked.definition is None:
        raise InvalidInput("the draft has errors: fix them to preview it", checked.errors)
    version = checked.published.version if checked.published else 1
    return client_view(checked.definition, version), checked.saved_at is not None


@bp.get("/surveys/<slug>/preview")
def preview(slug: str):
    view, is_draft = _survey_view(slug)
    width = request.args.get("width", "desktop")
    width = width if width in WIDTHS else "desktop"
    locales = view.get("locales") or [view.get("default_locale", "en")]
    locale = request.args.get("locale")
    locale = locale if locale in locales else locales[0]
    return render(
        "preview.html",
        slug=slug,
        width=width,
        pixels=WIDTHS[width],
        survey_locales=locales,
        survey_locale=locale,
        is_draft=is_draft,
    )


@bp.get("/surveys/<slug>/preview/frame")
def preview_frame(slug: str):
    view, _ = _survey_view(slug)
    g.frameable = True
    locale = request.args.get("locale") or view.get("default_locale", "en")
    body, status = render("preview_frame.html", survey=view, survey_locale=locale)
    # The widget styles its shadow root with a <style> of its own, as on any site.
    csp = (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
    )
    return body, status, {"Content-Security-Policy": csp}
